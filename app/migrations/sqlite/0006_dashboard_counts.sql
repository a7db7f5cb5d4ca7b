-- The dashboard's counts kept up to date as things happen, so the dashboard reads a few hundred
-- rows at any size instead of counting every application, goal and message on each request.
-- Triggers keep them, so no write path (the app, the demo data, the benchmark's bulk seeding) can
-- forget to; a test recounts from the tables and compares.

-- A match's part of the program (its mentee's library type and region, copied when it is made, so
-- filters need no join), and its contacts so far and the day of its latest (days since
-- 1970-01-01), for the health flags without a subquery per match.
ALTER TABLE matches ADD COLUMN library_type TEXT NOT NULL DEFAULT '';
ALTER TABLE matches ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE matches ADD COLUMN contacts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE matches ADD COLUMN last_contact_day BIGINT;
-- From when (ms) the match is flagged as needing attention, and its goal sheet overdue (NULL:
-- not while the sheet is in), given what is known now; see match_flag_onsets.
ALTER TABLE matches ADD COLUMN flagged_from BIGINT;
ALTER TABLE matches ADD COLUMN sheet_overdue_from BIGINT;

-- How many of something there are in a part of the program: applications by state, matches by
-- state, active matches' goal sheets by state ('draft' until the sheet exists), goals by progress.
CREATE TABLE dashboard_counts (
    cohort_id BIGINT NOT NULL,
    library_type TEXT NOT NULL,
    region TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('application', 'match', 'sheet', 'goal')),
    bucket TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, metric, bucket, library_type, region)
);

-- Messages sent and contacts had per week (weeks since Monday 1969-12-29, UTC).
CREATE TABLE activity_weeks (
    cohort_id BIGINT NOT NULL,
    library_type TEXT NOT NULL,
    region TEXT NOT NULL,
    week BIGINT NOT NULL,
    messages BIGINT NOT NULL DEFAULT 0,
    contacts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, week, library_type, region)
);
CREATE INDEX activity_weeks_week_idx ON activity_weeks (week);

-- Every flag (model::health::flags) only comes on with time and stays on until something
-- happens (a contact, a sheet step, a sign-in), so a match's flags reduce to the moment the first
-- one comes on. Kept on the match by the triggers below whenever one of its facts changes, the
-- dashboard counts flagged matches as `flagged_from <= now` on an index. In days since
-- 1970-01-01 (UTC), with d = the day matched and c = contacts so far:
--   no contact in 30 days:   (last contact day, or d) + 31
--   under two a month:       d + max(30, 15 c + 1)
--   goal sheet overdue:      d + due days + 1, while the sheet is a draft or only submitted
--   a partner inactive:      their last activity + 22 days, or d + 22 if never
-- A test compares the count with the flags computed in Rust.
CREATE VIEW match_flag_onsets AS
SELECT m.id AS match_id,
       MIN(
           (COALESCE(m.last_contact_day, m.started_at / 86400000) + 31) * 86400000,
           (m.started_at / 86400000 + MAX(30, 15 * m.contacts + 1)) * 86400000,
           CASE WHEN COALESCE(s.state, 'draft') IN ('draft', 'submitted')
                THEN (m.started_at / 86400000 + c.goal_sheet_due_days + 1) * 86400000
                ELSE 9007199254740991 END,
           CASE WHEN mr.last_active_at > 0 THEN mr.last_active_at + 22 * 86400000
                ELSE (m.started_at / 86400000 + 22) * 86400000 END,
           CASE WHEN me.last_active_at > 0 THEN me.last_active_at + 22 * 86400000
                ELSE (m.started_at / 86400000 + 22) * 86400000 END
       ) AS flagged_from,
       CASE WHEN COALESCE(s.state, 'draft') IN ('draft', 'submitted')
            THEN (m.started_at / 86400000 + c.goal_sheet_due_days + 1) * 86400000 END
           AS sheet_overdue_from
FROM matches m
JOIN cohorts c ON c.id = m.cohort_id
JOIN users mr ON mr.id = m.mentor_id
JOIN users me ON me.id = m.mentee_id
LEFT JOIN goal_sheets s ON s.match_id = m.id;

