//! Importing the service catalogue: upload a spreadsheet, see how many
//! services it adds and changes (or every problem by row and column),
//! then confirm.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::service;
use super::transfer::ServiceImportReport;
use crate::Error;
use crate::domain::{Permission, UploadId};
use crate::http::AppState;
use crate::http::csrf::MAX_UPLOAD_BYTES;
use crate::http::extract::{PageContext, PagePath};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::spreadsheet::problems::{Problem, file_error, file_field, problems_of};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/services/import", get(upload_form).post(preview))
        .route("/services/import/{id}", post(confirm))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

struct Preview {
    upload: UploadId,
    summary: String,
    changes_anything: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "services/import.html")]
struct ImportPage {
    shell: Shell,
    preview: Option<Preview>,
    problems: Vec<Problem>,
    file_error: Option<String>,
    problems_heading: String,
}

fn render(page: &PageContext, preview: Option<Preview>, problems: Vec<Problem>) -> ImportPage {
    let file_error = file_error(&problems);
    let count = problems.len().to_string();
    ImportPage {
        shell: page.shell(page.t.get("services.import_title"), "services"),
        preview,
        problems_heading: page.t.fill("import.problems_heading", &[("count", &count)]),
        problems,
        file_error,
    }
}

fn require_keeper(page: &PageContext) -> Result<(), PageError> {
    if !page.actor.can(Permission::ManageServices) {
        return Err(page.error(Error::Forbidden));
    }
    Ok(())
}

async fn upload_form(page: PageContext) -> Result<Response, PageError> {
    require_keeper(&page)?;
    Ok(render(&page, None, Vec::new()).into_response())
}

fn refused(page: &PageContext, errors: &[crate::domain::FieldError]) -> Response {
    let problems = problems_of(page.t, errors, "services.column");
    (StatusCode::BAD_REQUEST, render(page, None, problems)).into_response()
}

async fn preview(
    State(state): State<AppState>,
    page: PageContext,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    require_keeper(&page)?;
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
            let preview = preview_of(&page, upload, &filename, &report);
            Ok(render(&page, Some(preview), Vec::new()).into_response())
        }
        Err(Error::Invalid(errors)) => Ok(refused(&page, &errors)),
        Err(other) => Err(page.error(other)),
    }
}

async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    require_keeper(&page)?;
    match service::confirm_upload(&state, &page.actor, UploadId(id)).await {
        Ok(_) => {
            page.flash(&state, "flash.services_imported").await?;
            Ok(see_other("/services"))
        }
        Err(Error::Invalid(errors)) => Ok(refused(&page, &errors)),
        Err(other) => Err(page.error(other)),
    }
}

fn preview_of(
    page: &PageContext,
    upload: UploadId,
    filename: &str,
    report: &ServiceImportReport,
) -> Preview {
    Preview {
        upload,
        summary: page.t.fill(
            "services.import_summary",
            &[
                ("file", filename),
                ("rows", &report.rows.to_string()),
                ("created", &report.created.to_string()),
                ("updated", &report.updated.to_string()),
                ("unchanged", &report.unchanged.to_string()),
            ],
        ),
        changes_anything: report.created + report.updated > 0,
    }
}
