//! Pages of survey waves: the list with a form to plan one, and one wave
//! with its response rate per unit and the buttons that hand out links.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::delivery::{self, Occasion};
use super::service;
use super::wave_api::links_csv;
use super::wave_service;
use super::waves::{Wave, WaveInput, WaveStatus};
use crate::domain::{Permission, WaveId};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::mail::Undelivered;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/waves", get(list).post(create))
        .route("/surveys/waves/{id}", get(show))
        .route("/surveys/waves/{id}/invitations", post(invite))
        .route("/surveys/waves/{id}/reminders", post(remind))
        .route(
            "/surveys/waves/{id}/invitation-mails",
            post(mail_invitations),
        )
        .route("/surveys/waves/{id}/reminder-mails", post(mail_reminders))
}

fn status_label(t: Tr, status: WaveStatus) -> String {
    t.get(match status {
        WaveStatus::Planned => "waves.planned",
        WaveStatus::Open => "waves.open",
        WaveStatus::Closed => "waves.closed",
    })
    .to_owned()
}

pub struct WaveRow {
    pub id: i64,
    pub name: String,
    pub instrument: String,
    pub dates: String,
    pub status: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct WaveForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub instrument_id: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
    #[serde(default)]
    pub unit_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/waves.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<WaveRow>,
    can_manage: bool,
    form: WaveForm,
    instruments: Vec<Choice>,
    units: Vec<Choice>,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: WaveForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let instruments = service::instruments(state, &page.actor)
        .await
        .map_err(err)?;
    let names: HashMap<_, _> = instruments
        .iter()
        .map(|i| (i.id, t.get(i.kind.label_key()).to_owned()))
        .collect();
    let rows = wave_service::waves(state, &page.actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|w| WaveRow {
            id: w.id.0,
            instrument: names.get(&w.instrument_id).cloned().unwrap_or_default(),
            dates: format!("{} – {}", w.opens_on, w.closes_on),
            status: status_label(t, w.status),
            name: w.name,
        })
        .collect();
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let unit_choices = std::iter::once(Choice {
        value: String::new(),
        label: t.get("waves.whole_organisation").to_owned(),
        selected: form.unit_id.is_empty(),
    })
    .chain(units.iter().filter(|u| !u.is_archived()).map(|u| Choice {
        value: u.id.0.to_string(),
        label: u.name.clone(),
        selected: u.id.0.to_string() == form.unit_id,
    }))
    .collect();
    let instrument_choices = instruments
        .iter()
        .map(|i| Choice {
            value: i.id.0.to_string(),
            label: t.get(i.kind.label_key()).to_owned(),
            selected: i.id.0.to_string() == form.instrument_id,
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(t.get("waves.title"), "surveys"),
        rows,
        can_manage: page.actor.can(Permission::ManageSurveys),
        instruments: instrument_choices,
        units: unit_choices,
        form,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        list_page(&state, &page, WaveForm::default(), FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<WaveForm>,
) -> Result<Response, PageError> {
    let input = WaveInput {
        instrument_id: form.instrument_id.trim().parse().ok(),
        name: Some(form.name.clone()),
        opens_on: Some(form.opens_on.clone()),
        closes_on: Some(form.closes_on.clone()),
        unit_ids: Some(form.unit_id.trim().parse().ok().into_iter().collect()),
    };
    match wave_service::create_wave(&state, &page.actor, &input).await {
        Ok(wave) => {
            page.flash(&state, "flash.wave_created").await?;
            Ok(see_other(&format!("/surveys/waves/{}", wave.id)))
        }
        Err(error) => {
            let error = crate::http::form::relabel(error, |field| {
                (field == "unit_ids").then(|| "unit_id".to_owned())
            });
            let errors = form_failure(error, &page)?;
            Ok((
                axum::http::StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, errors).await?,
            )
                .into_response())
        }
    }
}

pub struct RateRow {
    pub unit: String,
    pub invited: i64,
    pub answered: i64,
    pub percent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/wave.html")]
struct WavePage {
    shell: Shell,
    wave: Wave,
    status: String,
    instrument: String,
    audience: String,
    invited: i64,
    answered: i64,
    percent: String,
    rates: Vec<RateRow>,
    can_manage: bool,
    /// Whether a mail server is configured.
    can_mail: bool,
    /// (code, name) of each scored dimension.
    dimensions: Vec<(String, String)>,
    results: Vec<ResultLine>,
    /// (factor label for a comment, text, unit).
    open_answers: Vec<(String, String, String)>,
    respondents: i64,
    k: i64,
}

pub struct ResultLine {
    pub name: String,
    pub depth: usize,
    /// (text, description for screen readers, shade 0–4).
    pub cells: Vec<(String, String, u8)>,
}

/// The heatmap shade of a mean score: the lower, the darker (the legend
/// on the page names the bands).
pub fn shade(mean: f64) -> u8 {
    match mean {
        m if m < 2.0 => 4,
        m if m < 2.5 => 3,
        m if m < 3.0 => 2,
        m if m < 3.5 => 1,
        _ => 0,
    }
}

fn percent(answered: i64, invited: i64) -> String {
    if invited == 0 {
        return "–".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = 100.0 * answered as f64 / invited as f64;
    format!("{p:.0}%")
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let wave = wave_service::wave(&state, &page.actor, WaveId(id))
        .await
        .map_err(err)?;
    let progress = wave_service::progress(&state, &page.actor, wave.id)
        .await
        .map_err(err)?;
    let instrument = service::instrument(&state, &page.actor, wave.instrument_id)
        .await
        .map_err(err)?;
    let units: HashMap<_, _> = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let audience = if wave.unit_ids.is_empty() {
        t.get("waves.whole_organisation").to_owned()
    } else {
        wave.unit_ids
            .iter()
            .filter_map(|u| units.get(u).cloned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rates = progress
        .units
        .iter()
        .map(|r| RateRow {
            unit: r
                .unit_id
                .and_then(|u| units.get(&u).cloned())
                .unwrap_or_else(|| t.get("waves.no_unit").to_owned()),
            invited: r.invited,
            answered: r.answered,
            percent: percent(r.answered, r.invited),
        })
        .collect();
    let results = wave_service::results(&state, &page.actor, wave.id)
        .await
        .map_err(err)?;
    let score = |c: &super::results::ScoreCell| match c.status {
        crate::skills::gaps::CellStatus::Shown => (
            crate::skills::pages::tenths(t, c.mean.unwrap_or(0.0)),
            t.get("skills.cell_people")
                .replace("{people}", &c.respondents.unwrap_or(0).to_string()),
            shade(c.mean.unwrap_or(0.0)),
        ),
        crate::skills::gaps::CellStatus::Hidden => (
            t.get("skills.cell_hidden_short").to_owned(),
            t.get("skills.cell_hidden").to_owned(),
            0,
        ),
        crate::skills::gaps::CellStatus::Empty => {
            ("–".to_owned(), t.get("waves.no_answers").to_owned(), 0)
        }
    };
    let result_lines = results
        .rows
        .iter()
        .map(|r| ResultLine {
            name: r.name.clone(),
            depth: r.depth,
            cells: r.cells.iter().map(score).collect(),
        })
        .collect();
    let open_answers = results
        .open_answers
        .iter()
        .map(|a| {
            (
                if a.dimension == super::catalog::OPEN {
                    String::new()
                } else {
                    super::pages::dimension_label(t, &a.dimension)
                },
                a.text.clone(),
                a.unit_id
                    .and_then(|u| units.get(&u).cloned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    Ok(WavePage {
        dimensions: results
            .dimensions
            .iter()
            .map(|d| (d.to_uppercase(), super::pages::dimension_label(t, d)))
            .collect(),
        results: result_lines,
        open_answers,
        respondents: results.respondents,
        k: results.min_group_size,
        shell: page.shell(&wave.name, "surveys"),
        status: status_label(t, wave.status),
        instrument: t.get(instrument.kind.label_key()).to_owned(),
        audience,
        invited: progress.invited,
        answered: progress.answered,
        percent: percent(progress.answered, progress.invited),
        rates,
        can_manage: page.actor.can(Permission::ManageSurveys),
        can_mail: state.mailer().is_some(),
        wave,
    }
    .into_response())
}

async fn invite(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let links = wave_service::invite(&state, &page.actor, WaveId(id))
        .await
        .map_err(|e| page.error(e))?;
    links_csv(&links, &format!("uitnodigingen-{id}.csv"))
        .map(IntoResponse::into_response)
        .map_err(|e| page.error(e))
}

async fn remind(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let links = wave_service::remind(&state, &page.actor, WaveId(id))
        .await
        .map_err(|e| page.error(e))?;
    links_csv(&links, &format!("herinneringen-{id}.csv"))
        .map(IntoResponse::into_response)
        .map_err(|e| page.error(e))
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/delivery.html")]
struct DeliveryPage {
    shell: Shell,
    wave_id: WaveId,
    mailed: String,
    /// (name, unit, link, why not).
    not_mailed: Vec<(String, String, String, String)>,
}

async fn mail(
    state: AppState,
    page: PageContext,
    id: i64,
    occasion: Occasion,
) -> Result<Response, PageError> {
    let t = page.t;
    let delivery = delivery::mail(&state, &page.actor, WaveId(id), occasion)
        .await
        .map_err(|e| page.error(e))?;
    let reason = |r: Undelivered| {
        t.get(match r {
            Undelivered::NoAddress => "waves.undelivered_no_address",
            Undelivered::BadAddress => "waves.undelivered_bad_address",
            Undelivered::Refused => "waves.undelivered_refused",
        })
        .to_owned()
    };
    Ok(DeliveryPage {
        shell: page.shell(t.get("waves.delivery_title"), "surveys"),
        wave_id: WaveId(id),
        mailed: t.fill(
            "waves.delivery_mailed",
            &[("n", &delivery.mailed.to_string())],
        ),
        not_mailed: delivery
            .not_mailed
            .into_iter()
            .map(|n| (n.name, n.unit, n.link, reason(n.reason)))
            .collect(),
    }
    .into_response())
}

async fn mail_invitations(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    mail(state, page, id, Occasion::Invitation).await
}

async fn mail_reminders(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    mail(state, page, id, Occasion::Reminder).await
}
