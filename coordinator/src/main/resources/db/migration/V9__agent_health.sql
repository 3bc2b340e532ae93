-- Each agent's latest health as it reports it in Register and every Heartbeat: per architecture it claims, the
-- state of its known-answer self-checks, the failing check and why; and its artifact cache's. JSON text (see
-- fleet.HealthColumn), so every coordinator shows what the agent's own coordinator heard.
alter table fleet_agent add column health text;
