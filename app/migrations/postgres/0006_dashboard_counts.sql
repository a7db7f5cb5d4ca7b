-- The dashboard's counts kept up to date as things happen, so the dashboard reads a few hundred
-- rows at any size instead of counting every application, goal and message on each request.
-- Triggers keep them, so no write path (the app, the demo data, the benchmark's bulk seeding) can
-- forget to; a test recounts from the tables and compares.

-- A match's part of the program (its mentee's library type and region, copied when it is made, so
-- filters need no join), and its contacts so far and the day of its latest (days since
-- 1970-01-01), for the health flags without a subquery per match.
ALTER TABLE matches
    ADD COLUMN library_type TEXT NOT NULL DEFAULT '',
    ADD COLUMN region TEXT NOT NULL DEFAULT '',
    ADD COLUMN contacts BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN last_contact_day BIGINT,
    -- From when (ms) the match is flagged as needing attention, and its goal sheet overdue
    -- (NULL: not while the sheet is in), given what is known now; see match_flag_onsets.
    ADD COLUMN flagged_from BIGINT,
    ADD COLUMN sheet_overdue_from BIGINT;

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
       LEAST(
           (COALESCE(m.last_contact_day, m.started_at / 86400000) + 31) * 86400000,
           (m.started_at / 86400000 + GREATEST(30, 15 * m.contacts + 1)) * 86400000,
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

-- One upsert each for the two tables; a change is a -1 in its old place and a +1 in its new.
CREATE FUNCTION dashboard_bump(c BIGINT, lt TEXT, r TEXT, metric_ TEXT, bucket_ TEXT, d BIGINT)
RETURNS void AS $$
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    VALUES (c, lt, r, metric_, bucket_, d)
    ON CONFLICT (cohort_id, metric, bucket, library_type, region)
    DO UPDATE SET n = dashboard_counts.n + EXCLUDED.n;
$$ LANGUAGE sql;

CREATE FUNCTION activity_bump(c BIGINT, lt TEXT, r TEXT, wk BIGINT, msgs BIGINT, cts BIGINT)
RETURNS void AS $$
    INSERT INTO activity_weeks (cohort_id, library_type, region, week, messages, contacts)
    VALUES (c, lt, r, wk, msgs, cts)
    ON CONFLICT (cohort_id, week, library_type, region)
    DO UPDATE SET messages = activity_weeks.messages + EXCLUDED.messages,
                  contacts = activity_weeks.contacts + EXCLUDED.contacts;
$$ LANGUAGE sql;

-- Days since 1970-01-01 of a YYYY-MM-DD date.
CREATE FUNCTION epoch_day(d TEXT) RETURNS BIGINT AS $$
    SELECT CAST(d AS DATE) - DATE '1970-01-01';
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION refresh_match_flags(mid BIGINT) RETURNS void AS $$
    UPDATE matches SET (flagged_from, sheet_overdue_from) =
        (SELECT o.flagged_from, o.sheet_overdue_from FROM match_flag_onsets o WHERE o.match_id = mid)
    WHERE id = mid;
$$ LANGUAGE sql;

CREATE FUNCTION applications_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dashboard_bump(OLD.cohort_id, OLD.library_type, OLD.region, 'application', OLD.state, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM dashboard_bump(NEW.cohort_id, NEW.library_type, NEW.region, 'application', NEW.state, 1);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER applications_count
AFTER INSERT OR DELETE OR UPDATE OF state, cohort_id, library_type, region ON applications
FOR EACH ROW EXECUTE FUNCTION applications_count();

-- A new match takes its mentee's library type and region.
CREATE FUNCTION matches_fill() RETURNS trigger AS $$
BEGIN
    NEW.library_type := COALESCE((SELECT a.library_type FROM applications a
                                  WHERE a.cohort_id = NEW.cohort_id AND a.user_id = NEW.mentee_id), '');
    NEW.region := COALESCE((SELECT a.region FROM applications a
                            WHERE a.cohort_id = NEW.cohort_id AND a.user_id = NEW.mentee_id), '');
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER matches_fill BEFORE INSERT ON matches FOR EACH ROW EXECUTE FUNCTION matches_fill();

CREATE FUNCTION matches_count() RETURNS trigger AS $$
DECLARE
    sheet TEXT := COALESCE((SELECT s.state FROM goal_sheets s WHERE s.match_id = NEW.id), 'draft');
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM dashboard_bump(OLD.cohort_id, OLD.library_type, OLD.region, 'match', OLD.state, -1);
        IF OLD.state = 'active' THEN
            PERFORM dashboard_bump(OLD.cohort_id, OLD.library_type, OLD.region, 'sheet', sheet, -1);
        END IF;
    END IF;
    PERFORM dashboard_bump(NEW.cohort_id, NEW.library_type, NEW.region, 'match', NEW.state, 1);
    IF NEW.state = 'active' THEN
        PERFORM dashboard_bump(NEW.cohort_id, NEW.library_type, NEW.region, 'sheet', sheet, 1);
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_match_flags(NEW.id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER matches_count AFTER INSERT OR UPDATE OF state ON matches
FOR EACH ROW EXECUTE FUNCTION matches_count();

-- Goal sheets of active matches (a match without one counts as a draft).
CREATE FUNCTION goal_sheets_count() RETURNS trigger AS $$
DECLARE
    m RECORD;
BEGIN
    PERFORM refresh_match_flags(NEW.match_id);
    SELECT cohort_id, library_type, region INTO m FROM matches
    WHERE id = NEW.match_id AND state = 'active';
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'sheet', 'draft', -1);
    ELSE
        PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'sheet', OLD.state, -1);
    END IF;
    PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'sheet', NEW.state, 1);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER goal_sheets_count AFTER INSERT OR UPDATE OF state ON goal_sheets
