//! `/ws`: the live connection, one per signed-in page for the whole visit (the header's island
//! opens it; the navigator keeps that island across pages). The handshake checks the `Origin`,
//! the session cookie and the policy: a participant listens to their own active matches and the
//! program, a coordinator with two-step sign-in to the coordinators' changes; anyone else is
//! refused before the upgrade.
//!
//! A participant's socket sends their chat badge (where the link goes, how many messages wait)
//! first and whenever it changes, and a notice when the partner submits or confirms the goal
//! sheet or a news issue is published. When the chat page is open it says so (`Open`, with the
//! last message number it holds, checked against the policy like every chat request: only the
//! match's two partners); the socket sends everything after that number from the table, then
//! the match's new messages, typing hints and read marks until the page says `Leave`.
//!
//! Messages are always read from the table, after the last one this socket sent: an event that
//! arrives twice, late or never (a lagging receiver, a lost NOTIFY) cannot double or skip one.
//! A coordinator's socket hears what changed (a kind and a match id), never what anyone wrote.

use crate::origin;
use app::backend::auth::policy::{self, Coordinator, OnMatch, Participant, access};
use app::backend::auth::users;
use app::backend::chat::hub::{Event, Subscription, Topic};
use app::backend::context;
use app::backend::state::AppState;
use app::backend::{auth::sessions, chat::store};
use app::error::AppError;
use app::model::chat::ChatBadge;
use app::model::live::{Change, ClientFrame, NoticeKind, ServerFrame, notice_text};
use app::model::{CurrentUser, MatchId, UserId};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// Idle sockets must be cheap (the budget is 10,000 in 500 MB): the frames here are small, so
/// small buffers instead of tungstenite's 128 KiB defaults.
const READ_BUFFER: usize = 4 * 1024;
const WRITE_BUFFER: usize = 0;
const MAX_MESSAGE: usize = 16 * 1024;
/// Rows read per query while catching up.
const CATCH_UP_BATCH: i64 = 200;
/// How long a new socket may take to say hello.
const HELLO_WITHIN: Duration = Duration::from_secs(10);
/// A typing hint is passed on at most this often per socket.
const TYPING_EVERY: Duration = Duration::from_secs(2);
/// Every this many heartbeats the session is looked up again, so a socket stops within about a
/// minute of its person signing out, being signed out by a password change, or being disabled.
const SESSION_EVERY_BEATS: u32 = 2;

#[derive(Debug, thiserror::Error)]
enum SocketError {
    #[error("the socket closed: {0}")]
    Closed(#[from] axum::Error),
    #[error("{0}")]
    App(#[from] AppError),
    #[error("encoding a frame: {0}")]
    Encode(#[from] serde_json::Error),
}

const TOO_MANY_SOCKETS: &str =
    "Tandem is open in too many windows. Close a few and reload this one.";

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_string()).into_response()
}

/// Who a socket listens for, as the policy granted at the handshake.
enum Listener {
    Participant(Participant),
    Coordinator(Coordinator),
}

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin on a websocket handshake; cookies ride along from any site, so
    // this is what keeps another site's page from listening in.
    let origin_header = headers
        .get(http::header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok());
    match origin_header {
        Some(o) if origin::allowed(o, &state, host) => {}
        Some(_) => return refuse(StatusCode::FORBIDDEN, origin::FOREIGN),
        None => return refuse(StatusCode::FORBIDDEN, origin::MISSING),
    }
    let (listener, token) = match admit(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    // Taken before the upgrade, so a refusal is a plain HTTP answer the page can show.
    let Some(slot) = state.live.open_socket(&token) else {
        tracing::warn!("a session asked for more live sockets than allowed");
        return refuse(StatusCode::TOO_MANY_REQUESTS, TOO_MANY_SOCKETS);
    };
    let heartbeat = state.live.heartbeat();
    ws.read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            let _slot = slot;
            let user_id = match &listener {
                Listener::Participant(p) => p.id(),
                Listener::Coordinator(c) => c.id(),
            };
            match run(socket, state, listener, token, heartbeat).await {
                Ok(()) | Err(SocketError::Closed(_)) => {}
                Err(e) => tracing::warn!(%user_id, error = %e, "live socket ended with an error"),
            }
        })
}

