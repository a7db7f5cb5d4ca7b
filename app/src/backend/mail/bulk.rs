//! The worker behind program mail: it makes published news into each recipient's message and
//! queues event reminders. It keeps only a few hundred news messages waiting in the outbox at
//! a time, so the mail worker's pace sets the speed and memory stays flat however large the
//! program is.

use crate::backend::infra::config::Config;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::signal::Shutdown;
use crate::backend::{community::forum, community::news};
use crate::error::AppError;
use std::sync::Arc;
use std::time::Duration;

/// News messages allowed to wait in the outbox before more are made.
const BACKLOG: i64 = 200;
const PREPARE: i64 = 100;

/// One pass: reminders due, then news up to the backlog. Returns how many messages it queued.
pub async fn pass(db: &Db, config: &Config) -> Result<usize, AppError> {
    let mut queued = forum::queue_reminders(db, config, now_ms()).await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE bulk = 1 AND state IN ('queued', 'sending')",
    )
    .fetch_one(db)
    .await?;
    if waiting < BACKLOG {
        queued += news::prepare_pending(db, config, PREPARE).await?;
    }
    Ok(queued)
}

/// Runs for the life of the server: a pass whenever an issue is published, straight on while
/// a pass queued something, and every few seconds regardless (reminders come due; another
/// instance may have published).
pub async fn run_worker(db: Db, config: Arc<Config>, mut shutdown: Shutdown) {
    let mut published = news::PUBLISHED.subscribe();
    loop {
        let wait = match pass(&db, &config).await {
            Ok(0) => Duration::from_secs(5),
            Ok(n) => {
                // The mail it queued woke the mail worker as it committed (`outbox::MailTx`).
                tracing::debug!(queued = n, "program mail queued");
                Duration::from_millis(200)
            }
            Err(e) => {
                tracing::error!(error = %e, "program mail pass failed");
                Duration::from_secs(10)
            }
        };
        tokio::select! {
            _ = shutdown.requested() => return,
            _ = published.raised() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
