//! The WASM entry: starts the runtime, hydrates the page's islands (each under an owner of its
//! own, so it can be disposed of when it leaves the page), and starts the navigator, which swaps
//! pages in without loading a new document. Marks `<body>` so tests can tell that the code has
//! arrived.

mod chunk_reload;
mod islands;
mod navigator;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    chunk_reload::install_panic_hook();
    leptos::mount::hydrate_islands();
    islands::start();
    app::components::form::draft::forget_sent_elsewhere();
    app::components::form::draft::forget_all_at_sign_out();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    // Leptos's island script walks the page right after this returns; the islands are queued
    // here first, and its walk finds nothing left to do (islands::tandem_island_queued).
    islands::hydrate_under(&body);
    navigator::start();
    let _ = body.set_attribute("data-hydrated", "true");
}
