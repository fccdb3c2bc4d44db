//! Importing a register (services, data assets, strategic assets) from a
//! spreadsheet: upload, see how many rows it adds and changes (or every
//! problem by row and column), then confirm.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::registers::{Counts, Register};
use crate::Error;
use crate::domain::{Permission, UploadId};
use crate::http::AppState;
use crate::http::csrf::MAX_UPLOAD_BYTES;
use crate::http::extract::{PageContext, PagePath};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::spreadsheet::problems::{Problem, file_error, file_field, problems_of};

pub(crate) fn router() -> Router<AppState> {
    let mut router = Router::new();
    for register in [
        Register::Services,
        Register::DataAssets,
        Register::StrategicAssets,
    ] {
        let path = format!("{}/import", register.home());
        router = router
            .route(
                &path,
                get(move |page| upload_form(register, page))
                    .post(move |state, page, form| preview(register, state, page, form)),
            )
            .route(
                &format!("{path}/{{id}}"),
                post(move |state, page, id| confirm(register, state, page, id)),
            );
    }
    router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
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
    title: String,
    back: String,
    columns_help: String,
    home: &'static str,
    action: String,
    preview: Option<Preview>,
    problems: Vec<Problem>,
    file_error: Option<String>,
    problems_heading: String,
}

fn render(
    register: Register,
    page: &PageContext,
    preview: Option<Preview>,
    problems: Vec<Problem>,
) -> ImportPage {
    let file_error = file_error(&problems);
    let count = problems.len().to_string();
    let texts = register.texts();
    let t = page.t;
    let title = t.get(&format!("{texts}.import_title")).to_owned();
    ImportPage {
        shell: page.shell(&title, "services"),
        title,
        back: t.get(&format!("{texts}.back")).to_owned(),
        columns_help: t.get(&format!("{texts}.import_columns_help")).to_owned(),
        home: register.home(),
        action: format!("{}/import", register.home()),
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

async fn upload_form(register: Register, page: PageContext) -> Result<Response, PageError> {
    require_keeper(&page)?;
    Ok(render(register, &page, None, Vec::new()).into_response())
}

fn refused(
    register: Register,
    page: &PageContext,
    errors: &[crate::domain::FieldError],
) -> Response {
    let problems = problems_of(page.t, errors, &format!("{}.column", register.texts()));
    (
        StatusCode::BAD_REQUEST,
        render(register, page, None, problems),
    )
        .into_response()
}

async fn preview(
    register: Register,
    State(state): State<AppState>,
    page: PageContext,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    require_keeper(&page)?;
    let outcome = match form {
        Ok(form) => match file_field(form).await {
            Ok((filename, bytes)) => register
                .preview(&state, &page.actor, &filename, &bytes)
                .await
                .map(|(upload, counts)| (upload, filename, counts)),
            Err(error) => Err(error),
        },
        Err(_) => Err(Error::invalid("file", "required")),
    };
    match outcome {
        Ok((upload, filename, counts)) => {
            let preview = preview_of(&page, upload, &filename, counts);
            Ok(render(register, &page, Some(preview), Vec::new()).into_response())
        }
        Err(Error::Invalid(errors)) => Ok(refused(register, &page, &errors)),
        Err(other) => Err(page.error(other)),
    }
}

async fn confirm(
    register: Register,
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    require_keeper(&page)?;
    match register.confirm(&state, &page.actor, UploadId(id)).await {
        Ok(_) => {
            page.flash(&state, "flash.register_imported").await?;
            Ok(see_other(register.home()))
        }
        Err(Error::Invalid(errors)) => Ok(refused(register, &page, &errors)),
        Err(other) => Err(page.error(other)),
    }
}

fn preview_of(page: &PageContext, upload: UploadId, filename: &str, counts: Counts) -> Preview {
    Preview {
        upload,
        summary: page.t.fill(
            "import.register_summary",
            &[
                ("file", filename),
                ("rows", &counts.rows.to_string()),
                ("created", &counts.created.to_string()),
                ("updated", &counts.updated.to_string()),
                ("unchanged", &counts.unchanged.to_string()),
            ],
        ),
        changes_anything: counts.created + counts.updated > 0,
    }
}
