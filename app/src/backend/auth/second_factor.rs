//! Two-step sign-in: an authenticator app's codes (RFC 6238 TOTP, by `totp-rs`) and one-time
//! recovery codes. Coordinators must have it before they reach coordinator pages (the policy
//! asks `CurrentUser::second_factor`); participants may turn it on.
//!
//! A code is accepted for the 30-second step before and after the server's own (phone clocks
//! drift), and never twice: the step of the last code accepted is kept, and only a later one
//! passes, in one conditional update, so two requests racing with one code cannot both win.

use crate::backend::auth::policy::{Coordinator, SignedIn};
use crate::backend::auth::security_events::{self, SecondFactorChange};
use crate::backend::auth::{rate_limit, sessions, users};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;
use crate::model::second_factor::{
    QrDrawing, RECOVERY_CODES, SecondFactorSetup, SecondFactorStatus,
};
use crate::model::{Role, UserId};
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

pub const STEP_SECONDS: u64 = 30;
/// 160 bits, as RFC 4226 recommends for the HMAC-SHA1 key.
const SECRET_BYTES: usize = 20;
/// What authenticator apps show beside the code.
const ISSUER: &str = "Tandem";

pub const ENTER_CODE: &str = "Enter the 6-digit code your authenticator app shows.";
pub const WRONG_CODE: &str =
    "That code is not right. Use the newest code your app shows, or a recovery code.";

fn totp(secret: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|e| {
            tracing::error!(error = ?e, "a stored authenticator secret is not base32");
            AppError::Internal
        })?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.into()),
        account.into(),
    )
    .map_err(|e| {
        tracing::error!(error = ?e, "an authenticator secret was refused");
        AppError::Internal
    })
}

/// A fresh secret, in base32.
pub fn new_secret() -> String {
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base32(bytes)
}

/// RFC 4648 base32 without padding, as authenticator apps take a secret.
fn base32(bytes: Vec<u8>) -> String {
    Secret::Raw(bytes).to_encoded().to_string()
}

/// The code `secret` gives at `unix_seconds`: what the person's app shows (the demo and tests
/// compute theirs with it).
pub fn code_at(secret: &str, unix_seconds: u64) -> Result<String, AppError> {
    Ok(totp(secret, "")?.generate(unix_seconds))
}

fn now_step() -> u64 {
    u64::try_from(now_ms()).unwrap_or(0) / 1000 / STEP_SECONDS
}

/// The step whose code `code` is, within one step of now.
fn matching_step(secret: &str, code: &str) -> Result<Option<u64>, AppError> {
    let totp = totp(secret, "")?;
    let now = now_step();
    Ok((now.saturating_sub(1)..=now + 1).find(|step| totp.check(code, step * STEP_SECONDS)))
}

