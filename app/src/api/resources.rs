//! The resource library: read and bookmark when signed in; coordinators curate.

use crate::error::AppError;
use crate::model::resources::ResourceList;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::policy::open, community::resources, context};

/// The library, or None for a visitor: the Resources page is public and shows a visitor what
/// the library is instead (like `get_current_user`, "nobody" is an answer, not an error).
#[server(endpoint = "resources", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "list_resources", skip_all)
)]
pub async fn list_resources(
    query: String,
    kind: String,
    tag: String,
    bookmarked: bool,
) -> Result<Option<ResourceList>, AppError> {
    context::respond(async move {
        let (state, reader) = context::permit(policy::open::<open::ReadSession>).await?;
        let Some(me) = reader.signed_in() else {
            return Ok(None);
        };
        let filter = resources::Filter {
            query: &query,
            kind: &kind,
            tag: &tag,
            bookmarked,
        };
        resources::list(&state.db, me, &filter).await.map(Some)
    })
    .await
}

#[server(endpoint = "save_resource", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_resource", skip_all))]
pub async fn save_resource(
    id: i64,
    title: String,
    url: String,
    kind: String,
    tags: String,
    note: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let input = resources::ResourceInput {
            title: &title,
            url: &url,
            kind: &kind,
            tags: &tags,
            note: &note,
        };
        resources::save(&state.db, &me, id, &input).await
    })
    .await
}

#[server(endpoint = "delete_resource", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "delete_resource", skip_all)
)]
pub async fn delete_resource(id: i64) -> Result<(), AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        resources::delete(&state.db, &by, id).await
    })
    .await
}

#[server(endpoint = "set_bookmark", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_bookmark", skip_all))]
pub async fn set_bookmark(resource_id: i64, on: bool) -> Result<bool, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        resources::set_bookmark(&state.db, &me, resource_id, on).await?;
        Ok(on)
    })
    .await
}
