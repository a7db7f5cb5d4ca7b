//! The Mentoring Forum's storage: events planned in a time zone and stored as an instant, RSVPs
//! with an optional capacity, questions sent in advance, attendance, the recording, the `.ics`
//! file and the day-before reminder. Who may call what is decided by the policy layer first.

use crate::backend::auth::policy::{self, Coordinator, Participant, SignedIn};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, flag, now_ms};
use crate::backend::{
    community::resources, infra::fields, infra::markdown, mail::outbox, mail::prefs,
};
use crate::error::AppError;
use crate::model::UserId;
use crate::model::forum::{
    Attendee, DESCRIPTION_MAX, EventDetail, EventForm, EventList, EventQuestion, EventSummary,
    MINUTES_MAX, QUESTION_MAX, RsvpAnswer, TITLE_MAX, URL_MAX,
};
use chrono::{LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

const MINUTE_MS: i64 = 60_000;
/// Reminders go to those going once the event is this close.
pub const REMINDER_BEFORE_MS: i64 = 24 * 60 * MINUTE_MS;

/// What the coordinator's form sends.
pub struct EventInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub time_zone: &'a str,
    pub minutes: &'a str,
    pub join_url: &'a str,
    pub capacity: &'a str,
}

/// The instant a wall-clock time in `zone` names. On the night clocks go back, a time that
/// happens twice means the first of the two; a time skipped when clocks go forward is refused.
pub fn local_start(date: &str, time: &str, zone: &str) -> Result<i64, AppError> {
    let tz: Tz = zone
        .parse()
        .map_err(|_| AppError::validation("time_zone", "Choose a time zone from the list."))?;
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("date", "Enter the date as YYYY-MM-DD."))?;
    let clock = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| AppError::validation("time", "Enter the time as HH:MM, like 14:30."))?;
    match tz.from_local_datetime(&day.and_time(clock)) {
        LocalResult::Single(t) => Ok(t.timestamp_millis()),
        LocalResult::Ambiguous(first, _) => Ok(first.timestamp_millis()),
        LocalResult::None => Err(AppError::validation(
            "time",
            format!(
                "That time does not exist in {zone} on that day: the clocks go forward. Choose a time an hour later."
            ),
        )),
    }
}

/// "Tuesday, December 15, 2026, 12:00 PM – 1:00 PM CST" in `zone` (the end's date too when it
/// falls on another day).
pub fn span_in(starts_at: i64, minutes: i64, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    let (Some(start), Some(end)) = (
        Utc.timestamp_millis_opt(starts_at).single(),
        Utc.timestamp_millis_opt(starts_at + minutes * MINUTE_MS)
            .single(),
    ) else {
        return String::new();
    };
    let (start, end) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let end_text = if start.date_naive() == end.date_naive() {
        end.format("%-I:%M %p %Z").to_string()
    } else {
        end.format("%A, %B %-d, %-I:%M %p %Z").to_string()
    };
    format!("{} – {end_text}", start.format("%A, %B %-d, %Y, %-I:%M %p"))
}

fn form_values(starts_at: i64, zone: &str) -> (String, String) {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    Utc.timestamp_millis_opt(starts_at)
        .single()
        .map(|t| {
            let local = t.with_timezone(&tz);
            (
                local.format("%Y-%m-%d").to_string(),
                local.format("%H:%M").to_string(),
            )
        })
        .unwrap_or_default()
}

struct Checked {
    title: String,
    description: String,
    starts_at: i64,
    zone: String,
    minutes: i64,
    join_url: String,
    capacity: Option<i64>,
}

fn check(input: &EventInput<'_>) -> Result<Checked, AppError> {
    let title = fields::line(
        "title",
        input.title,
        TITLE_MAX,
        Some("Give the event a title."),
    )?;
    let description = fields::text("description", input.description, DESCRIPTION_MAX, None)?;
    let starts_at = local_start(input.date, input.time, input.time_zone)?;
    let minutes = input
        .minutes
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (5..=MINUTES_MAX).contains(m))
        .ok_or_else(|| {
            AppError::validation("minutes", "Enter the length in minutes, from 5 to 1440.")
        })?;
    let join_url = fields::web_url("join_url", input.join_url, URL_MAX, false)?;
    let capacity = match input.capacity.trim() {
        "" => None,
        c => Some(c.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            AppError::validation("capacity", "Enter a number of places, or leave it empty.")
        })?),
    };
    Ok(Checked {
        title,
        description,
        starts_at,
        zone: input.time_zone.trim().to_string(),
        minutes,
        join_url,
        capacity,
    })
}

