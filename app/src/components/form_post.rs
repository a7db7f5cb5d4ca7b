//! Forms that work before the WASM arrives, and without JavaScript.
//!
//! Every `ServerForm` is a real `<form method="post">` to its own page, carrying a hidden
//! `__form` field that names it. The browser posts the fields to the page, with JavaScript or
//! without; the server (`server/src/form_post.rs`) finds the form's handler here, which builds
//! the same server function's input from the posted fields with the form's own `to_input` and
//! runs the same body, policy check included. A success answers 303 to where the form lands (its
//! `landing`, or the same page) and leaves the answer in a one-minute cookie for that page; a refusal renders the page again with the error beside its field
//! and what was typed in the inputs.
//!
//! The page that answers knows a [`PostedForm`]: on the server from the request, in the browser
//! from a JSON script in the head, so an island hydrates to exactly what the server rendered.
//! With JavaScript the navigator (`frontend/src/navigator.rs`) sends the same post by `fetch`
//! and swaps in the page that answers, head script included.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The hidden field naming the form a plain post came from.
pub const FORM_FIELD: &str = "__form";
/// The cookie that carries a success to the page the post was redirected to.
pub const OUTCOME_COOKIE: &str = "tandem_form";
/// The id of the head script that hands the outcome to the browser.
pub const OUTCOME_SCRIPT_ID: &str = "tandem-form-outcome";

/// How a plain post ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Failed(AppError),
    /// The server function's answer, as the JSON it sends to a hydrated page.
    Done(String),
}

/// A plain post of one form, as the page answering it sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostedForm {
    /// The form's key: its server function's path, and its instance where one page repeats it.
    pub key: String,
    pub outcome: Outcome,
    /// The page (path and query) that answers: the browser applies the outcome only there.
    pub page: String,
    /// What was posted, to put back in the inputs after a refusal. Never sent back to the
    /// browser (the head script skips it): the server has already rendered it into the inputs.
    #[serde(skip)]
    pub fields: Vec<(String, String)>,
}

/// The key of a form: its server function's path, and its instance when the same form repeats
/// on a page (one per row).
pub fn form_key(path: &str, instance: Option<i64>) -> String {
    match instance {
        Some(n) => format!("{path}#{n}"),
        None => path.to_string(),
    }
}

/// The server function path a form key names.
pub fn key_path(key: &str) -> &str {
    key.split('#').next().unwrap_or(key)
}

/// The plain post this page answers, if any.
pub fn posted() -> Option<PostedForm> {
    #[cfg(feature = "ssr")]
    {
        // Borrowed in place: a page asks once per form, and `use_context` would clone the
        // request's whole head each time.
        leptos::prelude::with_context::<http::request::Parts, _>(|p| {
            p.extensions.get::<PostedForm>().cloned()
        })
        .flatten()
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::posted()
    }
}

/// Forgets the outcome read from the head script: the navigator has put another page (and its
/// own script, if it answers a post) in place of the one it was read on.
#[cfg(not(feature = "ssr"))]
pub fn forget_posted() {
    client::forget();
}

/// The outcome of the plain post this page answers, when it came from the form `key`.
pub fn outcome_for(key: &str) -> Option<Outcome> {
    posted().filter(|p| p.key == key).map(|p| p.outcome)
}

/// The fields posted by the form `key`, when the page answers its refusal.
pub fn refused_fields(key: &str) -> Option<Vec<(String, String)>> {
    posted()
        .filter(|p| p.key == key && matches!(p.outcome, Outcome::Failed(_)))
        .map(|p| p.fields)
}

