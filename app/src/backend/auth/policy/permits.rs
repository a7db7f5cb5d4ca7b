//! The values the policy hands out when it allows something. Their fields are private and their
//! constructors are `pub(super)`, so only `policy` can make one: a backend function that takes a
//! permit cannot be reached by a caller that skipped the rulebook, because that caller has
//! nothing to pass. A permit names who was allowed and, for a match, which match and which side.
//!
//! What this promises, shown by code that must not compile (each a `compile_fail` doctest):
//!
//! Only the policy makes a permit:
//! ```compile_fail
//! fn forge(who: app::model::CurrentUser) -> app::backend::auth::policy::Coordinator {
//!     app::backend::auth::policy::Coordinator::new(who)
//! }
//! ```
//! The readers behind the coordinators' lists and exports are private to `program`; outside it,
//! only the functions that take a coordinator permit reach them:
//! ```compile_fail
//! async fn leak(db: &app::backend::infra::db::Db, q: &app::model::match_table::MatchQuery) {
//!     let _ = app::backend::program::match_table::rows(db, q).await;
//! }
//! ```
//! ```compile_fail
//! async fn leak(db: &app::backend::infra::db::Db, f: &app::model::ApplicationFilter) {
//!     let _ = app::backend::program::applications::rows(db, f, 10).await;
//! }
//! ```
//! A person's applications are read with their own permit, not a bare id:
//! ```compile_fail
//! async fn leak(db: &app::backend::infra::db::Db, id: app::model::UserId) {
//!     let _ = app::backend::program::applications::mine(db, id).await;
//! }
//! ```
//! An issue previewed as another person needs a coordinator permit; a signed-in one only shows
//! the issue as its holder sees it:
//! ```compile_fail
//! async fn leak(
//!     db: &app::backend::infra::db::Db,
//!     me: &app::backend::auth::policy::SignedIn,
//!     other: app::model::UserId,
//! ) {
//!     let _ = app::backend::community::news::preview(db, me, 1, other).await;
//! }
//! ```

use crate::backend::match_work::facts::MatchFacts;
use crate::model::{CurrentUser, MatchId, Party, UserId};
use std::marker::PhantomData;

/// Someone signed in: their own account, home, applications, bookmarks, and the community's
/// pages. When the same person may also act as a coordinator (the policy's coordinating grant:
/// the role and two-step sign-in), the permit carries that grant too, and the community's pages
/// show its view (drafts, every question, who is going) from it and from nothing else.
#[derive(Debug, Clone)]
pub struct SignedIn {
    who: CurrentUser,
    coordinator: Option<Coordinator>,
}

impl SignedIn {
    pub(super) fn new(who: CurrentUser, coordinator: Option<Coordinator>) -> Self {
        Self { who, coordinator }
    }

    pub fn who(&self) -> &CurrentUser {
        &self.who
    }

    /// The allowed person's user id, for `created_by` columns and the audit log.
    pub fn id(&self) -> UserId {
        self.who.id
    }

    /// The same person's coordinator permit, when the policy grants one.
    pub fn coordinator(&self) -> Option<&Coordinator> {
        self.coordinator.as_ref()
    }
}

/// A coordinator: cohorts, applications, matching, the matches table, notes, exports, the
/// catalogue, news and events.
#[derive(Debug, Clone)]
pub struct Coordinator(CurrentUser);

/// A participant (mentor or mentee): RSVPs, questions to an event, replies in their cohort.
#[derive(Debug, Clone)]
pub struct Participant(CurrentUser);

macro_rules! who {
    ($($permit:ident),*) => {$(
        impl $permit {
            pub(super) fn new(who: CurrentUser) -> Self {
                Self(who)
            }

            pub fn who(&self) -> &CurrentUser {
                &self.0
            }

            /// The allowed person's user id, for `created_by` columns and the audit log.
            pub fn id(&self) -> UserId {
                self.0.id
            }
        }
    )*};
}

who!(Coordinator, Participant);

/// Anyone, signed in or not, allowed one of the actions the policy opens to all (`A`, one of
/// `open::…`): signing in, applying, an emailed link's secret. The backend functions behind those
/// actions take it like any other permit, so they too are reached only through the policy; when
/// its holder is signed in it carries their signed-in permit.
#[derive(Debug, Clone)]
pub struct Open<A> {
    signed_in: Option<SignedIn>,
    action: PhantomData<A>,
}

