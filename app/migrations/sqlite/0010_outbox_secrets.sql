-- A message holding a one-time secret (a password reset link) keeps its body only until it is
-- delivered: once sent, the copy in the database is the one an attacker with a backup or a
-- read-only database account would find, and the person has theirs.
ALTER TABLE outbox ADD COLUMN holds_secret BIGINT NOT NULL DEFAULT 0;
