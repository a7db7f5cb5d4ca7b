-- The secret of an unsubscribe link, one per email, kept only as its hash: a copy of the database
-- no longer lets anyone turn off someone's mail. The plain secret per person that earlier links
-- carried (users.mail_token) is hashed into here at start (mail::prefs::hash_earlier_tokens),
-- so links in mail already sent keep working, and then emptied.
CREATE TABLE unsubscribe_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX unsubscribe_tokens_user_idx ON unsubscribe_tokens (user_id);
