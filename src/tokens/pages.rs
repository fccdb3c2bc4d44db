use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;

use super::scope::MODULES;
use super::{Access, ApiToken, NewTokenInput, service};
use crate::domain::TokenId;
use crate::governance::pages::Choice;
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(list).post(create))
        .route("/account/tokens/{id}/revoke", post(revoke))
}

pub struct TokenRow {
    pub token: ApiToken,
    pub scope: String,
    pub usable: bool,
    pub expires: Option<String>,
    pub last_used: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tokens/list.html")]
struct ListPage {
    shell: Shell,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
    name: String,
    expires_in_days: String,
    access: Vec<Choice>,
    modules: Vec<ModuleCheck>,
    errors: FormErrors,
}

/// A module checkbox: `module_<name>`.
pub struct ModuleCheck {
    pub name: String,
    pub label: String,
    pub checked: bool,
}

/// The form as posted: name, expires_in_days, access and one
/// `module_<name>` per ticked module.
#[derive(Debug, Default)]
struct TokenForm {
    name: String,
    expires_in_days: String,
    access: String,
    modules: Vec<String>,
}

impl TokenForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |key: &str| fields.get(key).cloned().unwrap_or_default();
        TokenForm {
            name: field("name"),
            expires_in_days: field("expires_in_days"),
            access: field("access"),
            // In the order the page lists them, so errors and echoes are stable.
            modules: MODULES
                .iter()
                .filter(|m| fields.contains_key(&format!("module_{m}")))
                .map(|m| (*m).to_owned())
                .collect(),
        }
    }
}

/// How a token's scope reads in the list: "read · indicators, ideas".
fn scope_text(t: Tr, token: &ApiToken) -> String {
    let access = t.get(&format!("tokens.access_{}", token.access.code()));
    let modules = if token.modules.is_empty() {
        t.get("tokens.all_modules").to_owned()
    } else {
        token
            .modules
            .iter()
            .map(|m| t.get(&format!("tokens.module_{m}")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{access} · {modules}")
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    new_secret: Option<String>,
    form: &TokenForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let now = state.clock().now();
    let tokens = service::list(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .map(|token| TokenRow {
            scope: scope_text(page.t, &token),
            usable: token.is_usable(now),
            expires: token.expires_at.map(crate::home::format_time),
            last_used: token.last_used_at.map(crate::home::format_time),
            token,
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(page.t.get("tokens.title"), "tokens"),
        tokens,
        new_secret,
        name: form.name.clone(),
        expires_in_days: if form.expires_in_days.is_empty() {
            "90".to_owned()
        } else {
            form.expires_in_days.clone()
        },
        access: Access::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().to_owned(),
                label: page
                    .t
                    .get(&format!("tokens.access_{}", a.code()))
                    .to_owned(),
                selected: form.access == a.code(),
            })
            .collect(),
        modules: MODULES
            .iter()
            .map(|m| ModuleCheck {
                name: format!("module_{m}"),
                label: page.t.get(&format!("tokens.module_{m}")).to_owned(),
                checked: form.modules.iter().any(|chosen| chosen == m),
            })
            .collect(),
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        None,
        &TokenForm::default(),
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
    let form = TokenForm::read(&fields);
    let days = form.expires_in_days.trim();
    let (expires_in_days, bad_days) = match days {
        "" | "0" => (None, false),
        text => match text.parse::<i64>() {
            Ok(d) => (Some(d), false),
            Err(_) => (None, true),
        },
    };
    let input = NewTokenInput {
        name: Some(form.name.clone()),
        expires_in_days: if bad_days { Some(-1) } else { expires_in_days },
        access: Some(form.access.clone()),
        modules: Some(form.modules.clone()),
    };
    match service::create(&state, &page.actor, &input).await {
        Ok(created) => {
            let mut body = list_page(
                &state,
                &page,
                Some(created.secret),
                &TokenForm::default(),
                FormErrors::default(),
            )
            .await?;
            body.shell.flash = Some(page.t.get("flash.token_created").to_owned());
            Ok((StatusCode::CREATED, body).into_response())
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, None, &form, errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

async fn revoke(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    service::revoke(&state, &page.actor, TokenId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.token_revoked").await?;
    Ok(see_other("/account/tokens"))
}
