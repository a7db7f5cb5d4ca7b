//! Server-only code: database access, who may do what, sessions, mail. Server functions stay
//! thin and call into here, and the integration tests exercise it directly.

pub mod activities;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod chat_hub;
pub mod cohorts;
pub mod config;
pub mod contacts;
pub mod context;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod exports;
pub mod goal_sheets;
pub mod health;
pub mod home;
pub mod mail;
pub mod match_admin;
pub mod match_home;
pub mod matches;
pub mod matching;
pub mod passwords;
pub mod policy;
pub mod rate_limit;
pub mod resets;
pub mod sessions;
pub mod state;
pub mod testing;
pub mod tz;
pub mod users;