/// The head script's text: the outcome without the fields, with `<` escaped so no text in it can
/// end the script element.
pub fn script_json(posted: &PostedForm) -> String {
    serde_json::to_string(posted)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// The browser's copy of the outcome, read once from the head script, for the islands of the page
/// that answered the post (the chat's composer, a draft's keeper).
#[cfg(not(feature = "ssr"))]
mod client {
    use super::{OUTCOME_SCRIPT_ID, PostedForm};
    use std::cell::RefCell;

    thread_local! {
        static POSTED: RefCell<Option<Option<PostedForm>>> = const { RefCell::new(None) };
    }

    pub fn posted() -> Option<PostedForm> {
        POSTED.with(|cell| {
            cell.borrow_mut()
                .get_or_insert_with(|| {
                    let text = leptos::prelude::document()
                        .get_element_by_id(OUTCOME_SCRIPT_ID)?
                        .text_content()?;
                    let posted = crate::components::data::from_json::<PostedForm>(&text).ok()?;
                    let location = leptos::prelude::window().location();
                    let here = format!("{}{}", location.pathname().ok()?, location.search().ok()?);
                    (posted.page == here).then_some(posted)
                })
                .clone()
        })
    }

    pub fn forget() {
        POSTED.with(|cell| cell.borrow_mut().take());
    }
}

#[cfg(feature = "ssr")]
pub use registry::{Answer, Handler, handler, register};

/// The server's handlers for plain posts, one per server function a `ServerForm` sends to,
/// filled as pages render their forms.
#[cfg(feature = "ssr")]
mod registry {
    use super::AppError;
    use crate::components::form::FormFields;
    use leptos::server_fn::ServerFn;
    use serde::Serialize;
    use std::collections::HashMap;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, LazyLock, RwLock};

    /// What a handled post answered: the output as JSON, and where the page goes next, when the
    /// form says (sign-in goes home; most forms stay on their page).
    pub struct Answer {
        pub output: String,
        pub landing: Option<String>,
    }

    pub type Handler = Arc<
        dyn Fn(
                Vec<(String, String)>,
            ) -> Pin<Box<dyn Future<Output = Result<Answer, AppError>> + Send>>
            + Send
            + Sync,
    >;

    static HANDLERS: LazyLock<RwLock<HashMap<&'static str, Handler>>> =
        LazyLock::new(Default::default);

    /// Records how a form's posted fields become its server function's call. Every page that
    /// renders the form calls this; the first one in a process stores it.
    pub fn register<S>(to_input: fn(&FormFields) -> S, landing: Option<fn(&S::Output) -> String>)
    where
        S: ServerFn<Error = AppError> + Send + 'static,
        S::Output: Serialize,
    {
        if HANDLERS.read().is_ok_and(|map| map.contains_key(S::PATH)) {
            return;
        }
        let run: Handler = Arc::new(move |fields| {
            Box::pin(async move {
                let input = to_input(&FormFields::posted(fields));
                let out = input.run_body().await?;
                let output = serde_json::to_string(&out).map_err(|e| {
                    tracing::error!(error = %e, form = S::PATH, "plain form post: answer not encodable");
                    AppError::Internal
                })?;
                Ok(Answer {
                    output,
                    landing: landing.map(|f| f(&out)),
                })
            })
        });
        if let Ok(mut map) = HANDLERS.write() {
            map.entry(S::PATH).or_insert(run);
        }
    }

    /// The handler for the server function at `path`, once a page has rendered its form.
    pub fn handler(path: &str) -> Option<Handler> {
        HANDLERS.read().ok().and_then(|map| map.get(path).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_function_and_the_instance() {
        assert_eq!(form_key("/api/sign_in", None), "/api/sign_in");
        assert_eq!(form_key("/api/log_contact", Some(7)), "/api/log_contact#7");
        assert_eq!(key_path("/api/log_contact#7"), "/api/log_contact");
        assert_eq!(key_path("/api/sign_in"), "/api/sign_in");
    }

    #[test]
    fn the_head_script_never_carries_the_fields_nor_ends_early() {
        let posted = PostedForm {
            key: "/api/sign_in".into(),
            outcome: Outcome::Failed(AppError::validation("email", "</script><b>")),
            page: "/sign-in".into(),
            fields: vec![("password".into(), "secret".into())],
        };
        let json = script_json(&posted);
        assert!(!json.contains("secret"), "{json}");
        assert!(!json.contains('<'), "{json}");
        let back: PostedForm = serde_json::from_str(&json).unwrap();
        assert_eq!(back.outcome, posted.outcome);
        assert!(back.fields.is_empty());
    }
}
