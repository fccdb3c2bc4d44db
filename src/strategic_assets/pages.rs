//! Pages of the strategic-asset register: the view per ambition and the
//! list with a form to add an asset, and one asset with a form to change
//! it. The ambitions are a select per ambition (not, high, medium, low).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{
    AmbitionDependencies, AmbitionLinkInput, AssetKind, Criticality, StrategicAsset,
    StrategicAssetInput, service,
};
use crate::data_assets::pages::member_choices;
use crate::domain::{Permission, StrategicAssetId};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/strategic-assets", get(list).post(create))
        .route("/strategic-assets/{id}", get(show).post(save))
}

/// Selects named `ambition_<id>` carry the criticality (empty: not).
#[derive(Debug, Default, Clone)]
pub struct AssetForm {
    pub name: String,
    pub kind: String,
    pub owner_id: String,
    pub description: String,
    pub current_state: String,
    pub gap: String,
    pub ambitions: HashMap<i64, String>,
}

impl AssetForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        AssetForm {
            name: field("name"),
            kind: field("kind"),
            owner_id: field("owner_id"),
            description: field("description"),
            current_state: field("current_state"),
            gap: field("gap"),
            ambitions: fields
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .filter_map(|(k, v)| {
                    k.strip_prefix("ambition_")
                        .and_then(|i| i.parse().ok())
                        .map(|id| (id, v.clone()))
                })
                .collect(),
        }
    }

    fn of(a: &StrategicAsset) -> Self {
        AssetForm {
            name: a.name.clone(),
            kind: a.kind.code().to_owned(),
            owner_id: a.owner_id.map(|u| u.0.to_string()).unwrap_or_default(),
            description: a.description.clone(),
            current_state: a.current_state.clone(),
            gap: a.gap.clone(),
            ambitions: a
                .ambitions
                .iter()
                .map(|l| (l.ambition_id.0, l.criticality.code().to_owned()))
                .collect(),
        }
    }

    fn input(&self) -> StrategicAssetInput {
        let mut ambitions: Vec<(&i64, &String)> = self.ambitions.iter().collect();
        ambitions.sort();
        StrategicAssetInput {
            name: Some(self.name.clone()),
            kind: (!self.kind.is_empty()).then(|| self.kind.clone()),
            owner_id: Some(self.owner_id.trim().parse().ok()),
            description: Some(self.description.clone()),
            current_state: Some(self.current_state.clone()),
            gap: Some(self.gap.clone()),
            ambitions: Some(
                ambitions
                    .into_iter()
                    .map(|(id, c)| AmbitionLinkInput {
                        ambition_id: Some(*id),
                        criticality: Some(c.clone()),
                    })
                    .collect(),
            ),
        }
    }
}

