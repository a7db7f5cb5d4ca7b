//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), run on the
//! blocking pool so a sign-in never stalls the async threads.

use crate::error::AppError;
use crate::model::{PASSWORD_MAX, PASSWORD_MIN};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    // These parameters are constants known to be valid; Params::new only fails on out-of-range input.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks length in characters (not bytes), so accented passwords count as people expect.
pub fn validate(field: &str, password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(AppError::validation(
            field,
            format!("Use at least {PASSWORD_MIN} characters."),
        ));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::validation(
            field,
            format!("Use at most {PASSWORD_MAX} characters."),
        ));
    }
    if too_easy(password) {
        return Err(AppError::validation(
            field,
            "This password is one of the most common, or close to one, so it is easy to guess. \
             Try three or four words that have nothing to do with each other.",
        ));
    }
    Ok(())
}

/// zxcvbn's scores run 0 to 4; 0 and 1 (under about a million guesses) take in the common lists'
/// top passwords and their obvious variations (`password1`, `12345678`, `qwertyuiop`,
/// `Password123`), and are refused.
const MIN_SCORE: u8 = 2;

fn too_easy(password: &str) -> bool {
    u8::from(zxcvbn::zxcvbn(password, &[]).score()) < MIN_SCORE
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "hashing task failed");
        AppError::Internal
    })?
}

pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::error!("a stored password hash could not be parsed");
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "verify task failed");
        AppError::Internal
    })
}

/// A hash of a random password, verified against when the email is unknown so that an unknown
/// address takes as long as a wrong password and cannot be told apart by timing.
pub async fn dummy_hash() -> String {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            hash(crate::backend::auth::sessions::random_token())
                .await
                .unwrap_or_default()
        })
        .await
        .clone()
}
