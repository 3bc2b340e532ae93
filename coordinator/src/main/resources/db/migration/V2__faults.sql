-- Per-job timeouts: an attempt still running at its deadline ends the job TIMED_OUT.
alter table job add column timeout_millis bigint not null default 600000;
alter table attempt add column deadline_at timestamp(6) with time zone;
update attempt set deadline_at = expires_at;

-- expires_at is now the lease's liveness, renewed by the holding agent's heartbeats; every coordinator
-- looks for expired leases, so they are found by state and time.
create index attempt_by_expiry on attempt (state, expires_at);
create index attempt_by_agent on attempt (agent_id, state);