/// Digits only, as an app shows them (`123 456`).
fn as_digits(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// A recovery code as stored: its letters and digits, upper case (people type them in any case,
/// with or without the dashes).
fn recovery_key(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Ten codes of 16 base32 characters (80 bits) each, shown as `ABCD-EFGH-JKLM-NPQR`.
fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let raw = base32(bytes.to_vec());
            raw.as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct FactorRow {
    secret: Option<String>,
    pending_secret: Option<String>,
}

async fn factor(db: &Db, user_id: UserId) -> Result<Option<FactorRow>, AppError> {
    Ok(sqlx::query_as::<_, FactorRow>(
        "SELECT secret, pending_secret FROM second_factors WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?)
}

/// How a code was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code from the authenticator.
    Code,
    /// One of the recovery codes, now used up.
    RecoveryCode,
}

/// Checks `code` against `user_id`'s authenticator, or (when `recovery` allows) a recovery code,
/// using it up. None when it is neither.
pub async fn verify(
    db: &Db,
    user_id: UserId,
    code: &str,
    recovery: bool,
) -> Result<Option<Proof>, AppError> {
    let Some(secret) = factor(db, user_id).await?.and_then(|f| f.secret) else {
        return Ok(None);
    };
    if let Some(digits) = as_digits(code) {
        let Some(step) = matching_step(&secret, &digits)? else {
            return Ok(None);
        };
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let used = sqlx::query(
            "UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(db)
        .await?;
        return Ok((used.rows_affected() == 1).then_some(Proof::Code));
    }
    let key = recovery_key(code);
    if !recovery || key.len() != 16 {
        return Ok(None);
    }
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(sessions::hash_token(&key))
    .execute(db)
    .await?;
    Ok((used.rows_affected() == 1).then_some(Proof::RecoveryCode))
}

/// `verify`, counted against the sign-in limits of `user` from `ip` as a password is: a stolen
/// session gets no more guesses at the code than the sign-in form gives.
async fn verify_throttled(
    db: &Db,
    user: &users::UserRow,
    code: &str,
    recovery: bool,
    ip: &str,
) -> Result<Proof, AppError> {
    if code.trim().is_empty() {
        return Err(AppError::validation("code", ENTER_CODE));
    }
    let attempt = rate_limit::claim(db, &rate_limit::untrusted(&user.email, ip)).await?;
    match verify(db, user.id, code, recovery).await? {
        Some(proof) => {
            attempt.succeeded(db).await?;
            Ok(proof)
        }
        None => {
            attempt.failed(db).await?;
            security_events::wrong_code(db, user, ip).await?;
            Err(AppError::validation("code", WRONG_CODE))
        }
    }
}

async fn me_row(db: &Db, me: &SignedIn) -> Result<users::UserRow, AppError> {
    users::find_by_id(db, me.id())
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// One's own two-step sign-in, with the authenticator being set up, if any.
pub async fn status(db: &Db, me: &SignedIn) -> Result<SecondFactorStatus, AppError> {
    let row = factor(db, me.id()).await?;
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(me.id())
    .fetch_one(db)
    .await?;
    let setup = match row.as_ref().and_then(|r| r.pending_secret.as_deref()) {
        Some(secret) => Some(setup_offer(secret, &me.who().email)?),
        None => None,
    };
    Ok(SecondFactorStatus {
        on: me.who().second_factor,
        required: me.who().role == Role::Coordinator,
        recovery_codes_left: left,
        setup,
    })
}

fn setup_offer(secret: &str, email: &str) -> Result<SecondFactorSetup, AppError> {
    let link = totp(secret, email)?.get_url();
    let qr = qrcode::QrCode::new(link.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "the authenticator link does not fit a QR code");
        AppError::Internal
    })?;
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(SecondFactorSetup {
        secret: grouped,
        link,
        qr: drawing(&qr),
    })
}

/// The quiet zone the QR standard asks for around the code, in modules.
const QUIET_ZONE: usize = 4;

/// The dark modules of `qr` as one SVG path, a rectangle per horizontal run.
fn drawing(qr: &qrcode::QrCode) -> QrDrawing {
    use std::fmt::Write as _;
    let width = qr.width();
    let colors = qr.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == qrcode::Color::Dark {
                let run = row[x..]
                    .iter()
                    .take_while(|c| **c == qrcode::Color::Dark)
                    .count();
                let _ = write!(
                    path,
                    "M{},{}h{run}v1h-{run}z",
                    x + QUIET_ZONE,
                    y + QUIET_ZONE
                );
                x += run;
            } else {
                x += 1;
            }
        }
    }
    QrDrawing {
        size: width + 2 * QUIET_ZONE,
        path,
    }
}

/// Starts setting up an authenticator: a new secret waits for its first code. Replacing one
/// that is on asks for a code from it (or a recovery code), so a forgotten session cannot move
/// someone's second step to the attacker's phone.
pub async fn start(db: &Db, me: &SignedIn, current_code: &str, ip: &str) -> Result<(), AppError> {
    let user = me_row(db, me).await?;
    if user.has_second_factor() {
        verify_throttled(db, &user, current_code, true, ip)
            .await
            .map_err(|e| match e {
                AppError::Validation { message, .. } => {
                    AppError::validation("current_code", message)
                }
                other => other,
            })?;
    }
    sqlx::query(
        "INSERT INTO second_factors (user_id, pending_secret, pending_since) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET pending_secret = $2, pending_since = $3",
    )
    .bind(me.id())
    .bind(new_secret())
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

/// What confirming an authenticator gives back: the recovery codes, shown this once, and the
/// token of a fresh session for the browser that did it (every other one ends).
pub struct Confirmed {
    pub recovery_codes: Vec<String>,
    pub session: String,
}

/// Confirms the authenticator being set up with a code from it: two-step sign-in is on, with
/// new recovery codes, and every other session of the account ends (they did not pass it).
pub async fn confirm(db: &Db, me: &SignedIn, code: &str) -> Result<Confirmed, AppError> {
    let user = me_row(db, me).await?;
    let Some(secret) = factor(db, me.id()).await?.and_then(|f| f.pending_secret) else {
        return Err(AppError::Refused(
            "Start setting up an authenticator first: this page shows you how.".into(),
        ));
    };
    // Not counted against the sign-in limits: guessing here gains nothing (whoever holds the
    // session already sees the secret), and a person fumbling their first codes must not lock
    // their own sign-in.
    let Some(step) = as_digits(code)
        .map(|digits| matching_step(&secret, &digits))
        .transpose()?
        .flatten()
    else {
        let message = if code.trim().is_empty() {
            ENTER_CODE
        } else {
            "That code does not match. Check that the app shows a Tandem code, and use the newest."
        };
        return Err(AppError::validation("code", message));
    };
    let replaced = user.has_second_factor();
    let codes = new_recovery_codes();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE second_factors SET secret = pending_secret, pending_secret = NULL, \
         pending_since = NULL, last_step = $1, confirmed_at = $2 WHERE user_id = $3",
    )
    .bind(i64::try_from(step).unwrap_or(i64::MAX))
    .bind(now)
    .bind(me.id())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET second_factor = 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(me.id())
        .execute(&mut *tx)
        .await?;
    store_recovery_codes(&mut tx, me.id(), &codes).await?;
    tx.commit().await?;
    sessions::end_all_for_user(db, me.id()).await?;
    let change = if replaced {
        SecondFactorChange::Replaced
    } else {
        SecondFactorChange::TurnedOn
    };
    security_events::second_factor_changed(db, &user, change, None).await?;
    Ok(Confirmed {
        recovery_codes: codes,
        session: sessions::create(db, me.id()).await?,
    })
}

async fn store_recovery_codes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: UserId,
    codes: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for code in codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(sessions::hash_token(&recovery_key(code)))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// New recovery codes in place of the old, for a code from the authenticator.
pub async fn renew_recovery_codes(
    db: &Db,
    me: &SignedIn,
    code: &str,
    ip: &str,
) -> Result<Vec<String>, AppError> {
    let user = me_row(db, me).await?;
    if !user.has_second_factor() {
        return Err(AppError::Refused("Turn on two-step sign-in first.".into()));
    }
    verify_throttled(db, &user, code, false, ip).await?;
    let codes = new_recovery_codes();
    let mut tx = db.begin_write().await?;
    store_recovery_codes(&mut tx, me.id(), &codes).await?;
    tx.commit().await?;
    security_events::second_factor_changed(db, &user, SecondFactorChange::NewRecoveryCodes, None)
        .await?;
    Ok(codes)
}

/// Turns two-step sign-in off, for a code (or a recovery code): participants only, since a
/// coordinator's pages need it.
pub async fn turn_off(db: &Db, me: &SignedIn, code: &str, ip: &str) -> Result<(), AppError> {
    let user = me_row(db, me).await?;
    if user.role() == Role::Coordinator {
        return Err(AppError::Refused(
            "Coordinators keep two-step sign-in on. To use another phone, set up a new authenticator."
                .into(),
        ));
    }
    if !user.has_second_factor() {
        return Err(AppError::Refused("Two-step sign-in is already off.".into()));
    }
    verify_throttled(db, &user, code, true, ip).await?;
    remove(db, me.id()).await?;
    security_events::second_factor_changed(db, &user, SecondFactorChange::TurnedOff, None).await
}

async fn remove(db: &Db, user_id: UserId) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    for sql in [
        "DELETE FROM second_factors WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM pending_sign_ins WHERE user_id = $1",
        "UPDATE users SET second_factor = 0 WHERE id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Another coordinator's reset, for someone who lost their phone and their recovery codes: their
/// two-step sign-in is removed and they are signed out everywhere, so they set it up again at
/// their next sign-in (a coordinator must). Audited under the coordinator who did it, and told
/// to the person.
pub async fn reset_by(db: &Db, by: &Coordinator, email: &str) -> Result<(), AppError> {
    let Some(target) = users::find_by_email(db, email).await? else {
        return Err(AppError::validation(
            "email",
            "No account uses that email address.",
        ));
    };
    if target.id == by.id() {
        return Err(AppError::validation(
            "email",
            "That is your own account: set up a new authenticator above instead.",
        ));
    }
    if !target.has_second_factor() {
        return Err(AppError::validation(
            "email",
            "That account does not use two-step sign-in.",
        ));
    }
    remove(db, target.id).await?;
    sessions::end_all_for_user(db, target.id).await?;
    security_events::second_factor_changed(
        db,
        &target,
        SecondFactorChange::Reset,
        Some((by.id(), by.who().name.as_str())),
    )
    .await
}

/// Turns two-step sign-in on with a known secret, without a code: the demo's coordinator (whose
/// secret is printed with the demo sign-ins) and generated data's coordinators.
pub async fn turn_on_with(db: &Db, user_id: UserId, secret: &str) -> Result<(), AppError> {
    totp(secret, "")?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO second_factors (user_id, secret, confirmed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, confirmed_at = $3",
    )
    .bind(user_id)
    .bind(secret)
    .bind(now)
    .execute(db)
    .await?;
    sqlx::query("UPDATE users SET second_factor = 1 WHERE id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238, appendix B: the SHA-1 key "12345678901234567890" at T = 59 s gives
        // 94287082; six digits are its last six.
        let secret = base32(b"12345678901234567890".to_vec());
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109).unwrap(), "081804");
    }

    #[test]
    fn recovery_codes_are_long_and_read_back_in_any_case() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        for c in &codes {
            assert_eq!(c.len(), 19, "{c}");
            assert_eq!(
                recovery_key(&c.to_lowercase().replace('-', " ")),
                recovery_key(c)
            );
        }
        assert_eq!(as_digits("123 456").as_deref(), Some("123456"));
        assert_eq!(as_digits("12345"), None);
    }
}
