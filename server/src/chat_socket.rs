//! `/ws?match=ID`: the live side of the chat. The handshake checks the `Origin`, the session
//! cookie and the policy (only the match's two partners); then the page says the last message
//! number it holds, gets everything after it from the table, and from then on hears each new
//! message, typing hint and read mark of its match.
//!
//! Messages are always read from the table, after the last one this socket sent: an event that
//! arrives twice, late or never (a lagging receiver, a lost NOTIFY) cannot double or skip one.

use crate::origin;
use app::backend::auth::policy::{OnMatch, access};
use app::backend::chat::hub::Event;
use app::backend::context;
use app::backend::state::AppState;
use app::backend::{auth::sessions, chat::store};
use app::error::AppError;
use app::model::chat::{ClientFrame, ServerFrame};
use app::model::{MatchId, UserId};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// Idle sockets must be cheap (the budget is 10,000 in 300 MB): the frames here are small, so
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

#[derive(serde::Deserialize)]
pub struct WsQuery {
    #[serde(rename = "match")]
    match_id: i64,
}

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
    "This chat is open in too many windows. Close a few and reload this one.";

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_string()).into_response()
}

pub async fn upgrade(
    State(state): State<AppState>,
    Query(q): Query<WsQuery>,
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
    let (talk, token) = match admit(&state, &headers, q.match_id).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    // Taken before the upgrade, so a refusal is a plain HTTP answer the page can show.
    let Some(slot) = state.chat.open_socket(&token) else {
        tracing::warn!(
            match_id = q.match_id,
            "a session asked for more chat sockets than allowed"
        );
        return refuse(StatusCode::TOO_MANY_REQUESTS, TOO_MANY_SOCKETS);
    };
    let heartbeat = state.chat.heartbeat();
    ws.read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            let match_id = talk.match_id();
            let _slot = slot;
            match run(socket, state, talk, token, heartbeat).await {
                Ok(()) | Err(SocketError::Closed(_)) => {}
                Err(e) => tracing::warn!(%match_id, error = %e, "chat socket ended with an error"),
            }
        })
}

/// The chat permit and the session token, or why not: the same step as the chat's server
/// functions (`context::match_permit`), with the user read from the handshake's cookie.
async fn admit(
    state: &AppState,
    headers: &HeaderMap,
    match_id: i64,
) -> Result<(OnMatch<access::Talk>, String), AppError> {
    let token = sessions::token_from_headers(headers, state.config.is_https())
        .ok_or(AppError::Unauthenticated)?;
    let me = sessions::resolve(&state.db, &token)
        .await?
        .map(|u| u.to_current());
    // The path carries the bare number; it becomes a `MatchId` here, as in `context::on_match`.
    let talk = context::match_permit(&state.db, me, MatchId(match_id)).await?;
    Ok((talk, token))
}

struct Conn {
    socket: WebSocket,
    state: AppState,
    talk: OnMatch<access::Talk>,
    match_id: MatchId,
    user_id: UserId,
    partner_id: UserId,
    /// The highest message number this socket has sent (or the page already held).
    last_sent: i64,
}

impl Conn {
    async fn send(&mut self, frame: &ServerFrame) -> Result<(), SocketError> {
        let text = serde_json::to_string(frame)?;
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    /// Sends every stored message after `last_sent`, in order.
    async fn catch_up(&mut self) -> Result<(), SocketError> {
        loop {
            let rows =
                store::after(&self.state.db, &self.talk, self.last_sent, CATCH_UP_BATCH).await?;
            let n = rows.len() as i64;
            for row in rows {
                let line = row.to_line(self.user_id, &self.talk.who().time_zone);
                self.last_sent = row.seq;
                self.send(&ServerFrame::Message { line }).await?;
            }
            if n < CATCH_UP_BATCH {
                return Ok(());
            }
        }
    }

    async fn on_client_frame(
        &mut self,
        text: &str,
        last_typing: &mut Option<Instant>,
    ) -> Result<(), SocketError> {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            return Ok(()); // a page from a newer version, or noise: ignore it
        };
        match frame {
            ClientFrame::Hello { .. } => {}
            ClientFrame::Typing => {
                if last_typing.is_none_or(|t| t.elapsed() >= TYPING_EVERY) {
                    *last_typing = Some(Instant::now());
                    self.state
                        .chat
                        .publish(
                            self.match_id,
                            Event::Typing {
                                user_id: self.user_id,
                            },
                        )
                        .await;
                }
            }
            ClientFrame::Read { seq } => {
                // Nobody has read what this socket has not sent them.
                let seq = seq.min(self.last_sent);
                if store::mark_read(&self.state.db, &self.talk, seq).await? {
                    self.state
                        .chat
                        .publish(
                            self.match_id,
                            Event::Seen {
                                user_id: self.user_id,
                                seq,
                            },
                        )
                        .await;
                }
            }
        }
        Ok(())
    }
}

#[tracing::instrument(
    name = "chat_socket",
    skip_all,
    fields(match_id = %talk.match_id(), user_id = %talk.id())
)]
async fn run(
    socket: WebSocket,
    state: AppState,
    talk: OnMatch<access::Talk>,
    token: String,
    heartbeat: Duration,
) -> Result<(), SocketError> {
    let partner_id = talk.partner_id();
    // Subscribe before reading the backlog, so nothing sent in between is missed.
    let mut sub = state.chat.subscribe(talk.match_id());
    let mut conn = Conn {
        socket,
        state,
        match_id: talk.match_id(),
        user_id: talk.id(),
        partner_id,
        talk,
        last_sent: 0,
    };
    let after = match tokio::time::timeout(HELLO_WITHIN, conn.socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => match serde_json::from_str::<ClientFrame>(&t) {
            Ok(ClientFrame::Hello { after }) => after.max(0),
            _ => return Ok(()),
        },
        _ => return Ok(()),
    };
    conn.last_sent = after;
    conn.catch_up().await?;
    let partner_read_seq = store::read_seq(&conn.state.db, conn.match_id, partner_id).await?;
    conn.send(&ServerFrame::Live { partner_read_seq }).await?;

    let mut ping = tokio::time::interval(heartbeat);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    let mut last_typing = None;
    let mut beats = 0u32;
    loop {
        tokio::select! {
            frame = conn.socket.recv() => {
                last_heard = Instant::now();
                match frame {
                    Some(Ok(Message::Text(t))) => conn.on_client_frame(&t, &mut last_typing).await?,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Ok(()),
                    // Pongs (and pings, which axum answers) only show the peer is alive.
                    Some(Ok(_)) => {}
                }
            }
            event = sub.receiver.recv() => match event {
                Ok(Event::Message { seq }) if seq > conn.last_sent => conn.catch_up().await?,
                Ok(Event::Message { .. }) => {}
                Ok(Event::Typing { user_id }) if user_id == conn.partner_id => {
                    conn.send(&ServerFrame::Typing).await?;
                }
                Ok(Event::Seen { user_id, seq }) if user_id == conn.partner_id => {
                    conn.send(&ServerFrame::Seen { seq }).await?;
                }
                Ok(Event::Typing { .. } | Event::Seen { .. }) => {}
                // Fell behind the bounded buffer, or the instances' link was down: whatever was
                // skipped is in the table.
                Ok(Event::Resync) | Err(RecvError::Lagged(_)) => {
                    conn.catch_up().await?;
                    let seq = store::read_seq(&conn.state.db, conn.match_id, conn.partner_id).await?;
                    conn.send(&ServerFrame::Seen { seq }).await?;
                }
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
