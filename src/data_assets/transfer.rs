//! The data-asset register in from a spreadsheet (CSV or XLSX). Rows are
//! matched by name (case-insensitive): a new name adds an asset, a known
//! one changes it; a column the file leaves out leaves that field alone,
//! and links to services, initiatives and indicators stay as they are.
//! All or nothing: every error names its row and column. Pure.

use std::collections::HashMap;

use super::spec::{DataAssetSpec, data_asset_spec};
use super::{DataAsset, DataAssetInput, LegalBasis, Openness, UpdateFrequency};
use crate::domain::{FieldError, UserId, Validator};
use crate::spreadsheet::columns::{labelled, place_errors};
use crate::spreadsheet::{Table, TableRow, revived};
use crate::{Error, Result};

pub const MAX_ROWS: usize = 5_000;

/// Our columns by code; their headings are `data_assets.column.<code>`.
const COLUMNS: [&str; 10] = [
    "name",
    "steward",
    "source_system",
    "personal_data",
    "legal_basis",
    "completeness",
    "timeliness",
    "openness",
    "update_frequency",
    "description",
];

fn column_of(header: &str) -> Option<&'static str> {
    crate::spreadsheet::columns::column_of(header, &COLUMNS, "data_assets.column")
}

/// `ja`/`nee`, `yes`/`no`, `true`/`false`, `1`/`0`.
pub(crate) fn yes_no(text: &str) -> Result<bool, &'static str> {
    match text.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "waar" | "1" => Ok(true),
        "nee" | "n" | "no" | "false" | "onwaar" | "0" | "" => Ok(false),
        _ => Err("yes_or_no"),
    }
}

/// One row's outcome.
pub struct Planned {
    pub before: Option<DataAsset>,
    pub spec: DataAssetSpec,
}

/// Checks every row and plans the import. `members` maps lower-cased
/// e-mail addresses and names to members.
pub fn plan(
    table: &Table,
    assets: &[DataAsset],
    members: &HashMap<String, UserId>,
) -> Result<Vec<Planned>> {
    let positions: HashMap<&'static str, usize> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| column_of(h).map(|c| (c, i)))
        .collect();
    if !positions.contains_key("name") {
        return Err(Error::invalid("columns.name", "missing_column"));
    }
    let by_name: HashMap<String, &DataAsset> =
        assets.iter().map(|a| (a.name.to_lowercase(), a)).collect();
    let mut v = Validator::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned = Vec::new();
    for row in &table.rows {
        let prefix = format!("rows[{}].", row.line);
        let name = row
            .cell(positions.get("name").copied())
            .trim()
            .to_lowercase();
        if !name.is_empty() && seen.insert(name.clone(), row.line).is_some() {
            v.add(&format!("{prefix}name"), "duplicate_value");
            continue;
        }
        let before = by_name.get(&name).copied();
        let mut errors = Vec::new();
        let input = row_input(row, &positions, members, &mut errors);
        match data_asset_spec(&input, before) {
            Ok(spec) if errors.is_empty() => planned.push(Planned {
                before: before.cloned(),
                spec,
            }),
            Ok(_) => {}
            Err(Error::Invalid(found)) => errors.extend(found),
            Err(other) => return Err(other),
        }
        place_errors(&mut v, row.line, errors, |field| {
            field.replace("steward_id", "steward")
        });
    }
    v.finish(Some(planned))
}

fn row_input(
    row: &TableRow,
    positions: &HashMap<&'static str, usize>,
    members: &HashMap<String, UserId>,
    errors: &mut Vec<FieldError>,
) -> DataAssetInput {
    let cell = |name: &str| {
        positions
            .get(name)
            .map(|&i| revived(row.cell(Some(i)).trim()))
    };
    let text = |name: &str| cell(name).map(str::to_owned);
    let mut input = DataAssetInput {
        name: text("name"),
        description: text("description"),
        source_system: text("source_system"),
        ..DataAssetInput::default()
    };
    let mut check = |field: &str, parsed: Result<String, &'static str>| match parsed {
        Ok(code) => Some(code),
        Err(code) => {
            errors.push(FieldError::new(field, code));
            None
        }
    };
    if let Some(value) = cell("personal_data") {
        input.personal_data =
            check("personal_data", yes_no(value).map(|b| b.to_string())).map(|b| b == "true");
    }
    if let Some(value) = cell("legal_basis") {
        input.legal_basis = Some(if value.is_empty() {
            None
        } else {
            check(
                "legal_basis",
                labelled(
                    value,
                    LegalBasis::ALL,
                    LegalBasis::code,
                    LegalBasis::label_key,
                )
                .map(|b| b.code().to_owned()),
            )
        });
    }
    if let Some(value) = cell("openness").filter(|v| !v.is_empty()) {
        input.openness = check(
            "openness",
            labelled(value, Openness::ALL, Openness::code, Openness::label_key)
                .map(|o| o.code().to_owned()),
        );
    }
    if let Some(value) = cell("update_frequency").filter(|v| !v.is_empty()) {
        input.update_frequency = check(
            "update_frequency",
            labelled(
                value,
                UpdateFrequency::ALL,
                UpdateFrequency::code,
                UpdateFrequency::label_key,
            )
            .map(|f| f.code().to_owned()),
        );
    }
    for field in ["completeness", "timeliness"] {
        if let Some(value) = cell(field).filter(|v| !v.is_empty()) {
            let number = value.parse::<i64>().ok();
            if number.is_none() {
                errors.push(FieldError::new(field, "number"));
            }
            if field == "completeness" {
                input.completeness = number;
            } else {
                input.timeliness = number;
            }
        }
    }
    if let Some(value) = cell("steward") {
        input.steward_id = Some(if value.is_empty() {
            None
        } else if let Some(user) = members.get(&value.to_lowercase()) {
            Some(user.0)
        } else {
            errors.push(FieldError::new("steward", "unknown_member"));
            None
        });
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| TableRow {
                    line: i + 2,
                    cells: cells.iter().map(|c| (*c).to_owned()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn rows_read_labels_in_either_language_and_name_their_errors() {
        let members = HashMap::from([("sanne@voorbeeldstad.nl".to_owned(), UserId(4))]);
        let good = table(
            &[
                "Naam",
                "Beheerder",
                "Bevat persoonsgegevens",
                "Grondslag onder de AVG",
                "Volledigheid",
                "Actualiteit",
                "Openheid",
                "Bijgewerkt",
            ],
            &[&[
                "BRP",
                "sanne@voorbeeldstad.nl",
                "ja",
                "Wettelijke verplichting",
                "5",
                "4",
                "closed",
                "Dagelijks",
            ]],
        );
        let planned = plan(&good, &[], &members).unwrap();
        assert_eq!(planned[0].spec.steward_id, Some(UserId(4)));
        assert_eq!(
            planned[0].spec.legal_basis,
            Some(LegalBasis::LegalObligation)
        );
        let bad = table(
            &[
                "name",
                "steward",
                "personal_data",
                "completeness",
                "timeliness",
                "openness",
                "update_frequency",
            ],
            &[&["BRP", "niemand", "misschien", "vijf", "4", "open", "daily"]],
        );
        let Err(Error::Invalid(errors)) = plan(&bad, &[], &members) else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "rows[2].personal_data",
                "rows[2].completeness",
                "rows[2].steward"
            ]
        );
    }
}
