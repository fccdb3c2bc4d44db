//! From an indicator's series and an initiative's go-live to an effect
//! estimate the pages and the API show: the series laid on its periods,
//! the estimator's answer (or its refusal), the effect per euro spent, and
//! the warnings a reader needs before acting on it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Frequency, IndicatorId, InitiativeId, Money, Period};

code_enum!(
    /// Something the reader should weigh before acting on an estimate:
    /// another initiative on the same indicator went live close to this
    /// one (the estimate mixes their effects); few periods after go-live
    /// (the interval is wide and will narrow); outlying measurements
    /// before go-live were left out of the fit; the indicator moved
    /// clearly against the expected direction; the comparison series
    /// itself left its own course at go-live (something else happened to
    /// both, or the initiative reached it too); the comparison series
    /// misses measurements where the indicator has them, so it was left
    /// out.
    EffectWarning, "effect_warning", {
        OtherGoLive => "other_go_live",
        FewPostPeriods => "few_post_periods",
        OutliersSetAside => "outliers_set_aside",
        AgainstExpectation => "against_expectation",
        ControlMoved => "control_moved",
        ControlIncomplete => "control_incomplete",
    }
);

/// A value with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Range {
    pub estimate: f64,
    pub lo95: f64,
    pub hi95: f64,
}

impl From<koers_effects::Interval> for Range {
    fn from(i: koers_effects::Interval) -> Self {
        Range {
            estimate: i.estimate,
            lo95: i.lo95,
            hi95: i.hi95,
        }
    }
}

impl Range {
    pub fn excludes_zero(&self) -> bool {
        self.lo95 > 0.0 || self.hi95 < 0.0
    }
}

/// One period of the analysis window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EffectPoint {
    /// The period's label, e.g. `2026-03` or `2026-W11`.
    pub period: String,
    pub observed: Option<f64>,
    /// After go-live: the value expected without the initiative.
    pub expected: Option<Range>,
}

/// The estimate of one initiative's effect on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EffectEstimate {
    pub initiative_id: InitiativeId,
    pub indicator_id: IndicatorId,
    /// `YYYY-MM-DD`.
    pub go_live_on: String,
    /// Why there is no estimate (a stable code), when there is none.
    pub refusal: Option<String>,
    /// Mean effect per period after go-live, in the indicator's unit.
    pub average: Option<Range>,
    /// Sum of the effects over the periods after go-live.
    pub cumulative: Option<Range>,
    /// The average relative to the expected level (0.1 = 10%).
    pub relative: Option<Range>,
    /// One minus the two-sided p-value.
    pub probability_nonzero: Option<f64>,
    pub pre_periods: usize,
    pub post_periods: usize,
    pub seasonal: bool,
    pub autocorrelation: Option<f64>,
    /// The comparison series chosen for this pair, if any.
    #[serde(default)]
    pub control_indicator_id: Option<IndicatorId>,
    /// Whether the comparison series entered the model (one that did not
    /// move before go-live cannot help and is left out).
    #[serde(default)]
    pub used_control: bool,
    /// Spend on the initiative to date (all sources).
    #[schema(value_type = String)]
    pub spent: Money,
    /// The cumulative effect per 1,000 euro spent.
    pub per_thousand_euro: Option<Range>,
    pub warnings: Vec<EffectWarning>,
    pub points: Vec<EffectPoint>,
}

/// What the assessment needs besides the series.
pub struct Context {
    pub initiative_id: InitiativeId,
    pub indicator_id: IndicatorId,
    pub frequency: Frequency,
    /// Day number of go-live.
    pub go_live: i64,
    pub go_live_on: String,
    /// Go-live days of other initiatives linked to the same indicator.
    pub other_go_lives: Vec<i64>,
    pub spent: Money,
    /// +1 when the initiative should raise the indicator, −1 lower it.
    pub expected_sign: f64,
    /// The comparison series chosen for this pair, if any.
    pub control_indicator_id: Option<IndicatorId>,
}

