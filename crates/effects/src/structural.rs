//! The structural time-series counterfactual: local level with drift,
//! yearly Fourier seasonality (when the pre-period spans two years), a
//! regression on the control, and AR(1) noise. Fitted on the pre-period by
//! maximum likelihood; the post-period forecast with its exact joint
//! covariance is the counterfactual.

use nalgebra::{DMatrix, DVector};

use crate::guards::{Prepared, Refusal};
use crate::kalman::{self, Model};
use crate::{Estimate, Interval, Method, Pointwise, optimize, stats};

/// Largest AR(1) coefficient the fit may reach; beyond it the noise is
/// indistinguishable from a wandering level, which the level already models.
const MAX_AR: f64 = 0.95;

/// Where each state sits in the state vector.
struct Layout {
    harmonics: usize,
    control: bool,
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

fn model(layout: &Layout, level_noise: f64, ar: f64) -> Model {
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

/// (level noise ratio, AR coefficient) from the free parameters.
fn parameters(theta: &[f64]) -> (f64, f64) {
    (theta[0].exp(), MAX_AR * theta[1].tanh())
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
    let design = |t: usize| {
        let mut z = DVector::zeros(layout.states());
        z[Layout::LEVEL] = 1.0;
        for h in 0..layout.harmonics {
            let angle = 2.0 * std::f64::consts::PI * (h + 1) as f64 * t as f64 / period;
            z[layout.seasonal(2 * h)] = angle.cos();
            z[layout.seasonal(2 * h + 1)] = angle.sin();
        }
        if let Some(control) = &prepared.control {
            z[layout.beta()] = control[t];
        }
        z[layout.noise()] = 1.0;
        z
    };
    let t0 = prepared.intervention;
    let pre = &prepared.y[..t0];
    let objective = |theta: &[f64]| {
        if !(-12.0..=3.0).contains(&theta[0]) || theta[1].abs() > 4.0 {
            return f64::INFINITY;
        }
        let (q, ar) = parameters(theta);
        kalman::filter(&model(&layout, q, ar), pre, &design)
            .filter(|f| f.counted > 0)
            .map_or(f64::INFINITY, |f| -f.concentrated_loglik())
    };
    // A few starts: a wandering or a steady level, white or sticky noise.
    let mut best: Option<(Vec<f64>, f64)> = None;
    for start in [[-6.0, 0.0], [-2.0, 0.5], [-6.0, 1.0], [-1.0, 0.0]] {
        let found = optimize::minimise(&objective, &start, &[1.5, 0.5], 400);
        if found.1.is_finite() && best.as_ref().is_none_or(|b| found.1 < b.1) {
            best = Some(found);
        }
    }
    let (theta, _) = best.ok_or(Refusal::NoFit)?;
    let (q, ar) = parameters(&theta);
    let fitted = model(&layout, q, ar);
    let filtered = kalman::filter(&fitted, pre, &design).ok_or(Refusal::NoFit)?;
    let scale2 = filtered.scale();
    // Parameters: the two above and the scale; the diffuse states already
    // left the count.
    let df = filtered.counted as f64 - 3.0;
    if df < 2.0 || !scale2.is_finite() || scale2 <= 0.0 {
        return Err(Refusal::NoFit);
    }
    let horizon = prepared.y.len() - t0;
    let (expected, joint) = kalman::forecast(
        &fitted,
        &filtered.next_mean,
        &filtered.next_cov,
        horizon,
        &|j| design(t0 + j),
    );
    Ok(summarise(
        prepared,
        Method::Structural,
        &expected,
        &(joint * scale2),
        df,
        ar,
    ))
}

/// Turns a standardised forecast and its covariance into effects in the
/// series' own unit.
pub(crate) fn summarise(
    prepared: &Prepared,
    method: Method,
    expected: &[f64],
    covariance: &DMatrix<f64>,
    df: f64,
    ar: f64,
) -> Estimate {
    let t0 = prepared.intervention;
    let s = prepared.scale;
    let q = stats::t95(df);
    let raw_expected: Vec<f64> = expected.iter().map(|e| prepared.mean + s * e).collect();
    let observed: Vec<usize> = (0..expected.len())
        .filter(|j| prepared.y[t0 + j].is_some())
        .collect();
    let pointwise = (0..expected.len())
        .map(|j| {
            let half = q * s * covariance[(j, j)].max(0.0).sqrt();
            let e = raw_expected[j];
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
    let h = observed.len() as f64;
    let total: f64 = observed
        .iter()
        .filter_map(|&j| pointwise[j].effect.map(|e| e.estimate))
        .sum();
    let sum_var: f64 = observed
        .iter()
        .flat_map(|&i| observed.iter().map(move |&j| (i, j)))
        .map(|(i, j)| covariance[(i, j)])
        .sum::<f64>()
        .max(0.0);
    let sum_sd = s * sum_var.sqrt();
    let cumulative = Interval {
        estimate: total,
        lo95: total - q * sum_sd,
        hi95: total + q * sum_sd,
    };
    let average = Interval {
        estimate: total / h,
        lo95: cumulative.lo95 / h,
        hi95: cumulative.hi95 / h,
    };
    let expected_level = observed.iter().map(|&j| raw_expected[j]).sum::<f64>() / h;
    let relative = (expected_level.abs() > 1e-9 * prepared.mean.abs().max(s)).then(|| {
        let d = expected_level.abs();
        Interval {
            estimate: average.estimate / d,
            lo95: average.lo95 / d,
            hi95: average.hi95 / d,
        }
    });
    let z = if sum_sd > 0.0 { total / sum_sd } else { 0.0 };
    Estimate {
        method,
        average,
        cumulative,
        relative,
        probability_nonzero: stats::probability_nonzero(z, df),
        pointwise,
        pre_periods: prepared.pre_observed,
        post_periods: observed.len(),
        seasonal: prepared.seasonal,
        used_control: prepared.control.is_some(),
        outliers: prepared.outliers.clone(),
        autocorrelation: ar,
    }
}
