//! Effect estimates for an intervention on a regularly measured series:
//! what the series did after go-live compared with what it would have done
//! without the intervention, with intervals that stay honest on real
//! indicator data (autocorrelated noise, drifting levels).
//!
//! Methods:
//! - [`Method::Structural`] (the default): a structural time-series model
//!   (local level with drift, yearly seasonality as Fourier terms when the
//!   pre-period spans two years, a regression on a standardised control,
//!   AR(1) noise) run through a Kalman filter on the pre-period only.
//!   Drift, seasonal and control coefficients are states with a diffuse
//!   prior, so their uncertainty reaches the forecast. The AR coefficient
//!   and the level's noise are not plugged in at one estimate: the forecast
//!   is averaged over their likelihood on a grid (flat priors), because the
//!   long-run variance of a post-period mean depends steeply on the AR
//!   coefficient that short series determine badly. The scale is
//!   integrated out (a t distribution). Average and cumulative effects take
//!   their intervals from the exact joint forecast covariance over the
//!   post-period, as quantiles of the resulting mixture.
//! - [`Method::Segmented`]: segmented regression (level and slope change)
//!   with AR(1) errors, by generalised least squares (Prais–Winsten), the
//!   AR coefficient at its maximum-likelihood value.
//! - [`Method::NeweyWest`]: the same regression by ordinary least squares
//!   with Newey–West errors, the common practice, kept as a reference.
//!
//! Pure computation, no I/O. Inputs the models cannot carry honestly are
//! refused with a [`Refusal`] that says why, never a number.

mod guards;
mod kalman;
mod segmented;
mod stats;
mod structural;
#[cfg(test)]
mod validation;

pub use guards::Refusal;

/// How often the series is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Week,
    Month,
}

impl Frequency {
    /// Periods in a year, for the yearly season.
    pub fn per_year(self) -> f64 {
        match self {
            Frequency::Week => 365.25 / 7.0,
            Frequency::Month => 12.0,
        }
    }

    /// Fewest pre-period observations an estimate needs.
    pub fn min_pre_periods(self) -> usize {
        match self {
            Frequency::Week => 16,
            Frequency::Month => 12,
        }
    }
}

/// One series around one intervention. Periods are consecutive; a missing
/// measurement is `None`.
#[derive(Debug, Clone)]
pub struct Input {
    pub values: Vec<Option<f64>>,
    /// The same periods of a comparable series the intervention did not
    /// touch, if any.
    pub control: Option<Vec<Option<f64>>>,
    /// Index of the first period after go-live.
    pub intervention: usize,
    pub frequency: Frequency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Structural,
    Segmented,
    /// Segmented regression by ordinary least squares with Newey–West
    /// errors: the common practice, kept as a reference. Its intervals are
    /// known to be too narrow when the noise is strongly autocorrelated.
    NeweyWest,
}

/// A point estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub lo95: f64,
    pub hi95: f64,
}

impl Interval {
    pub fn excludes_zero(&self) -> bool {
        self.lo95 > 0.0 || self.hi95 < 0.0
    }
}

/// One post-period: what was measured, what was expected without the
/// intervention (with its 95% band), and the difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pointwise {
    pub index: usize,
    pub observed: Option<f64>,
    pub expected: Interval,
    /// Observed minus expected, when observed.
    pub effect: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub method: Method,
    /// Mean effect per observed post-period, in the series' unit.
    pub average: Interval,
    /// Sum of the effects over the observed post-periods.
    pub cumulative: Interval,
    /// The average effect relative to the expected level, when that level
    /// is not near zero (0.1 = 10% higher than expected).
    pub relative: Option<Interval>,
    /// Probability that the effect is not zero: one minus the two-sided
    /// p-value of the average effect.
    pub probability_nonzero: f64,
    pub pointwise: Vec<Pointwise>,
    /// Pre-period observations the model was fitted on.
    pub pre_periods: usize,
    pub post_periods: usize,
    /// Whether yearly seasonality and the control entered the model.
    pub seasonal: bool,
    pub used_control: bool,
    /// Pre-period points set aside as outliers.
    pub outliers: Vec<usize>,
    /// The fitted AR(1) coefficient of the noise.
    pub autocorrelation: f64,
}

