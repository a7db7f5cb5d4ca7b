//! The document shell, the router and the signed-in state every page can read.

use crate::components::layout::{Footer, Header};
use crate::pages::{about, info};
use crate::routes;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

/// Remembers the link clicked last, and when, for the reload after a chunk fails to load
/// (frontend/src/chunk_reload.rs reads it). Plain JavaScript in the server-only shell: no WASM.
pub const LINK_TRACKER_JS: &str = "(function(){var k='tandem.last-link';function put(v){try{v===null?sessionStorage.removeItem(k):sessionStorage.setItem(k,v)}catch(e){}}addEventListener('click',function(e){var a=e.target.closest?e.target.closest('a[href]'):null;if(a)put(Date.now()+' '+a.href)},true);addEventListener('popstate',function(){put(null)})})();";

/// Registers the service worker (public/sw.js) once the page has loaded: repeat visits then take
/// the site's code and icons from the device, and an unreachable page shows the offline page.
pub const SERVICE_WORKER_JS: &str = "if('serviceWorker' in navigator){addEventListener('load',function(){navigator.serviceWorker.register('/sw.js').catch(function(){})})}";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content" />
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
                <script nonce=leptos::nonce::use_nonce() inner_html=LINK_TRACKER_JS></script>
                <script nonce=leptos::nonce::use_nonce() inner_html=SERVICE_WORKER_JS></script>
                // The outcome of a plain form post this page answers, for hydration to render what
                // the server did (components::form_post). Data, not script: no nonce needed.
                {crate::components::form_post::posted().map(|p| {
                    view! {
                        <script
                            type="application/json"
                            id=crate::components::form_post::OUTCOME_SCRIPT_ID
                            inner_html=crate::components::form_post::script_json(&p)
                        ></script>
                    }
                })}
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
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
    provide_context(crate::components::layout::ChatNavRefresh(RwSignal::new(0)));
    // Effects run only in the browser, after hydration: mark the page so tests (and anyone
    // debugging) can tell a hydrated page from server-rendered HTML.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|text: String| {
            if text.is_empty() { "Tandem".to_string() } else { format!("{text} · Tandem") }
        } />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
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
                    <Route path=path!("/working-with-a-match") view=about::WorkingWithAMatch ssr=SsrMode::Async />
                    <Route path=path!("/activities") view={Lazy::<routes::ActivitiesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/goals") view=about::Goals ssr=SsrMode::Async />
                    <Route path=path!("/resources") view={Lazy::<routes::ResourcesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/forum") view={Lazy::<routes::ForumRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/forum/:id") view={Lazy::<routes::EventRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/news") view={Lazy::<routes::NewsArchiveRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/news/:id") view={Lazy::<routes::IssueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/news/:id/edit") view={Lazy::<routes::ComposeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/unsubscribe/:kind/:token") view={Lazy::<routes::UnsubscribeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/apply") view={Lazy::<routes::ApplyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view={Lazy::<routes::SignInRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view={Lazy::<routes::ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view={Lazy::<routes::ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/profile") view={Lazy::<routes::ProfileRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/home") view={Lazy::<routes::MyHomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/match/:id") view={Lazy::<routes::MatchRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/match/:id/goals") view={Lazy::<routes::GoalSheetRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/match/:id/chat") view={Lazy::<routes::MatchChatRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/cohorts") view={Lazy::<routes::CohortsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/activities") view={Lazy::<routes::CatalogueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/matches") view={Lazy::<routes::MatchesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/dashboard") view={Lazy::<routes::DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/audit") view={Lazy::<routes::AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/coordinator/cohorts/:id/matching")
                        view={Lazy::<routes::MatchingRoute>::new()}
                    ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/applications")
                        view={Lazy::<routes::ApplicationsRoute>::new()}
                    ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/applications/:id")
                        view={Lazy::<routes::ApplicationRoute>::new()}
                    ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
