//! The document shell, the router and the signed-in state every page can read.

use crate::components::layout::{Footer, Header};
use crate::pages::{
    about, account, activities, apply, chat, coordinator, forum, goal_sheet, home, info,
    match_home, news, resources, unsubscribe,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
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
                <Routes fallback=info::NotFound>
                    <Route path=path!("/") view=about::HomePage />
                    <Route path=path!("/working-with-a-match") view=about::WorkingWithAMatch />
                    <Route path=path!("/activities") view=activities::ActivitiesPage ssr=SsrMode::Async />
                    <Route path=path!("/goals") view=about::Goals />
                    <Route path=path!("/resources") view=resources::ResourcesPage ssr=SsrMode::Async />
                    <Route path=path!("/forum") view=forum::ForumPage ssr=SsrMode::Async />
                    <Route path=path!("/forum/:id") view=forum::EventPage ssr=SsrMode::Async />
                    <Route path=path!("/news") view=news::NewsArchivePage ssr=SsrMode::Async />
                    <Route path=path!("/news/:id") view=news::IssuePage ssr=SsrMode::Async />
                    <Route path=path!("/news/:id/edit") view=news::ComposePage ssr=SsrMode::Async />
                    <Route path=path!("/unsubscribe/:kind/:token") view=unsubscribe::UnsubscribePage ssr=SsrMode::Async />
                    // Rendered whole before sending, so the form works without streaming scripts.
                    <Route path=path!("/apply") view=apply::ApplyPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=account::SignIn />
                    <Route path=path!("/forgot-password") view=account::ForgotPassword />
                    <Route path=path!("/reset-password") view=account::ResetPassword />
                    <Route path=path!("/profile") view=account::Profile />
                    // The signed-in pages render whole (SsrMode::Async): their content is one
                    // resource, and out-of-order streaming's extra chunks and swap scripts cost
                    // more than they save (the match home: p99 25 ms streamed, 15 ms whole).
                    <Route path=path!("/home") view=home::MyHome ssr=SsrMode::Async />
                    <Route path=path!("/match/:id") view=match_home::MatchPage ssr=SsrMode::Async />
                    <Route path=path!("/match/:id/goals") view=goal_sheet::GoalSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/match/:id/chat") view=chat::ChatRoute ssr=SsrMode::Async />
                    <Route path=path!("/coordinator/cohorts") view=coordinator::cohorts::CohortsPage />
                    <Route path=path!("/coordinator/activities") view=activities::CatalogueEditor />
                    <Route path=path!("/coordinator/matches") view=coordinator::matches::MatchesPage />
                    <Route path=path!("/coordinator/dashboard") view=coordinator::dashboard::DashboardPage />
                    <Route path=path!("/coordinator/audit") view=coordinator::audit::AuditPageView />
                    <Route
                        path=path!("/coordinator/cohorts/:id/matching")
                        view=coordinator::matching::MatchingPage
                    />
                    <Route
                        path=path!("/coordinator/applications")
                        view=coordinator::applications::ApplicationsPage
                    />
                    <Route
                        path=path!("/coordinator/applications/:id")
                        view=coordinator::applications::ApplicationPage
                    />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
