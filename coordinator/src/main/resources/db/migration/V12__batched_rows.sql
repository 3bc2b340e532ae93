-- A check result is identified by its attempt and position (the coordinator writes a report's rows in one JDBC
-- batch, which a generated id would prevent): the database now holds that each is written once.
alter table check_result add constraint check_result_position unique (attempt_id, position);
drop index check_result_by_attempt;
