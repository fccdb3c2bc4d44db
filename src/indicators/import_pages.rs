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
use crate::domain::{Role, UploadId};
use crate::http::AppState;
use crate::http::csrf::MAX_UPLOAD_BYTES;
use crate::http::extract::{PageContext, PagePath};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::spreadsheet::problems::{Problem, file_error, file_field, problems_of};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators/import", get(upload_form).post(preview))
        .route("/indicators/import/{id}", post(confirm))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
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
    let file_error = file_error(&problems);
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
            let problems = problems_of(page.t, &errors, "import.column");
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
            let problems = problems_of(page.t, &errors, "import.column");
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
