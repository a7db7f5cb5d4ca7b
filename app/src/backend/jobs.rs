//! Every background worker, started and stopped in one place. `tandem serve` starts them after
//! the listener is bound and stops them after the last request is answered: each worker finishes
//! the pass it is in (a mail half-sent is recorded as sent or not, never lost) and then returns.

use crate::backend::infra::signal::Shutdown;
use crate::backend::mail::outbox::{self, Mailer};
use crate::backend::state::AppState;
use crate::backend::{chat::store, mail::bulk};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A worker's run, named when it ends.
type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// The running workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: JoinSet<&'static str>,
}

impl Workers {
    /// Starts the mail worker, the program-mail worker (news and event reminders) and the
    /// unread-chat email worker.
    pub fn start(state: &AppState, mailer: Mailer) -> Workers {
        let (stop, shutdown) = Shutdown::channel();
        let mut tasks = JoinSet::new();
        let mut spawn = |name: &'static str, work: BoxFuture| {
            tasks.spawn(async move {
                work.await;
                name
            });
        };
        spawn(
            "mail",
            Box::pin(outbox::run_worker(
                state.db.clone(),
                mailer,
                state.config.mail_per_minute,
                shutdown.clone(),
            )),
        );
        spawn(
            "program mail",
            Box::pin(bulk::run_worker(
                state.db.clone(),
                state.config.clone(),
                shutdown.clone(),
            )),
        );
        spawn(
            "unread chat email",
            Box::pin(store::run_email_worker(
                state.db.clone(),
                state.config.public_url.to_string(),
                shutdown,
            )),
        );
        Workers { stop, tasks }
    }

    /// Asks every worker to stop and waits up to `grace` for them; any still running then (an
    /// SMTP conversation stuck on a slow server) is aborted, and its mail goes on the next start.
    pub async fn stop(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        let waited = tokio::time::timeout(grace, async {
            while let Some(done) = self.tasks.join_next().await {
                match done {
                    Ok(name) => tracing::info!(worker = name, "worker stopped"),
                    Err(e) => tracing::error!(error = %e, "worker ended abnormally"),
                }
            }
        })
        .await;
        if waited.is_err() {
            tracing::warn!(
                left = self.tasks.len(),
                "workers still busy after {grace:?}; aborting them"
            );
            self.tasks.abort_all();
        }
    }
}
