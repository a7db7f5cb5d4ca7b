//! The navigator: with JavaScript, Tandem's links and forms never load a new document. A click
//! on a Tandem link fetches the next page and swaps it in; a form is sent by `fetch`, follows the
//! server's 303 and swaps in the page it lands on (or the refused page, its errors beside the
//! fields and what was typed in them). The document, the WASM runtime and the header's islands
//! stay. Without JavaScript, or when anything here fails, the browser does what it always did.
//!
//! What is swapped: `<main>`, the title, the header's `<nav>` (its links, `aria-current`, the
//! closed menu) and the head script that hands a post's outcome to the islands. An island in the
//! header that the new page renders with the same props stays (the same element, still live);
//! islands that leave are disposed of and new ones hydrate (`islands`).
//!
//! What a browser does stays true: back and forward swap the page again and restore its scroll
//! position; a new page starts at the top or at its `#hash`; focus moves to the new page's main
//! heading (or, on a refused post, to the first field it refused) and a live region says its
//! title; a slow page shows a thin progress bar after 300 ms;
//! a link is fetched when the pointer goes down on it (or after a short hover with a mouse), so
//! most taps find it already there.
//!
//! A full load instead, where it is needed: a link or form marked `data-reload` (signing in and
//! out), `download`, `rel="external"` or another target; a file or `/api/` path; an answer that
//! is not a page of this build (`<meta name="tandem-build">` differs: the new HTML needs the new
//! code); and any fetch that fails, which becomes the browser's own navigation or the form's own
//! submit, so nothing typed is lost. An answer for another person (`data-session` on the
//! navigation differs: confirming an application signs its applicant in, a session ended
//! elsewhere) is swapped in without keeping any island: loading it again would lose what a post
//! shows once (the confirmation, new recovery codes).

use crate::islands;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Document, DomParser, Element, Event, FocusOptions, FormData, Headers,
    HtmlElement, HtmlFormElement, MouseEvent, PointerEvent, PopStateEvent, RequestCredentials,
    RequestInit, RequestRedirect, Response, ScrollRestoration, SubmitEvent, SupportedType, Url,
    UrlSearchParams,
};

/// A navigation slower than this shows the progress bar.
const PROGRESS_AFTER_MS: u32 = 300;
/// A mouse resting this long on a link fetches it.
const HOVER_MS: u32 = 65;
/// A fetched-ahead page older than this is fetched again.
const PREFETCH_FRESH_MS: f64 = 10_000.0;
/// At most this many pages fetched ahead are kept.
const PREFETCH_KEPT: usize = 4;

/// A page as the server answered it.
struct Page {
    /// Where the answer came from after redirects (no `#hash`).
    url: String,
    redirected: bool,
    /// The HTML, or `None` when the answer is not a page (a download).
    html: Option<String>,
}

/// The fetch failed: offline, refused, or aborted.
struct Failed;

enum Send {
    Get,
    Post(UrlSearchParams),
}

/// How the page that comes takes its place in the history.
#[derive(Clone, Copy)]
enum Via {
    /// A new entry (a link, a form that lands elsewhere).
    Push,
    /// The same entry (the page itself again, a refused post).
    Replace,
    /// Back or forward to an entry: its scroll position, when known, comes back.
    Pop(Option<u32>),
}

/// What to do when the fetch fails.
enum Fallback {
    Load(String),
    Submit(HtmlFormElement, Option<HtmlElement>),
    Reload,
}

#[derive(Default)]
struct Navigator {
    /// The navigation in flight: an answer to an older one is dropped.
    generation: Cell<u32>,
    abort: RefCell<Option<AbortController>>,
    /// The history entry shown, and each entry's scroll position when it was left.
    entry: Cell<u32>,
    next_entry: Cell<u32>,
    scroll: RefCell<Vec<(u32, f64)>>,
    /// The path and query of the page shown: a change of `#hash` alone is not a navigation.
    shown: RefCell<String>,
    /// The build the page's code belongs to.
    build: RefCell<Option<String>>,
    /// Pages fetched ahead: the URL, when, and the fetch's promise (a `Response`), which the
    /// click that follows reads.
    prefetched: RefCell<Vec<(String, f64, js_sys::Promise)>>,
    hover: RefCell<Option<Timeout>>,
    progress: RefCell<Option<Timeout>>,
}

