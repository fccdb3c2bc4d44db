//! The structural time-series counterfactual: local level with drift,
//! yearly Fourier seasonality (when the pre-period spans two years), a
//! regression on the control, and AR(1) noise. Fitted on the pre-period by
//! maximum likelihood; the post-period forecast with its exact joint
//! covariance is the counterfactual.

use nalgebra::{DMatrix, DVector};

use crate::guards::{Prepared, Refusal};
use crate::kalman::{self, Model};
use crate::{Estimate, Interval, Method, Pointwise, stats};

/// Where each state sits in the state vector.
pub(crate) struct Layout {
    pub harmonics: usize,
    pub control: bool,
}

impl Layout {
    const LEVEL: usize = 0;
    const DRIFT: usize = 1;

    fn seasonal(&self, k: usize) -> usize {
        2 + k
    }

    fn beta(&self) -> usize {
        2 + 2 * self.harmonics
    }

    fn noise(&self) -> usize {
        self.beta() + usize::from(self.control)
    }

    fn states(&self) -> usize {
        self.noise() + 1
    }

    /// The states we know nothing about beforehand.
    fn diffuse(&self) -> Vec<usize> {
        (0..self.noise()).collect()
    }
}

/// The observation row Z_t: the level, the Fourier terms of period t
/// (counted from the first period, `period` periods a year), the control
/// and the AR noise.
pub(crate) fn design_row(
    layout: &Layout,
    period: f64,
    control: Option<&[f64]>,
    t: usize,
) -> DVector<f64> {
    let mut z = DVector::zeros(layout.states());
    z[Layout::LEVEL] = 1.0;
    for h in 0..layout.harmonics {
        let angle = 2.0 * std::f64::consts::PI * (h + 1) as f64 * t as f64 / period;
        z[layout.seasonal(2 * h)] = angle.cos();
        z[layout.seasonal(2 * h + 1)] = angle.sin();
    }
    if let Some(control) = control {
        z[layout.beta()] = control[t];
    }
    z[layout.noise()] = 1.0;
    z
}

pub(crate) fn model(layout: &Layout, level_noise: f64, ar: f64) -> Model {
    let m = layout.states();
    let mut transition = DMatrix::identity(m, m);
    transition[(Layout::LEVEL, Layout::DRIFT)] = 1.0;
    transition[(layout.noise(), layout.noise())] = ar;
    let mut noise = DMatrix::zeros(m, m);
    noise[(Layout::LEVEL, Layout::LEVEL)] = level_noise;
    noise[(layout.noise(), layout.noise())] = 1.0;
    Model::new(
        transition,
        noise,
        &layout.diffuse(),
        &[(layout.noise(), 1.0 / (1.0 - ar * ar))],
    )
}

/// Level with drift plus AR(1) noise, nothing else: the model the
/// validation against statsmodels filters at fixed parameters.
#[cfg(test)]
pub(crate) fn trend_ar_model(level_noise: f64, ar: f64) -> Model {
    model(
        &Layout {
            harmonics: 0,
            control: false,
        },
        level_noise,
        ar,
    )
}

/// The grid the parameters are integrated over: the AR coefficients of
/// `stats::ar_grid` and level-noise ratios (flat on the log scale).
fn grid() -> (Vec<(f64, f64)>, Vec<f64>) {
    let weighted = stats::ar_grid();
    let level_noise = [-14.0, -7.0, -5.0, -3.5, -2.5, -1.5, -0.5]
        .iter()
        .map(|l: &f64| l.exp())
        .collect();
    (weighted, level_noise)
}

/// One parameter setting with its posterior weight and forecast.
pub(crate) struct Component {
    pub weight: f64,
    pub ar: f64,
    pub expected: Vec<f64>,
    /// Joint covariance of the forecast (standardised units, scale
    /// included).
    pub covariance: DMatrix<f64>,
}

