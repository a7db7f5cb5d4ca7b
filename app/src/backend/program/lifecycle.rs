//! The match lifecycle: ending a match early (by a coordinator, perhaps at a participant's
//! request) and completing a cohort's matches when its program ends. Creating matches lives in
//! `matching`. Every change is written to the audit log in the same transaction.

use crate::backend::auth::policy::{Coordinator, OnMatch, access};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::{infra::audit, mail::outbox};
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::{MatchId, UserId};
use crate::model::{MatchState, REASON_MAX};

/// The two people in a match and where it stands, for the policy check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Parties {
    pub match_id: MatchId,
    pub cohort_id: i64,
    pub mentor_id: UserId,
    pub mentee_id: UserId,
    pub state: MatchState,
}

pub async fn parties(db: &Db, match_id: MatchId) -> Result<Parties, AppError> {
    sqlx::query_as::<_, Parties>(
        "SELECT id AS match_id, cohort_id, mentor_id, mentee_id, state FROM matches WHERE id = $1",
    )
    .bind(match_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

fn reason(value: &str) -> Result<String, AppError> {
    fields::text("reason", value, REASON_MAX, Some("Give a reason."))
}

/// Frees the mentee to be matched again and gives the mentor their place back.
async fn release_applications(
    tx: &mut sqlx::AnyConnection,
    p: &Parties,
    mentee_state: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE applications SET state = $1, updated_at = $2
         WHERE cohort_id = $3 AND user_id = $4 AND role = 'mentee'",
    )
    .bind(mentee_state)
    .bind(now)
    .bind(p.cohort_id)
    .bind(p.mentee_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE applications
         SET active_mentees = active_mentees - 1,
             state = CASE WHEN active_mentees - 1 = 0 THEN 'accepted' ELSE state END,
             updated_at = $1
         WHERE cohort_id = $2 AND user_id = $3 AND role = 'mentor' AND active_mentees > 0",
    )
    .bind(now)
    .bind(p.cohort_id)
    .bind(p.mentor_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Ends an active match early with a reason. The mentee can then be matched again.
pub async fn end_early(
    db: &Db,
    by: &Coordinator,
    match_id: MatchId,
    why: &str,
) -> Result<(), AppError> {
    let actor_id = by.id();
    let why = reason(why)?;
    let p = parties(db, match_id).await?;
    let mut tx = outbox::MailTx::begin(db).await?;
    let now = now_ms();
    let n = sqlx::query(
        "UPDATE matches SET state = 'ended_early', ended_at = $1, end_reason = $2
         WHERE id = $3 AND state = 'active'",
    )
    .bind(now)
    .bind(&why)
    .bind(match_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Refused("This match has already ended.".into()));
    }
    release_applications(&mut tx, &p, "accepted").await?;
    sqlx::query(
        "UPDATE end_requests SET state = 'approved', decided_by = $1, decided_at = $2
         WHERE match_id = $3 AND state = 'pending'",
    )
    .bind(actor_id)
    .bind(now)
    .bind(match_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::MatchEndEarly,
        &format!("match:{match_id}"),
        &why,
    )
    .await?;
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT email, name FROM users WHERE id IN ($1, $2)")
            .bind(p.mentor_id)
            .bind(p.mentee_id)
            .fetch_all(&mut *tx)
            .await?;
    for (email, name) in people {
        outbox::enqueue(
            &mut tx,
            &email,
            "Your match has ended",
            &format!(
                "Hello {name},\n\nYour match in the mentoring program has been ended by a coordinator.\n\nReason: {why}\n\nIf you have questions, reply to your coordinator.\n"
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A participant asks a coordinator to end their match. One open request per match.
pub async fn request_end(
    db: &Db,
    permit: &OnMatch<access::Work>,
    why: &str,
) -> Result<(), AppError> {
    let (actor_id, p) = (permit.id(), permit.facts());
    let why = reason(why)?;
    if p.state != MatchState::Active {
        return Err(AppError::Refused("This match has already ended.".into()));
    }
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO end_requests (match_id, requested_by, reason, created_at)
         SELECT $1, $2, $3, $4
         WHERE NOT EXISTS (SELECT 1 FROM end_requests WHERE match_id = $1 AND state = 'pending')",
    )
    .bind(p.match_id)
    .bind(actor_id)
    .bind(&why)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(AppError::Refused(
            "A request to end this match is already waiting for a coordinator.".into(),
        ));
    }
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::MatchRequestEnd,
        &format!("match:{}", p.match_id),
        &why,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A coordinator keeps the match going and closes the request.
pub async fn decline_request(db: &Db, by: &Coordinator, request_id: i64) -> Result<(), AppError> {
    let actor_id = by.id();
    let mut tx = db.begin_write().await?;
    let match_id: Option<i64> = sqlx::query_scalar(
        "UPDATE end_requests SET state = 'declined', decided_by = $1, decided_at = $2
         WHERE id = $3 AND state = 'pending' RETURNING match_id",
    )
    .bind(actor_id)
    .bind(now_ms())
    .bind(request_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(match_id) = match_id else {
        return Err(AppError::Refused(
            "This request has already been decided.".into(),
        ));
    };
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::MatchKeep,
        &format!("match:{match_id}"),
        &format!("declined end request {request_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The program is over: every active match of the cohort is completed.
pub async fn complete_for_cohort(
    tx: &mut sqlx::AnyConnection,
    actor_id: UserId,
    cohort_id: i64,
) -> Result<(), AppError> {
    let n = sqlx::query(
        "UPDATE matches SET state = 'completed', ended_at = $1 WHERE cohort_id = $2 AND state = 'active'",
    )
    .bind(now_ms())
    .bind(cohort_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::MatchComplete,
        &format!("cohort:{cohort_id}"),
        &format!("{n} matches completed"),
    )
    .await?;
    Ok(())
}
