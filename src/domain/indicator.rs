//! The vocabulary of indicator definitions.

use serde::{Deserialize, Serialize};

/// An indicator's code: unique per organisation, upper-case letters, digits,
/// `_`, `-` and `.`, starting with a letter or digit, at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct IndicatorCode(String);

impl IndicatorCode {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = input.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err("required");
        }
        if value.len() > 40 {
            return Err("too_long");
        }
        let first_ok = value
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric());
        let all_ok = value.bytes().all(|b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.')
        });
        if first_ok && all_ok {
            Ok(Self(value))
        } else {
            Err("indicator_code")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident ($prefix:literal) { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The locale key of the value's name.
            pub fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($prefix, ".", $code)),+
                }
            }

            pub fn parse(input: &str) -> Result<Self, &'static str> {
                let input = input.trim();
                if input.is_empty() {
                    return Err("required");
                }
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.code() == input)
                    .ok_or("unknown_choice")
            }
        }
    };
}

code_enum!(
    /// Whose experience the indicator measures.
    Perspective ("perspective") {
        Resident => "resident",
        Business => "business",
        Employee => "employee",
        Organisation => "organisation",
    }
);

code_enum!(
    /// What the values are.
    ValueUnit ("value_unit") {
        Percentage => "percentage",
        Count => "count",
        Days => "days",
        Euro => "euro",
        Score => "score",
    }
);

code_enum!(
    /// Which way is better.
    Direction ("direction") {
        HigherIsBetter => "higher_is_better",
        LowerIsBetter => "lower_is_better",
        WithinRange => "within_range",
    }
);

code_enum!(
    /// How values of shorter periods combine into a longer one.
    Aggregation ("aggregation") {
        Sum => "sum",
        Mean => "mean",
        Last => "last",
    }
);

impl ValueUnit {
    /// The bounds every value of this unit must respect, before an
    /// indicator narrows them.
    pub fn natural_bounds(self) -> (Option<f64>, Option<f64>) {
        match self {
            ValueUnit::Percentage => (Some(0.0), Some(100.0)),
            ValueUnit::Count | ValueUnit::Days => (Some(0.0), None),
            ValueUnit::Euro | ValueUnit::Score => (None, None),
        }
    }

    /// How values of this unit usually combine over time.
    pub fn default_aggregation(self) -> Aggregation {
        match self {
            ValueUnit::Count | ValueUnit::Euro => Aggregation::Sum,
            ValueUnit::Percentage | ValueUnit::Days | ValueUnit::Score => Aggregation::Mean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_checked() {
        assert_eq!(
            IndicatorCode::parse(" kcc-fcr ").unwrap().as_str(),
            "KCC-FCR"
        );
        assert_eq!(
            IndicatorCode::parse("WEB.SUCCESS_1").unwrap().as_str(),
            "WEB.SUCCESS_1"
        );
        assert_eq!(IndicatorCode::parse("").err(), Some("required"));
        assert_eq!(IndicatorCode::parse("-X").err(), Some("indicator_code"));
        assert_eq!(IndicatorCode::parse("A B").err(), Some("indicator_code"));
        assert_eq!(
            IndicatorCode::parse(&"A".repeat(41)).err(),
            Some("too_long")
        );
    }

    #[test]
    fn enums_round_trip_their_codes() {
        for unit in ValueUnit::ALL {
            assert_eq!(ValueUnit::parse(unit.code()), Ok(*unit));
        }
        assert_eq!(Direction::parse("within_range"), Ok(Direction::WithinRange));
        assert_eq!(Direction::parse("up"), Err("unknown_choice"));
        assert_eq!(
            ValueUnit::Percentage.natural_bounds(),
            (Some(0.0), Some(100.0))
        );
    }
}
