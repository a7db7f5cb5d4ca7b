//! Every state-changing request must come from Tandem's own pages: its `Origin` must be the public
//! address, or the address the request was sent to. This stops another site from making a signed-in
//! browser act (CSRF), on top of the SameSite cookie.
//!
//! One kind of post is exempt: a mail reader's RFC 8058 one-click unsubscribe, which comes from
//! the mail provider's servers with no Origin and no cookie, to `/unsubscribe/{kind}/{token}`,
//! with a body that names no Tandem form. A post there that does name a form (`__form`) is a page's
//! form like any other and is checked like any other: the plain-form layer runs whatever server
//! function `__form` names, on any page path, so an exemption by path alone would let another site
//! sign a browser in or out or change its account through the unsubscribe page. The plain-form
//! layer checks the Origin again before it runs a keyed form, wherever it was sent.

use app::backend::state::AppState;
use app::components::form_post::FORM_FIELD;
use app::error::AppError;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, HOST, ORIGIN};
use http::{HeaderMap, Method, StatusCode};

pub const FOREIGN: &str = "This request came from another site, so Tandem refused it.";
pub const MISSING: &str = "This request did not say which site it came from, so Tandem refused it. Reload the page and try again.";

/// A one-click body is `List-Unsubscribe=One-Click`; anything longer is not one.
const MAX_ONE_CLICK_BODY: usize = 4 * 1024;

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let req = if is_one_click_path(req.uri().path()) {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_ONE_CLICK_BODY).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "This request was too long.").into_response();
        };
        let req = Request::from_parts(parts, Body::from(bytes.clone()));
        // The secret in the path is a one-click post's only authority: no session to forge.
        if !names_a_form(&bytes) {
            return next.run(req).await;
        }
        req
    } else {
        req
    };
    match verdict(req.headers(), &state) {
        Ok(()) => next.run(req).await,
        Err(message) => refuse(req.uri().path(), message),
    }
}

/// Whether the request's Origin is Tandem's own; the sentence to refuse it with otherwise.
pub fn verdict(headers: &HeaderMap, state: &AppState) -> Result<(), &'static str> {
    let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    match origin {
        Some(o) if allowed(o, state, host) => Ok(()),
        Some(o) => {
            tracing::info!(origin = %o, "refused by the Origin check");
            Err(FOREIGN)
        }
        None => {
            tracing::info!("refused by the Origin check: no Origin");
            Err(MISSING)
        }
    }
}

pub fn allowed(origin: &str, state: &AppState, host: Option<&str>) -> bool {
    if origin == state.config.public_origin() {
        return true;
    }
    // The address the browser used to reach us (e.g. localhost instead of 127.0.0.1).
    let scheme = state.config.public_url.scheme();
    host.is_some_and(|h| origin == format!("{scheme}://{h}"))
}

/// `/unsubscribe/{kind}/{token}`, the one route a one-click post goes to.
fn is_one_click_path(path: &str) -> bool {
    path.strip_prefix("/unsubscribe/")
        .map(|rest| rest.split('/').collect::<Vec<_>>())
        .is_some_and(|segments| segments.len() == 2 && segments.iter().all(|s| !s.is_empty()))
}

/// Whether a body, read as a urlencoded form (as the plain-form layer reads it), names a form.
fn names_a_form(body: &Bytes) -> bool {
    url::form_urlencoded::parse(body).any(|(k, _)| k == FORM_FIELD)
}

/// Server functions get the refusal in their own error encoding, so the page shows the sentence.
pub fn refuse(path: &str, message: &'static str) -> Response {
    if path.starts_with("/api/") {
        let body = serde_json::to_string(&AppError::Refused(message.into()))
            .unwrap_or_else(|_| format!("\"{message}\""));
        (
            StatusCode::FORBIDDEN,
            [(CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        (StatusCode::FORBIDDEN, message).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_unsubscribe_route_itself_is_a_one_click_path() {
        assert!(is_one_click_path("/unsubscribe/news/abc"));
        assert!(!is_one_click_path("/unsubscribe/news/abc/more"));
        assert!(!is_one_click_path("/unsubscribe/news/"));
        assert!(!is_one_click_path("/unsubscribe/"));
        assert!(!is_one_click_path("/profile"));
    }

    #[test]
    fn a_body_names_a_form_however_it_is_spelt() {
        assert!(!names_a_form(&Bytes::from_static(
            b"List-Unsubscribe=One-Click"
        )));
        assert!(!names_a_form(&Bytes::new()));
        assert!(names_a_form(&Bytes::from_static(
            b"List-Unsubscribe=One-Click&__form=/api/sign_in"
        )));
        assert!(names_a_form(&Bytes::from_static(
            b"%5F%5Fform=%2Fapi%2Fsign_out"
        )));
        assert!(names_a_form(&Bytes::from_static(b"__form=")));
    }
}
