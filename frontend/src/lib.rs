//! The WASM entry: hydrate the server-rendered page. `hydrate_lazy` first loads the chunk of the
//! page being shown (see app::routes), then hydrates.

mod chunk_reload;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    chunk_reload::install_panic_hook();
    leptos::mount::hydrate_lazy(app::App);
}
