//! The header with a navigation that fits who is signed in, and the footer.

use crate::api::account::{SignOut, get_current_user};
use crate::api::chat::chat_nav;
use crate::components::auth::use_auth;
use crate::components::form::ServerForm;
use crate::components::live::LiveNotices;
use crate::model::CurrentUser;
use crate::model::chat::ChatBadge;
use leptos::prelude::*;

/// The coordinators' navigation: running the program, what participants read and share, and
/// the program's administration.
const COORDINATOR_GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "Program",
        &[
            ("/coordinator/dashboard", "Dashboard"),
            ("/coordinator/cohorts", "Cohorts"),
            ("/coordinator/applications", "Applications"),
            ("/coordinator/matches", "Matches"),
        ],
    ),
    (
        "Community",
        &[
            ("/forum", "Forum"),
            ("/news", "News"),
            ("/resources", "Resources"),
            ("/working-with-a-match", "Working with a Match"),
            ("/activities", "Activities"),
            ("/goals", "Goals"),
        ],
    ),
    (
        "Administration",
        &[
            ("/coordinator/activities", "Catalogue"),
            ("/coordinator/audit", "Audit log"),
        ],
    ),
];

/// Whether `path` is the page at `href` or one under it (`/coordinator/matches/7`).
fn is_under(path: &str, href: &str) -> bool {
    path == href
        || path
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// One group of the coordinators' navigation.
#[component]
fn NavGroup(
    label: &'static str,
    links: &'static [(&'static str, &'static str)],
    here: String,
) -> impl IntoView {
    let current = links.iter().any(|(href, _)| is_under(&here, href));
    view! {
        <li class="nav-group">
            <details name="nav-group" class="nav-group-menu">
                <summary class="nav-group-toggle" aria-current=current.then_some("true")>
                    {label}
                </summary>
                <ul class="nav-sublist">
                    {links
                        .iter()
                        .map(|(href, text)| {
                            view! { <li>{nav_link(href, text, &here, false)}</li> }
                        })
                        .collect_view()}
                </ul>
            </details>
        </li>
    }
}

/// A link of the header's navigation, `aria-current` when the page is its own or one under it.
/// A plain `<a>` with the mark worked out here, where `<A>` would make each link a resolved
/// path, a memo and two closures, on every page: the header is rendered on the server for each
/// page and never changes in the browser (the navigator swaps it with the page).
fn nav_link(href: &'static str, label: &'static str, here: &str, exact: bool) -> impl IntoView {
    let current = if exact {
        here == href
    } else {
        is_under(here, href)
    };
    view! {
        <a href=href aria-current=current.then_some("page")>
            {label}
        </a>
    }
}

const PROGRAM_LINKS: &[(&str, &str)] = &[
    ("/working-with-a-match", "Working with a Match"),
    ("/activities", "Activities"),
    ("/goals", "Goals"),
    ("/resources", "Resources"),
];

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="header-inner">
                <a href="/" class="brand">
                    <svg
                        class="brand-mark"
                        viewBox="0 0 32 32"
                        aria-hidden="true"
                        width="28"
                        height="28"
                    >
                        <circle
                            cx="11"
                            cy="16"
                            r="8"
                            fill="none"
                            stroke="currentColor"
                            stroke-width="3"
                        />
                        <circle
                            cx="21"
                            cy="16"
                            r="8"
                            fill="none"
                            stroke="currentColor"
                            stroke-width="3"
                        />
                    </svg>
                    <span>"Tandem"</span>
                </a>
                <nav aria-label="Main" class="site-nav">
                    <Suspense fallback=|| {
                        view! { <NavLinks user=None badge=ChatBadge::default() /> }
                    }>
                        // Rendered on the server for each page, so the unread count is the
                        // current one on every page; the chat link (an island) keeps it current
                        // while the page stays open. Both reads are ready before the page renders
                        // (`RequestCache::read_ahead`), so this resolves at once.
                        {Suspend::new(async move {
                            let user = get_current_user().await.ok().flatten();
                            let badge = chat_nav().await.unwrap_or_default();
                            view! { <NavLinks user badge /> }
                        })}
                    </Suspense>
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
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let program = PROGRAM_LINKS
        .iter()
        .map(|(href, label)| {
            view! { <li>{nav_link(href, label, &here, false)}</li> }
        })
        .collect_view();
    // A coordinator's fifteen places in three groups, so the row fits a laptop's width: each a
    // <details> (it opens without JavaScript; `name` lets one be open at a time), marked current
    // when the page is one of its own.
    let is_coordinator = user.as_ref().is_some_and(|u| u.is_coordinator());
    let coordinating = is_coordinator.then(|| {
        COORDINATOR_GROUPS
            .iter()
            .map(|(group, links)| view! { <NavGroup label=group links here=here.clone() /> })
            .collect_view()
    });
    let account = match user {
        None => view! {
            <li>{nav_link("/apply", "Apply", &here, false)}</li>
            <li>
                <a
                    href="/sign-in"
                    class="nav-cta"
                    aria-current=is_under(&here, "/sign-in").then_some("page")
                >
                    "Sign in"
                </a>
            </li>
        }
        .into_any(),
        Some(_) => view! {
            <li>{nav_link("/profile", "Profile", &here, false)}</li>
            <li>
                // Loads in full (the navigator leaves it to the browser): the next page starts
                // with nothing of this person's in memory.
                <ServerForm
                    action=auth.sign_out
                    to_input=|_| SignOut {}
                    landing=|_| "/".to_string()
                    class="inline-form sign-out-form"
                    attr:data-reload=""
                >
                    <button type="submit" class="link-button">
                        "Sign out"
                    </button>
                </ServerForm>
            </li>
        }
        .into_any(),
    };
    let community = (user.is_some() && !is_coordinator).then(|| {
        view! {
            <li>{nav_link("/forum", "Forum", &here, false)}</li>
            <li>{nav_link("/news", "News", &here, false)}</li>
        }
    });
    let chat = user
        .as_ref()
        .is_some_and(|u| !u.is_coordinator())
        .then(|| view! { <NavChat badge /> });
    // Everyone signed in holds the live connection, in the one header island that never changes
    // from page to page (so the navigator keeps it, and the socket, for the whole visit).
    let live = user.is_some().then(|| view! { <LiveNotices /> });
    // Who the page was rendered for: when it changes (a session ended elsewhere, an application
    // confirmed), the navigator keeps none of the page's islands, so none outlives its person.
    let session = user
        .as_ref()
        .map(|u| format!("{}:{}", u.id, u.role.as_str()))
        .unwrap_or_default();
    // The chat link (with its unread count) stays in the header row on a phone; the rest
    // folds into a Menu that opens without JavaScript (a <details>). On a wide screen the CSS
    // shows the menu's content as a row and hides its toggle.
    view! {
        {chat}
        {live}
        <details class="nav-menu">
            <summary class="nav-toggle">"Menu"</summary>
            <ul class="nav-list" data-session=session>
                <li>{nav_link(first.0, first.1, &here, true)}</li>
                {coordinating}
                {community}
                {(!is_coordinator).then_some(program)}
                {account}
            </ul>
        </details>
    }
}

