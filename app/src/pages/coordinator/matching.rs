//! The matching view of a cohort: who waits, ranked suggestions for one mentee, a proposal for
//! the whole cohort that can be changed pair by pair, and the cohort's matches with requests
//! to end them.

use super::load_error;
use crate::api::matching::{
    ConfirmMatches, DeclineEndRequest, EndMatch, ProposeMatches, matching_view, suggest_mentors,
};
use crate::components::data::load;
use crate::components::disclosure::Disclosure;
use crate::components::form::{FormMessage, ServerForm, TextArea, last_error};
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// One pair of the draft proposal as the coordinator has it now.
#[derive(Clone, PartialEq)]
struct DraftPair {
    mentee: Candidate,
    mentor_application_id: i64,
    /// The proposal's score and reasons, until the coordinator picks another mentor.
    proposed: Option<(i64, i64, Vec<String>)>,
}

/// The server's actions of this page, whose outcomes it shows.
#[derive(Clone, Copy)]
struct Actions {
    confirm: ServerAction<ConfirmMatches>,
    end: ServerAction<EndMatch>,
    decline: ServerAction<DeclineEndRequest>,
}

/// Confirming matches, from the fields of a suggestion's "Match with" or of the proposal: one
/// `pair` field per match, `mentee:mentor` (application ids).
#[cfg(feature = "ssr")]
fn confirm_from(f: &crate::components::form::FormFields) -> ConfirmMatches {
    ConfirmMatches {
        cohort_id: f.id("cohort_id"),
        pairs: f
            .get_all("pair")
            .iter()
            .filter_map(|p| {
                let (mentee, mentor) = p.split_once(':')?;
                Some(Pair {
                    mentee_application_id: mentee.trim().parse().ok()?,
                    mentor_application_id: mentor.trim().parse().ok()?,
                })
            })
            .collect(),
    }
}

