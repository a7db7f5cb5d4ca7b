-- An application from someone without an account, waiting for them to open the link mailed to
-- the address they gave (program::pending_applications): only then are the account and the
-- application made. The answers are the form as JSON, without the password (its hash is kept).
CREATE TABLE pending_applications (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
