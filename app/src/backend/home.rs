//! What each person's home shows.

use crate::backend::db::{Db, now_ms, text_to_list};
use crate::backend::tz;
use crate::error::AppError;
use crate::model::{CohortSummary, MEET_WAYS, MatchRow, MyMatch, PartnerCard, label_of};

#[derive(sqlx::FromRow)]
struct MyMatchRow {
    id: i64,
    cohort_name: String,
    program_start: String,
    program_end: String,
    state: String,
    my_role: String,
    partner_name: String,
    partner_pronouns: String,
    partner_time_zone: String,
    partner_bio: String,
    library_name: Option<String>,
    library_type: Option<String>,
    job_title: Option<String>,
    meet_ways: Option<String>,
    end_requested: i64,
}

/// The active matches a person is in, from their side.
pub async fn my_matches(db: &Db, user_id: i64) -> Result<Vec<MyMatch>, AppError> {
    let rows = sqlx::query_as::<_, MyMatchRow>(
        "SELECT m.id, c.name AS cohort_name, c.program_start, c.program_end, m.state,
                CASE WHEN m.mentor_id = $1 THEN 'mentor' ELSE 'mentee' END AS my_role,
                p.name AS partner_name, p.pronouns AS partner_pronouns,
                p.time_zone AS partner_time_zone, p.bio AS partner_bio,
                a.library_name, a.library_type, a.job_title, a.meet_ways,
                (SELECT COUNT(*) FROM end_requests r
                 WHERE r.match_id = m.id AND r.state = 'pending') AS end_requested
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         JOIN users p ON p.id = CASE WHEN m.mentor_id = $1 THEN m.mentee_id ELSE m.mentor_id END
         LEFT JOIN applications a ON a.cohort_id = m.cohort_id AND a.user_id = p.id
         WHERE (m.mentor_id = $1 OR m.mentee_id = $1) AND m.state = 'active'
         ORDER BY m.started_at DESC, m.id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    let now = now_ms();
    Ok(rows
        .into_iter()
        .map(|r| MyMatch {
            match_id: r.id,
            cohort_name: r.cohort_name,
            my_role: r.my_role,
            partner: PartnerCard {
                utc_offset_minutes: tz::offset_minutes(&r.partner_time_zone, now).unwrap_or(0),
                name: r.partner_name,
                pronouns: r.partner_pronouns,
                time_zone: r.partner_time_zone,
                bio: r.partner_bio,
                library_name: r.library_name.unwrap_or_default(),
                library_type: r.library_type.unwrap_or_default(),
                job_title: r.job_title.unwrap_or_default(),
                meet_ways: text_to_list(&r.meet_ways.unwrap_or_default())
                    .iter()
                    .map(|w| label_of(MEET_WAYS, w).to_string())
                    .collect(),
            },
            program_start: r.program_start,
            program_end: r.program_end,
            state: r.state,
            end_requested: r.end_requested > 0,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CohortRow {
    id: i64,
    name: String,
    state: String,
    program_start: String,
    program_end: String,
    mentors: i64,
    mentees: i64,
    active_matches: i64,
}

/// Every cohort with its head counts, newest first; one query with grouped counts.
pub async fn cohorts(db: &Db) -> Result<Vec<CohortSummary>, AppError> {
    let rows = sqlx::query_as::<_, CohortRow>(
        "SELECT c.id, c.name, c.state, c.program_start, c.program_end,
                COUNT(DISTINCT m.mentor_id) AS mentors,
                COUNT(DISTINCT m.mentee_id) AS mentees,
                COUNT(m.id) AS active_matches
         FROM cohorts c
         LEFT JOIN matches m ON m.cohort_id = c.id AND m.state = 'active'
         GROUP BY c.id, c.name, c.state, c.program_start, c.program_end
         ORDER BY c.program_start DESC, c.id DESC",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CohortSummary {
            id: r.id,
            name: r.name,
            state: r.state,
            program_start: r.program_start,
            program_end: r.program_end,
            mentors: r.mentors,
            mentees: r.mentees,
            active_matches: r.active_matches,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct MatchListRow {
    id: i64,
    cohort_name: String,
    mentor_name: String,
    mentee_name: String,
    state: String,
}

/// The most recent matches across the program (the full, filterable table is the dashboard's).
pub async fn recent_matches(db: &Db, limit: i64) -> Result<Vec<MatchRow>, AppError> {
    let rows = sqlx::query_as::<_, MatchListRow>(
        "SELECT m.id, c.name AS cohort_name, mr.name AS mentor_name, me.name AS mentee_name, m.state
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         JOIN users mr ON mr.id = m.mentor_id
         JOIN users me ON me.id = m.mentee_id
         ORDER BY m.started_at DESC, m.id DESC
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MatchRow {
            match_id: r.id,
            cohort_name: r.cohort_name,
            mentor_name: r.mentor_name,
            mentee_name: r.mentee_name,
            state: r.state,
        })
        .collect())
}
