//! Email goes through the `outbox` table: a request only inserts a row; a worker delivers it,
//! by SMTP (lettre) when configured or as `.eml` files in `data/outbox/` when not. A row is
//! claimed before sending so two instances never send the same mail, and a failed delivery is
//! retried with a growing delay.

use crate::backend::infra::config::{Config, SmtpConfig};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, flag, now_ms};
use crate::backend::infra::markdown;
use crate::backend::infra::signal::{Shutdown, Signal};
use crate::error::AppError;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("could not build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the outbox file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// How long a claimed row stays ours before another worker may take it over (a crash mid-send).
const CLAIM_MS: i64 = 2 * 60 * 1000;
const BATCH: i64 = 20;

/// A message to queue. `html` None: the HTML part is made from the text. `unsubscribe_url` set:
/// a bulk message (news, reminders), paced, with one-click unsubscribe headers.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: Option<&'a str>,
    pub unsubscribe_url: Option<&'a str>,
}

impl<'a> Outgoing<'a> {
    /// Account mail: plain text (its HTML made from it), no unsubscribe link.
    fn plain(to: &'a str, subject: &'a str, text: &'a str) -> Self {
        Outgoing {
            to,
            subject,
            text,
            html: None,
            unsubscribe_url: None,
        }
    }
}

/// Raised when mail is in the table for the worker: by an insert on its own, or by the commit of
/// the transaction that queued it.
static QUEUED: Signal = Signal::new();

/// A transaction that may queue mail. Its commit wakes the mail worker, once the mail is in the
/// table for it to see; no caller wakes the worker by hand. It reads and writes as the
/// transaction it wraps (`&mut *tx` is its connection).
pub struct MailTx(sqlx::Transaction<'static, sqlx::Any>);

impl MailTx {
    pub async fn begin(db: &Db) -> Result<MailTx, AppError> {
        Ok(MailTx(db.begin_write().await?))
    }

    pub async fn commit(self) -> Result<(), AppError> {
        self.0.commit().await?;
        QUEUED.raise();
        Ok(())
    }

    /// Nothing it queued is sent: the worker is not woken.
    pub async fn rollback(self) -> Result<(), AppError> {
        self.0.rollback().await?;
        Ok(())
    }
}

impl std::ops::Deref for MailTx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.0
    }
}

impl std::ops::DerefMut for MailTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.0
    }
}

/// Where a message is queued: on its own (`&Db`: the worker is woken at once), or with the change
/// it is about, in the same transaction (`&mut MailTx`: woken when that commits).
pub enum Queue<'a> {
    Alone(&'a Db),
    With(&'a mut MailTx),
}

impl<'a> From<&'a Db> for Queue<'a> {
    fn from(db: &'a Db) -> Self {
        Queue::Alone(db)
    }
}

impl<'a> From<&'a mut MailTx> for Queue<'a> {
    fn from(tx: &'a mut MailTx) -> Self {
        Queue::With(tx)
    }
}

/// Queues a plain message (account mail, notices).
pub async fn enqueue<'a>(
    into: impl Into<Queue<'a>>,
    to: &str,
    subject: &str,
    body_text: &str,
) -> Result<i64, AppError> {
    insert(into.into(), &Outgoing::plain(to, subject, body_text), false).await
}

/// Queues a plain message that holds a one-time secret (a reset link): its body is removed from
/// the outbox once it is delivered (`REMOVED_BODY` stays in its place).
pub async fn enqueue_secret<'a>(
    into: impl Into<Queue<'a>>,
    to: &str,
    subject: &str,
    body_text: &str,
) -> Result<i64, AppError> {
    insert(into.into(), &Outgoing::plain(to, subject, body_text), true).await
}

/// What a delivered secret-holding message's body becomes in the outbox.
pub const REMOVED_BODY: &str = "(Removed once delivered: this message held a one-time link.)";

pub async fn enqueue_mail<'a>(
    into: impl Into<Queue<'a>>,
    mail: &Outgoing<'_>,
) -> Result<i64, AppError> {
    insert(into.into(), mail, false).await
}

async fn insert(into: Queue<'_>, mail: &Outgoing<'_>, holds_secret: bool) -> Result<i64, AppError> {
    match into {
        Queue::Alone(db) => {
            let id = insert_row(db, mail, holds_secret).await?;
            QUEUED.raise();
            Ok(id)
        }
        Queue::With(tx) => insert_row(&mut **tx, mail, holds_secret).await,
    }
}

async fn insert_row<'e, E>(ex: E, mail: &Outgoing<'_>, holds_secret: bool) -> Result<i64, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let now = now_ms();
    let html = match mail.html {
        Some(h) => markdown::sanitize(h),
        None => markdown::text_to_html(mail.text),
    };
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO outbox (to_addr, subject, body_text, body_html, bulk, unsubscribe_url,
                             next_attempt_at, created_at, holds_secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
    )
    .bind(mail.to)
    .bind(mail.subject)
    .bind(mail.text)
    .bind(html)
    .bind(flag(mail.unsubscribe_url.is_some()))
    .bind(mail.unsubscribe_url.unwrap_or_default())
    .bind(now)
    .bind(flag(holds_secret))
    .fetch_one(ex)
    .await?;
    Ok(id)
}

