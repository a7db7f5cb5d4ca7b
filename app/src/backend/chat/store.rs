//! The chat's storage: messages numbered per match, how far each partner has read, the figures a
//! coordinator may see, and the unread-messages email. Who may call what is decided by the policy
//! layer before any of this runs.

use crate::backend::auth::policy::{OnMatch, Participant, SignedIn, access};
use crate::backend::auth::users;
use crate::backend::chat::hub::{Event, Hub};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, flag, now_ms};
use crate::backend::mail::outbox;
use crate::backend::match_work::facts::UNREAD_OF_M;
use crate::error::AppError;
use crate::model::chat::{
    ChatBadge, ChatFigures, ChatLine, ChatPage, MAX_CLIENT_ID, PAGE_SIZE, check_body,
};
use crate::model::{MatchId, UserId};
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub seq: i64,
    pub sender_id: UserId,
    pub client_id: String,
    pub body: String,
    pub created_at: i64,
}

impl MessageRow {
    /// The message as `viewer_id` sees it, with its day and time in `zone`.
    pub fn to_line(&self, viewer_id: UserId, zone: &str) -> ChatLine {
        let (day, time) = local_day_and_time(self.created_at, zone);
        ChatLine {
            seq: self.seq,
            mine: self.sender_id == viewer_id,
            client_id: self.client_id.clone(),
            body: self.body.clone(),
            at_ms: self.created_at,
            day,
            time,
        }
    }
}

/// "Monday, November 30" and "2:05 PM" in `zone` (UTC when the zone is unknown).
pub fn local_day_and_time(at_ms: i64, zone: &str) -> (String, String) {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    match Utc.timestamp_millis_opt(at_ms).single() {
        Some(utc) => {
            let local = utc.with_timezone(&tz);
            (
                local.format("%A, %B %-d, %Y").to_string(),
                local.format("%-I:%M %p").to_string(),
            )
        }
        None => (String::new(), String::new()),
    }
}

const COLUMNS: &str = "seq, sender_id, client_id, body, created_at";

fn check_client_id(client_id: &str) -> Result<(), AppError> {
    let ok = !client_id.is_empty()
        && client_id.len() <= MAX_CLIENT_ID
        && client_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(AppError::Refused(
            "The message could not be sent: reload the page and try again.".into(),
        ))
    }
}

async fn by_client_id<'e, E>(
    ex: E,
    match_id: MatchId,
    client_id: &str,
) -> Result<Option<MessageRow>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT {COLUMNS} FROM messages WHERE match_id = $1 AND client_id = $2"
    ))
    .bind(match_id)
    .bind(client_id)
    .fetch_optional(ex)
    .await?)
}

