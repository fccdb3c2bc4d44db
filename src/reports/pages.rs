//! Pages for board reports: the list with a form to make one, one report
//! with its comparison to the one before, and its downloads.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::compare::Comparison;
use super::{BoardReport, ReportInput, ReportRecord, service};
use crate::domain::{BoardReportId, Frequency, Locale, Period};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::indicators::export::ExportFile;
use crate::pagination::{Page, PageParams, PageRequest};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list).post(make))
        .route("/reports/{id}", get(show))
        .route("/reports/{id}/report.pdf", get(pdf))
        .route("/reports/{id}/report.html", get(html))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    language: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/list.html")]
struct ListPage {
    shell: Shell,
    page: Page<ReportRecord>,
    pager_query: String,
    form: ReportForm,
    languages: Vec<Choice>,
    errors: FormErrors,
}

/// The last quarter that has ended: what a board usually reports on.
fn last_quarter(state: &AppState) -> String {
    let this = Period::containing(Frequency::Quarter, state.today().start());
    this.start()
        .previous_day()
        .map_or(this, |day| Period::containing(Frequency::Quarter, day))
        .label()
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    number: Option<u32>,
    form: ReportForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let request = PageRequest::from_params(&PageParams {
        page: number,
        page_size: Some(20),
    })
    .map_err(|e| page.error(e))?;
    let reports = service::list(state, &page.actor, request)
        .await
        .map_err(|e| page.error(e))?;
    let chosen = if form.language.is_empty() {
        page.actor.locale.code().to_owned()
    } else {
        form.language.clone()
    };
    let languages = [Locale::Nl, Locale::En]
        .into_iter()
        .map(|l| Choice {
            value: l.code().to_owned(),
            label: t.get(language_key(l)).to_owned(),
            selected: l.code() == chosen,
        })
        .collect();
    let form = if form.period.is_empty() && errors.is_empty() {
        ReportForm {
            period: last_quarter(state),
            language: chosen,
        }
    } else {
        form
    };
    Ok(ListPage {
        shell: page.shell(t.get("report.list_title"), "reports"),
        page: reports,
        pager_query: String::new(),
        form,
        languages,
        errors,
    })
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        query.page,
        ReportForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn make(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<ReportForm>,
) -> Result<Response, PageError> {
    let input = ReportInput {
        period: form.period.clone(),
        language: Some(form.language.clone()),
    };
    match service::make(&state, &page.actor, &input).await {
        Ok(report) => {
            page.flash(&state, "flash.report_made").await?;
            Ok(see_other(&format!("/reports/{}", report.record.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, None, form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/show.html")]
struct ShowPage {
    shell: Shell,
    record: ReportRecord,
    report: BoardReport,
    made_at: String,
    previous: Option<(ReportRecord, Comparison)>,
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let id = BoardReportId(id);
    let stored = service::get(&state, &page.actor, id).await.map_err(err)?;
    let previous = service::comparison(&state, &page.actor, &stored)
        .await
        .map_err(err)?;
    let title = format!("{} {}", stored.content.title, stored.content.period_label);
    Ok(ShowPage {
        shell: page.shell(&title, "reports"),
        made_at: crate::home::format_time(stored.record.made_at),
        record: stored.record,
        report: stored.content,
        previous,
    }
    .into_response())
}

/// The locale key of a language's name.
pub fn language_key(language: Locale) -> &'static str {
    match language {
        Locale::Nl => "locale.nl",
        Locale::En => "locale.en",
    }
}

/// The locale key of a comparison verdict.
pub fn verdict_key(verdict: &str) -> &'static str {
    match verdict {
        "better" => "report.verdict.better",
        "worse" => "report.verdict.worse",
        "same" => "report.verdict.same",
        _ => "report.verdict.neutral",
    }
}

/// The report as one HTML file that prints well and opens without Koers.
#[derive(Template)]
#[template(path = "reports/document.html")]
pub struct Document<'a> {
    pub report: &'a BoardReport,
    pub t: crate::i18n::Tr,
}

/// `koers-bestuursrapportage-2026-Q3-17.pdf`: letters, digits and `-` only.
pub fn file_name(report: &BoardReport, id: BoardReportId, extension: &str) -> String {
    let stem: String = report
        .title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("koers-{stem}-{}-{id}.{extension}", report.period)
}

/// Both document formats, for the pages and the API.
pub async fn document(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: BoardReportId,
    format: super::api::DocumentFormat,
) -> crate::Result<ExportFile> {
    let stored = service::get(state, actor, id).await?;
    let report = stored.content;
    match format {
        super::api::DocumentFormat::Html => {
            let t = crate::i18n::Tr::new(Locale::parse(&report.language).unwrap_or(Locale::Nl));
            let text = Document { report: &report, t }
                .render()
                .map_err(|e| crate::Error::Unexpected(e.to_string()))?;
            Ok(ExportFile {
                filename: file_name(&report, id, "html"),
                content_type: "text/html; charset=utf-8",
                bytes: text.into_bytes(),
            })
        }
        super::api::DocumentFormat::Pdf => {
            let filename = file_name(&report, id, "pdf");
            let bytes = tokio::task::spawn_blocking(move || super::pdf::render(&report))
                .await
                .map_err(|e| crate::Error::Unexpected(e.to_string()))??;
            Ok(ExportFile {
                filename,
                content_type: "application/pdf",
                bytes,
            })
        }
    }
}

async fn download(
    state: &AppState,
    page: &PageContext,
    id: i64,
    format: super::api::DocumentFormat,
) -> Result<Response, PageError> {
    document(state, &page.actor, BoardReportId(id), format)
        .await
        .map(IntoResponse::into_response)
        .map_err(|e| page.error(e))
}

async fn pdf(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    download(&state, &page, id, super::api::DocumentFormat::Pdf).await
}

async fn html(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    download(&state, &page, id, super::api::DocumentFormat::Html).await
}
