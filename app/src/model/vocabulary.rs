//! One place per vocabulary: each kind of state, role or kind is an enum whose wire name (what
//! the database stores, URLs carry and JSON spells) and label (what a person reads) are written
//! once, in the `vocabulary!` call that declares it. Queries bind the enum itself, pages show
//! `label()`, forms and filters go through `parse`. On the server each vocabulary is also a sqlx
//! type of the Any driver: it binds as its wire name and decodes from a TEXT column (through
//! `String`, which both engines hand back; sqlx's `&str` decoding panics on PostgreSQL's owned
//! text), so rows and tuples read it directly and an unknown stored word is a decoding error,
//! not a silent default.

/// A stored or submitted word that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{word}' is not a {vocabulary}")]
pub struct UnknownWord {
    pub vocabulary: &'static str,
    pub word: String,
}

/// Declares a vocabulary: `Variant = ("wire_name", "Label")`, in the order lists and filters
/// show them.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($wire:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
            serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant ),+
        }

        impl $name {
            /// Every word, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name: what is stored, bound in queries and sent in forms and URLs.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// What a person reads.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(word: &str) -> Option<$name> {
                match word { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// (wire name, label) for each word, the shape `<select>` options take.
            pub fn options() -> Vec<(String, String)> {
                Self::ALL
                    .iter()
                    .map(|w| (w.as_str().to_string(), w.label().to_string()))
                    .collect()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::vocabulary::UnknownWord;
            fn from_str(word: &str) -> Result<$name, Self::Err> {
                $name::parse(word).ok_or_else(|| $crate::model::vocabulary::UnknownWord {
                    vocabulary: $what,
                    word: word.to_string(),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::model::vocabulary::UnknownWord;
            fn try_from(word: String) -> Result<$name, Self::Error> {
                word.parse()
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<$name, sqlx::error::BoxDynError> {
                let word = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(word.parse::<$name>()?)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str(), buf)
            }
        }
    };
}

pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    vocabulary! {
        pub enum Colour as "colour" {
            Red = ("red", "Red"),
            SkyBlue = ("sky_blue", "Sky blue"),
        }
    }

    #[test]
    fn a_word_round_trips_through_its_wire_name_and_json() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Colour>(&json).unwrap(), *c);
        }
        assert_eq!(Colour::SkyBlue.label(), "Sky blue");
        assert_eq!(
            Colour::options(),
            vec![
                ("red".to_string(), "Red".to_string()),
                ("sky_blue".to_string(), "Sky blue".to_string())
            ]
        );
        let err = Colour::try_from("green".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "'green' is not a colour");
    }
}
