-- Who uploaded an artifact: whose stored bytes it counts against (verifarm.quota). Null for uploads before V10 and
-- counted against no one.
alter table artifact add column uploaded_by varchar(36);
create index artifact_by_uploader on artifact (uploaded_by);
-- Retention (retention.Pruner): finished jobs by age, the jobs that check an artifact, the nightly cells of a job,
-- and artifacts by age.
create index job_by_finished on job (finished_at);
create index job_by_artifact on job (artifact_sha256, state);
create index nightly_cell_by_job on nightly_cell (job_id);
create index artifact_by_age on artifact (created_at);
