//! Pages of the service catalogue: the overview (maturity distribution,
//! channel shift, volume still offline) with the list and a form to add a
//! service, and one service with its links and a form to change it.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self, CatalogueOverview};
use super::{Channel, MATURITY_MAX, Service, ServiceInput, TargetGroup};
use crate::domain::{Permission, ServiceId};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::indicators::pages::show_number;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(list).post(create))
        .route("/services/{id}", get(show).post(save))
        .route("/services/{id}/volume-indicator", post(track_volumes))
        .route("/services/scale", get(scale))
}

pub struct ScaleLevel {
    pub label: String,
    pub hint: String,
    pub example: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "services/scale.html")]
struct ScalePage {
    shell: Shell,
    levels: Vec<ScaleLevel>,
}

/// The maturity scale, level by level, with an example each.
async fn scale(page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    Ok(ScalePage {
        shell: page.shell(t.get("services.scale_title"), "services"),
        levels: (0..=MATURITY_MAX)
            .map(|level| ScaleLevel {
                label: level_label(t, level),
                hint: t.get(&format!("maturity.{level}_hint")).to_owned(),
                example: t.get(&format!("maturity.{level}_example")).to_owned(),
            })
            .collect(),
    }
    .into_response())
}

/// Checkbox names: `group_<code>`, `channel_<code>`, `indicator_<id>`,
/// `initiative_<id>`; the maturity is a radio group.
#[derive(Debug, Default, Clone)]
pub struct ServiceForm {
    pub name: String,
    pub description: String,
    pub legal_basis: String,
    pub owner_unit_id: String,
    pub lead_time_days: String,
    pub maturity: String,
    pub automation: String,
    pub personalisation: String,
    pub groups: BTreeSet<String>,
    pub channels: BTreeSet<String>,
    pub indicators: BTreeSet<i64>,
    pub initiatives: BTreeSet<i64>,
}

impl ServiceForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let mut form = ServiceForm {
            name: field("name"),
            description: field("description"),
            legal_basis: field("legal_basis"),
            owner_unit_id: field("owner_unit_id"),
            lead_time_days: field("lead_time_days"),
            maturity: field("maturity"),
            automation: field("automation"),
            personalisation: field("personalisation"),
            ..ServiceForm::default()
        };
        for key in fields.keys() {
            if let Some(code) = key.strip_prefix("group_") {
                form.groups.insert(code.to_owned());
            } else if let Some(code) = key.strip_prefix("channel_") {
                form.channels.insert(code.to_owned());
            } else if let Some(id) = key.strip_prefix("indicator_").and_then(|i| i.parse().ok()) {
                form.indicators.insert(id);
            } else if let Some(id) = key.strip_prefix("initiative_").and_then(|i| i.parse().ok()) {
                form.initiatives.insert(id);
            }
        }
        form
    }

    fn of(s: &Service) -> Self {
        ServiceForm {
            name: s.name.clone(),
            description: s.description.clone(),
            legal_basis: s.legal_basis.clone(),
            owner_unit_id: s.owner_unit_id.map(|u| u.0.to_string()).unwrap_or_default(),
            lead_time_days: s.lead_time_days.map(|d| d.to_string()).unwrap_or_default(),
            maturity: s.maturity.to_string(),
            automation: s.automation.clone(),
            personalisation: s.personalisation.clone(),
            groups: s
                .target_groups
                .iter()
                .map(|g| g.code().to_owned())
                .collect(),
            channels: s.channels.iter().map(|c| c.code().to_owned()).collect(),
            indicators: s.indicator_ids.iter().map(|i| i.0).collect(),
            initiatives: s.initiative_ids.iter().map(|i| i.0).collect(),
        }
    }

    /// The input, with the form's own problems (a number that is not
    /// one) reported beside their fields.
    fn input(&self) -> Result<ServiceInput, crate::Error> {
        let mut v = crate::domain::Validator::new();
        let number = |v: &mut crate::domain::Validator, field: &str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse::<i64>().ok();
            if parsed.is_none() {
                v.add(field, "number");
            }
            parsed
        };
        let lead_time = number(&mut v, "lead_time_days", &self.lead_time_days);
        let maturity = number(&mut v, "maturity", &self.maturity);
        v.finish(Some(()))?;
        Ok(ServiceInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            target_groups: Some(self.groups.iter().cloned().collect()),
            legal_basis: Some(self.legal_basis.clone()),
            owner_unit_id: Some(self.owner_unit_id.trim().parse().ok()),
            lead_time_days: Some(lead_time),
            channels: Some(self.channels.iter().cloned().collect()),
            maturity,
            automation: Some(self.automation.clone()),
            personalisation: Some(self.personalisation.clone()),
            indicator_ids: Some(self.indicators.iter().copied().collect()),
            initiative_ids: Some(self.initiatives.iter().copied().collect()),
        })
    }
}

