//! Coordinators' pages: cohorts, the review of applications, and matching. The server refuses
//! anyone else; these pages show that refusal as a plain sentence.

pub mod applications;
pub mod cohorts;
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
