//! What a match works with: the facts every match-scoped call reads first, each person's home, the match home, the goal sheet, the contact log
//! and the activities.

pub mod activities;
pub mod contacts;
pub mod facts;
pub mod goal_sheets;
pub mod home;
pub mod match_home;
