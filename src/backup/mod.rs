//! Backups of one organisation and their restore, on either backend, and
//! the organisation's data as one workbook.
//!
//! An archive is one JSON document: a header (format, version, the schema
//! it was made with), the organisation, the people it refers to, and every
//! table of `tables.rs` in an order where each table comes after the ones
//! it points at. Ids in the archive are the rows' places (1, 2, …) in
//! their table, so an archive does not depend on the installation it came
//! from: a backup restored elsewhere and backed up again gives the same
//! bytes.

pub mod api;
pub mod export;
pub mod pack;
pub mod service;
pub mod tables;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What an archive says it is.
pub const FORMAT: &str = "koers-organisation-backup";
/// The archive layout; bumped when it changes.
pub const VERSION: u32 = 1;

/// One value as the database gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Time(OffsetDateTime),
}

/// One value in an archive: JSON's own types; times as RFC 3339 text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    /// What kind of value this is, for messages that must not repeat the
    /// value itself (it may be a name or an address).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "whole number",
            Value::Real(_) => "number",
            Value::Text(_) => "text",
        }
    }
}

/// One table's rows in an archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRows {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Archive {
    pub format: String,
    pub version: u32,
    /// The newest migration of the database it was made from.
    pub schema: i64,
    pub organisation: BTreeMap<String, Value>,
    pub users: TableRows,
    pub tables: Vec<TableRows>,
}
