-- Apply and match: application windows and capacity on cohorts, applications, the waitlist of
-- interest, and participants' requests to end a match.

ALTER TABLE cohorts ADD COLUMN applications_open TEXT NOT NULL DEFAULT '';
ALTER TABLE cohorts ADD COLUMN applications_close TEXT NOT NULL DEFAULT '';
ALTER TABLE cohorts ADD COLUMN mentee_capacity BIGINT NOT NULL DEFAULT 50;

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    state TEXT NOT NULL DEFAULT 'submitted'
        CHECK (state IN ('submitted', 'accepted', 'waitlisted', 'declined', 'withdrawn', 'matched')),
    library_type TEXT NOT NULL,
    library_name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    years_experience BIGINT NOT NULL,
    interests TEXT NOT NULL DEFAULT '[]',
    interests_other TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    meet_ways TEXT NOT NULL DEFAULT '[]',
    hours_per_month BIGINT NOT NULL,
    hopes TEXT NOT NULL,
    -- Mentors only: how many mentees they can take, and how many they have now. The counter is
    -- what a conditional UPDATE checks, so two coordinators can never overfill a mentor.
    mentor_capacity BIGINT NOT NULL DEFAULT 0,
    active_mentees BIGINT NOT NULL DEFAULT 0,
    -- Private: seen by coordinators for matching, never by the partner.
    gender TEXT NOT NULL DEFAULT '',
    race_ethnicity TEXT NOT NULL DEFAULT '',
    wants_shared_identity BIGINT NOT NULL DEFAULT 0,
    agreed_at BIGINT NOT NULL,
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT applications_one_per_cohort UNIQUE (cohort_id, user_id),
    CONSTRAINT applications_capacity CHECK (active_mentees >= 0 AND active_mentees <= mentor_capacity OR role = 'mentee')
);
CREATE INDEX applications_cohort_idx ON applications (cohort_id, role, state);
CREATE INDEX applications_user_idx ON applications (user_id);

CREATE TABLE interest_signups (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    notified_at BIGINT,
    CONSTRAINT interest_signups_email_key UNIQUE (email)
);

CREATE TABLE end_requests (
    id INTEGER PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined')),
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT
);
CREATE INDEX end_requests_match_idx ON end_requests (match_id, state);

-- A mentee has at most one active match per cohort: the last guard against two coordinators
-- matching the same person at once.
CREATE UNIQUE INDEX matches_one_active_mentee ON matches (cohort_id, mentee_id) WHERE state = 'active';

UPDATE app_meta SET value = '2' WHERE key = 'schema';
