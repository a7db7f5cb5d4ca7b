//! The signed-in home.

use crate::error::AppError;
use crate::model::HomeView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy, auth::policy::Action, infra::context, match_work::home, program::applications,
};

#[server(endpoint = "my_home", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "my_home", skip_all))]
pub async fn my_home() -> Result<HomeView, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        if me.who().is_coordinator() {
            let by = policy::coordinator(Some(me.who().clone()))?;
            Ok(HomeView::Coordinator {
                me: me.who().clone(),
                cohorts: home::cohorts(&state.db, &by).await?,
                matches: home::recent_matches(&state.db, &by, 50).await?,
            })
        } else {
            policy::check(Some(me.who()), Action::ViewOwnApplications)?;
            let matches = home::my_match_homes(&state.db, &state.homes, &me).await?;
            // Ended matches only matter while there is no active one (and cost a query).
            let past = if matches.is_empty() {
                home::past_matches(&state.db, &me).await?
            } else {
                Vec::new()
            };
            Ok(HomeView::Participant {
                matches,
                applications: applications::mine(&state.db, &me).await?,
                me: me.who().clone(),
                past,
            })
        }
    })
    .await
}