/// Creates (id 0) or changes an event. Returns its id.
pub async fn save(
    db: &Db,
    by: &Coordinator,
    id: i64,
    input: &EventInput<'_>,
) -> Result<i64, AppError> {
    let actor_id = by.id();
    let e = check(input)?;
    let now = now_ms();
    if id == 0 {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO events (title, description_md, starts_at, time_zone, minutes, join_url,
                                 capacity, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(&e.title)
        .bind(&e.description)
        .bind(e.starts_at)
        .bind(&e.zone)
        .bind(e.minutes)
        .bind(&e.join_url)
        .bind(e.capacity)
        .bind(actor_id)
        .bind(now)
        .fetch_one(db)
        .await?;
        return Ok(id);
    }
    // A new time means those going should be reminded of the new one.
    let moved = sqlx::query(
        "UPDATE event_rsvps SET reminded_at = 0
         WHERE event_id = $1 AND $2 <> (SELECT starts_at FROM events WHERE id = $1)",
    )
    .bind(id)
    .bind(e.starts_at);
    let mut tx = db.begin_write().await?;
    moved.execute(&mut *tx).await?;
    let changed = sqlx::query(
        "UPDATE events SET title = $1, description_md = $2, starts_at = $3, time_zone = $4,
                minutes = $5, join_url = $6, capacity = $7, updated_at = $8
         WHERE id = $9",
    )
    .bind(&e.title)
    .bind(&e.description)
    .bind(e.starts_at)
    .bind(&e.zone)
    .bind(e.minutes)
    .bind(&e.join_url)
    .bind(e.capacity)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    title: String,
    description_md: String,
    starts_at: i64,
    time_zone: String,
    minutes: i64,
    join_url: String,
    capacity: Option<i64>,
    recording_url: String,
    going: i64,
    maybe: i64,
    my_answer: Option<RsvpAnswer>,
}

const EVENT_COLUMNS: &str = "e.id, e.title, e.description_md, e.starts_at, e.time_zone, e.minutes,
    e.join_url, e.capacity, e.recording_url,
    (SELECT COUNT(*) FROM event_rsvps g WHERE g.event_id = e.id AND g.answer = 'going') AS going,
    (SELECT COUNT(*) FROM event_rsvps g WHERE g.event_id = e.id AND g.answer = 'maybe') AS maybe,
    (SELECT r.answer FROM event_rsvps r WHERE r.event_id = e.id AND r.user_id = $1) AS my_answer";

/// Upcoming events soonest first, past ones latest first, in the viewer's zone.
pub async fn list(db: &Db, reader: &SignedIn) -> Result<EventList, AppError> {
    let me = reader.who();
    let rows = sqlx::query_as::<_, EventRow>(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e ORDER BY e.starts_at"
    ))
    .bind(me.id)
    .fetch_all(db)
    .await?;
    let now = now_ms();
    let (mut past, upcoming): (Vec<EventRow>, Vec<EventRow>) = rows
        .into_iter()
        .partition(|e| e.starts_at + e.minutes * MINUTE_MS <= now);
    past.reverse();
    let summary = |e: EventRow| EventSummary {
        id: e.id,
        when: span_in(e.starts_at, e.minutes, &me.time_zone),
        title: e.title,
        minutes: e.minutes,
        going: e.going,
        capacity: e.capacity,
        my_answer: e.my_answer,
        has_recording: !e.recording_url.is_empty(),
    };
    Ok(EventList {
        upcoming: upcoming.into_iter().map(summary).collect(),
        past: past.into_iter().map(summary).collect(),
        zone: me.time_zone.clone(),
        can_manage: reader.coordinator().is_some(),
    })
}

