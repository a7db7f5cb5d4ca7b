//! Who is listening to what, on this instance, and how instances tell each other: the hub
//! behind the live connection (`/ws`, `server::live_socket`).
//!
//! Listeners subscribe to topics: a match (its chat, and notices for its partners), the whole
//! program (participants: a new news issue) and the coordinators (what changed, for the
//! dashboards). Events carry numbers and words only (a message's seq, who typed, how far someone
//! read, what kind of thing changed); a socket that hears "message 12" reads the rows after what
//! it last sent from the database. So an event lost or doubled never loses or doubles a message:
//! the worst is a needless read.
//!
//! With PostgreSQL, several `tandem serve` instances share one database; each publishes its events
//! with NOTIFY and LISTENs for the others'. When the listening connection drops, notifications
//! may have been missed meanwhile, so every local listener is told to resync from the table.

use crate::backend::infra::db::{Db, Engine};
use crate::model::live::{Change, NoticeKind};
use crate::model::{MatchId, UserId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::broadcast;

/// Events one topic's listeners may be waiting for at once; a listener further behind is told it
/// lagged and resyncs from the database instead of silently skipping.
pub const CHANNEL_CAPACITY: usize = 64;
const PG_CHANNEL: &str = "tandem_chat";
/// Well inside the idle timeouts of common proxies and mobile networks (60 s and up).
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(25);

/// What a listener subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// One match: its chat, and what its partners are told about it.
    Match(MatchId),
    /// Every participant: program-wide notices.
    Program,
    /// Coordinators with two-step sign-in: what changed, for the dashboards.
    Coordinators,
}

impl From<MatchId> for Topic {
    fn from(id: MatchId) -> Topic {
        Topic::Match(id)
    }
}

impl Topic {
    fn encode(self) -> String {
        match self {
            Topic::Match(id) => format!("m{id}"),
            Topic::Program => "p".into(),
            Topic::Coordinators => "c".into(),
        }
    }

    fn decode(word: &str) -> Option<Topic> {
        match word {
            "p" => Some(Topic::Program),
            "c" => Some(Topic::Coordinators),
            _ => word
                .strip_prefix('m')?
                .parse()
                .ok()
                .map(|id| Topic::Match(MatchId(id))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Message {
        seq: i64,
    },
    Typing {
        user_id: UserId,
    },
    Seen {
        user_id: UserId,
        seq: i64,
    },
    /// On a match: `by` did something the partner is told about (the goal sheet's steps).
    Notice {
        by: UserId,
        kind: NoticeKind,
    },
    /// On the program: a news issue was published.
    News {
        issue_id: i64,
    },
    /// On the coordinators: the figures behind the dashboards changed.
    Changed {
        what: Change,
        match_id: Option<MatchId>,
    },
    /// Something may have been missed: read from the table.
    Resync,
}

impl Event {
    fn encode(&self) -> String {
        match self {
            Event::Message { seq } => format!("m:{seq}:0"),
            Event::Typing { user_id } => format!("t:{user_id}:0"),
            Event::Seen { user_id, seq } => format!("s:{user_id}:{seq}"),
            Event::Notice { by, kind } => format!("g:{by}:{}", kind.as_str()),
            Event::News { issue_id } => format!("n:{issue_id}:0"),
            Event::Changed { what, match_id } => {
                format!("d:{}:{}", match_id.map_or(0, |m| m.get()), what.as_str())
            }
            Event::Resync => "r:0:0".into(),
        }
    }

    fn decode(kind: &str, a: &str, b: &str) -> Option<Event> {
        let a: i64 = a.parse().ok()?;
        let number = || b.parse::<i64>().ok();
        match kind {
            "m" => Some(Event::Message { seq: a }),
            "t" => Some(Event::Typing { user_id: UserId(a) }),
            "s" => Some(Event::Seen {
                user_id: UserId(a),
                seq: number()?,
            }),
            "g" => Some(Event::Notice {
                by: UserId(a),
                kind: NoticeKind::parse(b)?,
            }),
            "n" => Some(Event::News { issue_id: a }),
            "d" => Some(Event::Changed {
                what: Change::parse(b)?,
                match_id: (a != 0).then_some(MatchId(a)),
            }),
            "r" => Some(Event::Resync),
            _ => None,
        }
    }
}

/// Payload: "<instance>:<topic>:<kind>:<a>:<b>".
fn parse_payload(payload: &str) -> Option<(u64, Topic, Event)> {
    let mut parts = payload.split(':');
    let instance = parts.next()?.parse().ok()?;
    let topic = Topic::decode(parts.next()?)?;
    let kind = parts.next()?;
    let a = parts.next()?;
    let b = parts.next()?;
    Some((instance, topic, Event::decode(kind, a, b)?))
}

/// Chat sockets one session may hold open on one instance: a person's tabs in one browser (each
/// device signs in with a session of its own). Each socket holds buffers and a task, so without
/// a cap one stolen or scripted session could open thousands.
pub const SOCKETS_PER_SESSION: usize = 6;

pub struct Hub {
    channels: Mutex<HashMap<Topic, broadcast::Sender<Event>>>,
    /// Open sockets per session (keyed by the session token's hash, as the table stores it).
    sockets: Mutex<HashMap<String, usize>>,
    /// Tells this instance's own notifications from the others'.
    instance: u64,
    /// Set on PostgreSQL: where NOTIFY goes.
    notify_db: Option<Db>,
    /// How often sockets ping; one silent for two beats is closed. Tests shorten it.
    heartbeat_ms: AtomicU64,
}

/// A socket's subscription to one topic. Dropping the last one frees the topic's channel, so
/// idle matches cost nothing.
pub struct Subscription {
    hub: Arc<Hub>,
    pub topic: Topic,
    pub receiver: broadcast::Receiver<Event>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = self.hub.lock();
        // Our own receiver is still alive here, hence 1.
        if channels
            .get(&self.topic)
            .is_some_and(|s| s.receiver_count() <= 1)
        {
            channels.remove(&self.topic);
        }
    }
}

/// One open socket's place in its session's count; dropping it (the socket ended) frees it.
pub struct SocketSlot {
    hub: Arc<Hub>,
    key: String,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut sockets = self.hub.sockets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = sockets.get_mut(&self.key) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                sockets.remove(&self.key);
            }
        }
    }
}

