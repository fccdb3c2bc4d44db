//! Segmented regression (interrupted time series): a level and a slope
//! before go-live, a change in each after it, yearly Fourier terms when the
//! pre-period spans two years, the control when given, and AR(1) errors.
//! Fitted by generalised least squares, the AR coefficient by profile
//! likelihood. Gaps are allowed: the AR(1) correlation decays with the
//! distance between observations.

use nalgebra::{DMatrix, DVector};

use crate::guards::{Prepared, Refusal};
use crate::{Estimate, Interval, Method, Pointwise, stats};

const MAX_AR: f64 = 0.95;

/// The fitted regression at one AR coefficient.
pub(crate) struct Fit {
    pub coefficients: DVector<f64>,
    /// (X̃'X̃)⁻¹ of the whitened design.
    pub inverse: DMatrix<f64>,
    /// Residual variance of the whitened fit (the marginal variance of the
    /// noise), with n − p degrees of freedom.
    pub variance: f64,
    pub loglik: f64,
    pub observations: usize,
}

/// Columns: 1, time, after, time since go-live (after), Fourier terms,
/// control. Time is in years so the coefficients stay comparable.
pub(crate) fn design(prepared: &Prepared) -> DMatrix<f64> {
    let n = prepared.y.len();
    let t0 = prepared.intervention as f64;
    let per_year = prepared.frequency.per_year();
    let harmonics = if prepared.seasonal { 2 } else { 0 };
    let columns = 4 + 2 * harmonics + usize::from(prepared.control.is_some());
    DMatrix::from_fn(n, columns, |t, c| {
        let time = t as f64;
        let after = if time >= t0 { 1.0 } else { 0.0 };
        match c {
            0 => 1.0,
            1 => (time - t0) / per_year,
            2 => after,
            3 => after * (time - t0) / per_year,
            c if c < 4 + 2 * harmonics => {
                let k = (c - 4) / 2 + 1;
                let angle = 2.0 * std::f64::consts::PI * k as f64 * time / per_year;
                if (c - 4) % 2 == 0 {
                    angle.cos()
                } else {
                    angle.sin()
                }
            }
            _ => prepared.control.as_ref().map_or(0.0, |x| x[t]),
        }
    })
}

/// GLS at a given AR coefficient over the observed rows.
pub(crate) fn fit_at(x: &DMatrix<f64>, y: &[Option<f64>], ar: f64) -> Option<Fit> {
    let rows: Vec<(usize, f64)> = y
        .iter()
        .enumerate()
        .filter_map(|(t, v)| v.map(|v| (t, v)))
        .collect();
    let n = rows.len();
    let p = x.ncols();
    if n <= p + 1 {
        return None;
    }
    let mut xw = DMatrix::zeros(n, p);
    let mut yw = DVector::zeros(n);
    let mut log_jacobian = 0.0;
    for (k, &(t, v)) in rows.iter().enumerate() {
        if k == 0 {
            xw.row_mut(0).copy_from(&x.row(t));
            yw[0] = v;
            continue;
        }
        let (previous, pv) = rows[k - 1];
        let rho = ar.powi(i32::try_from(t - previous).ok()?);
        let scale = (1.0 - rho * rho).sqrt();
        if scale <= 1e-12 {
            return None;
        }
        log_jacobian += scale.ln();
        for c in 0..p {
            xw[(k, c)] = (x[(t, c)] - rho * x[(previous, c)]) / scale;
        }
        yw[k] = (v - rho * pv) / scale;
    }
    let qr = xw.clone().qr();
    let r = qr.r();
    let qty = qr.q().transpose() * &yw;
    let coefficients = r.solve_upper_triangular(&qty)?;
    let residuals = &yw - &xw * &coefficients;
    let rss = residuals.dot(&residuals);
    let inverse = (xw.transpose() * &xw).try_inverse()?;
    let variance = rss / (n - p) as f64;
    let ml_variance = rss / n as f64;
    if ml_variance <= 0.0 {
        return None;
    }
    let loglik =
        -0.5 * n as f64 * ((2.0 * std::f64::consts::PI * ml_variance).ln() + 1.0) - log_jacobian;
    Some(Fit {
        coefficients,
        inverse,
        variance,
        loglik,
        observations: n,
    })
}

