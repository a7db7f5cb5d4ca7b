//! Demo data for `tandem seed-demo` and `serve --demo`: a program year in progress and its
//! community.

pub mod community;
pub mod demo;