/// The listener and the session token, or why not. A coordinator must have two-step sign-in, as
/// for every coordinator page; everyone else signed in is a participant.
async fn admit(state: &AppState, headers: &HeaderMap) -> Result<(Listener, String), AppError> {
    let token = sessions::token_from_headers(headers, state.config.is_https())
        .ok_or(AppError::Unauthenticated)?;
    let me = sessions::resolve(&state.db, &token)
        .await?
        .map(|u| u.to_current())
        .ok_or(AppError::Unauthenticated)?;
    let listener = if me.is_coordinator() {
        Listener::Coordinator(policy::coordinator(Some(me))?)
    } else {
        Listener::Participant(policy::participant(Some(me))?)
    };
    Ok((listener, token))
}

/// The chat page that is open on this socket.
struct OpenChat {
    talk: OnMatch<access::Talk>,
    /// The highest message number this socket has sent (or the page already held).
    last_sent: i64,
    last_typing: Option<Instant>,
}

struct Conn {
    socket: WebSocket,
    state: AppState,
    listener: Listener,
    subs: Vec<Subscription>,
    /// The badge last sent, so an unchanged one is not sent again.
    badge: Option<ChatBadge>,
    chat: Option<OpenChat>,
}

impl Conn {
    async fn send(&mut self, frame: &ServerFrame) -> Result<(), SocketError> {
        let text = serde_json::to_string(frame)?;
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    fn me(&self) -> &CurrentUser {
        match &self.listener {
            Listener::Participant(p) => p.who(),
            Listener::Coordinator(c) => c.who(),
        }
    }

    fn listens_to(&self, topic: Topic) -> bool {
        self.subs.iter().any(|s| s.topic == topic)
    }

    fn listen(&mut self, topic: Topic) {
        if !self.listens_to(topic) {
            self.subs.push(self.state.live.subscribe(topic));
        }
    }

    /// Sends the participant's chat badge when it changed since the last one sent.
    async fn send_badge(&mut self) -> Result<(), SocketError> {
        let Listener::Participant(me) = &self.listener else {
            return Ok(());
        };
        let (badge, _) = store::nav_and_matches(&self.state.db, me).await?;
        if self.badge.as_ref() != Some(&badge) {
            self.badge = Some(badge.clone());
            self.send(&ServerFrame::Unread { badge }).await?;
        }
        Ok(())
    }

    /// Sends every stored message of the open chat after what it last sent, in order.
    async fn catch_up(&mut self) -> Result<(), SocketError> {
        let Some(chat) = self.chat.as_mut() else {
            return Ok(());
        };
        let match_id = chat.talk.match_id().get();
        loop {
            let rows =
                store::after(&self.state.db, &chat.talk, chat.last_sent, CATCH_UP_BATCH).await?;
            let n = rows.len() as i64;
            for row in rows {
                let line = row.to_line(chat.talk.id(), &chat.talk.who().time_zone);
                chat.last_sent = row.seq;
                let text = serde_json::to_string(&ServerFrame::Message { match_id, line })?;
                self.socket.send(Message::text(text)).await?;
            }
            if n < CATCH_UP_BATCH {
                return Ok(());
            }
        }
    }

    /// The chat page opened: check the policy, catch up, and go live.
    async fn open_chat(&mut self, match_id: i64, after: i64) -> Result<(), SocketError> {
        self.chat = None;
        // The same step as the chat's server functions: the policy says only the match's two
        // partners (a coordinator is refused, as on the chat's pages).
        let me = self.me().clone();
        let talk = match context::match_permit::<access::Talk>(
            &self.state.db,
            Some(me),
            MatchId(match_id),
        )
        .await
        {
            Ok(talk) => talk,
            Err(e @ (AppError::Forbidden | AppError::NotFound | AppError::Unauthenticated)) => {
                tracing::info!(
                    match_id,
                    "a live socket asked for a chat that is not theirs"
                );
                return self
                    .send(&ServerFrame::Refused {
                        match_id,
                        message: e.to_string(),
                    })
                    .await;
            }
            Err(e) => return Err(e.into()),
        };
        // Subscribe before reading the backlog, so nothing sent in between is missed.
        self.listen(Topic::Match(talk.match_id()));
        let partner_id = talk.partner_id();
        self.chat = Some(OpenChat {
            talk,
            last_sent: after.max(0),
            last_typing: None,
        });
        self.catch_up().await?;
        let partner_read_seq =
            store::read_seq(&self.state.db, MatchId(match_id), partner_id).await?;
        self.send(&ServerFrame::Live {
            match_id,
            partner_read_seq,
        })
        .await
    }

    async fn on_client_frame(&mut self, text: &str) -> Result<(), SocketError> {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            return Ok(()); // a page from a newer version, or noise: ignore it
        };
        match frame {
            ClientFrame::Hello => {}
            ClientFrame::Open { match_id, after } => self.open_chat(match_id, after).await?,
            ClientFrame::Leave => self.chat = None,
            ClientFrame::Typing => {
                let Some(chat) = self.chat.as_mut() else {
                    return Ok(());
                };
                if chat.last_typing.is_none_or(|t| t.elapsed() >= TYPING_EVERY) {
                    chat.last_typing = Some(Instant::now());
                    let (match_id, user_id) = (chat.talk.match_id(), chat.talk.id());
                    self.state
                        .live
                        .publish(match_id, Event::Typing { user_id })
                        .await;
                }
            }
            ClientFrame::Read { seq } => {
                let Some(chat) = self.chat.as_ref() else {
                    return Ok(());
                };
                // Nobody has read what this socket has not sent them.
                let seq = seq.min(chat.last_sent);
                let (match_id, user_id) = (chat.talk.match_id(), chat.talk.id());
                if store::mark_read(&self.state.db, &chat.talk, seq).await? {
                    self.state
                        .live
                        .publish(match_id, Event::Seen { user_id, seq })
                        .await;
                }
            }
        }
        Ok(())
    }

