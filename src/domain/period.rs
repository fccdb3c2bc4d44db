//! Reporting periods: a day, ISO week, month, quarter or year, parsed in the
//! forms people type (also Dutch `dd-mm-jjjj`) and stored as the number of
//! days from 1970-01-01 to the period's first day.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

/// How often an indicator is measured; each measurement covers one period.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Frequency {
    pub const ALL: [Frequency; 5] = [
        Frequency::Day,
        Frequency::Week,
        Frequency::Month,
        Frequency::Quarter,
        Frequency::Year,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Day => "day",
            Frequency::Week => "week",
            Frequency::Month => "month",
            Frequency::Quarter => "quarter",
            Frequency::Year => "year",
        }
    }

    /// The locale key of the frequency's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Frequency::Day => "frequency.day",
            Frequency::Week => "frequency.week",
            Frequency::Month => "frequency.month",
            Frequency::Quarter => "frequency.quarter",
            Frequency::Year => "frequency.year",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("required");
        }
        Self::ALL
            .into_iter()
            .find(|f| f.code() == input)
            .ok_or("unknown_choice")
    }
}

/// One period of a given frequency, identified by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    frequency: Frequency,
    start: Date,
}

const EPOCH: Date = time::macros::date!(1970 - 01 - 01);

impl Period {
    /// Parses what people type for a period of `frequency`:
    /// day `2026-11-27` or `27-11-2026`; week `2026-W48`; month `2026-11` or
    /// `11-2026`; quarter `2026-Q4` or `Q4 2026`; year `2026`.
    pub fn parse(frequency: Frequency, input: &str) -> Result<Self, &'static str> {
        let text = input.trim().to_ascii_uppercase();
        if text.is_empty() {
            return Err("required");
        }
        let start = match frequency {
            Frequency::Day => parse_day(&text)?,
            Frequency::Week => parse_week(&text)?,
            Frequency::Month => parse_month(&text)?,
            Frequency::Quarter => parse_quarter(&text)?,
            Frequency::Year => {
                let year = parse_year(&text)?;
                date(year, 1, 1)?
            }
        };
        Ok(Period { frequency, start })
    }

    /// The period that contains `day`.
    pub fn containing(frequency: Frequency, day: Date) -> Self {
        let start = match frequency {
            Frequency::Day => day,
            Frequency::Week => {
                day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
            }
            Frequency::Month => day.replace_day(1).unwrap_or(day),
            Frequency::Quarter => {
                let month = (u8::from(day.month()) - 1) / 3 * 3 + 1;
                Date::from_calendar_date(
                    day.year(),
                    Month::try_from(month).unwrap_or(Month::January),
                    1,
                )
                .unwrap_or(day)
            }
            Frequency::Year => {
                Date::from_calendar_date(day.year(), Month::January, 1).unwrap_or(day)
            }
        };
        Period { frequency, start }
    }

    /// Rebuilds a stored period.
    pub fn from_day_number(frequency: Frequency, days: i64) -> Self {
        Self::containing(frequency, EPOCH + Duration::days(days))
    }

    pub fn day_number(&self) -> i64 {
        (self.start - EPOCH).whole_days()
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn start(&self) -> Date {
        self.start
    }

    /// The first day after the period.
    pub fn end_exclusive(&self) -> Date {
        self.next().start
    }

    pub fn next(&self) -> Self {
        let start = self.start;
        let next = match self.frequency {
            Frequency::Day => start + Duration::days(1),
            Frequency::Week => start + Duration::days(7),
            Frequency::Month => add_months(start, 1),
            Frequency::Quarter => add_months(start, 3),
            Frequency::Year => add_months(start, 12),
        };
        Period {
            frequency: self.frequency,
            start: next,
        }
    }

    /// The canonical label: `2026-11-27`, `2026-W48`, `2026-11`, `2026-Q4`, `2026`.
    pub fn label(&self) -> String {
        let d = self.start;
        match self.frequency {
            Frequency::Day => format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
            Frequency::Week => {
                let (year, week, _) = d.to_iso_week_date();
                format!("{year:04}-W{week:02}")
            }
            Frequency::Month => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
            Frequency::Quarter => format!("{:04}-Q{}", d.year(), (u8::from(d.month()) - 1) / 3 + 1),
            Frequency::Year => format!("{:04}", d.year()),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

fn add_months(start: Date, months: i32) -> Date {
    let index = start.year() * 12 + i32::from(u8::from(start.month())) - 1 + months;
    let year = index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    Date::from_calendar_date(year, Month::try_from(month).unwrap_or(Month::January), 1)
        .unwrap_or(start)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("period_format");
    }
    text.parse().map_err(|_| "period_format")
}

fn parse_year(text: &str) -> Result<i32, &'static str> {
    if text.len() != 4 {
        return Err("period_format");
    }
    let year: i32 = number(text)?;
    if (1900..=2200).contains(&year) {
        Ok(year)
    } else {
        Err("period_invalid")
    }
}

fn date(year: i32, month: u8, day: u8) -> Result<Date, &'static str> {
    let month = Month::try_from(month).map_err(|_| "period_invalid")?;
    Date::from_calendar_date(year, month, day).map_err(|_| "period_invalid")
}

