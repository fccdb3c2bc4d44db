//! The employees register from a spreadsheet (CSV or XLSX, as HR systems
//! export it). Rows are matched to the register by personnel number: a
//! new number adds an employee, a known one updates them. A column that
//! is not in the file leaves that field as it is; an empty cell in a
//! column that is there clears it. All or nothing: one bad row imports
//! nothing, and every error names its row and column (`rows[7].unit`).
//!
//! This file is pure: it turns a read table and what the organisation
//! has into a plan; the service writes the plan.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::spec::{EmployeeSpec, employee_spec};
use super::{Employee, EmployeeInput};
use crate::domain::{FieldError, RoleProfileId, UnitId, UserId, Validator};
use crate::spreadsheet::{Table, TableRow};

/// Files above this many rows are refused; the largest Dutch public
/// employers have some tens of thousands of employees.
pub const MAX_ROWS: usize = 100_000;

/// The columns an import reads, by their English code.
pub const COLUMNS: [&str; 6] = ["number", "name", "unit", "role", "email", "active"];

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmployeeImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// What the organisation has that rows refer to, with names lower-cased.
pub struct Lookups {
    pub employees: Vec<Employee>,
    /// Unit name → every unit with that name.
    pub units: HashMap<String, Vec<UnitId>>,
    pub roles: HashMap<String, RoleProfileId>,
    /// E-mail address → member.
    pub members: HashMap<String, UserId>,
}

/// One row's outcome: the employee it changes (none for a new one) and
/// what they become.
pub struct Planned {
    pub line: usize,
    pub before: Option<Employee>,
    pub spec: EmployeeSpec,
}

impl Planned {
    /// Whether writing this row changes nothing.
    pub fn unchanged(&self) -> bool {
        self.before.as_ref().is_some_and(|b| {
            b.number == self.spec.number
                && b.name == self.spec.name.as_str()
                && b.user_id == self.spec.user_id
                && b.unit_id == self.spec.unit_id
                && b.role_profile_id == self.spec.role_profile_id
                && b.active == self.spec.active
        })
    }
}

/// Which of our columns a header names, in English or Dutch.
fn column_of(header: &str) -> Option<&'static str> {
    match header.trim().to_lowercase().as_str() {
        "number" | "personnel number" | "employee number" | "personeelsnummer" | "nummer" => {
            Some("number")
        }
        "name" | "naam" => Some("name"),
        "unit" | "eenheid" | "afdeling" | "organisatieonderdeel" => Some("unit"),
        "role" | "role profile" | "functieprofiel" | "functie" | "rol" => Some("role"),
        "email" | "e-mail" | "e-mailadres" | "account" => Some("email"),
        "active" | "actief" | "in dienst" => Some("active"),
        _ => None,
    }
}

/// `ja`/`nee`, `yes`/`no`, `true`/`false`, `1`/`0`; empty means active.
fn parse_active(text: &str) -> Result<bool, &'static str> {
    match text.trim().to_lowercase().as_str() {
        "" | "ja" | "j" | "yes" | "y" | "true" | "waar" | "1" => Ok(true),
        "nee" | "n" | "no" | "false" | "onwaar" | "0" => Ok(false),
        _ => Err("yes_or_no"),
    }
}

/// Checks every row and plans the import; all errors at once.
pub fn plan(table: &Table, lookups: &Lookups) -> crate::Result<Vec<Planned>> {
    let positions: HashMap<&'static str, usize> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| column_of(h).map(|c| (c, i)))
        .collect();
    let mut v = Validator::new();
    if !positions.contains_key("number") {
        v.add("columns.number", "missing_column");
    }
    v.finish(Some(()))?;
    let by_number: HashMap<&str, &Employee> = lookups
        .employees
        .iter()
        .map(|e| (e.number.as_str(), e))
        .collect();
    let mut v = Validator::new();
    let mut planned = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let prefix = format!("rows[{}].", row.line);
        let number = row.cell(positions.get("number").copied()).trim();
        if !number.is_empty() && seen.insert(number.to_owned(), row.line).is_some() {
            v.add(&format!("{prefix}number"), "duplicate_number");
            continue;
        }
        let before = by_number.get(number).copied();
        if before.is_none() && !positions.contains_key("name") {
            v.add(&format!("{prefix}name"), "required");
            continue;
        }
        let mut row_errors = Vec::new();
        let input = row_input(row, &positions, lookups, &mut row_errors);
        match employee_spec(&input, before) {
            Ok(spec) if row_errors.is_empty() => planned.push(Planned {
                line: row.line,
                before: before.cloned(),
                spec,
            }),
            Ok(_) => {}
            Err(crate::Error::Invalid(errors)) => row_errors.extend(errors),
            Err(other) => return Err(other),
        }
        for error in row_errors {
            v.add(
                &format!("{prefix}{}", column_name(&error.field)),
                error.code,
            );
        }
    }
    check_accounts(&planned, &lookups.employees, &mut v);
    v.finish(Some(planned))
}

