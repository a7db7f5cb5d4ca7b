//! The chat's state in the page: the messages held (stored, sending or failed), the link's
//! state, and sending one message with its client id.

use crate::api::chat::send_message;
use crate::error::AppError;
use crate::model::chat::ChatLine;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Sent,
    Sending,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: ChatLine,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Live,
    /// Waiting this many seconds before the next try.
    Reconnecting(u32),
}

/// Everything the chat's event handlers share. All Copy, so closures can hold it.
#[derive(Clone, Copy)]
pub struct Chat {
    pub match_id: i64,
    pub items: RwSignal<Vec<Item>>,
    pub has_older: RwSignal<bool>,
    pub loading_older: RwSignal<bool>,
    pub older_error: RwSignal<Option<String>>,
    pub partner_read: RwSignal<i64>,
    pub partner_typing: RwSignal<bool>,
    pub link: RwSignal<Link>,
    pub log: NodeRef<leptos::html::Div>,
}

impl Chat {
    /// The highest stored message number held.
    pub fn last_seq(&self) -> i64 {
        self.items.with_untracked(|v| {
            v.iter()
                .filter(|i| i.status == Status::Sent)
                .map(|i| i.line.seq)
                .max()
                .unwrap_or(0)
        })
    }

    /// Adds or updates a stored message: replaces the local copy with the same client id (a send
    /// the socket reported first, or the server function's answer), skips one already held,
    /// and keeps stored messages in number order with unsent ones after them.
    pub fn upsert(&self, line: ChatLine) {
        self.items.update(|v| {
            if let Some(i) = v.iter().position(|i| i.line.client_id == line.client_id) {
                v[i] = Item {
                    line,
                    status: Status::Sent,
                };
            } else if v
                .iter()
                .any(|i| i.status == Status::Sent && i.line.seq == line.seq)
            {
                return;
            } else {
                v.push(Item {
                    line,
                    status: Status::Sent,
                });
            }
            // Stable: unsent items keep their order after the stored ones.
            v.sort_by_key(|i| match i.status {
                Status::Sent => (0, i.line.seq),
                _ => (1, 0),
            });
        });
    }
}

/// A client id nobody else will pick: time plus randomness, in hex.
pub(super) fn new_client_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::now() as u64;
        let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!("{now:x}-{a:08x}{b:08x}")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Sends (or resends) one message. Its item shows as sending until the server answers.
pub(super) fn send(chat: Chat, client_id: String, body: String) {
    chat.items.update(
        |v| match v.iter_mut().find(|i| i.line.client_id == client_id) {
            Some(i) => i.status = Status::Sending,
            None => v.push(Item {
                line: ChatLine {
                    seq: 0,
                    mine: true,
                    client_id: client_id.clone(),
                    body: body.clone(),
                    at_ms: 0,
                    day: String::new(),
                    time: String::new(),
                },
                status: Status::Sending,
            }),
        },
    );
    scroll_to_end(chat);
    leptos::task::spawn_local(async move {
        match send_message(chat.match_id, client_id.clone(), body).await {
            Ok(line) => chat.upsert(line),
            Err(e) => {
                let why = match e {
                    AppError::Transport(_) => "Check your connection.".to_string(),
                    other => other.to_string(),
                };
                chat.items.update(|v| {
                    if let Some(i) = v
                        .iter_mut()
                        .find(|i| i.line.client_id == client_id && i.status != Status::Sent)
                    {
                        i.status = Status::Failed(why);
                    }
                });
            }
        }
    });
}

/// Scrolls the log to its newest message once the browser has laid it out.
pub(super) fn scroll_to_end(chat: Chat) {
    request_animation_frame(move || {
        if let Some(el) = chat.log.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    });
}
