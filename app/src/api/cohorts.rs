//! Coordinators' server functions for cohorts: the list, a new cohort, moving one on.

use crate::error::AppError;
use crate::model::{CohortDetail, CohortForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::cohorts};

#[server(endpoint = "list_cohorts", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_cohorts", skip_all))]
pub async fn list_cohorts() -> Result<Vec<CohortDetail>, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        cohorts::list(&state.db, &by).await
    })
    .await
}

#[server(endpoint = "create_cohort", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_cohort", skip_all))]
pub async fn create_cohort(form: CohortForm) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        cohorts::create(&state.db, &me, &form).await
    })
    .await
}

#[server(endpoint = "set_cohort_state", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_cohort_state", skip_all)
)]
pub async fn set_cohort_state(cohort_id: i64, to: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        cohorts::set_state(&state.db, &state.config, &me, cohort_id, &to).await?;
        Ok(())
    })
    .await
}