impl Hub {
    pub fn new(db: &Db, engine: Engine) -> Hub {
        Hub {
            channels: Mutex::default(),
            sockets: Mutex::default(),
            instance: rand::random(),
            notify_db: (engine == Engine::Postgres).then(|| db.clone()),
            heartbeat_ms: AtomicU64::new(DEFAULT_HEARTBEAT.as_millis() as u64),
        }
    }

    pub fn heartbeat(&self) -> Duration {
        Duration::from_millis(self.heartbeat_ms.load(Ordering::Relaxed))
    }

    /// For sockets opened from now on (tests make it short).
    #[cfg(feature = "test-support")]
    pub fn set_heartbeat(&self, every: Duration) {
        self.heartbeat_ms
            .store(every.as_millis() as u64, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Topic, broadcast::Sender<Event>>> {
        // A panic while holding this lock cannot leave the map half-changed; keep serving.
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn subscribe(self: &Arc<Self>, topic: impl Into<Topic>) -> Subscription {
        let topic = topic.into();
        let receiver = self
            .lock()
            .entry(topic)
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe();
        Subscription {
            hub: self.clone(),
            topic,
            receiver,
        }
    }

    /// A place for one more socket of the session `token`, held until the slot is dropped, or
    /// `None` when the session already holds `SOCKETS_PER_SESSION`.
    pub fn open_socket(self: &Arc<Self>, token: &str) -> Option<SocketSlot> {
        let key = crate::backend::auth::sessions::hash_token(token);
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        let open = sockets.entry(key.clone()).or_default();
        if *open >= SOCKETS_PER_SESSION {
            return None;
        }
        *open += 1;
        Some(SocketSlot {
            hub: self.clone(),
            key,
        })
    }

    /// Matches with a listener on this instance.
    #[cfg(feature = "test-support")]
    pub fn listened_matches(&self) -> usize {
        self.lock()
            .keys()
            .filter(|t| matches!(t, Topic::Match(_)))
            .count()
    }

    /// Tells this instance's listeners only. `publish` is the way in for changes; this is public so
    /// tests can flood a channel without yielding.
    pub fn deliver_local(&self, topic: impl Into<Topic>, event: Event) {
        if let Some(sender) = self.lock().get(&topic.into()) {
            // No receivers is fine: nobody on this instance listens to it.
            let _ = sender.send(event);
        }
    }

    fn resync_all(&self) {
        for sender in self.lock().values() {
            let _ = sender.send(Event::Resync);
        }
    }

    /// Tells this instance's listeners at once, and the other instances through PostgreSQL. A
    /// failed NOTIFY is logged, not returned: what it announces is stored, and the other
    /// instances' sockets catch up on their next event or reconnect.
    pub async fn publish(&self, topic: impl Into<Topic>, event: Event) {
        let topic = topic.into();
        self.deliver_local(topic, event);
        if let Some(db) = &self.notify_db {
            let payload = format!("{}:{}:{}", self.instance, topic.encode(), event.encode());
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PG_CHANNEL)
                .bind(payload)
                .execute(db)
                .await
            {
                tracing::error!(error = %e, ?topic, "live: NOTIFY failed");
            }
        }
    }

    /// Tells the coordinators' dashboards that `what` changed (in `match_id`), after the change
    /// is stored. Only kinds and ids travel: a dashboard reads its figures again.
    pub async fn tell_coordinators(&self, what: Change, match_id: Option<MatchId>) {
        self.publish(Topic::Coordinators, Event::Changed { what, match_id })
            .await;
    }

    /// Tells `by`'s partner on the match (a notice with a link) and the coordinators (a change)
    /// that `by` took a step on the goal sheet.
    pub async fn goal_sheet_step(&self, match_id: MatchId, by: UserId, step: NoticeKind) {
        self.publish(match_id, Event::Notice { by, kind: step })
            .await;
        let what = match step {
            NoticeKind::GoalSheetSubmitted => Change::GoalSheetSubmitted,
            _ => Change::GoalSheetConfirmed,
        };
        self.tell_coordinators(what, Some(match_id)).await;
    }

    /// Starts listening for the other instances' events (PostgreSQL only; a no-op otherwise).
    /// The task holds the hub weakly and ends once the hub is dropped (a test's server stopped).
    pub fn start_listener(self: &Arc<Self>, database_url: &str) {
        if self.notify_db.is_none() {
            return;
        }
        let hub = Arc::downgrade(self);
        let url = database_url.to_string();
        tokio::spawn(listen(hub, url));
    }

    fn on_notification(&self, payload: &str) {
        match parse_payload(payload) {
            Some((instance, _, _)) if instance == self.instance => {}
            Some((_, topic, event)) => self.deliver_local(topic, event),
            None => tracing::warn!(payload, "chat: unreadable notification"),
        }
    }
}

async fn listen(hub: Weak<Hub>, url: String) {
    let mut first = true;
    while hub.strong_count() > 0 {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(PG_CHANNEL).await {
                Ok(()) => {
                    if !first && let Some(h) = hub.upgrade() {
                        // Notifications sent while we were away are gone; the table is not.
                        h.resync_all();
                    }
                    first = false;
                    loop {
                        let received = listener.try_recv().await;
                        let Some(h) = hub.upgrade() else { return };
                        match received {
                            Ok(Some(n)) => h.on_notification(n.payload()),
                            // The connection dropped and PgListener reconnected: some
                            // notifications may be lost.
                            Ok(None) => h.resync_all(),
                            Err(e) => {
                                tracing::warn!(error = %e, "chat: LISTEN connection lost");
                                break;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "chat: LISTEN failed"),
            },
            Err(e) => tracing::warn!(error = %e, "chat: cannot connect to LISTEN"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        for e in [
            Event::Message { seq: 42 },
            Event::Typing { user_id: UserId(7) },
            Event::Seen {
                user_id: UserId(7),
                seq: 9,
            },
            Event::Notice {
                by: UserId(7),
                kind: NoticeKind::GoalSheetConfirmed,
            },
            Event::News { issue_id: 5 },
            Event::Changed {
                what: Change::ContactLogged,
                match_id: Some(MatchId(3)),
            },
            Event::Changed {
                what: Change::ApplicationArrived,
                match_id: None,
            },
            Event::Resync,
        ] {
            for topic in [
                Topic::Match(MatchId(3)),
                Topic::Program,
                Topic::Coordinators,
            ] {
                let p = format!("12:{}:{}", topic.encode(), e.encode());
                assert_eq!(parse_payload(&p), Some((12, topic, e)));
            }
        }
        assert_eq!(parse_payload("1:m2:x:0:0"), None);
        assert_eq!(parse_payload("1:m2:d:0:unheard_of"), None);
        assert_eq!(parse_payload("garbage"), None);
    }
}
