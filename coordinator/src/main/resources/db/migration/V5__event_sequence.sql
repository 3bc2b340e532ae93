-- The sequence number of a job's latest event, kept on the job: numbering an event no longer needs a max() query,
-- which also made Hibernate flush every pending change before each event.
alter table job add column last_event bigint default 0 not null;
update job set last_event = (select coalesce(max(e.sequence), 0) from job_event e where e.job_id = job.id);
