//! The portfolio out as CSV or XLSX: one row per initiative with its
//! stage, tags, links and money, for people who work on in a spreadsheet.
//! Dutch readers get `;`, decimal comma and a BOM, as with indicators.

use rust_xlsxwriter::{Format, Workbook};

use super::Initiative;
use super::pages::technology_label;
use crate::domain::{Locale, Money};
use crate::i18n::Tr;
use crate::indicators::export::{ExportFile, ExportFormat};
use crate::{Error, Result};

/// One initiative with what the export shows beside it.
pub struct ExportRow {
    pub initiative: Initiative,
    pub ambitions: Vec<String>,
    pub lab: String,
    /// "Name (role)".
    pub partners: Vec<String>,
    /// Own money and granted co-financing.
    pub planned: Money,
    /// Co-financing applied for, not yet decided.
    pub applied: Money,
    pub spent: Money,
}

const HEADERS: [&str; 15] = [
    "portfolio.title_field",
    "portfolio.kind",
    "portfolio.stage",
    "portfolio.technology",
    "ambitions.heading",
    "labs.lab",
    "partners.heading",
    "portfolio.go_live_on",
    "portfolio.cost_estimate",
    "money.planned",
    "money.applied",
    "money.spent_column",
    "portfolio.problem",
    "portfolio.hypothesis",
    "portfolio.learning_goals",
];

/// The money columns, by position in `HEADERS`.
const MONEY_COLUMNS: [usize; 4] = [8, 9, 10, 11];

fn cells(t: Tr, row: &ExportRow) -> [String; 15] {
    let i = &row.initiative;
    let money = |m: Money| m.to_plain();
    [
        i.title.clone(),
        t.get(i.kind.label_key()).to_owned(),
        t.get(i.stage.label_key()).to_owned(),
        i.technologies
            .iter()
            .map(|tag| technology_label(t, tag))
            .collect::<Vec<_>>()
            .join(", "),
        row.ambitions.join("; "),
        row.lab.clone(),
        row.partners.join("; "),
        i.go_live_on.clone().unwrap_or_default(),
        i.cost_estimate.map(money).unwrap_or_default(),
        money(row.planned),
        money(row.applied),
        money(row.spent),
        i.problem.clone(),
        i.hypothesis.clone(),
        i.learning_goals.join("\n"),
    ]
}

pub fn write(rows: &[ExportRow], format: ExportFormat, t: Tr) -> Result<ExportFile> {
    let bytes = match format {
        ExportFormat::Csv => write_csv(rows, t)?,
        ExportFormat::Xlsx => write_xlsx(rows, t)?,
    };
    Ok(ExportFile {
        filename: format!("portfolio.{}", format.extension()),
        content_type: format.content_type(),
        bytes,
    })
}

fn write_csv(rows: &[ExportRow], t: Tr) -> Result<Vec<u8>> {
    let dutch = t.locale == Locale::Nl;
    let mut out = Vec::new();
    if dutch {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if dutch { b';' } else { b',' })
        .from_writer(out);
    let failed = |_| Error::Unexpected("writing the CSV export failed".into());
    writer
        .write_record(HEADERS.iter().map(|key| t.get(key)))
        .map_err(failed)?;
    for row in rows {
        let mut record = cells(t, row);
        if dutch {
            for column in MONEY_COLUMNS {
                record[column] = record[column].replace('.', ",");
            }
        }
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|_| Error::Unexpected("writing the CSV export failed".into()))
}

fn write_xlsx(rows: &[ExportRow], t: Tr) -> Result<Vec<u8>> {
    let failed = |e: rust_xlsxwriter::XlsxError| Error::Unexpected(format!("XLSX export: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Portfolio").map_err(failed)?;
    let bold = Format::new().set_bold();
    let euro = Format::new().set_num_format("#,##0.00");
    for (column, key) in (0u16..).zip(HEADERS) {
        sheet
            .write_string_with_format(0, column, t.get(key), &bold)
            .map_err(failed)?;
    }
    for (line, row) in (1u32..).zip(rows) {
        let money = [
            row.initiative.cost_estimate,
            Some(row.planned),
            Some(row.applied),
            Some(row.spent),
        ];
        for (column, cell) in (0u16..).zip(cells(t, row)) {
            let position = usize::from(column);
            if let Some(slot) = MONEY_COLUMNS.iter().position(|c| *c == position) {
                if let Some(amount) = money[slot] {
                    // Cents as f64 are exact far beyond any budget.
                    #[allow(clippy::cast_precision_loss)]
                    let value = amount.cents() as f64 / 100.0;
                    sheet
                        .write_number_with_format(line, column, value, &euro)
                        .map_err(failed)?;
                }
            } else if !cell.is_empty() {
                sheet.write_string(line, column, &cell).map_err(failed)?;
            }
        }
    }
    sheet.set_column_width(0, 40).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}
