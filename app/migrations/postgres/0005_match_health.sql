-- Coordinators' view of match health.

-- When each person last used Tandem (signing in, or a session in use; written at most every few
-- minutes), for the "a partner has not signed in for 21 days" flag. 0: never.
ALTER TABLE users ADD COLUMN last_active_at BIGINT NOT NULL DEFAULT 0;

-- Messages per match over a time window (the last 30 days, per week) without reading them all.
CREATE INDEX messages_match_time_idx ON messages (match_id, created_at);
-- Messages per week across the program, for the dashboard.
CREATE INDEX messages_time_idx ON messages (created_at);

UPDATE app_meta SET value = '5' WHERE key = 'schema';
