//! The coordinators' dashboard.

use crate::error::AppError;
use crate::model::dashboard::{Dashboard, DashboardFilter};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::policy::Action, infra::context, program::dashboard};

#[server(endpoint = "load_dashboard", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_dashboard", skip_all)
)]
pub async fn load_dashboard(filter: DashboardFilter) -> Result<Dashboard, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        dashboard::load(&state.db, &filter).await
    })
    .await
}
