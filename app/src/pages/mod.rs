pub mod about;
pub mod account;
pub mod home;
pub mod info;