/// `viewer` answers the row's "my answer" column; `None` reads the event as nobody's.
async fn row(db: &Db, viewer_id: Option<UserId>, id: i64) -> Result<EventRow, AppError> {
    sqlx::query_as::<_, EventRow>(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $2"
    ))
    .bind(viewer_id)
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn detail(db: &Db, reader: &SignedIn, id: i64) -> Result<EventDetail, AppError> {
    let me = reader.who();
    let e = row(db, Some(me.id), id).await?;
    // The coordinator's view (every question with its asker, who is going and who came, the edit
    // form) comes from the permit's coordinating grant, not the role.
    let manage = reader.coordinator().is_some();
    let can_take_part = policy::participant(Some(me.clone())).is_ok();
    let questions: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT q.id, u.name, q.body, q.answered_at FROM event_questions q
         JOIN users u ON u.id = q.user_id
         WHERE q.event_id = $1 AND ($2 = 1 OR q.user_id = $3) ORDER BY q.id",
    )
    .bind(id)
    .bind(flag(manage))
    .bind(me.id)
    .fetch_all(db)
    .await?;
    let attendees: Vec<(i64, String, RsvpAnswer, i64)> = if manage {
        sqlx::query_as(
            "SELECT u.id, u.name, r.answer, r.attended FROM event_rsvps r
             JOIN users u ON u.id = r.user_id WHERE r.event_id = $1 ORDER BY u.name, u.id",
        )
        .bind(id)
        .fetch_all(db)
        .await?
    } else {
        Vec::new()
    };
    let host_when = if e.time_zone == me.time_zone {
        String::new()
    } else {
        span_in(e.starts_at, e.minutes, &e.time_zone)
    };
    let form = manage.then(|| {
        let (date, time) = form_values(e.starts_at, &e.time_zone);
        EventForm {
            title: e.title.clone(),
            description: e.description_md.clone(),
            date,
            time,
            time_zone: e.time_zone.clone(),
            minutes: e.minutes,
            join_url: e.join_url.clone(),
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
        }
    });
    Ok(EventDetail {
        id: e.id,
        description_html: markdown::to_html(&e.description_md),
        when: span_in(e.starts_at, e.minutes, &me.time_zone),
        host_when,
        zone: e.time_zone.clone(),
        is_past: e.starts_at + e.minutes * MINUTE_MS <= now_ms(),
        title: e.title,
        minutes: e.minutes,
        join_url: e.join_url,
        capacity: e.capacity,
        going: e.going,
        maybe: e.maybe,
        my_answer: e.my_answer,
        recording_url: e.recording_url,
        can_manage: manage,
        can_take_part,
        questions: questions
            .into_iter()
            .map(|(id, asker, body, answered_at)| EventQuestion {
                id,
                asker,
                body,
                answered: answered_at != 0,
            })
            .collect(),
        attendees: attendees
            .into_iter()
            .map(|(user_id, name, answer, attended)| Attendee {
                user_id,
                name,
                answer,
                attended: attended != 0,
            })
            .collect(),
        form,
    })
}

