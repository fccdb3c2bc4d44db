//! Measurements out as CSV or XLSX, in the same columns the import reads,
//! so an exported file can be corrected and imported again. Dutch readers
//! get what Dutch Excel opens without a wizard: `;`, decimal comma, a BOM.

use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;

use super::{Indicator, Measurement};
use crate::domain::Locale;
use crate::i18n::Tr;
use crate::{Error, Result};

/// The file formats an export can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// A finished export: its bytes and the file name to offer.
pub struct ExportFile {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Our four columns, then one per dimension (named as defined, which is
/// what the import matches on).
fn headers(t: Tr, indicator: &Indicator) -> Vec<String> {
    let mut headers: Vec<String> = [
        "import.column.indicator",
        "import.column.period",
        "import.column.value",
        "import.column.note",
    ]
    .iter()
    .map(|key| t.get(key).to_owned())
    .collect();
    headers.extend(indicator.dimensions.iter().map(|d| d.name.clone()));
    headers
}

/// A measurement's value for each of the indicator's dimensions.
fn dimension_cells<'a>(
    indicator: &'a Indicator,
    m: &'a Measurement,
) -> impl Iterator<Item = &'a str> {
    indicator
        .dimensions
        .iter()
        .map(|d| m.dimensions.get(&d.name).map_or("", String::as_str))
}

/// A number as this reader's spreadsheet expects it in a CSV cell.
fn csv_number(locale: Locale, value: f64) -> String {
    let text = value.to_string();
    if locale == Locale::Nl {
        text.replace('.', ",")
    } else {
        text
    }
}

pub fn write(
    indicator: &Indicator,
    measurements: &[Measurement],
    format: ExportFormat,
    t: Tr,
) -> Result<ExportFile> {
    let bytes = match format {
        ExportFormat::Csv => write_csv(indicator, measurements, t)?,
        ExportFormat::Xlsx => write_xlsx(indicator, measurements, t)?,
    };
    Ok(ExportFile {
        filename: format!("{}.{}", indicator.code.to_lowercase(), format.extension()),
        content_type: format.content_type(),
        bytes,
    })
}

fn write_csv(indicator: &Indicator, measurements: &[Measurement], t: Tr) -> Result<Vec<u8>> {
    let dutch = t.locale == Locale::Nl;
    let mut out = Vec::new();
    if dutch {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if dutch { b';' } else { b',' })
        .from_writer(out);
    let failed = |_| Error::Unexpected("writing the CSV export failed".into());
    writer.write_record(headers(t, indicator)).map_err(failed)?;
    for m in measurements {
        let value = csv_number(t.locale, m.value);
        let mut record = vec![
            indicator.code.as_str(),
            m.period.as_str(),
            value.as_str(),
            m.note.as_str(),
        ];
        record.extend(dimension_cells(indicator, m));
        writer.write_record(record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|_| Error::Unexpected("writing the CSV export failed".into()))
}

fn write_xlsx(indicator: &Indicator, measurements: &[Measurement], t: Tr) -> Result<Vec<u8>> {
    let failed = |e: rust_xlsxwriter::XlsxError| Error::Unexpected(format!("XLSX export: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Sheet names are at most 31 characters and may not contain []:*?/\.
    let name: String = indicator
        .code
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(&name).map_err(failed)?;
    let bold = Format::new().set_bold();
    for (column, header) in (0u16..).zip(headers(t, indicator)) {
        sheet
            .write_string_with_format(0, column, &header, &bold)
            .map_err(failed)?;
    }
    for (row, m) in (1u32..).zip(measurements) {
        sheet
            .write_string(row, 0, &indicator.code)
            .map_err(failed)?;
        sheet.write_string(row, 1, &m.period).map_err(failed)?;
        sheet.write_number(row, 2, m.value).map_err(failed)?;
        if !m.note.is_empty() {
            sheet.write_string(row, 3, &m.note).map_err(failed)?;
        }
        for (column, cell) in (4u16..).zip(dimension_cells(indicator, m)) {
            if !cell.is_empty() {
                sheet.write_string(row, column, cell).map_err(failed)?;
            }
        }
    }
    sheet.set_column_width(0, 18).map_err(failed)?;
    sheet.set_column_width(3, 40).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

impl axum::response::IntoResponse for ExportFile {
    fn into_response(self) -> axum::response::Response {
        use axum::http::header;
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    // Codes are letters, digits, `-` and `_`: safe in a header.
                    format!("attachment; filename=\"{}\"", self.filename),
                ),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// `?format=csv` or `?format=xlsx`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default) or `xlsx`.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<ExportFormat>,
}
