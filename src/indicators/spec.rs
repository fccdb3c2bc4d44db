//! Turning indicator, measurement and target input into validated specs.
//! Every failing field is reported at once.

use super::{Indicator, IndicatorInput, MeasurementInput, TargetInput};
use crate::domain::{
    Aggregation, Direction, Frequency, IndicatorCode, Name, Period, Perspective, UnitId, UserId,
    Validator, ValueUnit,
};

const DESCRIPTION_MAX: usize = 2000;
const SOURCE_MAX: usize = 500;
const NOTE_MAX: usize = 2000;

/// A complete, validated indicator definition.
#[derive(Debug, Clone)]
pub struct IndicatorSpec {
    pub code: IndicatorCode,
    pub name: Name,
    pub description: String,
    pub perspective: Perspective,
    pub unit: ValueUnit,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub direction: Direction,
    pub range: Option<(f64, f64)>,
    pub frequency: Frequency,
    pub aggregation: Aggregation,
    pub baseline: Option<(f64, Period)>,
    pub owner: Option<UserId>,
    pub responsible_unit: Option<UnitId>,
    pub data_source: String,
    pub published: bool,
    pub dimensions: Vec<super::Dimension>,
    /// The formula as written; its references are checked by the service.
    pub formula: Option<String>,
    /// On a change: the version the caller read, if they said.
    pub expected_version: Option<i64>,
}

/// A validated measurement.
#[derive(Debug, Clone)]
pub struct MeasurementSpec {
    pub period: Period,
    /// Empty for the total, else `name=value` (see `dimensions::key`).
    pub dimension_key: String,
    pub value: f64,
    pub note: String,
}

/// A validated target.
#[derive(Debug, Clone)]
pub struct TargetSpec {
    pub day: Period,
    pub value: f64,
    pub reason: String,
}

pub fn effective_bounds(
    unit: ValueUnit,
    min: Option<f64>,
    max: Option<f64>,
) -> (Option<f64>, Option<f64>) {
    let (natural_min, natural_max) = unit.natural_bounds();
    let low = match (natural_min, min) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let high = match (natural_max, max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (low, high)
}

fn within(value: f64, (low, high): (Option<f64>, Option<f64>)) -> bool {
    value.is_finite() && low.is_none_or(|l| value >= l) && high.is_none_or(|h| value <= h)
}

fn text(v: &mut Validator, field: &str, value: &str, max: usize) -> String {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        v.add(field, "too_long");
    }
    trimmed.to_owned()
}

