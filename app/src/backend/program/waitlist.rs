//! The waitlist of interest: people who asked, while no window was open, to be told when
//! applications open. It is double opt-in: an address is listed only once its owner opens the
//! link mailed to it, so the form cannot sign strangers up. Sign-ups are limited per client
//! address, confirmation mails per listed address, and the news itself is paced bulk mail with a
//! one-click unsubscribe link of its own.

use crate::backend::auth::{rate_limit, sessions, users};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::fields;
use crate::backend::mail::outbox;
use crate::error::AppError;
use crate::model::CohortDetail;
use crate::model::news::UnsubscribeInfo;

/// The kind an unsubscribe link names for this list (`/unsubscribe/waitlist/…`).
pub const KIND: &str = "waitlist";
pub const CONFIRM_SUBJECT: &str = "Confirm: tell me when Tandem applications open";
pub const OPEN_SUBJECT: &str = "Applications are open";
/// Sign-ups one client address may make in `rate_limit::WINDOW_MS`.
pub const JOINS_PER_CLIENT: i64 = 5;
/// Confirmation mails one address may be sent in `MAIL_WINDOW_MS`.
const MAILS_PER_ADDRESS: i64 = 3;
const MAIL_WINDOW_MS: i64 = 48 * 60 * 60 * 1000;

/// Asks to list `email`: mails it a confirmation link, unless it is listed already (then it will
/// simply be told at the next window) or has had enough such mail lately. Answers the same in
/// every case, so the form tells nobody who is listed.
pub async fn join(db: &Db, config: &Config, email: &str, client_ip: &str) -> Result<(), AppError> {
    let email = users::normalize_email(email);
    users::validate_email(&email)?;
    let key = [(format!("waitlist:{client_ip}"), JOINS_PER_CLIENT)];
    match rate_limit::claim(db, &key).await {
        // A sign-up counts against its client address whatever becomes of it.
        Ok(attempt) => attempt.failed(db).await?,
        Err(AppError::RateLimited(_)) => {
            return Err(AppError::RateLimited(
                "Too many addresses were added from here. Please try again in a quarter of an hour."
                    .into(),
            ));
        }
        Err(e) => return Err(e),
    }
    let listed: Option<Option<i64>> =
        sqlx::query_scalar("SELECT confirmed_at FROM interest_signups WHERE email = $1")
            .bind(&email)
            .fetch_optional(db)
            .await?;
    if let Some(Some(_)) = listed {
        // Listed already: told again at the next window, as before.
        sqlx::query(
            "UPDATE interest_signups SET notified_at = NULL, left_at = NULL WHERE email = $1",
        )
        .bind(&email)
        .execute(db)
        .await?;
        return Ok(());
    }
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject = $2 AND created_at > $3",
    )
    .bind(&email)
    .bind(CONFIRM_SUBJECT)
    .bind(now_ms() - MAIL_WINDOW_MS)
    .fetch_one(db)
    .await?;
    if recent >= MAILS_PER_ADDRESS {
        tracing::warn!("waitlist: an address was sent enough confirmation mail for now");
        return Ok(());
    }
    let token = sessions::random_token();
    let mut tx = outbox::MailTx::begin(db).await?;
    sqlx::query(
        "INSERT INTO interest_signups (email, created_at, confirm_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET confirm_hash = $3, notified_at = NULL, left_at = NULL",
    )
    .bind(&email)
    .bind(now_ms())
    .bind(sessions::hash_token(&token))
    .execute(&mut *tx)
    .await?;
    let body = format!(
        "Hello,\n\n\
         Someone, probably you, asked the Tandem mentoring program to email this address when \
         applications open. To be put on the list, open this link:\n\n{link}\n\n\
         If it was not you, there is nothing to do: without the link, this address gets nothing \
         more from us.\n\n\
         The Tandem mentoring program\n",
        link = config.link(&format!("/waitlist/confirm?token={token}")),
    );
    outbox::enqueue_secret(&mut tx, &email, CONFIRM_SUBJECT, &body).await?;
    tx.commit().await?;
    Ok(())
}

/// The link from the confirmation mail: lists its address.
pub async fn confirm(db: &Db, token: &str) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE interest_signups SET confirmed_at = $1, confirm_hash = NULL, left_at = NULL
         WHERE confirm_hash = $2",
    )
    .bind(now_ms())
    .bind(sessions::hash_token(token))
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Refused(
            "This link was used already, or a newer one was sent since. The newest link in your email works.".into(),
        ));
    }
    Ok(())
}

/// Queues "applications are open" for every listed address not yet told, as paced bulk mail,
/// each with an unsubscribe link of its own. Runs in the transaction that opens the cohort.
pub async fn notify(
    tx: &mut outbox::MailTx,
    config: &Config,
    cohort: &CohortDetail,
) -> Result<usize, AppError> {
    let listed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, email FROM interest_signups
         WHERE confirmed_at IS NOT NULL AND left_at IS NULL AND notified_at IS NULL",
    )
    .fetch_all(&mut **tx)
    .await?;
    let body = format!(
        "Applications are open for {}.\n\nApply from {} until {}: {}\n\nThe program runs from {} to {}.\n\nYou are getting this because you asked to be told when applications open.\n",
        cohort.name,
        cohort.applications_open,
        cohort.applications_close,
        config.link("/apply"),
        cohort.program_start,
        cohort.program_end
    );
    let now = now_ms();
    for (id, email) in &listed {
        let token = sessions::random_token();
        sqlx::query(
            "UPDATE interest_signups SET unsubscribe_hash = $1, notified_at = $2 WHERE id = $3",
        )
        .bind(sessions::hash_token(&token))
        .bind(now)
        .bind(*id)
        .execute(&mut **tx)
        .await?;
        let unsubscribe = config.link(&format!("/unsubscribe/{KIND}/{token}"));
        outbox::enqueue_mail(
            &mut *tx,
            &outbox::Outgoing {
                to: email,
                subject: OPEN_SUBJECT,
                text: &body,
                html: None,
                unsubscribe_url: Some(&unsubscribe),
            },
        )
        .await?;
    }
    Ok(listed.len())
}

/// What an unsubscribe link from "applications are open" turns off, for its page.
pub async fn unsubscribe_info(db: &Db, token: &str) -> Result<UnsubscribeInfo, AppError> {
    let (email, left_at): (String, Option<i64>) =
        sqlx::query_as("SELECT email, left_at FROM interest_signups WHERE unsubscribe_hash = $1")
            .bind(sessions::hash_token(token))
            .fetch_optional(db)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(UnsubscribeInfo {
        what: "emails about applications opening".into(),
        email: fields::masked(&email),
        already_off: left_at.is_some(),
    })
}

/// Leaves the list (the same answer when already left).
pub async fn leave(db: &Db, token: &str) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE interest_signups SET left_at = COALESCE(left_at, $1) WHERE unsubscribe_hash = $2",
    )
    .bind(now_ms())
    .bind(sessions::hash_token(token))
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