thread_local! {
    static NAV: Navigator = Navigator::default();
}

/// Takes over the page's links and forms. Call once, after the first page's islands are queued.
pub fn start() {
    let (Some(window), Some(document)) = (
        web_sys::window(),
        web_sys::window().and_then(|w| w.document()),
    ) else {
        return;
    };
    NAV.with(|nav| {
        *nav.build.borrow_mut() = meta(&document, app::BUILD_META);
        *nav.shown.borrow_mut() = path_and_query(&current_href());
        nav.entry.set(nav.next_entry.get());
        nav.next_entry.set(nav.next_entry.get() + 1);
    });
    if let Ok(history) = window.history() {
        let _ = history.replace_state(&entry_state(NAV.with(|n| n.entry.get())), "");
        let _ = history.set_scroll_restoration(ScrollRestoration::Manual);
    }
    listen(&window, "click", on_click);
    listen(&window, "submit", on_submit);
    listen(&window, "popstate", on_popstate);
    listen(&document, "pointerdown", on_pointerdown);
    listen(&document, "pointerover", on_pointerover);
    listen(&document, "pointerout", |_| {
        NAV.with(|nav| nav.hover.borrow_mut().take());
    });
    // The browser keeps a reload's scroll position only while it restores scroll itself.
    listen(&window, "pagehide", |_| {
        set_restoration(ScrollRestoration::Auto)
    });
    listen(&window, "pageshow", |_| {
        set_restoration(ScrollRestoration::Manual)
    });
}

fn listen(target: &web_sys::EventTarget, event: &str, handler: fn(Event)) {
    let handler = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    // The navigator lives as long as the document.
    handler.forget();
}

fn set_restoration(how: ScrollRestoration) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.set_scroll_restoration(how);
    }
}

fn on_click(ev: Event) {
    let Some(ev) = ev.dyn_ref::<MouseEvent>() else {
        return;
    };
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(url) = link_under(ev.target()) else {
        return;
    };
    ev.prevent_default();
    NAV.with(|nav| nav.hover.borrow_mut().take());
    let via = if path_and_query(&url) == NAV.with(|n| n.shown.borrow().clone()) {
        Via::Replace
    } else {
        Via::Push
    };
    leptos::task::spawn_local(visit(url.clone(), Send::Get, via, Fallback::Load(url)));
}

