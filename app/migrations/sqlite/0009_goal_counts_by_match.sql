-- The dashboard's goal bars count matches with at least one goal at each progress, as the list
-- behind each bar (the matches table, filtered by goal) does. They counted goals, so a match with
-- three goals not started showed "Not started 3" and opened a list of one match.
--
-- goal_tallies keeps how many goals each match has at each progress; a match enters a bar when
-- its tally goes from 0 to 1 and leaves it when it goes back to 0. The tally, not a count of the
-- goals table, decides, so each row's change is judged on its own (as PostgreSQL must, whose row
-- triggers see the whole statement's rows).
CREATE TABLE goal_tallies (
    match_id BIGINT NOT NULL,
    progress TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (match_id, progress)
);
INSERT INTO goal_tallies (match_id, progress, n)
SELECT match_id, progress, COUNT(*) FROM goals GROUP BY match_id, progress;

DROP TRIGGER goals_count_insert;
DROP TRIGGER goals_count_update;
DROP TRIGGER goals_count_delete;

CREATE TRIGGER goals_count_insert AFTER INSERT ON goals BEGIN
    INSERT INTO goal_tallies (match_id, progress, n) VALUES (NEW.match_id, NEW.progress, 1)
    ON CONFLICT (match_id, progress) DO UPDATE SET n = n + 1;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1
    FROM matches m WHERE m.id = NEW.match_id
      AND (SELECT t.n FROM goal_tallies t WHERE t.match_id = NEW.match_id AND t.progress = NEW.progress) = 1
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER goals_count_delete AFTER DELETE ON goals BEGIN
    UPDATE goal_tallies SET n = n - 1 WHERE match_id = OLD.match_id AND progress = OLD.progress;
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'goal' AND bucket = OLD.progress
      AND (SELECT t.n FROM goal_tallies t WHERE t.match_id = OLD.match_id AND t.progress = OLD.progress) = 0
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
END;

-- A goal that moves leaves where it was, then joins where it is.
CREATE TRIGGER goals_count_update AFTER UPDATE OF progress, match_id ON goals
WHEN OLD.progress IS NOT NEW.progress OR OLD.match_id IS NOT NEW.match_id BEGIN
    UPDATE goal_tallies SET n = n - 1 WHERE match_id = OLD.match_id AND progress = OLD.progress;
    UPDATE dashboard_counts SET n = n - 1
    WHERE metric = 'goal' AND bucket = OLD.progress
      AND (SELECT t.n FROM goal_tallies t WHERE t.match_id = OLD.match_id AND t.progress = OLD.progress) = 0
      AND (cohort_id, library_type, region) =
          (SELECT m.cohort_id, m.library_type, m.region FROM matches m WHERE m.id = OLD.match_id);
    INSERT INTO goal_tallies (match_id, progress, n) VALUES (NEW.match_id, NEW.progress, 1)
    ON CONFLICT (match_id, progress) DO UPDATE SET n = n + 1;
    INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
    SELECT m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1
    FROM matches m WHERE m.id = NEW.match_id
      AND (SELECT t.n FROM goal_tallies t WHERE t.match_id = NEW.match_id AND t.progress = NEW.progress) = 1
    ON CONFLICT (cohort_id, metric, bucket, library_type, region) DO UPDATE SET n = n + 1;
END;

DELETE FROM dashboard_counts WHERE metric = 'goal';
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT m.cohort_id, m.library_type, m.region, 'goal', g.progress, COUNT(DISTINCT g.match_id)
FROM goals g JOIN matches m ON m.id = g.match_id
GROUP BY m.cohort_id, m.library_type, m.region, g.progress;
