use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::tree::{events, subtree};
use super::{NewUnitInput, TreeEvent, Unit, UnitChangesInput, UnitNode, service};
use crate::domain::{Permission, UnitId};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/{id}", get(show).post(save))
}

pub struct ParentChoice {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "units/list.html")]
struct ListPage {
    shell: Shell,
    tree: Vec<TreeEvent>,
    archived: Vec<UnitNode>,
    show_archived: bool,
    can_manage: bool,
    name: String,
    parents: Vec<ParentChoice>,
    errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "units/edit.html")]
struct EditPage {
    shell: Shell,
    unit: Unit,
    path: String,
    can_manage: bool,
    name: String,
    archived: bool,
    parents: Vec<ParentChoice>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    archived: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct UnitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent_id: String,
    archived: Option<String>,
}

impl UnitForm {
    fn parent(&self) -> Option<i64> {
        self.parent_id.trim().parse().ok()
    }
}

fn parent_choices(
    nodes: &[UnitNode],
    selected: Option<i64>,
    exclude: &std::collections::HashSet<UnitId>,
) -> Vec<ParentChoice> {
    nodes
        .iter()
        .filter(|n| !n.unit.is_archived() && !exclude.contains(&n.unit.id))
        .map(|n| ParentChoice {
            id: n.unit.id.0,
            label: n.path.clone(),
            selected: Some(n.unit.id.0) == selected,
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    show_archived: bool,
    form: &UnitForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let nodes = service::tree(state, &page.actor, true)
        .await
        .map_err(|e| page.error(e))?;
    let parents = parent_choices(&nodes, form.parent(), &Default::default());
    let (archived, active): (Vec<UnitNode>, Vec<UnitNode>) =
        nodes.into_iter().partition(|n| n.unit.is_archived());
    Ok(ListPage {
        shell: page.shell(page.t.get("units.title"), "units"),
        tree: events(active),
        archived: if show_archived { archived } else { Vec::new() },
        show_archived,
        can_manage: page.actor.can(Permission::ManageUnits),
        name: form.name.clone(),
        parents,
        errors,
    })
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let show_archived = query.archived.as_deref() == Some("1");
    Ok(list_page(
        &state,
        &page,
        show_archived,
        &UnitForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<UnitForm>,
) -> Result<Response, PageError> {
    let input = NewUnitInput {
        name: Some(form.name.clone()),
        parent_id: form.parent(),
    };
    match service::create(&state, &page.actor, &input).await {
        Ok(_) => {
            page.flash(&state, "flash.unit_created").await?;
            Ok(see_other("/units"))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, false, &form, errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

async fn edit_page(
    state: &AppState,
    page: &PageContext,
    id: UnitId,
    form: Option<&UnitForm>,
    errors: FormErrors,
) -> Result<EditPage, PageError> {
    let nodes = service::tree(state, &page.actor, true)
        .await
        .map_err(|e| page.error(e))?;
    let node = nodes
        .iter()
        .find(|n| n.unit.id == id)
        .cloned()
        .ok_or_else(|| page.error(crate::Error::NotFound))?;
    let all: Vec<Unit> = nodes.iter().map(|n| n.unit.clone()).collect();
    let selected = form.map_or(node.unit.parent_id.map(|p| p.0), UnitForm::parent);
    let parents = parent_choices(&nodes, selected, &subtree(&all, id));
    Ok(EditPage {
        shell: page.shell(&node.unit.name, "units"),
        name: form.map_or_else(|| node.unit.name.clone(), |f| f.name.clone()),
        archived: form.map_or(node.unit.is_archived(), |f| f.archived.is_some()),
        can_manage: page.actor.can(Permission::ManageUnits),
        path: node.path,
        unit: node.unit,
        parents,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(
        edit_page(&state, &page, UnitId(id), None, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<UnitForm>,
) -> Result<Response, PageError> {
    let input = UnitChangesInput {
        name: Some(form.name.clone()),
        parent_id: Some(form.parent()),
        archived: Some(form.archived.is_some()),
    };
    match service::update(&state, &page.actor, UnitId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.unit_saved").await?;
            Ok(see_other(&format!("/units/{id}")))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                edit_page(&state, &page, UnitId(id), Some(&form), errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}
