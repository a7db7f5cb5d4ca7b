//! What every feature stands on: the database and its two engines, configuration, the state a
//! request is served with, the request's context and client address, time zones, markdown, field checks, and the
//! audit log's writing.

pub mod audit;
pub mod client_address;
pub mod config;
pub mod context;
pub mod db;
pub mod fields;
pub mod markdown;
pub mod state;
pub mod tz;
