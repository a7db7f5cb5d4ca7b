//! What the whole program shares: the Mentoring Forum, Program News and resources.

pub mod forum;
pub mod news;
pub mod resources;
