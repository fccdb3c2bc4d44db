//! Pages of the data-asset register: the list with the expertise point
//! and a form to add an asset, and one asset with its links and a form to
//! change it.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{
    DataAsset, DataAssetInput, ExpertiseMemberInput, LegalBasis, Openness, RATING_MAX,
    UpdateFrequency, service,
};
use crate::domain::{DataAssetId, Permission, UserId};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::services::pages::{Check, Link};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/data-assets", get(list).post(create))
        .route("/data-assets/{id}", get(show).post(save))
        .route("/data-assets/expertise", post(set_expert))
        .route(
            "/data-assets/expertise/{user_id}/remove",
            post(remove_expert),
        )
}

/// Checkbox names: `service_<id>`, `initiative_<id>`, `indicator_<id>`.
#[derive(Debug, Default, Clone)]
pub struct AssetForm {
    pub name: String,
    pub description: String,
    pub steward_id: String,
    pub source_system: String,
    pub personal_data: bool,
    pub legal_basis: String,
    pub completeness: String,
    pub timeliness: String,
    pub openness: String,
    pub update_frequency: String,
    pub services: BTreeSet<i64>,
    pub initiatives: BTreeSet<i64>,
    pub indicators: BTreeSet<i64>,
}

impl AssetForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let mut form = AssetForm {
            name: field("name"),
            description: field("description"),
            steward_id: field("steward_id"),
            source_system: field("source_system"),
            personal_data: fields.contains_key("personal_data"),
            legal_basis: field("legal_basis"),
            completeness: field("completeness"),
            timeliness: field("timeliness"),
            openness: field("openness"),
            update_frequency: field("update_frequency"),
            ..AssetForm::default()
        };
        for key in fields.keys() {
            let id = |prefix: &str| key.strip_prefix(prefix).and_then(|i| i.parse().ok());
            if let Some(id) = id("service_") {
                form.services.insert(id);
            } else if let Some(id) = id("initiative_") {
                form.initiatives.insert(id);
            } else if let Some(id) = id("indicator_") {
                form.indicators.insert(id);
            }
        }
        form
    }

    fn of(a: &DataAsset) -> Self {
        AssetForm {
            name: a.name.clone(),
            description: a.description.clone(),
            steward_id: a.steward_id.map(|u| u.0.to_string()).unwrap_or_default(),
            source_system: a.source_system.clone(),
            personal_data: a.personal_data,
            legal_basis: a
                .legal_basis
                .map(|b| b.code().to_owned())
                .unwrap_or_default(),
            completeness: a.completeness.to_string(),
            timeliness: a.timeliness.to_string(),
            openness: a.openness.code().to_owned(),
            update_frequency: a.update_frequency.code().to_owned(),
            services: a.service_ids.iter().map(|i| i.0).collect(),
            initiatives: a.initiative_ids.iter().map(|i| i.0).collect(),
            indicators: a.indicator_ids.iter().map(|i| i.0).collect(),
        }
    }

    fn input(&self) -> DataAssetInput {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        DataAssetInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            steward_id: Some(self.steward_id.trim().parse().ok()),
            source_system: Some(self.source_system.clone()),
            personal_data: Some(self.personal_data),
            legal_basis: Some(text(&self.legal_basis)),
            completeness: self.completeness.trim().parse().ok(),
            timeliness: self.timeliness.trim().parse().ok(),
            openness: text(&self.openness),
            update_frequency: text(&self.update_frequency),
            service_ids: Some(self.services.iter().copied().collect()),
            initiative_ids: Some(self.initiatives.iter().copied().collect()),
            indicator_ids: Some(self.indicators.iter().copied().collect()),
        }
    }
}

fn relabel(error: crate::Error) -> crate::Error {
    crate::http::form::relabel(error, |field| {
        ["service_ids", "initiative_ids", "indicator_ids"]
            .iter()
            .find(|f| field.starts_with(&format!("{f}[")))
            .map(|f| (*f).to_owned())
    })
}

fn code_choices<T: Copy>(
    t: Tr,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    none: &str,
    selected: &str,
) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: t.get(none).to_owned(),
        selected: selected.is_empty(),
    })
    .chain(all.iter().map(|v| Choice {
        value: code(*v).to_owned(),
        label: t.get(label(*v)).to_owned(),
        selected: code(*v) == selected,
    }))
    .collect()
}

fn rating_choices(t: Tr, selected: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: t.get("data_assets.choose").to_owned(),
        selected: selected.is_empty(),
    })
    .chain((1..=RATING_MAX).map(|r| Choice {
        value: r.to_string(),
        label: format!("{r} · {}", t.get(&format!("data_assets.rating_{r}"))),
        selected: r.to_string() == selected,
    }))
    .collect()
}

