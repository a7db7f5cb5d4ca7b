//! The coordinators' audit page: the log (written by `infra::audit` with each change) read a page
//! at a time, newest first.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::Db;
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::audit::{AUDIT_PAGE, AuditAction, AuditEntry, AuditPage};

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
