//! Validation of a new instrument version: every failing item is reported
//! at once, by its place in the list (`items[3].text_nl`).

use std::collections::HashSet;

use super::catalog::{self, OPEN};
use super::{InstrumentKind, Item, VersionInput};
use crate::domain::Validator;

pub const ITEMS_MAX: usize = 100;
pub const TEXT_MAX: usize = 500;
pub const NOTE_MAX: usize = 1000;

/// An item as the new version will hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpec {
    pub key: String,
    pub dimension: String,
    pub text_nl: String,
    pub text_en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VersionSpec {
    pub items: Vec<ItemSpec>,
    pub note: String,
}

impl VersionSpec {
    /// Whether this is the list the current version already has.
    pub fn same_items_as(&self, current: &[Item]) -> bool {
        self.items.len() == current.len()
            && self.items.iter().zip(current).all(|(a, b)| a.key == b.key)
    }
}

/// Checks a new version of an instrument of `kind` against its current
/// items and the built-in catalogue. New items get the keys `E<n>`,
/// counting on from `next_own`.
pub fn version_spec(
    kind: InstrumentKind,
    input: &VersionInput,
    current: &[Item],
    mut next_own: i64,
) -> crate::Result<VersionSpec> {
    let mut v = Validator::new();
    let note = v.line("note", input.note.as_deref().unwrap_or(""), NOTE_MAX);
    let given = input.items.as_deref().unwrap_or(&[]);
    if given.is_empty() {
        v.add("items", "required");
    } else if given.len() > ITEMS_MAX {
        v.add("items", "too_many_items");
        return v.finish(None);
    }
    let builtin = catalog::items_of(kind);
    let dimensions = catalog::dimensions(kind);
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(given.len());
    for (i, item) in given.iter().enumerate() {
        let field = |name: &str| format!("items[{i}].{name}");
        let spec = match item.key.as_deref().map(str::trim) {
            Some(key) => {
                let kept = current.iter().find(|c| c.key == key).map(|c| ItemSpec {
                    key: c.key.clone(),
                    dimension: c.dimension.clone(),
                    text_nl: c.text_nl.clone(),
                    text_en: c.text_en.clone(),
                });
                let restored = || {
                    builtin.iter().find(|b| b.key == key).map(|b| ItemSpec {
                        key: b.key.clone(),
                        dimension: b.dimension.clone(),
                        text_nl: b.text_nl.clone(),
                        text_en: b.text_en.clone(),
                    })
                };
                match kept.or_else(restored) {
                    Some(spec) => spec,
                    None => {
                        v.add(&field("key"), "unknown_item");
                        continue;
                    }
                }
            }
            None => {
                let dimension = item
                    .dimension
                    .as_deref()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                if dimension.is_empty() {
                    v.add(&field("dimension"), "required");
                } else if !dimensions.contains(&dimension.as_str()) {
                    v.add(&field("dimension"), "unknown_choice");
                }
                let text_nl = v.line(
                    &field("text_nl"),
                    item.text_nl.as_deref().unwrap_or(""),
                    TEXT_MAX,
                );
                if text_nl.is_empty() {
                    v.add(&field("text_nl"), "required");
                }
                let text_en = v.line(
                    &field("text_en"),
                    item.text_en.as_deref().unwrap_or(""),
                    TEXT_MAX,
                );
                let key = format!("E{next_own}");
                next_own += 1;
                ItemSpec {
                    key,
                    dimension,
                    text_en: if text_en.is_empty() {
                        text_nl.clone()
                    } else {
                        text_en
                    },
                    text_nl,
                }
            }
        };
        if !seen.insert(spec.key.clone()) {
            v.add(&field("key"), "duplicate_item");
            continue;
        }
        items.push(spec);
    }
    if !given.is_empty() && items.iter().all(|i| i.dimension == OPEN) && v.is_empty() {
        v.add("items", "no_statement");
    }
    v.finish(Some(VersionSpec { items, note }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SurveyItemId;
    use crate::surveys::ItemInput;

    fn current() -> Vec<Item> {
        catalog::items_of(InstrumentKind::Pulse)
            .into_iter()
            .enumerate()
            .map(|(i, b)| Item {
                id: SurveyItemId(i as i64 + 1),
                key: b.key,
                dimension: b.dimension,
                text_nl: b.text_nl,
                text_en: b.text_en,
            })
            .collect()
    }

    fn keep(key: &str) -> ItemInput {
        ItemInput {
            key: Some(key.into()),
            ..ItemInput::default()
        }
    }

    fn errors(result: crate::Result<VersionSpec>) -> Vec<(String, &'static str)> {
        match result {
            Err(crate::Error::Invalid(e)) => e.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn kept_items_keep_their_wording_and_new_ones_get_own_keys() {
        let input = VersionInput {
            items: Some(vec![
                keep("B2.1"),
                ItemInput {
                    dimension: Some("B3".into()),
                    text_nl: Some("Mijn afdeling deelt wat ze leert.".into()),
                    ..ItemInput::default()
                },
                keep("OPEN"),
            ]),
            note: Some("Korter".into()),
        };
        let spec = version_spec(InstrumentKind::Pulse, &input, &current(), 4).unwrap();
        let keys: Vec<&str> = spec.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["B2.1", "E4", "OPEN"]);
        assert_eq!(spec.items[1].dimension, "b3");
        assert_eq!(
            spec.items[1].text_en, spec.items[1].text_nl,
            "English falls back to Dutch"
        );
        assert!(!spec.same_items_as(&current()));
    }

    #[test]
    fn a_removed_built_in_item_can_come_back_by_its_key() {
        let only_open = vec![current().pop().unwrap()];
        let input = VersionInput {
            items: Some(vec![keep("B1.1"), keep("OPEN")]),
            note: None,
        };
        let spec = version_spec(InstrumentKind::Pulse, &input, &only_open, 1).unwrap();
        assert_eq!(spec.items[0].text_nl, current()[0].text_nl);
    }

    #[test]
    fn bad_items_are_named_by_their_place() {
        let input = VersionInput {
            items: Some(vec![
                keep("S1.1"),
                ItemInput {
                    dimension: Some("s1".into()),
                    ..ItemInput::default()
                },
                keep("B1.1"),
                keep("B1.1"),
            ]),
            note: None,
        };
        assert_eq!(
            errors(version_spec(InstrumentKind::Pulse, &input, &current(), 1)),
            [
                ("items[0].key".to_owned(), "unknown_item"),
                ("items[1].dimension".to_owned(), "unknown_choice"),
                ("items[1].text_nl".to_owned(), "required"),
                ("items[3].key".to_owned(), "duplicate_item"),
            ]
        );
        let open_only = VersionInput {
            items: Some(vec![keep("OPEN")]),
            note: None,
        };
        assert_eq!(
            errors(version_spec(
                InstrumentKind::Pulse,
                &open_only,
                &current(),
                1
            )),
            [("items".to_owned(), "no_statement")]
        );
        assert_eq!(
            errors(version_spec(
                InstrumentKind::Pulse,
                &VersionInput::default(),
                &current(),
                1
            )),
            [("items".to_owned(), "required")]
        );
    }
}