#[component]
pub fn MatchingPage() -> impl IntoView {
    let params = use_params_map();
    let cohort_id =
        move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let actions = Actions {
        confirm: crate::components::form::action(),
        end: crate::components::form::action(),
        decline: crate::components::form::action(),
    };
    // The desk's confirmations are rendered in the browser (after a choice), so the server
    // learns how to run their posts here.
    #[cfg(feature = "ssr")]
    crate::components::form_post::register::<ConfirmMatches>(confirm_from, None);
    let confirm_error = last_error(actions.confirm.value());
    let other_error = Signal::derive(move || {
        last_error(actions.end.value())
            .get()
            .or_else(|| last_error(actions.decline.value()).get())
    });
    let confirmed = move || match actions.confirm.value().get() {
        Some(Ok(ids)) => Some(format!(
            "{} match{} made. Both partners get an introduction by email.",
            ids.len(),
            if ids.len() == 1 { "" } else { "es" }
        )),
        _ => None,
    };
    view! {
        <Title text="Matching" />
        <section class="page">
            <p>
                <A href="/coordinator/cohorts">"← Cohorts"</A>
            </p>
            <div role="status" aria-live="polite">
                {move || confirmed().map(|m| view! { <p class="notice notice-ok">{m}</p> })}
            </div>
            <FormMessage error=confirm_error />
            <FormMessage error=other_error />
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the cohort…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match matching_view(cohort_id()).await {
                        Ok(b) => view! { <Board b actions /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Board(b: MatchingBoard, actions: Actions) -> impl IntoView {
    let places: i64 = b.mentors.iter().map(|m| m.room).sum();
    view! {
        <h1>{format!("Matching: {}", b.cohort.name)}</h1>
        <p class="lead">
            {format!(
                "{} mentees waiting, {} mentors with {} places, {} active matches.",
                b.mentees.len(),
                b.mentors.len(),
                places,
                b.cohort.active_matches,
            )}
        </p>
        <MatchingDesk cohort_id=b.cohort.id mentees=b.mentees mentors=b.mentors />
        <MatchesTable matches=b.matches actions />
    }
}

/// Who waits, ranked suggestions for the mentee chosen, and a proposal for the whole cohort that
/// can be changed pair by pair: the page's interactive part, an island. Its confirmations are
/// plain posts, which the page answers with the matches made.
#[island(lazy)]
fn MatchingDesk(cohort_id: i64, mentees: Vec<Candidate>, mentors: Vec<Candidate>) -> impl IntoView {
    let selected = RwSignal::new(None::<i64>);
    let draft = RwSignal::new(Vec::<DraftPair>::new());
    let propose = ServerAction::<ProposeMatches>::new();
    // A proposal becomes the editable draft.
    Effect::new(move |_| {
        if let Some(Ok(p)) = propose.value().get() {
            draft.set(
                p.pairs
                    .into_iter()
                    .map(|pair| DraftPair {
                        mentor_application_id: pair.mentor.application_id,
                        proposed: Some((pair.mentor.application_id, pair.score, pair.reasons)),
                        mentee: pair.mentee,
                    })
                    .collect(),
            );
        }
    });
    let propose_error = last_error(propose.value());
    // The buttons answer only once the island is hydrated (an effect runs then): disabled until
    // then, so an early press is not lost.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let none_waiting = mentees.is_empty();
    let mentors = StoredValue::new(mentors);
    view! {
        <div class="matching-grid">
            <section aria-labelledby="waiting-h">
                <h2 id="waiting-h">"Mentees waiting"</h2>
                {if mentees.is_empty() {
                    view! { <p class="notice">"Every accepted mentee has a match."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list person-list">
                            {mentees
                                .into_iter()
                                .map(|m| {
                                    let id = m.application_id;
                                    let name = m.name.clone();
                                    view! {
                                        <li class:selected=move || selected.get() == Some(id)>
                                            <PersonLine c=m />
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                aria-pressed=move || {
                                                    (selected.get() == Some(id)).to_string()
                                                }
                                                disabled=move || !ready.get()
                                                on:click=move |_| selected.set(Some(id))
                                            >
                                                {format!("Suggest mentors for {name}")}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section aria-labelledby="mentors-h">
                <h2 id="mentors-h">"Mentors with room"</h2>
                {mentors
                    .with_value(|ms| {
                        if ms.is_empty() {
                            view! { <p class="notice">"No mentor has a free place."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain-list person-list">
                                    {ms
                                        .iter()
                                        .cloned()
                                        .map(|m| {
                                            view! {
                                                <li>
                                                    <PersonLine c=m />
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    })}
            </section>
        </div>
        <Suggestions cohort_id selected />
        <section aria-labelledby="proposal-h">
            <h2 id="proposal-h">"Proposal for the whole cohort"</h2>
            <p class="hint">
                "An optimal assignment: the highest total score with every mentor within their places. Change any pair before confirming."
            </p>
            <FormMessage error=propose_error />
            <button
                type="button"
                class="button button-secondary"
                disabled=move || !ready.get() || propose.pending().get() || none_waiting
                on:click=move |_| {
                    propose.dispatch(ProposeMatches { cohort_id });
                }
            >
                {move || {
                    if propose.pending().get() {
                        "Working out the best assignment…"
                    } else {
                        "Propose matches"
                    }
                }}
            </button>
            <DraftTable cohort_id mentors draft />
        </section>
    }
}

/// The hidden fields of a confirmation's plain post.
#[component]
fn ConfirmFields(cohort_id: i64) -> impl IntoView {
    let key = crate::components::form_post::form_key(
        <ConfirmMatches as leptos::server_fn::ServerFn>::PATH,
        None,
    );
    view! {
        <input type="hidden" name=crate::components::form_post::FORM_FIELD value=key />
        <input type="hidden" name="cohort_id" value=cohort_id.to_string() />
    }
}

#[component]
fn PersonLine(c: Candidate) -> impl IntoView {
    view! {
        <span class="person">
            <strong>{c.name}</strong>
            <span class="hint">
                {format!(
                    "{} · {} · {} yrs · {} · {}",
                    c.job_title,
                    label_of(LIBRARY_TYPES, &c.library_type),
                    c.years_experience,
                    c.region,
                    c.time_zone.replace('_', " "),
                )}
            </span>
            {(c.capacity > 1 || c.room != c.capacity)
                .then(|| {
                    view! {
                        <span class="hint">
                            {format!("{} of {} places free", c.room, c.capacity)}
                        </span>
                    }
                })}
        </span>
    }
}

#[component]
fn Suggestions(cohort_id: i64, selected: RwSignal<Option<i64>>) -> impl IntoView {
    let suggestions = load(
        move || selected.get(),
        move |selected| async move {
            match selected {
                Some(m) => suggest_mentors(cohort_id, m).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <section aria-labelledby="suggest-h" aria-live="polite">
            <h2 id="suggest-h">"Suggestions"</h2>
            <Transition fallback=|| {
                view! { <p class="loading">"Ranking mentors…"</p> }
            }>
                {move || Suspend::new(async move {
                    match suggestions.await {
                        Ok(None) => {
                            view! {
                                <p class="hint">
                                    "Choose a waiting mentee to see mentors ranked for them, with the reasons."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(Some(list)) if list.is_empty() => {
                            view! { <p class="notice">"No mentor has a free place."</p> }.into_any()
                        }
                        Ok(Some(list)) => {
                            let mentee = selected.get_untracked().unwrap_or(0);
                            view! {
                                <ol class="suggestions">
                                    {list
                                        .into_iter()
                                        .map(|s| {
                                            let mentor = s.mentor.application_id;
                                            let name = s.mentor.name.clone();
                                            view! {
                                                <li class="card">
                                                    <div class="suggestion-head">
                                                        <PersonLine c=s.mentor />
                                                        <span class="score" aria-label=format!("Score {}", s.score)>
                                                            {s.score}
                                                        </span>
                                                    </div>
                                                    <ul class="reasons">
                                                        {s
                                                            .reasons
                                                            .into_iter()
                                                            .map(|r| view! { <li>{r}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                    <form method="post" class="inline-form">
                                                        <ConfirmFields cohort_id />
                                                        <input
                                                            type="hidden"
                                                            name="pair"
                                                            value=format!("{mentee}:{mentor}")
                                                        />
                                                        <button type="submit" class="button button-small">
                                                            {format!("Match with {name}")}
                                                        </button>
                                                    </form>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DraftTable(
    cohort_id: i64,
    mentors: StoredValue<Vec<Candidate>>,
    draft: RwSignal<Vec<DraftPair>>,
) -> impl IntoView {
    let over_capacity = move || {
        let draft = draft.get();
        mentors.with_value(|ms| {
            ms.iter()
                .filter(|m| {
                    draft
                        .iter()
                        .filter(|p| p.mentor_application_id == m.application_id)
                        .count() as i64
                        > m.room
                })
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !draft.get().is_empty()>
            <form method="post">
                <ConfirmFields cohort_id />
                <div class="table-wrap" tabindex="0" role="region" aria-label="Proposed matches">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Mentee"</th>
                                <th scope="col">"Mentor"</th>
                                <th scope="col">"Score and reasons"</th>
                                <th scope="col">
                                    <span class="visually-hidden">"Remove"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || draft.get() key=|p| p.mentee.application_id let:pair>
                                <DraftRow pair mentors draft />
                            </For>
                        </tbody>
                    </table>
                </div>
                {move || {
                    let over = over_capacity();
                    (!over.is_empty())
                        .then(|| {
                            view! {
                                <p class="notice notice-error">
                                    {format!(
                                        "Over their places: {}. Change those pairs before confirming.",
                                        over.join(", "),
                                    )}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button" disabled=move || !over_capacity().is_empty()>
                    {move || format!("Confirm {} matches", draft.get().len())}
                </button>
            </form>
        </Show>
    }
}

#[component]
fn DraftRow(
    pair: DraftPair,
    mentors: StoredValue<Vec<Candidate>>,
    draft: RwSignal<Vec<DraftPair>>,
) -> impl IntoView {
    let mentee_id = pair.mentee.application_id;
    let select_id = format!("draft-mentor-{mentee_id}");
    let chosen = pair.mentor_application_id;
    let on_change = move |ev: leptos::ev::Event| {
        let value: i64 = event_target_value(&ev)
            .split_once(':')
            .and_then(|(_, m)| m.parse().ok())
            .unwrap_or(0);
        draft.update(|d| {
            if let Some(p) = d.iter_mut().find(|p| p.mentee.application_id == mentee_id) {
                p.mentor_application_id = value;
            }
        });
    };
    let why = match &pair.proposed {
        Some((mentor, score, reasons)) if *mentor == chosen => {
            format!("{score}: {}", reasons.join("; "))
        }
        _ => "Changed by hand".to_string(),
    };
    view! {
        <tr>
            <th scope="row">
                <label for=select_id.clone()>{pair.mentee.name.clone()}</label>
            </th>
            <td>
                // The pair as the post sends it: `mentee:mentor`.
                <select id=select_id name="pair" on:change=on_change>
                    {mentors
                        .with_value(|ms| {
                            ms.iter()
                                .map(|m| {
                                    let sel = m.application_id == chosen;
                                    view! {
                                        <option
                                            value=format!("{mentee_id}:{}", m.application_id)
                                            selected=sel
                                        >
                                            {m.name.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })}
                </select>
            </td>
            <td class="reasons-cell">{why}</td>
            <td>
                <button
                    type="button"
                    class="link-button"
                    aria-label=format!("Remove {} from the proposal", pair.mentee.name)
                    on:click=move |_| {
                        draft.update(|d| d.retain(|p| p.mentee.application_id != mentee_id))
                    }
                >
                    "Remove"
                </button>
            </td>
        </tr>
    }
}

#[component]
fn MatchesTable(matches: Vec<CohortMatch>, actions: Actions) -> impl IntoView {
    let end_error = last_error(actions.end.value());
    view! {
        <section aria-labelledby="matches-h">
            <h2 id="matches-h">"Matches"</h2>
            {if matches.is_empty() {
                view! { <p class="notice">"No matches yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list match-list">
                        {matches
                            .into_iter()
                            .map(|m| {
                                let match_id = m.match_id;
                                let active = m.state == MatchState::Active;
                                view! {
                                    <li class="card">
                                        <p>
                                            <strong>
                                                {format!("{} and {}", m.mentor_name, m.mentee_name)}
                                            </strong>
                                            " "
                                            <span class=format!(
                                                "badge badge-{}",
                                                m.state.as_str(),
                                            )>{m.state.label().to_lowercase()}</span>
                                            <span class="hint">
                                                {format!(" since {}", date_of(m.started_at))}
                                            </span>
                                        </p>
                                        {(!m.end_reason.is_empty())
                                            .then(|| {
                                                view! {
                                                    <p class="hint">{format!("Ended: {}", m.end_reason)}</p>
                                                }
                                            })}
                                        {m
                                            .pending_request
                                            .map(|r| {
                                                let rid = r.id;
                                                view! {
                                                    <div class="notice">
                                                        <p>
                                                            {format!(
                                                                "{} asked on {} to end this match: “{}”",
                                                                r.requested_by,
                                                                date_of(r.created_at),
                                                                r.reason,
                                                            )}
                                                        </p>
                                                        <ServerForm
                                                            action=actions.decline
                                                            to_input=|f| DeclineEndRequest {
                                                                request_id: f.id("request_id"),
                                                            }
                                                            instance=rid
                                                            class="inline-form"
                                                        >
                                                            <input
                                                                type="hidden"
                                                                name="request_id"
                                                                value=rid.to_string()
                                                            />
                                                            <button
                                                                type="submit"
                                                                class="button button-secondary button-small"
                                                            >
                                                                "Keep the match (decline the request)"
                                                            </button>
                                                        </ServerForm>
                                                    </div>
                                                }
                                            })}
                                        {active
                                            .then(|| {
                                                view! {
                                                    <Disclosure summary="End this match early">
                                                        <ServerForm
                                                            action=actions.end
                                                            to_input=|f| EndMatch {
                                                                match_id: f.id("match_id"),
                                                                reason: f.get("reason"),
                                                            }
                                                            instance=match_id
                                                            class="stack-form"
                                                        >
                                                            <input
                                                                type="hidden"
                                                                name="match_id"
                                                                value=match_id.to_string()
                                                            />
                                                            <TextArea
                                                                name="reason"
                                                                label="Reason"
                                                                required=true
                                                                maxlength=REASON_MAX
                                                                rows=2
                                                                id_suffix=match_id
                                                                error=end_error
                                                            />
                                                            <button
                                                                type="submit"
                                                                class="button button-small"
                                                                disabled=move || actions.end.pending().get()
                                                            >
                                                                "End the match"
                                                            </button>
                                                        </ServerForm>
                                                    </Disclosure>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
