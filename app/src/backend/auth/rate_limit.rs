//! Sign-in throttling, kept in the database so several instances share it. Failures are
//! counted over a sliding window per account, per address and per network (a /24 or /64, where
//! one attacker's many addresses usually sit), so an attacker is slowed down wherever it comes
//! from. The real owner is never locked out by others: a browser they signed in with before
//! (`devices`) is counted on its own and passes a lock on the account.
//!
//! Counting and deciding are one step (`claim`): an attempt is written first and the count taken
//! after, so of many attempts sent at once, no more than the limit are let through to the
//! password check. A refused attempt takes its rows back; a wrong password leaves them as its
//! failure; a right one removes them.

use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;
/// A /24 or /64 holds an office or a campus behind one router as well as an attacker's block.
pub const PER_NETWORK: i64 = 60;
/// Wrong passwords a trusted browser may give before it is treated like any other.
pub const PER_DEVICE: i64 = 10;

pub fn account_key(email: &str) -> String {
    format!(
        "account:{}",
        crate::backend::auth::users::normalize_email(email)
    )
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// The network `ip` belongs to: its /24 for IPv4, its /64 for IPv6.
pub fn network_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("net:{a}.{b}.{c}.0/24")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("net:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Err(_) => format!("net:{ip}"),
    }
}

pub fn device_key(device_id: i64) -> String {
    format!("device:{device_id}")
}

/// The keys a sign-in from `ip` to the account `email` is counted under, with their limits, when
/// the browser is not one the account trusts.
pub fn untrusted(email: &str, ip: &str) -> Vec<(String, i64)> {
    vec![
        (account_key(email), PER_ACCOUNT),
        (address_key(ip), PER_ADDRESS),
        (network_key(ip), PER_NETWORK),
    ]
}

/// One attempt counted under some keys: its rows, until it is known how it went.
#[must_use = "an attempt ends as failed (its rows stay) or succeeded (they go)"]
pub struct Attempt {
    ids: Vec<i64>,
}

/// Writes an attempt under every key, then refuses (taking the rows back) if any key now has
/// more than its limit in the window, saying how long to wait.
pub async fn claim(db: &Db, keys: &[(String, i64)]) -> Result<Attempt, AppError> {
    let now = now_ms();
    let mut attempt = Attempt { ids: Vec::new() };
    let mut over: Option<Option<i64>> = None;
    for (key, limit) in keys {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id")
                .bind(key)
                .bind(now)
                .fetch_one(db)
                .await?;
        attempt.ids.push(id);
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at > $2",
        )
        .bind(key)
        .bind(now - WINDOW_MS)
        .fetch_one(db)
        .await?;
        if count > *limit {
            over = Some(oldest);
            break;
        }
    }
    let Some(oldest) = over else {
        return Ok(attempt);
    };
    attempt.succeeded(db).await?;
    let wait_ms = oldest
        .map(|o| o + WINDOW_MS - now_ms())
        .unwrap_or(WINDOW_MS)
        .max(60_000);
    let minutes = (wait_ms + 59_999) / 60_000;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    Err(AppError::RateLimited(format!(
        "Too many sign-in attempts. Please wait {minutes} {unit} and try again, or reset your password."
    )))
}

impl Attempt {
    /// It was refused, or the password was right: it counts against nobody.
    pub async fn succeeded(self, db: &Db) -> Result<(), AppError> {
        for id in self.ids {
            sqlx::query("DELETE FROM login_failures WHERE id = $1")
                .bind(id)
                .execute(db)
                .await?;
        }
        Ok(())
    }

    /// A wrong password: the rows stay as its failure, and failures past the window go.
    pub async fn failed(self, db: &Db) -> Result<(), AppError> {
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now_ms() - WINDOW_MS)
            .execute(db)
            .await?;
        Ok(())
    }
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

pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