/// The average effect relative to the expected level, when that level is
/// not (near) zero in the series' own terms.
pub(crate) fn relative(
    average: &Interval,
    expected_level: f64,
    mean: f64,
    scale: f64,
) -> Option<Interval> {
    let d = expected_level.abs();
    (d > 1e-9 * mean.abs().max(scale)).then(|| Interval {
        estimate: average.estimate / d,
        lo95: average.lo95 / d,
        hi95: average.hi95 / d,
    })
}

/// Estimates the effect of the intervention on the series.
pub fn estimate(input: &Input, method: Method) -> Result<Estimate, Refusal> {
    let prepared = guards::prepare(input)?;
    match method {
        Method::Structural => structural::estimate(&prepared),
        Method::Segmented => segmented::estimate(&prepared),
        Method::NeweyWest => segmented::estimate_newey_west(&prepared),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator: xorshift with Box–Muller.
    pub(crate) struct Noise(u64);

    impl Noise {
        pub fn new(seed: u64) -> Noise {
            Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }

        pub fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        }
    }

    /// AR(1) noise around a level with a step of `effect` at `t0`.
    fn series(seed: u64, n: usize, t0: usize, effect: f64, ar: f64) -> Vec<Option<f64>> {
        let mut noise = Noise::new(seed);
        let mut e = 0.0;
        (0..n)
            .map(|t| {
                e = ar * e + noise.normal();
                Some(50.0 + 0.05 * t as f64 + e + if t >= t0 { effect } else { 0.0 })
            })
            .collect()
    }

    #[test]
    fn both_methods_find_a_clear_step_and_do_not_invent_one() {
        for method in [Method::Structural, Method::Segmented] {
            let input = Input {
                values: series(7, 84, 60, 6.0, 0.5),
                control: None,
                intervention: 60,
                frequency: Frequency::Month,
            };
            let found = estimate(&input, method).unwrap();
            assert!(
                found.average.lo95 > 0.0 && found.average.lo95 < 6.0 && found.average.hi95 > 6.0,
                "{method:?}: {:?}",
                found.average
            );
            assert!(found.probability_nonzero > 0.95, "{method:?}");
            assert_eq!(found.post_periods, 24);
            assert_eq!(found.pointwise.len(), 24);
            let cumulative = found.cumulative.estimate / 24.0;
            assert!((cumulative - found.average.estimate).abs() < 1e-9);

            let none = Input {
                values: series(11, 84, 60, 0.0, 0.5),
                ..input
            };
            let found = estimate(&none, method).unwrap();
            assert!(
                !found.average.excludes_zero(),
                "{method:?} invented an effect: {:?}",
                found.average
            );
        }
    }

    #[test]
    fn a_control_that_shares_the_shocks_sharpens_the_estimate() {
        let mut noise = Noise::new(3);
        let shocks: Vec<f64> = (0..84).map(|_| 3.0 * noise.normal()).collect();
        let control: Vec<Option<f64>> = shocks.iter().map(|s| Some(20.0 + s)).collect();
        let values: Vec<Option<f64>> = shocks
            .iter()
            .enumerate()
            .map(|(t, s)| Some(40.0 + s + 0.3 * noise.normal() + if t >= 60 { 2.0 } else { 0.0 }))
            .collect();
        let with = estimate(
            &Input {
                values: values.clone(),
                control: Some(control),
                intervention: 60,
                frequency: Frequency::Month,
            },
            Method::Structural,
        )
        .unwrap();
        let without = estimate(
            &Input {
                values,
                control: None,
                intervention: 60,
                frequency: Frequency::Month,
            },
            Method::Structural,
        )
        .unwrap();
        assert!(with.used_control && !without.used_control);
        let width = |e: &Estimate| e.average.hi95 - e.average.lo95;
        assert!(
            width(&with) < width(&without) / 2.0,
            "{:?} vs {:?}",
            with.average,
            without.average
        );
        assert!(
            with.average.lo95 < 2.0 && with.average.hi95 > 2.0,
            "{:?}",
            with.average
        );
    }

    #[test]
    fn refusals_reach_the_caller() {
        let input = Input {
            values: vec![Some(1.0); 30],
            control: None,
            intervention: 20,
            frequency: Frequency::Month,
        };
        for method in [Method::Structural, Method::Segmented] {
            let refusal = estimate(&input, method).unwrap_err();
            assert_eq!(refusal.code(), "constant_series");
            assert!(refusal.to_string().starts_with("cannot estimate because"));
        }
    }
}
