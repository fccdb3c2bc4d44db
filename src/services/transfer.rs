//! The service catalogue in and out of a spreadsheet (CSV or XLSX).
//!
//! Out: one row per service with its level, channels, groups and owner,
//! in the reader's language. In: rows are matched to the catalogue by
//! name (case-insensitive): a new name adds a service, a known one changes
//! it. A column the file leaves out leaves that field as it is. All or
//! nothing: every error names its row and column (`rows[7].maturity`).
//! Both directions are pure here; the service reads and writes.

use std::collections::HashMap;

use serde::Serialize;

use super::spec::{ServiceSpec, service_spec};
use super::{Channel, Service, ServiceInput, TargetGroup};
use crate::domain::{FieldError, UnitId, Validator};
use crate::i18n::Tr;
use crate::indicators::export::{ExportFile, ExportFormat};
use crate::spreadsheet::columns::{labelled, place_errors};
use crate::spreadsheet::{Table, TableRow};
use crate::{Error, Result};

/// A catalogue has tens to hundreds of services; a file of more rows is
/// a mistake.
pub const MAX_ROWS: usize = 5_000;

/// Our columns, by English code, in export order.
pub const COLUMNS: [&str; 10] = [
    "name",
    "maturity",
    "channels",
    "target_groups",
    "owner_unit",
    "legal_basis",
    "lead_time_days",
    "description",
    "automation",
    "personalisation",
];

fn column_of(header: &str) -> Option<&'static str> {
    crate::spreadsheet::columns::column_of(header, &COLUMNS, "services.column")
}