/// A row as the form input the register validates; references that do
/// not resolve become errors.
fn row_input(
    row: &TableRow,
    positions: &HashMap<&'static str, usize>,
    lookups: &Lookups,
    errors: &mut Vec<FieldError>,
) -> EmployeeInput {
    let cell = |name: &str| positions.get(name).map(|&i| row.cell(Some(i)).trim());
    let mut input = EmployeeInput {
        number: cell("number").map(str::to_owned),
        name: cell("name").map(str::to_owned),
        ..EmployeeInput::default()
    };
    if let Some(unit) = cell("unit") {
        input.unit_id = Some(match lookups.units.get(&unit.to_lowercase()) {
            _ if unit.is_empty() => None,
            Some(ids) if ids.len() == 1 => Some(ids[0].0),
            Some(_) => {
                errors.push(FieldError::new("unit", "ambiguous_unit"));
                None
            }
            None => {
                errors.push(FieldError::new("unit", "unknown_unit"));
                None
            }
        });
    }
    if let Some(role) = cell("role") {
        input.role_profile_id = Some(match lookups.roles.get(&role.to_lowercase()) {
            _ if role.is_empty() => None,
            Some(id) => Some(id.0),
            None => {
                errors.push(FieldError::new("role", "unknown_role_profile"));
                None
            }
        });
    }
    if let Some(email) = cell("email") {
        input.user_id = Some(match lookups.members.get(&email.to_lowercase()) {
            _ if email.is_empty() => None,
            Some(id) => Some(id.0),
            None => {
                errors.push(FieldError::new("email", "unknown_member"));
                None
            }
        });
    }
    if let Some(active) = cell("active") {
        match parse_active(active) {
            Ok(flag) => input.active = Some(flag),
            Err(code) => errors.push(FieldError::new("active", code)),
        }
    }
    input
}

/// The register's field names as the file's column names.
fn column_name(field: &str) -> &str {
    match field {
        "unit_id" => "unit",
        "role_profile_id" => "role",
        "user_id" => "email",
        other => other,
    }
}

