//! Who is signed in, for the plain axum routes (exports, `.ics` files) that are not server
//! functions: an extractor, so a handler names the person it serves in its signature and the
//! session cookie is read the same way everywhere (`sessions::current_from_headers`); and, for the
//! pages, the same read done once before rendering (`read_ahead`).

use app::backend::auth::sessions;
use app::backend::context::RequestCache;
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
        let user =
            sessions::current_from_headers(&state.db, &parts.headers, state.config.is_https())
                .await?;
        Ok(Requester(user))
    }
}

/// Reads who is asking for a page (and a participant's matches) before Leptos renders it, and
/// hands the page's server functions that read (`RequestCache::read_ahead`). Only a GET: a
/// server function's post reads what it needs itself. When the database fails here the page is
/// rendered anyway; its own reads then meet the failure and show it.
pub async fn read_ahead(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if req.method() == http::Method::GET {
        match RequestCache::read_ahead(&state, req.headers()).await {
            Ok(cache) => {
                req.extensions_mut().insert(cache);
            }
            Err(error) => {
                tracing::warn!(path = %req.uri().path(), %error, "reading the session ahead of a page failed");
            }
        }
    }
    next.run(req).await
}
