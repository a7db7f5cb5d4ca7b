//! Form posts: every `ServerForm`, with JavaScript or without, posts its fields to its own page. This layer runs the form's server function from them
//! (`app::components::form_post` holds the handlers) and answers as a page would:
//!
//! - a success: 303 to where the form lands (the same page unless the form names another), with
//!   the server function's cookies, and its answer in a one-minute cookie that the landing page
//!   reads once (a "sent" notice, a saved version, a draft to forget);
//! - a refusal: the same page rendered again with the error beside its field and what was
//!   typed in the inputs, with the error's status (422 for bad input);
//! - a post that names no form Tandem knows: the page again, with a sentence saying so; a post
//!   with no form name at all (a mail reader's one-click unsubscribe) goes on to its route.
//!
//! It sits inside the Origin check, which therefore covers both paths, and checks the Origin of
//! every keyed post again itself (the Origin check lets a keyless one-click post through on the
//! unsubscribe route); outside the page cache, which never serves a page that answers a post.

use app::backend::state::AppState;
use app::components::form_post::{
    FORM_FIELD, OUTCOME_COOKIE, Outcome, PostedForm, handler, key_path,
};
use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode};
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use std::sync::Arc;

/// Far above any form (the longest, a news issue, is 20,000 characters).
const MAX_BODY: usize = 256 * 1024;
/// A cookie holds about 4 KB; an answer too long for it is not carried (the page still shows
/// what was saved, only without its notice).
const MAX_COOKIE: usize = 3_500;

/// What the layer needs: the state, and the contexts the router gives every server function.
#[derive(Clone)]
pub struct FormPosts {
    pub state: AppState,
    pub context: Arc<dyn Fn() + Send + Sync>,
}

pub async fn handle(State(posts): State<FormPosts>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET && is_page_request(&req) {
        return landing(&posts, req, next).await;
    }
    if req.method() != Method::POST || !is_page_path(req.uri().path()) || !is_urlencoded(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::info!(path = %parts.uri.path(), error = %e, "plain form post: body unreadable");
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "This form was too long to send.",
            )
                .into_response();
        }
    };
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&bytes).into_owned().collect();
    let key = fields
        .iter()
        .find(|(k, _)| k == FORM_FIELD)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // Not a Tandem form (a mail reader's one-click unsubscribe, say): the route answers it.
    if key.is_empty() {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    // The Origin check in front of this layer lets a keyless post through on the one-click
    // unsubscribe route; a keyed one runs a server function, so it is checked here too, on
    // whatever path it was sent to.
    if let Err(message) = crate::origin::verdict(&parts.headers, &posts.state) {
        return crate::origin::refuse(parts.uri.path(), message);
    }
    let path = key_path(&key).to_string();
    // Handlers are registered as pages render their forms: after a restart, rendering the page
    // the form was on registers its handler.
    let run = match handler(&path) {
        Some(h) => Some(h),
        None => {
            let _ = next.clone().run(get_request(&parts, None)).await;
            handler(&path)
        }
    };
    let Some(run) = run else {
        tracing::info!(path = %parts.uri.path(), form = %key, "plain form post: no such form");
        let refusal = AppError::Refused(
            "This form could not be sent. Please reload the page and try again.".into(),
        );
        return refused(next, &parts, key, refusal, fields).await;
    };

    let owner = Owner::new();
    let response_options = leptos_axum::ResponseOptions::default();
    let result = {
        let parts = parts.clone();
        let options = response_options.clone();
        let context = posts.context.clone();
        let fields = fields.clone();
        owner
            .with(|| {
                ScopedFuture::new(async move {
                    provide_context(parts);
                    provide_context(options);
                    context();
                    run(fields).await
                })
            })
            .await
    };
    match result {
        Ok(answer) => {
            let here = page_of(&parts.uri);
            let mut response = StatusCode::SEE_OTHER.into_response();
            let sent = response_options.0.read().map(|r| r.headers.clone());
            if let Ok(headers) = sent {
                for (name, value) in headers.iter() {
                    response.headers_mut().append(name, value.clone());
                }
            }
            let to = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or(answer.landing)
                .unwrap_or_else(|| here.clone());
            if let Ok(v) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(LOCATION, v);
            }
            // The answer goes to the page the success lands on: the same page shows its notice,
            // and any page lets the browser forget the draft the form kept
            // (app::components::form::draft::forget_sent_elsewhere).
            let done = PostedForm {
                key,
                outcome: Outcome::Done(answer.output),
                page: to,
                fields: Vec::new(),
            };
            if let Some(cookie) = outcome_cookie(&done, posts.state.config.is_https()) {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => refused(next, &parts, key, error, fields).await,
    }
}

/// The page again, showing the refusal beside the form, with the refusal's status.
async fn refused(
    next: Next,
    parts: &Parts,
    key: String,
    error: AppError,
    fields: Vec<(String, String)>,
) -> Response {
    let status = error.status();
    let retry_after = error.retry_after();
    let posted = PostedForm {
        key,
        outcome: Outcome::Failed(error),
        page: page_of(&parts.uri),
        fields,
    };
    let mut response = next.run(get_request(parts, Some(posted))).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
    }
    response
}

