//! Cohorts: the list with each one's state and counts, moving a cohort on, and a new cohort.

use super::load_error;
use crate::api::cohorts::{CreateCohort, SetCohortState, list_cohorts};
use crate::components::form::{Field, FormMessage, ServerForm, last_error};
use crate::model::{COHORT_NAME_MAX, CohortDetail, CohortForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CohortsPage() -> impl IntoView {
    let create = crate::components::form::action::<CreateCohort>();
    let set_state = crate::components::form::action::<SetCohortState>();
    let create_error = last_error(create.value());
    let state_error = last_error(set_state.value());
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    view! {
        <Title text="Cohorts" />
        <section class="page">
            <h1>"Cohorts"</h1>
            <FormMessage error=state_error />
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading cohorts…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match list_cohorts().await {
                        Ok(list) => view! { <CohortTable list set_state /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
            <h2>"New cohort"</h2>
            <ServerForm
                action=create
                to_input=|f| CreateCohort {
                    form: CohortForm {
                        name: f.get("name"),
                        applications_open: f.get("applications_open"),
                        applications_close: f.get("applications_close"),
                        program_start: f.get("program_start"),
                        program_end: f.get("program_end"),
                        mentee_capacity: f.get("mentee_capacity"),
                        goal_sheet_due_days: f.get("goal_sheet_due_days"),
                    },
                }
                class="stack-form narrow-form"
            >
                <FormMessage error=create_error />
                <Field
                    name="name"
                    label="Name"
                    required=true
                    maxlength=COHORT_NAME_MAX
                    error=create_error
                />
                <div class="field-row">
                    <Field
                        name="applications_open"
                        label="Applications open"
                        kind="date"
                        required=true
                        error=create_error
                    />
                    <Field
                        name="applications_close"
                        label="Applications close"
                        kind="date"
                        required=true
                        error=create_error
                    />
                </div>
                <div class="field-row">
                    <Field
                        name="program_start"
                        label="Program starts"
                        kind="date"
                        required=true
                        error=create_error
                    />
                    <Field
                        name="program_end"
                        label="Program ends"
                        kind="date"
                        required=true
                        error=create_error
                    />
                </div>
                <div class="field-row">
                    <Field
                        name="mentee_capacity"
                        label="Mentees it can take"
                        kind="number"
                        required=true
                        error=create_error
                    />
                    <Field
                        name="goal_sheet_due_days"
                        label="Goal sheet due (days after matching)"
                        kind="number"
                        value="30"
                        error=create_error
                    />
                </div>
                <button type="submit" class="button">
                    "Create the cohort"
                </button>
                <div role="status" aria-live="polite">
                    <Show when=created>
                        <p class="notice notice-ok">
                            "Cohort created as a draft. Open it for applications when you are ready."
                        </p>
                    </Show>
                </div>
            </ServerForm>
        </section>
    }
}

#[component]
fn CohortTable(list: Vec<CohortDetail>, set_state: ServerAction<SetCohortState>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="notice">"No cohorts yet. Create the first one below."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Cohorts">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Cohort"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Applications window"</th>
                        <th scope="col">"Program"</th>
                        <th scope="col">"Applications"</th>
                        <th scope="col">"Active matches"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|c| {
                            let id = c.id;
                            let next = c.state.next_states();
                            view! {
                                <tr>
                                    <th scope="row">{c.name.clone()}</th>
                                    <td>
                                        <span class=format!(
                                            "badge badge-{}",
                                            c.state.as_str(),
                                        )>{c.state.as_str()}</span>
                                    </td>
                                    <td>
                                        {format!(
                                            "{} to {}",
                                            c.applications_open,
                                            c.applications_close,
                                        )}
                                    </td>
                                    <td>{format!("{} to {}", c.program_start, c.program_end)}</td>
                                    <td>{c.applications}</td>
                                    <td>{c.active_matches}</td>
                                    <td class="actions">
                                        <A href=format!(
                                            "/coordinator/applications?cohort={id}",
                                        )>"Applications"</A>
                                        <A href=format!(
                                            "/coordinator/cohorts/{id}/matching",
                                        )>"Matching"</A>
                                        {next
                                            .iter()
                                            .enumerate()
                                            .map(|(i, to)| {
                                                let label = to.move_label();
                                                view! {
                                                    <ServerForm
                                                        action=set_state
                                                        to_input=|f| SetCohortState {
                                                            cohort_id: f.id("cohort_id"),
                                                            to: f.get("to"),
                                                        }
                                                        instance=id * 10 + i as i64
                                                        class="inline-form"
                                                    >
                                                        <input
                                                            type="hidden"
                                                            name="cohort_id"
                                                            value=id.to_string()
                                                        />
                                                        <input type="hidden" name="to" value=to.as_str() />
                                                        <button
                                                            type="submit"
                                                            class="button button-secondary button-small"
                                                        >
                                                            {label}
                                                        </button>
                                                    </ServerForm>
                                                }
                                            })
                                            .collect_view()}
                                    </td>
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
