//! Reviewing applications: a filterable list with decisions for several at once, and one
//! application in full (private answers included: coordinators only).

use super::{CohortFilter, FilterSelect, load_error};
use crate::api::applications::{
    DecideApplications, SetAccountDisabled, get_application, list_applications,
};
use crate::components::form::{
    FormFields, FormMessage, Select, ServerForm, TextArea, last_error, pairs,
};
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn decisions() -> Vec<(String, String)> {
    vec![
        ("accepted".into(), "Accept".into()),
        ("waitlisted".into(), "Waitlist".into()),
        ("declined".into(), "Decline".into()),
    ]
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let query = use_query_map();
    let decide = crate::components::form::action::<DecideApplications>();
    let filter = move || {
        query.with(|q| ApplicationFilter {
            cohort_id: q.get("cohort").and_then(|c| c.parse().ok()),
            role: q.get("role").unwrap_or_default(),
            state: q.get("state").unwrap_or_default(),
            search: q.get("q").unwrap_or_default(),
            library_type: q.get("library_type").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
            reached: q.get("reached").unwrap_or_default(),
        })
    };
    // The export takes the same filters.
    let export = move || {
        format!(
            "/coordinator/export/applications.csv{}",
            query.get().to_query_string()
        )
    };
    let error = last_error(decide.value());
    let done = move || match decide.value().get() {
        Some(Ok(n)) => Some(format!(
            "{n} application{} updated; each applicant gets an email.",
            if n == 1 { "" } else { "s" }
        )),
        _ => None,
    };
    view! {
        <Title text="Applications" />
        <section class="page">
            <h1>"Applications"</h1>
            <form method="get" class="filter-bar" role="search" aria-label="Filter applications">
                <CohortFilter current=filter().cohort_id />
                <FilterSelect
                    name="role"
                    label="Role"
                    options=vec![
                        ("mentee".into(), "Mentees".into()),
                        ("mentor".into(), "Mentors".into()),
                    ]
                    current=filter().role
                    all="Both roles"
                />
                <FilterSelect
                    name="state"
                    label="Status"
                    options=ApplicationState::options()
                    current=filter().state
                    all="Any status"
                />
                <FilterSelect
                    name="reached"
                    label="Got as far as"
                    options=FUNNEL_STAGES
                        .iter()
                        .map(|(k, label, _)| (k.to_string(), label.to_string()))
                        .collect()
                    current=filter().reached
                    all="Any stage"
                />
                <FilterSelect
                    name="library_type"
                    label="Library type"
                    options=pairs(LIBRARY_TYPES)
                    current=filter().library_type
                    all="Any library"
                />
                <div class="field">
                    <label for="f-region">"Region"</label>
                    <input id="f-region" name="region" type="text" value=filter().region />
                </div>
                <div class="field">
                    <label for="f-q">"Search by name or email"</label>
                    <input id="f-q" name="q" type="search" value=filter().search />
                </div>
                <button type="submit" class="button button-secondary">
                    "Filter"
                </button>
            </form>
            <p>
                <a href=export rel="external" download="tandem-applications.csv">
                    "Export these applications as CSV"
                </a>
            </p>
            <div role="status" aria-live="polite">
                {move || done().map(|m| view! { <p class="notice notice-ok">{m}</p> })}
            </div>
            <ServerForm action=decide to_input=decide_input class="review-form">
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading applications…"</p> }
                }>
                    // Read once, on the server (this page is never rendered in the browser).
                    {Suspend::new(async move {
                        match list_applications(filter()).await {
                            Ok(rows) => view! { <ApplicationTable rows /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
                <fieldset class="bulk-bar">
                    <legend>"Decide for the selected applications"</legend>
                    <Select name="decision" label="Decision" options=decisions() error />
                    <TextArea
                        name="note"
                        label="Note to the applicants (optional)"
                        maxlength=NOTE_MAX
                        rows=2
                        error
                    />
                    <FormMessage error />
                    <button type="submit" class="button">
                        "Apply to selected"
                    </button>
                </fieldset>
            </ServerForm>
        </section>
    }
}

#[component]
fn ApplicationTable(rows: Vec<ApplicationRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">"No applications match these filters."</p> }.into_any();
    }
    let count = rows.len();
    view! {
        <p class="hint" data-total=count.to_string()>
            {format!("{count} application{}", if count == 1 { "" } else { "s" })}
        </p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Applications">
            <table>
                <thead>
                    <tr>
                        <th scope="col">
                            <span class="visually-hidden">"Select"</span>
                        </th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Cohort"</th>
                        <th scope="col">"Library"</th>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Submitted"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|a| {
                            let box_id = format!("pick-{}", a.id);
                            view! {
                                <tr>
                                    <td>
                                        <input
                                            type="checkbox"
                                            name="ids"
                                            value=a.id.to_string()
                                            id=box_id.clone()
                                            aria-label=format!("Select {}", a.name)
                                        />
                                    </td>
                                    <th scope="row">
                                        <A href=format!(
                                            "/coordinator/applications/{}",
                                            a.id,
                                        )>{a.name.clone()}</A>
                                    </th>
                                    <td>{a.role.as_str()}</td>
                                    <td>
                                        <span class=format!(
                                            "badge badge-{}",
                                            a.state.as_str(),
                                        )>{a.state.as_str()}</span>
                                    </td>
                                    <td>{a.cohort_name}</td>
                                    <td>{label_of(LIBRARY_TYPES, &a.library_type).to_string()}</td>
                                    <td>{a.region}</td>
                                    <td>{date_of(a.submitted_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let decide = crate::components::form::action::<DecideApplications>();
    let account = crate::components::form::action::<SetAccountDisabled>();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let id = id();
    let error = last_error(decide.value());
    let account_error = last_error(account.value());
    view! {
        <Title text="Application" />
        <section class="page">
            <p>
                <A href="/coordinator/applications">"← All applications"</A>
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the application…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match get_application(id).await {
                        Ok(a) => {
                            let app_id = a.id;
                            let (user_id, disabled) = (a.user_id, a.account_disabled);
                            view! {
                                <ApplicationView a />
                                <h2>"Decision"</h2>
                                <ServerForm
                                    action=decide
                                    to_input=decide_input
                                    class="stack-form narrow-form"
                                >
                                    <input type="hidden" name="ids" value=app_id.to_string() />
                                    <Select
                                        name="decision"
                                        label="Decision"
                                        options=decisions()
                                        error
                                    />
                                    <TextArea
                                        name="note"
                                        label="Note to the applicant (optional)"
                                        maxlength=NOTE_MAX
                                        rows=3
                                        error
                                    />
                                    <FormMessage error />
                                    <button type="submit" class="button">
                                        "Save the decision"
                                    </button>
                                </ServerForm>
                                <h2>"Account"</h2>
                                <p>
                                    {if disabled {
                                        "This account is disabled: its owner is signed out and cannot sign in."
                                    } else {
                                        "This account is active. Disabling it signs its owner out everywhere and stops them signing in, until it is enabled again."
                                    }}
                                </p>
                                <ServerForm
                                    action=account
                                    to_input=|f| SetAccountDisabled {
                                        user_id: f.id("user_id"),
                                        disabled: f.get("disabled") == "true",
                                    }
                                    class="stack-form narrow-form"
                                >
                                    <input type="hidden" name="user_id" value=user_id.to_string() />
                                    <input
                                        type="hidden"
                                        name="disabled"
                                        value=(!disabled).to_string()
                                    />
                                    <FormMessage error=account_error />
                                    <button type="submit" class="button button-secondary">
                                        {if disabled {
                                            "Enable this account"
                                        } else {
                                            "Disable this account"
                                        }}
                                    </button>
                                </ServerForm>
                            }
                                .into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ApplicationView(a: ApplicationDetail) -> impl IntoView {
    let ways: Vec<&str> = a.meet_ways.iter().map(|w| label_of(MEET_WAYS, w)).collect();
    let mut interests = a.interests.clone();
    if !a.interests_other.is_empty() {
        interests.push(a.interests_other.clone());
    }
    view! {
        <h1>
            {a.name.clone()}
            {(!a.pronouns.is_empty())
                .then(|| view! { <span class="pronouns">{format!(" ({})", a.pronouns)}</span> })}
        </h1>
        <p class="lead">
            {format!("Applying as a {} to {}. ", a.role.as_str(), a.cohort_name)}
            <span class=format!("badge badge-{}", a.state.as_str())>{a.state.status()}</span>
        </p>
        <dl class="facts wide-facts">
            <div>
                <dt>"Email"</dt>
                <dd>{a.email.clone()}</dd>
            </div>
            <div>
                <dt>"Library"</dt>
                <dd>
                    {format!(
                        "{}, {} ({})",
                        a.job_title,
                        a.library_name,
                        label_of(LIBRARY_TYPES, &a.library_type),
                    )}
                </dd>
            </div>
            <div>
                <dt>"Experience"</dt>
                <dd>{format!("{} years", a.years_experience)}</dd>
            </div>
            <div>
                <dt>"Interests"</dt>
                <dd>{interests.join(", ")}</dd>
            </div>
            <div>
                <dt>"Region and time zone"</dt>
                <dd>{format!("{}, {}", a.region, a.time_zone.replace('_', " "))}</dd>
            </div>
            <div>
                <dt>"Ways to meet"</dt>
                <dd>{ways.join(", ")}</dd>
            </div>
            <div>
                <dt>"Hours a month"</dt>
                <dd>{a.hours_per_month}</dd>
            </div>
            {(a.role == MatchRole::Mentor)
                .then(|| {
                    view! {
                        <div>
                            <dt>"Mentees"</dt>
                            <dd>{format!("{} of {}", a.active_mentees, a.mentor_capacity)}</dd>
                        </div>
                    }
                })}
            <div>
                <dt>"Submitted"</dt>
                <dd>{date_of(a.submitted_at)}</dd>
            </div>
        </dl>
        <h2>"Hopes for the year"</h2>
        <p class="pre-line">{a.hopes.clone()}</p>
        <section class="card private" aria-labelledby="private-h">
            <h2 id="private-h">"Private answers"</h2>
            <p class="hint">"For matching only. Never shown to the partner."</p>
            <dl class="facts">
                <div>
                    <dt>"Gender"</dt>
                    <dd>
                        {if a.gender.is_empty() {
                            "Not given".to_string()
                        } else {
                            a.gender.clone()
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Race or ethnicity"</dt>
                    <dd>
                        {if a.race_ethnicity.is_empty() {
                            "Not given".to_string()
                        } else {
                            a.race_ethnicity.clone()
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Wishes to share these"</dt>
                    <dd>{if a.wants_shared_identity { "Yes" } else { "No" }}</dd>
                </div>
            </dl>
        </section>
        {(!a.decision_note.is_empty())
            .then(|| {
                view! {
                    <p>
                        <strong>"Last note: "</strong>
                        {a.decision_note.clone()}
                    </p>
                }
            })}
    }
}

/// The one way a decision form's fields become the call: the list's ticked rows and the single
/// application's page both post `ids` (a plain post finds one handler per server function).
fn decide_input(f: &FormFields) -> DecideApplications {
    DecideApplications {
        ids: f
            .get_all("ids")
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
        decision: f.get("decision"),
        note: f.get("note"),
    }
}
