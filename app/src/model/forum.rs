//! The Mentoring Forum: live webinars participants RSVP to and send questions for, and their
//! recordings afterwards.

use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 150;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const QUESTION_MAX: usize = 1_000;
pub const URL_MAX: usize = 500;
/// The longest event, in minutes (a full day).
pub const MINUTES_MAX: i64 = 24 * 60;

vocabulary! {
    /// An RSVP.
    pub enum RsvpAnswer as "RSVP answer" {
        Going = ("going", "Going"),
        Maybe = ("maybe", "Maybe"),
        NotGoing = ("not_going", "Not going"),
    }
}

/// One event in a list, its time in the viewer's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: i64,
    pub title: String,
    /// "Tuesday, December 15, 2026, 12:00 PM CST"
    pub when: String,
    pub minutes: i64,
    pub going: i64,
    pub capacity: Option<i64>,
    /// The viewer's answer, if they gave one.
    pub my_answer: Option<RsvpAnswer>,
    pub has_recording: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
    /// The zone the times are shown in (the viewer's own).
    pub zone: String,
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuestion {
    pub id: i64,
    /// Shown to coordinators only; a participant sees their own questions.
    pub asker: String,
    pub body: String,
    pub answered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub user_id: i64,
    pub name: String,
    pub answer: RsvpAnswer,
    pub attended: bool,
}

/// What the coordinator's form starts from when editing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    /// YYYY-MM-DD and HH:MM in `time_zone`.
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub minutes: i64,
    pub join_url: String,
    pub capacity: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: i64,
    pub title: String,
    /// Sanitized HTML from the coordinator's Markdown.
    pub description_html: String,
    /// The start and end in the viewer's zone.
    pub when: String,
    /// The start in the zone it was planned in, when that differs from the viewer's ("" if not).
    pub host_when: String,
    pub zone: String,
    pub minutes: i64,
    pub join_url: String,
    pub capacity: Option<i64>,
    pub going: i64,
    pub maybe: i64,
    pub my_answer: Option<RsvpAnswer>,
    pub recording_url: String,
    pub is_past: bool,
    pub can_manage: bool,
    /// Participants may RSVP and ask (coordinators run the event).
    pub can_take_part: bool,
    /// All questions for coordinators; a participant's own otherwise.
    pub questions: Vec<EventQuestion>,
    /// Coordinators only: everyone who answered, for attendance.
    pub attendees: Vec<Attendee>,
    /// Coordinators only: the form's starting values.
    pub form: Option<EventForm>,
}
