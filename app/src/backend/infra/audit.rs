//! The audit log: who did what to which record, written in the same transaction as the change,
//! and read a page at a time for the coordinators' audit page.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::UserId;
use crate::model::audit::{AUDIT_PAGE, AuditAction, AuditEntry, AuditPage};

pub async fn record<'e, E>(
    ex: E,
    actor_id: UserId,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    insert(ex, Some(actor_id), action, subject, detail).await
}

/// Records something no signed-in person did (a wrong password from someone unknown): the
/// page shows it without an actor.
pub async fn record_unattributed<'e, E>(
    ex: E,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    insert(ex, None, action, subject, detail).await
}

async fn insert<'e, E>(
    ex: E,
    actor_id: Option<UserId>,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(())
}

/// Where an audit subject can be seen.
fn subject_href(subject: &str) -> String {
    match subject.split_once(':') {
        Some(("match", id)) if id.parse::<i64>().is_ok() => format!("/match/{id}"),
        Some(("application", id)) if id.parse::<i64>().is_ok() => {
            format!("/coordinator/applications/{id}")
        }
        Some(("cohort", id)) if id.parse::<i64>().is_ok() => {
            format!("/coordinator/matches?cohort={id}")
        }
        _ => String::new(),
    }
}

/// A page of the audit log, newest first, keyset by id (`before`: the last page's `older`).
pub async fn page(
    db: &Db,
    _by: &Coordinator,
    action: &str,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    let rows: Vec<(i64, Option<String>, AuditAction, String, String, i64)> = sqlx::query_as(
        "SELECT l.id, u.name, l.action, l.subject, l.detail, l.at
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
         WHERE ($1 = '' OR l.action = $1) AND ($2 = 0 OR l.id < $2)
         ORDER BY l.id DESC LIMIT $3",
    )
    .bind(action.trim())
    .bind(before.unwrap_or(0))
    .bind(AUDIT_PAGE + 1)
    .fetch_all(db)
    .await?;
    let more = rows.len() as i64 > AUDIT_PAGE;
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .take(AUDIT_PAGE as usize)
        .map(|(id, actor, action, subject, detail, at)| AuditEntry {
            id,
            actor_name: actor.unwrap_or_default(),
            subject_href: subject_href(&subject),
            action,
            subject,
            detail,
            at: tz::utc_minute(at),
        })
        .collect();
    let older = more.then(|| entries.last().map(|e| e.id)).flatten();
    let actions = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(db)
        .await?;
    Ok(AuditPage {
        entries,
        older,
        actions,
    })
}
