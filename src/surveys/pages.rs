//! Pages of the survey instruments: the two instruments, and one
//! instrument with its items per dimension, its versions and (for those
//! who keep it) forms that add, remove and restore items — each change a
//! new version.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::catalog::{self, OPEN};
use super::{Instrument, Item, ItemInput, Version, VersionInput, service};
use crate::domain::{InstrumentId, Locale, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list))
        .route("/surveys/instruments/{id}", get(show))
        .route("/surveys/instruments/{id}/items", post(add_item))
        .route("/surveys/instruments/{id}/remove", post(remove_item))
        .route("/surveys/instruments/{id}/restore", post(restore_item))
}

/// A dimension's code with its name, e.g. "B3 Samenwerken over grenzen".
pub fn dimension_label(t: Tr, dimension: &str) -> String {
    let name = t.get(&format!("survey_dimension.{dimension}"));
    if dimension == OPEN {
        name.to_owned()
    } else {
        format!("{} {name}", dimension.to_uppercase())
    }
}

fn item_text(t: Tr, item: &Item) -> String {
    match t.locale {
        Locale::Nl => item.text_nl.clone(),
        Locale::En => item.text_en.clone(),
    }
}

pub struct InstrumentRow {
    pub id: i64,
    pub name: String,
    pub intro: String,
    pub version: i64,
    pub statements: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<InstrumentRow>,
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let mut rows = Vec::new();
    for instrument in service::instruments(&state, &page.actor)
        .await
        .map_err(err)?
    {
        let (_, version) = service::version(&state, &page.actor, instrument.id, None)
            .await
            .map_err(err)?;
        rows.push(InstrumentRow {
            id: instrument.id.0,
            name: t.get(instrument.kind.label_key()).to_owned(),
            intro: t
                .get(&format!("surveys.intro_{}", instrument.kind.code()))
                .to_owned(),
            version: instrument.current_version,
            statements: version.items.iter().filter(|i| i.dimension != OPEN).count(),
        });
    }
    Ok(ListPage {
        shell: page.shell(t.get("surveys.title"), "surveys"),
        rows,
    }
    .into_response())
}

pub struct ItemRow {
    pub key: String,
    pub text: String,
    pub own: bool,
}

pub struct DimensionGroup {
    pub label: String,
    pub items: Vec<ItemRow>,
}

