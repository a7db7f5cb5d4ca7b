//! The coordinators' program overview, their home: every cohort with its head counts, and the
//! most recent matches.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::{CohortState, CohortSummary, MatchRow, MatchState, SheetState};

#[derive(sqlx::FromRow)]
struct CohortRow {
    id: i64,
    name: String,
    state: CohortState,
    program_start: String,
    program_end: String,
    mentors: i64,
    mentees: i64,
    active_matches: i64,
}

/// Every cohort with its head counts, newest first; one query with grouped counts.
pub async fn cohorts(db: &Db, _by: &Coordinator) -> Result<Vec<CohortSummary>, AppError> {
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
    state: MatchState,
    started_at: i64,
    due_days: i64,
    sheet_state: Option<String>,
    amended_by: Option<String>,
}

/// The most recent matches across the program (the full, filterable table is the dashboard's).
pub async fn recent_matches(
    db: &Db,
    _by: &Coordinator,
    limit: i64,
) -> Result<Vec<MatchRow>, AppError> {
    let rows = sqlx::query_as::<_, MatchListRow>(
        "SELECT m.id, c.name AS cohort_name, mr.name AS mentor_name, me.name AS mentee_name, m.state,
                m.started_at, c.goal_sheet_due_days AS due_days, s.state AS sheet_state, s.amended_by
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         LEFT JOIN goal_sheets s ON s.match_id = m.id
         JOIN users mr ON mr.id = m.mentor_id
         JOIN users me ON me.id = m.mentee_id
         ORDER BY m.started_at DESC, m.id DESC
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    let today = tz::today_utc(now_ms());
    Ok(rows
        .into_iter()
        .map(|r| {
            let sheet = SheetState::from_db(
                r.sheet_state.as_deref().unwrap_or("draft"),
                r.amended_by.as_deref(),
            );
            let due = tz::add_days(&tz::today_utc(r.started_at), r.due_days);
            MatchRow {
                match_id: r.id,
                cohort_name: r.cohort_name,
                mentor_name: r.mentor_name,
                mentee_name: r.mentee_name,
                sheet_overdue: r.state == MatchState::Active && !sheet.is_in() && today > due,
                sheet_state: sheet,
                state: r.state,
            }
        })
        .collect())
}
