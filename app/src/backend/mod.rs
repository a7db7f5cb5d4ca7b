//! Server-only code, in one folder per feature. Server functions (`crate::api`) stay thin: they
//! ask `auth::policy` and call into here; the integration tests exercise it directly.
//!
//! - `infra`: the bottom layer: the database, configuration, the client's address, time zones,
//!   markdown, field checks, the audit log's writing, and the signals between requests and
//!   workers.
//! - `state` and `context`: the top: the state a request is served with, and what a server
//!   function knows of its request (who is signed in, the permits it asks the policy for, cookies).
//! - `auth`: who may do what (`policy`), sign-in, sessions, passwords, resets, rate limits, users.
//! - `program`: cohorts, applications, matching, the match lifecycle, the coordinators' matches
//!   table, match administration, the dashboard and the exports.
//! - `match_work`: what a match works with: its home, goal sheet, contacts and activities.
//! - `chat`: the message store and the hub that carries live messages between instances.
//! - `community`: the forum (webinars), Program News and resources.
//! - `mail`: the outbox and its transport, program mail in bulk, mail preferences.
//! - `jobs`: starts and stops every background worker.
//! - `seed`: the demo data.

pub mod auth;
pub mod chat;
pub mod community;
pub mod context;
pub mod infra;
pub mod jobs;
pub mod mail;
pub mod match_work;
pub mod program;
pub mod seed;
pub mod state;