fn refused(context: &Context, code: &str, points: Vec<EffectPoint>) -> EffectEstimate {
    EffectEstimate {
        initiative_id: context.initiative_id,
        indicator_id: context.indicator_id,
        go_live_on: context.go_live_on.clone(),
        refusal: Some(code.to_owned()),
        average: None,
        cumulative: None,
        relative: None,
        probability_nonzero: None,
        pre_periods: 0,
        post_periods: 0,
        seasonal: false,
        autocorrelation: None,
        control_indicator_id: context.control_indicator_id,
        used_control: false,
        spent: context.spent,
        per_thousand_euro: None,
        warnings: Vec::new(),
        points,
    }
}

/// Periods after go-live below which the reader is warned.
const FEW_POST_PERIODS: usize = 3;
/// How close (in periods before go-live) another go-live must be to warn.
const NEARBY_PERIODS: usize = 6;

/// Share of the indicator's measured periods before go-live the comparison
/// series may miss.
const COMPARISON_MAY_MISS: f64 = 0.1;

/// Whether the comparison series is there where the indicator is: the
/// model needs both in a period, so every gap in the comparison series
/// would drop one of the indicator's own measurements. After go-live it
/// may miss none; before, a tenth at most.
fn comparison_complete(
    series: &[Option<f64>],
    control: &[Option<f64>],
    intervention: usize,
) -> bool {
    let missing = |range: std::ops::Range<usize>| -> (usize, usize) {
        let measured = series[range.clone()].iter().filter(|v| v.is_some()).count();
        let missed = series[range.clone()]
            .iter()
            .zip(&control[range])
            .filter(|(v, c)| v.is_some() && c.is_none())
            .count();
        (missed, measured)
    };
    let split = intervention.min(series.len());
    let (missed_before, measured_before) = missing(0..split);
    let (missed_after, _) = missing(split..series.len());
    missed_after == 0 && missed_before as f64 <= COMPARISON_MAY_MISS * measured_before as f64
}

/// Whether the comparison series left its own course at go-live: its own
/// estimate, as if the initiative had acted on it, shows an effect.
fn control_moved(
    control: &[Option<f64>],
    intervention: usize,
    frequency: koers_effects::Frequency,
) -> bool {
    let input = koers_effects::Input {
        values: control.to_vec(),
        control: None,
        intervention,
        frequency,
    };
    koers_effects::estimate(&input, koers_effects::Method::Structural)
        .is_ok_and(|found| found.average.excludes_zero())
}