/// An account belongs to one employee at most, after the import as well:
/// rows are checked against each other and against the employees the file
/// leaves alone.
fn check_accounts(planned: &[Planned], employees: &[Employee], v: &mut Validator) {
    let in_file: HashSet<&str> = planned.iter().map(|p| p.spec.number.as_str()).collect();
    let mut holder: HashMap<UserId, &str> = employees
        .iter()
        .filter(|e| !in_file.contains(e.number.as_str()))
        .filter_map(|e| e.user_id.map(|u| (u, e.number.as_str())))
        .collect();
    for p in planned {
        if let Some(user) = p.spec.user_id
            && holder.insert(user, p.spec.number.as_str()).is_some()
        {
            v.add(&format!("rows[{}].email", p.line), "taken");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EmployeeId, OrganisationId};
    use crate::spreadsheet;

    fn employee(id: i64, number: &str, user: Option<i64>) -> Employee {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        Employee {
            id: EmployeeId(id),
            organisation_id: OrganisationId(1),
            number: number.to_owned(),
            name: format!("Medewerker {number}"),
            user_id: user.map(UserId),
            unit_id: Some(UnitId(10)),
            role_profile_id: None,
            active: true,
            created_at: at,
            updated_at: at,
        }
    }

    fn lookups() -> Lookups {
        Lookups {
            employees: vec![employee(1, "1001", Some(7)), employee(2, "1002", None)],
            units: HashMap::from([
                ("burgerzaken".to_owned(), vec![UnitId(10)]),
                ("ict".to_owned(), vec![UnitId(11), UnitId(12)]),
            ]),
            roles: HashMap::from([("adviseur".to_owned(), RoleProfileId(3))]),
            members: HashMap::from([
                ("anna@example.org".to_owned(), UserId(7)),
                ("bob@example.org".to_owned(), UserId(8)),
            ]),
        }
    }

    fn plan_of(csv: &str) -> crate::Result<Vec<Planned>> {
        plan(&spreadsheet::read(csv.as_bytes(), 100)?, &lookups())
    }

    fn fields(result: crate::Result<Vec<Planned>>) -> Vec<(String, &'static str)> {
        match result {
            Err(crate::Error::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            Err(other) => panic!("expected field errors, got {other:?}"),
            Ok(_) => panic!("expected field errors, got a plan"),
        }
    }

    #[test]
    fn new_numbers_add_and_known_numbers_update() {
        let planned = plan_of(
            "Personeelsnummer;Naam;Afdeling;Functieprofiel;E-mail;Actief\n\
             1001;Medewerker 1001;Burgerzaken;;anna@example.org;ja\n\
             2001;Nieuwe Collega;burgerzaken;Adviseur;BOB@example.org;\n\
             1002;Medewerker 1002;;;;nee\n",
        )
        .unwrap();
        assert_eq!(planned.len(), 3);
        assert!(planned[0].unchanged());
        assert!(planned[1].before.is_none());
        assert_eq!(planned[1].spec.role_profile_id, Some(RoleProfileId(3)));
        assert_eq!(planned[1].spec.user_id, Some(UserId(8)));
        assert_eq!(planned[2].spec.unit_id, None, "an empty cell clears");
        assert!(!planned[2].spec.active);
        assert!(!planned[2].unchanged());
    }

    #[test]
    fn a_column_left_out_leaves_the_field_alone() {
        let planned = plan_of("number,active\n1001,no\n").unwrap();
        assert_eq!(planned[0].spec.unit_id, Some(UnitId(10)));
        assert_eq!(planned[0].spec.user_id, Some(UserId(7)));
        assert_eq!(planned[0].spec.name.as_str(), "Medewerker 1001");
        assert!(!planned[0].spec.active);
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let errors = fields(plan_of(
            "number;name;unit;role;email;active\n\
             3001;;Burgerzaken;;;\n\
             3002;Een;Onbekend;Geen;nobody@example.org;misschien\n\
             3003;Twee;ICT;;;\n\
             3001;Dubbel;;;;\n",
        ));
        assert_eq!(
            errors,
            vec![
                ("rows[2].name".to_owned(), "required"),
                ("rows[3].unit".to_owned(), "unknown_unit"),
                ("rows[3].role".to_owned(), "unknown_role_profile"),
                ("rows[3].email".to_owned(), "unknown_member"),
                ("rows[3].active".to_owned(), "yes_or_no"),
                ("rows[4].unit".to_owned(), "ambiguous_unit"),
                ("rows[5].number".to_owned(), "duplicate_number"),
            ]
        );
    }

    #[test]
    fn a_new_employee_needs_a_name_column_and_every_file_a_number_column() {
        assert_eq!(
            fields(plan_of("number;unit\n9999;ICT\n")),
            vec![("rows[2].name".to_owned(), "required")]
        );
        assert_eq!(
            fields(plan_of("naam\nIemand\n")),
            vec![("columns.number".to_owned(), "missing_column")]
        );
    }

    #[test]
    fn an_account_stays_with_one_employee() {
        // Anna's account is employee 1001's; a new row may not take it …
        assert_eq!(
            fields(plan_of("number;name;email\n2001;X;anna@example.org\n")),
            vec![("rows[2].email".to_owned(), "taken")]
        );
        // … unless the same file moves it away from 1001.
        let planned =
            plan_of("number;name;email\n1001;Medewerker 1001;\n2001;X;anna@example.org\n").unwrap();
        assert_eq!(planned[1].spec.user_id, Some(UserId(7)));
        // Two rows of the file cannot share one either.
        assert_eq!(
            fields(plan_of(
                "number;name;email\n2001;X;bob@example.org\n2002;Y;bob@example.org\n"
            )),
            vec![("rows[3].email".to_owned(), "taken")]
        );
    }
}