fn on_submit(ev: Event) {
    let Some(ev) = ev.dyn_ref::<SubmitEvent>() else {
        return;
    };
    // The chat's composer sends its own messages; a form already being sent is stopped by the
    // shell's script (app::FORM_SENDING_JS) before it reaches here.
    if ev.default_prevented() {
        return;
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let submitter = ev
        .submitter()
        .and_then(|s| s.dyn_into::<HtmlElement>().ok());
    let Some((url, send)) = submission(&form, submitter.as_ref()) else {
        return;
    };
    ev.prevent_default();
    match send {
        Send::Get => {
            let via = if path_and_query(&url) == NAV.with(|n| n.shown.borrow().clone()) {
                Via::Replace
            } else {
                Via::Push
            };
            leptos::task::spawn_local(visit(url.clone(), Send::Get, via, Fallback::Load(url)));
        }
        post => {
            // Where a post lands decides how it enters the history (see `visit`).
            let fallback = Fallback::Submit(form, submitter);
            leptos::task::spawn_local(visit(url, post, Via::Replace, fallback));
        }
    }
}

/// The URL and body a form sends, when the navigator sends it. Read from the attributes, not the
/// form's properties: a control named `action` or `method` (the audit log's filter has one)
/// shadows the property of the same name.
fn submission(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Option<(String, Send)> {
    let attribute = |name: &str| form.get_attribute(name).unwrap_or_default();
    if form.has_attribute("data-reload") || !same_window(&attribute("target")) {
        return None;
    }
    if attribute("enctype").eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let overridden = |name: &str| submitter.and_then(|s| s.get_attribute(name));
    let method = overridden("formmethod")
        .unwrap_or_else(|| attribute("method"))
        .to_ascii_lowercase();
    // No action (or an empty one) posts to the page itself.
    let action = overridden("formaction")
        .or_else(|| form.get_attribute("action"))
        .filter(|a| !a.is_empty())
        .and_then(|a| Url::new_with_base(&a, &current_href()).ok())
        .map_or_else(current_href, |u| u.href());
    let url = Url::new(&action).ok()?;
    if !navigable(&url) {
        return None;
    }
    let data = FormData::new_with_form(form).ok()?;
    if let Some(s) = submitter
        && let Some(name) = s.get_attribute("name").filter(|n| !n.is_empty())
    {
        let _ = data.append_with_str(&name, &s.get_attribute("value").unwrap_or_default());
    }
    let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    if method == "get" {
        url.set_search(&String::from(params.to_string()));
        url.set_hash("");
        Some((url.href(), Send::Get))
    } else {
        Some((url.href(), Send::Post(params)))
    }
}

fn on_popstate(ev: Event) {
    let Some(ev) = ev.dyn_ref::<PopStateEvent>() else {
        return;
    };
    let key = entry_key(&ev.state());
    let url = current_href();
    let same_page = path_and_query(&url) == NAV.with(|n| n.shown.borrow().clone());
    if same_page {
        // Only the #hash changed (the skip link, an anchor): the browser has scrolled.
        if let Some(key) = key {
            NAV.with(|n| n.entry.set(key));
        }
        return;
    }
    leptos::task::spawn_local(visit(url, Send::Get, Via::Pop(key), Fallback::Reload));
}

fn on_pointerdown(ev: Event) {
    // Pressed: the hover's own fetch would come after the click has taken this one.
    NAV.with(|nav| nav.hover.borrow_mut().take());
    if let Some(url) = link_under(ev.target()) {
        prefetch(url);
    }
}

fn on_pointerover(ev: Event) {
    let mouse = ev
        .dyn_ref::<PointerEvent>()
        .is_some_and(|p| p.pointer_type() == "mouse");
    if !mouse {
        return;
    }
    if let Some(url) = link_under(ev.target()) {
        let wait = Timeout::new(HOVER_MS, move || prefetch(url));
        NAV.with(|nav| *nav.hover.borrow_mut() = Some(wait));
    }
}

/// The URL of the Tandem link an event happened on, when the navigator follows it.
fn link_under(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<Element>().ok()?;
    let link = el.closest("a[href]").ok()??;
    if link.has_attribute("download")
        || link.has_attribute("data-reload")
        || !same_window(&link.get_attribute("target").unwrap_or_default())
        || link
            .get_attribute("rel")
            .is_some_and(|rel| rel.split_ascii_whitespace().any(|w| w == "external"))
    {
        return None;
    }
    let url = Url::new_with_base(&link.get_attribute("href")?, &current_href()).ok()?;
    if !navigable(&url) {
        return None;
    }
    // A link to a place on this page: the browser scrolls to it (the skip link needs no fetch).
    let same_page = path_and_query(&url.href()) == NAV.with(|n| n.shown.borrow().clone());
    if same_page && !url.hash().is_empty() {
        return None;
    }
    Some(url.href())
}

fn same_window(target: &str) -> bool {
    target.is_empty() || target == "_self"
}

/// A page of this site, not a file, a server function or the socket.
fn navigable(url: &Url) -> bool {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let path = url.pathname();
    let file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    url.origin() == origin
        && !file
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && path != "/ws"
}

/// Fetches `url` when a link is about to be followed, for the click to find it there. Not the
/// page shown: a link to it is rarely followed, and one under the pointer when a page comes in
/// would fetch that page a second time.
fn prefetch(url: String) {
    if path_and_query(&url) == NAV.with(|n| n.shown.borrow().clone()) {
        return;
    }
    let key = without_hash(&url);
    let now = js_sys::Date::now();
    let known = NAV.with(|nav| {
        let mut kept = nav.prefetched.borrow_mut();
        kept.retain(|(_, at, _)| now - at < PREFETCH_FRESH_MS);
        kept.iter().any(|(u, _, _)| *u == key)
    });
    if known {
        return;
    }
    let Some(pending) = start_fetch(&key, &Send::Get, None) else {
        return;
    };
    NAV.with(|nav| {
        let mut kept = nav.prefetched.borrow_mut();
        if kept.len() >= PREFETCH_KEPT {
            let _oldest = kept.remove(0);
        }
        kept.push((key, now, pending));
    });
}

/// A fresh prefetched answer for `url`, taken: each is used once.
fn take_prefetched(url: &str) -> Option<js_sys::Promise> {
    let key = without_hash(url);
    let now = js_sys::Date::now();
    NAV.with(|nav| {
        let mut kept = nav.prefetched.borrow_mut();
        let at = kept
            .iter()
            .position(|(u, t, _)| *u == key && now - t < PREFETCH_FRESH_MS)?;
        Some(kept.remove(at).2)
    })
}

/// Goes to `url`: fetches it (or takes what was fetched ahead), then swaps it in, or falls back to
/// the browser's own navigation.
async fn visit(url: String, send: Send, via: Via, fallback: Fallback) {
    let post = matches!(send, Send::Post(_));
    let (generation, signal) = begin();
    let pending = match send {
        Send::Get => take_prefetched(&url),
        Send::Post(_) => None,
    };
    let answer = match pending.or_else(|| start_fetch(&without_hash(&url), &send, signal.as_ref()))
    {
        Some(pending) => read_page(pending).await,
        None => Err(Failed),
    };
    if NAV.with(|n| n.generation.get()) != generation {
        return;
    }
    end_progress();
    let Ok(page) = answer else {
        fall_back(fallback);
        return;
    };
    let Some(html) = &page.html else {
        // Not a page (a download, a file): the browser's own navigation deals with it.
        load(&page.url);
        return;
    };
    // A post that landed on another page is a new entry; one answered by its own page (refused,
    // or landing where it was sent from) replaces the entry, so back does not show it twice.
    let shown_before = NAV.with(|n| n.shown.borrow().clone());
    let via = if post && page.redirected && path_and_query(&page.url) != shown_before {
        Via::Push
    } else {
        via
    };
    // The #hash stays when the page answered from where it was asked.
    let hash = Url::new(&url).map(|u| u.hash()).unwrap_or_default();
    let shown = if without_hash(&url) == page.url && !post {
        format!("{}{hash}", page.url)
    } else {
        page.url.clone()
    };
    let refused = post && !page.redirected;
    if render(html, &shown, via, refused).is_none() {
        if refused {
            // A refusal changed nothing: the browser sends the form again itself, and the page
            // it loads keeps what was typed and the error beside it.
            fall_back(fallback);
        } else {
            load(&shown);
        }
    }
}

/// Starts a navigation: the one before it is abandoned, and the progress bar will show if this
/// one is slow.
fn begin() -> (u32, Option<web_sys::AbortSignal>) {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    NAV.with(|nav| {
        let generation = nav.generation.get().wrapping_add(1);
        nav.generation.set(generation);
        if let Some(old) = nav.abort.replace(controller) {
            old.abort();
        }
        let show = Timeout::new(PROGRESS_AFTER_MS, move || {
            if NAV.with(|n| n.generation.get()) == generation {
                progress_bar(true);
            }
        });
        *nav.progress.borrow_mut() = Some(show);
        (generation, signal)
    })
}

fn end_progress() {
    NAV.with(|nav| nav.progress.borrow_mut().take());
    progress_bar(false);
}

fn progress_bar(on: bool) {
    let bar = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".nav-progress").ok().flatten());
    if let Some(bar) = bar {
        let _ = bar.class_list().toggle_with_force("is-loading", on);
    }
}

