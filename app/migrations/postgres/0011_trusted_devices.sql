-- A browser that has signed in to an account (OWASP's device cookies): its cookie lets it through
-- a lock on the account that others' wrong passwords caused, and a sign-in from a browser without
-- one is told to the account's owner. Only the token's hash is kept, as for sessions.
CREATE TABLE trusted_devices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_user_idx ON trusted_devices (user_id);
