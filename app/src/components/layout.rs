//! The header with a navigation that fits who is signed in, and the footer.

use crate::api::account::SignOut;
use crate::components::auth::use_auth;
use crate::components::form::ServerForm;
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

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
                <nav aria-label="Main">
                    <Transition fallback=|| view! { <NavLinks user=None /> }>
                        {move || Suspend::new(async move {
                            let user = auth.user.await.ok().flatten();
                            view! { <NavLinks user /> }
                        })}
                    </Transition>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn NavLinks(user: Option<CurrentUser>) -> impl IntoView {
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
            <li><A href="/coordinator/cohorts">"Cohorts"</A></li>
            <li><A href="/coordinator/applications">"Applications"</A></li>
            <li><A href="/coordinator/activities">"Catalogue"</A></li>
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
                <ServerForm action=auth.sign_out to_input=|_| SignOut {} class="inline-form">
                    <button type="submit" class="link-button">"Sign out"</button>
                </ServerForm>
            </li>
        }
        .into_any(),
    };
    view! {
        <ul class="nav-list">
            <li><A href=first.0 exact=true>{first.1}</A></li>
            {coordinating}
            {program}
            {account}
        </ul>
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
