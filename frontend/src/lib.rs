//! The WASM entry: starts the runtime the page's islands hydrate in (Leptos's island script then
//! hydrates each `<leptos-island>`, fetching a lazy island's chunk first), and marks `<body>` so
//! tests can tell that the code has arrived.

mod chunk_reload;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    chunk_reload::install_panic_hook();
    app::components::form::draft::forget_sent_elsewhere();
    app::components::form::draft::forget_all_at_sign_out();
    leptos::mount::hydrate_islands();
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