/// Estimates the effect from the series `values` (periods with a value,
/// in order), beside the comparison series `control` when one was chosen.
pub fn assess(
    context: &Context,
    values: &[(Period, f64)],
    control: Option<&[(Period, f64)]>,
) -> EffectEstimate {
    let frequency = match context.frequency {
        Frequency::Week => koers_effects::Frequency::Week,
        Frequency::Month => koers_effects::Frequency::Month,
        _ => return refused(context, "frequency_unsupported", Vec::new()),
    };
    let Some((first, _)) = values.first() else {
        return refused(context, "no_measurements", Vec::new());
    };
    // Lay the values on consecutive periods; a period without one is a gap.
    let mut periods: Vec<Period> = vec![*first];
    let last = values.last().map_or(*first, |(p, _)| *p);
    while periods
        .last()
        .is_some_and(|p| p.day_number() < last.day_number())
    {
        let next = periods.last().map_or(*first, Period::next);
        periods.push(next);
    }
    let on_periods = |values: &[(Period, f64)]| -> Vec<Option<f64>> {
        let by_day: HashMap<i64, f64> = values.iter().map(|(p, v)| (p.day_number(), *v)).collect();
        periods
            .iter()
            .map(|p| by_day.get(&p.day_number()).copied())
            .collect()
    };
    let series = on_periods(values);
    let control = control.map(on_periods);
    // The first period after go-live: the one starting on go-live day or
    // later.
    let intervention = periods
        .iter()
        .position(|p| p.day_number() >= context.go_live)
        .unwrap_or(periods.len());
    let mut points: Vec<EffectPoint> = periods
        .iter()
        .zip(&series)
        .map(|(p, v)| EffectPoint {
            period: p.label(),
            observed: *v,
            expected: None,
        })
        .collect();
    let incomplete = control
        .as_ref()
        .is_some_and(|c| !comparison_complete(&series, c, intervention));
    let control = control.filter(|_| !incomplete);
    let input = koers_effects::Input {
        values: series,
        control: control.clone(),
        intervention,
        frequency,
    };
    let found = match koers_effects::estimate(&input, koers_effects::Method::Structural) {
        Ok(found) => found,
        Err(refusal) => return refused(context, refusal.code(), points),
    };
    for p in &found.pointwise {
        if let Some(point) = points.get_mut(p.index) {
            point.expected = Some(p.expected.into());
        }
    }
    let average: Range = found.average.into();
    let cumulative: Range = found.cumulative.into();
    let mut warnings = Vec::new();
    let window_start = periods
        .get(intervention.saturating_sub(NEARBY_PERIODS))
        .map_or(context.go_live, Period::day_number);
    let window_end = periods
        .last()
        .map_or(context.go_live, |p| p.next().day_number());
    if context
        .other_go_lives
        .iter()
        .any(|d| (window_start..window_end).contains(d))
    {
        warnings.push(EffectWarning::OtherGoLive);
    }
    if found.post_periods < FEW_POST_PERIODS {
        warnings.push(EffectWarning::FewPostPeriods);
    }
    if !found.outliers.is_empty() {
        warnings.push(EffectWarning::OutliersSetAside);
    }
    if average.excludes_zero() && average.estimate.signum() != context.expected_sign {
        warnings.push(EffectWarning::AgainstExpectation);
    }
    if incomplete {
        warnings.push(EffectWarning::ControlIncomplete);
    }
    if let Some(control) = &control
        && control_moved(control, intervention, frequency)
    {
        warnings.push(EffectWarning::ControlMoved);
    }
    let thousands = context.spent.cents() as f64 / 100_000.0;
    let per_thousand_euro = (thousands > 0.0).then(|| Range {
        estimate: cumulative.estimate / thousands,
        lo95: cumulative.lo95 / thousands,
        hi95: cumulative.hi95 / thousands,
    });
    EffectEstimate {
        initiative_id: context.initiative_id,
        indicator_id: context.indicator_id,
        go_live_on: context.go_live_on.clone(),
        refusal: None,
        average: Some(average),
        cumulative: Some(cumulative),
        relative: found.relative.map(Range::from),
        probability_nonzero: Some(found.probability_nonzero),
        pre_periods: found.pre_periods,
        post_periods: found.post_periods,
        seasonal: found.seasonal,
        autocorrelation: Some(found.autocorrelation),
        control_indicator_id: context.control_indicator_id,
        used_control: found.used_control,
        spent: context.spent,
        per_thousand_euro,
        warnings,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Period {
        Period::parse(Frequency::Month, text).unwrap()
    }

    fn context(go_live: &str, spent_cents: i64) -> Context {
        let day = Period::parse(Frequency::Day, go_live).unwrap().day_number();
        Context {
            initiative_id: InitiativeId(1),
            indicator_id: IndicatorId(2),
            frequency: Frequency::Month,
            go_live: day,
            go_live_on: go_live.to_owned(),
            other_go_lives: Vec::new(),
            spent: Money::from_cents(spent_cents),
            expected_sign: 1.0,
            control_indicator_id: None,
        }
    }

    /// 36 months from 2022-01 with a step of +10 from 2024-01, and a gap.
    fn series() -> Vec<(Period, f64)> {
        let mut p = month("2022-01");
        let mut out = Vec::new();
        for i in 0..36 {
            let wiggle = ((i * 7919) % 11) as f64 / 5.0;
            let step = if i >= 36 - 12 { 10.0 } else { 0.0 };
            if i != 4 {
                out.push((p, 50.0 + wiggle + step));
            }
            p = p.next();
        }
        out
    }

    #[test]
    fn a_step_after_go_live_is_found_with_its_cost_per_thousand_euro() {
        let found = assess(&context("2024-01-01", 2_000_000), &series(), None);
        assert_eq!(found.refusal, None);
        let average = found.average.unwrap();
        assert!(
            average.lo95 > 5.0 && average.hi95 > 10.0 && average.lo95 < 10.0,
            "{average:?}"
        );
        assert_eq!(found.post_periods, 12);
        assert_eq!(found.points.len(), 36, "the gap is a point without a value");
        assert_eq!(found.points[4].observed, None);
        assert!(found.points[23].expected.is_none() && found.points[24].expected.is_some());
        let per = found.per_thousand_euro.unwrap();
        let cumulative = found.cumulative.unwrap();
        assert!((per.estimate - cumulative.estimate / 20.0).abs() < 1e-9);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    }

    #[test]
    fn a_comparison_series_enters_the_model_and_is_watched() {
        let mut with_control = context("2024-01-01", 0);
        with_control.control_indicator_id = Some(IndicatorId(9));
        let comparison = |step: f64| -> Vec<(Period, f64)> {
            let mut p = month("2022-01");
            (0..36)
                .map(|i| {
                    let wiggle = ((i * 104_729) % 13) as f64 / 4.0;
                    let value = 25.0 + wiggle + if i >= 24 { step } else { 0.0 };
                    let out = (p, value);
                    p = p.next();
                    out
                })
                .collect()
        };
        let quiet = assess(&with_control, &series(), Some(&comparison(0.0)));
        assert_eq!(quiet.refusal, None);
        assert!(quiet.used_control);
        assert_eq!(quiet.control_indicator_id, Some(IndicatorId(9)));
        assert!(
            !quiet.warnings.contains(&EffectWarning::ControlMoved),
            "{:?}",
            quiet.warnings
        );
        let moved = assess(&with_control, &series(), Some(&comparison(8.0)));
        assert!(
            moved.warnings.contains(&EffectWarning::ControlMoved),
            "the comparison series stepped at go-live too: {:?}",
            moved.warnings
        );
        let without = assess(&context("2024-01-01", 0), &series(), None);
        assert!(!without.used_control && without.control_indicator_id.is_none());
        // A comparison series that stops at go-live is left out, and said
        // so: it does not take the indicator's own measurements with it.
        let stops: Vec<(Period, f64)> = comparison(0.0).into_iter().take(24).collect();
        let stopped = assess(&with_control, &series(), Some(&stops));
        assert_eq!(stopped.refusal, None);
        assert!(!stopped.used_control);
        assert_eq!(stopped.post_periods, 12, "every own measurement kept");
        assert_eq!(stopped.warnings, vec![EffectWarning::ControlIncomplete]);
        assert_eq!(stopped.average, without.average);
        // A few holes before go-live are tolerated.
        let holed: Vec<(Period, f64)> = comparison(0.0)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| *i != 5 && *i != 9)
            .map(|(_, v)| v)
            .collect();
        let tolerated = assess(&with_control, &series(), Some(&holed));
        assert!(tolerated.used_control, "{:?}", tolerated.warnings);
    }

    #[test]
    fn warnings_and_refusals_say_why() {
        let mut against = context("2024-01-01", 0);
        against.expected_sign = -1.0;
        against.other_go_lives = vec![
            Period::parse(Frequency::Day, "2023-10-15")
                .unwrap()
                .day_number(),
        ];
        let found = assess(&against, &series(), None);
        assert_eq!(
            found.warnings,
            vec![
                EffectWarning::OtherGoLive,
                EffectWarning::AgainstExpectation
            ]
        );
        assert_eq!(found.per_thousand_euro, None, "nothing spent: no ratio");
        let late = assess(&context("2024-11-01", 0), &series(), None);
        assert_eq!(late.post_periods, 2);
        assert!(
            late.warnings.contains(&EffectWarning::FewPostPeriods),
            "{late:?}"
        );
        let too_early = assess(&context("2022-06-01", 0), &series(), None);
        assert_eq!(too_early.refusal.as_deref(), Some("too_few_pre_periods"));
        let after = assess(&context("2030-01-01", 0), &series(), None);
        assert_eq!(after.refusal.as_deref(), Some("no_post_period"));
        let mut quarterly = context("2024-01-01", 0);
        quarterly.frequency = Frequency::Quarter;
        assert_eq!(
            assess(&quarterly, &series(), None).refusal.as_deref(),
            Some("frequency_unsupported")
        );
        assert_eq!(
            assess(&context("2024-01-01", 0), &[], None)
                .refusal
                .as_deref(),
            Some("no_measurements")
        );
    }
}
