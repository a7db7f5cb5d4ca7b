-- Two-step sign-in (auth::second_factor): an authenticator app's secret, one-time recovery codes,
-- and sign-ins waiting for their code after the right password.

-- Whether the account signs in with a code as well as its password: read with every session,
-- so it sits on the account rather than behind a join.
ALTER TABLE users ADD COLUMN second_factor BIGINT NOT NULL DEFAULT 0;

-- One authenticator per account. `secret` is the confirmed one (NULL until the first is
-- confirmed); `pending_secret` is one being set up, which replaces it only once a code from it
-- is given, so a half-done change never leaves the account without its factor. `last_step` is
-- the 30-second step of the last code accepted: a code is never accepted twice (RFC 6238, 5.2).
CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT,
    pending_secret TEXT,
    pending_since BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0,
    confirmed_at BIGINT
);

-- Codes for when the authenticator is lost, each usable once. Only their SHA-256 is kept: they
-- are long random strings, not passwords, so a fast hash is enough.
CREATE TABLE recovery_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- A sign-in whose password was right, waiting for the code. The browser holds the token in a
-- short-lived cookie; only its hash is kept. `device_id` is the trusted browser the password
-- came from, if any, so the code is counted where the password was.
CREATE TABLE pending_sign_ins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_sign_ins_user_idx ON pending_sign_ins (user_id);
