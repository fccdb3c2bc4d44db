//! What must hold before a model may speak: enough pre-periods, not too
//! many gaps, a series that moves, few outliers. Outliers in the
//! pre-period are set aside (treated as missing) so that one wrong
//! measurement does not bend the counterfactual; too many of them and the
//! series is refused.

use crate::{Frequency, Input};

/// Why no estimate can be given.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The intervention lies outside the series or leaves no period after it.
    NoPostPeriod,
    TooFewPrePeriods {
        have: usize,
        need: usize,
    },
    /// More than a quarter of the pre-period (or all of the post-period) is
    /// missing.
    TooManyMissing {
        missing: usize,
        periods: usize,
    },
    /// The pre-period does not move, so there is no noise to judge an
    /// effect against.
    ConstantSeries,
    TooManyOutliers {
        outliers: usize,
        periods: usize,
    },
    /// The control series does not have one value per period.
    ControlLength {
        values: usize,
        control: usize,
    },
    /// A value is not a finite number.
    NotFinite {
        index: usize,
    },
    /// The likelihood could not be maximised to a usable model.
    NoFit,
}

impl Refusal {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoPostPeriod => "no_post_period",
            Refusal::TooFewPrePeriods { .. } => "too_few_pre_periods",
            Refusal::TooManyMissing { .. } => "too_many_missing",
            Refusal::ConstantSeries => "constant_series",
            Refusal::TooManyOutliers { .. } => "too_many_outliers",
            Refusal::ControlLength { .. } => "control_length",
            Refusal::NotFinite { .. } => "not_finite",
            Refusal::NoFit => "no_fit",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoPostPeriod => write!(
                f,
                "cannot estimate because there is no period after go-live"
            ),
            Refusal::TooFewPrePeriods { have, need } => write!(
                f,
                "cannot estimate because there are {have} usable periods before go-live and at least {need} are needed"
            ),
            Refusal::TooManyMissing { missing, periods } => write!(
                f,
                "cannot estimate because {missing} of {periods} periods are missing"
            ),
            Refusal::ConstantSeries => write!(
                f,
                "cannot estimate because the series does not vary before go-live"
            ),
            Refusal::TooManyOutliers { outliers, periods } => write!(
                f,
                "cannot estimate because {outliers} of {periods} periods before go-live are outliers"
            ),
            Refusal::ControlLength { values, control } => write!(
                f,
                "cannot estimate because the control has {control} periods and the series {values}"
            ),
            Refusal::NotFinite { index } => {
                write!(f, "cannot estimate because value {index} is not a number")
            }
            Refusal::NoFit => write!(
                f,
                "cannot estimate because no model fits the periods before go-live"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// The series ready for a model: standardised on the pre-period, outliers
/// set aside, the control standardised (or left out when it cannot help).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Standardised values; `None` where missing or set aside.
    pub y: Vec<Option<f64>>,
    pub control: Option<Vec<f64>>,
    pub intervention: usize,
    pub frequency: Frequency,
    pub mean: f64,
    pub scale: f64,
    pub seasonal: bool,
    pub outliers: Vec<usize>,
    pub pre_observed: usize,
}

const MAX_MISSING_SHARE: f64 = 0.25;
const MAX_OUTLIER_SHARE: f64 = 0.1;
/// Robust z beyond which a point is set aside.
const OUTLIER_Z: f64 = 6.0;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Points far from the running median of their neighbours, by a robust
/// scale of all such distances.
fn outliers(pre: &[Option<f64>]) -> Vec<usize> {
    let observed: Vec<(usize, f64)> = pre
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    if observed.len() < 7 {
        return Vec::new();
    }
    let residuals: Vec<(usize, f64)> = (0..observed.len())
        .map(|k| {
            let lo = k.saturating_sub(3);
            let hi = (k + 4).min(observed.len());
            let mut window: Vec<f64> = observed[lo..hi]
                .iter()
                .enumerate()
                .filter(|(j, _)| lo + j != k)
                .map(|(_, (_, v))| *v)
                .collect();
            (observed[k].0, observed[k].1 - median(&mut window))
        })
        .collect();
    let mut absolute: Vec<f64> = residuals.iter().map(|(_, r)| r.abs()).collect();
    let mad = 1.4826 * median(&mut absolute);
    if mad <= f64::EPSILON {
        return Vec::new();
    }
    residuals
        .into_iter()
        .filter(|(_, r)| r.abs() / mad > OUTLIER_Z)
        .map(|(i, _)| i)
        .collect()
}

fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64, usize) {
    let n = values.clone().count();
    if n == 0 {
        return (0.0, 0.0, 0);
    }
    let mean = values.clone().sum::<f64>() / n as f64;
    let var = values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n.max(2) - 1) as f64;
    (mean, var.sqrt(), n)
}

