//! The app crate's integration tests, in one binary: the backend called directly on both engines.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a panic in a test, or in the helpers it calls, is the failure message"
)]

mod accounts;
mod chat;
mod home_and_policy;
mod house_rules;
mod ids;
mod mail;
mod match_work;
mod matching;
mod migrations;
mod second_factor;
mod seed;
mod transactions;
mod vocabulary;
