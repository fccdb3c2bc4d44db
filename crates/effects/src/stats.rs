//! The Student t distribution for intervals and probabilities.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The two-sided 95% quantile of t with `df` degrees of freedom.
pub(crate) fn t95(df: f64) -> f64 {
    // Beyond this the t is the normal to seven digits (and statrs' inverse
    // slows down).
    if df > 1e5 {
        return 1.959_963_984_540_054;
    }
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

/// The t distribution function with `df` degrees of freedom.
pub(crate) fn t_cdf(x: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1.0)).map_or(0.5, |t| t.cdf(x))
}

/// The `p` quantile of a mixture of scaled t distributions (weight, mean,
/// scale), by bisection on its distribution function `cdf`.
pub(crate) fn mixture_quantile(
    cdf: &dyn Fn(f64) -> f64,
    components: &[(f64, f64, f64)],
    df: f64,
    p: f64,
) -> f64 {
    let reach = t95(df) * 20.0;
    let mut lo = components
        .iter()
        .map(|(_, m, sd)| m - reach * sd)
        .fold(f64::INFINITY, f64::min);
    let mut hi = components
        .iter()
        .map(|(_, m, sd)| m + reach * sd)
        .fold(f64::NEG_INFINITY, f64::max);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_quantiles() {
        assert!((super::t95(10.0) - 2.228_138_851_986_273_5).abs() < 1e-9);
        assert!((super::t95(1e9) - 1.959_963_984_540_054).abs() < 1e-6);
        assert!((super::t95(1000.0) - 1.962_339_133_850_158).abs() < 1e-6);
        assert!((super::probability_nonzero(2.228_138_851_986_273_5, 10.0) - 0.95).abs() < 1e-9);
        // One component: the mixture quantile is the t quantile.
        let one = [(1.0, 3.0, 2.0)];
        let cdf = |x: f64| super::t_cdf((x - 3.0) / 2.0, 10.0);
        let q = super::mixture_quantile(&cdf, &one, 10.0, 0.975);
        assert!((q - (3.0 + 2.0 * super::t95(10.0))).abs() < 1e-6, "{q}");
    }
}
