//! A person's choices about program mail (news and event reminders; account mail always goes)
//! and the one-click unsubscribe links every such email carries. A link holds a random secret
//! made for that one email, so it works without signing in and cannot be guessed from an
//! address; only the secret's hash is stored, as for sessions and reset links.

use crate::backend::auth::policy::SignedIn;
use crate::backend::auth::sessions;
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, flag, now_ms};
use crate::backend::infra::fields;
use crate::backend::mail::outbox::MailTx;
use crate::backend::program::waitlist;
use crate::error::AppError;
use crate::model::UserId;
use crate::model::news::{MailSettings, UnsubscribeInfo};

/// What a link may turn off: (kind in the link, column, words for people).
const KINDS: &[(&str, &str, &str)] = &[
    ("news", "news_email", "Program News emails"),
    ("reminders", "reminder_email", "event reminder emails"),
];

fn kind(kind: &str) -> Result<&'static (&'static str, &'static str, &'static str), AppError> {
    KINDS.iter().find(|k| k.0 == kind).ok_or(AppError::NotFound)
}

/// A new unsubscribe link for one email to the person, for `kind` ("news" or "reminders").
/// Takes the transaction the mail is queued in.
pub async fn unsubscribe_url(
    tx: &mut MailTx,
    config: &Config,
    user_id: UserId,
    kind_name: &str,
) -> Result<String, AppError> {
    kind(kind_name)?;
    let token = sessions::random_token();
    sqlx::query(
        "INSERT INTO unsubscribe_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(sessions::hash_token(&token))
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(config.link(&format!("/unsubscribe/{kind_name}/{token}")))
}

/// Moves the plain per-person secrets of earlier links (`users.mail_token`) into
/// `unsubscribe_tokens` as hashes, so those links keep working, and empties them. Run at start;
/// returns how many were moved (none after the first start).
pub async fn hash_earlier_tokens(db: &Db) -> Result<u64, AppError> {
    let earlier: Vec<(UserId, String)> =
        sqlx::query_as("SELECT id, mail_token FROM users WHERE mail_token <> ''")
            .fetch_all(db)
            .await?;
    let mut tx = db.begin_write().await?;
    for (user_id, token) in &earlier {
        sqlx::query(
            "INSERT INTO unsubscribe_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(sessions::hash_token(token))
        .bind(*user_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET mail_token = '' WHERE id = $1")
            .bind(*user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(earlier.len() as u64)
}

async fn holder(db: &Db, token: &str) -> Result<(i64, String), AppError> {
    if token.len() < 20 {
        return Err(AppError::NotFound);
    }
    sqlx::query_as(
        "SELECT u.id, u.email FROM unsubscribe_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1",
    )
    .bind(sessions::hash_token(token))
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn info(db: &Db, kind_name: &str, token: &str) -> Result<UnsubscribeInfo, AppError> {
    // The waitlist's addresses are not accounts: its links are its own.
    if kind_name == waitlist::KIND {
        return waitlist::unsubscribe_info(db, token).await;
    }
    let (_, column, what) = kind(kind_name)?;
    let (id, email) = holder(db, token).await?;
    let on: i64 = sqlx::query_scalar(&format!("SELECT {column} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_one(db)
        .await?;
    Ok(UnsubscribeInfo {
        what: what.to_string(),
        email: fields::masked(&email),
        already_off: on == 0,
    })
}

/// Turns `kind` off for the link's holder (the same answer when it already was).
pub async fn unsubscribe(db: &Db, kind_name: &str, token: &str) -> Result<(), AppError> {
    if kind_name == waitlist::KIND {
        return waitlist::leave(db, token).await;
    }
    let (_, column, _) = kind(kind_name)?;
    let (id, _) = holder(db, token).await?;
    sqlx::query(&format!("UPDATE users SET {column} = 0 WHERE id = $1"))
        .bind(id)
        .execute(db)
        .await?;
    tracing::info!(user_id = id, kind = kind_name, "unsubscribed");
    Ok(())
}

pub async fn settings(db: &Db, me: &SignedIn) -> Result<MailSettings, AppError> {
    let user_id = me.id();
    let (news, reminders): (i64, i64) =
        sqlx::query_as("SELECT news_email, reminder_email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db)
            .await?;
    Ok(MailSettings {
        news: news != 0,
        reminders: reminders != 0,
    })
}

pub async fn set(db: &Db, me: &SignedIn, s: MailSettings) -> Result<(), AppError> {
    let user_id = me.id();
    sqlx::query("UPDATE users SET news_email = $1, reminder_email = $2 WHERE id = $3")
        .bind(flag(s.news))
        .bind(flag(s.reminders))
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}
