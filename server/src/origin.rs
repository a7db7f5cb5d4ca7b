//! Every state-changing request must come from Tandem's own pages: its `Origin` must be the public
//! address, or the address the request was sent to. This stops another site from making a signed-in
//! browser act (CSRF), on top of the SameSite cookie.

use app::backend::infra::state::AppState;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, HOST, ORIGIN};
use http::{Method, StatusCode};

pub const FOREIGN: &str = "This request came from another site, so Tandem refused it.";
pub const MISSING: &str = "This request did not say which site it came from, so Tandem refused it. Reload the page and try again.";

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // One-click unsubscribe comes from mail providers' servers, with no Origin and no cookie:
    // the secret in the path is its only authority, so there is no session to forge.
    if req.uri().path().starts_with("/unsubscribe/") {
        return next.run(req).await;
    }
    let origin = req.headers().get(ORIGIN).and_then(|v| v.to_str().ok());
    let refusal = match origin {
        None => Some(MISSING),
        Some(o)
            if allowed(
                o,
                &state,
                req.headers().get(HOST).and_then(|h| h.to_str().ok()),
            ) =>
        {
            None
        }
        Some(_) => Some(FOREIGN),
    };
    match refusal {
        None => next.run(req).await,
        Some(message) => {
            tracing::info!(path = %req.uri().path(), origin = ?origin, "refused by the Origin check");
            refuse(req.uri().path(), message)
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

/// Server functions get the refusal in their own error encoding, so the page shows the sentence.
fn refuse(path: &str, message: &'static str) -> Response {
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
