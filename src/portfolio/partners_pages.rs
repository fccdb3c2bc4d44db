//! Pages for partners and future labs, and the partner panel of an
//! initiative page.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{ShowForms, show_page};
use super::partners::{
    Contribution, FutureLab, InitiativePartner, LabInput, LabMemberInput, Partner, PartnerInput,
    PartnerKind, PartnerRoleInput,
};
use super::partners_service as service;
use crate::domain::{InitiativeId, LabId, PartnerId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partners", get(partners).post(create_partner))
        .route("/partners/{id}", get(partner).post(save_partner))
        .route("/partners/{id}/delete", post(delete_partner))
        .route("/future-labs", get(labs).post(create_lab))
        .route("/future-labs/{id}", get(lab).post(save_lab))
        .route("/future-labs/{id}/members", post(set_member))
        .route(
            "/future-labs/{id}/members/{partner_id}/remove",
            post(remove_member),
        )
        .route("/initiatives/{id}/partners", post(add_role))
        .route(
            "/initiatives/{id}/partners/{partner_id}/remove",
            post(remove_role),
        )
}

/// The kinds of partner; a new partner starts with "choose", an existing
/// one keeps its kind unless another is chosen.
fn kind_choices(t: Tr, selected: &str, new: bool) -> Vec<Choice> {
    let mut list: Vec<Choice> = new
        .then(|| Choice {
            value: String::new(),
            label: t.get("portfolio.choose").to_owned(),
            selected: selected.is_empty(),
        })
        .into_iter()
        .collect();
    list.extend(PartnerKind::ALL.iter().map(|k| Choice {
        value: k.code().to_owned(),
        label: t.get(k.label_key()).to_owned(),
        selected: k.code() == selected,
    }));
    list
}

fn partner_choices(t: Tr, partners: &[Partner], selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.choose").to_owned(),
        selected: selected.is_empty(),
    }];
    list.extend(partners.iter().map(|p| Choice {
        value: p.id.0.to_string(),
        label: format!("{} ({})", p.name, t.get(p.kind.label_key())),
        selected: p.id.0.to_string() == selected,
    }));
    list
}

