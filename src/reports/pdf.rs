//! The report as a PDF, typeset inside the binary by Typst with its own
//! embedded fonts: no browser, no external program, nothing downloaded.
//! The template (`board.typ`) gets the report as JSON and places every
//! value as text, so nothing a user typed can act as Typst code.

use std::sync::LazyLock;

use typst::foundations::{Dict, Value};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use super::BoardReport;
use crate::i18n::Tr;
use crate::{Error, Result};

static TEMPLATE: &str = include_str!("board.typ");

/// Parsing the fonts takes a while; the engine is built once.
static ENGINE: LazyLock<TypstEngine<TypstTemplateMainFile>> = LazyLock::new(|| {
    TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts(typst_assets::fonts())
        .build()
});

/// The fixed words of the document in its language.
fn labels(t: Tr, report: &BoardReport) -> serde_json::Value {
    serde_json::json!({
        "contents": t.get("report.contents"),
        "summary": t.get("report.summary_heading"),
        "page": t.get("report.page"),
        "of": t.get("report.page_of"),
        "made": t.fill("report.made_line", &[
            ("name", &report.made_by), ("as_of", &report.as_of),
            ("from", &report.from), ("to", &report.to), ("made_on", &report.made_on),
        ]),
    })
}

/// Typesets the report. CPU-bound: call it from a blocking task.
pub fn render(report: &BoardReport) -> Result<Vec<u8>> {
    let t = Tr::new(
        crate::domain::Locale::parse(&report.language).unwrap_or(crate::domain::Locale::Nl),
    );
    let report_json =
        serde_json::to_string(report).map_err(|e| Error::Unexpected(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("report".into(), Value::Str(report_json.into()));
    inputs.insert(
        "labels".into(),
        Value::Str(labels(t, report).to_string().into()),
    );
    let document: PagedDocument = ENGINE
        .compile_with_input(inputs)
        .output
        .map_err(|e| Error::Unexpected(format!("typesetting the report failed: {e}")))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!(
            "koers-{}-{}",
            report.period, report.organisation
        )),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(|d| d.message.to_string()).collect();
        Error::Unexpected(format!(
            "writing the report's PDF failed: {}",
            messages.join("; ")
        ))
    })
}
