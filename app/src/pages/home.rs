//! The signed-in home: a participant's match, or the program overview for a coordinator.

use crate::api::home::my_home;
use crate::api::matching::RequestEndMatch;
use crate::components::auth::use_auth;
use crate::components::form::{FormMessage, ServerForm, TextArea, last_error};
use crate::error::AppError;
use crate::model::{
    CohortSummary, HomeView, LIBRARY_TYPES, MatchRow, MyApplication, MyMatch, REASON_MAX, clock_at,
    label_of,
};
use crate::pages::apply::state_label;
use crate::pages::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyHome() -> impl IntoView {
    let auth = use_auth();
    let request_end = ServerAction::<RequestEndMatch>::new();
    let home = Resource::new(
        move || (auth.sign_in.version().get(), request_end.version().get()),
        |_| my_home(),
    );
    view! {
        <Title text="Home" />
        <section class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading your home…"</p> }>
                {move || Suspend::new(async move {
                    // The signed-in person comes with the home itself: reading the shared `user`
                    // resource here as well as in the header made server rendering hang now and
                    // then (two Suspense boundaries racing on one resource).
                    match home.await {
                        Ok(HomeView::Participant { me: user, matches, applications }) => {
                            view! {
                                <h1>{format!("Welcome, {}", user.name)}</h1>
                                <ParticipantHome matches applications request_end />
                            }
                                .into_any()
                        }
                        Ok(HomeView::Coordinator { me: user, cohorts, matches }) => {
                            view! {
                                <h1>"Program overview"</h1>
                                <p class="lead">{format!("Signed in as {}, coordinator.", user.name)}</p>
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
                        Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ParticipantHome(
    matches: Vec<MyMatch>,
    applications: Vec<MyApplication>,
    request_end: ServerAction<RequestEndMatch>,
) -> impl IntoView {
    let waiting = applications
        .iter()
        .filter(|a| a.state != "matched")
        .cloned()
        .collect::<Vec<_>>();
    let status = (!waiting.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="apps-h">
                <h2 id="apps-h">"Your applications"</h2>
                <ul class="plain-list">
                    {waiting
                        .into_iter()
                        .map(|a| view! {
                            <li class="application-status">
                                <span>{format!("{} — as a {}", a.cohort_name, a.role)}</span>
                                <span class=format!("badge badge-{}", a.state)>{state_label(&a.state)}</span>
                            </li>
                        })
                        .collect_view()}
                </ul>
                <p><A href="/apply">"See or withdraw your applications"</A></p>
            </section>
        }
    });
    if matches.is_empty() {
        return view! {
            {status}
            <div class="notice">
                <p>
                    "You are not matched yet. When a coordinator pairs you with a partner, they will appear here "
                    "and you will get an email introducing you."
                </p>
                <p>"Meanwhile, read " <A href="/working-with-a-match">"how a match works"</A> "."</p>
                <p>"Not applied for this year yet? " <A href="/apply">"Apply to the program"</A> "."</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="card-grid">
            {matches.into_iter().map(|m| view! { <PartnerCardView m request_end /> }).collect_view()}
        </div>
        {status}
    }
    .into_any()
}

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

#[component]
fn PartnerCardView(m: MyMatch, request_end: ServerAction<RequestEndMatch>) -> impl IntoView {
    let partner_role = if m.my_role == "mentor" {
        "Your mentee"
    } else {
        "Your mentor"
    };
    let p = m.partner;
    let offset = p.utc_offset_minutes;
    // The partner's clock, kept current in the browser.
    let clock = RwSignal::new(clock_at(now_ms(), offset));
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || clock.set(clock_at(now_ms(), offset)),
            std::time::Duration::from_secs(20),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let library = [p.job_title.clone(), p.library_name.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let library_type = label_of(LIBRARY_TYPES, &p.library_type).to_string();
    let error = last_error(request_end.value());
    let match_id = m.match_id;
    view! {
        <article class="card partner-card">
            <p class="eyebrow">{partner_role}</p>
            <h2>
                {p.name.clone()}
                {(!p.pronouns.is_empty()).then(|| view! { <span class="pronouns">{format!(" ({})", p.pronouns)}</span> })}
            </h2>
            <dl class="facts">
                {(!library.is_empty()).then(|| view! {
                    <div><dt>"Library"</dt><dd>{library}{(!p.library_type.is_empty()).then(|| format!(" ({library_type})"))}</dd></div>
                })}
                <div>
                    <dt>"Time zone"</dt>
                    <dd>
                        {p.time_zone.replace('_', " ")}
                        <span class="local-time">" · their time now: " <time>{move || clock.get()}</time></span>
                    </dd>
                </div>
                {(!p.meet_ways.is_empty()).then(|| view! {
                    <div><dt>"Likes to meet by"</dt><dd>{p.meet_ways.join(", ")}</dd></div>
                })}
                <div><dt>"Cohort"</dt><dd>{m.cohort_name}</dd></div>
                <div><dt>"Program"</dt><dd>{format!("{} to {}", m.program_start, m.program_end)}</dd></div>
            </dl>
            {(!p.bio.is_empty()).then(|| view! { <p class="bio">{p.bio.clone()}</p> })}
            <p class="next-step">
                "Next: agree on your goals. " <A href="/goals">"How the goal sheet works"</A>
            </p>
            {if m.end_requested {
                view! { <p class="hint">"A request to end this match is with your coordinator."</p> }.into_any()
            } else {
                view! {
                    <details class="end-request">
                        <summary>"Ask to end this match"</summary>
                        <p class="hint">"Your coordinator reads your reason and decides. Your partner is not told until then."</p>
                        <ServerForm action=request_end to_input=|f| RequestEndMatch { match_id: f.id("match_id"), reason: f.get("reason") } class="stack-form">
                            <input type="hidden" name="match_id" value=match_id.to_string() />
                            <TextArea name="reason" label="Why?" required=true maxlength=REASON_MAX rows=3 id_suffix=match_id error />
                            <FormMessage error />
                            <button type="submit" class="button button-secondary" disabled=move || request_end.pending().get()>
                                {move || if request_end.pending().get() { "Sending…" } else { "Send the request" }}
                            </button>
                        </ServerForm>
                    </details>
                }.into_any()
            }}
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
