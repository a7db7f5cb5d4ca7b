pub mod about;
pub mod account;
pub mod apply;
pub mod coordinator;
pub mod home;
pub mod info;
