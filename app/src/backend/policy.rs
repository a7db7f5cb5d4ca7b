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
    /// See the Apply page, leave an email on the waitlist of interest, or apply (a visitor
    /// creates an account in the same step).
    Apply,
    /// Read one's own applications.
    ViewOwnApplications,
    /// Withdraw an application: only the person who made it.
    WithdrawApplication { owner_id: i64 },
    /// Cohorts, application review, matching, ending matches: coordinators only.
    ManageProgram,
    /// Ask to end a match: only its two partners.
    RequestEndOfMatch { mentor_id: i64, mentee_id: i64 },
}

fn signed_in(actor: Option<&CurrentUser>) -> Result<&CurrentUser, AppError> {
    actor.ok_or(AppError::Unauthenticated)
}

/// Allows or refuses `action` for `actor` (None for a signed-out visitor).
pub fn check(actor: Option<&CurrentUser>, action: Action) -> Result<(), AppError> {
    match action {
        Action::Authenticate | Action::ReadSession | Action::Apply => Ok(()),
        Action::ManageOwnAccount | Action::ViewOwnHome | Action::ViewOwnApplications => {
            signed_in(actor).map(|_| ())
        }
        Action::ViewProgramOverview | Action::ManageProgram => match signed_in(actor)?.role {
            Role::Coordinator => Ok(()),
            Role::Participant => Err(AppError::Forbidden),
        },
        Action::WithdrawApplication { owner_id } => {
            if signed_in(actor)?.id == owner_id {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::RequestEndOfMatch {
            mentor_id,
            mentee_id,
        } => {
            let me = signed_in(actor)?;
            if me.id == mentor_id || me.id == mentee_id {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

/// Like `check`, for actions that need someone signed in, handing back who it is.
pub fn require(actor: Option<&CurrentUser>, action: Action) -> Result<&CurrentUser, AppError> {
    check(actor, action)?;
    actor.ok_or(AppError::Unauthenticated)
}
