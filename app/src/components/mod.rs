pub mod auth;
pub mod data;
pub mod disclosure;
pub mod enhance;
pub mod form;
pub mod form_post;
pub mod layout;
pub mod live;
