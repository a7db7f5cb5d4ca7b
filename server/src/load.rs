//! What keeps a flood from sinking the server: a bound on requests in progress across the whole
//! router (past it the answer is an immediate 503, not a queue that grows until memory runs out),
//! and time limits on a request's body and on its answer. Password hashing has its own, tighter
//! bound (`app::backend::auth::passwords`); a chat socket counts only while its handshake runs.
//! The router puts these layers outside the Origin check and inside the security headers.

use axum::BoxError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Requests in progress at once. Far above what the database pools serve at a time (4 or 16
/// connections), so it only ever refuses a flood.
pub const MAX_IN_FLIGHT: usize = 512;
/// The longest an answer may take; the slowest pages and exports take well under a second.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(30);
/// The longest a request's body may take to arrive. Tandem's forms are a few kilobytes.
pub const BODY_WITHIN: Duration = Duration::from_secs(30);
/// What an overloaded answer asks the client to wait.
const RETRY_AFTER_SECONDS: u32 = 2;

/// The answer when the bound is reached (`HandleErrorLayer`'s handler, around `load_shed`).
pub async fn overloaded(err: BoxError) -> Response {
    if err.is::<tower::load_shed::error::Overloaded>() {
        tracing::warn!("at the limit of requests in progress; refusing one");
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            "Tandem is very busy right now. Please try again in a few seconds.",
        )
            .into_response();
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(RETRY_AFTER_SECONDS),
        );
        response
    } else {
        tracing::error!(error = %err, "a request failed below the router");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again in a moment.",
        )
            .into_response()
    }
}
