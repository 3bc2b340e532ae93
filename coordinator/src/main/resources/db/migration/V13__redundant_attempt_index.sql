-- attempt_by_state (state) is the leading column of attempt_by_expiry (state, expires_at), which serves every query
-- it served; each attempt's change of state wrote both.
drop index attempt_by_state;
