use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{ApiToken, NewTokenInput, service};
use crate::domain::TokenId;
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(list).post(create))
        .route("/account/tokens/{id}/revoke", post(revoke))
}

pub struct TokenRow {
    pub token: ApiToken,
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
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_in_days: String,
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
    PageForm(form): PageForm<TokenForm>,
) -> Result<Response, PageError> {
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
