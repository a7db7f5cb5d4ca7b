//! Form pieces: a labelled field whose error sits beside it and is announced, and a form-level
//! message. Errors come from the outcome of the post the page answers (the action's value), and a
//! refused post's fields go back into the inputs, so what was typed stays.

use crate::components::form_post;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

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
    /// The starting text. An attribute, not a reactive property: hydration then leaves alone
    /// whatever a restored draft (or the person) has put in the box.
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = false)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// Told apart when the same form repeats on a page.
    #[prop(optional)]
    id_suffix: Option<i64>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = field_id(name, id_suffix);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(hint.is_some(), hint_id.clone(), err_id.clone(), message);
    // A refused plain post shows what was typed again, except a password (and a box's `value`
    // is what it sends, not what was typed).
    let value = if matches!(kind, "password" | "checkbox" | "radio") {
        None
    } else {
        refused_value(name).or(value)
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {h}
                        </p>
                    }
                })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                list=list
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

/// The fields of a posted form, as the server received them (components::form_post).
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn posted(fields: Vec<(String, String)>) -> Self {
        FormFields(fields)
    }

    /// A text field's value; empty when the form has no such field.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of a field that repeats (a group of checkboxes).
    pub fn get_all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a single checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// A number field, or 0 when it is empty or not a number.
    pub fn id(&self, name: &str) -> i64 {
        self.get(name).trim().parse().unwrap_or(0)
    }
}

/// What was typed in the form being rendered, when the page answers its refused plain post.
#[derive(Clone)]
struct Refused(std::sync::Arc<Vec<(String, String)>>);

/// The posted value of `name`; none when the form posted no such field (its default stays).
fn refused_value(name: &str) -> Option<String> {
    use_context::<Refused>()
        .and_then(|r| r.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

fn refused_values(name: &str) -> Option<Vec<String>> {
    use_context::<Refused>().map(|r| {
        r.0.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    })
}

/// A server action that knows the outcome of a post of its form, when the page answers one:
/// pages make their actions with this, so whatever reads the action's value (a "sent" notice, a
/// field's error) shows the outcome.
pub fn action<S>() -> ServerAction<S>
where
    S: ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + serde::de::DeserializeOwned + 'static,
{
    let action = ServerAction::<S>::new();
    apply_outcome(action, &form_post::form_key(S::PATH, None));
    action
}

fn apply_outcome<S>(action: ServerAction<S>, key: &str) -> bool
where
    S: ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + serde::de::DeserializeOwned + 'static,
{
    let Some(outcome) = form_post::outcome_for(key) else {
        return false;
    };
    if action.value().with_untracked(|v| v.is_some()) {
        return true;
    }
    let value = match outcome {
        form_post::Outcome::Failed(e) => Err(e),
        form_post::Outcome::Done(json) => match crate::components::data::from_json(&json) {
            Ok(out) => Ok(out),
            Err(_) => return false,
        },
    };
    action.value().set(Some(value));
    true
}

/// Set by a `Disclosure` around its content: a form inside that answers a plain post opens it.
#[derive(Clone, Copy)]
pub struct OpenOnOutcome(pub RwSignal<bool>);

/// What goes inside a `<textarea>`: every textarea that shows stored or typed text takes it
/// through here (`TextArea` does), never as a bare child.
///
/// tachys 0.2.19, the renderer of Leptos 0.8, declares `textarea` as an element whose children
/// are not escaped on the server (`textarea … false` in `src/html/element/elements.rs`), so
/// stored text holding `</textarea><script>…` ended the element in the server's HTML and ran as
/// script. The server escapes it here; the browser decodes the entities again (a textarea holds
/// RCDATA), so the box shows exactly the stored text. The HTML parser also drops one newline
/// right after `<textarea>`, so text that starts with one gets another in front. In the browser
/// the child becomes a text node, which needs neither, and hydration never reads a textarea's
/// children, so both sides agree. tachys 0.3.0 (Leptos 0.9) escapes textarea children itself:
/// remove this when upgrading.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        let escaped = html_escape::encode_text(&text);
        if text.starts_with(['\n', '\r']) {
            format!("\n{escaped}")
        } else {
            escaped.into_owned()
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// A textarea with its label, hint and error, like `Field`.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = false)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = 4)] rows: u32,
    /// Told apart when the same form repeats on a page (one per match, say).
    #[prop(optional)]
    id_suffix: Option<i64>,
    /// The starting text.
    #[prop(optional, into)]
    value: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = field_id(name, id_suffix);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(hint.is_some(), hint_id.clone(), err_id.clone(), message);
    let value = refused_value(name).or(value);
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {h}
                        </p>
                    }
                })}
            <textarea
                id=id.clone()
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described
            >
                {value.map(textarea_text)}
            </textarea>
            <p class="field-error" id=err_id.clone() role="alert" aria-live="polite">
                {message}
            </p>
        </div>
    }
}

