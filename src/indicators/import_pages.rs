//! The import page: upload a spreadsheet, see exactly what it would change
//! (or every problem with its row and column), then confirm.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::import::ImportReport;
use super::pages::show_number;
use super::service;
use crate::Error;
use crate::domain::{FieldError, Role, UploadId};
use crate::http::AppState;
use crate::http::csrf::MAX_UPLOAD_BYTES;
use crate::http::extract::{PageContext, PagePath};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators/import", get(upload_form).post(preview))
        .route("/indicators/import/{id}", post(confirm))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

/// One problem in a file, placed where a spreadsheet user looks for it.
struct Problem {
    /// The spreadsheet row; empty for the file as a whole.
    row: String,
    /// The column in the reader's language; empty for the file as a whole.
    column: String,
    message: String,
}

/// One value the import would add or change, ready to show.
struct ChangeRow {
    row: u32,
    indicator: String,
    period: String,
    previous: String,
    value: String,
}

struct Preview {
    upload: UploadId,
    changes: Vec<ChangeRow>,
    /// Changes beyond the listed ones.
    unlisted: u32,
    summary: String,
    unlisted_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/import.html")]
struct ImportPage {
    shell: Shell,
    preview: Option<Preview>,
    problems: Vec<Problem>,
    /// The file-level message shown beside the upload field.
    file_error: Option<String>,
    problems_heading: String,
}

fn require_recorder(page: &PageContext) -> Result<(), PageError> {
    if page.actor.role == Role::Viewer {
        return Err(page.error(Error::Forbidden));
    }
    Ok(())
}

fn render(page: &PageContext, preview: Option<Preview>, problems: Vec<Problem>) -> ImportPage {
    let file_error = problems
        .iter()
        .find(|p| p.row.is_empty() && p.column.is_empty())
        .map(|p| p.message.clone());
    let count = problems.len().to_string();
    ImportPage {
        shell: page.shell(page.t.get("import.title"), "indicators"),
        preview,
        problems_heading: page.t.fill("import.problems_heading", &[("count", &count)]),
        problems,
        file_error,
    }
}

async fn upload_form(page: PageContext) -> Result<Response, PageError> {
    require_recorder(&page)?;
    Ok(render(&page, None, Vec::new()).into_response())
}

/// Reads the `file` field of the upload form.
async fn file_field(mut form: Multipart) -> Result<(String, Vec<u8>), Error> {
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| Error::invalid("file", "file_unreadable"))?
    {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| Error::invalid("file", "file_unreadable"))?;
            return Ok((filename, bytes.to_vec()));
        }
    }
    Err(Error::invalid("file", "required"))
}

async fn preview(
    State(state): State<AppState>,
    page: PageContext,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    require_recorder(&page)?;
    let outcome = match form {
        Ok(form) => match file_field(form).await {
            Ok((filename, bytes)) => {
                service::preview_upload(&state, &page.actor, &filename, &bytes)
                    .await
                    .map(|(upload, report)| (upload, filename, report))
            }
            Err(error) => Err(error),
        },
        Err(_) => Err(Error::invalid("file", "required")),
    };
    match outcome {
        Ok((upload, filename, report)) => {
            let preview = preview_of(page.t, upload, filename, report);
            Ok(render(&page, Some(preview), Vec::new()).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let problems = problems_of(page.t, &errors);
            Ok((StatusCode::BAD_REQUEST, render(&page, None, problems)).into_response())
        }
        Err(other) => Err(page.error(other)),
    }
}

async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    require_recorder(&page)?;
    match service::confirm_upload(&state, &page.actor, UploadId(id)).await {
        Ok(_) => {
            page.flash(&state, "flash.import_done").await?;
            Ok(see_other("/indicators"))
        }
        Err(Error::Invalid(errors)) => {
            let problems = problems_of(page.t, &errors);
            Ok((StatusCode::BAD_REQUEST, render(&page, None, problems)).into_response())
        }
        Err(other) => Err(page.error(other)),
    }
}

fn preview_of(t: Tr, upload: UploadId, filename: String, report: ImportReport) -> Preview {
    let changes: Vec<ChangeRow> = report
        .changes
        .iter()
        .map(|change| ChangeRow {
            row: change.row,
            indicator: change.indicator.clone(),
            period: change.period.clone(),
            previous: change.previous_value.map_or_else(
                || t.get("import.new_value").to_owned(),
                |v| show_number(t, v),
            ),
            value: show_number(t, change.value),
        })
        .collect();
    let listed = u32::try_from(changes.len()).unwrap_or(u32::MAX);
    let unlisted = (report.created + report.updated).saturating_sub(listed);
    let summary = t.fill(
        "import.preview_summary",
        &[
            ("file", &filename),
            ("rows", &report.rows.to_string()),
            ("created", &report.created.to_string()),
            ("updated", &report.updated.to_string()),
            ("unchanged", &report.unchanged.to_string()),
        ],
    );
    Preview {
        upload,
        unlisted_text: t.fill("import.unlisted", &[("count", &unlisted.to_string())]),
        unlisted,
        summary,
        changes,
    }
}

/// `rows[12].value` → row 12, column "waarde"; `columns.period` → the
/// missing column; `file` → the file as a whole.
fn problems_of(t: Tr, errors: &[FieldError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|error| {
            let message = t.get(&format!("validation.{}", error.code)).to_owned();
            let column_name = |name: &str| {
                let key = format!("import.column.{name}");
                if t.has(&key) {
                    t.get(&key).to_owned()
                } else {
                    name.to_owned()
                }
            };
            if let Some(rest) = error.field.strip_prefix("rows[") {
                let (row, column) = rest.split_once(']').unwrap_or((rest, ""));
                Problem {
                    row: row.to_owned(),
                    column: column_name(column.trim_start_matches('.')),
                    message,
                }
            } else if let Some(column) = error.field.strip_prefix("columns.") {
                Problem {
                    row: "1".to_owned(),
                    column: column_name(column),
                    message,
                }
            } else {
                Problem {
                    row: String::new(),
                    column: String::new(),
                    message,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Locale;

    #[test]
    fn problems_name_row_and_column_in_the_readers_language() {
        let t = Tr::new(Locale::Nl);
        let problems = problems_of(
            t,
            &[
                FieldError::new("rows[12].value", "number"),
                FieldError::new("columns.period", "missing_column"),
                FieldError::new("file", "file_empty"),
            ],
        );
        assert_eq!(
            (problems[0].row.as_str(), problems[0].column.as_str()),
            ("12", "waarde")
        );
        assert_eq!(problems[1].column, "periode");
        assert!(problems[2].row.is_empty() && problems[2].column.is_empty());
        assert_eq!(problems[2].message, t.get("validation.file_empty"));
    }
}
