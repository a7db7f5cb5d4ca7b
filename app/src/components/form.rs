//! Form pieces: a labelled field whose error sits beside it and is announced, and a form-level
//! message. Errors come from the action's last result, so what was typed stays in the inputs.

use crate::error::AppError;
use leptos::prelude::*;

/// The error of an action's last run, if it failed.
pub fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

#[component]
pub fn Field(
    /// The input's `name`, which is also the server function's argument.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = false)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = {
        let err_id = err_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            if ids.is_empty() {
                None
            } else {
                Some(ids.join(" "))
            }
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                prop:value=move || value.get()
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described
            />
            <p class="field-error" id=err_id.clone() role="alert" aria-live="polite">
                {message}
            </p>
        </div>
    }
}

/// A message for the whole form: errors that belong to no field, and transport failures.
#[component]
pub fn FormMessage(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div role="alert" aria-live="assertive" class="form-message-slot">
            {move || {
                error
                    .get()
                    .filter(|e| e.is_form_level())
                    .map(|e| view! { <p class="notice notice-error">{e.to_string()}</p> })
            }}
        </div>
    }
}
