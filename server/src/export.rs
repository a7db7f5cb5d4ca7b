//! CSV downloads for coordinators, as plain GET routes so the browser saves them as files. The
//! session cookie and the policy are checked here as in any server function.

use crate::request_user::Requester;
use app::backend::auth::policy;
use app::backend::program::exports;
use app::backend::state::AppState;
use app::error::AppError;
use app::model::ApplicationFilter;
use app::model::dashboard::DashboardFilter;
use app::model::match_table::MatchQuery;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
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
    role: String,
    progress: String,
    goal: String,
    reached: String,
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
            goal: self.goal.clone(),
            search: self.q.clone(),
            sort: self.sort.clone(),
            page: 1,
        }
    }

    /// The applications page's filters (plus the dashboard's library type and region).
    fn to_application_filter(&self) -> ApplicationFilter {
        ApplicationFilter {
            cohort_id: self.cohort.parse().ok(),
            role: self.role.clone(),
            state: self.state.clone(),
            search: self.q.clone(),
            library_type: self.library_type.clone(),
            region: self.region.clone(),
            reached: self.reached.clone(),
        }
    }

    fn to_dashboard_filter(&self) -> DashboardFilter {
        DashboardFilter {
            cohort_id: self.cohort.parse().ok(),
            library_type: self.library_type.clone(),
            region: self.region.clone(),
        }
    }
}

/// A CSV body as a download; an error answers as `AppError` does on any plain route (its status
/// and a plain sentence).
fn download(body: String, filename: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static(filename),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

pub async fn matches_csv(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
    user: Requester,
) -> Result<Response, AppError> {
    let by = policy::coordinator(user.0)?;
    let body = exports::matches(&state.db, &by, &q.to_query()).await?;
    Ok(download(
        body,
        "attachment; filename=\"tandem-matches.csv\"",
    ))
}

pub async fn applications_csv(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
    user: Requester,
) -> Result<Response, AppError> {
    let by = policy::coordinator(user.0)?;
    let body = exports::applications(&state.db, &by, &q.to_application_filter()).await?;
    Ok(download(
        body,
        "attachment; filename=\"tandem-applications.csv\"",
    ))
}

pub async fn goals_csv(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
    user: Requester,
) -> Result<Response, AppError> {
    let by = policy::coordinator(user.0)?;
    let body = exports::goals(&state.db, &by, &q.to_dashboard_filter(), &q.progress).await?;
    Ok(download(body, "attachment; filename=\"tandem-goals.csv\""))
}
