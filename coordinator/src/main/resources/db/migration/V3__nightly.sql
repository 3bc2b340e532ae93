-- Nightly fan-out pins each job to one agent, by name (stable across reconnects).
alter table job add column pinned_agent varchar(255);

-- Suites: declared in configuration files (origin = the file, read-only over the API) or managed over the API.
create table nightly_suite (
    name       varchar(64)   primary key,
    definition clob          not null,
    origin     varchar(4096),
    updated_at timestamp(6) with time zone not null
);

-- One row per run. The unique (suite, scheduled time) lets exactly one of several coordinators sharing the
-- database start a scheduled run: the others' inserts fail.
create table nightly_run (
    id            varchar(36)   primary key,
    suite_name    varchar(64)   not null,
    scheduled_for timestamp(6) with time zone not null,
    trigger_kind  varchar(16)   not null,
    state         varchar(16)   not null,
    definition    clob          not null,
    started_at    timestamp(6) with time zone not null,
    deadline_at   timestamp(6) with time zone not null,
    finished_at   timestamp(6) with time zone,
    report        clob,
    constraint nightly_run_once unique (suite_name, scheduled_for)
);
create index nightly_run_by_suite on nightly_run (suite_name, started_at);
create index nightly_run_by_state on nightly_run (state);

-- The fan-out of a run: one row per (entry, agent) with its job, or per entry when it could not be submitted
-- at all (no agent then), with the reason.
create table nightly_cell (
    id                 bigint auto_increment primary key,
    run_id             varchar(36)   not null references nightly_run (id),
    entry_index        integer       not null,
    agent_name         varchar(255),
    agent_architecture varchar(16),
    job_id             varchar(36)   references job (id),
    error              varchar(4000)
);
create index nightly_cell_by_run on nightly_cell (run_id);
