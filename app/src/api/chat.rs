//! The chat's server functions: open the chat, page back through it, send (idempotent by the
//! page's client id), the navigation's unread count, what coordinators may see, and the email
//! setting. Receiving live is the websocket's job (`server/src/live_socket.rs`).

use crate::error::AppError;
use crate::model::chat::{ChatBadge, ChatFigures, ChatHistory, ChatLine, ChatPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy::{self, access},
    chat::store,
    context,
};

/// The newest page of the chat. Opening it counts as reading it, so the partner sees "seen"
/// and the navigation's count clears even without the live socket.
#[server(endpoint = "load_chat", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_chat", skip_all))]
pub async fn load_chat(match_id: i64) -> Result<ChatPage, AppError> {
    context::respond(async move {
        let (state, talk) = context::on_match::<access::Talk>(match_id).await?;
        store::open(&state.db, &state.live, &talk).await
    })
    .await
}

/// The page of messages before `before_seq`.
#[server(endpoint = "older_messages", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "older_messages", skip_all)
)]
pub async fn older_messages(match_id: i64, before_seq: i64) -> Result<ChatHistory, AppError> {
    context::respond(async move {
        let (state, talk) = context::on_match::<access::Talk>(match_id).await?;
        let me = talk.who();
        let (rows, has_older) = store::page(&state.db, &talk, Some(before_seq)).await?;
        Ok(ChatHistory {
            lines: rows
                .iter()
                .map(|r| r.to_line(me.id, &me.time_zone))
                .collect(),
            has_older,
        })
    })
    .await
}

/// Stores the message before answering. The same `client_id` again (a retry after a dropped
/// answer) returns the stored message instead of posting it twice.
#[server(endpoint = "send_message", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "send_message", skip_all))]
pub async fn send_message(
    match_id: i64,
    client_id: String,
    body: String,
) -> Result<ChatLine, AppError> {
    context::respond(async move {
        let (state, talk) = context::on_match::<access::Talk>(match_id).await?;
        store::post(&state.db, &state.live, &talk, &client_id, &body).await
    })
    .await
}

/// The navigation's Chat link and unread count: nothing for visitors and coordinators.
#[server(endpoint = "chat_nav", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "chat_nav", skip_all))]
pub async fn chat_nav() -> Result<ChatBadge, AppError> {
    context::respond(async move {
        let (state, reader) = context::permit(policy::maybe_participant).await?;
        match reader {
            Some(me) => {
                let matches = context::active_matches(&state.db, me.id()).await?;
                let counts: Vec<_> = matches
                    .iter()
                    .map(|a| (a.facts.match_id, a.unread))
                    .collect();
                Ok(store::badge(&counts))
            }
            None => Ok(ChatBadge::default()),
        }
    })
    .await
}

/// How much a match talks, never what it says: for its partners and coordinators.
#[server(endpoint = "chat_activity", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "chat_activity", skip_all))]
pub async fn chat_activity(match_id: i64) -> Result<ChatFigures, AppError> {
    context::respond(async move {
        let (state, reader) = context::on_match::<access::Read>(match_id).await?;
        store::activity(&state.db, &reader, crate::backend::infra::db::now_ms()).await
    })
    .await
}

/// Whether the signed-in person gets the unread-messages email.
#[server(endpoint = "chat_email_setting", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "chat_email_setting", skip_all)
)]
pub async fn chat_email_setting() -> Result<bool, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        store::email_enabled(&state.db, &me).await
    })
    .await
}

/// `on` arrives as the checkbox's form value: "on" when ticked, absent (empty) when not.
#[server(endpoint = "set_chat_email", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_chat_email", skip_all)
)]
pub async fn set_chat_email(on: String) -> Result<bool, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let on = matches!(on.as_str(), "on" | "true");
        store::set_email_enabled(&state.db, &me, on).await?;
        Ok(on)
    })
    .await
}
