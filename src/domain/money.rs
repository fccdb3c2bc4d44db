//! Money as a whole number of euro cents, so totals are exact: never a
//! floating-point amount. Parsed from what people type (Dutch and English
//! notation) and written as a plain decimal string in the API.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    cents: i64,
}

/// The largest amount accepted: a trillion euro, far beyond any budget,
/// so that sums of many amounts cannot overflow.
const MAX_CENTS: i64 = 100_000_000_000_000;

impl Money {
    pub const ZERO: Money = Money { cents: 0 };

    pub fn from_cents(cents: i64) -> Money {
        Money { cents }
    }

    pub fn cents(self) -> i64 {
        self.cents
    }

    pub fn is_positive(self) -> bool {
        self.cents > 0
    }

    /// Reads `1500000`, `1.500.000`, `1.500.000,50`, `1,500,000.50`,
    /// `1500000.5`, `€ 12,50`. At most two decimals; no sign.
    pub fn parse(input: &str) -> Result<Money, &'static str> {
        let text: String = input
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{a0}')
            .collect();
        if text.is_empty() {
            return Err("required");
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err("money");
        }
        let (whole, fraction) = split_decimal(&text).ok_or("money")?;
        if whole.is_empty() || fraction.len() > 2 {
            return Err("money");
        }
        let whole: i64 = whole.parse().map_err(|_| "money")?;
        let fraction: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| "money")? * 10,
            _ => fraction.parse().map_err(|_| "money")?,
        };
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(fraction))
            .filter(|c| *c <= MAX_CENTS)
            .ok_or("out_of_bounds")?;
        Ok(Money { cents })
    }

    /// `1234.50`: what the API writes.
    pub fn to_plain(self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `€ 1.234,50` in Dutch, `€ 1,234.50` in English; whole euros without
    /// decimals.
    pub fn display(self, dutch: bool) -> String {
        let (group, decimal) = if dutch { ('.', ',') } else { (',', '.') };
        let abs = self.cents.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(group);
            }
            grouped.push(digit);
        }
        let sign = if self.cents < 0 { "-" } else { "" };
        if abs.is_multiple_of(100) {
            format!("€ {sign}{grouped}")
        } else {
            format!("€ {sign}{grouped}{decimal}{:02}", abs % 100)
        }
    }
}

/// Splits at the decimal separator. With both `.` and `,` the last one is
/// the decimal separator; with one kind used once and followed by one or
/// two digits it is decimal; otherwise it groups thousands (groups of 3).
fn split_decimal(text: &str) -> Option<(String, String)> {
    let last_dot = text.rfind('.');
    let last_comma = text.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let mark = text.as_bytes()[p];
            let count = text.bytes().filter(|b| *b == mark).count();
            let after = text.len() - p - 1;
            (count == 1 && after <= 2).then_some(p)
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal_at {
        Some(p) => (&text[..p], &text[p + 1..]),
        None => (text, ""),
    };
    if fraction.contains(['.', ',']) {
        return None;
    }
    // Thousands separators must make groups of three.
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    if groups.len() > 1
        && (groups[0].is_empty()
            || groups[0].starts_with('0')
            || groups[0].len() > 3
            || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    Some((groups.concat(), fraction.to_owned()))
}

impl std::ops::Add for Money {
    type Output = Money;

    fn add(self, other: Money) -> Money {
        Money {
            cents: self.cents.saturating_add(other.cents),
        }
    }
}

impl std::ops::Sub for Money {
    type Output = Money;

    fn sub(self, other: Money) -> Money {
        Money {
            cents: self.cents.saturating_sub(other.cents),
        }
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_plain())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^[0-9]{1,12}(\.[0-9]{1,2})?$"))
            .description(Some(
                "An amount in euro as a decimal string, e.g. \"1500000.00\"",
            ))
            .examples(["250000.00"])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn reads_dutch_and_english_notation_exactly() {
        let cents = |s: &str| Money::parse(s).map(Money::cents);
        assert_eq!(cents("1500000"), Ok(150_000_000));
        assert_eq!(cents("1.500.000"), Ok(150_000_000));
        assert_eq!(cents("1.500.000,50"), Ok(150_000_050));
        assert_eq!(cents("1,500,000.50"), Ok(150_000_050));
        assert_eq!(cents("€ 12,5"), Ok(1_250));
        assert_eq!(cents("0.10"), Ok(10));
        assert_eq!(
            cents("1.500"),
            Ok(150_000),
            "one point and three digits groups thousands"
        );
        assert_eq!(cents("12.34"), Ok(1_234));
        assert_eq!(cents(""), Err("required"));
        assert_eq!(cents("-5"), Err("money"));
        assert_eq!(cents("1,2,3"), Err("money"));
        assert_eq!(cents("12.345,678"), Err("money"));
        assert_eq!(
            cents("0,001"),
            Err("money"),
            "three decimals, not a thousand"
        );
        assert_eq!(cents("99999999999999"), Err("out_of_bounds"));
    }

    #[test]
    fn sums_are_exact_and_shown_per_language() {
        let total: Money = ["0.10", "0.20", "0.30"]
            .iter()
            .map(|s| Money::parse(s).unwrap())
            .sum();
        assert_eq!(total.to_plain(), "0.60");
        let big = Money::parse("1234567,89").unwrap();
        assert_eq!(big.display(true), "€ 1.234.567,89");
        assert_eq!(big.display(false), "€ 1,234,567.89");
        assert_eq!(Money::from_cents(25_000_000).display(true), "€ 250.000");
    }
}
