//! Reading one organisation's tables as plain cells and writing an
//! archive back, for backups, restores and the workbook export. The
//! tables and columns come from `backup::tables`, never from input.

use std::collections::HashMap;

use sqlx::Row as _;
use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::audit_chain::chain_unlinked;
use super::{AuditMeta, Change, Store, conflict_on_unique, on_pool};
use crate::Result;
use crate::backup::pack::{self, Maps};
use crate::backup::tables::{self, Kind, ORGANISATION_COLUMNS, Table, USER_COLUMNS};
use crate::backup::{Archive, Cell};
use crate::domain::{OrganisationId, Slug};

/// Reads every column of a row as the kind says.
macro_rules! cells {
    ($row:expr, $columns:expr) => {{
        let row = &$row;
        let mut cells = Vec::with_capacity($columns.len());
        for (i, (_, kind)) in $columns.iter().enumerate() {
            let cell = match kind {
                Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                Kind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Cell::Bool),
                Kind::Text | Kind::Secret | Kind::IdList(_) => {
                    row.try_get::<Option<String>, _>(i)?.map(Cell::Text)
                }
                Kind::Time => row.try_get::<Option<OffsetDateTime>, _>(i)?.map(Cell::Time),
                Kind::Organisation
                | Kind::Id
                | Kind::RandomId
                | Kind::Ref(_)
                | Kind::Soft(_)
                | Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
            };
            cells.push(cell.unwrap_or(Cell::Null));
        }
        cells
    }};
}

/// Binds cells in order; a NULL is bound with its column's type, which
/// PostgreSQL needs.
macro_rules! bind_cells {
    ($query:expr, $cells:expr, $kinds:expr) => {{
        let mut query = $query;
        for (cell, kind) in $cells.iter().zip($kinds.iter()) {
            query = match (cell, kind) {
                (Cell::Int(v), _) => query.bind(*v),
                (Cell::Real(v), _) => query.bind(*v),
                (Cell::Bool(v), _) => query.bind(*v),
                (Cell::Text(v), _) => query.bind(v.clone()),
                (Cell::Time(v), _) => query.bind(*v),
                (Cell::Null, Kind::Real) => query.bind(None::<f64>),
                (Cell::Null, Kind::Bool) => query.bind(None::<bool>),
                (Cell::Null, Kind::Time) => query.bind(None::<OffsetDateTime>),
                (Cell::Null, Kind::Text | Kind::Secret | Kind::IdList(_)) => {
                    query.bind(None::<String>)
                }
                (Cell::Null, _) => query.bind(None::<i64>),
            };
        }
        query
    }};
}

