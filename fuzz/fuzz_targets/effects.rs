//! The effect estimator takes series from measurements and from analysts'
//! files: any values (gaps, NaN, infinities, huge or constant series, a
//! control of another length, go-live anywhere) give an estimate with
//! finite, ordered intervals or a refusal, never a panic.
#![no_main]

use koers_effects::{Frequency, Input, Method, estimate};
use libfuzzer_sys::fuzz_target;

fn values(bytes: &[u8]) -> Vec<Option<f64>> {
    bytes
        .chunks(4)
        .map(|c| {
            let mut word = [0u8; 4];
            word[..c.len()].copy_from_slice(c);
            let raw = f32::from_le_bytes(word);
            // A quarter of the periods missing, on average.
            (c[0] % 4 != 0).then_some(f64::from(raw))
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let frequency = if head[0] % 2 == 0 {
        Frequency::Month
    } else {
        Frequency::Week
    };
    let method = match head[1] % 3 {
        0 => Method::Structural,
        1 => Method::Segmented,
        _ => Method::NeweyWest,
    };
    let with_control = head[2] % 2 == 1;
    // At most 200 periods: the estimator's cost grows with the length.
    let rest = &rest[..rest.len().min(if with_control { 1600 } else { 800 })];
    let (own, control) = if with_control {
        let (a, b) = rest.split_at(rest.len() / 2);
        (values(a), Some(values(b)))
    } else {
        (values(rest), None)
    };
    let intervention = usize::from(head[3]) % (own.len() + 1);
    let input = Input {
        values: own,
        control,
        intervention,
        frequency,
    };
    if let Ok(found) = estimate(&input, method) {
        for interval in [found.average, found.cumulative] {
            assert!(interval.estimate.is_finite(), "{interval:?}");
            assert!(interval.lo95 <= interval.hi95, "{interval:?}");
        }
    }
});
