//! Match health for coordinators: the table of matches with their figures and flags.

use crate::error::AppError;
use crate::model::health::{MatchQuery, MatchTable};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::policy::Action, infra::context, program::match_table};

#[server(endpoint = "match_health", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "match_health", skip_all))]
pub async fn match_health(query: MatchQuery) -> Result<MatchTable, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        if !match_table::known_flag(&query.flag) {
            return Err(AppError::validation("flag", "Choose a flag from the list."));
        }
        match_table::table(&state.db, &query).await
    })
    .await
}