-- Flagged and overdue active matches of a cohort, counted as a range of the index.
CREATE INDEX matches_flagged_idx ON matches (cohort_id, state, flagged_from, library_type, region);
CREATE INDEX matches_overdue_idx ON matches (cohort_id, state, sheet_overdue_from, library_type, region);

-- Active matches by the day their first flag came on (or comes on), and by the day their sheet
-- became overdue: the dashboard sums the days before today and counts today's matches from the
-- index, so neither grows with the number of matches. Past days are merged into day -1 now and
-- then (see onset_compaction); a change to a merged day's match lands as a -1 on its own day,
-- which sums the same.
CREATE TABLE onset_days (
    cohort_id BIGINT NOT NULL,
    library_type TEXT NOT NULL,
    region TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('flagged', 'overdue')),
    day BIGINT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, metric, day, library_type, region)
);
-- The last day merged into day -1.
CREATE TABLE onset_compaction (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    through_day BIGINT NOT NULL
);
INSERT INTO onset_compaction (id, through_day) VALUES (1, 0);

-- Replaced by activity_weeks; one index fewer to write on every message.
DROP INDEX messages_time_idx;

-- Applications.
CREATE TRIGGER applications_count_insert AFTER INSERT ON applications BEGIN
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    VALUES (NEW.cohort_id, NEW.library_type, NEW.region, 'application', NEW.state, 1)
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER applications_count_update
AFTER UPDATE OF state, cohort_id, library_type, region ON applications BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE cohort_id = OLD.cohort_id AND metric = 'application' AND bucket = OLD.state
      AND library_type = OLD.library_type AND region = OLD.region;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    VALUES (NEW.cohort_id, NEW.library_type, NEW.region, 'application', NEW.state, 1)
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER applications_count_delete AFTER DELETE ON applications BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE cohort_id = OLD.cohort_id AND metric = 'application' AND bucket = OLD.state
      AND library_type = OLD.library_type AND region = OLD.region;
END;

-- Matches: copy the mentee's library type and region, count the match, and count an active
-- match's goal sheet.
CREATE TRIGGER matches_count_insert AFTER INSERT ON matches BEGIN
    UPDATE matches SET
        library_type = COALESCE((SELECT a.library_type FROM applications a
                                 WHERE a.cohort_id = NEW.cohort_id AND a.user_id = NEW.mentee_id), ''),
        region = COALESCE((SELECT a.region FROM applications a
                           WHERE a.cohort_id = NEW.cohort_id AND a.user_id = NEW.mentee_id), '')
    WHERE id = NEW.id;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'match', m.state, 1 FROM matches m WHERE m.id = NEW.id
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'sheet',
           COALESCE((SELECT s.state FROM goal_sheets s WHERE s.match_id = m.id), 'draft'), 1
    FROM matches m WHERE m.id = NEW.id AND m.state = 'active'
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER matches_count_update AFTER UPDATE OF state ON matches BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE cohort_id = OLD.cohort_id AND metric = 'match' AND bucket = OLD.state
      AND library_type = OLD.library_type AND region = OLD.region;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    VALUES (NEW.cohort_id, NEW.library_type, NEW.region, 'match', NEW.state, 1)
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
    UPDATE dashboard_counts SET n = n - 1
    WHERE OLD.state = 'active' AND cohort_id = OLD.cohort_id AND metric = 'sheet'
      AND bucket = COALESCE((SELECT s.state FROM goal_sheets s WHERE s.match_id = OLD.id), 'draft')
      AND library_type = OLD.library_type AND region = OLD.region;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT NEW.cohort_id, NEW.library_type, NEW.region, 'sheet',
           COALESCE((SELECT s.state FROM goal_sheets s WHERE s.match_id = NEW.id), 'draft'), 1
    WHERE NEW.state = 'active'
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;

