//! The Mentoring Forum. Everyone signed in reads events; participants RSVP and ask; only
//! coordinators create, mark and add recordings.
// The server macro also makes a browser-side function with as many arguments as `save_event`,
// where an item-level attribute does not reach.
#![expect(
    clippy::too_many_arguments,
    reason = "save_event takes the event form's fields as its arguments (one JSON object on the wire)"
)]

use crate::error::AppError;
use crate::model::forum::{EventDetail, EventList};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, community::forum, context};

#[server(endpoint = "forum_events", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "forum_events", skip_all))]
pub async fn forum_events() -> Result<EventList, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        forum::list(&state.db, &me).await
    })
    .await
}

#[server(endpoint = "forum_event", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "forum_event", skip_all))]
pub async fn forum_event(id: i64) -> Result<EventDetail, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        forum::detail(&state.db, &me, id).await
    })
    .await
}

/// Creates (id 0) or changes an event; returns its id.
#[server(endpoint = "save_event", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_event", skip_all))]
pub async fn save_event(
    id: i64,
    title: String,
    description: String,
    date: String,
    time: String,
    time_zone: String,
    minutes: String,
    join_url: String,
    capacity: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let input = forum::EventInput {
            title: &title,
            description: &description,
            date: &date,
            time: &time,
            time_zone: &time_zone,
            minutes: &minutes,
            join_url: &join_url,
            capacity: &capacity,
        };
        forum::save(&state.db, &me, id, &input).await
    })
    .await
}

#[server(endpoint = "rsvp", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "rsvp", skip_all))]
pub async fn rsvp(event_id: i64, answer: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::participant).await?;
        forum::rsvp(&state.db, &me, event_id, &answer).await
    })
    .await
}

#[server(endpoint = "ask_question", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "ask_question", skip_all))]
pub async fn ask_question(event_id: i64, question: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::participant).await?;
        forum::ask(&state.db, &me, event_id, &question).await
    })
    .await
}

#[server(endpoint = "mark_question", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "mark_question", skip_all))]
pub async fn mark_question(question_id: i64, answered: bool) -> Result<(), AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        forum::mark_answered(&state.db, &by, question_id, answered).await
    })
    .await
}

#[server(endpoint = "save_recording", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "save_recording", skip_all)
)]
pub async fn save_recording(event_id: i64, recording_url: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        forum::save_recording(&state.db, &me, event_id, &recording_url).await
    })
    .await
}

/// `attended`: the ids of those who came (the ticked boxes). Returns how many were marked.
#[server(endpoint = "mark_attendance", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "mark_attendance", skip_all)
)]
pub async fn mark_attendance(event_id: i64, attended: Vec<String>) -> Result<usize, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        let ids: Vec<i64> = attended.iter().filter_map(|a| a.parse().ok()).collect();
        forum::mark_attendance(&state.db, &by, event_id, &ids).await
    })
    .await
}
