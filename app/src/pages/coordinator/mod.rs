//! Coordinators' pages: cohorts, the review of applications, and matching. The server refuses
//! anyone else; these pages show that refusal as a plain sentence.

pub mod applications;
pub mod cohorts;
pub mod dashboard;
pub mod matches;
pub mod matching;

use crate::error::AppError;
use crate::pages::info::SignInPrompt;
use leptos::prelude::*;

/// What a coordinator page shows when its data could not be loaded.
pub fn load_error(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => {
            view! { <SignInPrompt message="Please sign in as a coordinator." /> }.into_any()
        }
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
                        view! { <option value=v selected=sel>{l}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
