//! Coordinators' server functions for cohorts: the list, a new cohort, moving one on.

use crate::error::AppError;
use crate::model::{CohortDetail, CohortForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::policy::Action, infra::context, program::cohorts};

#[server(endpoint = "list_cohorts", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_cohorts", skip_all))]
pub async fn list_cohorts() -> Result<Vec<CohortDetail>, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        cohorts::list(&state.db).await
    })
    .await
}

#[server(endpoint = "create_cohort", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_cohort", skip_all))]
pub async fn create_cohort(form: CohortForm) -> Result<i64, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        cohorts::create(&state.db, me.id, &form).await
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
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        cohorts::set_state(&state.db, &state.config, me.id, cohort_id, &to).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    })
    .await
}