pub struct VersionRow {
    pub number: i64,
    pub note: String,
    pub date: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/instrument.html")]
struct InstrumentPage {
    shell: Shell,
    instrument: Instrument,
    name: String,
    /// The version shown: the current one unless another was asked for.
    version: Version,
    showing_current: bool,
    groups: Vec<DimensionGroup>,
    versions: Vec<VersionRow>,
    can_manage: bool,
    dimensions: Vec<Choice>,
    missing: Vec<Choice>,
    form: ItemForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub dimension: String,
    #[serde(default)]
    pub text_nl: String,
    #[serde(default)]
    pub text_en: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    version: Option<i64>,
}

async fn instrument_page(
    state: &AppState,
    page: &PageContext,
    id: InstrumentId,
    number: Option<i64>,
    form: ItemForm,
    errors: FormErrors,
) -> Result<InstrumentPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let (instrument, version) = service::version(state, &page.actor, id, number)
        .await
        .map_err(err)?;
    let versions = service::versions(state, &page.actor, id)
        .await
        .map_err(err)?;
    let dimensions = catalog::dimensions(instrument.kind);
    let groups = dimensions
        .iter()
        .map(|d| DimensionGroup {
            label: dimension_label(t, d),
            items: version
                .items
                .iter()
                .filter(|i| i.dimension == *d)
                .map(|i| ItemRow {
                    key: i.key.clone(),
                    text: item_text(t, i),
                    own: i.key.starts_with('E'),
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let missing = catalog::items_of(instrument.kind)
        .into_iter()
        .filter(|b| !version.items.iter().any(|i| i.key == b.key))
        .map(|b| Choice {
            label: format!(
                "{}: {}",
                b.key,
                if t.locale == Locale::En {
                    &b.text_en
                } else {
                    &b.text_nl
                }
            ),
            value: b.key,
            selected: false,
        })
        .collect();
    let dimension_choices = std::iter::once(Choice {
        value: String::new(),
        label: t.get("surveys.choose").to_owned(),
        selected: form.dimension.is_empty(),
    })
    .chain(dimensions.iter().map(|d| Choice {
        value: (*d).to_owned(),
        label: dimension_label(t, d),
        selected: form.dimension == *d,
    }))
    .collect();
    Ok(InstrumentPage {
        shell: page.shell(t.get(instrument.kind.label_key()), "surveys"),
        name: t.get(instrument.kind.label_key()).to_owned(),
        showing_current: version.number == instrument.current_version,
        versions: versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                note: v.note.clone(),
                date: crate::governance::spec::show_day(
                    crate::domain::Period::containing(
                        crate::domain::Frequency::Day,
                        v.created_at.date(),
                    )
                    .day_number(),
                ),
                current: v.number == instrument.current_version,
            })
            .collect(),
        can_manage: page.actor.can(Permission::ManageSurveys),
        dimensions: dimension_choices,
        missing,
        groups,
        version,
        instrument,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    Ok(instrument_page(
        &state,
        &page,
        InstrumentId(id),
        query.version,
        ItemForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// The current items kept as they are, as input for a new version.
fn kept(version: &Version) -> Vec<ItemInput> {
    version
        .items
        .iter()
        .map(|i| ItemInput {
            key: Some(i.key.clone()),
            ..ItemInput::default()
        })
        .collect()
}

/// Saves a changed list; errors of a new item (`items[n].x`) go beside the
/// form's own fields.
async fn save(
    state: &AppState,
    page: &PageContext,
    id: InstrumentId,
    items: Vec<ItemInput>,
    note: String,
    form: ItemForm,
    flash: &str,
) -> Result<Response, PageError> {
    let input = VersionInput {
        items: Some(items),
        note: Some(note),
    };
    match service::change_items(state, &page.actor, id, &input).await {
        Ok(_) => {
            page.flash(state, flash).await?;
            Ok(see_other(&format!("/surveys/instruments/{id}")))
        }
        Err(error) => {
            let error = crate::http::form::relabel(error, |field| {
                field
                    .rsplit_once('.')
                    .map(|(_, part)| part.to_owned())
                    .or_else(|| Some("item-form".to_owned()))
            });
            let errors = form_failure(error, page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                instrument_page(state, page, id, None, form, errors).await?,
            )
                .into_response())
        }
    }
}

async fn add_item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, PageError> {
    let id = InstrumentId(id);
    let (_, current) = service::version(&state, &page.actor, id, None)
        .await
        .map_err(|e| page.error(e))?;
    let mut items = kept(&current);
    let new = ItemInput {
        key: None,
        dimension: Some(form.dimension.clone()),
        text_nl: Some(form.text_nl.clone()),
        text_en: Some(form.text_en.clone()),
    };
    // A new open question goes last, a statement before the open ones.
    let at = if form.dimension == OPEN {
        items.len()
    } else {
        current
            .items
            .iter()
            .position(|i| i.dimension == OPEN)
            .unwrap_or(items.len())
    };
    items.insert(at, new);
    let note = form.note.clone();
    save(
        &state,
        &page,
        id,
        items,
        note,
        form,
        "flash.survey_item_added",
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct KeyForm {
    #[serde(default)]
    key: String,
}

async fn remove_item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<KeyForm>,
) -> Result<Response, PageError> {
    let id = InstrumentId(id);
    let (_, current) = service::version(&state, &page.actor, id, None)
        .await
        .map_err(|e| page.error(e))?;
    let items: Vec<ItemInput> = kept(&current)
        .into_iter()
        .filter(|i| i.key.as_deref() != Some(form.key.as_str()))
        .collect();
    let note = page
        .t
        .fill("surveys.note_removed", &[("key", form.key.as_str())]);
    save(
        &state,
        &page,
        id,
        items,
        note,
        ItemForm::default(),
        "flash.survey_item_removed",
    )
    .await
}

async fn restore_item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<KeyForm>,
) -> Result<Response, PageError> {
    let id = InstrumentId(id);
    let (instrument, current) = service::version(&state, &page.actor, id, None)
        .await
        .map_err(|e| page.error(e))?;
    // Back in the catalogue's order among the items that are there.
    let order: Vec<String> = catalog::items_of(instrument.kind)
        .into_iter()
        .map(|b| b.key)
        .collect();
    let rank = |key: &str| order.iter().position(|k| k == key).unwrap_or(usize::MAX);
    let mut items = kept(&current);
    let at = items
        .iter()
        .position(|i| rank(i.key.as_deref().unwrap_or("")) > rank(&form.key))
        .unwrap_or(items.len());
    items.insert(
        at,
        ItemInput {
            key: Some(form.key.clone()),
            ..ItemInput::default()
        },
    );
    let note = page
        .t
        .fill("surveys.note_restored", &[("key", form.key.as_str())]);
    save(
        &state,
        &page,
        id,
        items,
        note,
        ItemForm::default(),
        "flash.survey_item_restored",
    )
    .await
}
