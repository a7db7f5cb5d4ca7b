//! The one error type that crosses the wire. Every server function returns it; the UI shows its
//! `Display` text, which is always a plain sentence meant for the person using the page.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to that.")]
    Forbidden,
    /// A coordinator without two-step sign-in asked for a coordinator's page or data: they see
    /// everyone's private answers, so a password alone is not enough.
    #[error("Coordinator pages need two-step sign-in. Set it up first: it takes a minute.")]
    SecondFactorNeeded,
    /// Bad input tied to one form field, so the form can show it beside that field.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// Bad input or a refused step that belongs to no single field.
    #[error("{0}")]
    Refused(String),
    #[error("We could not find that.")]
    NotFound,
    #[error("{0}")]
    RateLimited(String),
    /// The server is at a bound it keeps to stay up (password hashing): nothing was done, and
    /// the same request a little later will be served.
    #[error("Tandem is very busy right now. Please try again in a few seconds.")]
    Busy,
    /// Details are logged on the server, never sent.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// Transport trouble between the browser and the server.
    #[error("{0}")]
    Transport(String),
}

/// A queue of hashes drains within a second or two.
const RETRY_BUSY_AFTER_SECONDS: u32 = 2;

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The message for one field, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status a server function answers with when it fails this way.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::SecondFactorNeeded => StatusCode::FORBIDDEN,
            AppError::Validation { .. } | AppError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds to wait before asking again (`Retry-After`), when the error says to.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::Busy => Some(RETRY_BUSY_AFTER_SECONDS),
            _ => None,
        }
    }

    /// True when the error belongs to no field and should be shown for the whole form.
    pub fn is_form_level(&self) -> bool {
        !matches!(self, AppError::Validation { .. })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Transport(
                "We could not reach the server. Check your connection and try again.".into(),
            ),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::Refused(
                "The form was incomplete. Please fill it in and try again.".into(),
            ),
            other => {
                #[cfg(feature = "ssr")]
                tracing::warn!(error = %other, "server function transport error");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Transport(
                    "The server could not handle that request. Please try again.".into(),
                )
            }
        }
    }
}

/// The one answer a plain route gives for an error: its status and the sentence a person reads.
/// (Server functions answer through `FromServerFnError`, pages through their error views.)
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let mut response = (self.status(), self.to_string()).into_response();
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Logged where it happens: `track_caller` makes the location the `?` that converted the
    /// error (the query's own line), and the enclosing spans add the server function and the
    /// request (id, method, route).
    #[track_caller]
    fn from(err: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %err, query_at = %at, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::backend::mail::outbox::MailError> for AppError {
    #[track_caller]
    fn from(err: crate::backend::mail::outbox::MailError) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %err, at = %at, "mail error");
        AppError::Internal
    }
}