/// The whole HTML document of a message around its (already safe) body.
fn html_document(subject: &str, body: &str, unsubscribe_url: &str) -> String {
    let footer = if unsubscribe_url.is_empty() {
        String::new()
    } else {
        format!(
            "<hr><p style=\"font-size:13px;color:#555\">You get this because you are in the mentoring program. \
             <a href=\"{}\">Unsubscribe from these emails</a>.</p>",
            markdown::escape(unsubscribe_url)
        )
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">{body}{footer}</body></html>",
        markdown::escape(subject)
    )
}

fn text_with_footer(text: &str, unsubscribe_url: &str) -> String {
    if unsubscribe_url.is_empty() {
        text.to_string()
    } else {
        format!("{text}\n\n--\nTo stop these emails: {unsubscribe_url}\n")
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config.mail_from.parse()?;
        let transport = match &config.smtp {
            Some(smtp) => Transport::Smtp(smtp_transport(smtp)?),
            None => Transport::Files(config.outbox_dir()),
        };
        Ok(Mailer { transport, from })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".into(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        }
    }

    async fn send(&self, row: &OutboxRow) -> Result<(), MailError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(row.to_addr.parse()?)
            .subject(row.subject.clone())
            // Stable per outbox row: a message sent twice (a crash between the server's "250"
            // and our record of it) is recognisably the same message.
            .message_id(Some(format!("<outbox-{}@tandem>", row.id)));
        if !row.unsubscribe_url.is_empty() {
            // RFC 2369 and RFC 8058: mail readers show an Unsubscribe button that POSTs here.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{}>", row.unsubscribe_url),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        let body_html = if row.body_html.is_empty() {
            markdown::text_to_html(&row.body_text)
        } else {
            row.body_html.clone()
        };
        let message = builder.multipart(MultiPart::alternative_plain_html(
            text_with_footer(&row.body_text, &row.unsubscribe_url),
            html_document(&row.subject, &body_html, &row.unsubscribe_url),
        ))?;
        match &self.transport {
            Transport::Smtp(t) => {
                t.send(message).await?;
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                // Named by outbox id: a retry rewrites the same file instead of adding a second.
                let path = dir.join(format!("{:08}.eml", row.id));
                let tmp = dir.join(format!(".{:08}.eml.tmp", row.id));
                tokio::fs::write(&tmp, message.formatted()).await?;
                tokio::fs::rename(&tmp, &path).await?;
            }
        }
        Ok(())
    }
}

fn smtp_transport(smtp: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let builder = match smtp.security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
    };
    let mut builder = builder
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(20)));
    if let (Some(user), Some(pass)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
    }
    Ok(builder.build())
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    to_addr: String,
    subject: String,
    body_text: String,
    body_html: String,
    unsubscribe_url: String,
    attempts: i64,
}

/// Delay before the next try after `attempts` failures: 30 s doubling, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 8) - 1;
    (30_000i64 << exp).min(60 * 60 * 1000)
}

/// SMTP conversations held at once. Each message waits on the network (and, over loopback, on
/// the mail server's delayed ACK before the final "."), so a few in flight multiply throughput;
/// a handful stays polite to a relay.
const IN_FLIGHT: usize = 8;

