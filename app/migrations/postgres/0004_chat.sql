-- Live chat between the two partners of a match.

-- The last message number given out in each match. Sending a message bumps it first, in the
-- message's own transaction: the row lock orders concurrent sends, so numbers within a match
-- are gapless and commit in order, and a client that holds up to N can ask for "after N".
ALTER TABLE matches ADD COLUMN last_message_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    seq BIGINT NOT NULL,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    -- Chosen by the sending page; the same one twice is the same message (a retry after a
    -- timeout must not post it again).
    client_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT messages_seq_key UNIQUE (match_id, seq),
    CONSTRAINT messages_client_key UNIQUE (match_id, client_id)
);

-- How far each partner has read: "seen" for the other partner, unread counts for the navigation.
CREATE TABLE chat_reads (
    match_id BIGINT NOT NULL REFERENCES matches (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    last_read_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (match_id, user_id)
);

-- The unread-messages email: whether the person wants it, and when the last one went.
ALTER TABLE users ADD COLUMN chat_email BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN chat_emailed_at BIGINT NOT NULL DEFAULT 0;

UPDATE app_meta SET value = '4' WHERE key = 'schema';
