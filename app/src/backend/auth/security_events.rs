//! What happens to an account's security is seen: sign-ins, wrong passwords and codes and the
//! pauses they cause go to the audit log, and a changed password or second step, or a sign-in
//! from a new browser, is also told to its owner by email, so what they did not do does not go unnoticed. Unknown emails are not recorded: there is no
//! account to attach them to, and the throttle already counts them per address.

use crate::backend::auth::users::UserRow;
use crate::backend::infra::audit;
use crate::backend::infra::db::Db;
use crate::backend::{auth::rate_limit, mail::outbox};
use crate::error::AppError;
use crate::model::UserId;
use crate::model::audit::AuditAction;

fn subject(user: &UserRow) -> String {
    format!("user:{}", user.id)
}

pub async fn signed_in(db: &Db, user: &UserRow, ip: &str) -> Result<(), AppError> {
    audit::record(
        db,
        user.id,
        AuditAction::AccountSignIn,
        &subject(user),
        &format!("from {ip}"),
    )
    .await
}

/// A wrong password for `user`'s account, from `ip`; when it is the one that pauses sign-in to
/// the account, that is recorded too. Nobody signed in did it, so neither has an actor.
pub async fn wrong_password(db: &Db, user: &UserRow, ip: &str) -> Result<(), AppError> {
    let detail = format!("{} from {ip}", user.email);
    audit::record_unattributed(
        db,
        AuditAction::AccountSignInFailed,
        &subject(user),
        &detail,
    )
    .await?;
    let failures = rate_limit::failures(db, &rate_limit::account_key(&user.email)).await?;
    if failures == rate_limit::PER_ACCOUNT {
        audit::record_unattributed(
            db,
            AuditAction::AccountLocked,
            &subject(user),
            &format!(
                "{} after {failures} wrong passwords, for {} minutes",
                user.email,
                rate_limit::WINDOW_MS / 60_000
            ),
        )
        .await?;
    }
    Ok(())
}

/// How a password came to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// On the account page, knowing the current one.
    Changed,
    /// With a reset link from email.
    Reset,
}

/// Records a new password and emails its owner about it.
pub async fn password_changed(
    db: &Db,
    user: &UserRow,
    how: PasswordChange,
) -> Result<(), AppError> {
    let (action, way) = match how {
        PasswordChange::Changed => (AuditAction::AccountPasswordChange, "on your account page"),
        PasswordChange::Reset => (AuditAction::AccountPasswordReset, "with a reset link"),
    };
    audit::record(db, user.id, action, &subject(user), "").await?;
    let body = format!(
        "Hello {name},\n\n\
         The password of your Tandem account ({email}) was just changed {way}, and every other \
         browser signed in to it was signed out.\n\n\
         If that was you, there is nothing more to do.\n\
         If it was not, reset your password now from the sign-in page (\"Forgot your password?\") \
         and tell the program coordinator.\n\n\
         The Tandem mentoring program\n",
        name = user.name,
        email = user.email,
    );
    outbox::enqueue(db, &user.email, "Your Tandem password was changed", &body).await?;
    Ok(())
}

/// A sign-in from a browser the account had not signed in with, when it had signed in with
/// another: told to the owner, so a stolen password in use does not go unnoticed.
pub async fn new_browser(db: &Db, user: &UserRow, ip: &str) -> Result<(), AppError> {
    let body = format!(
        "Hello {name},\n\n\
         Your Tandem account ({email}) was just signed in to from a browser it had not been \
         used with before (address {ip}).\n\n\
         If that was you, on a new phone or computer, there is nothing more to do.\n\
         If it was not, reset your password now from the sign-in page (\"Forgot your \
         password?\"): that signs out every browser, and tell the program coordinator.\n\n\
         The Tandem mentoring program\n",
        name = user.name,
        email = user.email,
    );
    outbox::enqueue(
        db,
        &user.email,
        "A new sign-in to your Tandem account",
        &body,
    )
    .await?;
    Ok(())
}

/// A wrong two-step code for `user`'s account, from `ip`: like a wrong password, it counts
/// towards the pause and is recorded without an actor.
pub async fn wrong_code(db: &Db, user: &UserRow, ip: &str) -> Result<(), AppError> {
    audit::record_unattributed(
        db,
        AuditAction::AccountSecondFactorFailed,
        &subject(user),
        &format!("{} from {ip}", user.email),
    )
    .await
}

/// What happened to someone's two-step sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorChange {
    TurnedOn,
    /// Moved to a new authenticator.
    Replaced,
    TurnedOff,
    NewRecoveryCodes,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// Another coordinator removed it.
    Reset,
}

/// Records a change to `user`'s two-step sign-in (under `by`, the coordinator who did it, when
/// it was not the person) and emails the person about it.
pub async fn second_factor_changed(
    db: &Db,
    user: &UserRow,
    change: SecondFactorChange,
    by: Option<(UserId, &str)>,
) -> Result<(), AppError> {
    let (action, what) = match change {
        SecondFactorChange::TurnedOn => (
            AuditAction::AccountSecondFactorOn,
            "Two-step sign-in was turned on for your Tandem account".to_string(),
        ),
        SecondFactorChange::Replaced => (
            AuditAction::AccountSecondFactorReplaced,
            "Your Tandem account's two-step sign-in was moved to a new authenticator app, and \
             new recovery codes were made"
                .to_string(),
        ),
        SecondFactorChange::TurnedOff => (
            AuditAction::AccountSecondFactorOff,
            "Two-step sign-in was turned off for your Tandem account".to_string(),
        ),
        SecondFactorChange::NewRecoveryCodes => (
            AuditAction::AccountRecoveryCodes,
            "New recovery codes were made for your Tandem account; the old ones no longer work"
                .to_string(),
        ),
        SecondFactorChange::RecoveryCodeUsed => (
            AuditAction::AccountRecoveryCodeUsed,
            "A recovery code was used to sign in to your Tandem account".to_string(),
        ),
        SecondFactorChange::Reset => (
            AuditAction::AccountSecondFactorReset,
            format!(
                "Your Tandem account's two-step sign-in was reset by {}, and every browser was \
                 signed out. Until you set it up again, your password alone signs you in",
                by.map(|(_, name)| name).unwrap_or("a coordinator")
            ),
        ),
    };
    match by {
        Some((actor, _)) => audit::record(db, actor, action, &subject(user), &user.email).await?,
        None => audit::record(db, user.id, action, &subject(user), "").await?,
    }
    let body = format!(
        "Hello {name},\n\n\
         {what} ({email}).\n\n\
         If that was you, there is nothing more to do.\n\
         If it was not, reset your password now from the sign-in page (\"Forgot your \
         password?\") and tell the program coordinator.\n\n\
         The Tandem mentoring program\n",
        name = user.name,
        email = user.email,
    );
    outbox::enqueue(
        db,
        &user.email,
        "Your Tandem two-step sign-in changed",
        &body,
    )
    .await?;
    Ok(())
}
