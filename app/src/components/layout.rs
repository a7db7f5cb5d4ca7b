//! The header with a navigation that fits who is signed in, and the footer.

use crate::api::account::SignOut;
use crate::api::chat::chat_nav;
use crate::components::auth::use_auth;
use crate::components::data::load;
use crate::components::form::ServerForm;
use crate::model::CurrentUser;
use crate::model::chat::ChatBadge;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

/// Bumped to make the navigation's chat count ask again (the chat page does after reading).
#[derive(Clone, Copy)]
pub struct ChatNavRefresh(pub RwSignal<u32>);

const PROGRAM_LINKS: &[(&str, &str)] = &[
    ("/working-with-a-match", "Working with a Match"),
    ("/activities", "Activities"),
    ("/goals", "Goals"),
    ("/resources", "Resources"),
];

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    // After signing out, leave pages that belong to the account.
    Effect::new(move |_| {
        if let Some(Ok(())) = auth.sign_out.value().get() {
            navigate("/", Default::default());
        }
    });

    // The chat link's unread count, asked again on every page change, every 30 seconds, and
    // when the chat page says it has read something. One resource with the user's, not a
    // Suspense of its own inside the navigation (a nested one did not hydrate).
    let refresh = use_context::<ChatNavRefresh>().map(|r| r.0);
    let location = use_location();
    // An outcome of a plain post belongs to the page that answered it, not to the next one.
    Effect::new(move |prev: Option<String>| {
        let here = location.pathname.get();
        if prev.as_ref().is_some_and(|p| *p != here) {
            crate::components::form_post::forget_outcome();
        }
        here
    });
    let badge = load(
        move || (location.pathname.get(), refresh.map(|r| r.get())),
        |_| chat_nav(),
    );
    Effect::new(move |_| {
        if let Some(r) = refresh
            && let Ok(handle) = set_interval_with_handle(
                move || r.update(|n| *n += 1),
                std::time::Duration::from_secs(30),
            )
        {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <header class="site-header">
            <div class="header-inner">
                <A href="/" attr:class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" width="28" height="28">
                        <circle cx="11" cy="16" r="8" fill="none" stroke="currentColor" stroke-width="3" />
                        <circle cx="21" cy="16" r="8" fill="none" stroke="currentColor" stroke-width="3" />
                    </svg>
                    <span>"Tandem"</span>
                </A>
                <nav aria-label="Main" class="site-nav">
                    <Transition fallback=|| view! { <NavLinks user=None badge=ChatBadge::default() /> }>
                        {move || Suspend::new(async move {
                            let user = auth.user.await.ok().flatten();
                            let badge = badge.await.unwrap_or_default();
                            view! { <NavLinks user badge /> }
                        })}
                    </Transition>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn NavLinks(user: Option<CurrentUser>, badge: ChatBadge) -> impl IntoView {
    let auth = use_auth();
    let first = match &user {
        None => ("/", "Home"),
        Some(u) if u.is_coordinator() => ("/home", "Overview"),
        Some(_) => ("/home", "My match"),
    };
    let program = PROGRAM_LINKS
        .iter()
        .map(|(href, label)| view! { <li><A href=*href>{*label}</A></li> })
        .collect_view();
    let coordinating = user.as_ref().is_some_and(|u| u.is_coordinator()).then(|| {
        view! {
            <li><A href="/coordinator/dashboard">"Dashboard"</A></li>
            <li><A href="/coordinator/cohorts">"Cohorts"</A></li>
            <li><A href="/coordinator/applications">"Applications"</A></li>
            <li><A href="/coordinator/matches">"Matches"</A></li>
            <li><A href="/coordinator/activities">"Catalogue"</A></li>
            <li><A href="/coordinator/audit">"Audit log"</A></li>
        }
    });
    let account = match user {
        None => view! {
            <li><A href="/apply">"Apply"</A></li>
            <li><A href="/sign-in" attr:class="nav-cta">"Sign in"</A></li>
        }
        .into_any(),
        Some(_) => view! {
            <li><A href="/profile">"Profile"</A></li>
            <li>
                <ServerForm action=auth.sign_out to_input=|_| SignOut {} landing=|_| "/".to_string() class="inline-form">
                    <button type="submit" class="link-button">"Sign out"</button>
                </ServerForm>
            </li>
        }
        .into_any(),
    };
    let community = user.is_some().then(|| {
        view! {
            <li><A href="/forum">"Forum"</A></li>
            <li><A href="/news">"News"</A></li>
        }
    });
    let chat = user
        .as_ref()
        .is_some_and(|u| !u.is_coordinator())
        .then(|| {
            let href = if badge.href.is_empty() { "/home".to_string() } else { badge.href };
            let unread = badge.unread;
            view! {
                <A href=href attr:class="nav-chat">
                    "Chat"
                    {(unread > 0).then(|| view! {
                        <span class="nav-unread" data-unread=unread.to_string()>
                            {unread}
                            <span class="visually-hidden">{if unread == 1 { " unread message" } else { " unread messages" }}</span>
                        </span>
                    })}
                </A>
            }
        });
    // A link chosen in the open menu closes it (a client-side navigation keeps the header).
    let close_on_link = move |ev: leptos::ev::MouseEvent| {
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("a").ok().flatten())
            .is_some();
        if on_link
            && let Some(menu) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = menu.remove_attribute("open");
        }
    };
    // The chat link (with its unread count) stays in the header row on a phone; the rest
    // folds into a Menu that opens without JavaScript (a <details>). On a wide screen the CSS
    // shows the menu's content as a row and hides its toggle.
    view! {
        {chat}
        <details class="nav-menu" on:click=close_on_link>
            <summary class="nav-toggle">"Menu"</summary>
            <ul class="nav-list">
                <li><A href=first.0 exact=true>{first.1}</A></li>
                {coordinating}
                {community}
                {program}
                {account}
            </ul>
        </details>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Tandem is a virtual mentoring program for children's librarians. "
                "Questions about the program? Write to your program coordinator."
            </p>
        </footer>
    }
}
