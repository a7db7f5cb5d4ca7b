-- Coordinators' private notes on a match: never shown to its partners.
CREATE TABLE match_notes (
    id INTEGER PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX match_notes_match_idx ON match_notes (match_id, id);

-- The audit log page lists the newest first, and filters by what was done.
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

UPDATE app_meta SET value = '7' WHERE key = 'schema';