fn parse_day(text: &str) -> Result<Date, &'static str> {
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err("period_format");
    };
    if a.len() == 4 {
        date(parse_year(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 {
        date(parse_year(c)?, number(b)?, number(a)?)
    } else {
        Err("period_format")
    }
}

fn parse_week(text: &str) -> Result<Date, &'static str> {
    let Some((year, week)) = text.split_once("-W").or_else(|| text.split_once('W')) else {
        return Err("period_format");
    };
    let year = parse_year(year.trim_end_matches('-'))?;
    let week: u8 = number(week)?;
    Date::from_iso_week_date(year, week, Weekday::Monday).map_err(|_| "period_invalid")
}

fn parse_month(text: &str) -> Result<Date, &'static str> {
    let Some((a, b)) = text.split_once(['-', '/']) else {
        return Err("period_format");
    };
    if a.len() == 4 {
        date(parse_year(a)?, number(b)?, 1)
    } else if b.len() == 4 {
        date(parse_year(b)?, number(a)?, 1)
    } else {
        Err("period_format")
    }
}

fn parse_quarter(text: &str) -> Result<Date, &'static str> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (year, quarter) = if let Some(rest) = compact.strip_prefix('Q') {
        (rest.get(1..).unwrap_or(""), rest.get(..1).unwrap_or(""))
    } else if let Some((year, quarter)) = compact.split_once('Q') {
        (year, quarter)
    } else {
        return Err("period_format");
    };
    let year = parse_year(year)?;
    let quarter: u8 = number(quarter)?;
    if !(1..=4).contains(&quarter) {
        return Err("period_invalid");
    }
    date(year, (quarter - 1) * 3 + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_frequency_in_common_spellings() {
        let cases = [
            (Frequency::Day, "2026-11-27", "2026-11-27"),
            (Frequency::Day, "27-11-2026", "2026-11-27"),
            (Frequency::Day, "27/11/2026", "2026-11-27"),
            (Frequency::Week, "2026-W48", "2026-W48"),
            (Frequency::Week, "2026w01", "2026-W01"),
            (Frequency::Month, "2026-11", "2026-11"),
            (Frequency::Month, "11-2026", "2026-11"),
            (Frequency::Quarter, "2026-Q4", "2026-Q4"),
            (Frequency::Quarter, "Q4 2026", "2026-Q4"),
            (Frequency::Quarter, "2026q1", "2026-Q1"),
            (Frequency::Year, "2026", "2026"),
        ];
        for (frequency, input, label) in cases {
            let period = Period::parse(frequency, input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(period.label(), label, "{input}");
            let stored = Period::from_day_number(frequency, period.day_number());
            assert_eq!(stored, period, "round trip of {input}");
        }
    }

    #[test]
    fn refuses_wrong_shapes_and_impossible_dates() {
        assert_eq!(
            Period::parse(Frequency::Month, "2026-13"),
            Err("period_invalid")
        );
        assert_eq!(
            Period::parse(Frequency::Month, "2026-11-01"),
            Err("period_format")
        );
        assert_eq!(
            Period::parse(Frequency::Day, "2026-02-30"),
            Err("period_invalid")
        );
        assert_eq!(
            Period::parse(Frequency::Day, "2026-11"),
            Err("period_format")
        );
        assert_eq!(
            Period::parse(Frequency::Week, "2026-W54"),
            Err("period_invalid")
        );
        assert_eq!(
            Period::parse(Frequency::Quarter, "2026-Q5"),
            Err("period_invalid")
        );
        assert_eq!(Period::parse(Frequency::Year, "26"), Err("period_format"));
        assert_eq!(Period::parse(Frequency::Year, ""), Err("required"));
    }

    #[test]
    fn steps_to_the_next_period_across_year_ends() {
        let december = Period::parse(Frequency::Month, "2026-12").unwrap();
        assert_eq!(december.next().label(), "2027-01");
        let q4 = Period::parse(Frequency::Quarter, "2026-Q4").unwrap();
        assert_eq!(q4.next().label(), "2027-Q1");
        // 2025 has 52 ISO weeks, 2026 (starting on a Thursday) has 53.
        assert_eq!(
            Period::parse(Frequency::Week, "2025-W53"),
            Err("period_invalid")
        );
        let last_week = Period::parse(Frequency::Week, "2026-W53").unwrap();
        assert_eq!(last_week.next().label(), "2027-W01");
        let day = time::macros::date!(2026 - 11 - 27);
        assert_eq!(
            Period::containing(Frequency::Quarter, day).label(),
            "2026-Q4"
        );
        assert_eq!(Period::containing(Frequency::Week, day).label(), "2026-W48");
    }
}
