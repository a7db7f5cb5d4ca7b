//! What a match works with through the year: the goal sheet's goals and their progress, the
//! activities catalogue, the contact log, and the match home that brings them together.

use super::MatchState;
use super::goal_sheet::{Party, SheetState};
use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

pub const GOALS_MIN: usize = 1;
pub const GOALS_MAX: usize = 3;
pub const GOAL_TITLE_MAX: usize = 150;
pub const GOAL_TEXT_MAX: usize = 1000;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 30;
pub const COMMENT_MAX: usize = 1000;
pub const CONTACT_MINUTES_MAX: i64 = 600;
pub const ACTIVITY_TITLE_MAX: usize = 120;
pub const ACTIVITY_TEXT_MAX: usize = 1000;
/// The program asks for contact about twice a month.
pub const CONTACTS_PER_MONTH: i64 = 2;

/// One of a participant's matches, seen from their side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyMatch {
    pub match_id: i64,
    pub cohort_name: String,
    /// The side of the person reading (a coordinator reads as `Coordinator`).
    pub my_role: Party,
    pub partner: PartnerCard,
    pub program_start: String,
    pub program_end: String,
    pub state: MatchState,
    /// A request to end this match is waiting for a coordinator.
    pub end_requested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCard {
    pub name: String,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
    pub library_name: String,
    pub library_type: String,
    pub job_title: String,
    /// Labels of the partner's preferred ways to meet.
    pub meet_ways: Vec<String>,
    /// The partner's UTC offset now, so the browser can keep their clock ticking.
    pub utc_offset_minutes: i32,
}

vocabulary! {
    /// How far a goal has come.
    pub enum GoalProgress as "goal progress" {
        NotStarted = ("not_started", "Not started"),
        InProgress = ("in_progress", "In progress"),
        Achieved = ("achieved", "Achieved"),
        SetAside = ("set_aside", "Set aside"),
    }
}

vocabulary! {
    /// How partners were in touch, in the contact log.
    pub enum ContactWay as "way of contact" {
        Phone = ("phone", "Phone"),
        Email = ("email", "Email"),
        Video = ("video", "Video"),
        Chat = ("chat", "Chat"),
        InPerson = ("in_person", "In person"),
        Conference = ("conference", "At a conference"),
    }
}

vocabulary! {
    /// The catalogue's three kinds of activity.
    pub enum ActivityKind as "kind of activity" {
        Build = ("build", "Build"),
        Practice = ("practice", "Practice"),
        Discuss = ("discuss", "Discuss"),
    }
}

impl ActivityKind {
    /// What this kind of activity is for, as the catalogue introduces it.
    pub fn blurb(self) -> &'static str {
        match self {
            ActivityKind::Build => "Make something together that you will both use.",
            ActivityKind::Practice => "Rehearse the moments that matter in a career.",
            ActivityKind::Discuss => "Talk through an idea and what it means for your work.",
        }
    }
}

vocabulary! {
    /// A match's activity: planned, or done.
    pub enum ActivityState as "activity state" {
        Planned = ("planned", "Planned"),
        Done = ("done", "Done"),
    }
}

/// One goal as the editor sends it. `id` is 0 for a new goal; tags are comma separated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalInput {
    pub id: i64,
    pub title: String,
    pub why: String,
    pub measure: String,
    pub target_date: String,
    pub tags: String,
}