/// A page opened after a success: it reads the answer the cookie carries, once.
async fn landing(posts: &FormPosts, mut req: Request, next: Next) -> Response {
    let Some(done) = outcome_from_cookie(&req) else {
        return next.run(req).await;
    };
    if done.page == page_of(req.uri()) {
        req.extensions_mut().insert(done);
    }
    let mut response = next.run(req).await;
    let clear = format!(
        "{OUTCOME_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if posts.state.config.is_https() {
            "; Secure"
        } else {
            ""
        }
    );
    if let Ok(v) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// The page a request is for, as `PostedForm::page` names it: path and query.
fn page_of(uri: &http::Uri) -> String {
    uri.path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

/// The page's own GET, with the same cookies and connection, carrying the post's outcome.
fn get_request(parts: &Parts, posted: Option<PostedForm>) -> Request {
    let mut get = Request::new(Body::empty());
    *get.method_mut() = Method::GET;
    *get.uri_mut() = parts.uri.clone();
    *get.headers_mut() = parts.headers.clone();
    get.headers_mut().remove(CONTENT_TYPE);
    get.headers_mut().remove(CONTENT_LENGTH);
    *get.extensions_mut() = parts.extensions.clone();
    if let Some(p) = posted {
        get.extensions_mut().insert(p);
    }
    get
}

fn outcome_cookie(done: &PostedForm, https: bool) -> Option<HeaderValue> {
    let json = serde_json::to_string(done).ok()?;
    let value: String = url::form_urlencoded::byte_serialize(json.as_bytes()).collect();
    if value.len() > MAX_COOKIE {
        return None;
    }
    HeaderValue::from_str(&format!(
        "{OUTCOME_COOKIE}={value}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{}",
        if https { "; Secure" } else { "" }
    ))
    .ok()
}

fn outcome_from_cookie(req: &Request) -> Option<PostedForm> {
    let prefix = format!("{OUTCOME_COOKIE}=");
    let raw = req
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .map(str::trim)
        .find_map(|c| c.strip_prefix(prefix.as_str()))?;
    let json: String = url::form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    // Only a success travels in the cookie: a refusal is rendered on the post itself.
    serde_json::from_str::<PostedForm>(&json)
        .ok()
        .filter(|p| matches!(p.outcome, Outcome::Done(_)))
}

/// The paths Leptos pages live at: not server functions, files, the socket or plain routes.
fn is_page_path(path: &str) -> bool {
    !["/api/", "/pkg/", "/ws", "/coordinator/export/"]
        .iter()
        .any(|p| path.starts_with(p))
        && !path.ends_with(".ics")
}

fn is_page_request(req: &Request) -> bool {
    is_page_path(req.uri().path())
        && req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

fn is_urlencoded(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_survives_the_cookie_and_a_refusal_never_travels_in_it() {
        let done = PostedForm {
            key: "/api/request_password_reset".into(),
            outcome: Outcome::Done("null".into()),
            page: "/forgot-password".into(),
            fields: vec![("email".into(), "a@b.c".into())],
        };
        let cookie = outcome_cookie(&done, false).unwrap();
        let value = cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let req = Request::builder()
            .header(COOKIE, format!("other=1; {value}"))
            .body(Body::empty())
            .unwrap();
        let back = outcome_from_cookie(&req).unwrap();
        assert_eq!(back.outcome, done.outcome);
        assert_eq!(back.page, "/forgot-password");
        assert!(back.fields.is_empty(), "fields never leave the server");

        let failed = PostedForm {
            outcome: Outcome::Failed(AppError::Forbidden),
            ..done
        };
        let value = url::form_urlencoded::byte_serialize(
            serde_json::to_string(&failed).unwrap().as_bytes(),
        )
        .collect::<String>();
        let req = Request::builder()
            .header(COOKIE, format!("{OUTCOME_COOKIE}={value}"))
            .body(Body::empty())
            .unwrap();
        assert!(outcome_from_cookie(&req).is_none());
    }

    #[test]
    fn only_page_paths_are_handled() {
        assert!(is_page_path("/sign-in"));
        assert!(is_page_path("/match/3/goals"));
        assert!(!is_page_path("/api/sign_in"));
        assert!(!is_page_path("/pkg/tandem.js"));
        assert!(
            is_page_path("/unsubscribe/news/abc"),
            "its page's button posts there"
        );
        assert!(!is_page_path("/forum/2/event.ics"));
    }
}
