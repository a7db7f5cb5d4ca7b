//! An application from someone without an account waits here until they open the link mailed
//! to the address they gave: nothing else exists before then, no account to sign in with and no
//! application for coordinators to read. Whether the address already has an account is never
//! said to the person applying; its owner is mailed a way to sign in instead. Only the link's
//! hash, the password's hash and the answers are kept, for `LIFETIME_MS`.

use crate::backend::auth::policy::{self, SignedIn};
use crate::backend::auth::{passwords, sessions, users};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::mail::outbox;
use crate::backend::program::applications;
use crate::error::AppError;
use crate::model::{ApplicationForm, MyApplication, Role};

/// Two days: time to find the email on another device, not long enough to sit in a mailbox.
pub const LIFETIME_MS: i64 = 48 * 60 * 60 * 1000;
/// Emails one address may be sent from Apply in `LIFETIME_MS`, so the form cannot flood it.
const MAILS_PER_ADDRESS: i64 = 3;

pub const CONFIRM_SUBJECT: &str = "Confirm your email to send your Tandem application";
pub const EXISTING_SUBJECT: &str = "You already have a Tandem account";

/// Holds a visitor's application, validated already, and mails the confirmation link; or, when
/// the address has an account, mails its owner how to sign in. Either way the same work is done
/// (the password is hashed) and the caller answers the same.
pub async fn hold(db: &Db, config: &Config, form: &ApplicationForm) -> Result<(), AppError> {
    let email = users::normalize_email(&form.email);
    let password_hash = passwords::hash(form.password.clone()).await?;
    let since = now_ms() - LIFETIME_MS;
    let existing = users::find_by_email(db, &email).await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject IN ($2, $3) AND created_at > $4",
    )
    .bind(&email)
    .bind(CONFIRM_SUBJECT)
    .bind(EXISTING_SUBJECT)
    .bind(since)
    .fetch_one(db)
    .await?;
    if recent >= MAILS_PER_ADDRESS {
        tracing::warn!("apply: an address was sent enough mail for now; sending no more");
        return Ok(());
    }
    if let Some(user) = existing {
        let body = format!(
            "Hello {name},\n\n\
             Someone, probably you, filled in the Tandem application form with this email address. \
             You already have an account, so nothing was sent: sign in first, then apply from the \
             Apply page.\n\n\
             Sign in: {sign_in}\n\
             Forgot your password? {forgot}\n\n\
             If it was not you, there is nothing to do.\n\n\
             The Tandem mentoring program\n",
            name = user.name,
            sign_in = config.link("/sign-in"),
            forgot = config.link("/forgot-password"),
        );
        outbox::enqueue(db, &email, EXISTING_SUBJECT, &body).await?;
        return Ok(());
    }
    let token = sessions::random_token();
    let answers = ApplicationForm {
        password: String::new(),
        email: email.clone(),
        ..form.clone()
    };
    let answers = serde_json::to_string(&answers).map_err(|e| {
        tracing::error!(error = %e, "apply: the answers could not be encoded");
        AppError::Internal
    })?;
    let now = now_ms();
    let mut tx = outbox::MailTx::begin(db).await?;
    sqlx::query("DELETE FROM pending_applications WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO pending_applications (token_hash, email, password_hash, answers, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(sessions::hash_token(&token))
    .bind(&email)
    .bind(&password_hash)
    .bind(&answers)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut *tx)
    .await?;
    let body = format!(
        "Hello {name},\n\n\
         To send your application to the Tandem mentoring program, confirm that this is your \
         email address by opening this link within two days:\n\n{link}\n\n\
         Your account is made and your application sent when you do. If you did not apply, there \
         is nothing to do: nothing is kept.\n\n\
         The Tandem mentoring program\n",
        name = form.name.trim(),
        link = config.link(&format!("/apply/confirm?token={token}")),
    );
    outbox::enqueue_secret(&mut tx, &email, CONFIRM_SUBJECT, &body).await?;
    tx.commit().await?;
    Ok(())
}

/// What a confirmation link holds: the answers (with the address) and the password's hash.
pub struct Held {
    pub form: ApplicationForm,
    pub password_hash: String,
}

const LINK_SPENT: &str =
    "This link has expired or was already used. Fill in the application again to get a new one.";

/// Takes the application a link holds, once: a second use, or one after `LIFETIME_MS`, finds
/// nothing.
pub async fn take(db: &Db, token: &str) -> Result<Held, AppError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "DELETE FROM pending_applications WHERE token_hash = $1 AND expires_at >= $2
         RETURNING answers, password_hash",
    )
    .bind(sessions::hash_token(token))
    .bind(now_ms())
    .fetch_optional(db)
    .await?;
    let Some((answers, password_hash)) = row else {
        return Err(AppError::Refused(LINK_SPENT.into()));
    };
    let form = serde_json::from_str(&answers).map_err(|e| {
        tracing::error!(error = %e, "apply: held answers could not be read");
        AppError::Internal
    })?;
    Ok(Held {
        form,
        password_hash,
    })
}

/// Opens the link from the apply email: makes the account, sends the application it held, and
/// answers the new applicant's signed-in permit with the application. A window that closed in
/// between takes nothing, and the account made for it goes again.
pub async fn confirm(db: &Db, token: &str) -> Result<(SignedIn, MyApplication), AppError> {
    let held = take(db, token).await?;
    let form = held.form;
    let app = applications::validate(&form)?;
    applications::check_window(db, app.cohort_id).await?;
    // An account made with this address since (by another of these links) keeps it.
    let id = users::create(
        db,
        users::NewUser {
            email: &form.email,
            name: &form.name,
            role: Role::Participant,
            password_hash: &held.password_hash,
            pronouns: "",
            time_zone: &app.time_zone,
            bio: "",
        },
    )
    .await
    .map_err(|e| match e {
        AppError::Validation { field, .. } if field == "email" => AppError::Refused(
            "An account with this email exists already. Sign in, then apply.".into(),
        ),
        other => other,
    })?;
    let me = policy::signed_in(Some(users::current(db, id).await?))?;
    match applications::submit(db, &me, &app).await {
        Ok(application_id) => {
            let sent = applications::sent(db, &me, application_id).await?;
            Ok((me, sent))
        }
        Err(e) => {
            users::delete_unused(db, id).await?;
            Err(e)
        }
    }
}
