//! Reads an uploaded table, CSV or XLSX, into header names and text cells
//! with the line (spreadsheet row) each came from. Which format a file is
//! comes from its bytes, not its name: XLSX files are ZIP archives.
//! `problems` places an import's errors by row and column for the pages.

pub mod columns;
pub mod problems;
pub mod write;

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};

use crate::{Error, Result};

/// A table as read: header names and the non-empty rows below them.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone)]
pub struct TableRow {
    /// The row number a spreadsheet program shows (the header is line 1).
    pub line: usize,
    pub cells: Vec<String>,
}

impl TableRow {
    pub fn cell(&self, index: Option<usize>) -> &str {
        index
            .and_then(|i| self.cells.get(i))
            .map_or("", String::as_str)
    }
}

/// Reads at most `max_rows` data rows; more is an error, not a silent cut.
pub fn read(bytes: &[u8], max_rows: usize) -> Result<Table> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, max_rows)?
    } else {
        read_csv(bytes, max_rows)?
    };
    if table.rows.is_empty() {
        return Err(Error::invalid("file", "file_empty"));
    }
    Ok(table)
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

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Table> {
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
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line());
            Error::invalid(&format!("rows[{line}]"), "file_unreadable")
        })?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        push_row(&mut rows, line, record.iter().map(str::to_owned), max_rows)?;
    }
    Ok(Table { headers, rows })
}

fn push_row(
    rows: &mut Vec<TableRow>,
    line: usize,
    cells: impl Iterator<Item = String>,
    max_rows: usize,
) -> Result<()> {
    if rows.len() >= max_rows {
        return Err(Error::invalid("file", "too_many_rows"));
    }
    rows.push(TableRow {
        line,
        cells: cells.collect(),
    });
    Ok(())
}

/// The first worksheet of a workbook. Date cells become `YYYY-MM-DD`,
/// numbers keep their full precision.
fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Table> {
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|_| Error::invalid("file", "file_unreadable"))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| Error::invalid("file", "file_empty"))?
        .map_err(|_| Error::invalid("file", "file_unreadable"))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let first_line = usize::try_from(first_row).unwrap_or(0) + 1;
    let mut sheet_rows = range.rows().enumerate();
    let Some((_, header_row)) = sheet_rows.next() else {
        return Err(Error::invalid("file", "file_empty"));
    };
    let headers = header_row.iter().map(cell_text).collect();
    let headers = headers_or_error(headers)?;
    let mut rows = Vec::new();
    for (index, cells) in sheet_rows {
        let line = first_line + index;
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        if let Some(column) = cells.iter().position(|c| matches!(c, Data::Error(_))) {
            return Err(Error::invalid(
                &format!(
                    "rows[{line}].{}",
                    headers.get(column).map_or("", String::as_str)
                ),
                "file_unreadable",
            ));
        }
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        push_row(&mut rows, line, texts.into_iter(), max_rows)?;
    }
    Ok(Table { headers, rows })
}

fn headers_or_error(headers: Vec<String>) -> Result<Vec<String>> {
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::invalid("file", "file_empty"));
    }
    Ok(headers)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) => text.trim().to_owned(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        Data::DateTime(moment) => excel_day(moment.as_f64()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.chars().take(10).collect(),
    }
}

/// Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
pub fn excel_day(serial: f64) -> String {
    let excel_epoch = time::macros::date!(1899 - 12 - 30);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "day serials are small whole numbers"
    )]
    let days = serial.floor() as i64;
    let date = excel_epoch + time::Duration::days(days);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        assert_eq!(delimiter("indicator;periode;waarde\n"), b';');
        assert_eq!(delimiter("indicator,period,value\n"), b',');
        assert_eq!(delimiter("indicator\tperiod\tvalue\n"), b'\t');
    }

    #[test]
    fn excel_days_count_from_1899() {
        assert_eq!(excel_day(46353.0), "2026-11-27");
        assert_eq!(excel_day(46353.75), "2026-11-27");
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_ones() {
        let file = "\u{feff}Indicator;Periode;Waarde\nA;2026-10;1\n;;\nA;2026-11;2\n";
        let table = read(file.as_bytes(), 10).unwrap();
        assert_eq!(table.headers, vec!["Indicator", "Periode", "Waarde"]);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4]);
        assert!(read(file.as_bytes(), 1).is_err());
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        let Err(Error::Invalid(errors)) = read(b"PK\x03\x04not really a zip", 10) else {
            panic!("a broken workbook must be refused")
        };
        assert_eq!(errors[0].code, "file_unreadable");
        let Err(Error::Invalid(errors)) = read(&[0xff, 0xfe, 0x00], 10) else {
            panic!("non-UTF-8 text must be refused")
        };
        assert_eq!(errors[0].code, "file_encoding");
    }
}

/// A cell value that a spreadsheet program will not run as a formula:
/// text starting with `=`, `+`, `-`, `@` (or a tab or carriage return)
/// gets a leading apostrophe, which programs show as text.
pub fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The value `inert` protected, as it was: an export read back in
/// unchanged.
pub fn revived(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod inert_tests {
    #[test]
    fn formulas_become_text() {
        assert_eq!(super::inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::inert("-1+2"), "'-1+2");
        assert_eq!(super::inert("Paspoort"), "Paspoort");
        assert_eq!(super::revived(&super::inert("=1+1")), "=1+1");
        assert_eq!(super::revived("'t Hoekje"), "'t Hoekje");
    }
}
