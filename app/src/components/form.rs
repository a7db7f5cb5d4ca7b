//! Form pieces: a labelled field whose error sits beside it and is announced, and a form-level
//! message. Errors come from the action's last result, so what was typed stays in the inputs.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;

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

/// The fields of a submitted form, read from the browser's FormData.
pub struct FormFields(web_sys::FormData);

impl FormFields {
    /// A text field's value; empty when the form has no such field.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).as_string().unwrap_or_default()
    }
}

/// A form that calls a server function. It reads its inputs when submitted and dispatches the
/// action; the inputs are never reset, so what was typed stays after an error. Built by hand
/// rather than with `ActionForm` because ActionForm brings a query-string codec into the WASM
/// bundle for every form (about 10 KB brotli), and the bundle has a size budget.
#[component]
pub fn ServerForm<S>(
    action: ServerAction<S>,
    /// Builds the server function's arguments from the submitted fields.
    to_input: fn(&FormFields) -> S,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView
where
    S: ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let Some(data) = form.and_then(|f| web_sys::FormData::new_with_form(&f).ok()) {
            action.dispatch(to_input(&FormFields(data)));
        }
    };
    // method="post": without JavaScript the browser never puts a password in the address bar.
    view! {
        <form method="post" class=class novalidate=true on:submit=on_submit>
            {children()}
        </form>
    }
}
