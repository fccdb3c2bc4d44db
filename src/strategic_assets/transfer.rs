//! The strategic-asset register in from a spreadsheet (CSV or XLSX).
//! Rows are matched by name (case-insensitive); a column the file leaves
//! out leaves that field alone, and the ambitions an asset matters for
//! stay as they are (they are kept on the page or through the API). All
//! or nothing: every error names its row and column. Pure.

use std::collections::HashMap;

use super::spec::{StrategicAssetSpec, strategic_asset_spec};
use super::{AssetKind, StrategicAsset, StrategicAssetInput};
use crate::domain::{FieldError, UserId, Validator};
use crate::spreadsheet::columns::{labelled, place_errors};
use crate::spreadsheet::{Table, revived};
use crate::{Error, Result};

pub const MAX_ROWS: usize = 5_000;

/// Our columns by code; their headings are `strategic_assets.column.<code>`.
const COLUMNS: [&str; 6] = [
    "name",
    "kind",
    "owner",
    "current_state",
    "gap",
    "description",
];

fn column_of(header: &str) -> Option<&'static str> {
    crate::spreadsheet::columns::column_of(header, &COLUMNS, "strategic_assets.column")
}

pub struct Planned {
    pub before: Option<StrategicAsset>,
    pub spec: StrategicAssetSpec,
}

/// Checks every row and plans the import; `members` maps lower-cased
/// e-mail addresses to members.
pub fn plan(
    table: &Table,
    assets: &[StrategicAsset],
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
    let by_name: HashMap<String, &StrategicAsset> =
        assets.iter().map(|a| (a.name.to_lowercase(), a)).collect();
    let mut v = Validator::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned = Vec::new();
    for row in &table.rows {
        let prefix = format!("rows[{}].", row.line);
        let cell = |name: &str| {
            positions
                .get(name)
                .map(|&i| revived(row.cell(Some(i)).trim()))
        };
        let name = cell("name").unwrap_or("").to_lowercase();
        if !name.is_empty() && seen.insert(name.clone(), row.line).is_some() {
            v.add(&format!("{prefix}name"), "duplicate_value");
            continue;
        }
        let before = by_name.get(&name).copied();
        let mut errors: Vec<FieldError> = Vec::new();
        let mut input = StrategicAssetInput {
            name: cell("name").map(str::to_owned),
            current_state: cell("current_state").map(str::to_owned),
            gap: cell("gap").map(str::to_owned),
            description: cell("description").map(str::to_owned),
            ..StrategicAssetInput::default()
        };
        if let Some(kind) = cell("kind").filter(|k| !k.is_empty()) {
            match labelled(kind, AssetKind::ALL, AssetKind::code, AssetKind::label_key) {
                Ok(kind) => input.kind = Some(kind.code().to_owned()),
                Err(code) => errors.push(FieldError::new("kind", code)),
            }
        }
        if let Some(owner) = cell("owner") {
            input.owner_id = Some(if owner.is_empty() {
                None
            } else if let Some(user) = members.get(&owner.to_lowercase()) {
                Some(user.0)
            } else {
                errors.push(FieldError::new("owner", "unknown_member"));
                None
            });
        }
        match strategic_asset_spec(&input, before) {
            Ok(spec) if errors.is_empty() => planned.push(Planned {
                before: before.cloned(),
                spec,
            }),
            Ok(_) => {}
            Err(Error::Invalid(found)) => errors.extend(found),
            Err(other) => return Err(other),
        }
        place_errors(&mut v, row.line, errors, |field| {
            field.replace("owner_id", "owner")
        });
    }
    v.finish(Some(planned))
}
