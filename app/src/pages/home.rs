//! The signed-in home: a participant's match, or the program overview for a coordinator.

use crate::api::home::my_home;
use crate::components::auth::use_auth;
use crate::error::AppError;
use crate::model::{CohortSummary, HomeView, MatchRow, MyMatch};
use crate::pages::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyHome() -> impl IntoView {
    let auth = use_auth();
    let home = Resource::new(move || auth.sign_in.version().get(), |_| my_home());
    view! {
        <Title text="Home" />
        <section class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading your home…"</p> }>
                {move || Suspend::new(async move {
                    let user = auth.user.await.ok().flatten();
                    match (user, home.await) {
                        (Some(user), Ok(HomeView::Participant { matches, applications: _ })) => {
                            view! {
                                <h1>{format!("Welcome, {}", user.name)}</h1>
                                <ParticipantHome matches />
                            }
                                .into_any()
                        }
                        (Some(user), Ok(HomeView::Coordinator { cohorts, matches })) => {
                            view! {
                                <h1>"Program overview"</h1>
                                <p class="lead">{format!("Signed in as {}, coordinator.", user.name)}</p>
                                <CoordinatorHome cohorts matches />
                            }
                                .into_any()
                        }
                        (_, Err(AppError::Unauthenticated)) | (None, _) => {
                            view! {
                                <h1>"Your home"</h1>
                                <SignInPrompt message="Please sign in to see your match." />
                            }
                                .into_any()
                        }
                        (_, Err(e)) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ParticipantHome(matches: Vec<MyMatch>) -> impl IntoView {
    if matches.is_empty() {
        return view! {
            <div class="notice">
                <p>
                    "You are not matched yet. When a coordinator pairs you with a partner, they will appear here "
                    "and you will get an email introducing you."
                </p>
                <p>"Meanwhile, read " <A href="/working-with-a-match">"how a match works"</A> "."</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="card-grid">
            {matches.into_iter().map(|m| view! { <PartnerCardView m /> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn PartnerCardView(m: MyMatch) -> impl IntoView {
    let partner_role = if m.my_role == "mentor" {
        "Your mentee"
    } else {
        "Your mentor"
    };
    let p = m.partner;
    view! {
        <article class="card partner-card">
            <p class="eyebrow">{partner_role}</p>
            <h2>
                {p.name.clone()}
                {(!p.pronouns.is_empty()).then(|| view! { <span class="pronouns">{format!(" ({})", p.pronouns)}</span> })}
            </h2>
            <dl class="facts">
                <div><dt>"Time zone"</dt><dd>{p.time_zone.replace('_', " ")}</dd></div>
                <div><dt>"Cohort"</dt><dd>{m.cohort_name}</dd></div>
                <div><dt>"Program"</dt><dd>{format!("{} to {}", m.program_start, m.program_end)}</dd></div>
            </dl>
            {(!p.bio.is_empty()).then(|| view! { <p class="bio">{p.bio.clone()}</p> })}
            <p class="next-step">
                "Next: agree on your goals. " <A href="/goals">"How the goal sheet works"</A>
            </p>
        </article>
    }
}

#[component]
fn CoordinatorHome(cohorts: Vec<CohortSummary>, matches: Vec<MatchRow>) -> impl IntoView {
    view! {
        <h2>"Cohorts"</h2>
        {if cohorts.is_empty() {
            view! { <p class="notice">"No cohorts yet."</p> }.into_any()
        } else {
            view! {
                <div class="card-grid">
                    {cohorts
                        .into_iter()
                        .map(|c| {
                            view! {
                                <article class="card">
                                    <h3>{c.name}</h3>
                                    <p class="eyebrow">{format!("{} · {} to {}", c.state, c.program_start, c.program_end)}</p>
                                    <dl class="stats">
                                        <div><dt>"Mentors"</dt><dd>{c.mentors}</dd></div>
                                        <div><dt>"Mentees"</dt><dd>{c.mentees}</dd></div>
                                        <div><dt>"Active matches"</dt><dd>{c.active_matches}</dd></div>
                                    </dl>
                                </article>
                            }
                        })
                        .collect_view()}
                </div>
            }
                .into_any()
        }}
        <h2>"Recent matches"</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Recent matches">
            <table>
                <thead>
                    <tr><th scope="col">"Mentor"</th><th scope="col">"Mentee"</th><th scope="col">"Cohort"</th><th scope="col">"State"</th></tr>
                </thead>
                <tbody>
                    {matches
                        .into_iter()
                        .map(|m| {
                            view! {
                                <tr>
                                    <td>{m.mentor_name}</td>
                                    <td>{m.mentee_name}</td>
                                    <td>{m.cohort_name}</td>
                                    <td>{m.state}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