/// Starts fetching a page: the promise of its `Response`.
fn start_fetch(
    url: &str,
    send: &Send,
    signal: Option<&web_sys::AbortSignal>,
) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::SameOrigin);
    init.set_redirect(RequestRedirect::Follow);
    let headers = Headers::new().ok()?;
    let _ = headers.set("Accept", "text/html");
    init.set_headers(&headers);
    if let Some(signal) = signal {
        init.set_signal(Some(signal));
    }
    match send {
        Send::Get => init.set_method("GET"),
        Send::Post(body) => {
            init.set_method("POST");
            init.set_body(body);
        }
    }
    Some(window.fetch_with_str_and_init(url, &init))
}

/// Waits for a fetch's answer and reads it: the page, or `None` for an answer that is not one.
async fn read_page(pending: js_sys::Promise) -> Result<Page, Failed> {
    let answer = JsFuture::from(pending).await.map_err(|_| Failed)?;
    let response: Response = answer.dyn_into().map_err(|_| Failed)?;
    let is_page = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|t| t.starts_with("text/html"));
    let html = if is_page {
        let text = JsFuture::from(response.text().map_err(|_| Failed)?)
            .await
            .map_err(|_| Failed)?;
        Some(text.as_string().ok_or(Failed)?)
    } else {
        None
    };
    Ok(Page {
        url: response.url(),
        redirected: response.redirected(),
        html,
    })
}

