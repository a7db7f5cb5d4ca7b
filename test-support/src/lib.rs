//! What Tandem's tests (and its benchmarks' helpers) share, kept out of the product: the release
//! `tandem` binary does not depend on this crate.
//!
//! - [`db`]: a fresh, migrated database per test on SQLite, and on PostgreSQL too when
//!   `TANDEM_TEST_POSTGRES_URL` names a server; removed when the test ends, even by a panic.
//! - [`permits`]: permits from the policy, for tests that call the backend as a given person.
//! - [`smtp_sink`]: an SMTP server on loopback that keeps what it accepts.
//! - [`generated`]: generated program data at scale (cohorts, matches, a year of messages), for
//!   the tests that need many matches and for the benchmarks (`tandem-bench`).
#![expect(
    clippy::expect_used,
    reason = "what tests share: a database or a permit it cannot make is the test's failure"
)]

pub mod db;
pub mod generated;
pub mod permits;
pub mod smtp_sink;

pub use db::{TestDb, each_engine, engines};
pub use smtp_sink::SmtpSink;
