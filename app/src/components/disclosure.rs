//! A `<details>` whose content is rendered only once it is opened. The closed forms on the match
//! home and the goal sheet (ask to end, plan an activity, record progress, return a sheet) were
//! most of those pages' server rendering; now the server renders a summary line, and the browser
//! renders the form when someone opens it. Those forms need JavaScript to send anyway.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

#[component]
pub fn Disclosure(
    #[prop(into)] summary: String,
    #[prop(optional)] class: &'static str,
    /// Open (and rendered on the server) from the start.
    #[prop(default = false)]
    open: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let shown = RwSignal::new(open);
    let on_toggle = move |ev: leptos::ev::Event| {
        let opened = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|d| d.has_attribute("open"));
        // Once shown, it stays rendered: closing and reopening keeps what was typed.
        if opened {
            shown.set(true);
        }
    };
    view! {
        <details class=class open=open on:toggle=on_toggle>
            <summary>{summary}</summary>
            {move || shown.get().then(|| children())}
        </details>
    }
}
