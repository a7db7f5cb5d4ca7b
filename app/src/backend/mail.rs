//! Email goes through the `outbox` table: a request only inserts a row; a worker delivers it,
//! by SMTP (lettre) when configured or as `.eml` files in `data/outbox/` when not. A row is
//! claimed before sending so two instances never send the same mail, and a failed delivery is
//! retried with a growing delay.

use crate::backend::config::{Config, SmtpConfig};
use crate::backend::db::{Db, now_ms};
use crate::error::AppError;
use lettre::message::{Mailbox, header::ContentType};
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

/// Queues a message. Takes any executor, so a change and the mail about it commit together.
pub async fn enqueue<'e, E>(
    ex: E,
    to: &str,
    subject: &str,
    body_text: &str,
) -> Result<i64, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let now = now_ms();
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO outbox (to_addr, subject, body_text, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(to)
    .bind(subject)
    .bind(body_text)
    .bind(now)
    .fetch_one(ex)
    .await?;
    Ok(id)
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
        let message = Message::builder()
            .from(self.from.clone())
            .to(row.to_addr.parse()?)
            .subject(row.subject.clone())
            .message_id(Some(format!("<outbox-{}@tandem>", row.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(row.body_text.clone())?;
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
    attempts: i64,
}

/// Delay before the next try after `attempts` failures: 30 s doubling, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 8) - 1;
    (30_000i64 << exp).min(60 * 60 * 1000)
}

/// One pass over due mail. Returns how many were delivered.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<usize, MailError> {
    let now = now_ms();
    let due = sqlx::query_as::<_, OutboxRow>(
        "SELECT id, to_addr, subject, body_text, attempts FROM outbox
         WHERE (state = 'queued' AND next_attempt_at <= $1) OR (state = 'sending' AND locked_until < $1)
         ORDER BY id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(db)
    .await?;
    let mut delivered = 0;
    for row in due {
        let claimed = sqlx::query(
            "UPDATE outbox SET state = 'sending', locked_until = $1, attempts = attempts + 1
             WHERE id = $2 AND (state = 'queued' OR (state = 'sending' AND locked_until < $3))",
        )
        .bind(now_ms() + CLAIM_MS)
        .bind(row.id)
        .bind(now)
        .execute(db)
        .await?;
        if claimed.rows_affected() != 1 {
            continue; // another worker has it
        }
        match mailer.send(&row).await {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET state = 'sent', sent_at = $1, last_error = NULL WHERE id = $2")
                    .bind(now_ms())
                    .bind(row.id)
                    .execute(db)
                    .await?;
                delivered += 1;
            }
            Err(err) => {
                let attempts = row.attempts + 1;
                tracing::warn!(outbox_id = row.id, attempts, error = %err, "mail delivery failed; will retry");
                sqlx::query(
                    "UPDATE outbox SET state = 'queued', next_attempt_at = $1, last_error = $2 WHERE id = $3",
                )
                .bind(now_ms() + backoff_ms(attempts))
                .bind(err.to_string())
                .bind(row.id)
                .execute(db)
                .await?;
            }
        }
    }
    Ok(delivered)
}

/// Runs for the life of the server: delivers whenever woken, and every few seconds regardless
/// (another instance may have queued mail, or a retry may have come due).
pub async fn run_worker(db: Db, mailer: Mailer, wakeup: std::sync::Arc<tokio::sync::Notify>) {
    tracing::info!(via = %mailer.describe(), "mail worker started");
    loop {
        if let Err(err) = deliver_due(&db, &mailer).await {
            tracing::error!(error = %err, "mail worker pass failed");
        }
        tokio::select! {
            _ = wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}
