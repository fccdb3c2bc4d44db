//! The simulation study: synthetic series with known effects, estimated by
//! every method, scored on interval coverage, false positives on series
//! without an effect, power, mean absolute error and runtime.
//!
//! `cargo run --release -p koers-effects --example simulation [-- SERIES SEED]`
//! prints a Markdown table (see BENCHMARKS.md). Runs on one core so the
//! runtime is per series on one core.

use std::time::Instant;

use koers_effects::{Frequency, Input, Method, estimate};

/// xorshift64* with Box–Muller: deterministic for a seed.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[((self.uniform() * options.len() as f64) as usize).min(options.len() - 1)]
    }
}

struct Case {
    input: Input,
    effect: f64,
    ar: f64,
    label: &'static str,
}

fn case(rng: &mut Rng, index: usize) -> Case {
    let weekly = index.is_multiple_of(2);
    let (frequency, pre, post) = if weekly {
        (Frequency::Week, 104, 26)
    } else {
        (Frequency::Month, 48, 12)
    };
    let n = pre + post;
    let ar: f64 = rng.pick(&[0.0, 0.3, 0.6, 0.8, 0.9]);
    let marginal = 1.0 / (1.0 - ar * ar).sqrt();
    let trend = 0.02 * rng.normal();
    let season = rng.pick(&[0.0, 0.0, 1.5]);
    let drift = rng.pick(&[0.0, 0.0, 0.15]);
    let with_control = index % 3 == 1;
    let outliers = rng.pick(&[0usize, 0, 0, 0, 2]);
    let gaps = rng.pick(&[0.0, 0.0, 0.0, 0.0, 0.05]);
    // A third has no effect; the others a step of half to two noise levels.
    let effect = if index.is_multiple_of(3) {
        0.0
    } else {
        marginal * rng.pick(&[0.5, 1.0, 2.0])
    };
    let per_year = frequency.per_year();
    let mut noise = 0.0;
    let mut level = 0.0;
    let mut shared = 0.0;
    let mut values = Vec::with_capacity(n);
    let mut control = Vec::with_capacity(n);
    for t in 0..n {
        noise = ar * noise + rng.normal();
        level += drift * rng.normal();
        shared = 0.7 * shared + 1.5 * rng.normal();
        let seasonal = season * (2.0 * std::f64::consts::PI * t as f64 / per_year).sin();
        let mut value = 100.0 + trend * t as f64 + level + seasonal + noise;
        if with_control {
            value += shared;
            control.push(Some(50.0 + shared + 0.3 * rng.normal() + 0.5 * seasonal));
        }
        if t >= pre {
            value += effect;
        }
        values.push(Some(value));
    }
    for _ in 0..outliers {
        let at = (rng.uniform() * (pre - 2) as f64) as usize + 1;
        if let Some(v) = values[at].as_mut() {
            *v += 8.0 * marginal;
        }
    }
    for (t, v) in values.iter_mut().enumerate() {
        if t != pre && rng.uniform() < gaps {
            *v = None;
        }
    }
    let label = match (with_control, outliers > 0, gaps > 0.0, drift > 0.0) {
        (true, ..) => "control",
        (_, true, ..) => "outliers",
        (_, _, true, _) => "gaps",
        (.., true) => "drifting level",
        _ => "plain",
    };
    Case {
        input: Input {
            values,
            control: with_control.then_some(control),
            intervention: pre,
            frequency,
        },
        effect,
        ar,
        label,
    }
}

#[derive(Default)]
struct Score {
    estimated: usize,
    refused: usize,
    covered: usize,
    null_cases: usize,
    false_positives: usize,
    effect_cases: usize,
    detected: usize,
    absolute_error: f64,
    runtimes: Vec<f64>,
}

impl Score {
    fn row(&mut self, name: &str) -> String {
        self.runtimes.sort_by(f64::total_cmp);
        let median = self
            .runtimes
            .get(self.runtimes.len() / 2)
            .copied()
            .unwrap_or(0.0);
        let p90 = self
            .runtimes
            .get(self.runtimes.len() * 9 / 10)
            .copied()
            .unwrap_or(0.0);
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        format!(
            "| {name} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} | {:.1} |",
            self.estimated,
            self.refused,
            share(self.covered, self.estimated),
            share(self.false_positives, self.null_cases),
            share(self.detected, self.effect_cases),
            self.absolute_error / self.estimated.max(1) as f64,
            median * 1e3,
            p90 * 1e3,
        )
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let cases: Vec<Case> = (0..count).map(|i| case(&mut rng, i)).collect();
    let methods = [
        ("structural (Koers default)", Method::Structural),
        ("segmented, AR(1) GLS", Method::Segmented),
        ("segmented, OLS + Newey–West (reference)", Method::NeweyWest),
    ];
    println!(
        "{count} series, seed {seed}; truth = the injected step (0 for a third of the series).\n"
    );
    println!(
        "| method | estimated | refused | coverage 95% | false-positive rate | power | MAE | median ms | p90 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut by_ar: Vec<(String, f64, usize, usize)> = Vec::new();
    for (name, method) in methods {
        let mut score = Score::default();
        let mut per_ar: std::collections::BTreeMap<(String, String), (usize, usize)> =
            Default::default();
        for case in &cases {
            let started = Instant::now();
            let result = estimate(&case.input, method);
            score.runtimes.push(started.elapsed().as_secs_f64());
            let Ok(found) = result else {
                score.refused += 1;
                continue;
            };
            let a = found.average;
            let covered = a.lo95 <= case.effect && case.effect <= a.hi95;
            score.estimated += 1;
            score.covered += usize::from(covered);
            score.absolute_error += (a.estimate - case.effect).abs();
            if case.effect == 0.0 {
                score.null_cases += 1;
                score.false_positives += usize::from(a.excludes_zero());
            } else {
                score.effect_cases += 1;
                score.detected +=
                    usize::from(a.excludes_zero() && a.estimate.signum() == case.effect.signum());
            }
            let entry = per_ar
                .entry((format!("AR {:.1}", case.ar), case.label.to_owned()))
                .or_default();
            entry.0 += usize::from(covered);
            entry.1 += 1;
        }
        println!("{}", score.row(name));
        for ((ar, label), (covered, total)) in per_ar {
            by_ar.push((
                format!("{name} — {ar}, {label}"),
                covered as f64 / total as f64,
                covered,
                total,
            ));
        }
    }
    println!("\nCoverage by noise autocorrelation and scenario:\n");
    println!("| method — scenario | coverage | series |");
    println!("|---|---|---|");
    for (label, share, _, total) in by_ar {
        println!("| {label} | {share:.2} | {total} |");
    }
}