/// Stores a message and returns it, or returns the one already stored under `client_id` (a retry),
/// in which case the flag is false. The match must be active.
pub async fn send(
    db: &Db,
    talk: &OnMatch<access::Talk>,
    client_id: &str,
    body: &str,
) -> Result<(MessageRow, bool), AppError> {
    let (match_id, sender_id) = (talk.match_id(), talk.id());
    check_client_id(client_id)?;
    // A retry of a message that did arrive is answered without taking the write lock.
    if let Some(existing) = by_client_id(db, match_id, client_id).await? {
        return own(existing, sender_id);
    }
    let body = check_body(body).map_err(|m| AppError::validation("body", m))?;
    let now = now_ms();
    // The transaction starts with the write: SQLite takes its write lock at once (no read-then-
    // write upgrade to fail), and PostgreSQL locks the match row, so sends in one match take
    // their numbers one at a time, in commit order.
    let mut tx = db.begin_write().await?;
    let seq = sqlx::query_scalar::<_, i64>(
        "UPDATE matches SET last_message_seq = last_message_seq + 1
         WHERE id = $1 AND state = 'active' RETURNING last_message_seq",
    )
    .bind(match_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(seq) = seq else {
        tx.rollback().await?;
        return Err(AppError::Refused(
            "This match has ended, so its chat can be read but not added to.".into(),
        ));
    };
    // The same client id sent twice at once: the second waited for the lock above and now sees
    // the first's row.
    if let Some(existing) = by_client_id(&mut *tx, match_id, client_id).await? {
        tx.rollback().await?;
        return own(existing, sender_id);
    }
    sqlx::query(
        "INSERT INTO messages (match_id, seq, sender_id, client_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(match_id)
    .bind(seq)
    .bind(sender_id)
    .bind(client_id)
    .bind(body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        MessageRow {
            seq,
            sender_id,
            client_id: client_id.to_string(),
            body: body.to_string(),
            created_at: now,
        },
        true,
    ))
}

/// A client id names one sender's message: the partner's id is not a way to read or claim it.
fn own(existing: MessageRow, sender_id: UserId) -> Result<(MessageRow, bool), AppError> {
    if existing.sender_id == sender_id {
        Ok((existing, false))
    } else {
        Err(AppError::Refused(
            "The message could not be sent: reload the page and try again.".into(),
        ))
    }
}

/// Messages after `after_seq`, oldest first, at most `limit`.
pub async fn after(
    db: &Db,
    talk: &OnMatch<access::Talk>,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<MessageRow>, AppError> {
    Ok(sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT {COLUMNS} FROM messages WHERE match_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    ))
    .bind(talk.match_id())
    .bind(after_seq)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// One page of history before `before_seq` (the newest page when None), oldest first, and
/// whether older messages remain. Keyset on (match_id, seq): the same cost on page 1 and 100.
pub async fn page(
    db: &Db,
    talk: &OnMatch<access::Talk>,
    before_seq: Option<i64>,
) -> Result<(Vec<MessageRow>, bool), AppError> {
    let mut rows = sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT {COLUMNS} FROM messages WHERE match_id = $1 AND seq < $2
         ORDER BY seq DESC LIMIT $3"
    ))
    .bind(talk.match_id())
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(PAGE_SIZE + 1)
    .fetch_all(db)
    .await?;
    let has_older = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    rows.reverse();
    Ok((rows, has_older))
}

/// Records that the permit's holder has read up to `seq` (never beyond the last message, never
/// backwards). True when the mark moved, so the partner can be told.
pub async fn mark_read(db: &Db, talk: &OnMatch<access::Talk>, seq: i64) -> Result<bool, AppError> {
    let (match_id, user_id) = (talk.match_id(), talk.id());
    let done = sqlx::query(
        "INSERT INTO chat_reads (match_id, user_id, last_read_seq)
         SELECT m.id, $2, CASE WHEN $3 > m.last_message_seq THEN m.last_message_seq ELSE $3 END
         FROM matches m WHERE m.id = $1
         ON CONFLICT (match_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq
         WHERE chat_reads.last_read_seq < excluded.last_read_seq",
    )
    .bind(match_id)
    .bind(user_id)
    .bind(seq)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How far `user_id` has read in this match.
pub async fn read_seq(db: &Db, match_id: MatchId, user_id: UserId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT last_read_seq FROM chat_reads WHERE match_id = $1 AND user_id = $2",
    )
    .bind(match_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?
    .unwrap_or(0))
}

/// Where the navigation's Chat link goes and how many of the partners' messages wait unread,
/// from each active match's id and unread count.
pub fn badge(matches: &[(MatchId, i64)]) -> ChatBadge {
    let href = match matches {
        [] => String::new(),
        [(id, _)] => format!("/match/{id}/chat"),
        _ => "/home".to_string(),
    };
    ChatBadge {
        href,
        unread: matches.iter().map(|(_, n)| n).sum(),
    }
}

/// The navigation's badge and the active matches it counts: what the live connection listens to
/// and tells again after each event. Leaner than `facts::of_partner` (a page's read, which
/// carries the same count), as it runs for every open connection an event touches.
pub async fn nav_and_matches(
    db: &Db,
    me: &Participant,
) -> Result<(ChatBadge, Vec<MatchId>), AppError> {
    static NAV: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT m.id, {UNREAD_OF_M} AS unread
             FROM matches m
             LEFT JOIN chat_reads r ON r.match_id = m.id AND r.user_id = $1
             WHERE (m.mentor_id = $1 OR m.mentee_id = $1) AND m.state = 'active'
             ORDER BY m.id"
        )
    });
    let rows = sqlx::query_as::<_, (MatchId, i64)>(&NAV)
        .bind(me.id())
        .fetch_all(db)
        .await?;
    Ok((badge(&rows), rows.iter().map(|(id, _)| *id).collect()))
}

