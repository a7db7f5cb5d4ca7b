//! Server functions: the only door from the browser to data. Each one asks the policy layer
//! first and then calls into `backend`.

pub mod account;
pub mod home;
