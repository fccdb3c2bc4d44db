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

/// The t distribution function with `df` degrees of freedom.
pub(crate) fn t_cdf(x: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1.0)).map_or(0.5, |t| t.cdf(x))
}

/// The AR coefficients both methods average over, each with the width of
/// the stretch of (-1, 1) it stands for (a flat prior).
pub(crate) fn ar_grid() -> Vec<(f64, f64)> {
    const AR: [f64; 14] = [
        -0.6, -0.3, 0.0, 0.2, 0.4, 0.55, 0.65, 0.75, 0.82, 0.87, 0.91, 0.94, 0.96, 0.98,
    ];
    (0..AR.len())
        .map(|i| {
            let lo = if i == 0 {
                -1.0
            } else {
                (AR[i - 1] + AR[i]) / 2.0
            };
            let hi = if i + 1 == AR.len() {
                1.0
            } else {
                (AR[i] + AR[i + 1]) / 2.0
            };
            (AR[i], hi - lo)
        })
        .collect()
}

/// A mixture of scaled t distributions with common degrees of freedom:
/// what a quantity is worth when it is averaged over model parameters
/// weighted by their likelihood.
pub(crate) struct Mixture {
    /// (weight, mean, scale); weights sum to one.
    components: Vec<(f64, f64, f64)>,
    df: f64,
}

impl Mixture {
    /// From (log weight, mean, scale); the weights are normalised here.
    /// `None` when no component has a finite weight.
    pub fn new(components: Vec<(f64, f64, f64)>, df: f64) -> Option<Mixture> {
        let best = components
            .iter()
            .map(|c| c.0)
            .fold(f64::NEG_INFINITY, f64::max);
        if !best.is_finite() {
            return None;
        }
        let total: f64 = components.iter().map(|c| (c.0 - best).exp()).sum();
        let components = components
            .into_iter()
            .map(|(l, m, sd)| ((l - best).exp() / total, m, sd.max(1e-150)))
            .collect();
        Some(Mixture { components, df })
    }

    pub fn mean(&self) -> f64 {
        self.components.iter().map(|(w, m, _)| w * m).sum()
    }

    pub fn cdf(&self, x: f64) -> f64 {
        self.components
            .iter()
            .map(|(w, m, sd)| w * t_cdf((x - m) / sd, self.df))
            .sum()
    }

    /// The `p` quantile, by bisection on the distribution function.
    pub fn quantile(&self, p: f64) -> f64 {
        let reach = t95(self.df) * 20.0;
        let mut lo = self
            .components
            .iter()
            .map(|(_, m, sd)| m - reach * sd)
            .fold(f64::INFINITY, f64::min);
        let mut hi = self
            .components
            .iter()
            .map(|(_, m, sd)| m + reach * sd)
            .fold(f64::NEG_INFINITY, f64::max);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            if self.cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo + hi) / 2.0
    }

    /// One minus the two-sided tail probability beyond `x`: how sure we
    /// are that the quantity is not `x`.
    pub fn probability_not(&self, x: f64) -> f64 {
        let below = self.cdf(x);
        1.0 - (2.0 * below.min(1.0 - below)).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_quantiles() {
        assert!((super::t95(10.0) - 2.228_138_851_986_273_5).abs() < 1e-9);
        assert!((super::t95(1e9) - 1.959_963_984_540_054).abs() < 1e-6);
        assert!((super::t95(1000.0) - 1.962_339_133_850_158).abs() < 1e-6);
        // One component: the mixture is the scaled t.
        let one = super::Mixture::new(vec![(-5.0, 3.0, 2.0)], 10.0).unwrap();
        let q = one.quantile(0.975);
        assert!((q - (3.0 + 2.0 * super::t95(10.0))).abs() < 1e-6, "{q}");
        assert!((one.probability_not(3.0 - 2.0 * super::t95(10.0)) - 0.95).abs() < 1e-6);
        // Two equal components far apart: the mean is between them and
        // half the mass lies below it.
        let two = super::Mixture::new(vec![(0.0, -10.0, 1.0), (0.0, 10.0, 1.0)], 30.0).unwrap();
        assert!(two.mean().abs() < 1e-12);
        assert!((two.cdf(0.0) - 0.5).abs() < 1e-12);
        assert!(super::Mixture::new(vec![(f64::NEG_INFINITY, 0.0, 1.0)], 5.0).is_none());
    }
}
