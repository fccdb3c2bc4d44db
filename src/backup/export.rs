//! The organisation's data as one workbook (a sheet per table) or one
//! table as CSV, for administrators and the `koers export` command.
//! Personal data that only HR or the person themself may see stays out.

use super::Cell;
use super::tables::{self, Kind, Table};
use crate::Result;
use crate::auth::Actor;
use crate::domain::{OrganisationId, Permission, Validator};
use crate::http::AppState;
use crate::indicators::export::{ExportFile, ExportFormat};
use crate::spreadsheet::write::{Sheet, workbook_bytes};
use crate::store::Store;

/// Tables left out of exports, and why. Backups carry them.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    (
        "skill_assessments",
        "one employee's levels: personal data (HR and the employee only)",
    ),
    (
        "skill_levels",
        "one employee's levels: personal data (HR and the employee only)",
    ),
    ("survey_responses", "answers of the anonymous survey"),
    ("survey_answers", "answers of the anonymous survey"),
    ("survey_invitations", "who was asked and who answered"),
    ("notifications", "one person's messages"),
];

/// Columns left out of exports, and why. Backups carry them.
pub const COLUMNS_NOT_EXPORTED: &[(&str, &str, &str)] = &[(
    "board_reports",
    "content",
    "the report itself: download it as PDF or HTML from its page",
)];

fn is_exported(table: &str, column: &str) -> bool {
    !COLUMNS_NOT_EXPORTED
        .iter()
        .any(|(t, c, _)| *t == table && *c == column)
}

/// The columns of people an export shows.
const PEOPLE: &[(&str, Kind)] = &[
    ("id", Kind::Id),
    ("name", Kind::Text),
    ("email", Kind::Text),
    ("locale", Kind::Text),
    ("active", Kind::Bool),
];

/// `created_at` → `Created at`.
fn header(column: &str) -> String {
    let text = column.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Day numbers are kept as days since 1970; these columns hold them.
fn is_day(column: &str) -> bool {
    column.ends_with("_on")
        || matches!(
            column,
            "target_day" | "period_start" | "month_start" | "last_day" | "baseline_period"
        )
}

fn text(column: &str, cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Int(v) if is_day(column) => crate::governance::spec::show_day(*v),
        Cell::Int(v) => v.to_string(),
        Cell::Real(v) => v.to_string(),
        Cell::Bool(v) => v.to_string(),
        Cell::Text(v) => v.clone(),
        Cell::Time(at) => crate::home::format_time(*at),
    }
}

fn sheet_of(table: &Table, rows: &[Vec<Cell>]) -> Sheet {
    let shown: Vec<(usize, &str)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, (c, k))| {
            !matches!(k, Kind::Organisation | Kind::Secret) && is_exported(table.name, c)
        })
        .map(|(i, (c, _))| (i, *c))
        .collect();
    let hidden_author = table.name == "ideas";
    let flag = table
        .columns
        .iter()
        .position(|(c, _)| *c == "author_hidden");
    Sheet {
        name: table.name.to_owned(),
        headers: shown.iter().map(|(_, c)| header(c)).collect(),
        rows: rows
            .iter()
            .map(|row| {
                let anonymous =
                    hidden_author && flag.is_some_and(|f| matches!(row.get(f), Some(Cell::Int(1))));
                shown
                    .iter()
                    .map(|(i, c)| {
                        if anonymous && *c == "author_user_id" {
                            return String::new();
                        }
                        row.get(*i).map(|cell| text(c, cell)).unwrap_or_default()
                    })
                    .collect()
            })
            .collect(),
    }
}

fn exported() -> impl Iterator<Item = &'static Table> {
    tables::TABLES
        .iter()
        .filter(|t| !NOT_EXPORTED.iter().any(|(name, _)| *name == t.name))
}

/// The people the memberships among `read` name (a membership's second
/// column is its person).
fn members(read: &[(&'static Table, Vec<Vec<Cell>>)]) -> Vec<i64> {
    read.iter()
        .filter(|(table, _)| table.name == "memberships")
        .flat_map(|(_, rows)| rows)
        .filter_map(|row| match row.get(1) {
            Some(Cell::Int(id)) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The organisation's members: id, name, email, language, active.
fn people(users: Vec<Vec<Cell>>) -> Sheet {
    let people: Vec<Vec<Cell>> = users
        .into_iter()
        .map(|row| {
            // id, email, name, locale, active, … → the columns of PEOPLE.
            let get = |i: usize| row.get(i).cloned().unwrap_or(Cell::Null);
            vec![get(0), get(2), get(1), get(3), get(4)]
        })
        .collect();
    sheet_of(
        &Table {
            name: "people",
            columns: PEOPLE,
        },
        &people,
    )
}

/// Every exported table of the organisation, and its members, as sheets,
/// read in one snapshot as backups are: an export taken while people work
/// holds no row pointing at one it lacks.
pub async fn sheets(store: &Store, organisation: OrganisationId) -> Result<Vec<Sheet>> {
    let snapshot = store
        .organisation_snapshot(organisation, exported().collect(), members)
        .await?;
    let mut out = vec![people(snapshot.users)];
    for (table, rows) in &snapshot.tables {
        out.push(sheet_of(table, rows));
    }
    Ok(out)
}

/// The whole workbook as XLSX bytes.
pub async fn workbook(store: &Store, organisation: OrganisationId) -> Result<Vec<u8>> {
    workbook_bytes(&sheets(store, organisation).await?)
}

/// For the API and the page: the workbook, or one sheet as CSV.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    format: ExportFormat,
    sheet: Option<&str>,
) -> Result<ExportFile> {
    actor.require(Permission::ManageOrganisation)?;
    let store = state.store();
    let organisation = store.organisation(actor.organisation_id).await?;
    let stem = format!("koers-{}", organisation.slug);
    let file = match format {
        ExportFormat::Xlsx => ExportFile {
            filename: format!("{stem}.xlsx"),
            content_type: format.content_type(),
            bytes: workbook(store, actor.organisation_id).await?,
        },
        ExportFormat::Csv => {
            let mut v = Validator::new();
            let name = sheet.unwrap_or("").trim();
            let table = exported().find(|t| t.name == name);
            if name.is_empty() {
                v.add("sheet", "required");
            } else if name != "people" && table.is_none() {
                v.add("sheet", "unknown_choice");
            }
            v.finish(Some(()))?;
            let chosen = match table {
                Some(table) => sheet_of(
                    table,
                    &store.table_cells(actor.organisation_id, table).await?,
                ),
                None => {
                    let memberships = tables::find("memberships")
                        .ok_or_else(|| crate::Error::Unexpected("no table memberships".into()))?;
                    let snapshot = store
                        .organisation_snapshot(actor.organisation_id, vec![memberships], members)
                        .await?;
                    people(snapshot.users)
                }
            };
            crate::spreadsheet::write::table_file(
                &format!("{stem}-{name}"),
                &chosen.name,
                &chosen.headers,
                &chosen.rows,
                ExportFormat::Csv,
                actor.locale,
            )?
        }
    };
    // Data leaving the system: who took what, and when.
    let change = crate::store::Change::new(
        "export",
        "organisation",
        actor.organisation_id.0,
        None,
        Some(serde_json::json!({"file": file.filename, "bytes": file.bytes.len()})),
    );
    store
        .record_event(&actor.audit(state.clock().now()), &change)
        .await?;
    Ok(file)
}

/// The sheet names a CSV export can ask for.
pub fn sheet_names() -> Vec<&'static str> {
    std::iter::once("people")
        .chain(exported().map(|t| t.name))
        .collect()
}
