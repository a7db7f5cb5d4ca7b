//! A participant's pages: the home and, for each match, its home, goal sheet, activities and
//! chat.

pub mod activities;
pub mod chat;
pub mod goal_sheet;
pub mod home;
pub mod match_home;
