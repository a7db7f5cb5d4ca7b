//! Small islands that enhance a server-rendered page where a plain page cannot: the partner's
//! clock, a print button, a question before a submit that cannot be undone, and a part of a page
//! that refreshes itself. Each is a few lines of WASM, hydrated only where it is used; without
//! JavaScript the page still shows and does everything else.

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

/// Every `seconds`, while the page is visible, asks the server for this page again and puts the
/// new content of the element `id` in place of the old: figures that change elsewhere show
/// without a reload, and nothing else on the page (a filter being typed) is touched.
#[island]
pub fn Refresh(id: String, seconds: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let id = id.clone();
            leptos::task::spawn_local(async move { refresh(&id).await });
        },
        std::time::Duration::from_secs(u64::from(seconds)),
    ) {
        on_cleanup(move || handle.clear());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, seconds);
}

#[cfg(feature = "hydrate")]
async fn refresh(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    if document().visibility_state() != web_sys::VisibilityState::Visible {
        return;
    }
    let Ok(href) = window().location().href() else {
        return;
    };
    let Ok(answer) = JsFuture::from(window().fetch_with_str(&href)).await else {
        return;
    };
    let Ok(response) = answer.dyn_into::<web_sys::Response>() else {
        return;
    };
    if !response.ok() {
        return;
    }
    let Some(text) = response.text().ok().map(JsFuture::from) else {
        return;
    };
    let Some(html) = text.await.ok().and_then(|t| t.as_string()) else {
        return;
    };
    let Ok(parser) = web_sys::DomParser::new() else {
        return;
    };
    let fresh = parser
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)
        .ok()
        .and_then(|doc| doc.get_element_by_id(id));
    // Only a change is put in: the panels hold a live region, which would announce every
    // replacement.
    if let (Some(fresh), Some(old)) = (fresh, document().get_element_by_id(id)) {
        let html = fresh.inner_html();
        if old.inner_html() != html {
            old.set_inner_html(&html);
        }
    }
}
