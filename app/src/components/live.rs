//! The live connection in the browser: one websocket (`/ws`) for a signed-in person's whole
//! visit, owned by the header's [`LiveNotices`] island, which the navigator keeps from page to
//! page. Other islands listen to it rather than opening their own: the chat link's unread count,
//! the chat page (which says when it is open and left), and the coordinators' dashboards
//! ([`LiveRefresh`]). Without JavaScript none of this exists and every page is complete as sent.

#[cfg(feature = "hydrate")]
use crate::model::live::Change;
use leptos::prelude::*;

/// The banner for what matters to the person's match (the partner submitted or confirmed the
/// goal sheet, a news issue is out): a polite live region with a link, closed with its button.
/// It also holds the connection, so it is rendered for everyone signed in.
#[island]
pub fn LiveNotices() -> impl IntoView {
    let notice = RwSignal::new(None::<(String, String)>);
    #[cfg(feature = "hydrate")]
    {
        use crate::model::live::ServerFrame;
        connection::start();
        let heard = connection::listen(move |update| {
            if let connection::Heard::Frame(ServerFrame::Notice { text, href, .. }) = update {
                notice.set(Some((text.clone(), href.clone())));
            }
        });
        on_cleanup(move || {
            heard.end();
            connection::stop();
        });
    }
    // The region is always in the page, so a screen reader has it before anything is said in it.
    view! {
        <div class="live-notice" role="status" aria-live="polite">
            {move || {
                notice
                    .get()
                    .map(|(text, href)| {
                        view! {
                            <p class="live-notice-body">
                                <a href=href on:click=move |_| notice.set(None)>
                                    {text}
                                </a>
                                <button
                                    type="button"
                                    class="link-button live-notice-close"
                                    on:click=move |_| notice.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// Puts fresh figures in the element `id` when the server says something changed (over the live
/// connection, never by polling): the page is asked for again and only that element's content
/// is replaced, so a filter being typed is not touched. `cue` is the element that says, quietly,
/// what changed. Lazy: only coordinators' pages use it, so phones never download it.
#[island(lazy)]
pub fn LiveRefresh(id: String, cue: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use crate::model::live::ServerFrame;
        // Several changes in quick succession (a cohort matched at once) make one read: each
        // change starts the wait again (the generation), and what waits is said together. The
        // value goes with the island, so a wait that ends after it left finds nothing to do.
        let pending = StoredValue::new_local((0u32, None::<Change>));
        let heard = connection::listen(move |update| {
            let connection::Heard::Frame(ServerFrame::Changed { what, .. }) = update else {
                return;
            };
            let Some(generation) = pending.try_update_value(|(generation, waiting)| {
                *waiting = Some(match *waiting {
                    Some(earlier) if earlier != *what => Change::Several,
                    _ => *what,
                });
                *generation += 1;
                *generation
            }) else {
                return;
            };
            let (id, cue) = (id.clone(), cue.clone());
            // Forgotten, not kept: it ends by itself, and checks the generation when it does.
            gloo_timers::callback::Timeout::new(REFRESH_AFTER_MS, move || {
                let Some(Some(what)) = pending.try_update_value(|(current, waiting)| {
                    (*current == generation).then(|| waiting.take()).flatten()
                }) else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    if refresh(&id).await {
                        say(&cue, what);
                    }
                });
            })
            .forget();
        });
        on_cleanup(move || heard.end());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, cue);
}

/// How long after a change the figures are read, so a burst of changes makes one read.
#[cfg(feature = "hydrate")]
const REFRESH_AFTER_MS: u32 = 300;

/// "Updated at 2:05 PM: a contact was logged", in the cue element (a polite live region).
#[cfg(feature = "hydrate")]
fn say(cue: &str, what: Change) {
    let Some(el) = document().get_element_by_id(cue) else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    let time: String = js_sys::Date::new_0()
        .to_locale_time_string_with_options("en-US", &options)
        .into();
    el.set_text_content(Some(&format!(
        "Updated at {time}: {}.",
        lower_first(what.label())
    )));
}

/// "a contact was logged" of "A contact was logged".
#[cfg(feature = "hydrate")]
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Asks the server for this page again and replaces the content of `id` if it changed. True when
/// it was replaced.
#[cfg(feature = "hydrate")]
pub async fn refresh(id: &str) -> bool {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let Ok(href) = window().location().href() else {
        return false;
    };
    let Ok(answer) = JsFuture::from(window().fetch_with_str(&href)).await else {
        return false;
    };
    let Ok(response) = answer.dyn_into::<web_sys::Response>() else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    let Some(text) = response.text().ok().map(JsFuture::from) else {
        return false;
    };
    let Some(html) = text.await.ok().and_then(|t| t.as_string()) else {
        return false;
    };
    let Ok(parser) = web_sys::DomParser::new() else {
        return false;
    };
    let fresh = parser
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)
        .ok()
        .and_then(|doc| doc.get_element_by_id(id));
    // Only a change is put in: an unchanged figure is not announced or redrawn.
    if let (Some(fresh), Some(old)) = (fresh, document().get_element_by_id(id)) {
        let html = fresh.inner_html();
        if old.inner_html() != html {
            old.set_inner_html(&html);
            return true;
        }
    }
    false
}

/// The socket and who listens to it. Browser-only: a thread-local, since the WASM runtime is one
/// thread and the connection outlives every island but the header's.
#[cfg(feature = "hydrate")]
pub mod connection {
    use crate::model::chat::ChatBadge;
    use crate::model::live::{ClientFrame, ServerFrame};
    use gloo_timers::callback::Timeout;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    /// A page hidden this long closes its socket (a phone in a pocket holds nothing open); it
    /// reconnects, and catches up, as soon as it is shown again.
    const HIDDEN_CLOSE_MS: u32 = 5 * 60 * 1000;

    /// What a listener hears.
    pub enum Heard<'a> {
        /// A frame from the server.
        Frame(&'a ServerFrame),
        /// The socket is being opened (for the first time, or again).
        Connecting,
        /// The socket dropped; it is opened again in about this many seconds.
        Down { retry_secs: u32 },
    }

    type Listener = Rc<dyn Fn(&Heard)>;
    /// Reads the last message number the open chat holds.
    type LastSeq = Rc<dyn Fn() -> i64>;

    #[derive(Default)]
    struct Shared {
        socket: RefCell<Option<WebSocket>>,
        /// Whether the header's island wants a connection (it started it and has not stopped).
        running: Cell<bool>,
        attempts: Cell<u32>,
        /// Bumped to cancel a pending reconnect (timeouts are forgotten, not dropped: dropping
        /// one from inside its own callback would free the callback while it runs).
        retry_gen: Cell<u32>,
        listeners: RefCell<Vec<(u32, Listener)>>,
        next_listener: Cell<u32>,
        /// The chat page that is open: its match and how to read the last message it holds,
        /// asked again at each reconnect.
        chat: RefCell<Option<(i64, LastSeq)>>,
        hidden_close: RefCell<Option<Timeout>>,
        /// The chat badge the server sent last: newer than the one a page was rendered with
        /// (a page's render can race a read mark), so a chat link that comes with a new page
        /// shows this one.
        badge: RefCell<Option<ChatBadge>>,
        page_listeners: RefCell<Vec<WindowListenerHandle>>,
    }

    thread_local! {
        static SHARED: Rc<Shared> = Rc::default();
    }

    fn shared() -> Rc<Shared> {
        SHARED.with(Rc::clone)
    }

    /// A listener's place; `end` removes it (call it in the island's `on_cleanup`).
    pub struct Listening(u32);

    impl Listening {
        pub fn end(self) {
            shared()
                .listeners
                .borrow_mut()
                .retain(|(id, _)| *id != self.0);
        }
    }

    /// Calls `f` with every update until the returned handle is ended.
    pub fn listen(f: impl Fn(&Heard) + 'static) -> Listening {
        let s = shared();
        let id = s.next_listener.get() + 1;
        s.next_listener.set(id);
        s.listeners.borrow_mut().push((id, Rc::new(f)));
        Listening(id)
    }

    fn tell(update: &Heard) {
        // A copy, so a listener may add or remove listeners while it is called.
        let listeners: Vec<Listener> = shared()
            .listeners
            .borrow()
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        for f in listeners {
            f(update);
        }
    }

    /// Opens the connection, once; the header's island calls it.
    pub fn start() {
        let s = shared();
        if s.running.replace(true) {
            return;
        }
        s.attempts.set(0);
        connect(s.clone());
        // Back online or back to the tab: reconnect now instead of waiting out the backoff.
        let online = window_event_listener(leptos::ev::online, move |_| reconnect_now());
        let shown = window_event_listener_untyped("visibilitychange", move |_| {
            let s = shared();
            if document().hidden() {
                *s.hidden_close.borrow_mut() = Some(Timeout::new(HIDDEN_CLOSE_MS, || {
                    let s = shared();
                    s.retry_gen.set(s.retry_gen.get() + 1);
                    if let Some(ws) = s.socket.borrow_mut().take() {
                        let _ = ws.close();
                    }
                }));
            } else {
                s.hidden_close.borrow_mut().take();
                reconnect_now();
            }
        });
        s.page_listeners.borrow_mut().extend([online, shown]);
    }

    /// The chat badge the server sent last on this connection, if any.
    pub fn last_badge() -> Option<ChatBadge> {
        shared().badge.borrow().clone()
    }

    /// Closes the connection; the header's island calls it when it leaves (the person changed).
    pub fn stop() {
        let s = shared();
        s.running.set(false);
        s.badge.borrow_mut().take();
        s.retry_gen.set(s.retry_gen.get() + 1);
        s.hidden_close.borrow_mut().take();
        for l in s.page_listeners.borrow_mut().drain(..) {
            l.remove();
        }
        if let Some(ws) = s.socket.borrow_mut().take() {
            let _ = ws.close();
        }
    }

    fn reconnect_now() {
        let s = shared();
        if s.running.get() && s.socket.borrow().is_none() {
            s.retry_gen.set(s.retry_gen.get() + 1);
            connect(s);
        }
    }

    /// The chat page for `match_id` is open; `last_seq` reads the last message it holds.
    pub fn open_chat(match_id: i64, last_seq: LastSeq) {
        let after = last_seq();
        *shared().chat.borrow_mut() = Some((match_id, last_seq));
        send(&ClientFrame::Open { match_id, after });
    }

    /// The chat page for `match_id` was left.
    pub fn leave_chat(match_id: i64) {
        let s = shared();
        let was_open = s
            .chat
            .borrow()
            .as_ref()
            .is_some_and(|(id, _)| *id == match_id);
        if was_open {
            s.chat.borrow_mut().take();
            send(&ClientFrame::Leave);
        }
    }

    /// Whether the socket is open now.
    pub fn is_open() -> bool {
        shared()
            .socket
            .borrow()
            .as_ref()
            .is_some_and(|ws| ws.ready_state() == WebSocket::OPEN)
    }

    /// Sends a frame if the socket is open (a frame sent while it is down is not queued: the
    /// hello and the chat's `Open` after a reconnect say everything the server needs).
    pub fn send(frame: &ClientFrame) {
        let s = shared();
        if let (Some(ws), Ok(text)) = (s.socket.borrow().as_ref(), serde_json::to_string(frame))
            && ws.ready_state() == WebSocket::OPEN
        {
            let _ = ws.send_with_str(&text);
        }
    }

    fn ws_url() -> Option<String> {
        let loc = window().location();
        let scheme = if loc.protocol().ok()? == "https:" {
            "wss:"
        } else {
            "ws:"
        };
        Some(format!("{scheme}//{}/ws", loc.host().ok()?))
    }

    fn connect(s: Rc<Shared>) {
        if !s.running.get() {
            return;
        }
        let Some(ws) = ws_url().and_then(|u| WebSocket::new(&u).ok()) else {
            schedule_reconnect(s);
            return;
        };
        tell(&Heard::Connecting);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            send(&ClientFrame::Hello);
            let chat = shared()
                .chat
                .borrow()
                .as_ref()
                .map(|(id, last)| (*id, last.clone()));
            if let Some((match_id, last_seq)) = chat {
                send(&ClientFrame::Open {
                    match_id,
                    after: last_seq(),
                });
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            let Ok(frame) = crate::components::data::from_json::<ServerFrame>(&text) else {
                return;
            };
            // A frame means the server took the hello: the backoff starts again from 1 s.
            let s = shared();
            s.attempts.set(0);
            if let ServerFrame::Unread { badge } = &frame {
                *s.badge.borrow_mut() = Some(badge.clone());
            }
            tell(&Heard::Frame(&frame));
        });
        let on_close = {
            let this = ws.clone();
            Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
                let s = shared();
                // Only the current socket's close counts (an old one may close late).
                let current = s.socket.borrow().as_ref().is_some_and(|w| w == &this);
                if current {
                    s.socket.borrow_mut().take();
                    schedule_reconnect(s);
                }
            })
        };
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The handlers live as long as the socket; a few per reconnect is a small, bounded leak.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        *s.socket.borrow_mut() = Some(ws);
    }

    /// 1, 2, 4, 8, 16, then 30 seconds, with jitter so a restarted server is not hit by every
    /// page at the same instant. A hidden page waits until it is shown.
    fn schedule_reconnect(s: Rc<Shared>) {
        if !s.running.get() {
            return;
        }
        let n = s.attempts.get();
        s.attempts.set(n + 1);
        let base = (1u32 << n.min(5)).min(30);
        let jitter = js_sys::Math::random() * 0.5 + 0.75;
        let wait_ms = (f64::from(base) * 1000.0 * jitter) as u32;
        tell(&Heard::Down {
            retry_secs: wait_ms.div_ceil(1000),
        });
        let generation = s.retry_gen.get() + 1;
        s.retry_gen.set(generation);
        Timeout::new(wait_ms, move || {
            let s = shared();
            if s.retry_gen.get() == generation && !document().hidden() {
                connect(s);
            }
        })
        .forget();
    }
}