/// Errors of list items (`channels[0]`) go beside their group.
fn relabel(error: crate::Error) -> crate::Error {
    crate::http::form::relabel(error, |field| {
        [
            "target_groups",
            "channels",
            "indicator_ids",
            "initiative_ids",
        ]
        .iter()
        .find(|f| field.starts_with(&format!("{f}[")))
        .map(|f| (*f).to_owned())
    })
}

/// A checkbox or radio button on the form.
pub struct Check {
    pub name: String,
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

/// What the form offers: groups, channels, levels, units, indicators and
/// initiatives.
pub struct FormChoices {
    pub groups: Vec<Check>,
    pub channels: Vec<Check>,
    pub levels: Vec<Check>,
    pub units: Vec<Choice>,
    pub indicators: Vec<Check>,
    pub initiatives: Vec<Check>,
}

async fn form_choices(
    state: &AppState,
    page: &PageContext,
    form: &ServiceForm,
) -> Result<FormChoices, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let indicators = crate::indicators::service::all(state, &page.actor)
        .await
        .map_err(err)?;
    let initiatives = state
        .store()
        .initiatives(page.actor.organisation_id)
        .await
        .map_err(err)?;
    Ok(FormChoices {
        groups: TargetGroup::ALL
            .iter()
            .map(|g| Check {
                name: format!("group_{}", g.code()),
                value: "1".into(),
                label: t.get(g.label_key()).to_owned(),
                hint: String::new(),
                checked: form.groups.contains(g.code()),
            })
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| Check {
                name: format!("channel_{}", c.code()),
                value: "1".into(),
                label: t.get(c.label_key()).to_owned(),
                hint: String::new(),
                checked: form.channels.contains(c.code()),
            })
            .collect(),
        levels: (0..=MATURITY_MAX)
            .map(|level| Check {
                name: format!("maturity_{level}"),
                value: level.to_string(),
                label: level_label(t, level),
                hint: t.get(&format!("maturity.{level}_hint")).to_owned(),
                checked: form.maturity == level.to_string(),
            })
            .collect(),
        units: std::iter::once(Choice {
            value: String::new(),
            label: t.get("services.no_unit").to_owned(),
            selected: form.owner_unit_id.is_empty(),
        })
        .chain(
            units
                .iter()
                .filter(|u| !u.is_archived() || u.id.0.to_string() == form.owner_unit_id)
                .map(|u| Choice {
                    value: u.id.0.to_string(),
                    label: u.name.clone(),
                    selected: u.id.0.to_string() == form.owner_unit_id,
                }),
        )
        .collect(),
        indicators: indicators
            .iter()
            .filter(|i| !i.code.starts_with("VOLUME_"))
            .map(|i| Check {
                name: format!("indicator_{}", i.id),
                value: "1".into(),
                label: format!("{} ({})", i.name, i.code),
                hint: String::new(),
                checked: form.indicators.contains(&i.id.0),
            })
            .collect(),
        initiatives: initiatives
            .iter()
            .map(|i| Check {
                name: format!("initiative_{}", i.id),
                value: "1".into(),
                label: i.title.clone(),
                hint: String::new(),
                checked: form.initiatives.contains(&i.id.0),
            })
            .collect(),
    })
}

