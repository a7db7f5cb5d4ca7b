//! The activities catalogue coordinators curate, and what each match plans and does from it.

use crate::backend::auth::policy::Coordinator;
use crate::backend::auth::policy::{OnMatch, access};
use crate::backend::infra::audit;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::infra::tz;
use crate::backend::match_work::facts::MatchFacts;
use crate::error::AppError;
use crate::model::MatchId;
use crate::model::audit::AuditAction;
use crate::model::*;

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    kind: ActivityKind,
    title: String,
    description: String,
}

/// The whole catalogue, grouped by kind (build, practice, discuss) then in the order added.
pub async fn catalogue(db: &Db) -> Result<Vec<Activity>, AppError> {
    let rows = sqlx::query_as::<_, ActivityRow>(
        "SELECT id, kind, title, description FROM activities
         ORDER BY CASE kind WHEN 'build' THEN 1 WHEN 'practice' THEN 2 ELSE 3 END, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Activity {
            id: r.id,
            kind: r.kind,
            title: r.title,
            description: r.description,
        })
        .collect())
}

/// Adds an activity (`id` 0) or changes one. Returns its id.
pub async fn save(
    db: &Db,
    by: &Coordinator,
    id: i64,
    kind: &str,
    title: &str,
    description: &str,
) -> Result<i64, AppError> {
    let actor_id = by.id();
    let Some(kind) = ActivityKind::parse(kind) else {
        return Err(AppError::validation(
            "kind",
            "Choose build, practice or discuss.",
        ));
    };
    let title = fields::line(
        "title",
        title,
        ACTIVITY_TITLE_MAX,
        Some("Give the activity a title."),
    )?;
    let title = title.as_str();
    let description = fields::text("description", description, ACTIVITY_TEXT_MAX, None)?;
    let description = description.as_str();
    let mut tx = db.begin_write().await?;
    let id = if id == 0 {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO activities (kind, title, description, updated_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(kind)
        .bind(title)
        .bind(description)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?
    } else {
        let n = sqlx::query(
            "UPDATE activities SET kind = $1, title = $2, description = $3, updated_at = $4
             WHERE id = $5",
        )
        .bind(kind)
        .bind(title)
        .bind(description)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(AppError::NotFound);
        }
        id
    };
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::ActivitySaved,
        &format!("activity:{id}"),
        title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct MatchActivityRow {
    id: i64,
    activity_id: i64,
    title: String,
    kind: ActivityKind,
    goal_title: Option<String>,
    state: ActivityState,
    on_date: String,
    note: String,
}

/// The match's activities: planned ones first (soonest first), then done ones (latest first).
pub async fn of_match(
    db: &Db,
    match_id: MatchId,
    limit: i64,
) -> Result<Vec<MatchActivity>, AppError> {
    let rows = sqlx::query_as::<_, MatchActivityRow>(
        "SELECT ma.id, ma.activity_id, a.title, a.kind, g.title AS goal_title, ma.state,
                ma.on_date, ma.note
         FROM match_activities ma
         JOIN activities a ON a.id = ma.activity_id
         LEFT JOIN goals g ON g.id = ma.goal_id
         WHERE ma.match_id = $1
         ORDER BY CASE ma.state WHEN 'planned' THEN 0 ELSE 1 END,
                  CASE ma.state WHEN 'planned' THEN ma.on_date END,
                  ma.on_date DESC, ma.id DESC
         LIMIT $2",
    )
    .bind(match_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MatchActivity {
            id: r.id,
            activity_id: r.activity_id,
            title: r.title,
            kind: r.kind,
            goal_title: r.goal_title,
            state: r.state,
            on_date: r.on_date,
            note: r.note,
        })
        .collect())
}

pub struct PlanInput<'a> {
    pub activity_id: i64,
    pub goal_id: i64,
    pub state: &'a str,
    pub on_date: &'a str,
    pub note: &'a str,
}

fn check_plan(f: &MatchFacts, p: &PlanInput<'_>) -> Result<(), AppError> {
    if !f.active() {
        return Err(AppError::Refused(
            "This match has ended; its activities can no longer change.".into(),
        ));
    }
    let Some(state) = ActivityState::parse(p.state) else {
        return Err(AppError::validation("state", "Choose planned or done."));
    };
    let on_date = tz::date_in("on_date", p.on_date)?;
    if state == ActivityState::Done && !tz::not_future(&on_date, now_ms()) {
        return Err(AppError::validation(
            "on_date",
            "A done activity has a date of today or earlier.",
        ));
    }
    fields::text("note", p.note, NOTE_MAX, None)?;
    Ok(())
}

/// Marks a catalogue activity as planned or done for the match, tied to one of its goals or none.
pub async fn plan(
    db: &Db,
    permit: &OnMatch<access::Work>,
    p: PlanInput<'_>,
) -> Result<i64, AppError> {
    let (actor_id, f) = (permit.id(), permit.facts());
    check_plan(f, &p)?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM activities WHERE id = $1")
        .bind(p.activity_id)
        .fetch_optional(db)
        .await?;
    if known.is_none() {
        return Err(AppError::validation(
            "activity_id",
            "Choose an activity from the list.",
        ));
    }
    let goal = goal_of_match(db, f.match_id, p.goal_id).await?;
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO match_activities (match_id, activity_id, goal_id, state, on_date, note,
                                       author_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(f.match_id)
    .bind(p.activity_id)
    .bind(goal)
    .bind(p.state)
    .bind(p.on_date.trim())
    .bind(p.note.trim())
    .bind(actor_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    crate::backend::match_work::goal_sheets::touch(&mut *tx, f.match_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks one of the match's planned activities as done on a date.
pub async fn mark_done(
    db: &Db,
    permit: &OnMatch<access::Work>,
    match_activity_id: i64,
    on_date: &str,
) -> Result<(), AppError> {
    let f = permit.facts();
    check_plan(
        f,
        &PlanInput {
            activity_id: 0,
            goal_id: 0,
            state: "done",
            on_date,
            note: "",
        },
    )?;
    let n = sqlx::query(
        "UPDATE match_activities SET state = 'done', on_date = $1, updated_at = $2
         WHERE id = $3 AND match_id = $4 AND state = 'planned'",
    )
    .bind(on_date.trim())
    .bind(now_ms())
    .bind(match_activity_id)
    .bind(f.match_id)
    .execute(db)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Refused(
            "That activity is already done, or is not one of this match's.".into(),
        ));
    }
    crate::backend::match_work::goal_sheets::touch(db, f.match_id).await
}

/// `goal_id` 0 means no goal; any other must be a goal of this match.
async fn goal_of_match(db: &Db, match_id: MatchId, goal_id: i64) -> Result<Option<i64>, AppError> {
    if goal_id == 0 {
        return Ok(None);
    }
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM goals WHERE id = $1 AND match_id = $2")
            .bind(goal_id)
            .bind(match_id)
            .fetch_optional(db)
            .await?;
    found
        .map(Some)
        .ok_or_else(|| AppError::validation("goal_id", "Choose one of your goals, or none."))
}
