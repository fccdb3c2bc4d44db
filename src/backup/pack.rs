//! Turning rows as read into an archive, and an archive's rows back into
//! rows to write, with every id translated. Pure.

use std::collections::HashMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::tables::{Kind, ORGANISATION_COLUMNS, Table, USER_COLUMNS};
use super::{Archive, Cell, FORMAT, TableRows, VERSION, Value};
use crate::{Error, Result};

/// Old id → new id, per table.
pub type Maps = HashMap<&'static str, HashMap<i64, i64>>;

fn broken(why: String) -> Error {
    Error::Unexpected(why)
}

/// To microseconds and UTC: what both databases keep, so a round trip
/// through either gives the same text.
fn time_text(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = at
        .replace_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

fn id_of(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Int(v) => Some(*v),
        _ => None,
    }
}

/// Places 1, 2, … for the ids in `ids` (ascending).
fn places(ids: impl Iterator<Item = i64>) -> HashMap<i64, i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.into_iter().zip(1..).collect()
}

/// Translates one value with `maps` (from → to). `strict` refs must be
/// found; soft ones and list members stay when not.
fn translate(table: &str, column: &str, kind: Kind, value: Value, maps: &Maps) -> Result<Value> {
    let lookup = |target: &str, id: i64| maps.get(target).and_then(|m| m.get(&id)).copied();
    Ok(match (kind, value) {
        (_, Value::Null) => Value::Null,
        (Kind::Ref(target), Value::Int(id)) => Value::Int(lookup(target, id).ok_or_else(|| {
            broken(format!(
                "{table}.{column} points at {target} {id}, which is not in the organisation"
            ))
        })?),
        (Kind::Soft(target), Value::Int(id)) => Value::Int(lookup(target, id).unwrap_or(id)),
        (Kind::IdList(target), Value::Text(text)) => {
            let ids: Vec<i64> = serde_json::from_str(&text).map_err(|e| {
                broken(format!(
                    "{table}.{column} is not a list of ids ({:?} fault at column {})",
                    e.classify(),
                    e.column()
                ))
            })?;
            let mapped: Vec<i64> = ids
                .into_iter()
                .map(|id| lookup(target, id).unwrap_or(id))
                .collect();
            Value::Text(serde_json::to_string(&mapped).unwrap_or_default())
        }
        (_, value) => value,
    })
}

fn cell_value(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(v) => Value::Int(v),
        Cell::Real(v) => Value::Real(v),
        Cell::Bool(v) => Value::Bool(v),
        Cell::Text(v) => Value::Text(v),
        Cell::Time(at) => Value::Text(time_text(at)),
    }
}

