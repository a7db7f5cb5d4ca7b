//! The audit log: who did what, as the coordinators' audit page reads it. Every action written is
//! an `AuditAction`, so every line on the page has a label.

use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// What the audit log records, by the feature that does it.
    pub enum AuditAction as "audit action" {
        MatchCreate = ("match.create", "Matched"),
        MatchEndEarly = ("match.end_early", "Ended a match early"),
        MatchComplete = ("match.complete", "Completed a cohort's matches"),
        MatchKeep = ("match.keep", "Kept a match (declined an end request)"),
        MatchRequestEnd = ("match.request_end", "Asked to end a match"),
        MatchEmail = ("match.email", "Emailed both partners"),
        GoalSheetAcknowledged = ("goal_sheet.acknowledged", "Acknowledged a goal sheet"),
        GoalSheetReturned = ("goal_sheet.returned", "Returned a goal sheet"),
        CohortCreate = ("cohort.create", "Created a cohort"),
        CohortState = ("cohort.state", "Changed a cohort's state"),
        ApplicationAccepted = ("application.accepted", "Accepted an application"),
        ApplicationWaitlisted = ("application.waitlisted", "Waitlisted an application"),
        ApplicationDeclined = ("application.declined", "Declined an application"),
        ApplicationWithdraw = ("application.withdraw", "Withdrew an application"),
        ActivitySaved = ("activity.saved", "Saved a catalogue activity"),
        NewsPublish = ("news.publish", "Published a news issue"),
        NewsHideReply = ("news.hide_reply", "Hid a reply to the news"),
        NewsShowReply = ("news.show_reply", "Showed a hidden reply to the news"),
        AccountSignIn = ("account.sign_in", "Signed in"),
        AccountSignInFailed = ("account.sign_in_failed", "A wrong password was given for an account"),
        AccountLocked = ("account.locked", "Sign-in to an account paused after repeated wrong passwords"),
        AccountPasswordChange = ("account.password_change", "Changed their password"),
        AccountPasswordReset = ("account.password_reset", "Reset a password by email link"),
        AccountSecondFactorOn = ("account.second_factor_on", "Turned on two-step sign-in"),
        AccountSecondFactorReplaced = ("account.second_factor_replaced", "Moved two-step sign-in to a new authenticator"),
        AccountSecondFactorOff = ("account.second_factor_off", "Turned off two-step sign-in"),
        AccountSecondFactorReset = ("account.second_factor_reset", "Reset someone's two-step sign-in"),
        AccountRecoveryCodes = ("account.recovery_codes", "Made new recovery codes"),
        AccountRecoveryCodeUsed = ("account.recovery_code_used", "Signed in with a recovery code"),
        AccountSecondFactorFailed = ("account.second_factor_failed", "A wrong two-step code was given for an account"),
        AccountDisable = ("account.disable", "Disabled an account"),
        AccountEnable = ("account.enable", "Enabled an account again"),
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// "" when the system did it (no signed-in person).
    pub actor_name: String,
    pub action: AuditAction,
    /// What was acted on, as stored ("match:12", "application:7", …).
    pub subject: String,
    /// Where the subject can be seen ("" when it has no page).
    pub subject_href: String,
    pub detail: String,
    /// YYYY-MM-DD HH:MM (UTC).
    pub at: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The id to pass as `before` for the next (older) page; None on the last page.
    pub older: Option<i64>,
    /// The kinds of action on record, for the filter.
    pub actions: Vec<AuditAction>,
}

/// Rows per page of the audit log.
pub const AUDIT_PAGE: i64 = 50;
