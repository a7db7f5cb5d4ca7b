//! A page whose code chunk cannot be fetched (a deploy replaced it, the network dropped) would
//! otherwise sit dead: wasm-split's loader panics, and a panic stops the whole module. The panic
//! hook here recognises that one failure and loads the page from the server once, so the browser
//! gets the current build's HTML and chunks. A reload within the last minute is not repeated: a
//! chunk that is missing for good leaves the server-rendered page readable, with the error in the
//! console, instead of a reload loop.
//!
//! Pages are server-rendered and every navigation loads a page, so the page to reload is always
//! the one shown: a lazily loaded island (the chat, the matching desk) whose chunk failed.

use std::panic::PanicHookInfo;

/// wasm_split_helpers panics with this message when a chunk fails to load (see the
/// `wasm_split` macro's `ensure_loaded(..).expect(..)`).
const CHUNK_LOAD_FAILED: &str = "load callback should succeed";
/// When the last reload happened, in sessionStorage: one tab, survives the reload.
const LAST_RELOAD_KEY: &str = "tandem.chunk-reload-at";
const NO_SECOND_RELOAD_MS: u64 = 60_000;

pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if is_chunk_load_failure(info) {
            reload_once();
        }
    }));
}

fn is_chunk_load_failure(info: &PanicHookInfo<'_>) -> bool {
    info.payload_as_str()
        .is_some_and(|message| message.contains(CHUNK_LOAD_FAILED))
}

fn reload_once() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Whole milliseconds as integers: formatting or parsing an f64 would put Rust's float
    // printing and parsing (about 20 KB before compression) in the main module for this alone.
    let now = js_sys::Date::now() as u64;
    let storage = window.session_storage().ok().flatten();
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(LAST_RELOAD_KEY).ok().flatten())
        .and_then(|v| v.parse::<u64>().ok());
    if last.is_some_and(|at| now.saturating_sub(at) < NO_SECOND_RELOAD_MS) {
        return;
    }
    match storage {
        Some(s) if s.set_item(LAST_RELOAD_KEY, &now.to_string()).is_ok() => {
            let _ = window.location().reload();
        }
        // Without storage there is no guard against a loop: leave the page as it is.
        _ => {}
    }
}
