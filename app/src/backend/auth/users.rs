//! Account queries. `UserRow` holds the password hash and so has no `Serialize`; the browser
//! gets `CurrentUser`.

use crate::backend::auth::policy::{Coordinator, SignedIn};
use crate::backend::infra::audit;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, is_unique_violation, now_ms};
use crate::backend::infra::fields;
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::{BIO_MAX, CurrentUser, NAME_MAX, PRONOUNS_MAX, Role, TIME_ZONES, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
    pub disabled: i64,
    /// 1 when the account signs in with a code as well (auth::second_factor).
    pub second_factor: i64,
}

const COLUMNS: &str =
    "id, email, name, role, password_hash, pronouns, time_zone, bio, disabled, second_factor";
/// The same columns from a query that calls the users table `u`.
pub const COLUMNS_OF_U: &str = "u.id, u.email, u.name, u.role, u.password_hash, u.pronouns, \
     u.time_zone, u.bio, u.disabled, u.second_factor";

impl UserRow {
    pub fn to_current(&self) -> CurrentUser {
        CurrentUser {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role(),
            pronouns: self.pronouns.clone(),
            time_zone: self.time_zone.clone(),
            bio: self.bio.clone(),
            second_factor: self.has_second_factor(),
        }
    }

    /// The account's role; the column's CHECK allows only the two words.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Participant)
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled != 0
    }

    pub fn has_second_factor(&self) -> bool {
        self.second_factor != 0
    }
}

/// Emails are compared without case and surrounding space.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn validate_email(email: &str) -> Result<(), AppError> {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(AppError::validation(
            "email",
            "Enter an email address like name@library.org.",
        ))
    }
}

pub fn validate_name(name: &str) -> Result<(), AppError> {
    // A name sits in the partner's emails: a line break there would be a line of the sender's.
    fields::line("name", name, NAME_MAX, Some("Enter your name.")).map(|_| ())
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    Ok(sqlx::query_as::<_, UserRow>(&sql)
        .bind(normalize_email(email))
        .fetch_optional(db)
        .await?)
}

pub async fn find_by_id(db: &Db, id: UserId) -> Result<Option<UserRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(sqlx::query_as::<_, UserRow>(&sql)
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// The user `id` as the policy sees them, for code that acts as a known person (the demo seed,
/// tests): it gets its permits from the policy like a request does.
pub async fn current(db: &Db, id: UserId) -> Result<CurrentUser, AppError> {
    find_by_id(db, id)
        .await?
        .map(|u| u.to_current())
        .ok_or(AppError::NotFound)
}

pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await?)
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub pronouns: &'a str,
    pub time_zone: &'a str,
    pub bio: &'a str,
}

pub async fn create(db: &Db, user: NewUser<'_>) -> Result<UserId, AppError> {
    let email = normalize_email(user.email);
    validate_email(&email)?;
    validate_name(user.name)?;
    let now = now_ms();
    let result = sqlx::query_scalar::<_, UserId>(
        "INSERT INTO users (email, name, role, password_hash, pronouns, time_zone, bio, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&email)
    .bind(user.name.trim())
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(user.pronouns)
    .bind(user.time_zone)
    .bind(user.bio)
    .bind(now)
    .fetch_one(db)
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(AppError::validation(
            "email",
            "An account with this email already exists.",
        )),
        Err(e) => Err(e.into()),
    }
}

pub struct ProfileUpdate {
    pub name: String,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
}

impl ProfileUpdate {
    pub fn validate(&self) -> Result<(), AppError> {
        validate_name(&self.name)?;
        fields::line("pronouns", &self.pronouns, PRONOUNS_MAX, None)?;
        if !TIME_ZONES.contains(&self.time_zone.as_str()) {
            return Err(AppError::validation(
                "time_zone",
                "Choose a time zone from the list.",
            ));
        }
        fields::text("bio", &self.bio, BIO_MAX, None)?;
        Ok(())
    }
}

/// Saves one's own profile and answers the account as it now is.
pub async fn update_profile(
    db: &Db,
    me: &SignedIn,
    p: &ProfileUpdate,
) -> Result<CurrentUser, AppError> {
    let user_id = me.id();
    p.validate()?;
    sqlx::query(
        "UPDATE users SET name = $1, pronouns = $2, time_zone = $3, bio = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(p.name.trim())
    .bind(p.pronouns.trim())
    .bind(&p.time_zone)
    .bind(p.bio.trim())
    .bind(now_ms())
    .bind(user_id)
    .execute(db)
    .await?;
    current(db, user_id).await
}

pub async fn set_password_hash(db: &Db, user_id: UserId, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Disabling an account ends every session it has, at once.
/// A coordinator disables a participant's account (they are signed out everywhere and cannot
/// sign in) or enables it again, on the audit log. Coordinators' own accounts are not managed
/// here: one coordinator cannot lock out another from the program's office.
pub async fn disable_by(
    db: &Db,
    by: &Coordinator,
    user_id: UserId,
    disabled: bool,
) -> Result<(), AppError> {
    let target = find_by_id(db, user_id).await?.ok_or(AppError::NotFound)?;
    if target.role() != Role::Participant {
        return Err(AppError::Refused(
            "Only a participant's account can be disabled here.".into(),
        ));
    }
    set_disabled(db, user_id, disabled).await?;
    let action = if disabled {
        AuditAction::AccountDisable
    } else {
        AuditAction::AccountEnable
    };
    audit::record(
        db,
        by.id(),
        action,
        &format!("user:{user_id}"),
        &target.email,
    )
    .await
}

pub async fn set_disabled(db: &Db, user_id: UserId, disabled: bool) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes an account made a moment ago that nothing refers to yet (an applicant's, when the
/// application it was made for could not be sent after all).
pub async fn delete_unused(db: &Db, user_id: UserId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}