-- Goal sheets of active matches (a match without one counts as a draft).
CREATE TRIGGER goal_sheets_count_insert AFTER INSERT ON goal_sheets BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'sheet' AND bucket = 'draft'
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m
           WHERE m.id = NEW.match_id AND m.state = 'active');
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'sheet', NEW.state, 1
    FROM matches m WHERE m.id = NEW.match_id AND m.state = 'active'
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id = NEW.match_id;
END;
CREATE TRIGGER goal_sheets_count_update AFTER UPDATE OF state ON goal_sheets BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'sheet' AND bucket = OLD.state
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m
           WHERE m.id = OLD.match_id AND m.state = 'active');
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'sheet', NEW.state, 1
    FROM matches m WHERE m.id = NEW.match_id AND m.state = 'active'
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id = NEW.match_id;
END;

-- Goals by progress, in every match.
CREATE TRIGGER goals_count_insert AFTER INSERT ON goals BEGIN
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1
    FROM matches m WHERE m.id = NEW.match_id
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER goals_count_update AFTER UPDATE OF progress, match_id ON goals BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'goal' AND bucket = OLD.progress
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1
    FROM matches m WHERE m.id = NEW.match_id
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER goals_count_delete AFTER DELETE ON goals BEGIN
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'goal' AND bucket = OLD.progress
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
END;

-- Messages per week.
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
    INSERT INTO activity_weeks (cohort_id, library_type, region, week, messages)
    SELECT m.cohort_id, m.library_type, m.region, (NEW.created_at / 86400000 + 3) / 7, 1
    FROM matches m WHERE m.id = NEW.match_id
    ON CONFLICT (cohort_id, week, library_type, region) DO UPDATE SET messages = messages + 1;
END;

-- Contacts per week, and each match's count and latest day.
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
    UPDATE matches SET contacts = contacts + 1,
        last_contact_day = MAX(COALESCE(last_contact_day, -1000000),
                               CAST(julianday(NEW.on_date) - 2440587.5 AS INTEGER))
    WHERE id = NEW.match_id;
    INSERT INTO activity_weeks (cohort_id, library_type, region, week, contacts)
    SELECT m.cohort_id, m.library_type, m.region,
           (CAST(julianday(NEW.on_date) - 2440587.5 AS INTEGER) + 3) / 7, 1
    FROM matches m WHERE m.id = NEW.match_id
    ON CONFLICT (cohort_id, week, library_type, region) DO UPDATE SET contacts = contacts + 1;
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id = NEW.match_id;
END;
CREATE TRIGGER contacts_count_update AFTER UPDATE OF on_date, match_id ON contacts BEGIN
    UPDATE activity_weeks SET contacts = contacts - 1
    WHERE week = (CAST(julianday(OLD.on_date) - 2440587.5 AS INTEGER) + 3) / 7
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
    INSERT INTO activity_weeks (cohort_id, library_type, region, week, contacts)
    SELECT m.cohort_id, m.library_type, m.region,
           (CAST(julianday(NEW.on_date) - 2440587.5 AS INTEGER) + 3) / 7, 1
    FROM matches m WHERE m.id = NEW.match_id
    ON CONFLICT (cohort_id, week, library_type, region) DO UPDATE SET contacts = contacts + 1;
    UPDATE matches SET
        contacts = (SELECT COUNT(*) FROM contacts x WHERE x.match_id = matches.id),
        last_contact_day = (SELECT CAST(julianday(MAX(x.on_date)) - 2440587.5 AS INTEGER)
                            FROM contacts x WHERE x.match_id = matches.id)
    WHERE id IN (OLD.match_id, NEW.match_id);
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id IN (OLD.match_id, NEW.match_id);
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
    UPDATE activity_weeks SET contacts = contacts - 1
    WHERE week = (CAST(julianday(OLD.on_date) - 2440587.5 AS INTEGER) + 3) / 7
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
    UPDATE matches SET
        contacts = contacts - 1,
        last_contact_day = (SELECT CAST(julianday(MAX(x.on_date)) - 2440587.5 AS INTEGER)
                            FROM contacts x WHERE x.match_id = matches.id)
    WHERE id = OLD.match_id;
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE id = OLD.match_id;
END;

-- A partner's activity and a cohort's due days move the flags of their matches.
CREATE TRIGGER users_activity_flags AFTER UPDATE OF last_active_at ON users BEGIN
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE state = 'active' AND (mentor_id = NEW.id OR mentee_id = NEW.id);
END;
CREATE TRIGGER cohorts_due_flags AFTER UPDATE OF goal_sheet_due_days ON cohorts BEGIN
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id)
    WHERE cohort_id = NEW.id;