fn list(text: &str) -> Vec<&str> {
    text.split([',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// One row's outcome: the service it changes (none for a new one) and
/// what it becomes.
pub struct Planned {
    pub before: Option<Service>,
    pub spec: ServiceSpec,
}

impl Planned {
    pub fn unchanged(&self) -> bool {
        self.before.as_ref().is_some_and(|b| {
            b.name == self.spec.name.as_str()
                && b.description == self.spec.description
                && b.target_groups == self.spec.target_groups
                && b.legal_basis == self.spec.legal_basis
                && b.owner_unit_id == self.spec.owner_unit_id
                && b.lead_time_days == self.spec.lead_time_days
                && b.channels == self.spec.channels
                && b.maturity == self.spec.maturity
                && b.automation == self.spec.automation
                && b.personalisation == self.spec.personalisation
        })
    }
}

/// Checks every row and plans the import; all errors at once. `units`
/// maps lower-cased unit names to every unit with that name.
pub fn plan(
    table: &Table,
    services: &[Service],
    units: &HashMap<String, Vec<UnitId>>,
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
    let by_name: HashMap<String, &Service> = services
        .iter()
        .map(|s| (s.name.to_lowercase(), s))
        .collect();
    let mut v = Validator::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned = Vec::with_capacity(table.rows.len());
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
        let input = row_input(row, &positions, units, &mut errors);
        if before.is_none()
            && input.maturity.is_none()
            && !errors.iter().any(|e| e.field == "maturity")
        {
            errors.push(FieldError::new("maturity", "required"));
        }
        match service_spec(&input, before) {
            Ok(spec) if errors.is_empty() => planned.push(Planned {
                before: before.cloned(),
                spec,
            }),
            Ok(_) => {}
            Err(Error::Invalid(found)) => errors.extend(found),
            Err(other) => return Err(other),
        }
        // `channels[2]` is the channels cell.
        place_errors(&mut v, row.line, errors, |field| {
            field
                .split('[')
                .next()
                .unwrap_or("")
                .replace("owner_unit_id", "owner_unit")
        });
    }
    v.finish(Some(planned))
}

fn row_input(
    row: &TableRow,
    positions: &HashMap<&'static str, usize>,
    units: &HashMap<String, Vec<UnitId>>,
    errors: &mut Vec<FieldError>,
) -> ServiceInput {
    let cell = |name: &str| {
        positions
            .get(name)
            .map(|&i| crate::spreadsheet::revived(row.cell(Some(i)).trim()))
    };
    let text = |name: &str| cell(name).map(str::to_owned);
    let mut input = ServiceInput {
        name: text("name"),
        description: text("description"),
        legal_basis: text("legal_basis"),
        automation: text("automation"),
        personalisation: text("personalisation"),
        ..ServiceInput::default()
    };
    if let Some(level) = cell("maturity").filter(|c| !c.is_empty()) {
        // "3" or "3 · Online met DigiD …" as exported.
        let number = level
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap_or("");
        match number.parse::<i64>() {
            Ok(level) => input.maturity = Some(level),
            Err(_) => errors.push(FieldError::new("maturity", "maturity_range")),
        }
    }
    if let Some(days) = cell("lead_time_days") {
        input.lead_time_days = Some(if days.is_empty() {
            None
        } else if let Ok(days) = days.parse::<i64>() {
            Some(days)
        } else {
            errors.push(FieldError::new("lead_time_days", "number"));
            None
        });
    }
    if let Some(channels) = cell("channels") {
        let mut codes = Vec::new();
        for item in list(channels) {
            match labelled(item, Channel::ALL, Channel::code, Channel::label_key).ok() {
                Some(c) => codes.push(c.code().to_owned()),
                None => errors.push(FieldError::new("channels", "unknown_choice")),
            }
        }
        input.channels = Some(codes);
    }
    if let Some(groups) = cell("target_groups") {
        let mut codes = Vec::new();
        for item in list(groups) {
            match labelled(
                item,
                TargetGroup::ALL,
                TargetGroup::code,
                TargetGroup::label_key,
            )
            .ok()
            {
                Some(g) => codes.push(g.code().to_owned()),
                None => errors.push(FieldError::new("target_groups", "unknown_choice")),
            }
        }
        input.target_groups = Some(codes);
    }
    if let Some(unit) = cell("owner_unit") {
        input.owner_unit_id = Some(match units.get(&unit.to_lowercase()) {
            _ if unit.is_empty() => None,
            Some(ids) if ids.len() == 1 => Some(ids[0].0),
            Some(_) => {
                errors.push(FieldError::new("owner_unit", "ambiguous_unit"));
                None
            }
            None => {
                errors.push(FieldError::new("owner_unit", "unknown_unit"));
                None
            }
        });
    }
    input
}

/// The cells of one service, in `COLUMNS` order.
fn cells(t: Tr, service: &Service, unit: &str) -> [String; 10] {
    let join = |labels: Vec<&str>| labels.join(", ");
    [
        service.name.clone(),
        service.maturity.to_string(),
        join(
            service
                .channels
                .iter()
                .map(|c| t.get(c.label_key()))
                .collect(),
        ),
        join(
            service
                .target_groups
                .iter()
                .map(|g| t.get(g.label_key()))
                .collect(),
        ),
        unit.to_owned(),
        service.legal_basis.clone(),
        service
            .lead_time_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        service.description.clone(),
        service.automation.clone(),
        service.personalisation.clone(),
    ]
}

/// The catalogue as a file; `unit_name` gives each service's owner.
pub fn export(
    services: &[Service],
    unit_name: impl Fn(&Service) -> String,
    format: ExportFormat,
    t: Tr,
) -> Result<ExportFile> {
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|c| t.get(&format!("services.column.{c}")).to_owned())
        .collect();
    let rows: Vec<Vec<String>> = services
        .iter()
        .map(|s| cells(t, s, &unit_name(s)).to_vec())
        .collect();
    crate::spreadsheet::write::table_file(
        "services",
        t.get("services.title"),
        &headers,
        &rows,
        format,
        t.locale,
    )
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
    fn rows_are_read_in_dutch_or_english_and_every_error_names_row_and_column() {
        let units = HashMap::from([("burgerzaken".to_owned(), vec![UnitId(7)])]);
        let good = table(
            &["Naam", "Niveau", "Kanalen", "Doelgroepen", "Eigenaar"],
            &[&[
                "Paspoort",
                "3 · Online met DigiD",
                "online, Balie",
                "Inwoners",
                "Burgerzaken",
            ]],
        );
        let planned = plan(&good, &[], &units).unwrap();
        assert_eq!(planned[0].spec.maturity, 3);
        assert_eq!(
            planned[0].spec.channels,
            [Channel::Online, Channel::Counter]
        );
        assert_eq!(planned[0].spec.owner_unit_id, Some(UnitId(7)));
        let bad = table(
            &[
                "name",
                "maturity",
                "channels",
                "owner_unit",
                "lead_time_days",
            ],
            &[
                &["Rijbewijs", "9", "fax", "Nergens", "tien"],
                &["Rijbewijs", "1", "", "", ""],
                &["Parkeren", "", "", "", ""],
            ],
        );
        let Err(Error::Invalid(errors)) = plan(&bad, &[], &units) else {
            panic!("expected invalid");
        };
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                ("rows[2].lead_time_days", "number"),
                ("rows[2].channels", "unknown_choice"),
                ("rows[2].owner_unit", "unknown_unit"),
                ("rows[2].maturity", "maturity_range"),
                ("rows[3].name", "duplicate_value"),
                ("rows[4].maturity", "required"),
            ]
        );
        let missing = table(&["niveau"], &[&["1"]]);
        assert!(matches!(
            plan(&missing, &[], &units),
            Err(Error::Invalid(_))
        ));
    }
}
