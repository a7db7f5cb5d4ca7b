//! `/match/:id/chat`: the conversation with the partner. The server renders the newest page; in
//! the browser the visit's live connection (the header's, `components::live`) brings new
//! messages, typing hints and read marks, and after a drop asks for everything after the last
//! message the page holds.
//!
//! Sending goes through the `send_message` server function with a client id chosen here, so a
//! retry can never post twice. A message shows as sending, then sent, or failed with a retry;
//! unsent text is kept in `localStorage` until the server has it.
//!
//! This file holds the views; the page's state and sending are in `store`, the unsent queue in
//! `unsent`, and the chat's side of the live connection in `live` (built for the browser only).

#[cfg(feature = "hydrate")]
mod live;
mod store;
mod unsent;

use crate::api::chat::{load_chat, older_messages};
use crate::components::data::written;
use crate::error::AppError;
use crate::model::chat::{ChatLine, ChatPage, Segment, check_body, linkify};
use crate::pages::participant::match_home::match_id_param;
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use store::{Chat, Item, Link, Status, new_client_id, send};

#[component]
pub fn ChatRoute() -> impl IntoView {
    let id = match_id_param();
    view! {
        <Title text="Chat" />
        <section class="page chat-page">
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the chat…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match load_chat(id()).await {
                        Ok(p) => written(view! { <ChatView page=p /> }),
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <h1>"Chat"</h1>
                                <SignInPrompt message="Please sign in to chat with your partner." />
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <h1>"Chat"</h1>
                                <p class="notice notice-error">{e.to_string()}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[island(lazy)]
fn ChatView(page: ChatPage) -> impl IntoView {
    let match_id = page.match_id;
    let items: Vec<Item> = page
        .lines
        .into_iter()
        .map(|line| Item {
            line,
            status: Status::Sent,
        })
        .collect();
    let chat = Chat {
        match_id,
        items: RwSignal::new(Vec::new()),
        has_older: RwSignal::new(page.has_older),
        loading_older: RwSignal::new(false),
        older_error: RwSignal::new(None),
        partner_read: RwSignal::new(page.partner_read_seq),
        partner_typing: RwSignal::new(false),
        link: RwSignal::new(Link::Connecting),
        log: NodeRef::new(),
    };
    chat.items.set(items);
    // Messages typed here earlier that the server never confirmed come back, marked failed
    // (restored after hydration: the server did not render them). Then every change keeps the
    // unsent ones in the browser until the server has them.
    let restored = StoredValue::new(false);
    Effect::new(move |_| {
        if !restored.get_value() {
            restored.set_value(true);
            let saved = unsent::load(match_id);
            if !saved.is_empty() {
                chat.items.update(|v| {
                    for (client_id, body) in saved {
                        if !v.iter().any(|i| i.line.client_id == client_id) {
                            v.push(Item {
                                line: ChatLine {
                                    seq: 0,
                                    mine: true,
                                    client_id,
                                    body,
                                    at_ms: 0,
                                    day: String::new(),
                                    time: String::new(),
                                },
                                status: Status::Failed("Not sent yet.".into()),
                            });
                        }
                    }
                });
            }
        }
        let pending: Vec<(String, String)> = chat.items.with(|v| {
            v.iter()
                .filter(|i| i.status != Status::Sent)
                .map(|i| (i.line.client_id.clone(), i.line.body.clone()))
                .collect()
        });
        unsent::save(match_id, &pending);
    });
    #[cfg(feature = "hydrate")]
    live::start(chat);

    let partner = page.partner_first_name.clone();
    let active = page.active;
    let status_text = move || match chat.link.get() {
        Link::Live => String::new(),
        Link::Connecting => "Connecting…".into(),
        Link::Reconnecting(0) => "Reconnecting…".into(),
        Link::Reconnecting(s) => format!("Connection lost. Reconnecting in {s} s…"),
    };
    view! {
        <div class="chat-head">
            <h1>{format!("Chat with {}", page.partner_name)}</h1>
            <p class="back-link">
                <a href=format!("/match/{match_id}")>"Back to the match"</a>
            </p>
            <p
                class="chat-link-status"
                role="status"
                data-link=move || format!("{:?}", chat.link.get())
            >
                {status_text}
            </p>
        </div>
        <Log chat partner=partner.clone() />
        <p class="typing" aria-live="polite">
            {move || chat.partner_typing.get().then(|| format!("{partner} is typing…"))}
        </p>
        {if active {
            view! { <Composer chat /> }.into_any()
        } else {
            view! { <p class="notice">"This match has ended. The chat stays here to read."</p> }
                .into_any()
        }}
    }
}

/// One row of the log: a message, with a day heading before it when the day changes.
#[derive(Clone, PartialEq)]
struct Row {
    item: Item,
    day_heading: Option<String>,
    seen: bool,
}

#[component]
fn Log(chat: Chat, partner: String) -> impl IntoView {
    let rows = Memo::new(move |_| {
        let read = chat.partner_read.get();
        chat.items.with(|v| {
            let last_mine_sent = v
                .iter()
                .rposition(|i| i.line.mine && i.status == Status::Sent);
            let mut day = String::new();
            v.iter()
                .enumerate()
                .map(|(n, i)| {
                    let heading = (!i.line.day.is_empty() && i.line.day != day).then(|| {
                        day = i.line.day.clone();
                        day.clone()
                    });
                    Row {
                        item: i.clone(),
                        day_heading: heading,
                        seen: Some(n) == last_mine_sent && i.line.seq <= read,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let load_older = move || {
        if chat.loading_older.get_untracked() || !chat.has_older.get_untracked() {
            return;
        }
        let before = chat.items.with_untracked(|v| {
            v.iter()
                .filter(|i| i.status == Status::Sent)
                .map(|i| i.line.seq)
                .min()
        });
        let Some(before) = before else { return };
        chat.loading_older.set(true);
        chat.older_error.set(None);
        leptos::task::spawn_local(async move {
            match older_messages(chat.match_id, before).await {
                Ok(h) => {
                    chat.has_older.set(h.has_older);
                    // The scroller is anchored at its end (column-reverse), so the reader's
                    // place holds by itself while the list grows above it.
                    for line in h.lines {
                        chat.upsert(line);
                    }
                }
                Err(e) => chat.older_error.set(Some(e.to_string())),
            }
            chat.loading_older.set(false);
        });
    };
    // The scroller lays its one child out from the end (column-reverse): it opens at the
    // newest message without JavaScript, and scrollTop counts from the end (0 there, negative
    // above), so the distance from the top is what is left of the scroll range.
    view! {
        <div
            class="chat-scroll"
            node_ref=chat.log
            role="region"
            aria-label=format!("Messages with {partner}")
            tabindex="0"
            on:scroll=move |_| {
                if let Some(el) = chat.log.get_untracked()
                    && el.scroll_height() - el.client_height() + el.scroll_top() < 40
                {
                    load_older();
                }
            }
        >
            <ol class="chat-log">
                <li class="chat-older">
                    {move || {
                        if chat.loading_older.get() {
                            view! { <p class="loading">"Loading earlier messages…"</p> }
                                .into_any()
                        } else if chat.has_older.get() {
                            view! {
                                <button
                                    type="button"
                                    class="link-button"
                                    on:click=move |_| load_older()
                                >
                                    "Show earlier messages"
                                </button>
                            }
                                .into_any()
                        } else {
                            view! { <p class="muted">"This is the beginning of your chat."</p> }
                                .into_any()
                        }
                    }}
                    {move || {
                        chat.older_error.get().map(|e| view! { <p class="field-error">{e}</p> })
                    }}
                </li>
                <For
                    each=move || rows.get()
                    key=|row| (
                        row.item.line.client_id.clone(),
                        row.item.line.seq,
                        format!("{:?}", row.item.status),
                        row.day_heading.clone(),
                        row.seen,
                    )
                    children=move |row| view! { <MessageRow chat row /> }
                />
            </ol>
        </div>
    }
}

#[component]
fn MessageRow(chat: Chat, row: Row) -> impl IntoView {
    let Row {
        item,
        day_heading,
        seen,
    } = row;
    let who = if item.line.mine { "mine" } else { "theirs" };
    let body = item.line.body.clone();
    let segments = linkify(&body)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_string().into_any(),
            Segment::Link(href) => view! {
                <a href=href.to_string() rel="noopener noreferrer nofollow ugc" target="_blank">
                    {href.to_string()}
                </a>
            }
            .into_any(),
        })
        .collect_view();
    let state = match &item.status {
        Status::Sent if seen => {
            view! { <span class="msg-state">{item.line.time.clone()}" · Seen"</span> }.into_any()
        }
        Status::Sent => {
            view! { <span class="msg-state">{item.line.time.clone()}</span> }.into_any()
        }
        Status::Sending => view! { <span class="msg-state">"Sending…"</span> }.into_any(),
        Status::Failed(why) => {
            let line = item.line.clone();
            view! {
                <span class="msg-state msg-failed" role="alert">
                    {format!("Not sent. {why} ")}
                    <button
                        type="button"
                        class="link-button"
                        on:click=move |_| send(chat, line.client_id.clone(), line.body.clone())
                    >
                        "Retry"
                    </button>
                </span>
            }
            .into_any()
        }
    };
    view! {
        {day_heading
            .map(|d| {
                view! {
                    <li class="chat-day">
                        <span>{d}</span>
                    </li>
                }
            })}
        <li class=format!("msg msg-{who}") data-seq=item.line.seq.to_string()>
            <p class="msg-body">{segments}</p>
            {state}
        </li>
    }
}

#[component]
fn Composer(chat: Chat) -> impl IntoView {
    use crate::api::chat::SendMessage;
    use crate::components::form_post;
    // Before hydration or without JavaScript the composer posts to the chat page, which sends
    // the message through the same server function and comes back with it in the log.
    let key = form_post::form_key(<SendMessage as leptos::server_fn::ServerFn>::PATH, None);
    #[cfg(feature = "ssr")]
    form_post::register::<SendMessage>(
        |f| SendMessage {
            match_id: f.id("match_id"),
            client_id: f.get("client_id"),
            body: f.get("body"),
        },
        None,
    );
    let refused = form_post::refused_fields(&key).and_then(|fields| {
        fields
            .into_iter()
            .find(|(k, _)| k == "body")
            .map(|(_, v)| v)
    });
    let failed = match form_post::outcome_for(&key) {
        Some(form_post::Outcome::Failed(e)) => Some(e.to_string()),
        _ => None,
    };
    // Hydrating a refused plain post, the box holds the server-rendered text: keep it rather
    // than let the empty draft clear it.
    #[cfg(not(feature = "ssr"))]
    let typed = failed
        .as_ref()
        .and_then(|_| document().get_element_by_id("chat-body"))
        .and_then(|e| {
            leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(e).ok()
        })
        .map(|t| t.value())
        .unwrap_or_default();
    #[cfg(feature = "ssr")]
    let typed = refused.clone().unwrap_or_default();
    let draft = RwSignal::new(typed);
    let error = RwSignal::new(failed);
    let submit = move || {
        let text = draft.get_untracked();
        match check_body(&text) {
            Err(message) => error.set(Some(message)),
            Ok(body) => {
                error.set(None);
                let body = body.to_string();
                draft.set(String::new());
                send(chat, new_client_id(), body);
            }
        }
    };
    view! {
        <form
            class="composer"
            method="post"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <input type="hidden" name=form_post::FORM_FIELD value=key />
            <input type="hidden" name="match_id" value=chat.match_id.to_string() />
            // One id per rendered form: a plain post sent twice (a double tap) stores one message.
            <input type="hidden" name="client_id" value=plain_post_client_id() />
            <label for="chat-body" class="visually-hidden">
                "Message"
            </label>
            <textarea
                id="chat-body"
                name="body"
                rows="2"
                maxlength="4000"
                placeholder="Write a message"
                aria-describedby="chat-help chat-error"
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || draft.get()
                on:input=move |ev| {
                    draft.set(event_target_value(&ev));
                    if error.get_untracked().is_some() {
                        error.set(None);
                    }
                    #[cfg(feature = "hydrate")] live::typing(chat);
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            >
                {refused.map(crate::components::form::textarea_text)}
            </textarea>
            <button type="submit" class="button">
                "Send"
            </button>
            <p id="chat-help" class="hint">
                "Enter sends; Shift+Enter starts a new line."
            </p>
            <p id="chat-error" class="field-error" role="alert">
                {move || error.get()}
            </p>
        </form>
    }
}

/// The client id a plain post of the composer sends with: made on the server, where the form
/// is rendered (the hydrated composer makes one per message instead).
fn plain_post_client_id() -> String {
    #[cfg(feature = "ssr")]
    {
        format!("post-{:016x}", rand::random::<u64>())
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}
