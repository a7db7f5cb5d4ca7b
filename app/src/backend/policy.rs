//! Who may do what. Every server function asks here before touching data; queries never decide
//! on their own who may see what.

use crate::error::AppError;
use crate::model::{CurrentUser, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sign in, ask for a reset link, use a reset link: open to anyone.
    Authenticate,
    /// Read who is signed in: open to anyone (a visitor gets "nobody").
    ReadSession,
    /// Sign out, read or change one's own account.
    ManageOwnAccount,
    /// See one's own home: matches for participants, the program overview for coordinators.
    ViewOwnHome,
    /// See every cohort and match of the program.
    ViewProgramOverview,
}

/// Allows or refuses `action` for `actor` (None for a signed-out visitor).
pub fn check(actor: Option<&CurrentUser>, action: Action) -> Result<(), AppError> {
    match action {
        Action::Authenticate | Action::ReadSession => Ok(()),
        Action::ManageOwnAccount | Action::ViewOwnHome => match actor {
            Some(_) => Ok(()),
            None => Err(AppError::Unauthenticated),
        },
        Action::ViewProgramOverview => match actor {
            Some(u) if u.role == Role::Coordinator => Ok(()),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::Unauthenticated),
        },
    }
}

/// Like `check`, for actions that need someone signed in, handing back who it is.
pub fn require(actor: Option<&CurrentUser>, action: Action) -> Result<&CurrentUser, AppError> {
    check(actor, action)?;
    actor.ok_or(AppError::Unauthenticated)
}