/// The AR coefficient that maximises the profile likelihood: a grid, then
/// golden-section refinement around the best grid point.
pub(crate) fn best_ar(x: &DMatrix<f64>, y: &[Option<f64>]) -> Option<(f64, Fit)> {
    let loglik = |ar: f64| fit_at(x, y, ar).map_or(f64::NEG_INFINITY, |f| f.loglik);
    let grid: Vec<f64> = (-19..=19).map(|i| MAX_AR * f64::from(i) / 19.0).collect();
    let start = grid
        .iter()
        .copied()
        .max_by(|a, b| loglik(*a).total_cmp(&loglik(*b)))?;
    let step = MAX_AR / 19.0;
    let (mut lo, mut hi) = ((start - step).max(-MAX_AR), (start + step).min(MAX_AR));
    let golden = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..30 {
        let a = hi - golden * (hi - lo);
        let b = lo + golden * (hi - lo);
        if loglik(a) > loglik(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    let ar = (lo + hi) / 2.0;
    fit_at(x, y, ar).map(|fit| (ar, fit))
}

/// Ordinary least squares with Newey–West (Bartlett kernel) standard
/// errors: the textbook interrupted-time-series analysis, kept as the
/// reference our methods must beat.
pub(crate) fn newey_west(x: &DMatrix<f64>, y: &[Option<f64>]) -> Option<(DMatrix<f64>, Fit)> {
    let fit = fit_at(x, y, 0.0)?;
    let rows: Vec<usize> = (0..y.len()).filter(|&t| y[t].is_some()).collect();
    let n = rows.len();
    let p = x.ncols();
    let residual = |k: usize| {
        let t = rows[k];
        y[t].unwrap_or(0.0) - x.row(t).transpose().dot(&fit.coefficients)
    };
    let u: Vec<f64> = (0..n).map(residual).collect();
    let lags = (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize;
    let mut meat = DMatrix::zeros(p, p);
    for lag in 0..=lags {
        let weight = if lag == 0 {
            1.0
        } else {
            1.0 - lag as f64 / (lags as f64 + 1.0)
        };
        for k in lag..n {
            let a = x.row(rows[k]).transpose() * u[k];
            let b = x.row(rows[k - lag]).transpose() * u[k - lag];
            let term = &a * b.transpose();
            if lag == 0 {
                meat += term * weight;
            } else {
                meat += (&term + term.transpose()) * weight;
            }
        }
    }
    let covariance = &fit.inverse * meat * &fit.inverse * (n as f64 / (n - p) as f64);
    Some((covariance, fit))
}

/// The average effect `a'b` averaged over the AR coefficient's likelihood
/// on a grid (flat prior), as for the structural model: plugging in the
/// one best AR coefficient gives intervals that are too narrow. In the
/// series' unit.
fn averaged_over_ar(
    x: &DMatrix<f64>,
    y: &[Option<f64>],
    a: &DVector<f64>,
    scale: f64,
    df: f64,
) -> Option<stats::Mixture> {
    let components = stats::ar_grid()
        .into_iter()
        .filter_map(|(ar, prior)| {
            let fit = fit_at(x, y, ar)?;
            let covariance = &fit.inverse * fit.variance;
            let sd = scale * a.dot(&(&covariance * a)).max(0.0).sqrt();
            Some((
                fit.loglik + prior.ln(),
                scale * a.dot(&fit.coefficients),
                sd,
            ))
        })
        .collect();
    stats::Mixture::new(components, df)
}

pub(crate) fn estimate(prepared: &Prepared) -> Result<Estimate, Refusal> {
    estimate_with(prepared, false)
}

pub(crate) fn estimate_newey_west(prepared: &Prepared) -> Result<Estimate, Refusal> {
    estimate_with(prepared, true)
}

fn estimate_with(prepared: &Prepared, hac: bool) -> Result<Estimate, Refusal> {
    let x = design(prepared);
    let (ar, fit, covariance) = if hac {
        let (covariance, fit) = newey_west(&x, &prepared.y).ok_or(Refusal::NoFit)?;
        (0.0, fit, covariance)
    } else {
        let (ar, fit) = best_ar(&x, &prepared.y).ok_or(Refusal::NoFit)?;
        let covariance = &fit.inverse * fit.variance;
        (ar, fit, covariance)
    };
    let p = x.ncols();
    let df = (fit.observations - p) as f64 - 1.0;
    if df < 2.0 {
        return Err(Refusal::NoFit);
    }
    let b = &fit.coefficients;
    let q = stats::t95(df);
    let s = prepared.scale;
    let t0 = prepared.intervention;
    let n = prepared.y.len();
    // Effect at a post row: level change plus slope change times the time
    // since go-live; its variance from the coefficients' covariance.
    let effect_row = |t: usize| {
        let mut a = DVector::zeros(p);
        a[2] = 1.0;
        a[3] = x[(t, 3)];
        a
    };
    let pointwise = (t0..n)
        .map(|t| {
            let mut counterfactual = x.row(t).transpose();
            counterfactual[2] = 0.0;
            counterfactual[3] = 0.0;
            let expected = prepared.mean + s * counterfactual.dot(b);
            let spread = q
                * s
                * (counterfactual.dot(&(&covariance * &counterfactual)) + fit.variance)
                    .max(0.0)
                    .sqrt();
            let a = effect_row(t);
            let effect = s * a.dot(b);
            let effect_half = q * s * a.dot(&(&covariance * &a)).max(0.0).sqrt();
            Pointwise {
                index: t,
                observed: prepared.y[t].map(|y| prepared.mean + s * y),
                expected: Interval {
                    estimate: expected,
                    lo95: expected - spread,
                    hi95: expected + spread,
                },
                effect: prepared.y[t].map(|_| Interval {
                    estimate: effect,
                    lo95: effect - effect_half,
                    hi95: effect + effect_half,
                }),
            }
        })
        .collect::<Vec<_>>();
    let observed: Vec<usize> = (t0..n).filter(|&t| prepared.y[t].is_some()).collect();
    let h = observed.len() as f64;
    let mut a = DVector::zeros(p);
    for &t in &observed {
        a += effect_row(t);
    }
    a /= h;
    // The average effect's distribution: at the fitted AR coefficient (or
    // with Newey–West errors) a scaled t; for the GLS fit averaged over the
    // AR coefficient's likelihood.
    let plug_in = stats::Mixture::new(
        vec![(
            0.0,
            s * a.dot(b),
            s * a.dot(&(&covariance * &a)).max(0.0).sqrt(),
        )],
        df,
    )
    .ok_or(Refusal::NoFit)?;
    let spread = if hac {
        plug_in
    } else {
        averaged_over_ar(&x, &prepared.y, &a, s, df).unwrap_or(plug_in)
    };
    let average = Interval {
        estimate: spread.mean(),
        lo95: spread.quantile(0.025),
        hi95: spread.quantile(0.975),
    };
    let cumulative = Interval {
        estimate: average.estimate * h,
        lo95: average.lo95 * h,
        hi95: average.hi95 * h,
    };
    let expected_level = observed
        .iter()
        .map(|&t| pointwise[t - t0].expected.estimate)
        .sum::<f64>()
        / h;
    let relative = crate::relative(&average, expected_level, prepared.mean, s);
    let probability_nonzero = spread.probability_not(0.0);
    Ok(Estimate {
        method: if hac {
            Method::NeweyWest
        } else {
            Method::Segmented
        },
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
        autocorrelation: ar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::Noise;
    use crate::{Frequency, Input};

    #[test]
    fn the_average_effect_is_averaged_over_the_ar_coefficient_and_wider_than_plugged_in() {
        let mut noise = Noise::new(5);
        let mut e = 0.0;
        let values = (0..60)
            .map(|_| {
                e = 0.9 * e + noise.normal();
                Some(30.0 + e)
            })
            .collect();
        let input = Input {
            values,
            control: None,
            intervention: 48,
            frequency: Frequency::Month,
        };
        let prepared = crate::guards::prepare(&input).unwrap();
        let x = design(&prepared);
        let (_, fit) = best_ar(&x, &prepared.y).unwrap();
        let mut a = DVector::zeros(x.ncols());
        for t in 48..60 {
            a[2] += 1.0 / 12.0;
            a[3] += x[(t, 3)] / 12.0;
        }
        let df = (fit.observations - x.ncols()) as f64 - 1.0;
        let s = prepared.scale;
        let plugged = 2.0 * stats::t95(df) * s * a.dot(&(&fit.inverse * fit.variance * &a)).sqrt();
        let averaged = averaged_over_ar(&x, &prepared.y, &a, s, df).unwrap();
        let width = averaged.quantile(0.975) - averaged.quantile(0.025);
        assert!(width > plugged, "averaged {width} vs plugged in {plugged}");
        let found = estimate(&prepared).unwrap();
        assert!(
            (found.average.hi95 - found.average.lo95 - width).abs() < 1e-6,
            "the estimate uses the averaged interval"
        );
    }
}
