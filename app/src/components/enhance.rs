//! Small islands that enhance a server-rendered page where a plain page cannot: the partner's
//! clock, a print button, and a question before a submit that cannot be undone. Each is a few
//! lines of WASM, hydrated only where it is used; without JavaScript the page still shows and
//! does everything else.

use leptos::prelude::*;

/// Milliseconds since the epoch, on the server or in the browser.
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock at `offset_minutes` from UTC, kept current while the page is open.
#[island]
pub fn Clock(offset_minutes: i32) -> impl IntoView {
    let now = RwSignal::new(now_ms());
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_secs(20),
    ) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <time datetime=move || crate::model::clock_24_at(
            now.get(),
            offset_minutes,
        )>{move || crate::model::clock_at(now.get(), offset_minutes)}</time>
    }
}

/// A button that opens the browser's print dialog. Shown once the page can do it: a button
/// that does nothing would be worse than none.
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    // Set by an effect, which runs once the island is hydrated (a value set while hydrating
    // would not reach the attribute the server rendered).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <button
            type="button"
            class="button button-secondary"
            hidden=move || !ready.get()
            on:click=|_| {
                #[cfg(feature = "hydrate")]
                let _ = window().print();
            }
        >
            {label}
        </button>
    }
}

/// A submit button that asks before its form goes, once the page is interactive; a press made
/// before then (or without JavaScript) posts at once, as a deliberate press.
#[island]
pub fn ConfirmSubmit(label: String, question: String, class: String) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            on:click=move |ev| {
                #[cfg(feature = "hydrate")]
                if !window().confirm_with_message(&question).unwrap_or(false) {
                    ev.prevent_default();
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (&ev, &question);
            }
        >
            {label}
        </button>
    }
}
