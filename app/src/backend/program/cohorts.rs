//! Cohorts: creating them, their application windows, and moving them through their states.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::{infra::audit, infra::tz, program::lifecycle};
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::{COHORT_NAME_MAX, CohortDetail, CohortForm, CohortState, CohortWindow};

/// The figures come from the kept counts (migration 0006), not from counting a cohort's
/// applications and matches: every coordinator page's cohort filter lists the cohorts.
const DETAIL_SELECT: &str =
    "SELECT c.id, c.name, c.state, c.applications_open, c.applications_close,
        c.program_start, c.program_end, c.mentee_capacity, c.goal_sheet_due_days,
        CAST(COALESCE((SELECT SUM(d.n) FROM dashboard_counts d
                       WHERE d.cohort_id = c.id AND d.metric = 'application'), 0) AS BIGINT)
            AS applications,
        CAST(COALESCE((SELECT SUM(d.n) FROM dashboard_counts d
                       WHERE d.cohort_id = c.id AND d.metric = 'match' AND d.bucket = 'active'), 0)
             AS BIGINT) AS active_matches
    FROM cohorts c";

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    name: String,
    state: CohortState,
    applications_open: String,
    applications_close: String,
    program_start: String,
    program_end: String,
    mentee_capacity: i64,
    goal_sheet_due_days: i64,
    applications: i64,
    active_matches: i64,
}

impl From<DetailRow> for CohortDetail {
    fn from(r: DetailRow) -> Self {
        CohortDetail {
            id: r.id,
            name: r.name,
            state: r.state,
            applications_open: r.applications_open,
            applications_close: r.applications_close,
            program_start: r.program_start,
            program_end: r.program_end,
            mentee_capacity: r.mentee_capacity,
            goal_sheet_due_days: r.goal_sheet_due_days,
            applications: r.applications,
            active_matches: r.active_matches,
        }
    }
}

/// A validated cohort form.
pub struct NewCohort {
    pub name: String,
    pub applications_open: String,
    pub applications_close: String,
    pub program_start: String,
    pub program_end: String,
    pub mentee_capacity: i64,
    pub goal_sheet_due_days: i64,
}

fn date_field(field: &str, value: &str) -> Result<String, AppError> {
    let v = value.trim();
    if !tz::is_date(v) {
        return Err(AppError::validation(field, "Enter a date (YYYY-MM-DD)."));
    }
    Ok(v.to_string())
}

fn number_field(field: &str, value: &str, min: i64, max: i64) -> Result<i64, AppError> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::validation(
            field,
            format!("Enter a whole number from {min} to {max}."),
        )),
    }
}

pub fn validate(form: &CohortForm) -> Result<NewCohort, AppError> {
    let name = fields::line(
        "name",
        &form.name,
        COHORT_NAME_MAX,
        Some("Give the cohort a name."),
    )?;
    let name = name.as_str();
    let applications_open = date_field("applications_open", &form.applications_open)?;
    let applications_close = date_field("applications_close", &form.applications_close)?;
    if applications_close < applications_open {
        return Err(AppError::validation(
            "applications_close",
            "Applications must close on or after the day they open.",
        ));
    }
    let program_start = date_field("program_start", &form.program_start)?;
    if program_start < applications_close {
        return Err(AppError::validation(
            "program_start",
            "The program starts after applications close.",
        ));
    }
    let program_end = date_field("program_end", &form.program_end)?;
    if program_end <= program_start {
        return Err(AppError::validation(
            "program_end",
            "The program ends after it starts.",
        ));
    }
    let mentee_capacity = number_field("mentee_capacity", &form.mentee_capacity, 1, 10_000)?;
    let goal_sheet_due_days = if form.goal_sheet_due_days.trim().is_empty() {
        30
    } else {
        number_field("goal_sheet_due_days", &form.goal_sheet_due_days, 1, 120)?
    };
    Ok(NewCohort {
        name: name.to_string(),
        applications_open,
        applications_close,
        program_start,
        program_end,
        mentee_capacity,
        goal_sheet_due_days,
    })
}

