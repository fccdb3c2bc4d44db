//! Breakdowns of an indicator's values, e.g. by channel (online, phone,
//! counter) or by district. A measurement without dimension values is the
//! total; one with values is stored under a key like `kanaal=online`
//! (several dimensions joined with `;`, in the indicator's order).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::Validator;

pub const MAX_DIMENSIONS: usize = 3;
pub const MAX_VALUES: usize = 50;
const MAX_NAME: usize = 40;
const MAX_VALUE: usize = 60;

/// One way an indicator's values are broken down, with its allowed values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Dimension {
    /// Lower case letters, digits and `_`, e.g. `kanaal`.
    pub name: String,
    /// The values a measurement may carry, e.g. `online`, `telefoon`.
    pub values: Vec<String>,
}

/// Validates the dimensions of a definition.
pub fn check(v: &mut Validator, dimensions: &[Dimension]) -> Vec<Dimension> {
    if dimensions.len() > MAX_DIMENSIONS {
        v.add("dimensions", "too_many_dimensions");
        return Vec::new();
    }
    let mut out: Vec<Dimension> = Vec::new();
    for (index, dimension) in dimensions.iter().enumerate() {
        let field = format!("dimensions[{index}]");
        let name = dimension.name.trim().to_lowercase();
        let name_ok = !name.is_empty()
            && name.len() <= MAX_NAME
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            v.add(&format!("{field}.name"), "dimension_name");
            continue;
        }
        // The import finds a dimension by its column; ours cannot be one.
        if super::import::is_import_column(&name) {
            v.add(&format!("{field}.name"), "dimension_reserved");
            continue;
        }
        if out.iter().any(|d| d.name == name) {
            v.add(&format!("{field}.name"), "duplicate_dimension");
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        for value in &dimension.values {
            let value = value.trim().to_owned();
            if value.is_empty()
                || value.chars().count() > MAX_VALUE
                || value.contains(['=', ';', '[', ']'])
                || value.chars().any(char::is_control)
            {
                v.add(&format!("{field}.values"), "dimension_value");
            } else if !values.contains(&value) {
                values.push(value);
            }
        }
        if values.is_empty() {
            v.add(&format!("{field}.values"), "required");
        }
        if values.len() > MAX_VALUES {
            v.add(&format!("{field}.values"), "too_many_values");
        }
        out.push(Dimension { name, values });
    }
    out
}

/// Reads `kanaal: online, telefoon, balie` lines (the form's text area).
pub fn from_lines(text: &str) -> Vec<Dimension> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, values) = line.split_once(':').unwrap_or((line, ""));
            Dimension {
                name: name.trim().to_owned(),
                values: values
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

/// The form's text for dimensions.
pub fn to_lines(dimensions: &[Dimension]) -> String {
    dimensions
        .iter()
        .map(|d| format!("{}: {}", d.name, d.values.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The storage key for the given values, checked against the indicator's
/// dimensions: `Ok("")` for none, `Err((name, code))` for the first wrong
/// one. Values match without regard to case and are stored as defined.
pub fn key(
    dimensions: &[Dimension],
    given: &BTreeMap<String, String>,
) -> Result<String, (String, &'static str)> {
    for name in given.keys() {
        if !dimensions
            .iter()
            .any(|d| d.name == name.trim().to_lowercase())
        {
            return Err((name.clone(), "unknown_dimension"));
        }
    }
    let mut parts = Vec::new();
    for dimension in dimensions {
        let Some((name, value)) = given
            .iter()
            .find(|(name, _)| name.trim().to_lowercase() == dimension.name)
        else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let Some(known) = dimension
            .values
            .iter()
            .find(|v| v.to_lowercase() == value.to_lowercase())
        else {
            return Err((name.clone(), "unknown_dimension_value"));
        };
        parts.push(format!("{}={known}", dimension.name));
    }
    Ok(parts.join(";"))
}

/// The values a stored key stands for.
pub fn values_of(key: &str) -> BTreeMap<String, String> {
    key.split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// `kanaal: online` for people; empty for the total.
pub fn label(key: &str) -> String {
    key.split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `after` still holds every dimension value of `before`.
pub fn keeps_all(before: &[Dimension], after: &[Dimension]) -> bool {
    before.iter().all(|old| {
        after
            .iter()
            .find(|new| new.name == old.name)
            .is_some_and(|new| old.values.iter().all(|v| new.values.contains(v)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel() -> Vec<Dimension> {
        vec![
            Dimension {
                name: "kanaal".into(),
                values: vec!["online".into(), "telefoon".into(), "balie".into()],
            },
            Dimension {
                name: "wijk".into(),
                values: vec!["Noord".into(), "Zuid".into()],
            },
        ]
    }

    #[test]
    fn keys_follow_the_definition_order_and_spelling() {
        let given = BTreeMap::from([
            ("Wijk".to_owned(), "noord".to_owned()),
            ("kanaal".to_owned(), "Online".to_owned()),
        ]);
        assert_eq!(
            key(&channel(), &given),
            Ok("kanaal=online;wijk=Noord".into())
        );
        assert_eq!(key(&channel(), &BTreeMap::new()), Ok(String::new()));
        let unknown = BTreeMap::from([("kleur".to_owned(), "rood".to_owned())]);
        assert_eq!(
            key(&channel(), &unknown),
            Err(("kleur".into(), "unknown_dimension"))
        );
        let bad_value = BTreeMap::from([("kanaal".to_owned(), "post".to_owned())]);
        assert_eq!(
            key(&channel(), &bad_value),
            Err(("kanaal".into(), "unknown_dimension_value"))
        );
        assert_eq!(
            label("kanaal=online;wijk=Noord"),
            "kanaal: online, wijk: Noord"
        );
        assert_eq!(
            values_of("kanaal=online").get("kanaal").map(String::as_str),
            Some("online")
        );
    }

    #[test]
    fn definitions_are_checked() {
        let mut v = Validator::new();
        let parsed = check(
            &mut v,
            &from_lines("Kanaal: online, telefoon, online\n\nwaarde: x\n9x: y"),
        );
        assert_eq!(parsed[0].name, "kanaal");
        assert_eq!(parsed[0].values, vec!["online", "telefoon"]);
        let errors = v.finish(Some(())).unwrap_err();
        let crate::Error::Invalid(errors) = errors else {
            panic!()
        };
        let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["dimension_reserved", "dimension_name"]);
        assert_eq!(
            to_lines(&channel()),
            "kanaal: online, telefoon, balie\nwijk: Noord, Zuid"
        );
        assert!(keeps_all(&channel()[..1], &channel()));
        assert!(!keeps_all(&channel(), &channel()[..1]));
    }
}
