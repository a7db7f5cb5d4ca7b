//! Who may do what. Every server function asks here before touching data; queries never decide
//! on their own who may see what.
//!
//! `check` is the rulebook. The grants below (`signed_in`, `coordinator`, `participant`,
//! `on_match`) apply it and hand back a permit (see `permits`), which the backend functions that
//! read or write private data take as an argument: only this module can make one.

mod permits;

pub use permits::{Coordinator, OnMatch, Open, Participant, SignedIn, access, open};

use crate::backend::match_work::facts::MatchFacts;
use crate::error::AppError;
use crate::model::{CurrentUser, Party, Role, UserId};

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
    /// See the Apply page, leave an email on the waitlist of interest, or open the links their
    /// emails carry (a visitor's application makes its account then).
    Apply,
    /// Send an application: a visitor (whose account is made when they open the emailed link)
    /// or a participant. Coordinators run the program and cannot apply to it.
    SubmitApplication,
    /// Read one's own applications.
    ViewOwnApplications,
    /// Withdraw an application: only the person who made it.
    WithdrawApplication {
        owner_id: UserId,
    },
    /// Cohorts, application review, matching, ending matches: coordinators only.
    ManageProgram,
    /// Read a match's home, goal sheet, contacts and activities: its two partners and coordinators.
    ReadMatch {
        mentor_id: UserId,
        mentee_id: UserId,
    },
    /// Write the goal sheet, progress, contacts and activities, confirm a sheet or a change, and
    /// ask a coordinator to end the match: only the two partners (the sheet's state machine says which of them may confirm).
    WorkOnMatch {
        mentor_id: UserId,
        mentee_id: UserId,
    },
    /// Submit the goal sheet: only the match's mentee.
    SubmitGoalSheet {
        mentee_id: UserId,
    },
    /// Acknowledge or return a goal sheet, and curate the activities catalogue: coordinators.
    ReviewGoalSheet,
    EditActivities,
    /// Read the activities catalogue: open to anyone, it is on a public page.
    ReadActivities,
    /// Read and write a match's chat, and open its socket: only the two partners. Coordinators
    /// see that a match talks (through `ReadMatch`), never what it says.
    Chat {
        mentor_id: UserId,
        mentee_id: UserId,
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

fn who(actor: Option<&CurrentUser>) -> Result<&CurrentUser, AppError> {
    actor.ok_or(AppError::Unauthenticated)
}

/// A coordinator acting as one: only with two-step sign-in, since coordinators see every
/// applicant's and match's private answers. Without it they may still manage their own account,
/// which is where they set it up.
fn coordinating(me: &CurrentUser) -> Result<(), AppError> {
    if me.needs_second_factor() {
        Err(AppError::SecondFactorNeeded)
    } else {
        Ok(())
    }
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
        | Action::ReadCommunity => who(actor).map(|_| ()),
        Action::SubmitApplication => match actor.map(|me| me.role) {
            None | Some(Role::Participant) => Ok(()),
            Some(Role::Coordinator) => Err(AppError::Refused(
                "Coordinators run the program and cannot apply to it.".into(),
            )),
        },
        Action::TakePart => match who(actor)?.role {
            Role::Participant => Ok(()),
            Role::Coordinator => Err(AppError::Refused(
                "Coordinators run the forum; RSVPs and questions are for participants.".into(),
            )),
        },
        Action::ReplyInCohort { member } => {
            let me = who(actor)?;
            if me.role == Role::Participant && member {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::ViewProgramOverview
        | Action::ManageProgram
        | Action::ReviewGoalSheet
        | Action::EditActivities => {
            let me = who(actor)?;
            match me.role {
                Role::Coordinator => coordinating(me),
                Role::Participant => Err(AppError::Forbidden),
            }
        }
        Action::WithdrawApplication { owner_id } => {
            if who(actor)?.id == owner_id {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::ReadMatch {
            mentor_id,
            mentee_id,
        } => {
            let me = who(actor)?;
            if me.id == mentor_id || me.id == mentee_id {
                Ok(())
            } else if me.is_coordinator() {
                coordinating(me)
            } else {
                Err(AppError::Forbidden)
            }
        }
        Action::SubmitGoalSheet { mentee_id } => {
            if who(actor)?.id == mentee_id {
                Ok(())
            } else {
                Err(AppError::Refused(
                    "Only the mentee submits the goal sheet.".into(),
                ))
            }
        }
        Action::WorkOnMatch {
            mentor_id,
            mentee_id,
        }
        | Action::Chat {
            mentor_id,
            mentee_id,
        } => {
            let me = who(actor)?;
            if me.id == mentor_id || me.id == mentee_id {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

/// Which side of a match the signed-in person is on, once `check` has let them read it.
pub fn party(actor: &CurrentUser, mentor_id: UserId, mentee_id: UserId) -> Party {
    if actor.id == mentor_id {
        Party::Mentor
    } else if actor.id == mentee_id {
        Party::Mentee
    } else {
        Party::Coordinator
    }
}

/// Someone signed in (`ManageOwnAccount`, `ViewOwnHome`, `ViewOwnApplications`, `ReadCommunity`
/// share this rule), carrying their coordinator permit when `coordinator` grants one.
pub fn signed_in(actor: Option<CurrentUser>) -> Result<SignedIn, AppError> {
    check(actor.as_ref(), Action::ManageOwnAccount)?;
    let me = actor.ok_or(AppError::Unauthenticated)?;
    let coordinating = coordinator(Some(me.clone())).ok();
    Ok(SignedIn::new(me, coordinating))
}

/// A coordinator (`ManageProgram`, `ViewProgramOverview`, `ReviewGoalSheet` and `EditActivities`
/// share this rule).
pub fn coordinator(actor: Option<CurrentUser>) -> Result<Coordinator, AppError> {
    check(actor.as_ref(), Action::ManageProgram)?;
    actor.map(Coordinator::new).ok_or(AppError::Unauthenticated)
}

/// A participant taking part in the forum (`TakePart`).
pub fn participant(actor: Option<CurrentUser>) -> Result<Participant, AppError> {
    check(actor.as_ref(), Action::TakePart)?;
    actor.map(Participant::new).ok_or(AppError::Unauthenticated)
}

/// The actions open to anyone, each as the `Action` the rulebook decides it by. Sealed: the
/// actions are the ones in `permits::open`.
pub trait OpenAction: sealed::Sealed {
    const ACTION: Action;
}

impl OpenAction for open::Authenticate {
    const ACTION: Action = Action::Authenticate;
}
impl OpenAction for open::ReadSession {
    const ACTION: Action = Action::ReadSession;
}
impl OpenAction for open::Apply {
    const ACTION: Action = Action::Apply;
}
impl OpenAction for open::SubmitApplication {
    const ACTION: Action = Action::SubmitApplication;
}
impl OpenAction for open::ReadActivities {
    const ACTION: Action = Action::ReadActivities;
}
impl OpenAction for open::MailToken {
    const ACTION: Action = Action::UseMailToken;
}

/// Anyone allowed the open action `A`, with their signed-in permit when they are signed in.
pub fn open<A: OpenAction>(actor: Option<CurrentUser>) -> Result<Open<A>, AppError> {
    check(actor.as_ref(), A::ACTION)?;
    let signed = actor.map(|me| signed_in(Some(me))).transpose()?;
    Ok(Open::new(signed))
}

/// A participant, or nobody: for what shows only to participants and is simply absent for
/// visitors and coordinators (the navigation's unread count).
pub fn maybe_participant(actor: Option<CurrentUser>) -> Result<Option<Participant>, AppError> {
    Ok(participant(actor).ok())
}

/// Whose home the signed-in person sees: the program overview for a coordinator (who needs
/// two-step sign-in for it, as for every coordinator page), their own matches otherwise.
#[derive(Debug, Clone)]
pub enum Home {
    Coordinator(Coordinator),
    Participant(SignedIn),
}

pub fn home(actor: Option<CurrentUser>) -> Result<Home, AppError> {
    let me = signed_in(actor)?;
    match me.who().role {
        Role::Coordinator => coordinator(Some(me.who().clone())).map(Home::Coordinator),
        Role::Participant => Ok(Home::Participant(me)),
    }
}

/// The rule behind each kind of match permit. Sealed: the accesses are the ones in `permits`.
pub trait Access: sealed::Sealed {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::open::Authenticate {}
    impl Sealed for super::open::ReadSession {}
    impl Sealed for super::open::Apply {}
    impl Sealed for super::open::SubmitApplication {}
    impl Sealed for super::open::ReadActivities {}
    impl Sealed for super::open::MailToken {}
    impl Sealed for super::access::Read {}
    impl Sealed for super::access::Work {}
    impl Sealed for super::access::Submit {}
    impl Sealed for super::access::Review {}
    impl Sealed for super::access::Talk {}
}

impl Access for access::Read {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError> {
        check(
            Some(me),
            Action::ReadMatch {
                mentor_id: f.mentor_id,
                mentee_id: f.mentee_id,
            },
        )
    }
}

impl Access for access::Work {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError> {
        check(
            Some(me),
            Action::WorkOnMatch {
                mentor_id: f.mentor_id,
                mentee_id: f.mentee_id,
            },
        )
    }
}

impl Access for access::Submit {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError> {
        access::Work::check(me, f)?;
        check(
            Some(me),
            Action::SubmitGoalSheet {
                mentee_id: f.mentee_id,
            },
        )
    }
}

impl Access for access::Review {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError> {
        access::Read::check(me, f)?;
        check(Some(me), Action::ReviewGoalSheet)
    }
}

impl Access for access::Talk {
    fn check(me: &CurrentUser, f: &MatchFacts) -> Result<(), AppError> {
        check(
            Some(me),
            Action::Chat {
                mentor_id: f.mentor_id,
                mentee_id: f.mentee_id,
            },
        )
    }
}

/// `A` on the match `f` describes. A visitor is told to sign in before anything else; the caller
/// reads the facts first, so a match that does not exist is "not found" to anyone signed in.
pub fn on_match<A: Access>(
    actor: Option<CurrentUser>,
    f: MatchFacts,
) -> Result<OnMatch<A>, AppError> {
    let me = actor.ok_or(AppError::Unauthenticated)?;
    A::check(&me, &f)?;
    let side = party(&me, f.mentor_id, f.mentee_id);
    Ok(OnMatch::new(me, f, side))
}
