//! Every page, rendered on the server, in one folder per audience. A page reads its data through
//! `crate::api` (never the backend), and its live parts are islands.
//!
//! - `public`: the program's own pages, Apply, the unsubscribe page, and the shared notices.
//! - `account`: signing in, a forgotten password, the profile.
//! - `second_factor`: the sign-in's code step and two-step sign-in's own page.
//! - `participant`: each person's home and their match: its home, goal sheet, activities, chat.
//! - `community`: the forum, Program News, resources.
//! - `coordinator`: cohorts, applications, matching, the matches table, one match's
//!   administration, the dashboard and the audit log.

pub mod account;
pub mod community;
pub mod coordinator;
pub mod participant;
pub mod public;
pub mod second_factor;
