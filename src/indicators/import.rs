//! Bulk measurements from CSV or XLSX as spreadsheets write them: Dutch (`;`,
//! decimal comma, `dd-mm-jjjj`, Excel day numbers, a BOM) as well as
//! international. All or nothing; every error names its row and column.

use std::collections::HashMap;

use serde::Serialize;

use super::spec::measurement_spec;
use super::{Indicator, MeasurementInput, MeasurementSpec};
use crate::Result;
use crate::domain::{
    Frequency, IndicatorCode, IndicatorId, OrganisationId, Period, UserId, Validator,
};
use crate::http::AppState;
use crate::store::AuditMeta;

/// Files above this many rows are refused: a million rows is about 30 MB
/// of CSV and imports in seconds (see BENCHMARKS.md).
pub const MAX_ROWS: usize = 1_000_000;

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// The values added or changed, in file order; at most 500 are listed
    /// (the counts above are always complete).
    pub changes: Vec<ImportChange>,
}

/// One value an import adds or changes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportChange {
    /// The file's row (the header is row 1).
    pub row: u32,
    pub indicator: String,
    pub period: String,
    /// Breakdown values; empty for the total.
    pub dimensions: std::collections::BTreeMap<String, String>,
    pub value: f64,
    /// The value it replaces; absent when the value is new.
    pub previous_value: Option<f64>,
}

/// Whether a header names one of the import's own columns.
pub(super) fn is_import_column(header: &str) -> bool {
    column_of(header).is_some()
}

/// Which of our columns a header names, in English or Dutch.
fn column_of(header: &str) -> Option<&'static str> {
    match header.trim().to_lowercase().as_str() {
        "indicator" | "indicatorcode" | "indicator_code" | "code" => Some("indicator"),
        "period" | "periode" => Some("period"),
        "value" | "waarde" => Some("value"),
        "note" | "toelichting" | "opmerking" => Some("note"),
        _ => None,
    }
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

/// A period cell as spreadsheets write it. Excel day numbers become dates;
/// a date that starts a period (`1-11-2026` for a month) names that period.
/// Any other date stays as written, so the period check refuses it.
fn period_text(frequency: Frequency, cell: &str) -> String {
    let cell = cell.trim();
    let as_date = if cell.len() == 5
        && cell.bytes().all(|b| b.is_ascii_digit())
        && let Ok(serial) = cell.parse::<u32>()
    {
        crate::spreadsheet::excel_day(f64::from(serial))
    } else {
        cell.to_owned()
    };
    match Period::parse(Frequency::Day, &as_date) {
        Ok(day) => {
            let period = Period::containing(frequency, day.start());
            if period.start() == day.start() {
                period.label()
            } else {
                cell.to_owned()
            }
        }
        Err(_) => cell.to_owned(),
    }
}

/// Validates a file (CSV or XLSX) against the organisation's indicators and
/// writes it (or, with `dry_run`, only counts and lists). `may_record` says
/// whether the caller may record measurements of an indicator.
pub async fn import(
    state: &AppState,
    meta: &AuditMeta,
    organisation: OrganisationId,
    bytes: &[u8],
    dry_run: bool,
    may_record: impl Fn(&Indicator) -> bool,
) -> Result<ImportReport> {
    let table = crate::spreadsheet::read(bytes, MAX_ROWS)?;
    let positions: HashMap<&'static str, usize> = table
        .headers
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
    let mut v = Validator::new();
    let column = |name: &str| positions.get(name).copied();
    // Any other column may name a breakdown (dimension) of an indicator.
    let others: Vec<(usize, String)> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| column_of(h).is_none())
        .map(|(i, h)| (i, h.trim().to_lowercase()))
        .collect();
    let indicators: HashMap<String, Indicator> = state
        .store()
        .all_indicators(organisation)
        .await?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let mut groups: HashMap<String, Vec<MeasurementSpec>> = HashMap::new();
    let mut lines: HashMap<(IndicatorId, Period, String), usize> = HashMap::new();
    for row in &table.rows {
        let prefix = format!("rows[{}].", row.line);
        let code = row.cell(column("indicator"));
        let Some(indicator) = IndicatorCode::parse(code)
            .ok()
            .and_then(|code| indicators.get(code.as_str()))
        else {
            v.add(
                &format!("{prefix}indicator"),
                if code.is_empty() {
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
        let value_text = row.cell(column("value"));
        let value = parse_number(value_text);
        if value.is_none() && !value_text.is_empty() {
            v.add(&format!("{prefix}value"), "number");
            continue;
        }
        let dimensions: std::collections::BTreeMap<String, String> = others
            .iter()
            .filter(|(_, name)| indicator.dimensions.iter().any(|d| &d.name == name))
            .map(|(i, name)| (name.clone(), row.cell(Some(*i)).to_owned()))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let input = MeasurementInput {
            period: Some(period_text(indicator.frequency, row.cell(column("period")))),
            value,
            note: Some(row.cell(column("note")).to_owned()),
            dimensions: Some(dimensions),
        };
        if let Some(spec) = measurement_spec(&mut v, indicator, &input, &prefix) {
            if lines
                .insert(
                    (indicator.id, spec.period, spec.dimension_key.clone()),
                    row.line,
                )
                .is_some()
            {
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
    let codes: HashMap<IndicatorId, &str> = groups
        .iter()
        .map(|(i, _)| (i.id, i.code.as_str()))
        .collect();
    let result = state
        .store()
        .import_measurements(meta, &groups, "import", dry_run)
        .await?;
    let mut changes: Vec<ImportChange> = result
        .changes
        .iter()
        .map(|change| ImportChange {
            row: lines
                .get(&(
                    change.indicator,
                    change.period,
                    change.dimension_key.clone(),
                ))
                .and_then(|line| u32::try_from(*line).ok())
                .unwrap_or(0),
            indicator: codes
                .get(&change.indicator)
                .copied()
                .unwrap_or("")
                .to_owned(),
            period: change.period.label(),
            dimensions: super::dimensions::values_of(&change.dimension_key),
            value: change.value,
            previous_value: change.previous,
        })
        .collect();
    changes.sort_by_key(|change| change.row);
    Ok(ImportReport {
        dry_run,
        rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        changes,
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
    fn periods_as_spreadsheets_write_them() {
        assert_eq!(period_text(Frequency::Day, "46353"), "2026-11-27");
        assert_eq!(period_text(Frequency::Month, "01-11-2026"), "2026-11");
        assert_eq!(period_text(Frequency::Month, "2026-11-01"), "2026-11");
        assert_eq!(period_text(Frequency::Quarter, "2026-10-01"), "2026-Q4");
        assert_eq!(period_text(Frequency::Month, "15-11-2026"), "15-11-2026");
        assert_eq!(period_text(Frequency::Month, "2026-11"), "2026-11");
        assert_eq!(period_text(Frequency::Year, "46023"), "2026");
    }
}
