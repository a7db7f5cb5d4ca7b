//! The frames of the live connection: the one websocket a signed-in page holds for the whole
//! visit (`/ws`). It carries a participant's unread count, the open chat's messages, typing hints
//! and read marks, and short notices for their match; and a coordinator's "something changed"
//! pushes for the dashboards (counts and ids, never what anyone wrote).

use super::vocabulary::vocabulary;
use crate::model::chat::{ChatBadge, ChatLine};
use serde::{Deserialize, Serialize};

vocabulary! {
    /// What changed in the program, as a coordinator's dashboards are told: each is a reason to
    /// read the figures again.
    pub enum Change as "program change" {
        ContactLogged = ("contact_logged", "A contact was logged"),
        GoalSheetSubmitted = ("goal_sheet_submitted", "A goal sheet was submitted"),
        GoalSheetConfirmed = ("goal_sheet_confirmed", "A goal sheet was confirmed"),
        GoalSheetReviewed = ("goal_sheet_reviewed", "A goal sheet was reviewed"),
        ApplicationArrived = ("application_arrived", "An application arrived"),
        MatchStarted = ("match_started", "A match was made"),
        MatchEnded = ("match_ended", "A match ended"),
        /// The connection missed some changes (it fell behind, or instances lost their link).
        Several = ("several", "Figures were updated"),
    }
}

vocabulary! {
    /// Why a participant is told something about their match.
    pub enum NoticeKind as "notice" {
        GoalSheetSubmitted = ("goal_sheet_submitted", "submitted the goal sheet"),
        GoalSheetConfirmed = ("goal_sheet_confirmed", "confirmed the goal sheet"),
        News = ("news", "A new Program News issue is out"),
    }
}

/// Browser to server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The first frame on every connection.
    Hello,
    /// The chat page is open: send the messages after `after` (the highest number the page
    /// holds), then the match's new messages, typing hints and read marks.
    Open { match_id: i64, after: i64 },
    /// The chat page was left.
    Leave,
    /// The person is typing in the open chat (sent at most every few seconds).
    Typing,
    /// The person has read the open chat up to `seq`.
    Read { seq: i64 },
}

/// Server to browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// A participant's chat link: where it goes and how many messages wait. Sent after the hello
    /// and whenever it changes.
    Unread { badge: ChatBadge },
    /// A message of the open chat.
    Message { match_id: i64, line: ChatLine },
    /// Everything the open chat missed has been sent; from here on it is live.
    Live {
        match_id: i64,
        partner_read_seq: i64,
    },
    /// The partner is typing in the open chat.
    Typing { match_id: i64 },
    /// The partner has read the open chat up to `seq`.
    Seen { match_id: i64, seq: i64 },
    /// The chat `match_id` is not this person's to open.
    Refused { match_id: i64, message: String },
    /// Something that matters to the person's match, for the banner: a sentence and a link.
    Notice {
        kind: NoticeKind,
        text: String,
        href: String,
    },
    /// A coordinator's dashboards: `what` changed, in match `match_id` when there is one.
    Changed { what: Change, match_id: Option<i64> },
}

/// The notice's sentence: "Sam submitted the goal sheet." or the news line.
pub fn notice_text(kind: NoticeKind, partner_first_name: &str) -> String {
    match kind {
        NoticeKind::News => format!("{}.", kind.label()),
        _ => format!("{partner_first_name} {}.", kind.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_as_the_browser_sends_them() {
        let open: ClientFrame =
            serde_json::from_str(r#"{"type":"open","match_id":3,"after":12}"#).unwrap();
        assert_eq!(
            open,
            ClientFrame::Open {
                match_id: 3,
                after: 12
            }
        );
        let changed = serde_json::to_string(&ServerFrame::Changed {
            what: Change::ContactLogged,
            match_id: Some(4),
        })
        .unwrap();
        assert_eq!(
            changed,
            r#"{"type":"changed","what":"contact_logged","match_id":4}"#
        );
    }

    #[test]
    fn notices_read_as_sentences() {
        assert_eq!(
            notice_text(NoticeKind::GoalSheetSubmitted, "Sam"),
            "Sam submitted the goal sheet."
        );
        assert_eq!(
            notice_text(NoticeKind::News, "Sam"),
            "A new Program News issue is out."
        );
    }
}
