//! The server's integration tests, in one binary: one link of leptos, sqlx and lettre instead of
//! one per file. Each module is a feature's tests; `common` holds the test server and helpers.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a panic in a test, or in the helpers it calls, is the failure message"
)]

mod common;

mod apply_match;
mod chat;
mod client_address;
mod community;
mod config;
mod dashboard_counts;
mod field_lengths;
mod forum;
mod http;
mod jobs;
mod load;
mod match_admin;
mod match_table;
mod match_work;
mod news;
mod one_line;
mod origin;
mod resources;
mod second_factor;
mod security;
mod sign_in_limits;