END;

-- A match's onsets by day (see onset_days): out of the old day, into the new.
CREATE TRIGGER matches_onsets AFTER UPDATE OF flagged_from, sheet_overdue_from, state ON matches BEGIN
    INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
    SELECT OLD.cohort_id, OLD.library_type, OLD.region, 'flagged', OLD.flagged_from / 86400000, -1
    WHERE OLD.state = 'active' AND OLD.flagged_from IS NOT NULL
    ON CONFLICT (cohort_id, metric, day, library_type, region) DO UPDATE SET n = n + excluded.n;
    INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
    SELECT NEW.cohort_id, NEW.library_type, NEW.region, 'flagged', NEW.flagged_from / 86400000, 1
    WHERE NEW.state = 'active' AND NEW.flagged_from IS NOT NULL
    ON CONFLICT (cohort_id, metric, day, library_type, region) DO UPDATE SET n = n + excluded.n;
    INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
    SELECT OLD.cohort_id, OLD.library_type, OLD.region, 'overdue', OLD.sheet_overdue_from / 86400000, -1
    WHERE OLD.state = 'active' AND OLD.sheet_overdue_from IS NOT NULL
    ON CONFLICT (cohort_id, metric, day, library_type, region) DO UPDATE SET n = n + excluded.n;
    INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
    SELECT NEW.cohort_id, NEW.library_type, NEW.region, 'overdue', NEW.sheet_overdue_from / 86400000, 1
    WHERE NEW.state = 'active' AND NEW.sheet_overdue_from IS NOT NULL
    ON CONFLICT (cohort_id, metric, day, library_type, region) DO UPDATE SET n = n + excluded.n;
END;

-- What is there already.
UPDATE matches SET
    library_type = COALESCE((SELECT a.library_type FROM applications a
                             WHERE a.cohort_id = matches.cohort_id AND a.user_id = matches.mentee_id), ''),
    region = COALESCE((SELECT a.region FROM applications a
                       WHERE a.cohort_id = matches.cohort_id AND a.user_id = matches.mentee_id), ''),
    contacts = (SELECT COUNT(*) FROM contacts x WHERE x.match_id = matches.id),
    last_contact_day = (SELECT CAST(julianday(MAX(x.on_date)) - 2440587.5 AS INTEGER)
                        FROM contacts x WHERE x.match_id = matches.id);
UPDATE matches SET (flagged_from, sheet_overdue_from) =
    (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = matches.id);
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT cohort_id, library_type, region, 'application', state, COUNT(*) FROM applications
GROUP BY cohort_id, library_type, region, state;
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT cohort_id, library_type, region, 'match', state, COUNT(*) FROM matches
GROUP BY cohort_id, library_type, region, state;
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT m.cohort_id, m.library_type, m.region, 'sheet', COALESCE(s.state, 'draft'), COUNT(*)
FROM matches m LEFT JOIN goal_sheets s ON s.match_id = m.id WHERE m.state = 'active'
GROUP BY m.cohort_id, m.library_type, m.region, COALESCE(s.state, 'draft');
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT m.cohort_id, m.library_type, m.region, 'goal', g.progress, COUNT(*)
FROM goals g JOIN matches m ON m.id = g.match_id
GROUP BY m.cohort_id, m.library_type, m.region, g.progress;
INSERT INTO activity_weeks (cohort_id, library_type, region, week, messages, contacts)
SELECT cohort_id, library_type, region, week, SUM(messages), SUM(contacts) FROM (
    SELECT m.cohort_id, m.library_type, m.region, (g.created_at / 86400000 + 3) / 7 AS week,
           1 AS messages, 0 AS contacts
    FROM messages g JOIN matches m ON m.id = g.match_id
    UNION ALL
    SELECT m.cohort_id, m.library_type, m.region,
           (CAST(julianday(x.on_date) - 2440587.5 AS INTEGER) + 3) / 7, 0, 1
    FROM contacts x JOIN matches m ON m.id = x.match_id
) AS t GROUP BY cohort_id, library_type, region, week;

UPDATE app_meta SET value = '6' WHERE key = 'schema';
