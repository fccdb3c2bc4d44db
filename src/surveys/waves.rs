//! Waves: one version of an instrument asked to the employees of some
//! units between two dates, with one-time invitation links. What a wave
//! keeps is split on purpose: invitations know who was asked and whether
//! they answered; responses know the answers and the respondent's unit,
//! and nothing else — no user, no token, no time.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{InstrumentId, Name, UnitId, Validator, WaveId};

/// Where a wave stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaveStatus {
    Planned,
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Wave {
    pub id: WaveId,
    pub instrument_id: InstrumentId,
    /// The version of the instrument the wave asks.
    pub version: i64,
    pub name: String,
    /// `YYYY-MM-DD`, the first day answers are taken.
    pub opens_on: String,
    /// `YYYY-MM-DD`, the last day answers are taken.
    pub closes_on: String,
    /// The units asked, each with the units below it; empty for the whole
    /// organisation.
    pub unit_ids: Vec<UnitId>,
    pub status: WaveStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct WaveInput {
    /// Required. The wave asks the instrument's version in use today.
    #[schema(nullable = false)]
    pub instrument_id: Option<i64>,
    /// 1–200 characters, unique. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// `YYYY-MM-DD`. Required.
    #[schema(nullable = false)]
    pub opens_on: Option<String>,
    /// `YYYY-MM-DD`, on or after `opens_on`. Required.
    #[schema(nullable = false)]
    pub closes_on: Option<String>,
    /// The units to ask (with the units below them); empty or left out
    /// for the whole organisation.
    #[schema(nullable = false)]
    pub unit_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone)]
pub struct WaveSpec {
    pub instrument_id: InstrumentId,
    pub name: Name,
    pub opens_on: i64,
    pub closes_on: i64,
    pub unit_ids: Vec<UnitId>,
}

pub fn wave_spec(input: &WaveInput) -> crate::Result<WaveSpec> {
    let mut v = Validator::new();
    if input.instrument_id.is_none() {
        v.add("instrument_id", "required");
    }
    let name = v.check("name", Name::parse(input.name.as_deref().unwrap_or("")));
    let opens_on = v.day("opens_on", input.opens_on.as_deref().unwrap_or(""));
    let closes_on = v.day("closes_on", input.closes_on.as_deref().unwrap_or(""));
    if let (Some(opens), Some(closes)) = (opens_on, closes_on)
        && closes < opens
    {
        v.add("closes_on", "ends_before_start");
    }
    let mut unit_ids: Vec<UnitId> = input
        .unit_ids
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .copied()
        .map(UnitId)
        .collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let fields = input.instrument_id.zip(name).zip(opens_on).zip(closes_on);
    v.finish(
        fields.map(|(((instrument, name), opens_on), closes_on)| WaveSpec {
            instrument_id: InstrumentId(instrument),
            name,
            opens_on,
            closes_on,
            unit_ids,
        }),
    )
}

/// How many of a unit's invitees answered.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitRate {
    /// Absent for employees without a unit.
    pub unit_id: Option<UnitId>,
    pub invited: i64,
    pub answered: i64,
}

/// The live response rate of a wave, overall and per unit invited.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub invited: i64,
    pub answered: i64,
    /// Answered ÷ invited, 0 when nobody is invited yet.
    pub rate: f64,
    pub units: Vec<UnitRate>,
}

impl Progress {
    pub fn of(units: Vec<UnitRate>) -> Progress {
        let invited = units.iter().map(|u| u.invited).sum();
        let answered = units.iter().map(|u| u.answered).sum();
        #[allow(clippy::cast_precision_loss)]
        let rate = if invited > 0 {
            answered as f64 / invited as f64
        } else {
            0.0
        };
        Progress {
            invited,
            answered,
            rate,
            units,
        }
    }
}

/// One answer as the respondent gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSpec {
    pub item_id: crate::domain::SurveyItemId,
    /// The item's dimension, for the result sums.
    pub dimension: String,
    pub score: Option<i64>,
    pub text: Option<String>,
}

pub const OPEN_ANSWER_MAX: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wave_needs_its_fields_and_closes_after_it_opens() {
        let Err(crate::Error::Invalid(errors)) = wave_spec(&WaveInput::default()) else {
            panic!("an empty wave must be refused")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["instrument_id", "name", "opens_on", "closes_on"]);
        let backwards = WaveInput {
            instrument_id: Some(1),
            name: Some("Peiling".into()),
            opens_on: Some("2026-12-10".into()),
            closes_on: Some("2026-12-01".into()),
            unit_ids: Some(vec![3, 2, 3]),
        };
        let Err(crate::Error::Invalid(errors)) = wave_spec(&backwards) else {
            panic!("a wave that closes before it opens must be refused")
        };
        assert_eq!(errors[0].code, "ends_before_start");
        let fine = WaveInput {
            closes_on: Some("2026-12-20".into()),
            ..backwards
        };
        assert_eq!(wave_spec(&fine).unwrap().unit_ids, [UnitId(2), UnitId(3)]);
    }

    #[test]
    fn the_rate_is_answered_over_invited() {
        let progress = Progress::of(vec![
            UnitRate {
                unit_id: Some(UnitId(1)),
                invited: 6,
                answered: 3,
            },
            UnitRate {
                unit_id: None,
                invited: 2,
                answered: 1,
            },
        ]);
        assert_eq!((progress.invited, progress.answered), (8, 4));
        assert_eq!(progress.rate, 0.5);
        assert_eq!(Progress::of(Vec::new()).rate, 0.0);
    }
}
