//! Program News, its discussion threads, and the mail settings and unsubscribe links that
//! program mail carries.

use crate::error::AppError;
use crate::model::news::{
    IssueDraft, IssueView, MailSettings, NewsArchive, SendProgress, UnsubscribeInfo,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::chat::hub::{Event, Topic};
#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::policy::open, community::news, context, mail::prefs};
#[cfg(feature = "ssr")]
use crate::model::UserId;

#[server(endpoint = "news_archive", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_news_archive", skip_all)
)]
pub async fn load_news_archive() -> Result<NewsArchive, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        news::archive(&state.db, &me).await
    })
    .await
}

/// An issue as the signed-in person sees it; a coordinator may name a participant
/// (`preview_as`) to see that person's version.
#[server(endpoint = "news_issue", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "news_issue", skip_all))]
pub async fn news_issue(id: i64, preview_as: Option<i64>) -> Result<IssueView, AppError> {
    context::respond(async move {
        match preview_as {
            Some(reader) => {
                let (state, by) = context::permit(policy::coordinator).await?;
                news::preview(&state.db, &by, id, UserId(reader)).await
            }
            None => {
                let (state, me) = context::permit(policy::signed_in).await?;
                news::view(&state.db, &me, id).await
            }
        }
    })
    .await
}

#[server(endpoint = "news_draft", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "news_draft", skip_all))]
pub async fn news_draft(id: i64) -> Result<IssueDraft, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        news::draft(&state.db, &by, id).await
    })
    .await
}

#[server(endpoint = "save_issue", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_issue", skip_all))]
pub async fn save_issue(
    id: i64,
    title: String,
    news: String,
    events: String,
    activity_id: i64,
    question: String,
    goals: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let input = news::IssueInput {
            title: &title,
            news: &news,
            events: &events,
            activity_id,
            question: &question,
            goals: &goals,
        };
        news::save(&state.db, &me, id, &input).await
    })
    .await
}

#[server(endpoint = "publish_issue", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "publish_issue", skip_all))]
pub async fn publish_issue(id: i64) -> Result<SendProgress, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let progress = news::publish(&state.db, &me, id).await?;
        let news = Event::News { issue_id: id };
        state.live.publish(Topic::Program, news).await;
        Ok(progress)
    })
    .await
}

#[server(endpoint = "news_progress", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "news_progress", skip_all))]
pub async fn news_progress(id: i64) -> Result<SendProgress, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        news::progress(&state.db, &by, id).await
    })
    .await
}

/// A participant's answer to the issue's question, in their cohort's thread.
#[server(endpoint = "reply_to_issue", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "reply_to_issue", skip_all)
)]
pub async fn reply_to_issue(issue_id: i64, reply: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        news::reply(&state.db, &me, issue_id, &reply).await
    })
    .await
}

#[server(endpoint = "hide_reply", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "hide_reply", skip_all))]
pub async fn hide_reply(reply_id: i64, hidden: bool) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        news::hide_reply(&state.db, &me, reply_id, hidden).await
    })
    .await
}

#[server(endpoint = "mail_settings", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "get_mail_settings", skip_all)
)]
pub async fn get_mail_settings() -> Result<MailSettings, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        prefs::settings(&state.db, &me).await
    })
    .await
}

/// The checkboxes' form values: "on" when ticked, empty when not.
#[server(endpoint = "set_mail_settings", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_mail_settings", skip_all)
)]
pub async fn set_mail_settings(news: String, reminders: String) -> Result<MailSettings, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let settings = MailSettings {
            news: matches!(news.as_str(), "on" | "true"),
            reminders: matches!(reminders.as_str(), "on" | "true"),
        };
        prefs::set(&state.db, &me, settings).await?;
        Ok(settings)
    })
    .await
}

#[server(endpoint = "unsubscribe_info", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_unsubscribe_info", skip_all)
)]
pub async fn load_unsubscribe_info(
    kind: String,
    token: String,
) -> Result<UnsubscribeInfo, AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::MailToken>).await?;
        prefs::info(&state.db, &kind, &token).await
    })
    .await
}

#[server(endpoint = "unsubscribe", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "unsubscribe", skip_all))]
pub async fn unsubscribe(kind: String, token: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::MailToken>).await?;
        prefs::unsubscribe(&state.db, &kind, &token).await
    })
    .await
}