/// A select with its label and error. `options` are (value, label) pairs.
#[component]
pub fn Select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] id_suffix: Option<i64>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let selected = refused_value(name).unwrap_or(selected);
    let id = field_id(name, id_suffix);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(hint.is_some(), hint_id.clone(), err_id.clone(), message);
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {h}
                        </p>
                    }
                })}
            <select
                id=id.clone()
                name=name
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let sel = v == selected;
                        view! {
                            <option value=v selected=sel>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=err_id.clone() role="alert" aria-live="polite">
                {message}
            </p>
        </div>
    }
}

/// A group of checkboxes (`multiple`) or radio buttons in a fieldset, with one error for the
/// group.
#[component]
pub fn Choices(
    name: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    #[prop(default = true)] multiple: bool,
    #[prop(optional)] hint: Option<&'static str>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let err_id = format!("f-{name}-error");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let kind = if multiple { "checkbox" } else { "radio" };
    let ticked = refused_values(name).unwrap_or_default();
    view! {
        <fieldset
            class="field choices"
            class:has-error=move || message().is_some()
            aria-describedby=err_id.clone()
        >
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <div class="choice-list">
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (v, l))| {
                        let id = format!("f-{name}-{i}");
                        let for_id = id.clone();
                        let checked = ticked.contains(&v);
                        view! {
                            <label class="choice" for=for_id>
                                <input type=kind id=id name=name value=v checked=checked />
                                <span>{l}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="field-error" id=err_id.clone() role="alert" aria-live="polite">
                {message}
            </p>
        </fieldset>
    }
}

fn field_id(name: &str, suffix: Option<i64>) -> String {
    match suffix {
        Some(n) => format!("f-{name}-{n}"),
        None => format!("f-{name}"),
    }
}

fn described_by(
    has_hint: bool,
    hint_id: String,
    err_id: String,
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
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
}

/// Pairs for `Select` and `Choices` from constant lists.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// Pairs whose value is also the label.
pub fn same_pairs(list: &[&str]) -> Vec<(String, String)> {
    list.iter()
        .map(|v| (v.to_string(), v.replace('_', " ")))
        .collect()
}

/// A form that calls a server function: a real `<form method="post">` to its own page, which the
/// server answers by running the same server function from the posted fields
/// (components::form_post), the same with JavaScript or without. A refusal comes back as the
/// page with the error beside its field and what was typed in the inputs; a success answers 303
/// to `landing` (or the same page), which shows the outcome.
#[component]
pub fn ServerForm<S>(
    action: ServerAction<S>,
    /// Builds the server function's arguments from the submitted fields.
    to_input: fn(&FormFields) -> S,
    #[prop(optional)] class: &'static str,
    /// Keep what is typed in this browser's storage, and put it back when the page is opened
    /// again (a long form survives an expired session or a dropped network).
    #[prop(optional)]
    draft: Option<draft::Draft>,
    /// Which answers mean the draft has done its job (every answer when not given): a goal
    /// sheet's save that met a conflict keeps the draft.
    #[prop(optional)]
    draft_done: Option<fn(&S::Output) -> bool>,
    /// Where the post goes after a success (sign-in goes home). Without it a success comes back
    /// to the same page.
    #[prop(optional)]
    landing: Option<fn(&S::Output) -> String>,
    /// Tells this form's posts apart when the page repeats it (one per row): the row's id.
    #[prop(optional)]
    instance: Option<i64>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let key = form_post::form_key(S::PATH, instance);
    #[cfg(feature = "ssr")]
    form_post::register::<S>(to_input, landing);
    #[cfg(not(feature = "ssr"))]
    let _ = (to_input, landing);
    if apply_outcome(action, &key)
        && let Some(open) = use_context::<OpenOnOutcome>()
    {
        open.0.set(true);
    }
    let draft = draft.map(|d| {
        let restore = action.value().with_untracked(|v| match v {
            None | Some(Err(_)) => draft::Restore::All,
            Some(Ok(out)) if draft_done.is_none_or(|done| done(out)) => draft::Restore::Clear,
            Some(Ok(_)) => draft::Restore::Typed,
        });
        (d, restore)
    });
    form_shell(class, draft, key, children)
}

/// What every `ServerForm` is, whatever its server function.
fn form_shell(
    class: &'static str,
    draft: Option<(draft::Draft, draft::Restore)>,
    key: String,
    children: Children,
) -> impl IntoView {
    // The fields of a refused plain post, for the inputs to show again: a context only this
    // form's children see.
    // The child owner lives as long as the content (OwnedView), as in `Disclosure`.
    let children = match (form_post::refused_fields(&key), Owner::current()) {
        (Some(fields), Some(owner)) => {
            let child = owner.child();
            let content = child.with(|| {
                provide_context(Refused(std::sync::Arc::new(fields)));
                children()
            });
            leptos::tachys::reactive_graph::OwnedView::new_with_owner(content, child).into_any()
        }
        _ => children(),
    };
    let form_id = draft.as_ref().map(|(d, _)| d.key.clone());
    let keeper = draft.map(|(d, restore)| view! { <draft::KeepDraft key=d.key restore /> });
    // method="post": the browser never puts a password in the address bar.
    view! {
        <form method="post" id=form_id class=class novalidate=true>
            <input type="hidden" name=form_post::FORM_FIELD value=key />
            {children}
            {keeper}
        </form>
    }
}

/// Drafts of long forms in `localStorage`: every named control except passwords, as JSON.
///
/// Only the island and the vocabulary are compiled into the server; the rest runs in the browser
/// alone and is built only there.
pub mod draft {
    use leptos::prelude::*;
    #[cfg(feature = "hydrate")]
    use leptos::wasm_bindgen::JsCast;
    use serde::{Deserialize, Serialize};
    #[cfg(feature = "hydrate")]
    use std::collections::BTreeMap;
    #[cfg(feature = "hydrate")]
    use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

    #[cfg(feature = "hydrate")]
    pub fn form_by_id(id: &str) -> Option<HtmlFormElement> {
        leptos::prelude::document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
    }

    /// A form's draft: the key it is kept under in this browser, also the form's id.
    #[derive(Clone)]
    pub struct Draft {
        pub(super) key: String,
    }

    impl Draft {
        pub fn keep(key: impl Into<String>) -> Self {
            Draft { key: key.into() }
        }
    }

    /// What the page does with a kept draft, decided on the server from the outcome of the post
    /// it answers.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Restore {
        /// No post, or a refused one: put back everything kept.
        All,
        /// Answered but not done (a save that met a newer version): put back what was typed,
        /// and keep the versions the server rendered.
        Typed,
        /// Done: forget the draft.
        Clear,
    }

    /// The part of a form with a draft that runs in the browser: restores the draft when the
    /// page opens and keeps what is typed. An island, so only pages with such a form load it.
    #[island]
    pub fn KeepDraft(key: String, restore: Restore) -> impl IntoView {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::closure::Closure;
            if let Some(form) = form_by_id(&key) {
                match restore {
                    Restore::Clear => clear(&key),
                    Restore::All => put_back(&form, &key, true),
                    Restore::Typed => put_back(&form, &key, false),
                }
                let keep = Closure::<dyn Fn()>::new({
                    let (form, key) = (form.clone(), key.clone());
                    move || save(&form, &key)
                });
                for event in ["input", "change"] {
                    let _ =
                        form.add_event_listener_with_callback(event, keep.as_ref().unchecked_ref());
                }
                keep.forget();
                // Remembered for the page the post lands on (`forget_sent_elsewhere`).
                let sent = Closure::<dyn Fn()>::new(move || {
                    if let Some(session) = window().session_storage().ok().flatten() {
                        let _ = session.set_item(SENT_KEY, &key);
                    }
                });
                let _ =
                    form.add_event_listener_with_callback("submit", sent.as_ref().unchecked_ref());
                sent.forget();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (key, restore);
    }

    /// The draft whose form was posted last, in sessionStorage, for the page the post lands on.
    #[cfg(feature = "hydrate")]
    const SENT_KEY: &str = "tandem.draft-sent";

    /// A form with a draft whose success lands on another page (a new event lands on the event,
    /// a saved issue on the issue): that page clears the draft when it answers the post as done.
    /// A form still on the page is left to its `KeepDraft`, which knows a refusal or a conflict.
    /// Runs on every page, before the islands hydrate.
    #[cfg(feature = "hydrate")]
    pub fn forget_sent_elsewhere() {
        let Some(session) = window().session_storage().ok().flatten() else {
            return;
        };
        let Some(key) = session.get_item(SENT_KEY).ok().flatten() else {
            return;
        };
        let _ = session.remove_item(SENT_KEY);
        let done = matches!(
            crate::components::form_post::posted().map(|p| p.outcome),
            Some(crate::components::form_post::Outcome::Done(_))
        );
        if done && form_by_id(&key).is_none() {
            clear(&key);
        }
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    #[cfg(feature = "hydrate")]
    fn controls(form: &HtmlFormElement) -> Vec<web_sys::Element> {
        let els = form.elements();
        (0..els.length()).filter_map(|i| els.item(i)).collect()
    }

    /// A hidden input marked `data-draft` travels with the draft: the version a draft was typed
    /// on must come back with it, or saving a restored draft could overwrite a newer version.
    #[cfg(feature = "hydrate")]
    fn kept(input: &HtmlInputElement) -> bool {
        input.has_attribute("data-draft")
    }

    /// Answers never written to a draft: anything inside `data-private` (who someone is, their
    /// identity answers) and every email address. A draft outlives the page on a shared computer.
    #[cfg(feature = "hydrate")]
    fn private(el: &web_sys::Element) -> bool {
        el.closest("[data-private]").ok().flatten().is_some()
            || el
                .dyn_ref::<HtmlInputElement>()
                .is_some_and(|i| i.type_() == "email")
    }

    /// Forgets every draft and unsent chat message this browser keeps (all of Tandem's
    /// `localStorage`: nothing else is kept there) when its person signs out, so the next person
    /// at a shared computer finds none of it. Listens on the document, not the form: the
    /// navigator replaces the header (and its sign-out form) on every page.
    #[cfg(feature = "hydrate")]
    pub fn forget_all_at_sign_out() {
        use leptos::wasm_bindgen::closure::Closure;
        let forget = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
            let signs_out = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.matches("form.sign-out-form").unwrap_or(false));
            if signs_out && let Some(store) = storage() {
                let _ = store.clear();
            }
        });
        let _ = leptos::prelude::document()
            .add_event_listener_with_callback("submit", forget.as_ref().unchecked_ref());
        forget.forget();
    }

    #[cfg(feature = "hydrate")]
    pub fn save(form: &HtmlFormElement, key: &str) {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for el in controls(form) {
            if private(&el) {
                continue;
            }
            if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                let kind = input.type_();
                if input.name().is_empty()
                    || kind == "password"
                    || (kind == "hidden" && !kept(input))
                {
                    continue;
                }
                let entry = values.entry(input.name()).or_default();
                if kind == "checkbox" || kind == "radio" {
                    if input.checked() {
                        entry.push(input.value());
                    }
                } else {
                    entry.push(input.value());
                }
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                values.entry(t.name()).or_default().push(t.value());
            } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
                values.entry(s.name()).or_default().push(s.value());
            }
        }
        if let (Some(store), Ok(json)) = (storage(), serde_json::to_string(&values)) {
            let _ = store.set_item(key, &json);
        }
    }

    /// Puts the kept values back in the form; the hidden inputs marked `data-draft` (the version
    /// a draft was typed on) only when `versions`.
    #[cfg(feature = "hydrate")]
    fn put_back(form: &HtmlFormElement, key: &str, versions: bool) {
        let Some(json) = storage().and_then(|s| s.get_item(key).ok().flatten()) else {
            return;
        };
        let Ok(values) = crate::components::data::from_json::<BTreeMap<String, Vec<String>>>(&json)
        else {
            return;
        };
        for el in controls(form) {
            if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                let Some(saved) = values.get(&input.name()) else {
                    continue;
                };
                match input.type_().as_str() {
                    "hidden" if kept(input) && versions => {
                        input.set_value(saved.first().map(String::as_str).unwrap_or(""))
                    }
                    "password" | "hidden" => {}
                    "checkbox" | "radio" => input.set_checked(saved.contains(&input.value())),
                    _ => input.set_value(saved.first().map(String::as_str).unwrap_or("")),
                }
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                if let Some(v) = values.get(&t.name()).and_then(|v| v.first()) {
                    t.set_value(v);
                }
            } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>()
                && let Some(v) = values.get(&s.name()).and_then(|v| v.first())
            {
                s.set_value(v);
            }
        }
    }

    #[cfg(feature = "hydrate")]
    pub fn clear(key: &str) {
        if let Some(store) = storage() {
            let _ = store.remove_item(key);
        }
    }
}
