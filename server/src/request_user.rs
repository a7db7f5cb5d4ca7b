//! Who is signed in, for the plain axum routes (downloads) that are not server functions.

use app::backend::auth::sessions;
use app::backend::infra::state::AppState;
use app::error::AppError;
use app::model::CurrentUser;
use axum::http::{HeaderMap, header};

pub async fn from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| sessions::token_from_cookie_header(h, state.config.is_https()));
    Ok(match token {
        Some(t) => sessions::resolve(&state.db, &t)
            .await?
            .map(|u| u.to_current()),
        None => None,
    })
}