/// The archive columns of a table: all but the organisation.
pub fn archived_columns(columns: &[(&'static str, Kind)]) -> Vec<(&'static str, Kind)> {
    columns
        .iter()
        .copied()
        .filter(|(_, k)| *k != Kind::Organisation)
        .collect()
}

fn pack_rows(
    name: &'static str,
    columns: &[(&'static str, Kind)],
    rows: Vec<Vec<Cell>>,
    maps: &Maps,
) -> Result<TableRows> {
    let kept = archived_columns(columns);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(kept.len());
        for ((column, kind), cell) in columns.iter().zip(row) {
            if *kind == Kind::Organisation {
                continue;
            }
            let value = cell_value(cell);
            let value = match (kind, value) {
                (Kind::Id | Kind::RandomId, Value::Int(id)) => Value::Int(
                    maps.get(name)
                        .and_then(|m| m.get(&id))
                        .copied()
                        .ok_or_else(|| broken(format!("{name} {id} has no place")))?,
                ),
                (kind, value) => translate(name, column, *kind, value, maps)?,
            };
            values.push(value);
        }
        out.push(values);
    }
    let has_id = kept.iter().any(|(_, k)| k.is_own_id());
    if has_id {
        let at = kept.iter().position(|(_, k)| k.is_own_id()).unwrap_or(0);
        out.sort_by_key(|row| match row.get(at) {
            Some(Value::Int(v)) => *v,
            _ => 0,
        });
    } else {
        // No id to order by: by content, the same on every installation.
        out.sort_by_cached_key(|row| serde_json::to_string(row).unwrap_or_default());
    }
    Ok(TableRows {
        name: name.to_owned(),
        columns: kept.iter().map(|(c, _)| (*c).to_owned()).collect(),
        rows: out,
    })
}

/// Everything read from one organisation, as an archive.
pub fn pack(
    schema: i64,
    organisation: Vec<Cell>,
    users: Vec<Vec<Cell>>,
    tables: Vec<(&'static Table, Vec<Vec<Cell>>)>,
) -> Result<Archive> {
    let mut maps: Maps = HashMap::new();
    maps.insert(
        "users",
        places(users.iter().filter_map(|r| r.first().and_then(id_of))),
    );
    for (table, rows) in &tables {
        if let Some(at) = table.columns.iter().position(|(_, k)| k.is_own_id()) {
            maps.insert(
                table.name,
                places(rows.iter().filter_map(|r| r.get(at).and_then(id_of))),
            );
        }
    }
    let users = pack_rows("users", USER_COLUMNS, users, &maps)?;
    let mut packed = Vec::with_capacity(tables.len());
    for (table, rows) in tables {
        packed.push(pack_rows(table.name, table.columns, rows, &maps)?);
    }
    let organisation = ORGANISATION_COLUMNS
        .iter()
        .zip(organisation)
        .map(|((column, _), cell)| ((*column).to_owned(), cell_value(cell)))
        .collect();
    Ok(Archive {
        format: FORMAT.to_owned(),
        version: VERSION,
        schema,
        organisation,
        users,
        tables: packed,
    })
}

/// The user ids rows point at (people the archive must carry).
pub fn referenced_users(tables: &[(&'static Table, Vec<Vec<Cell>>)]) -> Vec<i64> {
    let mut ids: Vec<i64> = tables
        .iter()
        .flat_map(|(table, rows)| {
            let at: Vec<usize> = table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, (_, k))| *k == Kind::Ref("users"))
                .map(|(i, _)| i)
                .collect();
            rows.iter()
                .flat_map(|row| {
                    at.iter()
                        .filter_map(|i| row.get(*i).and_then(id_of))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One archived row ready to write: the values for every column but the
/// id, the row's place, and self-references to set once all rows exist.
pub struct Prepared {
    pub place: Option<i64>,
    pub cells: Vec<Cell>,
    /// (column, place of the row it points at)
    pub later: Vec<(&'static str, i64)>,
}

/// The columns written for a table: all but the id, in the table's order.
pub fn written_columns(columns: &[(&'static str, Kind)]) -> Vec<(&'static str, Kind)> {
    columns
        .iter()
        .copied()
        .filter(|(_, k)| *k != Kind::Id)
        .collect()
}

fn cell_of(kind: Kind, value: Value, table: &str, column: &str) -> Result<Cell> {
    Ok(match (kind, value) {
        (_, Value::Null) => Cell::Null,
        (Kind::Time, Value::Text(text)) => Cell::Time(
            OffsetDateTime::parse(&text, &Rfc3339)
                .map_err(|e| broken(format!("{table}.{column}: not a time: {e}")))?,
        ),
        (Kind::Real, Value::Int(v)) =>
        {
            #[allow(clippy::cast_precision_loss)]
            Cell::Real(v as f64)
        }
        (Kind::Real, Value::Real(v)) => Cell::Real(v),
        (Kind::Bool, Value::Bool(v)) => Cell::Bool(v),
        (
            Kind::Int
            | Kind::Id
            | Kind::RandomId
            | Kind::Ref(_)
            | Kind::Soft(_)
            | Kind::Organisation,
            Value::Int(v),
        ) => Cell::Int(v),
        (Kind::Text | Kind::Secret | Kind::IdList(_), Value::Text(v)) => Cell::Text(v),
        (kind, value) => {
            return Err(broken(format!(
                "{table}.{column}: a {} does not fit {kind:?}",
                value.kind_name()
            )));
        }
    })
}

/// Columns added after archives were first written, with the value the
/// rows of an older archive get (what the migration gave existing rows).
fn added_later(table: &str, column: &str) -> Option<Value> {
    match (table, column) {
        ("initiatives" | "indicators", "version") => Some(Value::Int(1)),
        ("initiative_indicators", "control_indicator_id") => Some(Value::Null),
        _ => None,
    }
}

/// Brings an archive written before a column was added up to this
/// version's columns, so that backups made before an upgrade still restore.
/// Any other difference is left for `check_columns` to refuse.
pub fn upgrade(archive: &mut super::Archive) {
    for archived in &mut archive.tables {
        let Some(table) = super::tables::TABLES
            .iter()
            .find(|t| t.name == archived.name)
        else {
            continue;
        };
        for (position, (column, _)) in archived_columns(table.columns).iter().enumerate() {
            if archived.columns.iter().any(|c| c == column) || position > archived.columns.len() {
                continue;
            }
            let Some(default) = added_later(table.name, column) else {
                continue;
            };
            archived.columns.insert(position, (*column).to_owned());
            for row in &mut archived.rows {
                if position <= row.len() {
                    row.insert(position, default.clone());
                }
            }
        }
    }
}

/// Checks that an archived table has exactly the columns this version
/// writes.
pub fn check_columns(
    name: &str,
    columns: &[(&'static str, Kind)],
    archived: &[String],
) -> Result<()> {
    let expected: Vec<&str> = archived_columns(columns).iter().map(|(c, _)| *c).collect();
    if expected != archived.iter().map(String::as_str).collect::<Vec<_>>() {
        tracing::warn!(table = name, "archive columns differ from this version's");
        return Err(Error::invalid("archive", "archive_version"));
    }
    Ok(())
}

/// Translates one archived row of `table` for writing into `organisation`.
pub fn prepare(
    name: &'static str,
    columns: &[(&'static str, Kind)],
    row: &[Value],
    organisation: i64,
    maps: &Maps,
) -> Result<Prepared> {
    let kept = archived_columns(columns);
    if row.len() != kept.len() {
        return Err(broken(format!("{name}: a row has {} values", row.len())));
    }
    let by_column: HashMap<&str, &Value> = kept.iter().map(|(c, _)| *c).zip(row).collect();
    let mut prepared = Prepared {
        place: None,
        cells: Vec::new(),
        later: Vec::new(),
    };
    for (column, kind) in columns.iter().copied() {
        let value = by_column.get(column).map_or(Value::Null, |v| (*v).clone());
        match kind {
            Kind::Organisation => prepared.cells.push(Cell::Int(organisation)),
            Kind::Id => {
                if let Value::Int(place) = value {
                    prepared.place = Some(place);
                }
            }
            Kind::RandomId => {
                if let Value::Int(place) = value {
                    prepared.place = Some(place);
                }
                // Drawn by the writer.
                prepared.cells.push(Cell::Int(0));
            }
            Kind::Ref(target) if target == name => {
                if let Value::Int(place) = value {
                    prepared.later.push((column, place));
                }
                prepared.cells.push(Cell::Null);
            }
            kind => {
                let value = translate(name, column, kind, value, maps)?;
                prepared.cells.push(cell_of(kind, value, name, column)?);
            }
        }
    }
    Ok(prepared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::tables::Kind::{Id, IdList, Organisation, Ref, Soft, Text, Time};

    #[test]
    fn a_value_that_does_not_fit_is_named_by_kind_not_repeated() {
        let Err(Error::Unexpected(said)) = cell_of(
            Kind::Bool,
            Value::Text("jan@voorbeeld.nl".into()),
            "users",
            "email",
        ) else {
            panic!("refused")
        };
        assert_eq!(said, "users.email: a text does not fit Bool");
    }

    static UNITS: Table = Table {
        name: "units",
        columns: &[
            ("id", Id),
            ("organisation_id", Organisation),
            ("parent_id", Ref("units")),
            ("name", Text),
        ],
    };
    static THINGS: Table = Table {
        name: "things",
        columns: &[
            ("organisation_id", Organisation),
            ("unit_id", Soft("units")),
            ("unit_ids", IdList("units")),
            ("owner", Ref("users")),
            ("at", Time),
        ],
    };

    fn at() -> OffsetDateTime {
        time::macros::datetime!(2026-11-27 09:00:00.123456789 +01:00)
    }

    #[test]
    fn ids_become_places_and_references_follow() {
        let units = vec![
            vec![
                Cell::Int(40),
                Cell::Int(7),
                Cell::Int(12),
                Cell::Text("B".into()),
            ],
            vec![
                Cell::Int(12),
                Cell::Int(7),
                Cell::Null,
                Cell::Text("A".into()),
            ],
        ];
        let things = vec![vec![
            Cell::Int(7),
            Cell::Int(0),
            Cell::Text("[40,12,99]".into()),
            Cell::Int(300),
            Cell::Time(at()),
        ]];
        let users = vec![vec![
            Cell::Int(300),
            Cell::Text("a@b.nl".into()),
            Cell::Text("A".into()),
            Cell::Text("nl".into()),
            Cell::Bool(true),
            Cell::Null,
            Cell::Time(at()),
            Cell::Time(at()),
        ]];
        let archive = pack(22, vec![], users, vec![(&UNITS, units), (&THINGS, things)]).unwrap();
        assert_eq!(archive.users.rows[0][0], Value::Int(1));
        let units = &archive.tables[0];
        assert_eq!(units.columns, ["id", "parent_id", "name"]);
        assert_eq!(
            units.rows,
            [
                vec![Value::Int(1), Value::Null, Value::Text("A".into())],
                vec![Value::Int(2), Value::Int(1), Value::Text("B".into())],
            ]
        );
        let thing = &archive.tables[1].rows[0];
        assert_eq!(thing[0], Value::Int(0), "a soft reference to nothing stays");
        assert_eq!(thing[1], Value::Text("[2,1,99]".into()));
        assert_eq!(thing[2], Value::Int(1));
        assert_eq!(thing[3], Value::Text("2026-11-27T08:00:00.123456Z".into()));
    }

    #[test]
    fn a_reference_outside_the_organisation_is_refused() {
        let things = vec![vec![
            Cell::Int(7),
            Cell::Null,
            Cell::Text("[]".into()),
            Cell::Int(5),
            Cell::Null,
        ]];
        assert!(pack(22, vec![], vec![], vec![(&THINGS, things)]).is_err());
    }

    #[test]
    fn rows_are_prepared_with_new_ids_and_self_references_later() {
        let mut maps: Maps = HashMap::new();
        maps.insert("units", HashMap::from([(1, 501), (2, 502)]));
        maps.insert("users", HashMap::from([(1, 900)]));
        let unit = prepare(
            "units",
            UNITS.columns,
            &[Value::Int(2), Value::Int(1), Value::Text("B".into())],
            77,
            &maps,
        )
        .unwrap();
        assert_eq!(unit.place, Some(2));
        assert_eq!(
            unit.cells,
            [Cell::Int(77), Cell::Null, Cell::Text("B".into())]
        );
        assert_eq!(unit.later, [("parent_id", 1)]);
        let thing = prepare(
            "things",
            THINGS.columns,
            &[
                Value::Int(0),
                Value::Text("[2,1]".into()),
                Value::Int(1),
                Value::Text("2026-11-27T08:00:00.123456Z".into()),
            ],
            77,
            &maps,
        )
        .unwrap();
        assert_eq!(thing.cells[1], Cell::Int(0));
        assert_eq!(thing.cells[2], Cell::Text("[502,501]".into()));
        assert_eq!(thing.cells[3], Cell::Int(900));
        assert!(matches!(thing.cells[4], Cell::Time(_)));
        assert!(check_columns("units", UNITS.columns, &["id".into(), "name".into()]).is_err());
    }
}
