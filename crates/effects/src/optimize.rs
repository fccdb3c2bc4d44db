//! Nelder–Mead minimisation for the two or three parameters of a model:
//! no gradients needed, robust on the flat likelihoods short series give.

/// Minimises `f` from `start` with initial steps `step`; returns the best
/// point and its value. Non-finite values count as worse than any finite.
pub(crate) fn minimise(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    step: &[f64],
    max_evaluations: usize,
) -> (Vec<f64>, f64) {
    let n = start.len();
    let value = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), value(start)));
    for i in 0..n {
        let mut x = start.to_vec();
        x[i] += step[i];
        let v = value(&x);
        simplex.push((x, v));
    }
    let mut evaluations = n + 1;
    while evaluations < max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[n].1);
        let spread = simplex
            .iter()
            .flat_map(|(x, _)| x.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if (worst - best).abs() <= 1e-9 * (1.0 + best.abs()) && spread < 1e-6 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|(x, _)| x[j]).sum::<f64>() / n as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n].0)
                .map(|(c, w)| c + t * (w - c))
                .collect()
        };
        let reflected = towards(-1.0);
        let fr = value(&reflected);
        evaluations += 1;
        if fr < simplex[0].1 {
            let expanded = towards(-2.0);
            let fe = value(&expanded);
            evaluations += 1;
            simplex[n] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let contracted = if fr < simplex[n].1 {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = value(&contracted);
            evaluations += 1;
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for point in simplex.iter_mut().skip(1) {
                    let x: Vec<f64> = point
                        .0
                        .iter()
                        .zip(&best)
                        .map(|(x, b)| b + 0.5 * (x - b))
                        .collect();
                    let v = value(&x);
                    *point = (x, v);
                }
                evaluations += n;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0)
}

#[cfg(test)]
mod tests {
    use super::minimise;

    #[test]
    fn finds_the_minimum_of_a_curved_valley() {
        let rosenbrock = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let (x, v) = minimise(&rosenbrock, &[-1.2, 1.0], &[0.5, 0.5], 5000);
        assert!(v < 1e-8, "{v}");
        assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3, "{x:?}");
    }
}