/// Records a participant's answer. "Going" is refused once the places are taken.
pub async fn rsvp(db: &Db, by: &Participant, event_id: i64, answer: &str) -> Result<(), AppError> {
    let user_id = by.id();
    let Some(answer) = RsvpAnswer::parse(answer) else {
        return Err(AppError::validation(
            "answer",
            "Choose Going, Maybe or Not going.",
        ));
    };
    let mut tx = db.begin_write().await?;
    // Touching the event first serializes answers to it (a row lock on PostgreSQL, the write
    // lock on SQLite), so two people cannot both take the last place.
    let found = sqlx::query("UPDATE events SET updated_at = updated_at WHERE id = $1")
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
    if found.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let (starts_at, minutes, capacity, going): (i64, i64, Option<i64>, i64) = sqlx::query_as(
        "SELECT e.starts_at, e.minutes, e.capacity,
                (SELECT COUNT(*) FROM event_rsvps r
                 WHERE r.event_id = e.id AND r.answer = 'going' AND r.user_id <> $2)
         FROM events e WHERE e.id = $1",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    if starts_at + minutes * MINUTE_MS <= now_ms() {
        return Err(AppError::Refused("This event is over.".into()));
    }
    if answer == RsvpAnswer::Going && capacity.is_some_and(|c| going >= c) {
        return Err(AppError::Refused(
            "The event is full. Answer Maybe and a coordinator will tell you if a place opens."
                .into(),
        ));
    }
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE event_rsvps SET answer = $1, updated_at = $2 WHERE event_id = $3 AND user_id = $4",
    )
    .bind(answer)
    .bind(now)
    .bind(event_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO event_rsvps (event_id, user_id, answer, updated_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id)
        .bind(user_id)
        .bind(answer)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn ask(db: &Db, by: &Participant, event_id: i64, body: &str) -> Result<(), AppError> {
    let user_id = by.id();
    let body = fields::text(
        "question",
        body,
        QUESTION_MAX,
        Some("Write your question first."),
    )?;
    let e = row(db, Some(user_id), event_id).await?;
    if e.starts_at + e.minutes * MINUTE_MS <= now_ms() {
        return Err(AppError::Refused(
            "This event is over; questions are closed.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO event_questions (event_id, user_id, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(event_id)
    .bind(user_id)
    .bind(&body)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_answered(
    db: &Db,
    _by: &Coordinator,
    question_id: i64,
    answered: bool,
) -> Result<(), AppError> {
    let r = sqlx::query("UPDATE event_questions SET answered_at = $1 WHERE id = $2")
        .bind(if answered { now_ms() } else { 0 })
        .bind(question_id)
        .execute(db)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Sets the recording link (or clears it with ""), and keeps the library's entry for it.
pub async fn save_recording(
    db: &Db,
    by: &Coordinator,
    event_id: i64,
    url: &str,
) -> Result<(), AppError> {
    let url = fields::web_url("recording_url", url, URL_MAX, false)?;
    let mut tx = db.begin_write().await?;
    let title: Option<(String, String)> =
        sqlx::query_as("SELECT title, description_md FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((title, description)) = title else {
        return Err(AppError::NotFound);
    };
    sqlx::query("UPDATE events SET recording_url = $1, updated_at = $2 WHERE id = $3")
        .bind(&url)
        .bind(now_ms())
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
    resources::keep_recording(&mut tx, by, event_id, &title, &description, &url).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks who attended among those who answered: everyone listed attended, the rest did not.
pub async fn mark_attendance(
    db: &Db,
    _by: &Coordinator,
    event_id: i64,
    attended: &[i64],
) -> Result<usize, AppError> {
    let mut tx = db.begin_write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    sqlx::query("UPDATE event_rsvps SET attended = 0 WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
    let mut marked = 0;
    for user_id in attended {
        let r =
            sqlx::query("UPDATE event_rsvps SET attended = 1 WHERE event_id = $1 AND user_id = $2")
                .bind(event_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        marked += r.rows_affected() as usize;
    }
    tx.commit().await?;
    Ok(marked)
}

/// The event as an iCalendar file. Times are in UTC (`...Z`), which every calendar converts to
/// its owner's zone, so it lands at the right moment wherever the reader is.
/// An event's calendar file, for anyone signed in (the forum is theirs).
pub async fn ics(
    db: &Db,
    _reader: &SignedIn,
    config: &Config,
    event_id: i64,
) -> Result<String, AppError> {
    use icalendar::{Calendar, Component, EventLike};
    let e = row(db, None, event_id).await?;
    let (Some(start), Some(end)) = (
        Utc.timestamp_millis_opt(e.starts_at).single(),
        Utc.timestamp_millis_opt(e.starts_at + e.minutes * MINUTE_MS)
            .single(),
    ) else {
        return Err(AppError::Internal);
    };
    let page = config.link(&format!("/forum/{event_id}"));
    let mut description = e.description_md.clone();
    if !e.join_url.is_empty() {
        description.push_str(&format!("\n\nJoin: {}", e.join_url));
    }
    description.push_str(&format!("\n\nEvent page: {page}"));
    let host = config.public_url.host_str().unwrap_or("tandem");
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("forum-event-{event_id}@{host}"))
        .summary(&e.title)
        .description(description.trim())
        .starts(start)
        .ends(end)
        .url(&page);
    if !e.join_url.is_empty() {
        event.location(&e.join_url);
    }
    let mut calendar = Calendar::new();
    calendar.name("Mentoring Forum").push(event.done());
    Ok(calendar.done().to_string())
}

#[derive(sqlx::FromRow)]
struct Due {
    event_id: i64,
    user_id: UserId,
    email: String,
    name: String,
    time_zone: String,
    title: String,
    starts_at: i64,
    minutes: i64,
    join_url: String,
}

/// Queues the reminder for everyone going to an event that starts within a day of `now`, who
/// wants reminders and has not had one for this time. Claiming `reminded_at` and queueing the
/// mail commit together, so two instances send one. Returns how many were queued.
pub async fn queue_reminders(db: &Db, config: &Config, now: i64) -> Result<usize, AppError> {
    let due = sqlx::query_as::<_, Due>(
        "SELECT r.event_id, r.user_id, u.email, u.name, u.time_zone, e.title, e.starts_at,
                e.minutes, e.join_url
         FROM event_rsvps r JOIN events e ON e.id = r.event_id JOIN users u ON u.id = r.user_id
         WHERE r.answer = 'going' AND r.reminded_at = 0 AND e.starts_at > $1 AND e.starts_at <= $2
           AND u.reminder_email = 1 AND u.disabled = 0
         ORDER BY r.event_id, r.user_id LIMIT 500",
    )
    .bind(now)
    .bind(now + REMINDER_BEFORE_MS)
    .fetch_all(db)
    .await?;
    let mut queued = 0;
    for d in due {
        let mut tx = outbox::MailTx::begin(db).await?;
        let claimed = sqlx::query(
            "UPDATE event_rsvps SET reminded_at = $1
             WHERE event_id = $2 AND user_id = $3 AND reminded_at = 0 AND answer = 'going'",
        )
        .bind(now)
        .bind(d.event_id)
        .bind(d.user_id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let unsubscribe = prefs::unsubscribe_url(&mut tx, config, d.user_id, "reminders").await?;
        let page = config.link(&format!("/forum/{}", d.event_id));
        let when = span_in(d.starts_at, d.minutes, &d.time_zone);
        let join = if d.join_url.is_empty() {
            "The join link will be on the event page.".to_string()
        } else {
            format!("Join: {}", d.join_url)
        };
        let text = format!(
            "Hello {name},\n\n\"{title}\" is coming up: {when}.\n\n{join}\n\nEvent page and your \
             questions: {page}\nAdd it to your calendar: {page}/event.ics\n\nYou said you are going. \
             If that has changed, change your answer on the event page.\n",
            name = d.name,
            title = d.title,
        );
        outbox::enqueue_mail(
            &mut tx,
            &outbox::Outgoing {
                to: &d.email,
                subject: &format!("Reminder: {} is tomorrow", d.title),
                text: &text,
                html: None,
                unsubscribe_url: Some(&unsubscribe),
            },
        )
        .await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_times_across_daylight_saving() {
        // New York, 2026: clocks go forward on March 8 (2:00 → 3:00) and back on November 1.
        let winter = local_start("2026-03-07", "12:00", "America/New_York").unwrap();
        let summer = local_start("2026-03-09", "12:00", "America/New_York").unwrap();
        // Noon both days, but 47 hours apart in real time, not 48.
        assert_eq!(summer - winter, 47 * 60 * MINUTE_MS);
        assert_eq!(
            span_in(winter, 60, "UTC"),
            "Saturday, March 7, 2026, 5:00 PM – 6:00 PM UTC"
        );
        assert_eq!(
            span_in(summer, 60, "UTC"),
            "Monday, March 9, 2026, 4:00 PM – 5:00 PM UTC"
        );
        // The skipped hour is refused beside the time field.
        let err = local_start("2026-03-08", "02:30", "America/New_York").unwrap_err();
        assert!(err.for_field("time").is_some(), "{err:?}");
        // The repeated hour means the first one (daylight time, UTC-4).
        let twice = local_start("2026-11-01", "01:30", "America/New_York").unwrap();
        assert_eq!(
            span_in(twice, 30, "UTC"),
            "Sunday, November 1, 2026, 5:30 AM – 6:00 AM UTC"
        );
        // An event that runs across the change: 1:30 EDT for two hours ends at 2:30 EST.
        assert_eq!(
            span_in(twice, 120, "America/New_York"),
            "Sunday, November 1, 2026, 1:30 AM – 2:30 AM EST"
        );
    }

    #[test]
    fn bad_fields_name_themselves() {
        assert!(
            local_start("2026-13-01", "10:00", "UTC")
                .unwrap_err()
                .for_field("date")
                .is_some()
        );
        assert!(
            local_start("2026-12-01", "25:00", "UTC")
                .unwrap_err()
                .for_field("time")
                .is_some()
        );
        assert!(
            local_start("2026-12-01", "10:00", "Mars/Olympus")
                .unwrap_err()
                .for_field("time_zone")
                .is_some()
        );
    }
}
