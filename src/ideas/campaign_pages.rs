//! Pages for campaigns: the list with a form to start one, and one
//! campaign with its ideas and a form to change it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::campaigns::{self, Campaign, CampaignInput};
use crate::domain::{CampaignId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ideas/campaigns", get(list).post(create))
        .route("/ideas/campaigns/{id}", get(show).post(save))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
}

impl CampaignForm {
    fn of(campaign: &Campaign) -> Self {
        Self {
            title: campaign.title.clone(),
            description: campaign.description.clone(),
            owner_id: campaign.owner_id.0.to_string(),
            opens_on: campaign.opens_on.clone(),
            closes_on: campaign.closes_on.clone(),
        }
    }

    fn input(&self) -> CampaignInput {
        CampaignInput {
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            owner_id: self.owner_id.trim().parse().ok(),
            opens_on: Some(self.opens_on.clone()),
            closes_on: Some(self.closes_on.clone()),
        }
    }
}

pub struct CampaignRow {
    pub campaign: Campaign,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ideas/campaigns.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<CampaignRow>,
    can_manage: bool,
    owners: Vec<Choice>,
    form: CampaignForm,
    errors: FormErrors,
}

/// Every active member; the reader when none is chosen yet.
async fn owner_choices(
    state: &AppState,
    page: &PageContext,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    let me = page.actor.user_id.0.to_string();
    let selected = if selected.is_empty() { &me } else { selected };
    crate::data_assets::pages::member_choices(state, page, None, selected).await
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: CampaignForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let rows = campaigns::list(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .map(|c| CampaignRow {
            status: t.get(c.status.label_key()).to_owned(),
            campaign: c,
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(t.get("campaigns.title"), "ideas"),
        rows,
        can_manage: page.actor.can(Permission::TriageIdeas),
        owners: owner_choices(state, page, &form.owner_id).await?,
        form,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        CampaignForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<CampaignForm>,
) -> Result<Response, PageError> {
    match campaigns::create(&state, &page.actor, &form.input()).await {
        Ok(campaign) => {
            page.flash(&state, "flash.campaign_saved").await?;
            Ok(see_other(&format!("/ideas/campaigns/{}", campaign.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "ideas/campaign.html")]
struct ShowPage {
    shell: Shell,
    campaign: Campaign,
    status: String,
    can_manage: bool,
    can_share: bool,
    owners: Vec<Choice>,
    form: CampaignForm,
    errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: i64,
    form: Option<CampaignForm>,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let campaign = campaigns::get(state, &page.actor, CampaignId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = form.unwrap_or_else(|| CampaignForm::of(&campaign));
    Ok(ShowPage {
        shell: page.shell(&campaign.title, "ideas"),
        status: page.t.get(campaign.status.label_key()).to_owned(),
        can_manage: page.actor.can(Permission::TriageIdeas),
        can_share: page.actor.can(Permission::ShareIdeas)
            && campaign.status == campaigns::CampaignStatus::Open,
        owners: owner_choices(state, page, &form.owner_id).await?,
        campaign,
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
    PageForm(form): PageForm<CampaignForm>,
) -> Result<Response, PageError> {
    match campaigns::update(&state, &page.actor, CampaignId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.campaign_saved").await?;
            Ok(see_other(&format!("/ideas/campaigns/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                show_page(&state, &page, id, Some(form), errors).await?,
            )
                .into_response())
        }
    }
}