/// Overlays `input` on `existing` (an update) or on nothing (a create) and
/// validates the result. Members and units are checked by the service.
pub fn indicator_spec(
    input: &IndicatorInput,
    existing: Option<&Indicator>,
) -> crate::Result<IndicatorSpec> {
    let mut v = Validator::new();
    let pick = |new: &Option<String>, old: Option<&str>| {
        new.clone()
            .or_else(|| old.map(str::to_owned))
            .unwrap_or_default()
    };

    let code = match (existing, &input.code) {
        (Some(old), Some(new)) if !new.trim().eq_ignore_ascii_case(&old.code) => {
            v.add("code", "immutable");
            None
        }
        (Some(old), _) => IndicatorCode::parse(&old.code).ok(),
        (None, code) => v.check("code", IndicatorCode::parse(code.as_deref().unwrap_or(""))),
    };
    let name = v.check(
        "name",
        Name::parse(&pick(&input.name, existing.map(|e| e.name.as_str()))),
    );
    let description = text(
        &mut v,
        "description",
        &pick(&input.description, existing.map(|e| e.description.as_str())),
        DESCRIPTION_MAX,
    );
    let data_source = text(
        &mut v,
        "data_source",
        &pick(&input.data_source, existing.map(|e| e.data_source.as_str())),
        SOURCE_MAX,
    );
    let perspective = match (&input.perspective, existing) {
        (Some(p), _) => v.check("perspective", Perspective::parse(p)),
        (None, Some(old)) => Some(old.perspective),
        (None, None) => Some(Perspective::Resident),
    };
    let unit = match (existing, &input.unit) {
        (Some(old), Some(new)) if new.trim() != old.unit.code() => {
            v.add("unit", "immutable");
            None
        }
        (Some(old), _) => Some(old.unit),
        (None, unit) => v.check("unit", ValueUnit::parse(unit.as_deref().unwrap_or(""))),
    };
    let frequency = match (existing, &input.frequency) {
        (Some(old), Some(new)) if new.trim() != old.frequency.code() => {
            v.add("frequency", "immutable");
            None
        }
        (Some(old), _) => Some(old.frequency),
        (None, frequency) => v.check(
            "frequency",
            Frequency::parse(frequency.as_deref().unwrap_or("")),
        ),
    };
    let direction = match (&input.direction, existing) {
        (Some(d), _) => v.check("direction", Direction::parse(d)),
        (None, Some(old)) => Some(old.direction),
        (None, None) => v.check("direction", Direction::parse("")),
    };
    let aggregation = match (&input.aggregation, existing) {
        (Some(a), _) => v.check("aggregation", Aggregation::parse(a)),
        (None, Some(old)) => Some(old.aggregation),
        (None, None) => unit.map(ValueUnit::default_aggregation),
    };
    let overlay = |new: Option<Option<f64>>, old: Option<f64>| new.unwrap_or(old);
    let min_value = overlay(input.min_value, existing.and_then(|e| e.min_value));
    let max_value = overlay(input.max_value, existing.and_then(|e| e.max_value));
    let range_low = overlay(input.range_low, existing.and_then(|e| e.range_low));
    let range_high = overlay(input.range_high, existing.and_then(|e| e.range_high));
    let baseline_value = overlay(
        input.baseline_value,
        existing.and_then(|e| e.baseline_value),
    );
    let baseline_period = input
        .baseline_period
        .clone()
        .unwrap_or_else(|| existing.and_then(|e| e.baseline_period.clone()));

    let mut bounds = (None, None);
    if let Some(unit) = unit {
        let natural = unit.natural_bounds();
        if min_value.is_some_and(|min| !within(min, natural)) {
            v.add("min_value", "out_of_bounds");
        }
        if max_value.is_some_and(|max| !within(max, natural)) {
            v.add("max_value", "out_of_bounds");
        }
        if min_value
            .zip(max_value)
            .is_some_and(|(min, max)| min >= max)
        {
            v.add("max_value", "max_not_above_min");
        }
        bounds = effective_bounds(unit, min_value, max_value);
    }

    let range = match direction {
        Some(Direction::WithinRange) => match (range_low, range_high) {
            (Some(low), Some(high))
                if low < high && within(low, bounds) && within(high, bounds) =>
            {
                Some((low, high))
            }
            (Some(_), Some(_)) => {
                v.add("range_high", "range_invalid");
                None
            }
            (low, high) => {
                if low.is_none() {
                    v.add("range_low", "required");
                }
                if high.is_none() {
                    v.add("range_high", "required");
                }
                None
            }
        },
        _ => None,
    };

    let baseline = match (
        baseline_value,
        baseline_period
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty()),
    ) {
        (None, None) => None,
        (Some(value), Some(period)) => {
            if !within(value, bounds) {
                v.add("baseline_value", "out_of_bounds");
            }
            let period =
                frequency.and_then(|f| v.check("baseline_period", Period::parse(f, period)));
            period.map(|p| (value, p))
        }
        (None, Some(_)) => {
            v.add("baseline_value", "required");
            None
        }
        (Some(_), None) => {
            v.add("baseline_period", "required");
            None
        }
    };

    let owner = input
        .owner_id
        .unwrap_or_else(|| existing.and_then(|e| e.owner_id.map(|u| u.0)))
        .map(UserId);
    let responsible_unit = input
        .responsible_unit_id
        .unwrap_or_else(|| existing.and_then(|e| e.responsible_unit_id.map(|u| u.0)))
        .map(UnitId);

    let published = input
        .published
        .or(existing.map(|e| e.published))
        .unwrap_or(false);
    let dimensions = match (&input.dimensions, existing) {
        (Some(given), _) => super::dimensions::check(&mut v, given),
        (None, Some(old)) => old.dimensions.clone(),
        (None, None) => Vec::new(),
    };
    let formula_text = input
        .formula
        .clone()
        .unwrap_or_else(|| existing.and_then(|e| e.formula.clone()))
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty());
    if let Some(text) = &formula_text {
        if let Err(code) = super::formula::Formula::parse(text) {
            v.add("formula", code);
        } else if !dimensions.is_empty() {
            v.add("formula", "formula_with_dimensions");
        }
    }

    let fields = (|| {
        Some(IndicatorSpec {
            code: code?,
            name: name?,
            description,
            perspective: perspective?,
            unit: unit?,
            min_value,
            max_value,
            direction: direction?,
            range,
            frequency: frequency?,
            aggregation: aggregation?,
            baseline,
            owner,
            responsible_unit,
            data_source,
            published,
            dimensions,
            formula: formula_text,
            expected_version: input.version,
        })
    })();
    v.finish(fields)
}

/// Validates one measurement against its indicator; `prefix` names the
/// field in batch errors (`measurements[3].`).
pub fn measurement_spec(
    v: &mut Validator,
    indicator: &Indicator,
    input: &MeasurementInput,
    prefix: &str,
) -> Option<MeasurementSpec> {
    let period = v.check(
        &format!("{prefix}period"),
        Period::parse(indicator.frequency, input.period.as_deref().unwrap_or("")),
    );
    let value = match input.value {
        None => {
            v.add(&format!("{prefix}value"), "required");
            None
        }
        Some(value) if !within(value, indicator.bounds()) => {
            v.add(&format!("{prefix}value"), "out_of_bounds");
            None
        }
        Some(value) => Some(value),
    };
    let note = text(
        v,
        &format!("{prefix}note"),
        input.note.as_deref().unwrap_or(""),
        NOTE_MAX,
    );
    if indicator.formula.is_some() {
        v.add(&format!("{prefix}value"), "computed_indicator");
        return None;
    }
    let dimension_key = match super::dimensions::key(
        &indicator.dimensions,
        input
            .dimensions
            .as_ref()
            .unwrap_or(&std::collections::BTreeMap::new()),
    ) {
        Ok(key) => Some(key),
        Err((name, code)) => {
            v.add(&format!("{prefix}dimensions.{name}"), code);
            None
        }
    };
    Some(MeasurementSpec {
        period: period?,
        dimension_key: dimension_key?,
        value: value?,
        note,
    })
}

pub fn target_spec(indicator: &Indicator, input: &TargetInput) -> crate::Result<TargetSpec> {
    let mut v = Validator::new();
    let day = v.check(
        "date",
        Period::parse(Frequency::Day, input.date.as_deref().unwrap_or("")),
    );
    let value = match input.value {
        None => {
            v.add("value", "required");
            None
        }
        Some(value) if !within(value, indicator.bounds()) => {
            v.add("value", "out_of_bounds");
            None
        }
        Some(value) => Some(value),
    };
    let reason = text(
        &mut v,
        "reason",
        input.reason.as_deref().unwrap_or(""),
        1000,
    );
    let spec = day
        .zip(value)
        .map(|(day, value)| TargetSpec { day, value, reason });
    v.finish(spec)
}
