//! What every feature stands on, and the bottom layer: nothing here imports another backend
//! folder. The database and its two engines, configuration, the client's address, time zones,
//! markdown, field checks, the audit log's writing, the signals that wake and stop workers, and
//! the parts of pages kept for the person they were written for.

pub mod audit;
pub mod client_address;
pub mod config;
pub mod db;
pub mod fields;
pub mod markdown;
pub mod signal;
pub mod tz;
pub mod written;