/// "Sam" of "Sam Lee": how the chat and its notices name a partner.
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// That a match talks, without what it says: for coordinators.
pub async fn activity(
    db: &Db,
    reader: &OnMatch<access::Read>,
    now: i64,
) -> Result<ChatFigures, AppError> {
    let (messages, recent, last) = sqlx::query_as::<_, (i64, i64, Option<i64>)>(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0),
                MAX(created_at)
         FROM messages WHERE match_id = $1",
    )
    .bind(reader.match_id())
    .bind(now - 30 * 86_400_000)
    .fetch_one(db)
    .await?;
    Ok(ChatFigures {
        messages,
        last_30_days: recent,
        last_message_on: last
            .map(|at| {
                Utc.timestamp_millis_opt(at)
                    .single()
                    .map(|d| d.format("%B %-d, %Y").to_string())
                    .unwrap_or_default()
            })
            .unwrap_or_default(),
    })
}

pub async fn email_enabled(db: &Db, me: &SignedIn) -> Result<bool, AppError> {
    let user_id = me.id();
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT chat_email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?
            .unwrap_or(0)
            != 0,
    )
}

pub async fn set_email_enabled(db: &Db, me: &SignedIn, on: bool) -> Result<(), AppError> {
    let user_id = me.id();
    sqlx::query("UPDATE users SET chat_email = $1 WHERE id = $2")
        .bind(flag(on))
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// A message must wait unread this long, with its reader away this long, before we email.
pub const EMAIL_AFTER_MS: i64 = 30 * 60 * 1000;
/// At most one unread-messages email per person in this long.
pub const EMAIL_EVERY_MS: i64 = 4 * 60 * 60 * 1000;

#[derive(sqlx::FromRow)]
struct Waiting {
    id: i64,
    email: String,
    name: String,
    emailed_at: i64,
    unread: i64,
}

/// Queues the unread-messages email for everyone who is due one at `now`: they want it, a
/// partner's message has waited unread for `EMAIL_AFTER_MS` and arrived after their last such
/// email, they have not been on the site meanwhile, and their last such email is
/// `EMAIL_EVERY_MS` old. Claiming `chat_emailed_at` in the same transaction as the outbox row
/// means two instances running this at once send one email. Returns how many were queued.
pub async fn queue_unread_emails(db: &Db, public_url: &str, now: i64) -> Result<usize, AppError> {
    let quiet_since = now - EMAIL_AFTER_MS;
    let waiting = sqlx::query_as::<_, Waiting>(
        "SELECT u.id, u.email, u.name, u.chat_emailed_at AS emailed_at, COUNT(*) AS unread
         FROM users u
         JOIN matches m ON (m.mentor_id = u.id OR m.mentee_id = u.id) AND m.state = 'active'
         JOIN messages msg ON msg.match_id = m.id AND msg.sender_id <> u.id
         LEFT JOIN chat_reads r ON r.match_id = m.id AND r.user_id = u.id
         WHERE u.chat_email = 1 AND u.disabled = 0
           AND u.chat_emailed_at <= $1
           AND msg.seq > COALESCE(r.last_read_seq, 0)
           AND msg.created_at > u.chat_emailed_at
           AND msg.created_at <= $2
           AND NOT EXISTS (SELECT 1 FROM sessions s
                           WHERE s.user_id = u.id AND s.last_seen_at > $2)
         GROUP BY u.id, u.email, u.name, u.chat_emailed_at",
    )
    .bind(now - EMAIL_EVERY_MS)
    .bind(quiet_since)
    .fetch_all(db)
    .await?;
    let mut queued = 0;
    let base = public_url.trim_end_matches('/');
    for w in waiting {
        let mut tx = outbox::MailTx::begin(db).await?;
        let claimed = sqlx::query(
            "UPDATE users SET chat_emailed_at = $1 WHERE id = $2 AND chat_emailed_at = $3",
        )
        .bind(now)
        .bind(w.id)
        .bind(w.emailed_at)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue; // another instance took it
        }
        let plural = if w.unread == 1 { "message" } else { "messages" };
        let body = format!(
            "Hello {name},\n\nYour mentoring partner has written, and {n} {plural} wait for you in \
             your Tandem chat.\n\nRead and reply: {base}/home\n\nYou get this email at most once \
             every few hours while messages wait. To stop these emails, untick \"Email me about \
             unread chat messages\" in your profile: {base}/profile\n",
            name = w.name,
            n = w.unread,
        );
        outbox::enqueue(
            &mut tx,
            &w.email,
            &format!("{} unread {plural} in your Tandem chat", w.unread),
            &body,
        )
        .await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Checks for due unread-messages emails every minute for the life of the server.
pub async fn run_email_worker(
    db: Db,
    public_url: String,
    mut shutdown: crate::backend::infra::signal::Shutdown,
) {
    loop {
        match queue_unread_emails(&db, &public_url, now_ms()).await {
            Ok(0) => {}
            Ok(n) => {
                // Each commit woke the mail worker (`outbox::MailTx`).
                tracing::info!(queued = n, "unread chat emails queued");
            }
            Err(e) => tracing::error!(error = %e, "unread chat email pass failed"),
        }
        if shutdown.sleep(std::time::Duration::from_secs(60)).await {
            return;
        }
    }
}

/// The newest page of the chat, for a partner opening it. Opening it counts as reading it, so
/// the partner sees "seen" and the navigation's count clears even without the live socket.
pub async fn open(db: &Db, hub: &Hub, talk: &OnMatch<access::Talk>) -> Result<ChatPage, AppError> {
    let (me, partner_id) = (talk.who(), talk.partner_id());
    let partner = users::find_by_id(db, partner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rows, has_older) = page(db, talk, None).await?;
    if let Some(last) = rows.last()
        && mark_read(db, talk, last.seq).await?
    {
        hub.publish(
            talk.match_id(),
            Event::Seen {
                user_id: me.id,
                seq: last.seq,
            },
        )
        .await;
    }
    let partner_read_seq = read_seq(db, talk.match_id(), partner_id).await?;
    Ok(ChatPage {
        match_id: talk.match_id().get(),
        partner_first_name: first_name(&partner.name),
        partner_name: partner.name,
        lines: rows
            .iter()
            .map(|r| r.to_line(me.id, &me.time_zone))
            .collect(),
        has_older,
        partner_read_seq,
        active: talk.facts().active(),
    })
}

/// Stores a partner's message and tells the match's sockets, here and on the other instances.
/// The same `client_id` again (a retry after a dropped answer) returns the stored message
/// instead of posting it twice, and is published again: if the first answer was lost, the event
/// may have been.
pub async fn post(
    db: &Db,
    hub: &Hub,
    talk: &OnMatch<access::Talk>,
    client_id: &str,
    body: &str,
) -> Result<ChatLine, AppError> {
    let me = talk.who();
    let (row, _) = send(db, talk, client_id, body).await?;
    hub.publish(talk.match_id(), Event::Message { seq: row.seq })
        .await;
    Ok(row.to_line(me.id, &me.time_zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_follow_the_readers_zone_across_daylight_saving() {
        // Chicago set its clocks back at 2 AM on 2026-11-01: 06:30 and 07:30 UTC are both
        // "1:30 AM" there, once in daylight time (UTC-5) and once in standard time (UTC-6).
        let (before, after) = (1_793_514_600_000, 1_793_518_200_000);
        let chicago = |at| local_day_and_time(at, "America/Chicago");
        assert_eq!(
            chicago(before),
            ("Sunday, November 1, 2026".into(), "1:30 AM".into())
        );
        assert_eq!(chicago(after).1, "1:30 AM");
        assert_eq!(chicago(before - 3_600_000).1, "12:30 AM");
        assert_eq!(local_day_and_time(before, "Europe/Berlin").1, "7:30 AM");
        // An unknown zone falls back to UTC rather than failing the page.
        assert_eq!(local_day_and_time(before, "Not/AZone").1, "6:30 AM");
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(check_client_id("a1b2-c3_d4").is_ok());
        assert!(check_client_id("").is_err());
        assert!(check_client_id("<script>").is_err());
        assert!(check_client_id(&"a".repeat(65)).is_err());
    }
}