/// Contributions in words: "Geld, data".
pub fn contributions_label(t: Tr, contributions: &[Contribution]) -> String {
    contributions
        .iter()
        .map(|c| t.get(c.label_key()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bad_request(page: impl IntoResponse) -> Response {
    (StatusCode::BAD_REQUEST, page).into_response()
}

// ---- the partner panel of an initiative ----

/// The role form on an initiative page.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub partner_id: String,
    #[serde(default)]
    pub role: String,
}

pub struct PartnerPanel {
    pub roles: Vec<(InitiativePartner, &'static str)>,
    pub choices: Vec<Choice>,
    pub form: RoleForm,
    /// Whether the organisation has any partner to choose.
    pub has_partners: bool,
    /// The hosting lab's id and name.
    pub lab: Option<(i64, String)>,
}

pub async fn partner_panel(
    state: &AppState,
    page: &PageContext,
    id: InitiativeId,
    lab: Option<LabId>,
    form: RoleForm,
) -> Result<PartnerPanel, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let roles = service::initiative_partners(state, &page.actor, id)
        .await
        .map_err(err)?;
    let partners = service::partners(state, &page.actor).await.map_err(err)?;
    let lab = match lab {
        Some(lab) => {
            let lab = service::lab(state, &page.actor, lab).await.map_err(err)?;
            Some((lab.id.0, lab.name))
        }
        None => None,
    };
    Ok(PartnerPanel {
        roles: roles
            .into_iter()
            .map(|r| {
                let kind = t.get(r.partner_kind.label_key());
                (r, kind)
            })
            .collect(),
        choices: partner_choices(t, &partners, &form.partner_id),
        has_partners: !partners.is_empty(),
        form,
        lab,
    })
}

async fn add_role(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, PageError> {
    let input = PartnerRoleInput {
        role: Some(form.role.clone()),
    };
    let result = match form.partner_id.trim().parse::<i64>() {
        Ok(partner) => {
            service::set_role(
                &state,
                &page.actor,
                InitiativeId(id),
                PartnerId(partner),
                &input,
            )
            .await
        }
        Err(_) => Err(crate::Error::invalid("partner_id", "required")),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.partner_role_saved").await?;
            Ok(see_other(&format!("/initiatives/{id}#partners")))
        }
        Err(crate::Error::NotFound) if !form.partner_id.trim().is_empty() => {
            // The initiative exists (or the page below says otherwise); the
            // partner chosen does not belong to this organisation.
            let errors = form_failure(
                crate::Error::invalid("partner_id", "unknown_partner"),
                &page,
            )?;
            role_failure(&state, &page, id, form, errors).await
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            role_failure(&state, &page, id, form, errors).await
        }
    }
}

async fn role_failure(
    state: &AppState,
    page: &PageContext,
    id: i64,
    form: RoleForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let forms = ShowForms {
        partner: form,
        ..ShowForms::default()
    };
    Ok(bad_request(
        show_page(state, page, InitiativeId(id), forms, "partner", errors).await?,
    ))
}

async fn remove_role(
    State(state): State<AppState>,
    page: PageContext,
    PagePath((id, partner)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    service::remove_role(&state, &page.actor, InitiativeId(id), PartnerId(partner))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.partner_role_removed").await?;
    Ok(see_other(&format!("/initiatives/{id}#partners")))
}

// ---- partners ----

#[derive(Debug, Default, Clone, Deserialize)]
struct PartnerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

impl PartnerForm {
    fn input(&self) -> PartnerInput {
        PartnerInput {
            name: Some(self.name.clone()),
            kind: PartnerKind::parse(&self.kind).ok(),
        }
    }
}

pub struct PartnerRow {
    pub partner: Partner,
    pub kind: &'static str,
    pub initiatives: usize,
    pub labs: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/partners.html")]
struct PartnersPage {
    shell: Shell,
    rows: Vec<PartnerRow>,
    can_manage: bool,
    form: PartnerForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

async fn partners_page(
    state: &AppState,
    page: &PageContext,
    form: PartnerForm,
    errors: FormErrors,
) -> Result<PartnersPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let partners = service::partners(state, &page.actor).await.map_err(err)?;
    let roles = service::all_roles(state, &page.actor).await.map_err(err)?;
    let labs = service::labs(state, &page.actor).await.map_err(err)?;
    let rows = partners
        .into_iter()
        .map(|partner| PartnerRow {
            kind: t.get(partner.kind.label_key()),
            initiatives: roles.iter().filter(|r| r.partner_id == partner.id).count(),
            labs: labs
                .iter()
                .filter(|l| l.members.iter().any(|m| m.partner_id == partner.id))
                .count(),
            partner,
        })
        .collect();
    Ok(PartnersPage {
        shell: page.shell(t.get("partners.title"), "portfolio"),
        rows,
        can_manage: page.actor.can(Permission::ManagePortfolio),
        kinds: kind_choices(t, &form.kind, true),
        form,
        errors,
    })
}

async fn partners(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        partners_page(&state, &page, PartnerForm::default(), FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create_partner(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<PartnerForm>,
) -> Result<Response, PageError> {
    match service::create_partner(&state, &page.actor, &form.input()).await {
        Ok(partner) => {
            page.flash(&state, "flash.partner_created").await?;
            Ok(see_other(&format!("/partners/{}", partner.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                partners_page(&state, &page, form, errors).await?,
            ))
        }
    }
}

pub struct RoleRow {
    pub initiative_id: i64,
    pub title: String,
    pub role: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/partner.html")]
struct PartnerPage {
    shell: Shell,
    partner: Partner,
    kind: &'static str,
    roles: Vec<RoleRow>,
    labs: Vec<(i64, String, String)>,
    can_manage: bool,
    form: PartnerForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

async fn partner_page(
    state: &AppState,
    page: &PageContext,
    id: PartnerId,
    form: Option<PartnerForm>,
    errors: FormErrors,
) -> Result<PartnerPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let (partner, roles) = service::partner(state, &page.actor, id)
        .await
        .map_err(err)?;
    let initiatives = super::service::all(state, &page.actor, &Default::default())
        .await
        .map_err(err)?;
    let labs = service::labs(state, &page.actor).await.map_err(err)?;
    let form = form.unwrap_or_else(|| PartnerForm {
        name: partner.name.clone(),
        kind: partner.kind.code().to_owned(),
    });
    Ok(PartnerPage {
        shell: page.shell(&partner.name, "portfolio"),
        kind: t.get(partner.kind.label_key()),
        roles: roles
            .into_iter()
            .map(|r| RoleRow {
                initiative_id: r.initiative_id.0,
                title: initiatives
                    .iter()
                    .find(|i| i.id == r.initiative_id)
                    .map(|i| i.title.clone())
                    .unwrap_or_default(),
                role: r.role,
            })
            .collect(),
        labs: labs
            .into_iter()
            .filter_map(|lab| {
                let member = lab.members.iter().find(|m| m.partner_id == id)?;
                let brings = contributions_label(t, &member.contributions);
                Some((lab.id.0, lab.name, brings))
            })
            .collect(),
        can_manage: page.actor.can(Permission::ManagePortfolio),
        kinds: kind_choices(t, &form.kind, false),
        form,
        errors,
        partner,
    })
}

async fn partner(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(
        partner_page(&state, &page, PartnerId(id), None, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn save_partner(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<PartnerForm>,
) -> Result<Response, PageError> {
    match service::update_partner(&state, &page.actor, PartnerId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.partner_saved").await?;
            Ok(see_other(&format!("/partners/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                partner_page(&state, &page, PartnerId(id), Some(form), errors).await?,
            ))
        }
    }
}

async fn delete_partner(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    match service::delete_partner(&state, &page.actor, PartnerId(id)).await {
        Ok(()) => {
            page.flash(&state, "flash.partner_deleted").await?;
            Ok(see_other("/partners"))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                partner_page(&state, &page, PartnerId(id), None, errors).await?,
            ))
        }
    }
}

// ---- future labs ----

#[derive(Debug, Default, Clone, Deserialize)]
struct LabForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    description: String,
}

impl LabForm {
    fn input(&self) -> LabInput {
        LabInput {
            name: Some(self.name.clone()),
            theme: Some(self.theme.clone()),
            description: Some(self.description.clone()),
        }
    }

    fn of(lab: &FutureLab) -> Self {
        LabForm {
            name: lab.name.clone(),
            theme: lab.theme.clone(),
            description: lab.description.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/labs.html")]
struct LabsPage {
    shell: Shell,
    labs: Vec<FutureLab>,
    can_manage: bool,
    form: LabForm,
    errors: FormErrors,
}

async fn labs_page(
    state: &AppState,
    page: &PageContext,
    form: LabForm,
    errors: FormErrors,
) -> Result<LabsPage, PageError> {
    let labs = service::labs(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    Ok(LabsPage {
        shell: page.shell(page.t.get("labs.title"), "portfolio"),
        labs,
        can_manage: page.actor.can(Permission::ManagePortfolio),
        form,
        errors,
    })
}

async fn labs(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        labs_page(&state, &page, LabForm::default(), FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create_lab(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<LabForm>,
) -> Result<Response, PageError> {
    match service::create_lab(&state, &page.actor, &form.input()).await {
        Ok(lab) => {
            page.flash(&state, "flash.lab_created").await?;
            Ok(see_other(&format!("/future-labs/{}", lab.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(labs_page(&state, &page, form, errors).await?))
        }
    }
}

/// The member form as typed; contributions as `contribution_<code>`.
#[derive(Debug, Default, Clone)]
struct MemberForm {
    partner_id: String,
    contributions: Vec<Contribution>,
    description: String,
}

impl MemberForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        MemberForm {
            partner_id: fields.get("partner_id").cloned().unwrap_or_default(),
            contributions: Contribution::ALL
                .iter()
                .copied()
                .filter(|c| fields.contains_key(&format!("contribution_{}", c.code())))
                .collect(),
            description: fields
                .get("member_description")
                .cloned()
                .unwrap_or_default(),
        }
    }
}

pub struct ContributionChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

pub struct MemberRow {
    pub partner_id: i64,
    pub name: String,
    pub kind: &'static str,
    pub brings: String,
    pub description: String,
}

pub struct HostedRow {
    pub id: i64,
    pub title: String,
    pub stage: &'static str,
    pub badge: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/lab.html")]
struct LabPage {
    shell: Shell,
    lab: FutureLab,
    members: Vec<MemberRow>,
    hosted: Vec<HostedRow>,
    can_manage: bool,
    partners: Vec<Choice>,
    has_partners: bool,
    contributions: Vec<ContributionChoice>,
    member_description: String,
    form: LabForm,
    /// "member" or "lab": which of the two forms failed.
    failed: &'static str,
    errors: FormErrors,
}

async fn lab_page(
    state: &AppState,
    page: &PageContext,
    id: LabId,
    form: Option<LabForm>,
    member: MemberForm,
    failed: &'static str,
    errors: FormErrors,
) -> Result<LabPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let lab = service::lab(state, &page.actor, id).await.map_err(err)?;
    let partners = service::partners(state, &page.actor).await.map_err(err)?;
    let filter = super::InitiativeFilter {
        lab: Some(id),
        ..Default::default()
    };
    let hosted = super::service::all(state, &page.actor, &filter)
        .await
        .map_err(err)?
        .into_iter()
        .map(|i| HostedRow {
            id: i.id.0,
            stage: t.get(i.stage.label_key()),
            badge: super::pages::stage_badge(i.stage),
            title: i.title,
        })
        .collect();
    let members = lab
        .members
        .iter()
        .map(|m| MemberRow {
            partner_id: m.partner_id.0,
            name: m.partner_name.clone(),
            kind: t.get(m.partner_kind.label_key()),
            brings: contributions_label(t, &m.contributions),
            description: m.description.clone(),
        })
        .collect();
    Ok(LabPage {
        shell: page.shell(&lab.name, "portfolio"),
        members,
        hosted,
        can_manage: page.actor.can(Permission::ManagePortfolio),
        partners: partner_choices(t, &partners, &member.partner_id),
        has_partners: !partners.is_empty(),
        contributions: Contribution::ALL
            .iter()
            .map(|c| ContributionChoice {
                code: c.code(),
                label: t.get(c.label_key()),
                checked: member.contributions.contains(c),
            })
            .collect(),
        member_description: member.description,
        form: form.unwrap_or_else(|| LabForm::of(&lab)),
        failed,
        errors,
        lab,
    })
}

async fn lab(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(lab_page(
        &state,
        &page,
        LabId(id),
        None,
        MemberForm::default(),
        "",
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn save_lab(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LabForm>,
) -> Result<Response, PageError> {
    match service::update_lab(&state, &page.actor, LabId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.lab_saved").await?;
            Ok(see_other(&format!("/future-labs/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                lab_page(
                    &state,
                    &page,
                    LabId(id),
                    Some(form),
                    MemberForm::default(),
                    "lab",
                    errors,
                )
                .await?,
            ))
        }
    }
}

async fn set_member(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = MemberForm::read(&fields);
    let input = LabMemberInput {
        contributions: Some(form.contributions.clone()),
        description: Some(form.description.clone()),
    };
    let result = match form.partner_id.trim().parse::<i64>() {
        Ok(partner) => {
            service::set_member(&state, &page.actor, LabId(id), PartnerId(partner), &input)
                .await
                .map(|_| ())
        }
        Err(_) => Err(crate::Error::invalid("partner_id", "required")),
    };
    let error = match result {
        Ok(()) => {
            page.flash(&state, "flash.lab_member_saved").await?;
            return Ok(see_other(&format!("/future-labs/{id}#members")));
        }
        // The lab exists (or the page below says otherwise): the partner
        // chosen is not one of this organisation's.
        Err(crate::Error::NotFound) => crate::Error::invalid("partner_id", "unknown_partner"),
        Err(error) => error,
    };
    let errors = form_failure(
        error.rename_fields(|f| (f == "description").then(|| "member_description".to_owned())),
        &page,
    )?;
    Ok(bad_request(
        lab_page(&state, &page, LabId(id), None, form, "member", errors).await?,
    ))
}

async fn remove_member(
    State(state): State<AppState>,
    page: PageContext,
    PagePath((id, partner)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    service::remove_member(&state, &page.actor, LabId(id), PartnerId(partner))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.lab_member_removed").await?;
    Ok(see_other(&format!("/future-labs/{id}#members")))
}