/// The organisation's active members, every page of them, after a
/// "nobody" choice labelled `none` (when given).
pub(crate) async fn member_choices(
    state: &AppState,
    page: &PageContext,
    none: Option<&str>,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    let mut members = Vec::new();
    for number in 1.. {
        let request =
            crate::pagination::PageRequest::new(number, 100).map_err(|e| page.error(e))?;
        let found = state
            .store()
            .list_members(page.actor.organisation_id, "", request)
            .await
            .map_err(|e| page.error(e))?;
        let more = found.has_next();
        members.extend(found.items);
        if !more {
            break;
        }
    }
    Ok(none
        .map(|none| Choice {
            value: String::new(),
            label: page.t.get(none).to_owned(),
            selected: selected.is_empty(),
        })
        .into_iter()
        .chain(members.iter().filter(|m| m.active).map(|m| Choice {
            value: m.id.0.to_string(),
            label: m.name.clone(),
            selected: m.id.0.to_string() == selected,
        }))
        .collect())
}

pub struct AssetChoices {
    pub stewards: Vec<Choice>,
    pub bases: Vec<Choice>,
    pub completeness: Vec<Choice>,
    pub timeliness: Vec<Choice>,
    pub openness: Vec<Choice>,
    pub frequencies: Vec<Choice>,
    pub services: Vec<Check>,
    pub initiatives: Vec<Check>,
    pub indicators: Vec<Check>,
}

fn check(name: String, label: String, checked: bool) -> Check {
    Check {
        name,
        value: "1".into(),
        label,
        hint: String::new(),
        checked,
    }
}

async fn asset_choices(
    state: &AppState,
    page: &PageContext,
    form: &AssetForm,
) -> Result<AssetChoices, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let organisation = page.actor.organisation_id;
    let services = state.store().services(organisation).await.map_err(err)?;
    let initiatives = state.store().initiatives(organisation).await.map_err(err)?;
    let indicators = crate::indicators::service::all(state, &page.actor)
        .await
        .map_err(err)?;
    Ok(AssetChoices {
        stewards: member_choices(
            state,
            page,
            Some("data_assets.no_steward"),
            &form.steward_id,
        )
        .await?,
        bases: code_choices(
            t,
            LegalBasis::ALL,
            LegalBasis::code,
            LegalBasis::label_key,
            "data_assets.no_basis",
            &form.legal_basis,
        ),
        completeness: rating_choices(t, &form.completeness),
        timeliness: rating_choices(t, &form.timeliness),
        openness: code_choices(
            t,
            Openness::ALL,
            Openness::code,
            Openness::label_key,
            "data_assets.choose",
            &form.openness,
        ),
        frequencies: code_choices(
            t,
            UpdateFrequency::ALL,
            UpdateFrequency::code,
            UpdateFrequency::label_key,
            "data_assets.choose",
            &form.update_frequency,
        ),
        services: services
            .iter()
            .map(|s| {
                check(
                    format!("service_{}", s.id),
                    s.name.clone(),
                    form.services.contains(&s.id.0),
                )
            })
            .collect(),
        initiatives: initiatives
            .iter()
            .map(|i| {
                check(
                    format!("initiative_{}", i.id),
                    i.title.clone(),
                    form.initiatives.contains(&i.id.0),
                )
            })
            .collect(),
        indicators: indicators
            .iter()
            .map(|i| {
                check(
                    format!("indicator_{}", i.id),
                    format!("{} ({})", i.name, i.code),
                    form.indicators.contains(&i.id.0),
                )
            })
            .collect(),
    })
}

pub struct AssetRow {
    pub id: i64,
    pub name: String,
    pub steward: String,
    pub personal_data: bool,
    pub quality: String,
    pub openness: String,
}

