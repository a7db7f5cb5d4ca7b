pub mod auth;
pub mod disclosure;
pub mod form;
pub mod layout;
