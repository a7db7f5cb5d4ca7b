//! Islands, each hydrated under a reactive owner of its own and disposed of when it leaves the
//! page.
//!
//! Leptos's island script hydrates every island of the first document under one root owner and
//! never disposes of one (the island macro forgets its view state). The navigator swaps pages
//! without a reload, so an island that leaves must end its timers, listeners and sockets: here
//! each island hydrates under a child owner kept with its element, and [`dispose_detached`]
//! cleans up the owners whose element has left the document (their `on_cleanup`s run).
//!
//! Islands hydrate one at a time from a queue, the way Leptos's script does. An island's owner is
//! the current owner until its hydration settles: for a plain island that is at once, for a lazy
//! island (the chat, the matching desk) it is once its chunk has arrived and it has hydrated,
//! because the island macro's async export polls later, outside any call we could wrap. While a
//! lazy island's chunk loads, code that runs without an owner of its own (none of Tandem's does
//! anything owned there) would be owned by that island.

use leptos::reactive::owner::Owner;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement};

/// The export every queued island's `data-component` points at, so Leptos's own walk of the
/// first document (it runs right after `hydrate`) hydrates nothing a second time.
#[wasm_bindgen]
pub fn tandem_island_queued(_el: HtmlElement) {}

const QUEUED: &str = "tandem_island_queued";
/// Where an island's own export name is kept once it is queued: the queue reads it, and it marks
/// the island as taken care of.
pub const NAME: &str = "data-island";

thread_local! {
    /// The root owner `hydrate_islands` made: every island's owner is its child, and it is the
    /// current owner again between islands.
    static ROOT: RefCell<Option<Owner>> = const { RefCell::new(None) };
    /// Each hydrated island's element and owner.
    static LIVE: RefCell<Vec<(HtmlElement, Owner)>> = const { RefCell::new(Vec::new()) };
    static QUEUE: RefCell<VecDeque<HtmlElement>> = const { RefCell::new(VecDeque::new()) };
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// Remembers the root owner. Call once, right after `leptos::mount::hydrate_islands`.
pub fn start() {
    ROOT.set(Owner::current());
}

/// Queues every island under `root` that is not hydrated yet, and hydrates them in document
/// order.
pub fn hydrate_under(root: &Element) {
    let Ok(found) = root.query_selector_all("leptos-island") else {
        return;
    };
    for i in 0..found.length() {
        let Some(el) = found.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else {
            continue;
        };
        if el.has_attribute(NAME) {
            continue;
        }
        let Some(name) = el.get_attribute("data-component") else {
            continue;
        };
        let _ = el.set_attribute(NAME, &name);
        let _ = el.set_attribute("data-component", QUEUED);
        QUEUE.with_borrow_mut(|q| q.push_back(el));
    }
    if !DRAINING.replace(true) {
        leptos::task::spawn_local(drain());
    }
}

async fn drain() {
    while let Some(el) = QUEUE.with_borrow_mut(|q| q.pop_front()) {
        // An island that left before its turn (a quick second navigation) is never started.
        if !el.is_connected() {
            continue;
        }
        let Some(name) = el.get_attribute(NAME) else {
            continue;
        };
        let root = ROOT.with_borrow(Clone::clone);
        let owner = root.as_ref().map_or_else(Owner::new, Owner::child);
        LIVE.with_borrow_mut(|live| live.push((el.clone(), owner.clone())));
        owner.set();
        if let Some(settled) = hydrate_island(&el, &name) {
            let _ = JsFuture::from(settled).await;
        }
        match &root {
            Some(root) => root.set(),
            None => owner.clone().unset(),
        }
        // A lazy island whose page was left while its chunk loaded.
        if !el.is_connected() {
            dispose_detached();
        }
    }
    DRAINING.set(false);
}

/// Leptos's island script's `__hydrateIsland(el, name)`, which calls the island's export: it
/// hydrates a plain island before it returns, and answers a promise that settles when a lazy one
/// has hydrated.
fn hydrate_island(el: &HtmlElement, name: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let hydrate = js_sys::Reflect::get(&window, &JsValue::from_str("__hydrateIsland"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    hydrate
        .call2(&JsValue::NULL, el, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}

/// Disposes of every island whose element is no longer in the document: its cleanups run (timers
/// cleared, listeners removed, sockets closed) and its signals are dropped.
pub fn dispose_detached() {
    let gone: Vec<Owner> = LIVE.with_borrow_mut(|live| {
        let (kept, gone): (Vec<_>, Vec<_>) = live.drain(..).partition(|(el, _)| el.is_connected());
        *live = kept;
        gone.into_iter().map(|(_, owner)| owner).collect()
    });
    for owner in gone {
        owner.cleanup();
    }
}
