-- The hazard scan: a job may ask its agent to find assembly functions whose Go func value is taken.
alter table job add column hazards boolean not null default false;