/// Puts the page `html` in place of the one shown, at `url`. `None` when it cannot be swapped in
/// (another build, not one of Tandem's pages): the caller loads it. `refused`: the page answers
/// a post it refused (a success always redirects).
fn render(html: &str, url: &str, via: Via, refused: bool) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let next = DomParser::new()
        .ok()?
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()?;
    if meta(&next, app::BUILD_META) != NAV.with(|n| n.build.borrow().clone()) {
        return None;
    }
    // Another person (a sign-in by a form that does not load in full, a session ended
    // elsewhere): nothing of the page before is kept, not even the header's islands.
    let same_person = session(&next) == session(&document);
    let new_main = next.get_element_by_id("main")?;
    let old_main = document.get_element_by_id("main")?;
    let navs = (
        document.query_selector("nav.site-nav").ok().flatten(),
        next.query_selector("nav.site-nav").ok().flatten(),
    );

    // The history first, so what reads the address while the page hydrates sees the new one.
    let history = window.history().ok()?;
    NAV.with(|nav| {
        let left = nav.entry.get();
        let y = window.scroll_y().unwrap_or(0.0);
        let mut kept = nav.scroll.borrow_mut();
        kept.retain(|(key, _)| *key != left);
        kept.push((left, y));
        drop(kept);
        match via {
            Via::Push => {
                let key = nav.next_entry.get();
                nav.next_entry.set(key + 1);
                nav.entry.set(key);
                let _ = history.push_state_with_url(&entry_state(key), "", Some(url));
            }
            Via::Replace => {
                let _ = history.replace_state_with_url(&entry_state(left), "", Some(url));
            }
            Via::Pop(Some(key)) => nav.entry.set(key),
            Via::Pop(None) => {}
        }
        *nav.shown.borrow_mut() = path_and_query(url);
    });

    document.set_title(&next.title());
    swap_outcome(&document, &next);
    if let (Some(old_nav), Some(new_nav)) = &navs {
        if same_person {
            keep_islands(old_nav, new_nav);
        }
        let _ = old_nav.replace_with_with_node_1(new_nav);
    }
    let _ = old_main.replace_with_with_node_1(&new_main);

    // What the page's code reads once per page, read again for this one.
    app::components::form_post::forget_posted();
    app::components::form::draft::forget_sent_elsewhere();
    islands::dispose_detached();
    islands::hydrate_under(&new_main);
    if let (_, Some(new_nav)) = &navs {
        islands::hydrate_under(new_nav);
    }

    let hash = Url::new(url).map(|u| u.hash()).unwrap_or_default();
    let anchor = hash
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document.get_element_by_id(id));
    // A refused post goes on at the first field it refused, focused (and so in view), with its
    // error beside it; any other page starts at its heading.
    let refused_field = refused
        .then(|| {
            new_main
                .query_selector("[aria-invalid=\"true\"]")
                .ok()
                .flatten()
        })
        .flatten()
        .and_then(|el| el.dyn_into::<HtmlElement>().ok());
    if let Some(field) = refused_field {
        let _ = field.focus();
    } else {
        match (via, anchor) {
            (Via::Pop(key), _) => {
                let y = key.and_then(saved_scroll).unwrap_or(0.0);
                window.scroll_to_with_x_and_y(0.0, y);
            }
            (_, Some(anchor)) => anchor.scroll_into_view(),
            (_, None) => window.scroll_to_with_x_and_y(0.0, 0.0),
        }
        focus_heading(&new_main);
    }
    if let Some(announcer) = document.get_element_by_id("page-announcer") {
        announcer.set_text_content(Some(&document.title()));
    }
    Some(())
}

