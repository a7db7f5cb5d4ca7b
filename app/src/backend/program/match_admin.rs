//! What coordinators do with one match beyond reading it: private notes its partners never see,
//! and an email to both partners. Also the audit log's pages.

use crate::backend::infra::db::{Db, now_ms};
use crate::backend::{infra::audit, infra::tz, mail::outbox, program::lifecycle};
use crate::error::AppError;
use crate::model::match_admin::{
    AUDIT_PAGE, AuditEntry, AuditPage, MatchNote, NOTE_MAX, SUBJECT_MAX,
};

fn text(field: &str, value: &str, max: usize, empty: &str) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::validation(field, empty));
    }
    if v.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    Ok(v.to_string())
}

/// The match's private notes, oldest first.
pub async fn notes(db: &Db, match_id: i64) -> Result<Vec<MatchNote>, AppError> {
    lifecycle::parties(db, match_id).await?;
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT n.id, u.name, n.body, n.at FROM match_notes n JOIN users u ON u.id = n.author_id
         WHERE n.match_id = $1 ORDER BY n.id",
    )
    .bind(match_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, author_name, body, at)| MatchNote {
            id,
            author_name,
            body,
            written_on: tz::today_utc(at),
        })
        .collect())
}

pub async fn add_note(db: &Db, actor_id: i64, match_id: i64, body: &str) -> Result<(), AppError> {
    let body = text("note", body, NOTE_MAX, "Write the note first.")?;
    lifecycle::parties(db, match_id).await?;
    sqlx::query("INSERT INTO match_notes (match_id, author_id, body, at) VALUES ($1, $2, $3, $4)")
        .bind(match_id)
        .bind(actor_id)
        .bind(&body)
        .bind(now_ms())
        .execute(db)
        .await?;
    Ok(())
}

/// Queues one email to each partner (each sees only their own address), and records it.
pub async fn email_partners(
    db: &Db,
    actor_id: i64,
    match_id: i64,
    subject: &str,
    body: &str,
) -> Result<usize, AppError> {
    let subject = text("subject", subject, SUBJECT_MAX, "Give the email a subject.")?;
    let body = text("message", body, NOTE_MAX, "Write the message first.")?;
    let p = lifecycle::parties(db, match_id).await?;
    let mut tx = db.begin().await?;
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT email, name FROM users WHERE id IN ($1, $2) ORDER BY id")
            .bind(p.mentor_id)
            .bind(p.mentee_id)
            .fetch_all(&mut *tx)
            .await?;
    for (email, name) in &people {
        outbox::enqueue(
            &mut *tx,
            email,
            &subject,
            &format!("Hello {name},\n\n{body}\n\n— Your program coordinator\n"),
        )
        .await?;
    }
    audit::record(
        &mut *tx,
        actor_id,
        "match.email",
        &format!("match:{match_id}"),
        &subject,
    )
    .await?;
    tx.commit().await?;
    Ok(people.len())
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
pub async fn audit_page(db: &Db, action: &str, before: Option<i64>) -> Result<AuditPage, AppError> {
    let rows: Vec<(i64, Option<String>, String, String, String, i64)> = sqlx::query_as(
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
