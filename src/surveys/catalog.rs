//! The built-in items, read from `data/surveys/items.csv` at compile time
//! (our own statements in Dutch and English), and the dimensions each
//! instrument measures.

use super::InstrumentKind;

const ITEMS: &str = include_str!("../../data/surveys/items.csv");

/// The dimension of open questions.
pub const OPEN: &str = "open";

/// The success (`s`) and failure (`f`) factors the scan measures.
pub const FACTORS: [&str; 11] = [
    "s1", "s2", "s3", "s4", "s5", "s6", "f1", "f2", "f3", "f4", "f5",
];

/// The execution barriers, ICT-service fit and the legacy of earlier
/// programmes that the pulse survey measures.
pub const BARRIERS: [&str; 10] = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10"];

/// The dimensions an item of this instrument may measure, `open` last.
pub fn dimensions(kind: InstrumentKind) -> Vec<&'static str> {
    let scored: &[&'static str] = match kind {
        InstrumentKind::Scan => &FACTORS,
        InstrumentKind::Pulse => &BARRIERS,
    };
    scored.iter().copied().chain([OPEN]).collect()
}

/// A built-in item.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinItem {
    pub kind: InstrumentKind,
    pub key: String,
    pub dimension: String,
    pub text_nl: String,
    pub text_en: String,
}

/// Every built-in item, in the order of the file.
pub fn items() -> Vec<BuiltinItem> {
    ITEMS
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let mut cells = line.splitn(6, ';');
            let kind = InstrumentKind::parse(cells.next()?).ok()?;
            let key = cells.next()?.to_owned();
            let dimension = cells.next()?.to_lowercase();
            let _kind_column = cells.next()?;
            Some(BuiltinItem {
                kind,
                key,
                dimension,
                text_nl: cells.next()?.to_owned(),
                text_en: cells.next()?.to_owned(),
            })
        })
        .collect()
}

/// The built-in items of one instrument.
pub fn items_of(kind: InstrumentKind) -> Vec<BuiltinItem> {
    items().into_iter().filter(|i| i.kind == kind).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dimension_has_a_built_in_item_and_every_item_a_known_dimension() {
        for line in ITEMS.lines().filter(|l| !l.trim().is_empty()) {
            assert_eq!(line.matches(';').count(), 5, "a text holds a `;`: {line}");
        }
        let all = items();
        assert_eq!(all.len(), 38, "a line of the file was not read");
        for kind in InstrumentKind::ALL.iter().copied() {
            let own = items_of(kind);
            let dims = dimensions(kind);
            for item in &own {
                assert!(dims.contains(&item.dimension.as_str()), "{item:?}");
                assert!(
                    !item.text_nl.is_empty() && !item.text_en.is_empty(),
                    "{item:?}"
                );
            }
            for dim in dims.iter().filter(|d| **d != OPEN) {
                assert!(own.iter().any(|i| i.dimension == *dim), "{kind:?} {dim}");
            }
        }
        let mut keys: Vec<&str> = all.iter().map(|i| i.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all.len(), "keys are unique");
    }
}
