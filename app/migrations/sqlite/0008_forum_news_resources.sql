-- Mentoring Forum events, Program News, the resource library, and what mail needs for them.

-- Mail: every message has an HTML part; news and reminders are bulk (paced, and they can be
-- unsubscribed from with one click).
ALTER TABLE outbox ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN bulk BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT NOT NULL DEFAULT '';
DROP INDEX outbox_due_idx;
CREATE INDEX outbox_due_idx ON outbox (state, bulk, next_attempt_at);

ALTER TABLE users ADD COLUMN news_email BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN reminder_email BIGINT NOT NULL DEFAULT 1;
-- The secret in a person's unsubscribe links, made the first time one is needed.
ALTER TABLE users ADD COLUMN mail_token TEXT NOT NULL DEFAULT '';
CREATE INDEX users_mail_token_idx ON users (mail_token);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    -- The instant it starts (ms since the epoch) and the zone it was planned in, which the
    -- coordinator's form shows again and the .ics names.
    starts_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    join_url TEXT NOT NULL DEFAULT '',
    capacity BIGINT,
    recording_url TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_starts_idx ON events (starts_at);

CREATE TABLE event_rsvps (
    event_id BIGINT NOT NULL REFERENCES events (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    answer TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'not_going')),
    attended BIGINT NOT NULL DEFAULT 0,
    -- When the day-before reminder was queued (0: not yet).
    reminded_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_rsvps_reminder_idx ON event_rsvps (answer, reminded_at, event_id);

CREATE TABLE event_questions (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    answered_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX event_questions_event_idx ON event_questions (event_id, id);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'book', 'recording', 'toolkit', 'template')),
    note_md TEXT NOT NULL DEFAULT '',
    -- A webinar recording added from its event keeps the link to it (one resource per event).
    event_id BIGINT UNIQUE REFERENCES events (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX resources_kind_idx ON resources (kind, id);

CREATE TABLE resource_tags (
    resource_id BIGINT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (resource_id, tag)
);
CREATE INDEX resource_tags_tag_idx ON resource_tags (tag, resource_id);

CREATE TABLE bookmarks (
    user_id BIGINT NOT NULL REFERENCES users (id),
    resource_id BIGINT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, resource_id)
);

CREATE TABLE news_issues (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    news_md TEXT NOT NULL DEFAULT '',
    events_md TEXT NOT NULL DEFAULT '',
    activity_id BIGINT REFERENCES activities (id),
    question TEXT NOT NULL DEFAULT '',
    goals_md TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    published_at BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX news_issues_state_idx ON news_issues (state, published_at);

-- One row per person an issue is mailed to, made when it is published: 'pending' until their
-- own version is in the outbox ('queued', with its outbox row, in the same transaction).
CREATE TABLE news_recipients (
    issue_id BIGINT NOT NULL REFERENCES news_issues (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'skipped')),
    outbox_id BIGINT,
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX news_recipients_state_idx ON news_recipients (state, issue_id, user_id);

CREATE TABLE news_replies (
    id INTEGER PRIMARY KEY,
    issue_id BIGINT NOT NULL REFERENCES news_issues (id),
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    hidden_at BIGINT NOT NULL DEFAULT 0,
    hidden_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX news_replies_thread_idx ON news_replies (issue_id, cohort_id, id);

UPDATE app_meta SET value = '8' WHERE key = 'schema';
