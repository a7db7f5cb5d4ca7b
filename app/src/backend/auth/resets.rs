//! Forgotten passwords: a one-time link, valid for an hour, sent through the outbox. Only the
//! token's hash is stored; using it ends every session of the account. Only the newest link
//! works: issuing or using one, and changing the password, ends every other (`end_all`).

use crate::backend::auth::security_events::{self, PasswordChange};
use crate::backend::auth::sessions::{hash_token, random_token};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::{
    auth::passwords, auth::rate_limit, auth::sessions, auth::users, mail::outbox,
};
use crate::error::AppError;
use crate::model::UserId;

pub const VALID_MS: i64 = 60 * 60 * 1000;
/// At most this many reset emails per account per hour, so the form cannot be used to flood an inbox.
const PER_HOUR: i64 = 3;

/// Queues a reset email when the address belongs to an enabled account. Says nothing either way:
/// the caller shows the same sentence whether or not the account exists.
pub async fn request(db: &Db, config: &Config, email: &str) -> Result<(), AppError> {
    let email = users::normalize_email(email);
    users::validate_email(&email)?;
    let Some(user) = users::find_by_email(db, &email)
        .await?
        .filter(|u| !u.is_disabled())
    else {
        return Ok(());
    };
    let now = now_ms();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2",
    )
    .bind(user.id)
    .bind(now - VALID_MS)
    .fetch_one(db)
    .await?;
    if recent >= PER_HOUR {
        tracing::info!(
            user_id = user.id.get(),
            "reset email skipped: hourly limit reached"
        );
        return Ok(());
    }
    let token = random_token();
    // A link sent earlier is still in the inbox, perhaps one someone else can read: the newest
    // is the only one that works.
    let mut tx = outbox::MailTx::begin(db).await?;
    end_all(&mut *tx, user.id).await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user.id)
    .bind(hash_token(&token))
    .bind(now)
    .bind(now + VALID_MS)
    .execute(&mut *tx)
    .await?;
    let link = config.link(&format!("/reset-password?token={token}"));
    let body = format!(
        "Hello {name},\n\n\
         Someone asked to reset the password of your Tandem account ({email}).\n\
         To choose a new password, open this link within the next hour:\n\n\
         {link}\n\n\
         The link works once. If you did not ask for this, ignore this email: your password stays as it is.\n\n\
         The Tandem mentoring program\n",
        name = user.name,
    );
    outbox::enqueue_secret(&mut tx, &user.email, "Reset your Tandem password", &body).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every reset link of `user_id` not yet used: they read as expired from now on. Rows are
/// kept (not deleted), so the hourly cap still counts them.
pub async fn end_all<'e, E>(ex: E, user_id: UserId) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    // One millisecond in the past, so a link checked in this same millisecond is expired too.
    let past = now_ms() - 1;
    sqlx::query(
        "UPDATE password_resets SET expires_at = $1
         WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(past)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ResetRow {
    id: i64,
    user_id: UserId,
    expires_at: i64,
    used_at: Option<i64>,
}

/// The reset form: the new password typed twice, then `complete`.
pub async fn complete_form(
    db: &Db,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    if password != confirm {
        passwords::validate("password", password)?;
        return Err(AppError::validation("confirm", "The two passwords differ."));
    }
    complete(db, token, password).await
}

/// Sets a new password with a reset token. The token is spent even if two requests race.
pub async fn complete(db: &Db, token: &str, new_password: &str) -> Result<(), AppError> {
    passwords::validate("password", new_password)?;
    let row = sqlx::query_as::<_, ResetRow>(
        "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(hash_token(token.trim()))
    .fetch_optional(db)
    .await?;
    let invalid =
        || AppError::Refused("This reset link is not valid. Ask for a new one below.".into());
    let row = row.ok_or_else(invalid)?;
    if row.used_at.is_some() {
        return Err(AppError::Refused(
            "This reset link has already been used. Ask for a new one below.".into(),
        ));
    }
    let now = now_ms();
    if now > row.expires_at {
        return Err(AppError::Refused(
            "This reset link has expired. Ask for a new one below.".into(),
        ));
    }
    let user = users::find_by_id(db, row.user_id)
        .await?
        .filter(|u| !u.is_disabled())
        .ok_or_else(invalid)?;
    let hash = passwords::hash(new_password.to_string()).await?;
    let mut tx = db.begin_write().await?;
    let spent =
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
    if spent.rows_affected() != 1 {
        return Err(AppError::Refused(
            "This reset link has already been used. Ask for a new one below.".into(),
        ));
    }
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    end_all(&mut *tx, user.id).await?;
    tx.commit().await?;
    sessions::end_all_for_user(db, user.id).await?;
    rate_limit::clear(db, &rate_limit::account_key(&user.email)).await?;
    security_events::password_changed(db, &user, PasswordChange::Reset).await?;
    Ok(())
}
