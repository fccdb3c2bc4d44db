//! Writes a plain table (headers and text cells) as CSV or XLSX for the
//! registers' exports. Dutch readers get `;` and a byte-order mark so that
//! Excel opens the file right; cells that look like formulas stay text.

use rust_xlsxwriter::{Format, Workbook};

use crate::domain::Locale;
use crate::indicators::export::{ExportFile, ExportFormat};
use crate::{Error, Result};

/// The table as a file named `<stem>.<csv|xlsx>`, its sheet named `sheet`.
pub fn table_file(
    stem: &str,
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
    format: ExportFormat,
    locale: Locale,
) -> Result<ExportFile> {
    let bytes = match format {
        ExportFormat::Csv => csv_bytes(headers, rows, locale)?,
        ExportFormat::Xlsx => xlsx_bytes(sheet_name, headers, rows)?,
    };
    Ok(ExportFile {
        filename: format!("{stem}.{}", format.extension()),
        content_type: format.content_type(),
        bytes,
    })
}

fn csv_bytes(headers: &[String], rows: &[Vec<String>], locale: Locale) -> Result<Vec<u8>> {
    let dutch = locale == Locale::Nl;
    let mut out = Vec::new();
    if dutch {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if dutch { b';' } else { b',' })
        .from_writer(out);
    let failed = |_| Error::Unexpected("writing the CSV export failed".into());
    writer.write_record(headers).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| super::inert(c)))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|_| Error::Unexpected("writing the CSV export failed".into()))
}

fn xlsx_bytes(sheet_name: &str, headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    workbook_bytes(&[Sheet {
        name: sheet_name.to_owned(),
        headers: headers.to_vec(),
        rows: rows.to_vec(),
    }])
}

/// One sheet of a workbook: a header row, then text cells.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A workbook with one sheet per entry, headers in bold and frozen.
pub fn workbook_bytes(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let failed = |e: rust_xlsxwriter::XlsxError| Error::Unexpected(format!("XLSX export: {e}"));
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for entry in sheets {
        let sheet = workbook.add_worksheet();
        // Sheet names are at most 31 characters.
        let name: String = entry.name.chars().take(31).collect();
        sheet.set_name(&name).map_err(failed)?;
        for (column, header) in (0u16..).zip(&entry.headers) {
            sheet
                .write_string_with_format(0, column, header, &bold)
                .map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        for (line, row) in (1u32..).zip(&entry.rows) {
            for (column, cell) in (0u16..).zip(row) {
                // Strings, never formulas: text that starts with `=` stays text.
                sheet
                    .write_string(line, column, fit_cell(cell))
                    .map_err(failed)?;
            }
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

/// The most characters one spreadsheet cell holds (a limit of the format).
pub const CELL_LIMIT: usize = 32_767;

/// The cell's text, cut to what a cell holds and ending in `…` when cut,
/// so that one long text does not make the whole file fail.
fn fit_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.char_indices().nth(CELL_LIMIT) {
        None => std::borrow::Cow::Borrowed(cell),
        Some(_) => {
            let kept: String = cell.chars().take(CELL_LIMIT - 1).collect();
            std::borrow::Cow::Owned(kept + "…")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_holds_is_cut_and_marked() {
        let long = "é".repeat(CELL_LIMIT + 10);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), CELL_LIMIT);
        assert!(cut.ends_with('…'));
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(fit_cell(&exact), exact.as_str());
        let bytes = workbook_bytes(&[Sheet {
            name: "lang".into(),
            headers: vec!["Tekst".into()],
            rows: vec![vec![long]],
        }]);
        assert!(bytes.is_ok(), "{bytes:?}");
    }
}
