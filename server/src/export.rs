//! CSV downloads for coordinators, as plain GET routes so the browser saves them as files. The
//! session cookie and the policy are checked here as in any server function.

use app::backend::policy::{self, Action};
use app::backend::state::AppState;
use app::backend::{health, sessions};
use app::error::AppError;
use app::model::health::MatchQuery;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    cohort: String,
    library_type: String,
    region: String,
    flag: String,
    state: String,
    sheet: String,
    q: String,
    sort: String,
}

impl ExportQuery {
    /// The same filters as the matches table's query string.
    fn to_query(&self) -> MatchQuery {
        MatchQuery {
            cohort_id: self.cohort.parse().ok(),
            library_type: self.library_type.clone(),
            region: self.region.clone(),
            flag: self.flag.clone(),
            state: self.state.clone(),
            sheet: self.sheet.clone(),
            search: self.q.clone(),
            sort: self.sort.clone(),
            page: 1,
        }
    }
}

async fn coordinator(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| sessions::token_from_cookie_header(h, state.config.is_https()));
    let user = match token {
        Some(t) => sessions::resolve(&state.db, &t)
            .await?
            .map(|u| u.to_current()),
        None => None,
    };
    policy::check(user.as_ref(), Action::ManageProgram)
}

pub async fn matches_csv(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = coordinator(&state, &headers).await {
        return (e.status(), e.to_string()).into_response();
    }
    let query = q.to_query();
    if !health::known_flag(&query.flag) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a flag from the list.",
        )
            .into_response();
    }
    match health::csv(&state.db, &query).await {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"tandem-matches.csv\""),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}