fn column_list(columns: &[(&'static str, Kind)]) -> String {
    columns
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One organisation as it stood at one moment: what a backup packs.
pub struct OrganisationSnapshot {
    pub schema: i64,
    pub organisation: Vec<Cell>,
    pub tables: Vec<(&'static Table, Vec<Vec<Cell>>)>,
    pub users: Vec<Vec<Cell>>,
}

impl Store {
    /// Reads the organisation's row, every row of `tables` (in that order)
    /// and the people `users_of` finds referenced, all in one snapshot: a
    /// backup taken while people work holds no row that points at one
    /// written after it was read.
    pub async fn organisation_snapshot(
        &self,
        organisation: OrganisationId,
        tables: Vec<&'static Table>,
        users_of: impl Fn(&[(&'static Table, Vec<Vec<Cell>>)]) -> Vec<i64>,
    ) -> Result<OrganisationSnapshot> {
        let organisation_sql = format!(
            "SELECT {} FROM organisations WHERE id = $1",
            column_list(ORGANISATION_COLUMNS)
        );
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_snapshot().await?;
            let schema: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
            )
            .fetch_one(&mut *tx)
            .await?;
            let row = sqlx::query(sqlx::AssertSqlSafe(organisation_sql))
                .bind(organisation)
                .fetch_one(&mut *tx)
                .await?;
            let organisation_cells = cells!(row, ORGANISATION_COLUMNS);
            let mut read = Vec::with_capacity(tables.len());
            for table in tables {
                let order = if table.has_id() { " ORDER BY id" } else { "" };
                let sql = format!(
                    "SELECT {} FROM {} WHERE organisation_id = $1{order}",
                    column_list(table.columns),
                    table.name
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(organisation)
                    .fetch_all(&mut *tx)
                    .await?;
                let mut cells = Vec::with_capacity(rows.len());
                for row in rows {
                    cells.push(cells!(row, table.columns));
                }
                read.push((table, cells));
            }
            let mut users = Vec::new();
            for chunk in users_of(&read).chunks(500) {
                let sql = format!(
                    "SELECT {} FROM users WHERE id IN ({}) ORDER BY id",
                    column_list(USER_COLUMNS),
                    placeholders(1, chunk.len())
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(&mut *tx).await? {
                    users.push(cells!(row, USER_COLUMNS));
                }
            }
            tx.commit().await?;
            OrganisationSnapshot {
                schema,
                organisation: organisation_cells,
                tables: read,
                users,
            }
        }))
    }

    /// The newest migration applied: archives say which schema made them.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar::<_, i64>(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(p)
        .await?))
    }

    /// The organisation's own row, in `ORGANISATION_COLUMNS` order.
    pub async fn organisation_cells(&self, organisation: OrganisationId) -> Result<Vec<Cell>> {
        let sql = format!(
            "SELECT {} FROM organisations WHERE id = $1",
            column_list(ORGANISATION_COLUMNS)
        );
        Ok(on_pool!(self, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).fetch_one(p).await?;
            cells!(row, ORGANISATION_COLUMNS)
        }))
    }

    /// Every row of one table of the organisation, by id where it has one.
    pub async fn table_cells(
        &self,
        organisation: OrganisationId,
        table: &Table,
    ) -> Result<Vec<Vec<Cell>>> {
        let order = if table.has_id() { " ORDER BY id" } else { "" };
        let sql = format!(
            "SELECT {} FROM {} WHERE organisation_id = $1{order}",
            column_list(table.columns),
            table.name
        );
        Ok(on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).fetch_all(p).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(cells!(row, table.columns));
            }
            out
        }))
    }

    /// The people with these ids, in `USER_COLUMNS` order.
    pub async fn user_cells(&self, ids: &[i64]) -> Result<Vec<Vec<Cell>>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {} FROM users WHERE id IN ({}) ORDER BY id",
                column_list(USER_COLUMNS),
                placeholders(1, chunk.len())
            );
            on_pool!(self, p => {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(p).await? {
                    out.push(cells!(row, USER_COLUMNS));
                }
            });
        }
        Ok(out)
    }

    /// Writes an archive as a new organisation named `slug`, all in one
    /// transaction: a failure leaves nothing behind. People are matched by
    /// email; new ones get the archive's name, language and password hash.
    pub async fn restore_archive(
        &self,
        meta: &AuditMeta,
        archive: &Archive,
        slug: &Slug,
    ) -> Result<OrganisationId> {
        let organisation_cells: Vec<Cell> = ORGANISATION_COLUMNS
            .iter()
            .map(|(column, kind)| {
                if *column == "slug" {
                    return Ok(Cell::Text(slug.as_str().to_owned()));
                }
                let value = archive
                    .organisation
                    .get(*column)
                    .cloned()
                    // An archive from before a setting existed: its default.
                    .unwrap_or(match kind {
                        Kind::Bool => crate::backup::Value::Bool(false),
                        _ => crate::backup::Value::Null,
                    });
                pack::prepare(
                    "organisation",
                    &[(column, *kind)],
                    &[value],
                    0,
                    &Maps::new(),
                )
                .map(|p| p.cells.into_iter().next().unwrap_or(Cell::Null))
            })
            .collect::<Result<_>>()?;
        let order = tables::order().ok_or_else(|| {
            crate::Error::Unexpected("the tables refer to each other in a cycle".into())
        })?;
        let by_name: HashMap<&str, &crate::backup::TableRows> = archive
            .tables
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        for archived in &archive.tables {
            let table = tables::find(&archived.name)
                .ok_or_else(|| crate::Error::invalid("archive", "archive_version"))?;
            pack::check_columns(table.name, table.columns, &archived.columns)?;
        }
        pack::check_columns("users", USER_COLUMNS, &archive.users.columns)?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let sql = format!(
                "INSERT INTO organisations ({}) VALUES ({}) RETURNING id",
                column_list(ORGANISATION_COLUMNS),
                placeholders(1, ORGANISATION_COLUMNS.len())
            );
            let kinds: Vec<Kind> = ORGANISATION_COLUMNS.iter().map(|(_, k)| *k).collect();
            let organisation: i64 = bind_cells!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), organisation_cells, kinds)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "slug", "taken"))?;
            let mut maps: Maps = HashMap::new();
            let mut people = HashMap::new();
            let user_kinds: Vec<Kind> = USER_COLUMNS.iter().map(|(_, k)| *k).collect();
            for row in &archive.users.rows {
                let prepared = pack::prepare("users", USER_COLUMNS, row, organisation, &maps)?;
                let Some(Cell::Text(email)) = prepared.cells.first() else {
                    return Err(crate::Error::invalid("archive", "archive_version"));
                };
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await?;
                let user = match found {
                    Some(id) => id,
                    None => {
                        let columns = pack::written_columns(USER_COLUMNS);
                        let sql = format!(
                            "INSERT INTO users ({}, is_platform_admin) VALUES ({}, FALSE) RETURNING id",
                            column_list(&columns),
                            placeholders(1, columns.len())
                        );
                        bind_cells!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), prepared.cells, user_kinds[1..])
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                if let Some(place) = prepared.place {
                    people.insert(place, user);
                }
            }
            maps.insert("users", people);
            for table in &order {
                let Some(archived) = by_name.get(table.name) else {
                    continue;
                };
                let columns = pack::written_columns(table.columns);
                let kinds: Vec<Kind> = columns.iter().map(|(_, k)| *k).collect();
                let returning = if table.has_id() { " RETURNING id" } else { "" };
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({}){returning}",
                    table.name,
                    column_list(&columns),
                    placeholders(1, columns.len())
                );
                let mut placed = HashMap::new();
                let mut later = Vec::new();
                let secrets: Vec<(usize, &str)> = columns
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, k))| *k == Kind::Secret)
                    .map(|(i, (c, _))| (i, *c))
                    .collect();
                // Random ids, drawn anew but in the archive's order, so that a
                // later backup puts the rows in the same places.
                let mut drawn: Vec<i64> = if columns.iter().any(|(_, k)| *k == Kind::RandomId) {
                    let mut ids = std::collections::BTreeSet::new();
                    while ids.len() < archived.rows.len() {
                        ids.insert(crate::auth::secret::random_id());
                    }
                    ids.into_iter().collect()
                } else {
                    Vec::new()
                };
                drawn.reverse();
                let mut drawn = std::iter::from_fn(move || drawn.pop());
                for row in &archived.rows {
                    let mut prepared = pack::prepare(table.name, table.columns, row, organisation, &maps)?;
                    if let Some(at) = columns.iter().position(|(_, k)| *k == Kind::RandomId) {
                        prepared.cells[at] = Cell::Int(drawn.next().unwrap_or_else(crate::auth::secret::random_id));
                    }
                    // A credential already in use here (a copy restored next
                    // to its original) is replaced: a link belongs to one
                    // organisation.
                    for (at, column) in &secrets {
                        if let Some(Cell::Text(secret)) = prepared.cells.get(*at) {
                            let taken: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                                "SELECT COUNT(*) FROM {} WHERE {column} = $1",
                                table.name
                            )))
                            .bind(secret.clone())
                            .fetch_one(&mut *tx)
                            .await?;
                            if taken > 0 {
                                prepared.cells[*at] = Cell::Text(crate::auth::secret::hash_secret(
                                    &crate::auth::secret::random_secret(),
                                ));
                            }
                        }
                    }
                    let query = bind_cells!(sqlx::query(sqlx::AssertSqlSafe(sql.clone())), prepared.cells, kinds);
                    if table.has_id() {
                        let new_id: i64 = query.fetch_one(&mut *tx).await?.try_get(0)?;
                        if let Some(place) = prepared.place {
                            placed.insert(place, new_id);
                            for (column, target) in prepared.later {
                                later.push((new_id, column, target));
                            }
                        }
                    } else {
                        query.execute(&mut *tx).await?;
                    }
                }
                for (row, column, target) in later {
                    let target = placed.get(&target).copied();
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE {} SET {column} = $1 WHERE id = $2",
                        table.name
                    )))
                    .bind(target)
                    .bind(row)
                    .execute(&mut *tx)
                    .await?;
                }
                maps.insert(table.name, placed);
            }
            let change = Change::new(
                "restore",
                "organisation",
                organisation,
                None,
                Some(serde_json::json!({"slug": slug.as_str(), "schema": archive.schema})),
            );
            // The archive's events join this installation's chain, oldest
            // first, before the restore's own event.
            chain_unlinked!(&mut *tx, Some(organisation))?;
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            organisation
        });
        Ok(OrganisationId(id))
    }
}

impl Store {
    /// Copies the whole SQLite database to `file` while it is in use.
    pub async fn copy_database(&self, file: &std::path::Path) -> Result<()> {
        let path = file
            .to_str()
            .ok_or_else(|| crate::Error::invalid("file", "file_name"))?
            .to_owned();
        match &self.pool {
            super::Pool::Sqlite(p) => {
                sqlx::query("VACUUM INTO $1").bind(path).execute(p).await?;
                Ok(())
            }
            super::Pool::Postgres(_) => Err(crate::Error::invalid("backend", "sqlite_only")),
        }
    }
}
