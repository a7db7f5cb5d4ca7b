//! The contact log: either partner records a call, an email, a meeting; the match home shows the
//! latest and whether the match keeps the program's pace.

use crate::backend::auth::policy::{OnMatch, access};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::infra::tz;
use crate::backend::match_work::facts::MatchFacts;
use crate::error::AppError;
use crate::model::MatchId;
use crate::model::*;

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: i64,
    author_name: String,
    way: ContactWay,
    on_date: String,
    minutes: i64,
    note: String,
}

pub struct ContactInput<'a> {
    pub way: &'a str,
    pub on_date: &'a str,
    pub minutes: i64,
    pub note: &'a str,
}

pub async fn log(
    db: &Db,
    permit: &OnMatch<access::Work>,
    c: ContactInput<'_>,
) -> Result<i64, AppError> {
    let (actor_id, f) = (permit.id(), permit.facts());
    if !f.active() {
        return Err(AppError::Refused(
            "This match has ended; contacts can no longer be logged.".into(),
        ));
    }
    let Some(way) = ContactWay::parse(c.way) else {
        return Err(AppError::validation("way", "Choose how you were in touch."));
    };
    let on_date = tz::date_in("on_date", c.on_date)?;
    let on_date = on_date.as_str();
    if !tz::not_future(on_date, now_ms()) {
        return Err(AppError::validation(
            "on_date",
            "Log a contact once it has happened: today or earlier.",
        ));
    }
    let started = tz::today_utc(f.started_at);
    if on_date < started.as_str() {
        return Err(AppError::validation(
            "on_date",
            format!("Your match began on {started}; choose that day or later."),
        ));
    }
    if !(1..=CONTACT_MINUTES_MAX).contains(&c.minutes) {
        return Err(AppError::validation(
            "minutes",
            format!("Enter how many minutes, from 1 to {CONTACT_MINUTES_MAX}."),
        ));
    }
    let note = fields::text("note", c.note, NOTE_MAX, None)?;
    let note = note.as_str();
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(f.match_id)
    .bind(actor_id)
    .bind(way)
    .bind(on_date)
    .bind(c.minutes)
    .bind(note)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    crate::backend::match_work::goal_sheets::touch(&mut *tx, f.match_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// The latest `limit` contacts, newest first.
pub async fn recent(db: &Db, match_id: MatchId, limit: i64) -> Result<Vec<Contact>, AppError> {
    let rows = sqlx::query_as::<_, ContactRow>(
        "SELECT c.id, u.name AS author_name, c.way, c.on_date, c.minutes, c.note
         FROM contacts c JOIN users u ON u.id = c.author_id
         WHERE c.match_id = $1 ORDER BY c.on_date DESC, c.id DESC LIMIT $2",
    )
    .bind(match_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Contact {
            id: r.id,
            author_name: r.author_name,
            way: r.way,
            on_date: r.on_date,
            minutes: r.minutes,
            note: r.note,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PaceRow {
    total: i64,
    last_30: i64,
    last_date: Option<String>,
}

/// The match's pace of contact, and how many contacts it has logged in all.
pub async fn pace_of(db: &Db, f: &MatchFacts) -> Result<(Pace, i64), AppError> {
    let today = tz::today_utc(now_ms());
    let since = tz::add_days(&today, -30);
    let r = sqlx::query_as::<_, PaceRow>(
        "SELECT COUNT(*) AS total,
                COALESCE(SUM(CASE WHEN on_date > $2 THEN 1 ELSE 0 END), 0) AS last_30,
                MAX(on_date) AS last_date
         FROM contacts WHERE match_id = $1",
    )
    .bind(f.match_id)
    .bind(&since)
    .fetch_one(db)
    .await?;
    let days_matched = tz::days_between(&tz::today_utc(f.started_at), &today);
    let days_since = r.last_date.as_deref().map(|d| tz::days_between(d, &today));
    let mut p = pace(days_matched, r.last_30, days_since);
    p.last_contact = r.last_date;
    Ok((p, r.total))
}