pub async fn create(db: &Db, by: &Coordinator, form: &CohortForm) -> Result<i64, AppError> {
    let actor_id = by.id();
    let c = validate(form)?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, state, applications_open, applications_close, program_start,
                              program_end, mentee_capacity, goal_sheet_due_days, created_at)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&c.name)
    .bind(&c.applications_open)
    .bind(&c.applications_close)
    .bind(&c.program_start)
    .bind(&c.program_end)
    .bind(c.mentee_capacity)
    .bind(c.goal_sheet_due_days)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::CohortCreate,
        &format!("cohort:{id}"),
        &c.name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(db: &Db, _by: &Coordinator) -> Result<Vec<CohortDetail>, AppError> {
    let rows = sqlx::query_as::<_, DetailRow>(&format!(
        "{DETAIL_SELECT} ORDER BY c.program_start DESC, c.id DESC"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<CohortDetail, AppError> {
    sqlx::query_as::<_, DetailRow>(&format!("{DETAIL_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .map(Into::into)
        .ok_or(AppError::NotFound)
}

/// Moves a cohort to `to`. Opening it tells everyone on the waitlist of interest; closing it
/// completes its active matches. The state is checked in the UPDATE itself, so two
/// coordinators pressing the same button move it once.
pub async fn set_state(
    db: &Db,
    config: &Config,
    by: &Coordinator,
    cohort_id: i64,
    to: &str,
) -> Result<(), AppError> {
    let actor_id = by.id();
    let cohort = get(db, cohort_id).await?;
    let Some(to) = CohortState::parse(to).filter(|to| cohort.state.next_states().contains(to))
    else {
        return Err(AppError::Refused(format!(
            "A cohort that is {} cannot move to {to}.",
            cohort.state.as_str()
        )));
    };
    let mut tx = crate::backend::mail::outbox::MailTx::begin(db).await?;
    let moved = sqlx::query("UPDATE cohorts SET state = $1 WHERE id = $2 AND state = $3")
        .bind(to)
        .bind(cohort_id)
        .bind(cohort.state)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if moved == 0 {
        return Err(AppError::Refused(
            "Someone else changed this cohort a moment ago. Reload to see where it is now.".into(),
        ));
    }
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::CohortState,
        &format!("cohort:{cohort_id}"),
        &format!("{} -> {}", cohort.state.as_str(), to.as_str()),
    )
    .await?;
    match to {
        CohortState::Open => {
            crate::backend::program::waitlist::notify(&mut tx, config, &cohort).await?;
        }
        CohortState::Closed => lifecycle::complete_for_cohort(&mut tx, actor_id, cohort_id).await?,
        _ => {}
    }
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct WindowRow {
    id: i64,
    name: String,
    applications_open: String,
    applications_close: String,
    program_start: String,
    program_end: String,
}

impl From<WindowRow> for CohortWindow {
    fn from(r: WindowRow) -> Self {
        CohortWindow {
            cohort_id: r.id,
            name: r.name,
            applications_open: r.applications_open,
            applications_close: r.applications_close,
            program_start: r.program_start,
            program_end: r.program_end,
        }
    }
}

const WINDOW_SELECT: &str = "SELECT id, name, applications_open, applications_close, program_start, program_end FROM cohorts";

/// The cohort taking applications on `today` (YYYY-MM-DD), if any.
pub async fn open_window(db: &Db, today: &str) -> Result<Option<CohortWindow>, AppError> {
    Ok(sqlx::query_as::<_, WindowRow>(&format!(
        "{WINDOW_SELECT} WHERE state = 'open' AND applications_open <= $1 AND applications_close >= $1
         ORDER BY applications_close, id LIMIT 1"
    ))
    .bind(today)
    .fetch_optional(db)
    .await?
    .map(Into::into))
}

/// The next announced window that has not opened yet.
pub async fn next_window(db: &Db, today: &str) -> Result<Option<CohortWindow>, AppError> {
    Ok(sqlx::query_as::<_, WindowRow>(&format!(
        "{WINDOW_SELECT} WHERE state = 'open' AND applications_open > $1
         ORDER BY applications_open, id LIMIT 1"
    ))
    .bind(today)
    .fetch_optional(db)
    .await?
    .map(Into::into))
}