/// "3 · Online met DigiD …"
pub fn level_label(t: Tr, level: i64) -> String {
    format!("{level} · {}", t.get(&format!("maturity.{level}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
    #[serde(default)]
    search: String,
    #[serde(default)]
    maturity: String,
}

pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub level_label: String,
    pub channels: String,
    pub unit: String,
}

pub struct LevelBar {
    pub level: i64,
    pub label: String,
    pub services: i64,
    /// Width in percent of the widest bar.
    pub width: i64,
    pub href: String,
}

pub struct ShiftRow {
    pub quarter: String,
    /// Per channel, aligned with the channel headers.
    pub volumes: Vec<String>,
    pub total: String,
    pub digital_share: String,
}

pub struct OfflineRow {
    pub id: i64,
    pub name: String,
    pub level_label: String,
    pub offline: String,
    pub share: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "services/list.html")]
struct ListPage {
    shell: Shell,
    total: i64,
    bars: Vec<LevelBar>,
    channel_headers: Vec<String>,
    shift: Vec<ShiftRow>,
    offline_quarters: String,
    offline: Vec<OfflineRow>,
    rows: Vec<ServiceRow>,
    search: String,
    no_error: Option<&'static str>,
    levels: Vec<Choice>,
    page: crate::pagination::Page<()>,
    pager_query: String,
    can_manage: bool,
    choices: FormChoices,
    form: ServiceForm,
    errors: FormErrors,
}

fn overview_parts(
    t: Tr,
    overview: &CatalogueOverview,
) -> (
    Vec<LevelBar>,
    Vec<String>,
    Vec<ShiftRow>,
    String,
    Vec<OfflineRow>,
) {
    let widest = overview
        .distribution
        .iter()
        .map(|c| c.services)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = overview
        .distribution
        .iter()
        .map(|c| LevelBar {
            level: c.level,
            label: level_label(t, c.level),
            services: c.services,
            width: c.services * 100 / widest,
            href: format!("/services?maturity={}", c.level),
        })
        .collect();
    let channel_headers = Channel::ALL
        .iter()
        .map(|c| t.get(c.label_key()).to_owned())
        .collect();
    let shift = overview
        .channel_shift
        .iter()
        .map(|q| ShiftRow {
            quarter: q.quarter.clone(),
            volumes: Channel::ALL
                .iter()
                .map(|c| show_number(t, q.volumes.get(c.code()).copied().unwrap_or(0.0)))
                .collect(),
            total: show_number(t, q.total),
            digital_share: q
                .digital_share
                .map(|s| format!("{}%", show_number(t, s.round())))
                .unwrap_or_else(|| "–".into()),
        })
        .collect();
    let offline = overview
        .largest_offline
        .iter()
        .map(|o| OfflineRow {
            id: o.service_id.0,
            name: o.name.clone(),
            level_label: level_label(t, o.maturity),
            offline: show_number(t, o.offline),
            share: if o.total > 0.0 {
                format!("{}%", show_number(t, (o.offline * 100.0 / o.total).round()))
            } else {
                "–".into()
            },
        })
        .collect();
    let quarters = match (
        overview.offline_quarters.first(),
        overview.offline_quarters.last(),
    ) {
        (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
        (Some(only), _) => only.clone(),
        _ => String::new(),
    };
    (bars, channel_headers, shift, quarters, offline)
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    query: ListQuery,
    form: ServiceForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let request = crate::pagination::PageRequest::from_params(&crate::pagination::PageParams {
        page: query.page,
        page_size: Some(25),
    })
    .map_err(err)?;
    let overview = service::overview(state, &page.actor).await.map_err(err)?;
    let (bars, channel_headers, shift, offline_quarters, offline) = overview_parts(t, &overview);
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let words: Vec<String> = query
        .search
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let level: Option<i64> = query.maturity.trim().parse().ok();
    let all: Vec<Service> = service::list(state, &page.actor)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|s| level.is_none_or(|l| s.maturity == l))
        .filter(|s| {
            let text = format!("{} {}", s.name, s.description).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    let list = crate::pagination::Page::from_all(all, request);
    let rows = list
        .items
        .iter()
        .map(|s| ServiceRow {
            id: s.id.0,
            name: s.name.clone(),
            level_label: level_label(t, s.maturity),
            channels: s
                .channels
                .iter()
                .map(|c| t.get(c.label_key()))
                .collect::<Vec<_>>()
                .join(", "),
            unit: s
                .owner_unit_id
                .and_then(|u| units.iter().find(|x| x.id == u))
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let levels = std::iter::once(Choice {
        value: String::new(),
        label: t.get("services.any_level").to_owned(),
        selected: level.is_none(),
    })
    .chain((0..=MATURITY_MAX).map(|l| Choice {
        value: l.to_string(),
        label: level_label(t, l),
        selected: level == Some(l),
    }))
    .collect();
    Ok(ListPage {
        shell: page.shell(t.get("services.title"), "services"),
        total: overview.services,
        bars,
        channel_headers,
        shift,
        offline_quarters,
        offline,
        rows,
        pager_query: serde_urlencoded::to_string([
            ("search", query.search.as_str()),
            ("maturity", query.maturity.as_str()),
        ])
        .map(|q| format!("{q}&"))
        .unwrap_or_default(),
        page: list.map(|_| ()),
        search: query.search,
        no_error: None,
        levels,
        can_manage: page.actor.can(Permission::ManageServices),
        choices: form_choices(state, page, &form).await?,
        form,
        errors,
    })
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        query,
        ServiceForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = ServiceForm::read(&fields);
    let created = match form.input() {
        Ok(input) => service::create(&state, &page.actor, &input).await,
        Err(error) => Err(error),
    };
    match created {
        Ok(made) => {
            page.flash(&state, "flash.service_saved").await?;
            Ok(see_other(&format!("/services/{}", made.id)))
        }
        Err(error) => {
            let errors = form_failure(relabel(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, ListQuery::default(), form, errors).await?,
            )
                .into_response())
        }
    }
}

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "services/show.html")]
struct ShowPage {
    shell: Shell,
    service: Service,
    level_label: String,
    level_hint: String,
    groups: String,
    channels: String,
    unit: String,
    indicators: Vec<Link>,
    initiatives: Vec<Link>,
    volume: Option<Link>,
    /// Data assets the service relies on.
    data_assets: Vec<Link>,
    can_manage: bool,
    choices: FormChoices,
    form: ServiceForm,
    errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: i64,
    form: Option<ServiceForm>,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let service = service::get(state, &page.actor, ServiceId(id))
        .await
        .map_err(err)?;
    let form = form.unwrap_or_else(|| ServiceForm::of(&service));
    let choices = form_choices(state, page, &form).await?;
    let all_indicators = crate::indicators::service::all(state, &page.actor)
        .await
        .map_err(err)?;
    let all_initiatives = state
        .store()
        .initiatives(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let data_assets = state
        .store()
        .data_assets(page.actor.organisation_id)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|a| a.service_ids.contains(&service.id))
        .map(|a| Link {
            href: format!("/data-assets/{}", a.id),
            label: a.name,
        })
        .collect();
    Ok(ShowPage {
        data_assets,
        shell: page.shell(&service.name, "services"),
        level_label: level_label(t, service.maturity),
        level_hint: t
            .get(&format!("maturity.{}_hint", service.maturity))
            .to_owned(),
        groups: service
            .target_groups
            .iter()
            .map(|g| t.get(g.label_key()))
            .collect::<Vec<_>>()
            .join(", "),
        channels: service
            .channels
            .iter()
            .map(|c| t.get(c.label_key()))
            .collect::<Vec<_>>()
            .join(", "),
        unit: service
            .owner_unit_id
            .and_then(|u| units.iter().find(|x| x.id == u))
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        indicators: service
            .indicator_ids
            .iter()
            .filter_map(|id| all_indicators.iter().find(|i| i.id == *id))
            .map(|i| Link {
                href: format!("/indicators/{}", i.id),
                label: i.name.clone(),
            })
            .collect(),
        initiatives: service
            .initiative_ids
            .iter()
            .filter_map(|id| all_initiatives.iter().find(|i| i.id == *id))
            .map(|i| Link {
                href: format!("/initiatives/{}", i.id),
                label: i.title.clone(),
            })
            .collect(),
        volume: service
            .volume_indicator_id
            .and_then(|id| all_indicators.iter().find(|i| i.id == id))
            .map(|i| Link {
                href: format!("/indicators/{}", i.id),
                label: i.name.clone(),
            }),
        can_manage: page.actor.can(Permission::ManageServices),
        choices,
        service,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(show_page(&state, &page, id, None, FormErrors::default())
        .await?
        .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = ServiceForm::read(&fields);
    let saved = match form.input() {
        Ok(input) => service::update(&state, &page.actor, ServiceId(id), &input).await,
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) => {
            page.flash(&state, "flash.service_saved").await?;
            Ok(see_other(&format!("/services/{id}")))
        }
        Err(error) => {
            let errors = form_failure(relabel(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                show_page(&state, &page, id, Some(form), errors).await?,
            )
                .into_response())
        }
    }
}

async fn track_volumes(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let indicator = service::track_volumes(&state, &page.actor, ServiceId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.volumes_tracked").await?;
    Ok(see_other(&format!("/indicators/{}", indicator.id)))
}
