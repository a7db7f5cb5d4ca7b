//! Who may do what. Every server function asks here before touching data; queries never decide
//! on their own who may see what.

use crate::error::AppError;
use crate::model::{CurrentUser, Party, Role};

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
    WithdrawApplication {
        owner_id: i64,
    },
    /// Cohorts, application review, matching, ending matches: coordinators only.
    ManageProgram,
    /// Ask to end a match: only its two partners.
    RequestEndOfMatch {
        mentor_id: i64,
        mentee_id: i64,
    },
    /// Read a match's home, goal sheet, contacts and activities: its two partners and coordinators.
    ReadMatch {
        mentor_id: i64,
        mentee_id: i64,
    },
    /// Write the goal sheet, progress, contacts and activities, and confirm a sheet or a change:
    /// only the two partners (the sheet's state machine says which of them may confirm).
    WorkOnMatch {
        mentor_id: i64,
        mentee_id: i64,
    },
    /// Submit the goal sheet: only the match's mentee.
    SubmitGoalSheet {
        mentee_id: i64,
    },
    /// Acknowledge or return a goal sheet, and curate the activities catalogue: coordinators.
    ReviewGoalSheet,
    EditActivities,
    /// Read the activities catalogue: open to anyone, it is on a public page.
    ReadActivities,
    /// Read and write a match's chat, and open its socket: only the two partners. Coordinators
    /// see that a match talks (through `ReadMatch`), never what it says.
    Chat {
        mentor_id: i64,
        mentee_id: i64,
    },
    /// Read the forum's events, the news archive and the resource library, and keep one's own
    /// bookmarks: anyone signed in.
    ReadCommunity,
    /// RSVP to an event and send it questions: participants (coordinators run the events).
    TakePart,
    /// Write in an issue's discussion thread: participants of the cohort the thread is for.
    ReplyInCohort {
        member: bool,
    },
    /// Use an unsubscribe link: the secret in the link is the authority, no sign-in needed.
    UseMailToken,
}

fn signed_in(actor: Option<&CurrentUser>) -> Result<&CurrentUser, AppError> {
    actor.ok_or(AppError::Unauthenticated)
}

/// Allows or refuses `action` for `actor` (None for a signed-out visitor).
pub fn check(actor: Option<&CurrentUser>, action: Action) -> Result<(), AppError> {
    match action {
        Action::Authenticate
        | Action::ReadSession
        | Action::Apply
        | Action::ReadActivities
        | Action::UseMailToken => Ok(()),
        Action::ManageOwnAccount
        | Action::ViewOwnHome
        | Action::ViewOwnApplications
        | Action::ReadCommunity => signed_in(actor).map(|_| ()),
        Action::TakePart => match signed_in(actor)?.role {
            Role::Participant => Ok(()),
            Role::Coordinator => Err(AppError::Refused(
                "Coordinators run the forum; RSVPs and questions are for participants.".into(),
            )),
        },
        Action::ReplyInCohort { member } => {
            let me = signed_in(actor)?;
            if me.role == Role::Participant && member {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::ViewProgramOverview
        | Action::ManageProgram
        | Action::ReviewGoalSheet
        | Action::EditActivities => match signed_in(actor)?.role {
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
        Action::ReadMatch {
            mentor_id,
            mentee_id,
        } => {
            let me = signed_in(actor)?;
            if me.is_coordinator() || me.id == mentor_id || me.id == mentee_id {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::SubmitGoalSheet { mentee_id } => {
            if signed_in(actor)?.id == mentee_id {
                Ok(())
            } else {
                Err(AppError::Refused(
                    "Only the mentee submits the goal sheet.".into(),
                ))
            }
        }
        Action::RequestEndOfMatch {
            mentor_id,
            mentee_id,
        }
        | Action::WorkOnMatch {
            mentor_id,
            mentee_id,
        }
        | Action::Chat {
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

/// Which side of a match the signed-in person is on, once `check` has let them read it.
pub fn party(actor: &CurrentUser, mentor_id: i64, mentee_id: i64) -> Party {
    if actor.id == mentor_id {
        Party::Mentor
    } else if actor.id == mentee_id {
        Party::Mentee
    } else {
        Party::Coordinator
    }
}

/// Like `check`, for actions that need someone signed in, handing back who it is.
pub fn require(actor: Option<&CurrentUser>, action: Action) -> Result<&CurrentUser, AppError> {
    check(actor, action)?;
    actor.ok_or(AppError::Unauthenticated)
}
