//! The goal sheet's state machine (issue 4): who may do what to a sheet in each state. Pure, so
//! the server enforces it and the match home can say what the next step is for each person.
//!
//! draft --mentee submits--> submitted --mentor confirms--> confirmed
//!   ^                            |                              |
//!   +---- coordinator returns ---+------------------------------+
//! confirmed --coordinator acknowledges--> acknowledged
//! acknowledged --a partner changes it--> amended (waiting for the other partner)
//! amended --the other partner confirms--> acknowledged
//! Editing a submitted or confirmed sheet takes it back to draft (it must be submitted again).

use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetState {
    Draft,
    Submitted,
    Confirmed,
    Acknowledged,
    /// Changed after acknowledgement by `by`; the other partner must confirm.
    Amended {
        by: Party,
    },
}

vocabulary! {
    /// Who acts on a match: one of its partners, or a coordinator.
    pub enum Party as "party" {
        Mentor = ("mentor", "Mentor"),
        Mentee = ("mentee", "Mentee"),
        Coordinator = ("coordinator", "Coordinator"),
    }
}

impl Party {
    pub fn partner(self) -> Option<Party> {
        match self {
            Party::Mentor => Some(Party::Mentee),
            Party::Mentee => Some(Party::Mentor),
            Party::Coordinator => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetAction {
    Edit,
    Submit,
    Confirm,
    Acknowledge,
    Return,
}

/// Why a step is refused, as a sentence for the person who tried it.
pub type Refusal = &'static str;

impl SheetState {
    /// The state after `who` does `action`, or why they may not. `match_active` is false once the
    /// match has ended: nothing may change then.
    pub fn apply(
        self,
        who: Party,
        action: SheetAction,
        match_active: bool,
    ) -> Result<SheetState, Refusal> {
        use Party::*;
        use SheetAction::*;
        use SheetState::*;
        if !match_active {
            return Err("This match has ended; its goal sheet can no longer change.");
        }
        match (self, who, action) {
            // Only the two partners write the sheet.
            (_, Coordinator, Edit) => Err("Only the mentor and mentee write the goal sheet."),
            (Draft, _, Edit) => Ok(Draft),
            (Submitted | Confirmed, _, Edit) => Ok(Draft),
            (Acknowledged, p, Edit) => Ok(Amended { by: p }),
            (Amended { by }, p, Edit) if by == p => Ok(Amended { by }),
            // A partner answering the other's amendment with a change of their own makes it theirs.
            (Amended { .. }, p, Edit) => Ok(Amended { by: p }),

            (Draft, Mentee, Submit) => Ok(Submitted),
            (Draft, _, Submit) => Err("Only the mentee submits the goal sheet."),
            (Submitted | Confirmed, _, Submit) => Err("The goal sheet has already been submitted."),
            (Acknowledged | Amended { .. }, _, Submit) => Err(
                "The goal sheet was acknowledged; changes are confirmed by the partner instead.",
            ),

            (Submitted, Mentor, Confirm) => Ok(Confirmed),
            (Submitted, _, Confirm) => Err("Only the mentor confirms the goal sheet."),
            (Confirmed, _, Confirm) => Err("The goal sheet has already been confirmed."),
            (Draft, _, Confirm) => Err("The mentee has not submitted the goal sheet yet."),
            (Amended { by }, p, Confirm) if by.partner() == Some(p) => Ok(Acknowledged),
            (Amended { .. }, Coordinator, Confirm) => {
                Err("The partner confirms a change, not a coordinator.")
            }
            (Amended { .. }, _, Confirm) => Err("Your partner confirms your change, not you."),
            (Acknowledged, _, Confirm) => Err("There is no change to confirm."),

            (Confirmed, Coordinator, Acknowledge) => Ok(Acknowledged),
            (_, Mentor | Mentee, Acknowledge | Return) => {
                Err("Only a coordinator acknowledges or returns a goal sheet.")
            }
            (Acknowledged | Amended { .. }, Coordinator, Acknowledge) => {
                Err("The goal sheet has already been acknowledged.")
            }
            (Draft | Submitted, Coordinator, Acknowledge) => Err(
                "Only a goal sheet the mentee submitted and the mentor confirmed can be acknowledged.",
            ),

            (Submitted | Confirmed, Coordinator, Return) => Ok(Draft),
            (Draft, Coordinator, Return) => Err("The goal sheet is already a draft."),
            (Acknowledged | Amended { .. }, Coordinator, Return) => {
                Err("An acknowledged goal sheet is not returned; its partners amend it.")
            }
        }
    }

    /// One sheet per stored state, in the sheet's order: what the filters and the dashboard
    /// list (the stored state does not say who amended, so `Amended` stands for both sides).
    pub const STORED: [SheetState; 5] = [
        SheetState::Draft,
        SheetState::Submitted,
        SheetState::Confirmed,
        SheetState::Acknowledged,
        SheetState::Amended { by: Party::Mentee },
    ];

    /// The state column's value.
    pub fn stored_name(self) -> &'static str {
        self.to_db().0
    }

    /// (stored state, label) for each stored state, the shape `<select>` options take.
    pub fn stored_options() -> Vec<(String, String)> {
        Self::STORED
            .iter()
            .map(|s| (s.stored_name().to_string(), s.label().to_string()))
            .collect()
    }

    /// The stored form: the state column and who amended it.
    pub fn to_db(self) -> (&'static str, Option<&'static str>) {
        match self {
            SheetState::Draft => ("draft", None),
            SheetState::Submitted => ("submitted", None),
            SheetState::Confirmed => ("confirmed", None),
            SheetState::Acknowledged => ("acknowledged", None),
            SheetState::Amended { by } => ("amended", Some(by.as_str())),
        }
    }

    pub fn from_db(state: &str, amended_by: Option<&str>) -> SheetState {
        match (state, amended_by) {
            ("submitted", _) => SheetState::Submitted,
            ("confirmed", _) => SheetState::Confirmed,
            ("acknowledged", _) => SheetState::Acknowledged,
            ("amended", Some("mentor")) => SheetState::Amended { by: Party::Mentor },
            ("amended", _) => SheetState::Amended { by: Party::Mentee },
            _ => SheetState::Draft,
        }
    }

    /// A short label for badges.
    pub fn label(self) -> &'static str {
        match self {
            SheetState::Draft => "Draft",
            SheetState::Submitted => "Submitted",
            SheetState::Confirmed => "Confirmed",
            SheetState::Acknowledged => "Acknowledged",
            SheetState::Amended { .. } => "Changed, to confirm",
        }
    }

    /// True once the mentee submitted and the mentor confirmed (what the due date asks for).
    pub fn is_in(self) -> bool {
        !matches!(self, SheetState::Draft | SheetState::Submitted)
    }

    /// What `who` should do next, if anything.
    pub fn next_step(self, who: Party) -> Option<&'static str> {
        match (self, who) {
            (SheetState::Draft, Party::Mentee) => {
                Some("Draft your goals together, then submit the goal sheet.")
            }
            (SheetState::Draft, Party::Mentor) => {
                Some("Draft your goals together; your mentee submits the sheet.")
            }
            (SheetState::Submitted, Party::Mentor) => {
                Some("Confirm the goal sheet your mentee submitted.")
            }
            (SheetState::Confirmed, Party::Coordinator) => {
                Some("Acknowledge or return the goal sheet.")
            }
            (SheetState::Amended { by }, p) if by.partner() == Some(p) => {
                Some("Confirm the changes your partner made to the goal sheet.")
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Party::*;
    use super::SheetAction::*;
    use super::SheetState::*;
    use super::*;

    const STATES: [SheetState; 6] = [
        Draft,
        Submitted,
        Confirmed,
        Acknowledged,
        Amended { by: Mentor },
        Amended { by: Mentee },
    ];
    const PARTIES: [Party; 3] = [Mentor, Mentee, Coordinator];
    const ACTIONS: [SheetAction; 5] = [Edit, Submit, Confirm, Acknowledge, Return];

    /// Every allowed transition, written out by hand from the program's rules.
    fn allowed(state: SheetState, who: Party, action: SheetAction) -> Option<SheetState> {
        match (state, who, action) {
            (Draft, Mentor | Mentee, Edit) => Some(Draft),
            (Submitted | Confirmed, Mentor | Mentee, Edit) => Some(Draft),
            (Acknowledged | Amended { .. }, Mentor, Edit) => Some(Amended { by: Mentor }),
            (Acknowledged | Amended { .. }, Mentee, Edit) => Some(Amended { by: Mentee }),
            (Draft, Mentee, Submit) => Some(Submitted),
            (Submitted, Mentor, Confirm) => Some(Confirmed),
            (Amended { by: Mentor }, Mentee, Confirm) => Some(Acknowledged),
            (Amended { by: Mentee }, Mentor, Confirm) => Some(Acknowledged),
            (Confirmed, Coordinator, Acknowledge) => Some(Acknowledged),
            (Submitted | Confirmed, Coordinator, Return) => Some(Draft),
            _ => None,
        }
    }

    #[test]
    fn every_transition_is_allowed_or_refused_as_the_rules_say() {
        let mut checked = 0;
        for state in STATES {
            for who in PARTIES {
                for action in ACTIONS {
                    let got = state.apply(who, action, true);
                    match allowed(state, who, action) {
                        Some(next) => assert_eq!(got, Ok(next), "{state:?} {who:?} {action:?}"),
                        None => {
                            let why = got.expect_err(&format!(
                                "{state:?} {who:?} {action:?} must be refused"
                            ));
                            assert!(why.ends_with('.'), "a sentence: {why}");
                        }
                    }
                    // Nothing changes once the match has ended.
                    assert!(state.apply(who, action, false).is_err());
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 90);
    }

    #[test]
    fn states_survive_the_database() {
        for state in STATES {
            let (s, by) = state.to_db();
            assert_eq!(SheetState::from_db(s, by), state);
        }
    }

    #[test]
    fn the_programs_path_from_draft_to_an_amendment() {
        let s = Draft.apply(Mentor, Edit, true).unwrap();
        let s = s.apply(Mentee, Submit, true).unwrap();
        assert_eq!(
            s.apply(Mentee, Submit, true),
            Err("The goal sheet has already been submitted.")
        );
        let s = s.apply(Mentor, Confirm, true).unwrap();
        assert_eq!(
            s.apply(Mentor, Confirm, true),
            Err("The goal sheet has already been confirmed.")
        );
        // Returned with a comment, fixed, and sent round again.
        let s = s.apply(Coordinator, Return, true).unwrap();
        assert_eq!(s, Draft);
        assert!(
            s.apply(Coordinator, Acknowledge, true).is_err(),
            "a draft is not acknowledged"
        );
        let s = s
            .apply(Mentee, Submit, true)
            .unwrap()
            .apply(Mentor, Confirm, true)
            .unwrap();
        let s = s.apply(Coordinator, Acknowledge, true).unwrap();
        // An amendment needs the partner's confirmation, not the author's.
        let s = s.apply(Mentee, Edit, true).unwrap();
        assert_eq!(s, Amended { by: Mentee });
        assert_eq!(
            s.next_step(Mentor),
            Some("Confirm the changes your partner made to the goal sheet.")
        );
        assert_eq!(s.next_step(Mentee), None);
        assert!(s.apply(Mentee, Confirm, true).is_err());
        assert_eq!(s.apply(Mentor, Confirm, true), Ok(Acknowledged));
    }

    #[test]
    fn next_steps_name_the_person_who_acts() {
        assert!(Draft.next_step(Mentee).unwrap().contains("submit"));
        assert!(Submitted.next_step(Mentor).unwrap().starts_with("Confirm"));
        assert_eq!(Submitted.next_step(Mentee), None);
        assert!(
            Confirmed
                .next_step(Coordinator)
                .unwrap()
                .starts_with("Acknowledge")
        );
        assert_eq!(Acknowledged.next_step(Mentee), None);
    }
}
