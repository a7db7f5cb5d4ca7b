//! The signed-in home: a participant's match, or the program overview for a coordinator.

use crate::api::home::my_home;
use crate::components::data::written_for;
use crate::error::AppError;
use crate::model::{
    ApplicationState, CohortSummary, HomeView, MatchHome, MatchRow, MyApplication, PastMatch,
};
use crate::pages::participant::match_home::{MatchActions, MatchHomeView, SheetBadges};
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyHome() -> impl IntoView {
    view! {
        <Title text="Home" />
        <section class="page">
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading your home…"</p> }
            }>
                // Read once, on the server: this page is never rendered in the browser, so a
                // resource (a task, signals to rerun it) would be work for nothing.
                {Suspend::new(async move {
                    match my_home().await {
                        Ok(home @ HomeView::Participant { .. }) => {
                            written_for("home", home, participant_home)
                        }
                        Ok(HomeView::Coordinator { me: user, cohorts, matches }) => {
                            view! {
                                <h1>"Program overview"</h1>
                                <p class="lead">
                                    {format!("Signed in as {}, coordinator.", user.name)}
                                </p>
                                <CoordinatorHome cohorts matches />
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <h1>"Your home"</h1>
                                <SignInPrompt message="Please sign in to see your match." />
                            }
                                .into_any()
                        }
                        Err(AppError::SecondFactorNeeded) => {
                            view! {
                                <h1>"Program overview"</h1>
                                <crate::pages::second_factor::SecondFactorPrompt />
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A participant's home, kept for them while its data stays the same
/// (components::data::written_for).
fn participant_home(home: HomeView) -> AnyView {
    let HomeView::Participant {
        me,
        matches,
        applications,
        past,
    } = home
    else {
        return ().into_any();
    };
    // Made only when the home is written: a kept one needs none.
    let actions = MatchActions::new();
    // The signed-in person comes with the home itself, not from a second read.
    view! { <ParticipantHome name=me.name matches applications past actions /> }.into_any()
}

#[component]
fn ParticipantHome(
    name: String,
    matches: Vec<MatchHome>,
    applications: Vec<MyApplication>,
    past: Vec<PastMatch>,
    actions: MatchActions,
) -> impl IntoView {
    let waiting = applications
        .iter()
        .filter(|a| a.state != ApplicationState::Matched)
        .cloned()
        .collect::<Vec<_>>();
    let status = (!waiting.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="apps-h">
                <h2 id="apps-h">"Your applications"</h2>
                <ul class="plain-list">
                    {waiting
                        .into_iter()
                        .map(|a| {
                            view! {
                                <li class="application-status">
                                    <span>
                                        {format!("{} — as a {}", a.cohort_name, a.role.as_str())}
                                    </span>
                                    <span class=format!(
                                        "badge badge-{}",
                                        a.state.as_str(),
                                    )>{a.state.status()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p>
                    <A href="/apply">"See or withdraw your applications"</A>
                </p>
            </section>
        }
    });
    if matches.len() == 1 {
        // The usual case: the home is the match home, one tap from signing in.
        let home = matches.into_iter().next();
        return view! {
            {home.map(|home| view! { <MatchHomeView home actions welcome=name /> })}
            {status}
        }
        .into_any();
    }
    if matches.is_empty() && !past.is_empty() {
        return view! {
            <h1>{format!("Welcome, {name}")}</h1>
            {status}
            <section class="card" aria-labelledby="past-h">
                <h2 id="past-h">"Your past matches"</h2>
                <ul class="plain-list">
                    {past
                        .into_iter()
                        .map(|m| {
                            view! {
                                <li>
                                    <A href=format!(
                                        "/match/{}",
                                        m.match_id,
                                    )>{format!("{} — {}", m.partner_name, m.cohort_name)}</A>
                                    {format!(" ({})", m.state.label().to_lowercase())}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="hint">"Their goal sheets, contacts and activities stay here to read."</p>
                <p>"Taking part again? " <A href="/apply">"Apply to the program"</A> "."</p>
            </section>
        }
        .into_any();
    }
    if matches.is_empty() {
        return view! {
            <h1>{format!("Welcome, {name}")}</h1>
            {status}
            <div class="notice">
                <p>
                    "You are not matched yet. When a coordinator pairs you with a partner, they will appear here "
                    "and you will get an email introducing you."
                </p>
                <p>
                    "Meanwhile, read " <A href="/working-with-a-match">"how a match works"</A> "."
                </p>
                <p>
                    "Not applied for this year yet? " <A href="/apply">"Apply to the program"</A>
                    "."
                </p>
            </div>
        }
        .into_any();
    }
    // A mentor with several mentees: one card per match, each opening its match home.
    view! {
        <h1>{format!("Welcome, {name}")}</h1>
        <div class="card-grid">
            {matches
                .into_iter()
                .map(|m| {
                    let id = m.summary.match_id;
                    view! {
                        <article class="card">
                            <p class="eyebrow">"Your mentee"</p>
                            <h2>{m.summary.partner.name.clone()}</h2>
                            <p>
                                <SheetBadges state=m.sheet.state overdue=m.sheet.overdue />
                            </p>
                            <ul class="plain-list">
                                {m
                                    .next_steps
                                    .into_iter()
                                    .map(|s| view! { <li>{s}</li> })
                                    .collect_view()}
                            </ul>
                            <p>
                                <A href=format!(
                                    "/match/{id}",
                                )>{format!("Open your match with {}", m.summary.partner.name)}</A>
                            </p>
                        </article>
                    }
                })
                .collect_view()}
        </div>
        {status}
    }
    .into_any()
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
                                    <p class="eyebrow">
                                        {format!(
                                            "{} · {} to {}",
                                            c.state.as_str(),
                                            c.program_start,
                                            c.program_end,
                                        )}
                                    </p>
                                    <dl class="stats">
                                        <div>
                                            <dt>"Mentors"</dt>
                                            <dd>{c.mentors}</dd>
                                        </div>
                                        <div>
                                            <dt>"Mentees"</dt>
                                            <dd>{c.mentees}</dd>
                                        </div>
                                        <div>
                                            <dt>"Active matches"</dt>
                                            <dd>{c.active_matches}</dd>
                                        </div>
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
                    <tr>
                        <th scope="col">"Match"</th>
                        <th scope="col">"Cohort"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Goal sheet"</th>
                    </tr>
                </thead>
                <tbody>
                    {matches
                        .into_iter()
                        .map(|m| {
                            view! {
                                <tr>
                                    <td>
                                        <A href=format!(
                                            "/match/{}",
                                            m.match_id,
                                        )>{format!("{} and {}", m.mentor_name, m.mentee_name)}</A>
                                    </td>
                                    <td>{m.cohort_name}</td>
                                    <td>{m.state.label().to_lowercase()}</td>
                                    <td>
                                        <SheetBadges state=m.sheet_state overdue=m.sheet_overdue />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
