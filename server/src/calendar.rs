//! A forum event's `.ics` file, as a plain GET so the browser saves it and a calendar opens it.

use crate::request_user::Requester;
use app::backend::auth::policy;
use app::backend::community::forum;
use app::backend::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub async fn event_ics(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Requester(user): Requester,
) -> Response {
    let result = async {
        let reader = policy::signed_in(user)?;
        forum::ics(&state.db, &reader, &state.config, id).await
    }
    .await;
    match result {
        Ok(body) => {
            let disposition = format!("attachment; filename=\"tandem-event-{id}.ics\"");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/calendar; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or(HeaderValue::from_static("attachment")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}