pub struct ExpertRow {
    pub user_id: i64,
    pub name: String,
    pub role: String,
    pub competences: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "data_assets/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<AssetRow>,
    experts: Vec<ExpertRow>,
    can_manage: bool,
    choices: AssetChoices,
    form: AssetForm,
    expert_people: Vec<Choice>,
    competences: Vec<Check>,
    expert_role: String,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: AssetForm,
    expert_role: String,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let assets = service::list(state, &page.actor).await.map_err(err)?;
    let people = member_choices(state, page, Some("data_assets.choose"), "").await?;
    let name_of = |id: Option<UserId>| {
        id.and_then(|u| people.iter().find(|c| c.value == u.0.to_string()))
            .map(|c| c.label.clone())
            .unwrap_or_default()
    };
    let competences = state
        .store()
        .competences(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let experts = service::expertise(state, &page.actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|m| ExpertRow {
            user_id: m.user_id.0,
            competences: m
                .competence_ids
                .iter()
                .filter_map(|id| competences.iter().find(|c| c.id == *id))
                .map(|c| format!("{} {}", c.code, c.name))
                .collect::<Vec<_>>()
                .join("; "),
            name: m.name,
            role: m.role,
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(t.get("data_assets.title"), "services"),
        rows: assets
            .iter()
            .map(|a| AssetRow {
                id: a.id.0,
                name: a.name.clone(),
                steward: name_of(a.steward_id),
                personal_data: a.personal_data,
                quality: format!("{} / {}", a.completeness, a.timeliness),
                openness: t.get(a.openness.label_key()).to_owned(),
            })
            .collect(),
        experts,
        can_manage: page.actor.can(Permission::ManageServices),
        choices: asset_choices(state, page, &form).await?,
        form,
        competences: competences
            .iter()
            .map(|c| {
                check(
                    format!("competence_{}", c.id),
                    format!("{} {}", c.code, c.name),
                    false,
                )
            })
            .collect(),
        expert_people: people,
        expert_role,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        AssetForm::default(),
        String::new(),
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
    let form = AssetForm::read(&fields);
    match service::create(&state, &page.actor, &form.input()).await {
        Ok(made) => {
            page.flash(&state, "flash.data_asset_saved").await?;
            Ok(see_other(&format!("/data-assets/{}", made.id)))
        }
        Err(error) => {
            let errors = form_failure(relabel(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, String::new(), errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "data_assets/show.html")]
struct ShowPage {
    shell: Shell,
    asset: DataAsset,
    steward: String,
    basis: String,
    frequency: String,
    openness: String,
    services: Vec<Link>,
    initiatives: Vec<Link>,
    indicators: Vec<Link>,
    can_manage: bool,
    choices: AssetChoices,
    form: AssetForm,
    errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: i64,
    form: Option<AssetForm>,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let asset = service::get(state, &page.actor, DataAssetId(id))
        .await
        .map_err(err)?;
    let form = form.unwrap_or_else(|| AssetForm::of(&asset));
    let choices = asset_choices(state, page, &form).await?;
    let steward = asset
        .steward_id
        .and_then(|u| choices.stewards.iter().find(|c| c.value == u.0.to_string()))
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let links = |checks: &[Check], ids: Vec<i64>, prefix: &str, path: &str| -> Vec<Link> {
        ids.into_iter()
            .filter_map(|id| {
                checks
                    .iter()
                    .find(|c| c.name == format!("{prefix}_{id}"))
                    .map(|c| Link {
                        href: format!("/{path}/{id}"),
                        label: c.label.clone(),
                    })
            })
            .collect()
    };
    Ok(ShowPage {
        shell: page.shell(&asset.name, "services"),
        services: links(
            &choices.services,
            asset.service_ids.iter().map(|i| i.0).collect(),
            "service",
            "services",
        ),
        initiatives: links(
            &choices.initiatives,
            asset.initiative_ids.iter().map(|i| i.0).collect(),
            "initiative",
            "initiatives",
        ),
        indicators: links(
            &choices.indicators,
            asset.indicator_ids.iter().map(|i| i.0).collect(),
            "indicator",
            "indicators",
        ),
        steward,
        basis: asset
            .legal_basis
            .map(|b| t.get(b.label_key()).to_owned())
            .unwrap_or_default(),
        frequency: t.get(asset.update_frequency.label_key()).to_owned(),
        openness: t.get(asset.openness.label_key()).to_owned(),
        can_manage: page.actor.can(Permission::ManageServices),
        choices,
        asset,
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
    let form = AssetForm::read(&fields);
    match service::update(&state, &page.actor, DataAssetId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.data_asset_saved").await?;
            Ok(see_other(&format!("/data-assets/{id}")))
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

async fn set_expert(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let role = fields.get("role").cloned().unwrap_or_default();
    let user = fields
        .get("user_id")
        .and_then(|u| u.trim().parse::<i64>().ok());
    let input = ExpertiseMemberInput {
        role: Some(role.clone()),
        competence_ids: Some(
            fields
                .keys()
                .filter_map(|k| k.strip_prefix("competence_").and_then(|i| i.parse().ok()))
                .collect(),
        ),
    };
    let done = match user {
        Some(user) => service::set_expert(&state, &page.actor, UserId(user), &input)
            .await
            .map(|_| ()),
        None => Err(crate::Error::invalid("user_id", "required")),
    };
    match done {
        Ok(()) => {
            page.flash(&state, "flash.expert_saved").await?;
            Ok(see_other("/data-assets#expertise-heading"))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, AssetForm::default(), role, errors).await?,
            )
                .into_response())
        }
    }
}

async fn remove_expert(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(user): PagePath<i64>,
) -> Result<Response, PageError> {
    service::remove_expert(&state, &page.actor, UserId(user))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.expert_removed").await?;
    Ok(see_other("/data-assets#expertise-heading"))
}
