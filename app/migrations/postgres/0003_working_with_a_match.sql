-- Working with a match: the goal sheet and its goals, progress notes, the sheet's history, the
-- activities catalogue and what each match does with it, and the contact log.

-- Bumped by every change to what the match home shows (goal sheet, progress, contacts,
-- activities), in the same transaction: the server keeps assembled match homes in memory keyed by
-- it, so a reader on any instance sees a change as soon as it is committed.
ALTER TABLE matches ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- A match without a row here has an empty draft sheet (version 0); the first save creates it.
CREATE TABLE goal_sheets (
    match_id BIGINT PRIMARY KEY REFERENCES matches (id),
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'confirmed', 'acknowledged', 'amended')),
    amended_by TEXT CHECK (amended_by IN ('mentor', 'mentee')),
    -- Bumped by every change. A save or a step names the version it was made on, and the UPDATE
    -- checks it, so a save on a stale copy is refused instead of overwriting the partner's words.
    version BIGINT NOT NULL DEFAULT 1,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    return_comment TEXT NOT NULL DEFAULT ''
);

CREATE TABLE goals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    measure TEXT NOT NULL DEFAULT '',
    target_date TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    progress TEXT NOT NULL DEFAULT 'not_started'
        CHECK (progress IN ('not_started', 'in_progress', 'achieved', 'set_aside'))
);
CREATE INDEX goals_match_idx ON goals (match_id, position);

CREATE TABLE progress_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    goal_id BIGINT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    progress TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    on_date TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX progress_notes_match_idx ON progress_notes (match_id, goal_id, at);

-- Every step and every change to the sheet: who, when, and what changed, in sentences.
CREATE TABLE goal_sheet_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    actor_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX goal_sheet_history_match_idx ON goal_sheet_history (match_id, id);

CREATE TABLE activities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('build', 'practice', 'discuss')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE match_activities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    goal_id BIGINT REFERENCES goals (id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'done')),
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    author_id BIGINT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX match_activities_match_idx ON match_activities (match_id, on_date);

CREATE TABLE contacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    way TEXT NOT NULL CHECK (way IN ('phone', 'email', 'video', 'chat', 'in_person', 'conference')),
    on_date TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX contacts_match_idx ON contacts (match_id, on_date, id);

-- The catalogue every program starts with, from children's library mentoring.
INSERT INTO activities (kind, title, description) VALUES
('build', 'A shared list of inclusive program ideas', 'Collect program ideas from both of your libraries that welcome every child and family, and note what each needs.'),
('build', 'A diverse book list', 'Build a book list for a storytime theme or a grade level in which children can see themselves and others.'),
('build', 'A library wish list', 'Write down the materials, spaces and partnerships you would ask for, and why each would matter to children.'),
('build', 'A storytime plan for the season', 'Plan a season of storytimes together: themes, books, songs and an early literacy tip for each.'),
('practice', 'A resume or CV review', 'The mentee shares a resume or CV; the mentor reads it and returns written suggestions.'),
('practice', 'A mock interview with written feedback', 'Rehearse an interview for a children''s librarian position, then write down what went well and what to work on.'),
('practice', 'A booktalk or storytime over video', 'Present a booktalk or a storytime over video and talk it through afterwards.'),
('practice', 'A budget or grant proposal draft', 'Draft a small budget request or grant proposal for a program and review it together.'),
('discuss', 'What makes an effective manager', 'Talk about the qualities that make an effective manager or director, and the ones you have seen in your own libraries.'),
('discuss', 'A mentoring article', 'Both read an article about mentoring before your call and discuss what it means for your match.'),
('discuss', 'A mock Newbery or Caldecott election', 'Pick a few titles, read them, and argue for your favourites as a real committee would.'),
('discuss', 'Advocating for children''s services', 'Discuss how each of you makes the case for children''s services to administrators, boards and the public.');

UPDATE app_meta SET value = '3' WHERE key = 'schema';
