//! A linear Gaussian state-space model and its Kalman filter, with an
//! approximate diffuse start for the states we know nothing about, a
//! likelihood concentrated on the scale, and the joint forecast covariance
//! over a horizon.

use nalgebra::{DMatrix, DVector};

/// Variance of a diffuse state at the start; the series is standardised,
/// so this dwarfs anything the data say.
const DIFFUSE: f64 = 1e6;

pub(crate) struct Model {
    pub transition: DMatrix<f64>,
    /// State noise covariance R Q R', in units of the scale.
    pub noise: DMatrix<f64>,
    pub start_mean: DVector<f64>,
    pub start_cov: DMatrix<f64>,
    /// How many states start diffuse; as many first observations do not
    /// count in the likelihood.
    pub diffuse: usize,
}

impl Model {
    /// `diffuse_states` start with a huge variance; `known` gives the
    /// start variance of the others (index, variance).
    pub fn new(
        transition: DMatrix<f64>,
        noise: DMatrix<f64>,
        diffuse_states: &[usize],
        known: &[(usize, f64)],
    ) -> Model {
        let m = transition.nrows();
        let mut start_cov = DMatrix::zeros(m, m);
        for &i in diffuse_states {
            start_cov[(i, i)] = DIFFUSE;
        }
        for &(i, v) in known {
            start_cov[(i, i)] = v;
        }
        Model {
            transition,
            noise,
            start_mean: DVector::zeros(m),
            start_cov,
            diffuse: diffuse_states.len(),
        }
    }
}

/// What filtering the observed stretch leaves.
pub(crate) struct Filtered {
    /// Sum of log F_t over the counted observations.
    pub sum_log_f: f64,
    /// Sum of v_t² / F_t over the counted observations.
    pub sum_v2_f: f64,
    /// Observations counted in the likelihood.
    pub counted: usize,
    /// The state predicted for the period after the last one filtered.
    pub next_mean: DVector<f64>,
    pub next_cov: DMatrix<f64>,
}

impl Filtered {
    /// The scale that maximises the likelihood.
    pub fn scale(&self) -> f64 {
        self.sum_v2_f / self.counted.max(1) as f64
    }

    /// The log-likelihood with the scale concentrated out.
    pub fn concentrated_loglik(&self) -> f64 {
        let n = self.counted as f64;
        let s2 = self.scale().max(1e-300);
        -0.5 * (n * (2.0 * std::f64::consts::PI).ln() + n * s2.ln() + self.sum_log_f + n)
    }
}

/// Filters `y` (missing where `None`); `design(t)` is the observation row
/// Z_t. There is no separate observation noise: the model's own AR state
/// carries it.
pub(crate) fn filter(
    model: &Model,
    y: &[Option<f64>],
    design: &dyn Fn(usize) -> DVector<f64>,
) -> Option<Filtered> {
    let mut a = model.start_mean.clone();
    let mut p = model.start_cov.clone();
    let t_mat = &model.transition;
    let mut seen = 0;
    let mut out = Filtered {
        sum_log_f: 0.0,
        sum_v2_f: 0.0,
        counted: 0,
        next_mean: a.clone(),
        next_cov: p.clone(),
    };
    for (t, value) in y.iter().enumerate() {
        if let Some(value) = value {
            let z = design(t);
            let pz = &p * &z;
            let f = z.dot(&pz);
            if !f.is_finite() || f <= 0.0 {
                return None;
            }
            let v = value - z.dot(&a);
            let gain = &pz / f;
            a += &gain * v;
            p -= &gain * pz.transpose();
            seen += 1;
            if seen > model.diffuse {
                out.sum_log_f += f.ln();
                out.sum_v2_f += v * v / f;
                out.counted += 1;
            }
        }
        a = t_mat * &a;
        p = t_mat * &p * t_mat.transpose() + &model.noise;
        p = (&p + p.transpose()) * 0.5;
    }
    out.next_mean = a;
    out.next_cov = p;
    Some(out)
}

/// Forecasts `horizon` periods on from a filtered state: the expected
/// observations and their joint covariance (unit scale). `design(j)` is the
/// observation row of forecast step j.
pub(crate) fn forecast(
    model: &Model,
    mean: &DVector<f64>,
    cov: &DMatrix<f64>,
    horizon: usize,
    design: &dyn Fn(usize) -> DVector<f64>,
) -> (Vec<f64>, DMatrix<f64>) {
    let t_mat = &model.transition;
    let rows: Vec<DVector<f64>> = (0..horizon).map(design).collect();
    let mut expected = Vec::with_capacity(horizon);
    let mut joint = DMatrix::zeros(horizon, horizon);
    let mut a = mean.clone();
    let mut p = cov.clone();
    for i in 0..horizon {
        expected.push(rows[i].dot(&a));
        // Cov(y_j, y_i) = Z_j T^(j-i) P_i Z_i' for j >= i.
        let mut g = &p * &rows[i];
        joint[(i, i)] = rows[i].dot(&g);
        for j in i + 1..horizon {
            g = t_mat * g;
            let c = rows[j].dot(&g);
            joint[(i, j)] = c;
            joint[(j, i)] = c;
        }
        a = t_mat * &a;
        p = t_mat * &p * t_mat.transpose() + &model.noise;
        p = (&p + p.transpose()) * 0.5;
    }
    (expected, joint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A local level with known variances: after one observation with a
    /// diffuse start the filtered level equals it, and the next prediction
    /// variance is the level noise plus the observation's.
    #[test]
    fn a_local_level_learns_its_level_from_the_first_observation() {
        // States: level, noise (white: AR coefficient 0).
        let transition = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 0.0]);
        let noise = DMatrix::from_row_slice(2, 2, &[0.5, 0.0, 0.0, 1.0]);
        let model = Model::new(transition, noise, &[0], &[(1, 1.0)]);
        let design = |_t: usize| DVector::from_row_slice(&[1.0, 1.0]);
        let filtered = filter(&model, &[Some(3.0)], &design).unwrap();
        assert!((filtered.next_mean[0] - 3.0).abs() < 1e-5);
        assert_eq!(
            filtered.counted, 0,
            "the diffuse observation does not count"
        );
        let (expected, joint) =
            forecast(&model, &filtered.next_mean, &filtered.next_cov, 2, &design);
        assert!((expected[0] - 3.0).abs() < 1e-5);
        // Var(level) after the update is ~1 (the observation's noise), plus
        // 0.5 level noise, plus 1 for the new observation's noise.
        assert!((joint[(0, 0)] - 2.5).abs() < 1e-4, "{}", joint[(0, 0)]);
        // One step further the level has moved by another 0.5.
        assert!((joint[(1, 1)] - 3.0).abs() < 1e-4, "{}", joint[(1, 1)]);
        // They share the level's uncertainty up to the first forecast.
        assert!((joint[(0, 1)] - 1.5).abs() < 1e-4, "{}", joint[(0, 1)]);
    }
}