/// One pass over mail due at `now`: every due account message (up to a batch), and at most
/// `bulk_limit` bulk ones, `IN_FLIGHT` at a time. Stops after the first group with a failed
/// delivery (the server is likely down; the rest keep their place). Returns how many account
/// and bulk messages were delivered.
pub async fn deliver_due(
    db: &Db,
    mailer: &Mailer,
    now: i64,
    bulk_limit: i64,
) -> Result<(usize, usize), MailError> {
    let mut delivered = (0, 0);
    for (bulk, limit) in [(0, BATCH), (1, bulk_limit.min(BATCH))] {
        if limit <= 0 {
            continue;
        }
        let due = sqlx::query_as::<_, OutboxRow>(
            "SELECT id, to_addr, subject, body_text, body_html, unsubscribe_url, attempts FROM outbox
             WHERE bulk = $3 AND ((state = 'queued' AND next_attempt_at <= $1)
                                  OR (state = 'sending' AND locked_until < $1))
             ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .bind(bulk)
        .fetch_all(db)
        .await?;
        for group in due.chunks(IN_FLIGHT) {
            let results = futures_util::future::join_all(
                group.iter().map(|row| deliver_one(db, mailer, row, now)),
            )
            .await;
            let mut failed = false;
            for result in results {
                match result? {
                    Some(true) if bulk == 0 => delivered.0 += 1,
                    Some(true) => delivered.1 += 1,
                    Some(false) => failed = true,
                    None => {}
                }
            }
            if failed {
                return Ok(delivered);
            }
        }
    }
    Ok(delivered)
}

/// Claims, sends and records one row. None: another worker had it; Some(false): it failed.
async fn deliver_one(
    db: &Db,
    mailer: &Mailer,
    row: &OutboxRow,
    now: i64,
) -> Result<Option<bool>, MailError> {
    let claimed = sqlx::query(
        "UPDATE outbox SET state = 'sending', locked_until = $1, attempts = attempts + 1
         WHERE id = $2 AND (state = 'queued' OR (state = 'sending' AND locked_until < $3))",
    )
    .bind(now + CLAIM_MS)
    .bind(row.id)
    .bind(now)
    .execute(db)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    match mailer.send(row).await {
        Ok(()) => {
            // Delivered, a message keeps no secret here: a reset link's body goes, and so does
            // the unsubscribe link (the person's mail has it, `unsubscribe_tokens` its hash).
            sqlx::query(
                "UPDATE outbox SET state = 'sent', sent_at = $1, last_error = NULL,
                        body_text = CASE WHEN holds_secret = 1 THEN $3 ELSE body_text END,
                        body_html = CASE WHEN holds_secret = 1 THEN '' ELSE body_html END,
                        unsubscribe_url = ''
                 WHERE id = $2",
            )
            .bind(now_ms())
            .bind(row.id)
            .bind(REMOVED_BODY)
            .execute(db)
            .await?;
            Ok(Some(true))
        }
        Err(err) => {
            let attempts = row.attempts + 1;
            tracing::warn!(outbox_id = row.id, attempts, error = %err, "mail delivery failed; will retry");
            sqlx::query(
                "UPDATE outbox SET state = 'queued', next_attempt_at = $1, last_error = $2 WHERE id = $3",
            )
            .bind(now + backoff_ms(attempts))
            .bind(err.to_string())
            .bind(row.id)
            .execute(db)
            .await?;
            Ok(Some(false))
        }
    }
}

/// Bulk mail goes out at most `per_minute` a minute (a token bucket holding one batch), so a
/// news issue to a whole program does not trip the mail provider's limits. Account mail is
/// never held back by it.
pub struct Pace {
    per_second: f64,
    tokens: f64,
    at: std::time::Instant,
}

impl Pace {
    pub fn new(per_minute: u32) -> Pace {
        Pace {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            tokens: 1.0,
            at: std::time::Instant::now(),
        }
    }

    fn refill(&mut self) -> i64 {
        let now = std::time::Instant::now();
        let gained = now.duration_since(self.at).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + gained).min(BATCH as f64);
        self.at = now;
        self.tokens.floor() as i64
    }

    fn spend(&mut self, n: usize) {
        self.tokens -= n as f64;
    }

    /// How long until one more bulk message may go.
    fn wait(&self) -> Duration {
        Duration::from_secs_f64(((1.0 - self.tokens).max(0.0) / self.per_second).min(5.0))
    }
}

/// Runs for the life of the server: delivers whenever woken, straight on while a batch was full
/// (at the pace for bulk mail), and every few seconds regardless (another instance may have
/// queued mail, or a retry may have come due).
pub async fn run_worker(db: Db, mailer: Mailer, per_minute: u32, mut shutdown: Shutdown) {
    tracing::info!(via = %mailer.describe(), per_minute, "mail worker started");
    let mut queued = QUEUED.subscribe();
    let mut pace = Pace::new(per_minute);
    loop {
        let allowance = pace.refill();
        let mut again = None;
        match deliver_due(&db, &mailer, now_ms(), allowance).await {
            Ok((account, bulk)) => {
                pace.spend(bulk);
                if account as i64 == BATCH {
                    again = Some(Duration::ZERO);
                } else if bulk as i64 >= allowance && bulk_waiting(&db).await {
                    again = Some(pace.wait());
                }
            }
            Err(err) => tracing::error!(error = %err, "mail worker pass failed"),
        }
        let stop = match again {
            Some(wait) => shutdown.sleep(wait).await,
            None => {
                tokio::select! {
                    _ = shutdown.requested() => true,
                    _ = queued.raised() => false,
                    _ = tokio::time::sleep(Duration::from_secs(5)) => false,
                }
            }
        };
        if stop {
            return;
        }
    }
}

/// Whether bulk mail is due now (so the worker keeps going at its pace instead of sleeping).
async fn bulk_waiting(db: &Db) -> bool {
    sqlx::query_scalar::<_, i64>(
        "SELECT id FROM outbox WHERE bulk = 1 AND state = 'queued' AND next_attempt_at <= $1 LIMIT 1",
    )
    .bind(now_ms())
    .fetch_optional(db)
    .await
    .map(|r| r.is_some())
    .unwrap_or(false)
}