/// The chat link with its unread count, kept current while the page is open: the live
/// connection sends the count whenever it changes (a partner's message, a read elsewhere).
#[island]
fn NavChat(badge: ChatBadge) -> impl IntoView {
    let href = RwSignal::new(if badge.href.is_empty() {
        "/home".to_string()
    } else {
        badge.href
    });
    let unread = RwSignal::new(badge.unread);
    #[cfg(feature = "hydrate")]
    {
        use crate::components::live::connection::{self, Heard};
        use crate::model::live::ServerFrame;
        let show = move |badge: &crate::model::chat::ChatBadge| {
            unread.set(badge.unread);
            if !badge.href.is_empty() {
                href.set(badge.href.clone());
            }
        };
        let heard = connection::listen(move |update| {
            if let Heard::Frame(ServerFrame::Unread { badge }) = update {
                show(badge);
            }
        });
        on_cleanup(move || heard.end());
        // A link that came with a new page was rendered with the count of that moment, which a
        // push may already have overtaken (the chat page's own read mark): the connection's last
        // word wins. Set once hydrated, so the server's markup is hydrated as it was sent.
        Effect::new(move |_| {
            if let Some(badge) = connection::last_badge() {
                show(&badge);
            }
        });
    }
    // The link's name is said whole ("Chat, 3 unread messages"): read from its content, a
    // screen reader ran the badge's figure into the word ("Chat3 unread messages").
    let name = move || {
        let n = unread.get();
        match n {
            0 => None,
            1 => Some("Chat, 1 unread message".to_string()),
            n => Some(format!("Chat, {n} unread messages")),
        }
    };
    view! {
        <a href=move || href.get() class="nav-chat" aria-label=name>
            "Chat"
            {move || {
                let n = unread.get();
                (n > 0)
                    .then(|| {
                        view! {
                            <span class="nav-unread" data-unread=n.to_string()>
                                {n}
                            </span>
                        }
                    })
            }}
        </a>
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

#[cfg(test)]
mod tests {
    use super::{is_under, nav_link};
    use leptos::prelude::RenderHtml;

    #[test]
    fn a_header_link_is_current_on_its_page_and_the_pages_below_it() {
        let html = |href, here, exact| nav_link(href, "Go", here, exact).to_html();
        assert!(
            html("/forum", "/forum", false)
                .starts_with(r#"<a href="/forum" aria-current="page">Go"#)
        );
        assert!(html("/forum", "/forum/3", false).contains(r#"aria-current="page""#));
        assert!(html("/forum", "/news", false).starts_with(r#"<a href="/forum">Go"#));
        // The first link ("My match", a visitor's "Home") only on its own page.
        assert!(html("/home", "/home", true).contains("aria-current"));
        assert!(!html("/", "/forum", true).contains("aria-current"));
    }

    #[test]
    fn a_page_is_under_its_own_link_and_the_pages_below_it() {
        assert!(is_under("/coordinator/matches", "/coordinator/matches"));
        assert!(is_under("/coordinator/matches/7", "/coordinator/matches"));
        assert!(!is_under(
            "/coordinator/matches-old",
            "/coordinator/matches"
        ));
        assert!(!is_under("/news", "/forum"));
    }
}
