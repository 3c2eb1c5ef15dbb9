//! `stored_text!`: enums for values Postgres keeps as text (states, sources, actions). Each known
//! value has its stored spelling and its words for people; a value this version does not know
//! (written by a newer OCM, or by hand) reads as `Other` with the stored text instead of failing,
//! so a page or an export never breaks on it. Filters parse only known values.

/// Declares a stored-text enum: `Variant = "stored" : "Words"`, plus `Other(String)`.
macro_rules! stored_text {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
            /// A stored value this version does not know, as stored.
            #[serde(untagged)]
            Other(String),
        }

        impl $name {
            /// Every known value, in the order forms offer them.
            pub fn all() -> Vec<$name> {
                vec![$($name::$variant),+]
            }

            /// The stored (and query-string) spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }

            /// Words for people; an unknown value shows as stored.
            pub fn label(&self) -> &str {
                match self {
                    $($name::$variant => $label,)+
                    $name::Other(text) => text,
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match text.as_str() {
                    $($text => $name::$variant,)+
                    _ => $name::Other(text),
                }
            }
        }

        /// Only known values parse (a filter on an unknown value is no filter).
        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(text: &str) -> Result<Self, ()> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
