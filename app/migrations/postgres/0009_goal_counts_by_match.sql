-- The dashboard's goal bars count matches with at least one goal at each progress, as the list
-- behind each bar (the matches table, filtered by goal) does. They counted goals, so a match with
-- three goals not started showed "Not started 3" and opened a list of one match.
--
-- goal_tallies keeps how many goals each match has at each progress; a match enters a bar when
-- its tally goes from 0 to 1 and leaves it when it goes back to 0. The tally, not a count of the
-- goals table, decides: row triggers fire after the whole statement, so a count of goals would
-- see a three-row insert three times at 3. The tally's row lock also orders two transactions
-- that add a match's first goal at one progress.
CREATE TABLE goal_tallies (
    match_id BIGINT NOT NULL,
    progress TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (match_id, progress)
);
INSERT INTO goal_tallies (match_id, progress, n)
SELECT match_id, progress, COUNT(*) FROM goals GROUP BY match_id, progress;

CREATE OR REPLACE FUNCTION goals_count() RETURNS trigger AS $$
DECLARE
    left_ BIGINT;
    now_ BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.progress = NEW.progress AND OLD.match_id = NEW.match_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE goal_tallies SET n = n - 1
        WHERE match_id = OLD.match_id AND progress = OLD.progress
        RETURNING n INTO left_;
        IF left_ = 0 THEN
            PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'goal', OLD.progress, -1)
            FROM matches m WHERE m.id = OLD.match_id;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO goal_tallies (match_id, progress, n) VALUES (NEW.match_id, NEW.progress, 1)
        ON CONFLICT (match_id, progress) DO UPDATE SET n = goal_tallies.n + 1
        RETURNING n INTO now_;
        IF now_ = 1 THEN
            PERFORM dashboard_bump(m.cohort_id, m.library_type, m.region, 'goal', NEW.progress, 1)
            FROM matches m WHERE m.id = NEW.match_id;
        END IF;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DELETE FROM dashboard_counts WHERE metric = 'goal';
INSERT INTO dashboard_counts (cohort_id, library_type, region, metric, bucket, n)
SELECT m.cohort_id, m.library_type, m.region, 'goal', g.progress, COUNT(DISTINCT g.match_id)
FROM goals g JOIN matches m ON m.id = g.match_id
GROUP BY m.cohort_id, m.library_type, m.region, g.progress;