FOR EACH ROW EXECUTE FUNCTION goal_sheets_count();

-- Goals by progress, in every match.
CREATE FUNCTION goals_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'goal', OLD.progress, -1)
        FROM matches m WHERE m.id = OLD.match_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1)
        FROM matches m WHERE m.id = NEW.match_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER goals_count AFTER INSERT OR DELETE OR UPDATE OF progress, match_id ON goals
FOR EACH ROW EXECUTE FUNCTION goals_count();

-- Messages per week.
CREATE FUNCTION messages_count() RETURNS trigger AS $$
BEGIN
    PERFORM activity_bump(m.cohort_id, m.library_type, m.region, (NEW.created_at / 86400000 + 3) / 7, 1, 0)
    FROM matches m WHERE m.id = NEW.match_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER messages_count AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_count();

-- Contacts per week, and each match's count and latest day.
CREATE FUNCTION contacts_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM activity_bump(m.cohort_id, m.library_type, m.region, (epoch_day(OLD.on_date) + 3) / 7, 0, -1)
        FROM matches m WHERE m.id = OLD.match_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM activity_bump(m.cohort_id, m.library_type, m.region, (epoch_day(NEW.on_date) + 3) / 7, 0, 1)
        FROM matches m WHERE m.id = NEW.match_id;
    END IF;
    IF TG_OP = 'INSERT' THEN
        UPDATE matches SET contacts = contacts + 1,
            last_contact_day = GREATEST(last_contact_day, epoch_day(NEW.on_date))
        WHERE id = NEW.match_id;
    ELSE
        UPDATE matches SET
            contacts = (SELECT COUNT(*) FROM contacts x WHERE x.match_id = matches.id),
            last_contact_day = (SELECT epoch_day(MAX(x.on_date)) FROM contacts x WHERE x.match_id = matches.id)
        WHERE id = OLD.match_id OR (TG_OP = 'UPDATE' AND id = NEW.match_id);
        PERFORM refresh_match_flags(OLD.match_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM refresh_match_flags(NEW.match_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER contacts_count AFTER INSERT OR DELETE OR UPDATE OF on_date, match_id ON contacts
FOR EACH ROW EXECUTE FUNCTION contacts_count();

-- A partner's activity and a cohort's due days move the flags of their matches.
CREATE FUNCTION users_activity_flags() RETURNS trigger AS $$
BEGIN
    PERFORM refresh_match_flags(m.id) FROM matches m
    WHERE m.state = 'active' AND (m.mentor_id = NEW.id OR m.mentee_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER users_activity_flags AFTER UPDATE OF last_active_at ON users
FOR EACH ROW EXECUTE FUNCTION users_activity_flags();

CREATE FUNCTION cohorts_due_flags() RETURNS trigger AS $$
BEGIN
    PERFORM refresh_match_flags(m.id) FROM matches m WHERE m.cohort_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER cohorts_due_flags AFTER UPDATE OF goal_sheet_due_days ON cohorts
FOR EACH ROW EXECUTE FUNCTION cohorts_due_flags();

-- A match's onsets by day (see onset_days): out of the old day, into the new.
CREATE FUNCTION onset_bump(c BIGINT, lt TEXT, r TEXT, metric_ TEXT, day_ BIGINT, d BIGINT)
RETURNS void AS $$
    INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
    VALUES (c, lt, r, metric_, day_, d)
    ON CONFLICT (cohort_id, metric, day, library_type, region)
    DO UPDATE SET n = onset_days.n + EXCLUDED.n;
$$ LANGUAGE sql;

CREATE FUNCTION matches_onsets() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'active' AND OLD.flagged_from IS NOT NULL THEN
        PERFORM onset_bump(OLD.cohort_id, OLD.library_type, OLD.region, 'flagged', OLD.flagged_from / 86400000, -1);
    END IF;
    IF NEW.state = 'active' AND NEW.flagged_from IS NOT NULL THEN
        PERFORM onset_bump(NEW.cohort_id, NEW.library_type, NEW.region, 'flagged', NEW.flagged_from / 86400000, 1);
    END IF;
    IF OLD.state = 'active' AND OLD.sheet_overdue_from IS NOT NULL THEN
        PERFORM onset_bump(OLD.cohort_id, OLD.library_type, OLD.region, 'overdue', OLD.sheet_overdue_from / 86400000, -1);
    END IF;
    IF NEW.state = 'active' AND NEW.sheet_overdue_from IS NOT NULL THEN
        PERFORM onset_bump(NEW.cohort_id, NEW.library_type, NEW.region, 'overdue', NEW.sheet_overdue_from / 86400000, 1);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER matches_onsets AFTER UPDATE OF flagged_from, sheet_overdue_from, state ON matches
FOR EACH ROW EXECUTE FUNCTION matches_onsets();

-- What is there already.
UPDATE matches SET
    library_type = COALESCE((SELECT a.library_type FROM applications a
                             WHERE a.cohort_id = matches.cohort_id AND a.user_id = matches.mentee_id), ''),
    region = COALESCE((SELECT a.region FROM applications a
                       WHERE a.cohort_id = matches.cohort_id AND a.user_id = matches.mentee_id), ''),
    contacts = (SELECT COUNT(*) FROM contacts x WHERE x.match_id = matches.id),
    last_contact_day = (SELECT epoch_day(MAX(x.on_date))
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
           (epoch_day(x.on_date) + 3) / 7, 0, 1
    FROM contacts x JOIN matches m ON m.id = x.match_id
) AS t GROUP BY cohort_id, library_type, region, week;

UPDATE app_meta SET value = '6' WHERE key = 'schema';
