//! The coordinators' matches table (match health): the figures per match, the flags that say a match needs
//! attention (each with its reason), and the table's filters, sorting and pages.

use crate::model::SheetState;
use serde::{Deserialize, Serialize};

/// Rows per page of the matches table.
pub const ROWS_PER_PAGE: i64 = 25;
// Migration 0006's view `match_flag_onsets` says the same as `flags` below in SQL (when each
// flag comes on), for the dashboard's counts; a test holds the two to the same answers.

pub const NO_CONTACT_DAYS: i64 = 30;
pub const INACTIVE_DAYS: i64 = 21;

/// The flags, by key, with their filter labels.
pub const FLAGS: &[(&str, &str)] = &[
    ("no_contact", "No contact in 30 days"),
    ("low_pace", "Fewer than two contacts a month"),
    ("sheet_overdue", "Goal sheet overdue"),
    ("inactive", "A partner not signed in for 21 days"),
];

pub const SORTS: &[(&str, &str)] = &[
    ("health", "Needs attention first"),
    ("contact", "Longest since contact"),
    ("messages", "Fewest messages in 30 days"),
    ("sheet", "Goal sheet state"),
    ("matched", "Longest matched"),
    ("name", "Mentee's name"),
];

/// The table's filters, as the page's query string carries them (so a filtered view is a link,
/// and the CSV export gets the same rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchQuery {
    pub cohort_id: Option<i64>,
    /// "" for all, else one of the library types.
    pub library_type: String,
    /// Matched against the mentee's region, ignoring case; "" for all.
    pub region: String,
    /// "" for all, "any" for every flagged match, or one flag's key.
    pub flag: String,
    /// "" for all, or one match state (active, completed, ended_early).
    #[serde(default)]
    pub state: String,
    /// "" for all, or one goal sheet state as stored (draft, submitted, confirmed, …).
    #[serde(default)]
    pub sheet: String,
    /// "" for all, or a goal progress (not_started, …): matches with at least one such goal.
    #[serde(default)]
    pub goal: String,
    /// Part of either partner's name.
    pub search: String,
    /// One of `SORTS`' keys ("health" when empty or unknown).
    pub sort: String,
    /// From 1.
    pub page: i64,
}

/// One flag on a match, with the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagReason {
    pub key: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchTableRow {
    pub match_id: i64,
    pub cohort_name: String,
    pub mentor_name: String,
    pub mentee_name: String,
    pub state: crate::model::MatchState,
    pub library_type: String,
    pub region: String,
    pub started_on: String,
    pub days_matched: i64,
    /// None when no contact is logged.
    pub days_since_contact: Option<i64>,
    pub contacts: i64,
    pub messages_30_days: i64,
    pub sheet: SheetState,
    pub flags: Vec<FlagReason>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchTable {
    pub rows: Vec<MatchTableRow>,
    /// Matches the filters select, on all pages.
    pub total: i64,
    /// Of those, how many are flagged.
    pub flagged: i64,
    pub page: i64,
    pub pages: i64,
}

/// What the flags need to know about one active match, all in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthFacts {
    pub days_matched: i64,
    pub days_since_contact: Option<i64>,
    pub contacts: i64,
    pub sheet_overdue: bool,
    /// Days since each partner last used Tandem (None: never).
    pub mentor_idle_days: Option<i64>,
    pub mentee_idle_days: Option<i64>,
}

/// The flags of an active match, each naming its reason. Ended matches carry none.
pub fn flags(f: &HealthFacts, mentor_name: &str, mentee_name: &str) -> Vec<FlagReason> {
    let mut out = Vec::new();
    let mut flag = |key: &str, reason: String| {
        out.push(FlagReason {
            key: key.into(),
            reason,
        })
    };
    match f.days_since_contact {
        Some(d) if d > NO_CONTACT_DAYS => {
            flag("no_contact", format!("No contact logged in {d} days."));
        }
        None if f.days_matched > NO_CONTACT_DAYS => flag(
            "no_contact",
            format!(
                "No contact logged in the {} days since matching.",
                f.days_matched
            ),
        ),
        _ => {}
    }
    // Judged once the match is a month old: two contacts a month on average since matching.
    if f.days_matched >= 30 {
        let months = f.days_matched as f64 / 30.0;
        let per_month = f.contacts as f64 / months;
        if per_month < super::CONTACTS_PER_MONTH as f64 {
            flag(
                "low_pace",
                format!(
                    "{} contact{} in {:.1} months: {:.1} a month, below the two the program asks for.",
                    f.contacts,
                    if f.contacts == 1 { "" } else { "s" },
                    months,
                    per_month
                ),
            );
        }
    }
    if f.sheet_overdue {
        flag(
            "sheet_overdue",
            "The goal sheet is overdue and not yet acknowledged.".into(),
        );
    }
    for (name, idle) in [
        (mentor_name, f.mentor_idle_days),
        (mentee_name, f.mentee_idle_days),
    ] {
        match idle {
            Some(d) if d > INACTIVE_DAYS => flag(
                "inactive",
                format!("{name} has not signed in for {d} days."),
            ),
            None if f.days_matched > INACTIVE_DAYS => flag(
                "inactive",
                format!("{name} has not signed in since being matched."),
            ),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> HealthFacts {
        HealthFacts {
            days_matched: 90,
            days_since_contact: Some(5),
            contacts: 6,
            sheet_overdue: false,
            mentor_idle_days: Some(1),
            mentee_idle_days: Some(2),
        }
    }

    fn keys(f: &HealthFacts) -> Vec<String> {
        flags(f, "Ann", "Bo").into_iter().map(|r| r.key).collect()
    }

    #[test]
    fn a_healthy_match_has_no_flags() {
        assert!(keys(&facts()).is_empty());
    }

    #[test]
    fn each_flag_names_its_reason() {
        let f = HealthFacts {
            days_since_contact: Some(31),
            ..facts()
        };
        assert_eq!(
            flags(&f, "Ann", "Bo")[0].reason,
            "No contact logged in 31 days."
        );
        // Six contacts in three months is two a month, on pace; five is not.
        let f = HealthFacts {
            contacts: 5,
            ..facts()
        };
        let r = flags(&f, "Ann", "Bo");
        assert_eq!(keys(&f), ["low_pace"]);
        assert!(
            r[0].reason
                .starts_with("5 contacts in 3.0 months: 1.7 a month"),
            "{}",
            r[0].reason
        );
        let f = HealthFacts {
            mentee_idle_days: Some(22),
            ..facts()
        };
        assert_eq!(
            flags(&f, "Ann", "Bo")[0].reason,
            "Bo has not signed in for 22 days."
        );
        let f = HealthFacts {
            sheet_overdue: true,
            mentor_idle_days: None,
            ..facts()
        };
        assert_eq!(keys(&f), ["sheet_overdue", "inactive"]);
    }

    #[test]
    fn a_new_match_is_given_time() {
        let f = HealthFacts {
            days_matched: 10,
            days_since_contact: None,
            contacts: 0,
            sheet_overdue: false,
            mentor_idle_days: None,
            mentee_idle_days: None,
        };
        assert!(keys(&f).is_empty());
    }
}
