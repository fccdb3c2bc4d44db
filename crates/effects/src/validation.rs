//! Validation against an independent implementation: for fixed models on
//! fixed data, our estimates, log-likelihoods and forecasts match
//! statsmodels (OLS with Newey–West errors, SARIMAX regression with AR(1)
//! errors, unobserved-components models filtered at fixed parameters: the
//! trend with AR noise, and the full structural model with yearly Fourier
//! terms and a control whose coefficient is a state).
//! The reference values come from `validation/reference.py`, which CI
//! reruns with statsmodels to prove the committed file is what it computes.

use nalgebra::{DMatrix, DVector};
use serde_json::Value;

use crate::guards::Prepared;
use crate::{Frequency, kalman, segmented, structural};

fn reference() -> Value {
    serde_json::from_str(include_str!("../validation/reference.json"))
        .expect("reference.json is JSON")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn assert_close(ours: f64, theirs: f64, tolerance: f64, what: &str) {
    let scale = theirs.abs().max(1.0);
    assert!(
        (ours - theirs).abs() <= tolerance * scale,
        "{what}: ours {ours}, statsmodels {theirs}"
    );
}

/// The Gaussian log-likelihood at a given scale (statsmodels does not
/// concentrate it out when the variances are fixed).
fn loglik_at(filtered: &kalman::Filtered, scale: f64) -> f64 {
    let n = filtered.counted as f64;
    -0.5 * (n * (2.0 * std::f64::consts::PI).ln()
        + n * scale.ln()
        + filtered.sum_log_f
        + filtered.sum_v2_f / scale)
}

/// Our forecast means and variances (unit scale, so times `scale`) against
/// the reference's, to the given (mean, variance) tolerances.
fn assert_forecast(
    reference: &Value,
    mean: &[f64],
    joint: &DMatrix<f64>,
    scale: f64,
    (mean_tolerance, variance_tolerance): (f64, f64),
) {
    let means = numbers(&reference["mean"]);
    let variances = numbers(&reference["var"]);
    assert_eq!(means.len(), mean.len());
    for j in 0..mean.len() {
        assert_close(mean[j], means[j], mean_tolerance, &format!("forecast {j}"));
        assert_close(
            joint[(j, j)] * scale,
            variances[j],
            variance_tolerance,
            &format!("variance {j}"),
        );
    }
}

/// The raw series as the segmented regression sees it (no standardising).
fn prepared(y: &[f64], t0: usize) -> Prepared {
    Prepared {
        y: y.iter().copied().map(Some).collect(),
        control: None,
        intervention: t0,
        frequency: Frequency::Month,
        mean: 0.0,
        scale: 1.0,
        seasonal: false,
        outliers: Vec::new(),
        pre_observed: t0,
    }
}

#[test]
fn ols_with_newey_west_errors_matches_statsmodels() {
    let r = reference();
    let y = numbers(&r["y"]);
    let t0 = r["t0"].as_u64().expect("t0") as usize;
    let p = prepared(&y, t0);
    let x = segmented::design(&p);
    let (covariance, fit) = segmented::newey_west(&x, &p.y).expect("a fit");
    let reference = &r["ols_newey_west"];
    for (i, theirs) in numbers(&reference["params"]).into_iter().enumerate() {
        assert_close(fit.coefficients[i], theirs, 1e-9, &format!("beta {i}"));
    }
    for (i, row) in reference["cov"]
        .as_array()
        .expect("rows")
        .iter()
        .enumerate()
    {
        for (j, theirs) in numbers(row).into_iter().enumerate() {
            assert_close(covariance[(i, j)], theirs, 1e-9, &format!("cov {i},{j}"));
        }
    }
}

#[test]
fn regression_with_ar1_errors_matches_sarimax_maximum_likelihood() {
    let r = reference();
    let y = numbers(&r["y"]);
    let t0 = r["t0"].as_u64().expect("t0") as usize;
    let p = prepared(&y, t0);
    let x = segmented::design(&p);
    let (ar, fit) = segmented::best_ar(&x, &p.y).expect("a fit");
    let reference = &r["ar1_gls"];
    assert_close(
        ar,
        reference["ar"].as_f64().expect("ar"),
        1e-4,
        "AR coefficient",
    );
    for (i, theirs) in numbers(&reference["beta"]).into_iter().enumerate() {
        assert_close(fit.coefficients[i], theirs, 1e-4, &format!("beta {i}"));
    }
    assert_close(
        fit.loglik,
        reference["llf"].as_f64().expect("llf"),
        1e-7,
        "log-likelihood",
    );
}

#[test]
fn the_kalman_filter_matches_unobserved_components_at_fixed_parameters() {
    let r = reference();
    let y = numbers(&r["y"]);
    let t0 = r["t0"].as_u64().expect("t0") as usize;
    let reference = &r["kalman"];
    let scale = reference["scale"].as_f64().expect("scale");
    let model = structural::trend_ar_model(
        reference["level_ratio"].as_f64().expect("ratio"),
        reference["ar"].as_f64().expect("ar"),
    );
    let pre: Vec<Option<f64>> = y[..t0].iter().copied().map(Some).collect();
    let design = |_t: usize| DVector::from_row_slice(&[1.0, 0.0, 1.0]);
    let filtered = kalman::filter(&model, &pre, &design).expect("a filter run");
    let loglik = loglik_at(&filtered, scale);
    assert_close(
        loglik,
        reference["llf"].as_f64().expect("llf"),
        1e-9,
        "log-likelihood",
    );
    let horizon = y.len() - t0;
    let (mean, joint): (Vec<f64>, DMatrix<f64>) = kalman::forecast(
        &model,
        &filtered.next_mean,
        &filtered.next_cov,
        horizon,
        &design,
    );
    assert_forecast(reference, &mean, &joint, scale, (1e-8, 1e-8));
}

#[test]
fn the_model_with_season_and_control_matches_unobserved_components() {
    let r = reference();
    let reference = &r["seasonal_control"];
    let y = numbers(&reference["y"]);
    let x = numbers(&reference["x"]);
    let t0 = reference["t0"].as_u64().expect("t0") as usize;
    let scale = reference["scale"].as_f64().expect("scale");
    let layout = structural::Layout {
        harmonics: reference["harmonics"].as_u64().expect("harmonics") as usize,
        control: true,
    };
    let model = structural::model(
        &layout,
        reference["level_ratio"].as_f64().expect("ratio"),
        reference["ar"].as_f64().expect("ar"),
    );
    let design = |t: usize| structural::design_row(&layout, 12.0, Some(&x), t);
    let pre: Vec<Option<f64>> = y[..t0].iter().copied().map(Some).collect();
    let filtered = kalman::filter(&model, &pre, &design).expect("a filter run");
    assert_eq!(
        filtered.counted,
        t0 - 7,
        "seven diffuse states: seven observations leave the likelihood"
    );
    let loglik = loglik_at(&filtered, scale);
    assert_close(
        loglik,
        reference["llf"].as_f64().expect("llf"),
        1e-9,
        "log-likelihood",
    );
    let horizon = y.len() - t0;
    let ahead = |j: usize| design(t0 + j);
    let (mean, joint) = kalman::forecast(
        &model,
        &filtered.next_mean,
        &filtered.next_cov,
        horizon,
        &ahead,
    );
    assert_forecast(reference, &mean, &joint, scale, (1e-8, 1e-8));
}
