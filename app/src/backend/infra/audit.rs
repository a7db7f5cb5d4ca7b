//! The audit log's writing: who did what to which record, written in the same transaction as the
//! change. The coordinators' audit page reads it (`program::audit`).

use crate::backend::infra::db::now_ms;
use crate::error::AppError;
use crate::model::UserId;
use crate::model::audit::AuditAction;

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