impl GoalInput {
    /// A slot the person left empty is not a goal.
    pub fn is_blank(&self) -> bool {
        [
            &self.title,
            &self.why,
            &self.measure,
            &self.target_date,
            &self.tags,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The name of one goal field in the editor, which is also where its error is shown.
pub fn goal_field(slot: usize, field: &str) -> String {
    format!("goal{slot}_{field}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressNote {
    pub author_name: String,
    pub progress: GoalProgress,
    pub note: String,
    pub on_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: i64,
    pub title: String,
    pub why: String,
    pub measure: String,
    pub target_date: String,
    pub tags: Vec<String>,
    pub progress: GoalProgress,
    /// Oldest first.
    pub notes: Vec<ProgressNote>,
}

impl Goal {
    pub fn as_input(&self) -> GoalInput {
        GoalInput {
            id: self.id,
            title: self.title.clone(),
            why: self.why.clone(),
            measure: self.measure.clone(),
            target_date: self.target_date.clone(),
            tags: self.tags.join(", "),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub actor_name: String,
    pub action: String,
    pub changes: Vec<String>,
    pub comment: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetView {
    pub match_id: i64,
    pub state: SheetState,
    /// 0 until the first save.
    pub version: i64,
    pub goals: Vec<Goal>,
    pub due_date: String,
    /// Days until the due date (negative once past it).
    pub days_left: i64,
    /// Due and not yet submitted and confirmed.
    pub overdue: bool,
    /// A coordinator's comment when they returned the sheet.
    pub return_comment: String,
    pub updated_by: String,
    pub updated_at: i64,
    /// Newest first.
    pub history: Vec<HistoryEntry>,
}

/// What a save answers: saved, or refused because the partner saved first, with their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved { version: i64 },
    Conflict { theirs: SheetView },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub author_name: String,
    pub way: ContactWay,
    pub on_date: String,
    pub minutes: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchActivity {
    pub id: i64,
    pub activity_id: i64,
    pub title: String,
    pub kind: ActivityKind,
    pub goal_title: Option<String>,
    pub state: ActivityState,
    pub on_date: String,
    pub note: String,
}

/// How the match keeps the program's pace of contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pace {
    pub last_contact: Option<String>,
    pub days_since_last: Option<i64>,
    pub last_30_days: i64,
    pub on_pace: bool,
    pub sentence: String,
}

/// Contacts expected in the last 30 days: two, or fewer for a match younger than a month.
pub fn pace(days_matched: i64, last_30_days: i64, days_since_last: Option<i64>) -> Pace {
    let expected = ((days_matched.max(0) + 14) / 15).clamp(0, CONTACTS_PER_MONTH);
    let on_pace = last_30_days >= expected;
    let sentence = match (on_pace, days_since_last) {
        (_, None) if expected == 0 => {
            "No contact logged yet; the program asks for about two a month.".to_string()
        }
        (_, None) => "No contact logged yet. Aim for about two a month.".to_string(),
        (true, Some(_)) => format!(
            "On pace: {last_30_days} contact{} in the last 30 days.",
            if last_30_days == 1 { "" } else { "s" }
        ),
        (false, Some(_)) => format!(
            "Behind: {last_30_days} contact{} in the last 30 days; the program asks for about two a month.",
            if last_30_days == 1 { "" } else { "s" }
        ),
    };
    Pace {
        last_contact: None,
        days_since_last,
        last_30_days,
        on_pace,
        sentence,
    }
}

/// Everything the match home shows, for a partner or (read-only) for a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchHome {
    pub viewer: Party,
    /// The match from the viewer's side (for a coordinator: the mentee's side, so the card is
    /// the mentor's).
    pub summary: MyMatch,
    pub mentor: PartnerCard,
    pub mentee: PartnerCard,
    pub active: bool,
    pub today: String,
    pub sheet: SheetView,
    pub next_steps: Vec<String>,
    pub pace: Pace,
    pub contacts: Vec<Contact>,
    pub contact_count: i64,
    pub activities: Vec<MatchActivity>,
    pub catalogue: Vec<Activity>,
}

/// The history sentences for one save: what changed, goal by goal, field by field.
pub fn describe_changes(before: &[GoalInput], after: &[GoalInput]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, new) in after.iter().enumerate() {
        let n = i + 1;
        match before.iter().find(|old| old.id != 0 && old.id == new.id) {
            None => out.push(format!("Added goal {n}: “{}”.", new.title.trim())),
            Some(old) => {
                let fields = [
                    ("title", &old.title, &new.title),
                    ("why it matters", &old.why, &new.why),
                    ("how we will know", &old.measure, &new.measure),
                    ("target date", &old.target_date, &new.target_date),
                    ("tags", &old.tags, &new.tags),
                ];
                for (label, a, b) in fields {
                    if a.trim() != b.trim() {
                        out.push(format!(
                            "Goal {n}, {label}: “{}” → “{}”.",
                            a.trim(),
                            b.trim()
                        ));
                    }
                }
            }
        }
    }
    for old in before {
        if !after.iter().any(|new| new.id == old.id) {
            out.push(format!("Removed goal “{}”.", old.title.trim()));
        }
    }
    out
}

/// Splits the comma-separated tags field into trimmed, non-empty tags without repeats.
pub fn split_tags(tags: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(id: i64, title: &str) -> GoalInput {
        GoalInput {
            id,
            title: title.into(),
            target_date: "2027-03-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn changes_name_added_changed_and_removed_goals() {
        let before = vec![goal(1, "Network"), goal(2, "Crafts")];
        let mut changed = goal(1, "Network more");
        changed.target_date = "2027-04-01".into();
        let after = vec![changed, goal(0, "Conferences")];
        assert_eq!(
            describe_changes(&before, &after),
            vec![
                "Goal 1, title: “Network” → “Network more”.",
                "Goal 1, target date: “2027-03-01” → “2027-04-01”.",
                "Added goal 2: “Conferences”.",
                "Removed goal “Crafts”.",
            ]
        );
        assert!(describe_changes(&before, &before).is_empty());
    }

    #[test]
    fn pace_expects_two_contacts_a_month_once_the_match_is_a_month_old() {
        assert!(pace(0, 0, None).on_pace);
        assert!(!pace(20, 0, None).on_pace);
        assert!(pace(20, 2, Some(3)).on_pace);
        assert!(!pace(200, 1, Some(3)).on_pace);
        assert!(pace(200, 2, Some(3)).on_pace);
        assert!(
            pace(200, 1, Some(3))
                .sentence
                .starts_with("Behind: 1 contact in")
        );
    }

    #[test]
    fn tags_are_trimmed_and_unique() {
        assert_eq!(
            split_tags(" storytime, , Outreach,outreach "),
            vec!["storytime", "Outreach"]
        );
        assert!(split_tags("").is_empty());
    }
}

/// What this person should do next, most pressing first.
pub fn next_steps(viewer: Party, sheet: &SheetView, pace: &Pace, active: bool) -> Vec<String> {
    if !active {
        return vec!["This match has ended; what it did stays here to read.".to_string()];
    }
    let mut out = Vec::new();
    let partner_made = |by: Party| viewer.partner() == Some(by);
    match sheet.state {
        SheetState::Amended { by } if partner_made(by) => out.push(format!(
            "Confirm the changes {} made to the goal sheet.",
            if sheet.updated_by.is_empty() { "your partner" } else { &sheet.updated_by }
        )),
        SheetState::Draft if !sheet.return_comment.is_empty() && viewer != Party::Coordinator => {
            out.push(format!(
                "Your coordinator returned the goal sheet: “{}” Change it, then the mentee submits it again.",
                sheet.return_comment
            ))
        }
        state => {
            if let Some(step) = state.next_step(viewer) {
                out.push(step.to_string());
            }
        }
    }
    if !sheet.state.is_in() {
        let when = match sheet.days_left {
            d if d < 0 => format!(
                "The goal sheet is overdue: it was due on {} ({} day{} ago).",
                sheet.due_date,
                -d,
                if d == -1 { "" } else { "s" }
            ),
            0 => "The goal sheet is due today.".to_string(),
            1 => "The goal sheet is due tomorrow.".to_string(),
            d => format!("The goal sheet is due in {d} days ({}).", sheet.due_date),
        };
        out.push(when);
    }
    if viewer != Party::Coordinator && !pace.on_pace {
        out.push(
            "Get in touch with your partner: the program asks for about two contacts a month."
                .to_string(),
        );
    }
    out
}

/// The editor's field names for each of the three goal slots, in the order id, title, why,
/// measure, target date, tags. `goal_field` builds the same names on the server.
pub const GOAL_SLOT_FIELDS: [[&str; 6]; GOALS_MAX] = [
    [
        "goal1_id",
        "goal1_title",
        "goal1_why",
        "goal1_measure",
        "goal1_target_date",
        "goal1_tags",
    ],
    [
        "goal2_id",
        "goal2_title",
        "goal2_why",
        "goal2_measure",
        "goal2_target_date",
        "goal2_tags",
    ],
    [
        "goal3_id",
        "goal3_title",
        "goal3_why",
        "goal3_measure",
        "goal3_target_date",
        "goal3_tags",
    ],
];

#[cfg(test)]
mod field_names {
    use super::*;

    #[test]
    fn the_editor_and_the_server_name_fields_alike() {
        for (i, slot) in GOAL_SLOT_FIELDS.iter().enumerate() {
            let names = ["id", "title", "why", "measure", "target_date", "tags"];
            for (field, name) in names.iter().zip(slot) {
                assert_eq!(goal_field(i + 1, field), *name);
            }
        }
    }
}