pub(crate) fn prepare(input: &Input) -> Result<Prepared, Refusal> {
    let n = input.values.len();
    let t0 = input.intervention;
    if t0 >= n || t0 == 0 {
        return Err(Refusal::NoPostPeriod);
    }
    if let Some(index) = input
        .values
        .iter()
        .position(|v| v.is_some_and(|v| !v.is_finite()))
    {
        return Err(Refusal::NotFinite { index });
    }
    let control = match &input.control {
        Some(c) if c.len() != n => {
            return Err(Refusal::ControlLength {
                values: n,
                control: c.len(),
            });
        }
        Some(c) => {
            if let Some(index) = c.iter().position(|v| v.is_some_and(|v| !v.is_finite())) {
                return Err(Refusal::NotFinite { index });
            }
            Some(c.clone())
        }
        None => None,
    };
    // A period without its control value cannot be used with the control.
    let mut values = input.values.clone();
    if let Some(c) = &control {
        for (v, x) in values.iter_mut().zip(c) {
            if x.is_none() {
                *v = None;
            }
        }
    }
    let pre = &values[..t0];
    let missing = pre.iter().filter(|v| v.is_none()).count();
    if missing as f64 > MAX_MISSING_SHARE * t0 as f64 {
        return Err(Refusal::TooManyMissing {
            missing,
            periods: t0,
        });
    }
    let post_observed = values[t0..].iter().filter(|v| v.is_some()).count();
    if post_observed == 0 {
        return Err(Refusal::TooManyMissing {
            missing: n - t0,
            periods: n - t0,
        });
    }
    let need = input.frequency.min_pre_periods();
    let outliers = outliers(pre);
    if outliers.len() as f64 > MAX_OUTLIER_SHARE * t0 as f64 {
        return Err(Refusal::TooManyOutliers {
            outliers: outliers.len(),
            periods: t0,
        });
    }
    for &i in &outliers {
        values[i] = None;
    }
    let pre_observed = values[..t0].iter().filter(|v| v.is_some()).count();
    if pre_observed < need {
        return Err(Refusal::TooFewPrePeriods {
            have: pre_observed,
            need,
        });
    }
    let (mean, sd, _) = mean_sd(values[..t0].iter().flatten().copied());
    if sd <= 1e-12 * mean.abs().max(1.0) {
        return Err(Refusal::ConstantSeries);
    }
    let y = values.iter().map(|v| v.map(|v| (v - mean) / sd)).collect();
    // The control helps only when it moves before go-live; its gaps were
    // made gaps of the series above, so 0 (its mean) never enters a fit.
    let control = control.and_then(|c| {
        let (cm, cs, _) = mean_sd(c[..t0].iter().flatten().copied());
        (cs > 1e-12 * cm.abs().max(1.0)).then(|| {
            c.iter()
                .map(|x| x.map_or(0.0, |x| (x - cm) / cs))
                .collect::<Vec<f64>>()
        })
    });
    // Two full years before go-live tell a season from a trend.
    let seasonal = t0 as f64 >= 2.0 * input.frequency.per_year();
    Ok(Prepared {
        y,
        control,
        intervention: t0,
        frequency: input.frequency,
        mean,
        scale: sd,
        seasonal,
        outliers,
        pre_observed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(values: Vec<Option<f64>>, intervention: usize) -> Input {
        Input {
            values,
            control: None,
            intervention,
            frequency: Frequency::Month,
        }
    }

    fn wiggle(n: usize) -> Vec<Option<f64>> {
        (0..n)
            .map(|i| Some(10.0 + ((i * 7919) % 13) as f64 / 10.0))
            .collect()
    }

    #[test]
    fn each_guard_refuses_with_its_reason() {
        assert_eq!(
            prepare(&input(wiggle(20), 20)).unwrap_err(),
            Refusal::NoPostPeriod
        );
        assert_eq!(
            prepare(&input(wiggle(20), 0)).unwrap_err(),
            Refusal::NoPostPeriod
        );
        assert_eq!(
            prepare(&input(wiggle(14), 8)).unwrap_err(),
            Refusal::TooFewPrePeriods { have: 8, need: 12 }
        );
        let mut gappy = wiggle(30);
        for v in gappy.iter_mut().take(8) {
            *v = None;
        }
        assert_eq!(
            prepare(&input(gappy, 24)).unwrap_err(),
            Refusal::TooManyMissing {
                missing: 8,
                periods: 24
            }
        );
        let mut no_post = wiggle(30);
        for v in no_post.iter_mut().skip(24) {
            *v = None;
        }
        assert!(matches!(
            prepare(&input(no_post, 24)).unwrap_err(),
            Refusal::TooManyMissing { .. }
        ));
        assert_eq!(
            prepare(&input(vec![Some(5.0); 30], 24)).unwrap_err(),
            Refusal::ConstantSeries
        );
        let mut nan = wiggle(30);
        nan[3] = Some(f64::NAN);
        assert_eq!(
            prepare(&input(nan, 24)).unwrap_err(),
            Refusal::NotFinite { index: 3 }
        );
        let mut wrong_control = input(wiggle(30), 24);
        wrong_control.control = Some(vec![Some(1.0); 29]);
        assert_eq!(
            prepare(&wrong_control).unwrap_err(),
            Refusal::ControlLength {
                values: 30,
                control: 29
            }
        );
        let mut spiky = wiggle(30);
        for i in [2, 6, 10, 14] {
            spiky[i] = Some(1000.0);
        }
        assert_eq!(
            prepare(&input(spiky, 24)).unwrap_err(),
            Refusal::TooManyOutliers {
                outliers: 4,
                periods: 24
            }
        );
    }

    #[test]
    fn a_single_outlier_is_set_aside_and_the_rest_standardised() {
        let mut values = wiggle(30);
        values[5] = Some(500.0);
        let prepared = prepare(&input(values, 24)).unwrap();
        assert_eq!(prepared.outliers, vec![5]);
        assert_eq!(prepared.y[5], None);
        assert_eq!(prepared.pre_observed, 23);
        let pre: Vec<f64> = prepared.y[..24].iter().flatten().copied().collect();
        let mean = pre.iter().sum::<f64>() / pre.len() as f64;
        assert!(mean.abs() < 1e-9, "standardised on the pre-period: {mean}");
        assert!(
            prepared.seasonal,
            "24 months before go-live are two full years"
        );
    }
}
