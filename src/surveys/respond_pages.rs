//! Answering a survey by its one-time link, without an account. The page
//! says exactly what is kept before anything is asked.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::catalog::OPEN;
use super::wave_service::{self, OpenSurvey};
use crate::domain::{Locale, SurveyItemId};
use crate::http::AppState;
use crate::http::extract::{PageForm, PagePath, Visitor};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/s/thanks", get(thanks))
        .route("/s/{token}", get(show).post(answer))
}

pub struct Question {
    pub id: i64,
    pub text: String,
    pub open: bool,
    /// The score chosen, when the form comes back with an error.
    pub chosen: String,
    pub answer: String,
    pub error: Option<String>,
    /// Whether a comment may go with the score (the scan's statements).
    pub comment: bool,
    pub comment_text: String,
    pub comment_error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/respond.html")]
struct RespondPage {
    shell: Shell,
    token: String,
    title: String,
    questions: Vec<Question>,
    k: i64,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    token: String,
    open: &OpenSurvey,
    form: &HashMap<String, String>,
    errors: FormErrors,
) -> Result<RespondPage, PageError> {
    let t = visitor.t;
    let k = state
        .store()
        .min_group_size(open.invitation.organisation_id)
        .await
        .map_err(|e| PageError::new(e, t.locale))?;
    let instrument = state
        .store()
        .instrument(
            open.invitation.organisation_id,
            open.invitation.instrument_id,
        )
        .await
        .map_err(|e| PageError::new(e, t.locale))?;
    let questions = open
        .version
        .items
        .iter()
        .map(|item| {
            let field = format!("item-{}", item.id);
            let comment_field = format!("comment-{}", item.id);
            Question {
                comment: instrument.kind == crate::surveys::InstrumentKind::Scan
                    && item.dimension != OPEN,
                comment_text: form.get(&comment_field).cloned().unwrap_or_default(),
                comment_error: errors.get(&comment_field).map(str::to_owned),
                id: item.id.0,
                text: match t.locale {
                    Locale::Nl => item.text_nl.clone(),
                    Locale::En => item.text_en.clone(),
                },
                open: item.dimension == OPEN,
                chosen: form.get(&field).cloned().unwrap_or_default(),
                answer: form.get(&field).cloned().unwrap_or_default(),
                error: errors.get(&field).map(str::to_owned),
            }
        })
        .collect();
    let title = t.get(instrument.kind.label_key()).to_owned();
    Ok(RespondPage {
        shell: visitor.shell(&title),
        token,
        title,
        questions,
        k,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    let open = wave_service::open_survey(&state, &token)
        .await
        .map_err(|e| PageError::new(e, visitor.t.locale))?;
    Ok(page(
        &state,
        &visitor,
        token,
        &open,
        &HashMap::new(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(token): PagePath<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let locale = visitor.t.locale;
    let mut scores = HashMap::new();
    let mut texts = HashMap::new();
    let mut comments = HashMap::new();
    for (field, value) in &form {
        if let Some(id) = field.strip_prefix("item-").and_then(|id| id.parse().ok()) {
            scores.insert(SurveyItemId(id), value.clone());
            texts.insert(SurveyItemId(id), value.clone());
        }
        if let Some(id) = field
            .strip_prefix("comment-")
            .and_then(|id| id.parse().ok())
        {
            comments.insert(SurveyItemId(id), value.clone());
        }
    }
    match wave_service::submit(&state, &token, &scores, &texts, &comments).await {
        Ok(()) => Ok(see_other("/s/thanks")),
        Err(error @ crate::Error::Invalid(_)) => {
            let errors = FormErrors::of(&error, visitor.t).unwrap_or_default();
            let open = wave_service::open_survey(&state, &token)
                .await
                .map_err(|e| PageError::new(e, locale))?;
            Ok((
                StatusCode::BAD_REQUEST,
                page(&state, &visitor, token, &open, &form, errors).await?,
            )
                .into_response())
        }
        Err(other) => Err(PageError::new(other, locale)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/thanks.html")]
struct ThanksPage {
    shell: Shell,
}

async fn thanks(visitor: Visitor) -> Response {
    ThanksPage {
        shell: visitor.shell(visitor.t.get("respond.thanks_title")),
    }
    .into_response()
}