impl<A> Open<A> {
    pub(super) fn new(signed_in: Option<SignedIn>) -> Self {
        Self {
            signed_in,
            action: PhantomData,
        }
    }

    /// The holder's signed-in permit; `None` for a visitor.
    pub fn signed_in(&self) -> Option<&SignedIn> {
        self.signed_in.as_ref()
    }

    /// Who is asking; `None` for a visitor.
    pub fn who(&self) -> Option<&CurrentUser> {
        self.signed_in.as_ref().map(SignedIn::who)
    }
}

/// The actions open to anyone, as `Open` permits name them (see `Action` in `policy`).
pub mod open {
    /// Sign in (both steps), sign out, ask for and use a password reset link.
    #[derive(Debug, Clone, Copy)]
    pub enum Authenticate {}
    /// Read who is signed in, and what a page shows a visitor instead.
    #[derive(Debug, Clone, Copy)]
    pub enum ReadSession {}
    /// See the Apply page, join the waitlist of interest, open the links its emails carry.
    #[derive(Debug, Clone, Copy)]
    pub enum Apply {}
    /// Send an application: visitors and participants; coordinators run the program.
    #[derive(Debug, Clone, Copy)]
    pub enum SubmitApplication {}
    /// Read the activities catalogue (a public page).
    #[derive(Debug, Clone, Copy)]
    pub enum ReadActivities {}
    /// Use an unsubscribe link: the secret in the link is the authority.
    #[derive(Debug, Clone, Copy)]
    pub enum MailToken {}
}

/// What a match permit allows. Each access is one rule of the policy (see `Access::check` in
/// `policy`); the marker types have no values, they only tell the permits apart.
pub mod access {
    /// Read the match's home, goal sheet, contacts and activities: its partners and coordinators.
    #[derive(Debug, Clone, Copy)]
    pub enum Read {}
    /// Write the goal sheet, progress, contacts and activities, confirm a step, ask to end the
    /// match: only its two partners.
    #[derive(Debug, Clone, Copy)]
    pub enum Work {}
    /// Submit the goal sheet: only the match's mentee.
    #[derive(Debug, Clone, Copy)]
    pub enum Submit {}
    /// Acknowledge or return the goal sheet: coordinators.
    #[derive(Debug, Clone, Copy)]
    pub enum Review {}
    /// Read and write the match's chat: only its two partners.
    #[derive(Debug, Clone, Copy)]
    pub enum Talk {}
}

/// Someone allowed `A` on one match, with the match's facts as the policy read them and the side
/// of the match they are on (`Party::Coordinator` for a coordinator).
#[derive(Debug, Clone)]
pub struct OnMatch<A> {
    who: CurrentUser,
    facts: MatchFacts,
    party: Party,
    access: PhantomData<A>,
}

impl<A> OnMatch<A> {
    pub(super) fn new(who: CurrentUser, facts: MatchFacts, party: Party) -> Self {
        Self {
            who,
            facts,
            party,
            access: PhantomData,
        }
    }

    pub fn who(&self) -> &CurrentUser {
        &self.who
    }

    pub fn id(&self) -> UserId {
        self.who.id
    }

    pub fn facts(&self) -> &MatchFacts {
        &self.facts
    }

    pub fn match_id(&self) -> MatchId {
        self.facts.match_id
    }

    pub fn party(&self) -> Party {
        self.party
    }

    /// The other partner's user id (for a coordinator, the mentor's).
    pub fn partner_id(&self) -> UserId {
        if self.who.id == self.facts.mentor_id {
            self.facts.mentee_id
        } else {
            self.facts.mentor_id
        }
    }

    /// Every match permit lets its holder read the match: the partners and coordinators are the
    /// readers, and each other access is narrower.
    pub fn reader(&self) -> OnMatch<access::Read> {
        OnMatch::new(self.who.clone(), self.facts.clone(), self.party)
    }
}

impl OnMatch<access::Submit> {
    /// The mentee who may submit the sheet is a partner, so may also work on the match.
    pub fn worker(&self) -> OnMatch<access::Work> {
        OnMatch::new(self.who.clone(), self.facts.clone(), self.party)
    }
}
