//! Which code each page downloads. In the browser the pages are split into lazily loaded groups,
//! each a WASM chunk (`cargo leptos build --split`) fetched the first time one of its pages is
//! shown: the sign-in forms, Apply, the community pages (news, forum, resources, activities), the
//! match home (with the participant's home), the goal sheet, the chat, the profile, and the
//! coordinators' pages, which a visitor or a participant never fetches. The visitors' short pages
//! about the program stay in the main module.
//!
//! wasm-split gives the code that each combination of chunks shares a chunk of its own: one lazy
//! route per page (22) made 470 files and a match home that fetched 240 of them. These groups were
//! chosen by measuring (bench/README.md): the participants' pages apart make each of them smaller
//! than one participant group does (the chat 353 KB brotli against 493 KB).
//!
//! The route data is empty: every page loads its own resources, which the server rendered and
//! serialised, so hydration needs no request; only a client-side navigation to a group not yet
//! loaded waits for its chunk before the page's first request. On the server nothing is split
//! and each `#[lazy]` function runs at once (and names its chunk in a preload link).

use crate::pages::{
    account, activities, apply, chat, coordinator, forum, goal_sheet, home, match_home, news,
    resources, unsubscribe,
};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Route types whose view is one page of a lazily loaded group.
macro_rules! lazy_pages {
    ($group:ident, $preload:ident, $page:ident { $($route:ident => $variant:ident),* $(,)? }) => {
        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group($page::$variant).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

#[derive(Clone, Copy)]
pub enum ApplyPages {
    Apply,
}

#[lazy]
fn apply_page(page: ApplyPages) -> AnyView {
    match page {
        ApplyPages::Apply => view! { <apply::ApplyPage /> }.into_any(),
    }
}

lazy_pages!(apply_page, __preload_apply_page, ApplyPages { ApplyRoute => Apply });

#[derive(Clone, Copy)]
pub enum CommunityPages {
    Activities,
    Resources,
    Forum,
    Event,
    NewsArchive,
    Issue,
    Unsubscribe,
}

#[lazy]
fn community_page(page: CommunityPages) -> AnyView {
    match page {
        CommunityPages::Activities => view! { <activities::ActivitiesPage /> }.into_any(),
        CommunityPages::Resources => view! { <resources::ResourcesPage /> }.into_any(),
        CommunityPages::Forum => view! { <forum::ForumPage /> }.into_any(),
        CommunityPages::Event => view! { <forum::EventPage /> }.into_any(),
        CommunityPages::NewsArchive => view! { <news::NewsArchivePage /> }.into_any(),
        CommunityPages::Issue => view! { <news::IssuePage /> }.into_any(),
        CommunityPages::Unsubscribe => view! { <unsubscribe::UnsubscribePage /> }.into_any(),
    }
}

lazy_pages!(community_page, __preload_community_page, CommunityPages {
    ActivitiesRoute => Activities,
    ResourcesRoute => Resources,
    ForumRoute => Forum,
    EventRoute => Event,
    NewsArchiveRoute => NewsArchive,
    IssueRoute => Issue,
    UnsubscribeRoute => Unsubscribe,
});

#[derive(Clone, Copy)]
pub enum AccountPages {
    SignIn,
    ForgotPassword,
    ResetPassword,
}

#[lazy]
fn account_page(page: AccountPages) -> AnyView {
    match page {
        AccountPages::SignIn => view! { <account::SignIn /> }.into_any(),
        AccountPages::ForgotPassword => view! { <account::ForgotPassword /> }.into_any(),
        AccountPages::ResetPassword => view! { <account::ResetPassword /> }.into_any(),
    }
}

lazy_pages!(account_page, __preload_account_page, AccountPages {
    SignInRoute => SignIn,
    ForgotPasswordRoute => ForgotPassword,
    ResetPasswordRoute => ResetPassword,
});

#[derive(Clone, Copy)]
pub enum MatchHomePages {
    MyHome,
    Match,
}

#[lazy]
fn match_home_page(page: MatchHomePages) -> AnyView {
    match page {
        MatchHomePages::MyHome => view! { <home::MyHome /> }.into_any(),
        MatchHomePages::Match => view! { <match_home::MatchPage /> }.into_any(),
    }
}

lazy_pages!(match_home_page, __preload_match_home_page, MatchHomePages {
    MyHomeRoute => MyHome,
    MatchRoute => Match,
});

#[derive(Clone, Copy)]
pub enum GoalSheetPages {
    GoalSheet,
}

#[lazy]
fn goal_sheet_page(page: GoalSheetPages) -> AnyView {
    match page {
        GoalSheetPages::GoalSheet => view! { <goal_sheet::GoalSheetPage /> }.into_any(),
    }
}

lazy_pages!(goal_sheet_page, __preload_goal_sheet_page, GoalSheetPages {
    GoalSheetRoute => GoalSheet,
});

#[derive(Clone, Copy)]
pub enum ChatPages {
    Chat,
}

#[lazy]
fn chat_page(page: ChatPages) -> AnyView {
    match page {
        ChatPages::Chat => view! { <chat::ChatRoute /> }.into_any(),
    }
}

lazy_pages!(chat_page, __preload_chat_page, ChatPages {
    MatchChatRoute => Chat,
});

#[derive(Clone, Copy)]
pub enum ProfilePages {
    Profile,
}

#[lazy]
fn profile_page(page: ProfilePages) -> AnyView {
    match page {
        ProfilePages::Profile => view! { <account::Profile /> }.into_any(),
    }
}

lazy_pages!(profile_page, __preload_profile_page, ProfilePages {
    ProfileRoute => Profile,
});

#[derive(Clone, Copy)]
pub enum CoordinatorPages {
    Cohorts,
    Catalogue,
    Matches,
    Dashboard,
    Audit,
    Matching,
    Applications,
    Application,
    Compose,
}

#[lazy]
fn coordinator_page(page: CoordinatorPages) -> AnyView {
    use coordinator::{applications, audit, cohorts, dashboard, matches, matching};
    match page {
        CoordinatorPages::Cohorts => view! { <cohorts::CohortsPage /> }.into_any(),
        CoordinatorPages::Catalogue => view! { <activities::CatalogueEditor /> }.into_any(),
        CoordinatorPages::Matches => view! { <matches::MatchesPage /> }.into_any(),
        CoordinatorPages::Dashboard => view! { <dashboard::DashboardPage /> }.into_any(),
        CoordinatorPages::Audit => view! { <audit::AuditPageView /> }.into_any(),
        CoordinatorPages::Matching => view! { <matching::MatchingPage /> }.into_any(),
        CoordinatorPages::Applications => view! { <applications::ApplicationsPage /> }.into_any(),
        CoordinatorPages::Application => view! { <applications::ApplicationPage /> }.into_any(),
        CoordinatorPages::Compose => view! { <news::ComposePage /> }.into_any(),
    }
}

lazy_pages!(coordinator_page, __preload_coordinator_page, CoordinatorPages {
    CohortsRoute => Cohorts,
    CatalogueRoute => Catalogue,
    MatchesRoute => Matches,
    DashboardRoute => Dashboard,
    AuditRoute => Audit,
    MatchingRoute => Matching,
    ApplicationsRoute => Applications,
    ApplicationRoute => Application,
    ComposeRoute => Compose,
});
