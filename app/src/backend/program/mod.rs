//! Running the program year, the coordinators' side: cohorts, applications (and those waiting for
//! their email to be confirmed), the waitlist of interest, matching, the match
//! lifecycle, the matches table, one match's administration, the dashboard, the exports and the
//! audit page, and the coordinators' home (`overview`).

pub mod applications;
pub mod audit;
pub mod cohorts;
pub mod dashboard;
pub mod exports;
pub mod lifecycle;
pub mod match_admin;
pub mod match_table;
pub mod matching;
pub mod overview;
pub mod pending_applications;
pub mod waitlist;
