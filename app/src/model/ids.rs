//! Typed ids: a match's id is a `MatchId`, a person's a `UserId`, so a function that takes both
//! cannot be handed them the wrong way round. Each is an `i64` underneath and transparent on
//! the wire and in the database: serde writes the bare number (URLs, forms and JSON are
//! unchanged) and sqlx binds and decodes it as the `i64` column it is, through the Any driver
//! on both engines (`app/tests/it/ids.rs` checks that before anything relied on it).

use serde::{Deserialize, Serialize};

/// Declares id types: `pub struct MatchId;`.
macro_rules! ids {
    ($( $(#[$meta:meta])* pub struct $name:ident; )+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize,
            Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl $name {
            /// The number underneath, for the places that need one (URLs, sorting keys).
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )+};
}

ids! {
    /// A person's account (`users.id`).
    pub struct UserId;
    /// A match between a mentor and a mentee (`matches.id`).
    pub struct MatchId;
    /// A cohort, one program year (`cohorts.id`).
    pub struct CohortId;
}
