//! Demo data for `tandem seed-demo` and `serve --demo`: a program year in progress and its
//! community; and `rows`, the one way every seeder (demo, benchmarks, tests) writes cohorts,
//! people, applications and matches.

pub mod community;
pub mod demo;
pub mod rows;
