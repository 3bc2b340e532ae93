-- API tokens: only their SHA-256 is stored; the token itself is shown once, when it is created.
create table api_token (
    id           varchar(36)   primary key,
    name         varchar(255)  not null,
    role         varchar(16)   not null,
    token_sha256 varchar(64)   not null unique,
    created_at   timestamp(6) with time zone not null,
    created_by   varchar(255)  not null,
    revoked_at   timestamp(6) with time zone
);

-- The token that submitted a job: who may cancel it, and whose jobs in flight count against its limit.
alter table job add column submitted_by varchar(36);
create index job_by_submitter on job (submitted_by, state);
