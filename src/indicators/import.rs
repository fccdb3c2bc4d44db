//! Bulk measurements from CSV as spreadsheets export it: Dutch (`;`,
//! decimal comma, `dd-mm-jjjj`, Excel day numbers, a BOM) as well as
//! international. All or nothing; every error names its row and column.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::spec::measurement_spec;
use super::{BatchResult, Indicator, MeasurementInput, MeasurementSpec};
use crate::domain::{Frequency, IndicatorCode, OrganisationId, Period, UserId, Validator};
use crate::http::AppState;
use crate::store::AuditMeta;
use crate::{Error, Result};

/// Files above this many rows are refused (bulk loads of millions of rows
/// come with the import benchmark).
pub const MAX_ROWS: usize = 100_000;

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// One data row as read, before validation. `line` is the file's line.
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    code: String,
    period: String,
    value: String,
    note: String,
}

fn column_of(header: &str) -> Option<&'static str> {
    match header.trim().to_lowercase().as_str() {
        "indicator" | "indicatorcode" | "indicator_code" | "code" => Some("indicator"),
        "period" | "periode" => Some("period"),
        "value" | "waarde" => Some("value"),
        "note" | "toelichting" | "opmerking" => Some("note"),
        _ => None,
    }
}

/// The separator used on the header line: `;`, tab or `,`.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.matches(c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b';', |(d, _)| d)
}

/// `12,5`, `12.5`, `1.234,5`, `1,234.5`, ` 80 ` → a number.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let normalised = match (cleaned.rfind(','), cleaned.rfind('.')) {
        (Some(comma), Some(dot)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => cleaned.replace(',', ""),
        (Some(_), None) => cleaned.replace(',', "."),
        _ => cleaned,
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A period cell: Excel writes day cells as a day count from 1899-12-30.
fn period_text(frequency: Frequency, cell: &str) -> String {
    let cell = cell.trim();
    if frequency == Frequency::Day
        && cell.len() == 5
        && cell.bytes().all(|b| b.is_ascii_digit())
        && let Ok(serial) = cell.parse::<i64>()
    {
        let excel_epoch = time::macros::date!(1899 - 12 - 30);
        return Period::containing(Frequency::Day, excel_epoch + time::Duration::days(serial))
            .label();
    }
    cell.to_owned()
}

fn read_rows(bytes: &[u8]) -> Result<Vec<Row>> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::invalid("file", "file_encoding"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::invalid("file", "file_empty"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| Error::invalid("file", "file_unreadable"))?
        .clone();
    let positions: HashMap<&'static str, usize> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| column_of(h).map(|c| (c, i)))
        .collect();
    let mut v = Validator::new();
    for required in ["indicator", "period", "value"] {
        if !positions.contains_key(required) {
            v.add(&format!("columns.{required}"), "missing_column");
        }
    }
    v.finish(Some(()))?;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record =
            record.map_err(|_| Error::invalid(&format!("rows[{line}]"), "file_unreadable"))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            positions
                .get(name)
                .and_then(|i| record.get(*i))
                .unwrap_or("")
                .to_owned()
        };
        rows.push(Row {
            line,
            code: cell("indicator"),
            period: cell("period"),
            value: cell("value"),
            note: cell("note"),
        });
        if rows.len() > MAX_ROWS {
            return Err(Error::invalid("file", "too_many_rows"));
        }
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", "file_empty"));
    }
    Ok(rows)
}

/// Validates a file against the organisation's indicators and writes it
/// (or, with `dry_run`, only counts). `may_record` says whether the caller
/// may record measurements of an indicator.
pub async fn import(
    state: &AppState,
    meta: &AuditMeta,
    organisation: OrganisationId,
    bytes: &[u8],
    dry_run: bool,
    may_record: impl Fn(&Indicator) -> bool,
) -> Result<ImportReport> {
    let rows = read_rows(bytes)?;
    let indicators: HashMap<String, Indicator> = state
        .store()
        .all_indicators(organisation)
        .await?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let mut v = Validator::new();
    let mut groups: HashMap<String, Vec<MeasurementSpec>> = HashMap::new();
    let mut seen = HashSet::new();
    for row in &rows {
        let prefix = format!("rows[{}].", row.line);
        let Some(indicator) = IndicatorCode::parse(&row.code)
            .ok()
            .and_then(|code| indicators.get(code.as_str()))
        else {
            v.add(
                &format!("{prefix}indicator"),
                if row.code.is_empty() {
                    "required"
                } else {
                    "unknown_indicator"
                },
            );
            continue;
        };
        if !may_record(indicator) {
            v.add(&format!("{prefix}indicator"), "not_permitted");
            continue;
        }
        let value = parse_number(&row.value);
        if value.is_none() && !row.value.trim().is_empty() {
            v.add(&format!("{prefix}value"), "number");
            continue;
        }
        let input = MeasurementInput {
            period: Some(period_text(indicator.frequency, &row.period)),
            value,
            note: Some(row.note.clone()),
        };
        if let Some(spec) = measurement_spec(&mut v, indicator, &input, &prefix) {
            if !seen.insert((indicator.id, spec.period)) {
                v.add(&format!("{prefix}period"), "duplicate_period");
                continue;
            }
            groups.entry(indicator.code.clone()).or_default().push(spec);
        }
    }
    v.finish(Some(()))?;
    let groups: Vec<(Indicator, Vec<MeasurementSpec>)> = groups
        .into_iter()
        .filter_map(|(code, batch)| indicators.get(&code).cloned().map(|i| (i, batch)))
        .collect();
    let BatchResult {
        created,
        updated,
        unchanged,
    } = state
        .store()
        .import_measurements(meta, &groups, "import", dry_run)
        .await?;
    Ok(ImportReport {
        dry_run,
        rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        created,
        updated,
        unchanged,
    })
}

/// Who may record: anyone with the permission, owners for their own.
pub fn recorder(actor: &crate::auth::Actor) -> impl Fn(&Indicator) -> bool + '_ {
    let user: UserId = actor.user_id;
    move |indicator: &Indicator| {
        actor.can(crate::domain::Permission::RecordMeasurements)
            || (indicator.owner_id == Some(user) && actor.role != crate::domain::Role::Viewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldError;

    #[test]
    fn numbers_in_dutch_and_international_notation() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number(" 80 "), Some(80.0));
        assert_eq!(parse_number("1 234,5"), Some(1234.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn separators_and_excel_days() {
        assert_eq!(delimiter("indicator;periode;waarde\n"), b';');
        assert_eq!(delimiter("indicator,period,value\n"), b',');
        assert_eq!(delimiter("indicator\tperiod\tvalue\n"), b'\t');
        assert_eq!(period_text(Frequency::Day, "46353"), "2026-11-27");
        assert_eq!(period_text(Frequency::Month, "46353"), "46353");
    }

    #[test]
    fn rows_are_read_with_their_line_numbers() {
        let file = "\u{feff}Indicator;Periode;Waarde;Toelichting\nKCC-FCR;2026-10;76,5;\n;;;\nKCC-FCR;2026-11;77;nieuw\n";
        let rows = read_rows(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].value.as_str()), (2, "76,5"));
        assert_eq!((rows[1].line, rows[1].note.as_str()), (4, "nieuw"));
        let missing = read_rows(b"code;waarde\nX;1\n").unwrap_err();
        let Error::Invalid(errors) = missing else {
            panic!()
        };
        assert_eq!(
            errors,
            vec![FieldError::new("columns.period", "missing_column")]
        );
    }
}
