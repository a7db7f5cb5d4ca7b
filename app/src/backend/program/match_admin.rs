//! What coordinators do with one match beyond reading it: private notes its partners never see,
//! and an email to both partners.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::{infra::audit, infra::tz, mail::outbox, program::lifecycle};
use crate::error::AppError;
use crate::model::MatchId;
use crate::model::audit::AuditAction;
use crate::model::match_admin::{MatchNote, NOTE_MAX, SUBJECT_MAX};

fn text(field: &str, value: &str, max: usize, empty: &str) -> Result<String, AppError> {
    fields::text(field, value, max, Some(empty))
}

/// The match's private notes, oldest first.
pub async fn notes(
    db: &Db,
    _by: &Coordinator,
    match_id: MatchId,
) -> Result<Vec<MatchNote>, AppError> {
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

pub async fn add_note(
    db: &Db,
    by: &Coordinator,
    match_id: MatchId,
    body: &str,
) -> Result<(), AppError> {
    let actor_id = by.id();
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
    by: &Coordinator,
    match_id: MatchId,
    subject: &str,
    body: &str,
) -> Result<usize, AppError> {
    let actor_id = by.id();
    let subject = text("subject", subject, SUBJECT_MAX, "Give the email a subject.")?;
    fields::one_line("subject", &subject)?;
    let body = text("message", body, NOTE_MAX, "Write the message first.")?;
    let p = lifecycle::parties(db, match_id).await?;
    let mut tx = outbox::MailTx::begin(db).await?;
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT email, name FROM users WHERE id IN ($1, $2) ORDER BY id")
            .bind(p.mentor_id)
            .bind(p.mentee_id)
            .fetch_all(&mut *tx)
            .await?;
    for (email, name) in &people {
        outbox::enqueue(
            &mut tx,
            email,
            &subject,
            &format!("Hello {name},\n\n{body}\n\n— Your program coordinator\n"),
        )
        .await?;
    }
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::MatchEmail,
        &format!("match:{match_id}"),
        &subject,
    )
    .await?;
    tx.commit().await?;
    Ok(people.len())
}
