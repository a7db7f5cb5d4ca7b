//! The chat's side of the live connection (`components::live`), in the browser only: the
//! header's island holds the socket; the chat says it is open (and, after each reconnect, the
//! last message it holds) and hears its match's frames.

use super::store::{Chat, Link, scroll_to_end};
use crate::components::live::connection::{self, Heard};
use crate::model::live::{ClientFrame, ServerFrame};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The state only the browser's event loop touches.
#[derive(Default)]
struct Local {
    typing_clear: RefCell<Option<Timeout>>,
    last_typing_sent: Cell<f64>,
}

thread_local! {
    static LOCAL: RefCell<Option<(i64, Rc<Local>)>> = const { RefCell::new(None) };
}

fn local(chat: Chat) -> Option<Rc<Local>> {
    LOCAL.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(id, _)| *id == chat.match_id)
            .map(|(_, s)| s.clone())
    })
}

pub fn start(chat: Chat) {
    let state = Rc::new(Local::default());
    LOCAL.with(|l| *l.borrow_mut() = Some((chat.match_id, state.clone())));
    let heard = connection::listen(move |update| on_update(chat, update));
    // Asked again at each reconnect, so the server sends only what this page lacks.
    connection::open_chat(chat.match_id, Rc::new(move || chat.last_seq()));
    if !connection::is_open() {
        chat.link.set(Link::Connecting);
    }
    scroll_to_end(chat);
    // Back to the tab: count what is on screen as read.
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        mark_read(chat);
    });
    let on_focus = window_event_listener(leptos::ev::focus, move |_| mark_read(chat));
    on_cleanup(move || {
        heard.end();
        connection::leave_chat(chat.match_id);
        on_visible.remove();
        on_focus.remove();
        LOCAL.with(|l| {
            l.borrow_mut().take();
        });
    });
}

fn page_visible() -> bool {
    !document().hidden() && document().has_focus().unwrap_or(true)
}

fn mark_read(chat: Chat) {
    if page_visible() && chat.link.get_untracked() == Link::Live {
        let seq = chat.last_seq();
        if seq > 0 {
            connection::send(&ClientFrame::Read { seq });
        }
    }
}

pub fn typing(chat: Chat) {
    if let Some(s) = local(chat) {
        let now = js_sys::Date::now();
        if now - s.last_typing_sent.get() > 3000.0 {
            s.last_typing_sent.set(now);
            connection::send(&ClientFrame::Typing);
        }
    }
}

fn on_update(chat: Chat, update: &Heard) {
    match update {
        Heard::Connecting => {
            if chat.link.get_untracked() != Link::Connecting {
                chat.link.set(Link::Reconnecting(0));
            }
        }
        Heard::Down { retry_secs } => chat.link.set(Link::Reconnecting(*retry_secs)),
        Heard::Frame(frame) => on_frame(chat, frame),
    }
}

fn on_frame(chat: Chat, frame: &ServerFrame) {
    let ours = |id: &i64| *id == chat.match_id;
    match frame {
        ServerFrame::Message { match_id, line } if ours(match_id) => {
            let theirs = !line.mine;
            let near_end = chat
                .log
                .get_untracked()
                .is_some_and(|el| el.scroll_height() - el.scroll_top() - el.client_height() < 120);
            chat.upsert(line.clone());
            if theirs {
                chat.partner_typing.set(false);
                mark_read(chat);
            }
            if near_end || !theirs {
                scroll_to_end(chat);
            }
        }
        ServerFrame::Live {
            match_id,
            partner_read_seq,
        } if ours(match_id) => {
            chat.link.set(Link::Live);
            chat.partner_read
                .update(|r| *r = (*r).max(*partner_read_seq));
            // Messages that failed during the drop are not resent on their own: each shows
            // its Retry, and the person decides.
            mark_read(chat);
        }
        ServerFrame::Typing { match_id } if ours(match_id) => {
            chat.partner_typing.set(true);
            if let Some(s) = local(chat) {
                *s.typing_clear.borrow_mut() = Some(Timeout::new(5000, move || {
                    chat.partner_typing.set(false);
                }));
            }
        }
        ServerFrame::Seen { match_id, seq } if ours(match_id) => {
            chat.partner_read.update(|r| *r = (*r).max(*seq));
        }
        _ => {}
    }
}
