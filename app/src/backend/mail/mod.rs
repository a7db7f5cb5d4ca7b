//! Mail: the outbox and its delivery (SMTP or files), program mail in bulk (news, reminders), and
//! each person's mail preferences.

pub mod bulk;
pub mod outbox;
pub mod prefs;
