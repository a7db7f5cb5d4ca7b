//! The coordinators' dashboard.

use crate::error::AppError;
use crate::model::dashboard::{Dashboard, DashboardFilter};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::dashboard};

#[server(endpoint = "load_dashboard", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_dashboard", skip_all)
)]
pub async fn load_dashboard(filter: DashboardFilter) -> Result<Dashboard, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        dashboard::load(&state.db, &by, &filter).await
    })
    .await
}
