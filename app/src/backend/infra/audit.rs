//! The audit log: who did what to which record, written in the same transaction as the change.

use crate::backend::infra::db::now_ms;
use crate::error::AppError;

pub async fn record<'e, E>(
    ex: E,
    actor_id: i64,
    action: &str,
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
