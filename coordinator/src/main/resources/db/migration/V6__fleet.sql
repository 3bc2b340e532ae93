-- Several coordinators, one fleet. Each coordinator keeps a row that it refreshes; an agent is live while the
-- coordinator it is connected to is. Every coordinator lists, and fans out over, the agents of all of them.
create table coordinator_instance (
    id         varchar(36)   primary key,
    started_at timestamp(6) with time zone not null,
    seen_at    timestamp(6) with time zone not null
);

-- One row per connected agent stream, written by the coordinator that holds it (see fleet.FleetRecorder).
create table fleet_agent (
    agent_id          varchar(36)   primary key,
    name              varchar(255)  not null,
    hostname          varchar(255)  not null,
    architecture      varchar(16)   not null,
    kernel            varchar(1024) not null,
    cpu               varchar(1024) not null,
    native_execution  boolean       not null,
    emulated          varchar(255)  not null,
    serves            varchar(255)  not null,
    max_concurrency   integer       not null,
    agent_version     varchar(255)  not null,
    coordinator_id    varchar(36)   not null,
    connected_at      timestamp(6) with time zone not null,
    heartbeat_at      timestamp(6) with time zone not null,
    running           integer       not null,
    draining          boolean       not null
);
create index fleet_agent_by_coordinator on fleet_agent (coordinator_id);

-- A fleet-wide job runs once on each agent live when it was submitted, by name: each coordinator places the
-- targets whose agent it holds. lease_id is set once the target's attempt is leased.
create table job_target (
    job_id     varchar(36)   not null references job (id),
    agent_name varchar(255)  not null,
    lease_id   varchar(36),
    primary key (job_id, agent_name)
);
-- Each dispatch round looks for the unleased targets of the agents connected to its coordinator.
create index job_target_unleased on job_target (agent_name, lease_id);

-- Uploaded artifacts live in the database, in chunks, so coordinators share nothing but it; the artifact
-- directory is a cache of them.
create table artifact_chunk (
    sha256   varchar(64)  not null references artifact (sha256),
    sequence integer      not null,
    data     bytea        not null,
    primary key (sha256, sequence)
);
