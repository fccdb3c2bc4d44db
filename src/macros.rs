//! Macros shared by the feature modules.

/// Declares a closed set of codes with their locale keys and parser.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $code)),+ }
            }

            pub fn parse(input: &str) -> Result<Self, &'static str> {
                let input = input.trim();
                if input.is_empty() {
                    return Err("required");
                }
                Self::ALL.iter().copied().find(|v| v.code() == input).ok_or("unknown_choice")
            }
        }
    };
}
