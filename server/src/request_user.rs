//! Who is signed in, for the plain axum routes (exports, `.ics` files) that are not server
//! functions: an extractor, so a handler names the person it serves in its signature and the
//! session cookie is read the same way everywhere (`sessions::token_from_headers`).

use app::backend::auth::sessions;
use app::backend::state::AppState;
use app::error::AppError;
use app::model::CurrentUser;
use axum::extract::FromRequestParts;
use http::request::Parts;

/// The person a request is from: `None` for a visitor (the policy decides what they may do).
pub struct Requester(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for Requester {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = sessions::token_from_headers(&parts.headers, state.config.is_https())
        else {
            return Ok(Requester(None));
        };
        let user = sessions::resolve(&state.db, &token).await?;
        Ok(Requester(user.map(|u| u.to_current())))
    }
}
