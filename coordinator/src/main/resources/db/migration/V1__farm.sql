create table artifact (
    sha256       varchar(64)   primary key,
    name         varchar(255)  not null,
    size_bytes   bigint        not null,
    architecture varchar(16)   not null,
    created_at   timestamp(6) with time zone not null
);

create table job (
    id              varchar(36)    primary key,
    state           varchar(16)    not null,
    status          varchar(4000)  not null,
    artifact_sha256 varchar(64)    references artifact (sha256),
    host_path       varchar(4096),
    architecture    varchar(16)    not null,
    expectations    clob           not null,
    discover        boolean        not null,
    mode            varchar(16)    not null,
    fleet_wide      boolean        not null,
    priority        integer        not null,
    submitted_at    timestamp(6) with time zone not null,
    finished_at     timestamp(6) with time zone,
    constraint job_artifact check ((artifact_sha256 is null) <> (host_path is null))
);
create index job_by_state on job (state, priority, submitted_at);

create table attempt (
    id              bigint auto_increment primary key,
    job_id          varchar(36)   not null references job (id),
    number          integer       not null,
    lease_id        varchar(36)   not null unique,
    agent_id        varchar(36)   not null,
    agent_name      varchar(255)  not null,
    state           varchar(16)   not null,
    leased_at       timestamp(6) with time zone not null,
    started_at      timestamp(6) with time zone,
    finished_at     timestamp(6) with time zone,
    expires_at      timestamp(6) with time zone not null,
    report          clob,
    failure_kind    varchar(32),
    failure_message varchar(4000),
    outcome         varchar(16),
    constraint attempt_number unique (job_id, number)
);
create index attempt_by_state on attempt (state);

create table check_result (
    id         bigint auto_increment primary key,
    attempt_id bigint        not null references attempt (id),
    position   integer       not null,
    kind       varchar(16)   not null,
    resolver   varchar(1024) not null,
    target     varchar(1024) not null,
    verdict    varchar(16)   not null,
    reason     varchar(4000) not null
);
create index check_result_by_attempt on check_result (attempt_id);

create table job_event (
    id       bigint auto_increment primary key,
    job_id   varchar(36)   not null references job (id),
    sequence bigint        not null,
    at       timestamp(6) with time zone not null,
    state    varchar(16)   not null,
    message  varchar(4000) not null,
    constraint job_event_sequence unique (job_id, sequence)
);
