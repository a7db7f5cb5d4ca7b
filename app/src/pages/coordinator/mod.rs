//! Coordinators' pages: cohorts, the review of applications, matching, the matches table, one
//! match's administration, the dashboard, the activities catalogue's editor and the audit log.
//! The server refuses anyone else; these pages show that refusal as a plain sentence.

pub mod activities;
pub mod applications;
pub mod audit;
pub mod cohorts;
pub mod dashboard;
pub mod match_admin;
pub mod match_table;
pub mod matching;

use crate::api::cohorts::list_cohorts;
use crate::error::AppError;
use crate::pages::public::info::SignInPrompt;
use crate::pages::second_factor::SecondFactorPrompt;
use leptos::prelude::*;

/// What a coordinator page shows when its data could not be loaded.
pub fn load_error(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => {
            view! { <SignInPrompt message="Please sign in as a coordinator." /> }.into_any()
        }
        AppError::SecondFactorNeeded => view! { <SecondFactorPrompt /> }.into_any(),
        e => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
    }
}

/// A select in a GET filter form: "all" first, then the options, the current one selected.
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    current: String,
    all: &'static str,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{all}</option>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let sel = v == current;
                        view! {
                            <option value=v selected=sel>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The cohort select of a filter form, filled from the program's cohorts. Rendered on the server
/// only, with the page's filter as it came in the address: a value, not a signal.
#[component]
pub fn CohortFilter(current: Option<i64>) -> impl IntoView {
    let current = current.map(|c| c.to_string()).unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            // Read once, on the server (this page is never rendered in the browser).
            {Suspend::new(async move {
                let list = list_cohorts().await.unwrap_or_default();
                let options = list
                    .into_iter()
                    .map(|c| (c.id.to_string(), c.name))
                    .collect::<Vec<_>>();
                view! {
                    <FilterSelect name="cohort" label="Cohort" options current all="All cohorts" />
                }
            })}
        </Suspense>
    }
}
