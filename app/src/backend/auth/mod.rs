//! Who someone is and what they may do: the one rulebook (`policy`), sign-in and password rules,
//! sessions, password hashing and resets, the sign-in throttle, and the users table.

pub mod devices;
pub mod passwords;
pub mod pending_sign_ins;
pub mod policy;
pub mod rate_limit;
pub mod resets;
pub mod second_factor;
pub mod security_events;
pub mod sessions;
pub mod sign_in;
pub mod users;
