//! RFC 8058 one-click unsubscribe: mail readers POST `List-Unsubscribe=One-Click` to the link
//! in the `List-Unsubscribe` header. The secret in the link is the authority (no cookie), and
//! the answer is a plain sentence. A person who opens the same link in a browser gets the page
//! with a button instead (a GET must never change anything: link scanners follow them).

use app::backend::auth::policy::{self, open};
use app::backend::mail::prefs;
use app::backend::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn one_click(
    State(state): State<AppState>,
    Path((kind, token)): Path<(String, String)>,
) -> Response {
    let result = async {
        policy::open::<open::MailToken>(None)?;
        prefs::unsubscribe(&state.db, &kind, &token).await
    }
    .await;
    match result {
        Ok(()) => (StatusCode::OK, "You are unsubscribed.").into_response(),
        Err(e) => e.into_response(),
    }
}
