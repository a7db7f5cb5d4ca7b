//! Sign-in throttling, kept in the database so several instances share it. Failures are
//! counted per account and per address over a sliding window: an attacker is slowed down, and
//! the real owner can always get back in once the window has passed (or by resetting the
//! password, which clears the account's count).

use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;

pub fn account_key(email: &str) -> String {
    format!(
        "account:{}",
        crate::backend::auth::users::normalize_email(email)
    )
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Refuses when `key` has `limit` failures or more in the window, saying how long to wait.
pub async fn check(db: &Db, key: &str, limit: i64) -> Result<(), AppError> {
    let since = now_ms() - WINDOW_MS;
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(db)
            .await?;
    if count >= limit {
        let wait_ms = oldest
            .map(|o| o + WINDOW_MS - now_ms())
            .unwrap_or(WINDOW_MS)
            .max(60_000);
        let minutes = (wait_ms + 59_999) / 60_000;
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        return Err(AppError::RateLimited(format!(
            "Too many sign-in attempts. Please wait {minutes} {unit} and try again, or reset your password."
        )));
    }
    Ok(())
}

/// How many failures `key` has in the window.
pub async fn failures(db: &Db, key: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(now_ms() - WINDOW_MS)
            .fetch_one(db)
            .await?,
    )
}

pub async fn record_failure(db: &Db, keys: &[&str]) -> Result<(), AppError> {
    let now = now_ms();
    for key in keys {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(*key)
            .bind(now)
            .execute(db)
            .await?;
    }
    // Keep the table small: old failures no longer count for anything.
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now - WINDOW_MS)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