/// One select per ambition.
pub struct AmbitionSelect {
    pub name: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

pub struct FormChoices {
    pub kinds: Vec<Choice>,
    pub owners: Vec<Choice>,
    pub ambitions: Vec<AmbitionSelect>,
}

async fn form_choices(
    state: &AppState,
    page: &PageContext,
    form: &AssetForm,
) -> Result<FormChoices, PageError> {
    let t = page.t;
    let ambitions = crate::governance::service::all_ambitions(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    Ok(FormChoices {
        kinds: std::iter::once(Choice {
            value: String::new(),
            label: t.get("data_assets.choose").to_owned(),
            selected: form.kind.is_empty(),
        })
        .chain(AssetKind::ALL.iter().map(|k| Choice {
            value: k.code().to_owned(),
            label: t.get(k.label_key()).to_owned(),
            selected: k.code() == form.kind,
        }))
        .collect(),
        owners: member_choices(
            state,
            page,
            Some("strategic_assets.no_owner"),
            &form.owner_id,
        )
        .await?,
        ambitions: ambitions
            .into_iter()
            .map(|(id, title, programme)| {
                let chosen = form.ambitions.get(&id.0).cloned().unwrap_or_default();
                AmbitionSelect {
                    name: format!("ambition_{id}"),
                    label: format!("{title} ({programme})"),
                    choices: std::iter::once(Choice {
                        value: String::new(),
                        label: t.get("strategic_assets.not_needed").to_owned(),
                        selected: chosen.is_empty(),
                    })
                    .chain(Criticality::ALL.iter().map(|c| Choice {
                        value: c.code().to_owned(),
                        label: t.get(c.label_key()).to_owned(),
                        selected: c.code() == chosen,
                    }))
                    .collect(),
                }
            })
            .collect(),
    })
}

/// Errors of one ambition (`ambitions[2].criticality`) go beside the
/// ambitions.
fn relabel(error: crate::Error) -> crate::Error {
    crate::http::form::relabel(error, |field| {
        field
            .starts_with("ambitions")
            .then(|| "ambitions".to_owned())
    })
}

pub struct AssetRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub ambitions: usize,
}

pub struct DependencyRow {
    pub ambition: String,
    pub programme: String,
    /// (asset id, name, criticality label, criticality code).
    pub assets: Vec<(i64, String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "strategic_assets/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<AssetRow>,
    dependencies: Vec<DependencyRow>,
    can_manage: bool,
    choices: FormChoices,
    form: AssetForm,
    errors: FormErrors,
}

fn dependency_rows(t: crate::i18n::Tr, all: Vec<AmbitionDependencies>) -> Vec<DependencyRow> {
    all.into_iter()
        .map(|a| DependencyRow {
            ambition: a.title,
            programme: a.programme,
            assets: a
                .assets
                .into_iter()
                .map(|d| {
                    (
                        d.asset_id.0,
                        d.name,
                        t.get(d.criticality.label_key()).to_owned(),
                        d.criticality.code().to_owned(),
                    )
                })
                .collect(),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: AssetForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let assets = service::list(state, &page.actor).await.map_err(err)?;
    let dependencies = service::by_ambition(state, &page.actor)
        .await
        .map_err(err)?;
    Ok(ListPage {
        shell: page.shell(t.get("strategic_assets.title"), "services"),
        rows: assets
            .iter()
            .map(|a| AssetRow {
                id: a.id.0,
                name: a.name.clone(),
                kind: t.get(a.kind.label_key()).to_owned(),
                ambitions: a.ambitions.len(),
            })
            .collect(),
        dependencies: dependency_rows(t, dependencies),
        can_manage: page.actor.can(Permission::ManageServices),
        choices: form_choices(state, page, &form).await?,
        form,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        list_page(&state, &page, AssetForm::default(), FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = AssetForm::read(&fields);
    match service::create(&state, &page.actor, &form.input()).await {
        Ok(made) => {
            page.flash(&state, "flash.strategic_asset_saved").await?;
            Ok(see_other(&format!("/strategic-assets/{}", made.id)))
        }
        Err(error) => {
            let errors = form_failure(relabel(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "strategic_assets/show.html")]
struct ShowPage {
    shell: Shell,
    asset: StrategicAsset,
    kind: String,
    owner: String,
    /// (ambition label, criticality label).
    ambitions: Vec<(String, String)>,
    can_manage: bool,
    choices: FormChoices,
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
    let asset = service::get(state, &page.actor, StrategicAssetId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = form.unwrap_or_else(|| AssetForm::of(&asset));
    let choices = form_choices(state, page, &form).await?;
    let owner = asset
        .owner_id
        .and_then(|u| choices.owners.iter().find(|c| c.value == u.0.to_string()))
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let ambitions = asset
        .ambitions
        .iter()
        .filter_map(|l| {
            choices
                .ambitions
                .iter()
                .find(|a| a.name == format!("ambition_{}", l.ambition_id))
                .map(|a| (a.label.clone(), t.get(l.criticality.label_key()).to_owned()))
        })
        .collect();
    Ok(ShowPage {
        shell: page.shell(&asset.name, "services"),
        kind: t.get(asset.kind.label_key()).to_owned(),
        owner,
        ambitions,
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
    match service::update(&state, &page.actor, StrategicAssetId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.strategic_asset_saved").await?;
            Ok(see_other(&format!("/strategic-assets/{id}")))
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
