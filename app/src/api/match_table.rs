//! The coordinators' matches table (match health): every match with its figures and the flags
//! that say it needs attention.

use crate::error::AppError;
use crate::model::match_table::{MatchQuery, MatchTable};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::match_table};

#[server(endpoint = "match_table", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "get_match_table", skip_all)
)]
pub async fn get_match_table(query: MatchQuery) -> Result<MatchTable, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        match_table::table(&state.db, &by, &query).await
    })
    .await
}
