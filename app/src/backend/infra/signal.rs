//! Signals from requests to the background workers of the same process: "mail was queued", "an
//! issue was published", "stop". Each is a tokio `watch` channel, so a worker busy when a signal
//! is raised still sees it at its next wait, and every worker listening hears it (tests run
//! several servers in one process; a worker woken for another server's mail finds none due).

use std::sync::LazyLock;
use tokio::sync::watch;

/// A process-wide "something happened": raised by whoever made it happen, heard by the workers
/// that subscribed.
pub struct Signal(LazyLock<watch::Sender<u64>>);

impl Signal {
    pub const fn new() -> Signal {
        Signal(LazyLock::new(|| watch::channel(0).0))
    }

    pub fn raise(&self) {
        self.0.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A listener that hears what is raised from now on.
    pub fn subscribe(&self) -> Listener {
        Listener(self.0.subscribe())
    }
}

impl Default for Signal {
    fn default() -> Signal {
        Signal::new()
    }
}

pub struct Listener(watch::Receiver<u64>);

impl Listener {
    /// Resolves once the signal was raised since this listener last heard it.
    pub async fn raised(&mut self) {
        if self.0.changed().await.is_err() {
            // The sender lives in a static and is never dropped; never resolve rather than spin.
            std::future::pending::<()>().await;
        }
    }
}

/// A worker's view of the stop signal: wait on it wherever the worker would sleep.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// A stop signal and the sender that gives it.
    pub fn channel() -> (watch::Sender<bool>, Shutdown) {
        let (stop, shutdown) = watch::channel(false);
        (stop, Shutdown(shutdown))
    }

    /// A signal that never comes, for a worker a test starts and aborts itself.
    #[cfg(feature = "test-support")]
    pub fn never() -> Shutdown {
        let (stop, shutdown) = watch::channel(false);
        // The receiver would see the channel close when the sender drops; keep it open.
        std::mem::forget(stop);
        Shutdown(shutdown)
    }

    /// Resolves once a stop has been asked for (at once if it already was).
    pub async fn requested(&mut self) {
        // An error means the sender is gone, which can only happen once the workers are dropped.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `wait`; true when the sleep was cut short by a stop.
    pub async fn sleep(&mut self, wait: std::time::Duration) -> bool {
        tokio::select! {
            _ = self.requested() => true,
            _ = tokio::time::sleep(wait) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listener_hears_what_was_raised_while_it_was_busy() {
        static SIGNAL: Signal = Signal::new();
        let mut listener = SIGNAL.subscribe();
        SIGNAL.raise();
        // Raised before the wait: heard at once.
        tokio::time::timeout(std::time::Duration::from_secs(1), listener.raised())
            .await
            .unwrap();
        // Nothing raised since: the wait goes on.
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), listener.raised())
                .await
                .is_err()
        );
    }
}
