//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), run on the
//! blocking pool so a sign-in never stalls the async threads, and never more at once than the
//! machine has cores: each hash holds 19 MiB and a core for tens of milliseconds, so a flood of
//! sign-ins left unbounded grew the server by gigabytes and starved every other request. A few
//! more wait their turn; past that the answer is at once "busy, try again" (503 with
//! `Retry-After`).

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

/// How many hashes run at once and how many may wait for a turn.
struct Gate {
    running: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
    most_waiting: usize,
}

/// Waiting hashes per core: with a hash taking tens of milliseconds, the last in the queue waits
/// a fraction of a second.
const WAITING_PER_CORE: usize = 4;

fn gate() -> &'static Gate {
    static GATE: std::sync::OnceLock<Gate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Gate {
            running: tokio::sync::Semaphore::new(cores),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            most_waiting: cores * WAITING_PER_CORE,
        }
    })
}

/// Counts one waiter for as long as it lives, so a request dropped while waiting (its client
/// went away) leaves its place.
struct InLine(&'static Gate);

impl Drop for InLine {
    fn drop(&mut self) {
        self.0
            .waiting
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Runs `work` (one hash) on the blocking pool once a core is free, or refuses with `Busy` when
/// too many are already waiting.
async fn bounded<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    use std::sync::atomic::Ordering;
    let gate = gate();
    let permit = match gate.running.try_acquire() {
        Ok(permit) => permit,
        Err(_) => {
            if gate.waiting.fetch_add(1, Ordering::AcqRel) >= gate.most_waiting {
                gate.waiting.fetch_sub(1, Ordering::AcqRel);
                tracing::warn!(what, "password hashing is at its bound; asking to retry");
                return Err(AppError::Busy);
            }
            let _in_line = InLine(gate);
            gate.running.acquire().await.map_err(|e| {
                tracing::error!(error = %e, "the password hashing gate closed");
                AppError::Internal
            })?
        }
    };
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| {
        tracing::error!(what, error = %e, "password hashing task failed");
        AppError::Internal
    })
}

pub async fn hash(password: String) -> Result<String, AppError> {
    bounded("hash", move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await?
}

pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    bounded("verify", move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::error!("a stored password hash could not be parsed");
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
}

/// A hash of a random password, verified against when the email is unknown so that an unknown
/// address takes as long as a wrong password and cannot be told apart by timing. Made once per
/// process; a busy refusal leaves it to be made by the next sign-in.
pub async fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| hash(crate::backend::auth::sessions::random_token()))
        .await
        .cloned()
}
