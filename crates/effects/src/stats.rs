//! The Student t distribution for intervals and probabilities.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The two-sided 95% quantile of t with `df` degrees of freedom.
pub(crate) fn t95(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1.0))
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

/// One minus the two-sided p-value of `z` under t with `df` degrees of
/// freedom: how sure we are that the effect is not zero.
pub(crate) fn probability_nonzero(z: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df.max(1.0)) {
        Ok(t) => 1.0 - 2.0 * (1.0 - t.cdf(z.abs())),
        Err(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_quantiles() {
        assert!((super::t95(10.0) - 2.228_138_851_986_273_5).abs() < 1e-9);
        assert!((super::t95(1e9) - 1.959_963_984_540_054).abs() < 1e-6);
        assert!((super::probability_nonzero(2.228_138_851_986_273_5, 10.0) - 0.95).abs() < 1e-9);
    }
}
