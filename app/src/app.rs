//! The document shell, the router and the signed-in state every page can read.
//!
//! Tandem is built with Leptos's islands (the `islands` feature): every page is rendered on the
//! server, and without JavaScript every navigation and every form post loads a page, so a page
//! needs no code to be read or used. Only islands (`#[island]`) are compiled to WASM and hydrated
//! in the browser: drafts of long forms, the chat, the navigation's unread count, the
//! coordinators' matching desk, the sending progress of the news, and the small ones in
//! `components::enhance`. The chat and the matching desk are lazy islands, chunks of their own
//! (`cargo leptos build --split`) that only their pages fetch. Components outside islands, and
//! the router, run only on the server. With JavaScript, the navigator (`frontend/src/navigator.rs`)
//! fetches the next page and swaps its `<main>`, title and navigation in, so the document, the
//! WASM runtime and the header's islands stay for the whole visit.

use crate::components::layout::{Footer, Header};
use crate::pages::coordinator::{
    activities as catalogue, applications, audit, cohorts, dashboard, match_table, matching,
};
use crate::pages::{
    account, community::forum, community::news, community::resources, participant::activities,
    participant::chat, participant::goal_sheet, participant::home, participant::match_home,
    public::about, public::apply, public::info, public::unsubscribe, second_factor,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// A form being sent shows it and is not sent twice: on a slow connection a second tap would post
/// again (two contacts logged). The form is marked `aria-busy` and its button `is-sending`
/// (style/main.css) until the next page arrives (a new document, or the page the navigator swaps
/// in, which replaces the form); coming back to it from the history clears the mark. Registered
/// before the navigator's own `submit` listener, so a form already being sent is stopped before
/// the navigator sees it. A form whose island sends it (the chat) has
/// stopped the submit by then and is left alone. Plain JavaScript in the server-only shell.
pub const FORM_SENDING_JS: &str = "addEventListener('submit',function(e){var f=e.target;if(e.defaultPrevented||(f.method||'').toLowerCase()!=='post')return;if(f.hasAttribute('aria-busy')){e.preventDefault();return}f.setAttribute('aria-busy','true');var b=e.submitter;if(b)b.classList.add('is-sending')});addEventListener('pageshow',function(e){if(e.persisted)document.querySelectorAll('form[aria-busy]').forEach(function(f){f.removeAttribute('aria-busy');f.querySelectorAll('.is-sending').forEach(function(b){b.classList.remove('is-sending')})})});";

/// Registers the service worker (public/sw.js) once the page has loaded: repeat visits then take
/// the site's code and icons from the device, and an unreachable page shows the offline page.
pub const SERVICE_WORKER_JS: &str = "if('serviceWorker' in navigator){addEventListener('load',function(){navigator.serviceWorker.register('/sw.js').catch(function(){})})}";

/// The `<meta>` naming the build that rendered a page.
pub const BUILD_META: &str = "tandem-build";

/// The hash file cargo-leptos writes beside the binary (`js: …`, `wasm: …`, `css: …`), read once
/// per process: Leptos's own `HashedStylesheet` reads it from disk for every page.
#[cfg(feature = "ssr")]
fn file_hashes(options: &LeptosOptions) -> &'static [(String, String)] {
    static HASHES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    HASHES.get_or_init(|| {
        options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten()
            .map(|text| {
                text.lines()
                    .filter_map(|line| line.split_once(':'))
                    .map(|(file, hash)| (file.trim().to_string(), hash.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// What identifies this build to a page: the hashes cargo-leptos gave the site's code and style
/// (the hash file beside the binary, which `HydrationScripts` also reads), or the version when
/// files are not hashed. A new build changes the code's hash, so pages from before it are told
/// apart from pages after it.
pub fn build_id(options: &LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    {
        let hashes = file_hashes(options);
        if hashes.is_empty() {
            env!("CARGO_PKG_VERSION").to_string()
        } else {
            hashes
                .iter()
                .map(|(_, hash)| hash.as_str())
                .collect::<Vec<_>>()
                .join("-")
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
        env!("CARGO_PKG_VERSION").to_string()
    }
}

/// The stylesheet's address, as `HashedStylesheet` writes it (`/pkg/tandem.<css hash>.css`).
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        #[cfg(feature = "ssr")]
        let hash = file_hashes(options)
            .iter()
            .find(|(file, _)| file == "css")
            .map(|(_, hash)| format!(".{hash}"))
            .unwrap_or_default();
        #[cfg(not(feature = "ssr"))]
        let hash = "";
        format!(
            "/{}/{}{hash}.css",
            options.site_pkg_dir, options.output_name
        )
    })
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta
                    name="viewport"
                    content="width=device-width, initial-scale=1, interactive-widget=resizes-content"
                />
                // Static head tags live in the shell, which only the server renders, so they cost
                // nothing in the WASM bundle.
                <meta
                    name="description"
                    content="Tandem runs a mentoring program for children's librarians: goal sheets, chat, activities and news for every match."
                />
                <meta name="theme-color" content="#1f4f5c" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <link rel="apple-touch-icon" href="/icon-192.png" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <script nonce=leptos::nonce::use_nonce() inner_html=SERVICE_WORKER_JS></script>
                <script nonce=leptos::nonce::use_nonce() inner_html=FORM_SENDING_JS></script>
                // The outcome of a plain form post this page answers, for hydration to render what
                // the server did (components::form_post). Data, not script: no nonce needed.
                {crate::components::form_post::posted()
                    .map(|p| {
                        view! {
                            <script
                                type="application/json"
                                id=crate::components::form_post::OUTCOME_SCRIPT_ID
                                inner_html=crate::components::form_post::script_json(&p)
                            ></script>
                        }
                    })}
                // The navigator loads a page in full when the server's build differs from the
                // page's (its code would not match the new HTML).
                <meta name=BUILD_META content=build_id(&options) />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() islands=true />
                <link id="leptos" rel="stylesheet" href=stylesheet_href(&options) />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::auth::provide_auth();

    view! {
        <Title formatter=|text: String| {
            if text.is_empty() { "Tandem".to_string() } else { format!("{text} · Tandem") }
        } />
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            // The navigator's (frontend/src/navigator.rs): a thin bar shown when a page takes
            // more than 300 ms to come, and the live region that says which page came.
            <div class="nav-progress" aria-hidden="true"></div>
            <div
                class="visually-hidden"
                id="page-announcer"
                aria-live="polite"
                aria-atomic="true"
            ></div>
            <Header />
            <main id="main" tabindex="-1">
                // Every page with data renders whole before sending (SsrMode::Async): its forms
                // then work before the WASM arrives and without JavaScript (out-of-order streaming
                // fills Suspense in with scripts), and the signed-in pages' content is one
                // resource, whose streamed extra chunks and swap scripts cost more than they save
                // (the match home: p99 25 ms streamed, 15 ms whole). The program's own pages too:
                // streamed, the header's menu (it waits for the session) came after </html> in a
                // <template> that a script swapped in.
                <Routes fallback=info::NotFound>
                    <Route path=path!("/") view=about::HomePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/working-with-a-match")
                        view=about::WorkingWithAMatch
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/activities")
                        view=activities::ActivitiesPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/goals") view=about::Goals ssr=SsrMode::Async />
                    <Route
                        path=path!("/resources")
                        view=resources::ResourcesPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/forum") view=forum::ForumPage ssr=SsrMode::Async />
                    <Route path=path!("/forum/:id") view=forum::EventPage ssr=SsrMode::Async />
                    <Route path=path!("/news") view=news::NewsArchivePage ssr=SsrMode::Async />
                    <Route path=path!("/news/:id") view=news::IssuePage ssr=SsrMode::Async />
                    <Route path=path!("/news/:id/edit") view=news::ComposePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/unsubscribe/:kind/:token")
                        view=unsubscribe::UnsubscribePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/apply") view=apply::ApplyPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/apply/confirm")
                        view=apply::ConfirmApplicationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/waitlist/confirm")
                        view=apply::ConfirmWaitlistPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/sign-in") view=account::SignIn ssr=SsrMode::Async />
                    <Route
                        path=path!("/sign-in/second-factor")
                        view=second_factor::SignInCode
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/second-factor")
                        view=second_factor::SecondFactorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/forgot-password")
                        view=account::ForgotPassword
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reset-password")
                        view=account::ResetPassword
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/profile") view=account::Profile ssr=SsrMode::Async />
                    <Route path=path!("/home") view=home::MyHome ssr=SsrMode::Async />
                    <Route path=path!("/match/:id") view=match_home::MatchPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/match/:id/goals")
                        view=goal_sheet::GoalSheetPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/match/:id/chat") view=chat::ChatRoute ssr=SsrMode::Async />
                    <Route
                        path=path!("/coordinator/cohorts")
                        view=cohorts::CohortsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/activities")
                        view=catalogue::CatalogueEditor
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/matches")
                        view=match_table::MatchesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/dashboard")
                        view=dashboard::DashboardPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/audit")
                        view=audit::AuditPageView
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/cohorts/:id/matching")
                        view=matching::MatchingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/applications")
                        view=applications::ApplicationsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/applications/:id")
                        view=applications::ApplicationPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