pub(crate) fn estimate(prepared: &Prepared) -> Result<Estimate, Refusal> {
    let layout = Layout {
        harmonics: if prepared.seasonal {
            match prepared.frequency {
                crate::Frequency::Month => 2,
                crate::Frequency::Week => 3,
            }
        } else {
            0
        },
        control: prepared.control.is_some(),
    };
    let period = prepared.frequency.per_year();
    let design = |t: usize| design_row(&layout, period, prepared.control.as_deref(), t);
    let t0 = prepared.intervention;
    let pre = &prepared.y[..t0];
    // The likelihood over the grid: the AR coefficient of short series is
    // badly determined and the long-run variance of a post-period mean
    // depends on it steeply, so plugging in one estimate gives intervals
    // that are too narrow. Averaging the forecast over the parameters'
    // posterior carries that uncertainty into the interval.
    let (ars, level_noises) = grid();
    let mut fits = Vec::new();
    for &(ar, prior) in &ars {
        for &q in &level_noises {
            let model = model(&layout, q, ar);
            if let Some(filtered) = kalman::filter(&model, pre, &design).filter(|f| f.counted > 3) {
                let loglik = filtered.concentrated_loglik();
                if loglik.is_finite() {
                    fits.push((loglik + prior.ln(), ar, model, filtered));
                }
            }
        }
    }
    let best = fits.iter().map(|f| f.0).fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() {
        return Err(Refusal::NoFit);
    }
    let horizon = prepared.y.len() - t0;
    let mut components = Vec::new();
    let mut counted = 0;
    for (loglik, ar, model, filtered) in fits {
        let weight = (loglik - best).exp();
        if weight < 1e-3 {
            continue;
        }
        counted = filtered.counted;
        let (expected, joint) = kalman::forecast(
            &model,
            &filtered.next_mean,
            &filtered.next_cov,
            horizon,
            &|j| design(t0 + j),
        );
        components.push(Component {
            weight,
            ar,
            expected,
            covariance: joint * filtered.scale(),
        });
    }
    let total: f64 = components.iter().map(|c| c.weight).sum();
    for c in &mut components {
        c.weight /= total;
    }
    // The scale is integrated out (a t); the level and drift left the
    // count with the diffuse start.
    let df = counted as f64 - 1.0;
    if df < 2.0 {
        return Err(Refusal::NoFit);
    }
    Ok(summarise(prepared, Method::Structural, &components, df))
}

/// Turns the posterior mixture of forecasts into effects in the series'
/// own unit. Pointwise bands match the mixture's mean and variance; the
/// average and cumulative effects use the mixture's exact quantiles.
pub(crate) fn summarise(
    prepared: &Prepared,
    method: Method,
    components: &[Component],
    df: f64,
) -> Estimate {
    let t0 = prepared.intervention;
    let s = prepared.scale;
    let q = stats::t95(df);
    let horizon = components.first().map_or(0, |c| c.expected.len());
    let observed: Vec<usize> = (0..horizon)
        .filter(|j| prepared.y[t0 + j].is_some())
        .collect();
    let pointwise = (0..horizon)
        .map(|j| {
            let mean: f64 = components.iter().map(|c| c.weight * c.expected[j]).sum();
            let variance: f64 = components
                .iter()
                .map(|c| c.weight * (c.covariance[(j, j)] + (c.expected[j] - mean).powi(2)))
                .sum();
            let half = q * s * variance.max(0.0).sqrt();
            let e = prepared.mean + s * mean;
            let value = prepared.y[t0 + j].map(|y| prepared.mean + s * y);
            Pointwise {
                index: t0 + j,
                observed: value,
                expected: Interval {
                    estimate: e,
                    lo95: e - half,
                    hi95: e + half,
                },
                effect: value.map(|v| Interval {
                    estimate: v - e,
                    lo95: v - e - half,
                    hi95: v - e + half,
                }),
            }
        })
        .collect::<Vec<_>>();
    // The expected sum over the observed post-periods, per component.
    let sums: Vec<(f64, f64, f64)> = components
        .iter()
        .map(|c| {
            let mean: f64 = observed.iter().map(|&j| c.expected[j]).sum();
            let variance: f64 = observed
                .iter()
                .flat_map(|&i| observed.iter().map(move |&j| (i, j)))
                .map(|(i, j)| c.covariance[(i, j)])
                .sum::<f64>()
                .max(1e-300);
            (c.weight.ln(), mean, variance.sqrt())
        })
        .collect();
    let observed_sum: f64 = observed.iter().filter_map(|&j| prepared.y[t0 + j]).sum();
    let expected = stats::Mixture::new(sums, df);
    let expected_sum = expected.as_ref().map_or(0.0, stats::Mixture::mean);
    let (lo_sum, hi_sum) = expected
        .as_ref()
        .map_or((0.0, 0.0), |m| (m.quantile(0.025), m.quantile(0.975)));
    let h = observed.len() as f64;
    // Effect = observed − expected: the counterfactual's upper quantile
    // gives the effect's lower bound.
    let cumulative = Interval {
        estimate: s * (observed_sum - expected_sum),
        lo95: s * (observed_sum - hi_sum),
        hi95: s * (observed_sum - lo_sum),
    };
    let average = Interval {
        estimate: cumulative.estimate / h,
        lo95: cumulative.lo95 / h,
        hi95: cumulative.hi95 / h,
    };
    let probability_nonzero = expected
        .as_ref()
        .map_or(0.0, |m| m.probability_not(observed_sum));
    let relative = crate::relative(
        &average,
        prepared.mean + s * expected_sum / h,
        prepared.mean,
        s,
    );
    Estimate {
        method,
        average,
        cumulative,
        relative,
        probability_nonzero,
        pointwise,
        pre_periods: prepared.pre_observed,
        post_periods: observed.len(),
        seasonal: prepared.seasonal,
        used_control: prepared.control.is_some(),
        outliers: prepared.outliers.clone(),
        autocorrelation: components.iter().map(|c| c.weight * c.ar).sum(),
    }
}