/// Where the history entry `key` was scrolled when it was left.
fn saved_scroll(key: u32) -> Option<f64> {
    NAV.with(|nav| {
        let kept = nav.scroll.borrow();
        kept.iter().find(|(k, _)| *k == key).map(|(_, y)| *y)
    })
}

/// The header's islands that the new page renders again with the same props stay: the live
/// element is moved into the new navigation in place of its copy.
fn keep_islands(old_nav: &Element, new_nav: &Element) {
    let (Ok(olds), Ok(news)) = (
        old_nav.query_selector_all("leptos-island"),
        new_nav.query_selector_all("leptos-island"),
    ) else {
        return;
    };
    for i in 0..news.length() {
        let Some(new) = news.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = new.get_attribute("data-component");
        let props = new.get_attribute("data-props");
        let same = (0..olds.length())
            .filter_map(|j| olds.item(j).and_then(|n| n.dyn_into::<Element>().ok()))
            .find(|old| {
                old.get_attribute(islands::NAME) == name && old.get_attribute("data-props") == props
            });
        if let Some(old) = same {
            let _ = new.replace_with_with_node_1(&old);
        }
    }
}

/// The head script with a post's outcome (components::form_post): the new page's, or none.
fn swap_outcome(document: &Document, next: &Document) {
    let id = app::components::form_post::OUTCOME_SCRIPT_ID;
    if let Some(old) = document.get_element_by_id(id) {
        old.remove();
    }
    if let (Some(new), Some(head)) = (next.get_element_by_id(id), document.head()) {
        let _ = head.append_child(&new);
    }
}

/// Focus on the page's main heading (or `<main>`), so a screen reader starts there and the
/// keyboard's next Tab is on the new page. The heading takes focus for as long as it has it.
fn focus_heading(main: &Element) {
    let target = main
        .query_selector("h1")
        .ok()
        .flatten()
        .unwrap_or_else(|| main.clone());
    let Ok(target) = target.dyn_into::<HtmlElement>() else {
        return;
    };
    if !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
        let heading = target.clone();
        let on_blur = Closure::once_into_js(move || {
            let _ = heading.remove_attribute("tabindex");
        });
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            "blur",
            on_blur.unchecked_ref(),
            &once,
        );
    }
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = target.focus_with_options(&options);
}

fn fall_back(fallback: Fallback) {
    match fallback {
        Fallback::Load(url) => load(&url),
        Fallback::Reload => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
        Fallback::Submit(form, submitter) => {
            // The browser sends it itself: the shell's script marks it as sending again.
            let _ = form.remove_attribute("aria-busy");
            let _ = form.set_attribute("data-reload", "");
            let _ = form.request_submit_with_submitter(submitter.as_ref());
        }
    }
}

fn load(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
}

fn meta(document: &Document, name: &str) -> Option<String> {
    document
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
}

/// Who the page was rendered for (components::layout's `data-session`).
fn session(document: &Document) -> Option<String> {
    document
        .query_selector("[data-session]")
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("data-session"))
}

fn entry_state(key: u32) -> JsValue {
    let state = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&state, &"tandem".into(), &key.into());
    state.into()
}

fn entry_key(state: &JsValue) -> Option<u32> {
    js_sys::Reflect::get(state, &"tandem".into())
        .ok()?
        .as_f64()
        .map(|k| k as u32)
}

fn current_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

fn without_hash(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

/// The path and query of a URL: what tells two pages apart.
fn path_and_query(url: &str) -> String {
    Url::new(url)
        .map(|u| format!("{}{}", u.pathname(), u.search()))
        .unwrap_or_default()
}
