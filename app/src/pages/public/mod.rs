//! What a visitor can open: the program's pages, Apply, the unsubscribe page, and the notices
//! every page shares (not found, please sign in).

pub mod about;
pub mod apply;
pub mod info;
pub mod unsubscribe;
