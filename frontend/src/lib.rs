//! The WASM entry: hydrate the server-rendered page. `hydrate_lazy` first loads the chunk of the
//! page being shown (see app::routes), then hydrates.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
