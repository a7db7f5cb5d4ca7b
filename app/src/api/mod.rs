//! Server functions: the only door from the browser to data. Each one asks the policy layer
//! first and then calls into `backend`. Arguments travel as JSON (`input = Json`): the client
//! already carries serde_json for results, so no second codec ships in the WASM bundle.

pub mod account;
pub mod applications;
pub mod apply;
pub mod audit;
pub mod chat;
pub mod cohorts;
pub mod dashboard;
pub mod forum;
pub mod home;
pub mod match_admin;
pub mod match_table;
pub mod match_work;
pub mod matching;
pub mod news;
pub mod resources;
pub mod second_factor;