    /// The open chat's match and its partner, when `topic` is that match.
    fn open_on(&self, topic: Topic) -> Option<(i64, UserId)> {
        let chat = self.chat.as_ref()?;
        (topic == Topic::Match(chat.talk.match_id()))
            .then(|| (chat.talk.match_id().get(), chat.talk.partner_id()))
    }

    async fn on_event(&mut self, topic: Topic, event: Event) -> Result<(), SocketError> {
        let me = self.me().id;
        let open = self.open_on(topic);
        match event {
            Event::Message { seq } => {
                if self.chat.as_ref().is_some_and(|c| seq > c.last_sent) && open.is_some() {
                    self.catch_up().await?;
                }
                self.send_badge().await?;
            }
            Event::Typing { user_id } => {
                if let Some((match_id, partner)) = open
                    && user_id == partner
                {
                    self.send(&ServerFrame::Typing { match_id }).await?;
                }
            }
            Event::Seen { user_id, seq } => {
                if let Some((match_id, partner)) = open
                    && user_id == partner
                {
                    self.send(&ServerFrame::Seen { match_id, seq }).await?;
                }
                if user_id == me {
                    // Read here or in another tab: the count goes down everywhere.
                    self.send_badge().await?;
                }
            }
            Event::Notice { by, kind } => {
                if let Topic::Match(match_id) = topic
                    && by != me
                {
                    let name = users::find_by_id(&self.state.db, by)
                        .await?
                        .map(|u| store::first_name(&u.name))
                        .unwrap_or_default();
                    self.send(&ServerFrame::Notice {
                        kind,
                        text: notice_text(kind, &name),
                        href: format!("/match/{match_id}/goals"),
                    })
                    .await?;
                }
            }
            Event::News { issue_id } => {
                let kind = NoticeKind::News;
                self.send(&ServerFrame::Notice {
                    kind,
                    text: notice_text(kind, ""),
                    href: format!("/news/{issue_id}"),
                })
                .await?;
            }
            Event::Changed { what, match_id } => {
                self.send(&ServerFrame::Changed {
                    what,
                    match_id: match_id.map(MatchId::get),
                })
                .await?;
            }
            Event::Resync => self.resync(open.map(|(_, partner)| partner)).await?,
        }
        Ok(())
    }

