//! The audit log's pages. Coordinators only.

use crate::error::AppError;
use crate::model::audit::AuditPage;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::audit};

/// A page of the log, newest first: `action` is a wire name ("" for every action), `before` the
/// last page's `older`.
#[server(endpoint = "audit_log", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "audit_log", skip_all))]
pub async fn audit_log(action: String, before: Option<i64>) -> Result<AuditPage, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        audit::page(&state.db, &by, &action, before).await
    })
    .await
}
