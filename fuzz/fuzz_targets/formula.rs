//! Indicator formulas are typed by people: any text parses or is refused,
//! and a parsed formula evaluates to a number or to nothing, never a panic.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(formula) = koers::indicators::formula::Formula::parse(text) {
        let references = formula.references();
        let inputs: HashMap<_, f64> = references
            .iter()
            .enumerate()
            .map(|(i, r)| (r, i as f64 - 1.0))
            .collect();
        if let Some(value) = formula.evaluate(&inputs) {
            assert!(value.is_finite());
        }
    }
});