    /// Fell behind a bounded buffer, or the instances' link was down: whatever was skipped is in
    /// the tables.
    async fn resync(&mut self, open_partner: Option<UserId>) -> Result<(), SocketError> {
        match &self.listener {
            Listener::Coordinator(_) => {
                self.send(&ServerFrame::Changed {
                    what: Change::Several,
                    match_id: None,
                })
                .await
            }
            Listener::Participant(_) => {
                if let (Some(partner), Some(match_id)) =
                    (open_partner, self.chat.as_ref().map(|c| c.talk.match_id()))
                {
                    self.catch_up().await?;
                    let seq = store::read_seq(&self.state.db, match_id, partner).await?;
                    self.send(&ServerFrame::Seen {
                        match_id: match_id.get(),
                        seq,
                    })
                    .await?;
                }
                self.send_badge().await
            }
        }
    }
}

/// The next event of any topic the socket listens to (never, when it listens to none).
async fn next_event(subs: &mut [Subscription]) -> (Topic, Result<Event, RecvError>) {
    if subs.is_empty() {
        return std::future::pending().await;
    }
    // `recv` is cancel-safe: a receiver that loses the race keeps its event for the next turn.
    let waits = subs.iter_mut().map(|s| {
        let topic = s.topic;
        Box::pin(async move { (topic, s.receiver.recv().await) })
    });
    futures_util::future::select_all(waits).await.0
}

#[tracing::instrument(name = "live_socket", skip_all, fields(user_id = tracing::field::Empty))]
async fn run(
    socket: WebSocket,
    state: AppState,
    listener: Listener,
    token: String,
    heartbeat: Duration,
) -> Result<(), SocketError> {
    let user_id = match &listener {
        Listener::Participant(p) => p.id(),
        Listener::Coordinator(c) => c.id(),
    };
    tracing::Span::current().record("user_id", tracing::field::display(user_id));
    // Subscribe before reading anything, so nothing that happens in between is missed.
    let mut subs = Vec::new();
    let matches = match &listener {
        Listener::Participant(me) => {
            subs.push(state.live.subscribe(Topic::Program));
            store::nav_and_matches(&state.db, me).await?.1
        }
        Listener::Coordinator(_) => {
            subs.push(state.live.subscribe(Topic::Coordinators));
            Vec::new()
        }
    };
    subs.extend(matches.into_iter().map(|m| state.live.subscribe(m)));
    let mut conn = Conn {
        socket,
        state,
        listener,
        subs,
        badge: None,
        chat: None,
    };
    match tokio::time::timeout(HELLO_WITHIN, conn.socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => match serde_json::from_str::<ClientFrame>(&t) {
            Ok(ClientFrame::Hello) => {}
            _ => return Ok(()),
        },
        _ => return Ok(()),
    }
    conn.send_badge().await?;

    let mut ping = tokio::time::interval(heartbeat);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    let mut beats = 0u32;
    loop {
        tokio::select! {
            frame = conn.socket.recv() => {
                last_heard = Instant::now();
                match frame {
                    Some(Ok(Message::Text(t))) => conn.on_client_frame(&t).await?,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Ok(()),
                    // Pongs (and pings, which axum answers) only show the peer is alive.
                    Some(Ok(_)) => {}
                }
            }
            (topic, event) = next_event(&mut conn.subs) => match event {
                Ok(event) => conn.on_event(topic, event).await?,
                Err(RecvError::Lagged(_)) => conn.on_event(topic, Event::Resync).await?,
                Err(RecvError::Closed) => return Ok(()),
            },
            _ = ping.tick() => {
                // Nothing heard for two beats (not even the pong to the last ping): the phone
                // is gone without a goodbye. Close, and let the page reconnect if it is not.
                if last_heard.elapsed() > heartbeat * 2 {
                    let _ = conn.socket.send(Message::Close(None)).await;
                    return Ok(());
                }
                beats += 1;
                if beats.is_multiple_of(SESSION_EVERY_BEATS)
                    && sessions::resolve(&conn.state.db, &token).await?.is_none()
                {
                    let _ = conn.socket.send(Message::Close(None)).await;
                    return Ok(());
                }
                conn.socket.send(Message::Ping(Default::default())).await?;
            }
        }
    }
}
