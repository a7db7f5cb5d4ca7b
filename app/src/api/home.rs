//! The signed-in home.

use crate::error::AppError;
use crate::model::HomeView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, match_work::home};

#[server(endpoint = "my_home", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "my_home", skip_all))]
pub async fn my_home() -> Result<HomeView, AppError> {
    context::respond(async move {
        let (state, whose) = context::permit(policy::home).await?;
        let active = match &whose {
            policy::Home::Participant(me) => context::active_matches(&state.db, me.id()).await?,
            policy::Home::Coordinator(_) => Default::default(),
        };
        home::view(&state.db, &state.homes, &whose, &active).await
    })
    .await
}
