-- Whether an agent reads host-path artifacts (its operator named --host-path-root directories), so a coordinator can
-- tell from the fleet why a host-path job waits.
alter table fleet_agent add column host_paths boolean not null default false;
