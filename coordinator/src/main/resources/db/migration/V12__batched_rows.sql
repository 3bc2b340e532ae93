-- A check result is identified by its attempt and position (the coordinator writes a report's rows in one JDBC
-- batch, which a generated id would prevent): the database now holds that each is written once.
alter table check_result add constraint check_result_position unique (attempt_id, position);
drop index check_result_by_attempt;

-- The number of a job's latest attempt, kept on the job like its latest event's: leasing a job no longer needs a
-- max() query.
alter table job add column last_attempt integer default 0 not null;
update job set last_attempt = (select coalesce(max(a.number), 0) from attempt a where a.job_id = job.id);
