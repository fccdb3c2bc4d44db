use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{InvitationLink, Member, MemberChangesInput, NewMemberInput, ProfileInput, service};
use crate::domain::{Locale, Permission, Role, UserId};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery, Visitor};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::organisations::pages::Choice;
use crate::pagination::{Page, PageRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(add))
        .route("/admin/users/{id}", get(show).post(save))
        .route("/admin/users/{id}/invitation", post(invite))
        .route("/account", get(account).post(save_account))
        .route("/invitation/{token}", get(invitation).post(accept))
}

fn role_choices(t: Tr, selected: &str) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.code(),
            label: t.get(&format!("role.{}", r.code())),
            selected: r.code() == selected,
        })
        .collect()
}

fn locale_choices(t: Tr, selected: &str) -> Vec<Choice> {
    Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.code(),
            label: t.get(&format!("locale.{}", l.code())),
            selected: l.code() == selected,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
struct ListPage {
    shell: Shell,
    members: Page<Member>,
    search: String,
    pager_query: String,
    can_manage: bool,
    form: AddForm,
    roles: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "users/show.html")]
struct ShowPage {
    shell: Shell,
    member: Member,
    can_manage: bool,
    roles: Vec<Choice>,
    active: bool,
    invitation: Option<InvitationLink>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    search: Option<String>,
    page: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    query: &ListQuery,
    form: AddForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let search = query.search.clone().unwrap_or_default();
    let request = PageRequest::new(query.page.unwrap_or(1).max(1), 25).unwrap_or_default();
    let members = service::list(state, &page.actor, &search, request)
        .await
        .map_err(|e| page.error(e))?;
    let role = if form.role.is_empty() {
        "employee".to_owned()
    } else {
        form.role.clone()
    };
    Ok(ListPage {
        shell: page.shell(page.t.get("users.title"), "people"),
        members,
        pager_query: serde_urlencoded::to_string([("search", search.as_str())])
            .map(|q| format!("{q}&"))
            .unwrap_or_default(),
        search,
        can_manage: page.actor.can(Permission::ManagePeople),
        roles: role_choices(page.t, &role),
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
        &query,
        AddForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn add(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<AddForm>,
) -> Result<Response, PageError> {
    let input = NewMemberInput {
        email: Some(form.email.clone()),
        name: Some(form.name.clone()),
        role: Some(form.role.clone()),
        locale: None,
    };
    match service::add(&state, &page.actor, &input).await {
        Ok((member, invitation)) => {
            let mut body = show_page(&page, member, invitation, None, FormErrors::default());
            body.shell.flash = Some(page.t.get("flash.user_added").to_owned());
            Ok((StatusCode::CREATED, body).into_response())
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, &ListQuery::default(), form, errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

fn show_page(
    page: &PageContext,
    member: Member,
    invitation: Option<InvitationLink>,
    form: Option<&MemberForm>,
    errors: FormErrors,
) -> ShowPage {
    let role = form
        .map_or(member.role.code(), |f| f.role.as_str())
        .to_owned();
    ShowPage {
        shell: page.shell(&member.name, "people"),
        can_manage: page.actor.can(Permission::ManagePeople),
        roles: role_choices(page.t, &role),
        active: form.map_or(member.active, |f| f.active.is_some()),
        member,
        invitation,
        errors,
    }
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let member = service::get(&state, &page.actor, UserId(id))
        .await
        .map_err(|e| page.error(e))?;
    Ok(show_page(&page, member, None, None, FormErrors::default()).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct MemberForm {
    #[serde(default)]
    role: String,
    active: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MemberForm>,
) -> Result<Response, PageError> {
    let input = MemberChangesInput {
        role: Some(form.role.clone()),
        active: Some(form.active.is_some()),
    };
    match service::update(&state, &page.actor, UserId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.user_saved").await?;
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let member = service::get(&state, &page.actor, UserId(id))
                    .await
                    .map_err(|e| page.error(e))?;
                Ok((
                    StatusCode::BAD_REQUEST,
                    show_page(&page, member, None, Some(&form), errors),
                )
                    .into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

async fn invite(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let member = service::get(&state, &page.actor, UserId(id))
        .await
        .map_err(|e| page.error(e))?;
    match service::invite(&state, &page.actor, UserId(id)).await {
        Ok(link) => {
            Ok(show_page(&page, member, Some(link), None, FormErrors::default()).into_response())
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::CONFLICT,
                show_page(&page, member, None, None, errors),
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "users/account.html")]
struct AccountPage {
    shell: Shell,
    email: String,
    role: String,
    name: String,
    locales: Vec<Choice>,
    errors: FormErrors,
}

async fn account_page(
    state: &AppState,
    page: &PageContext,
    form: Option<&ProfileInput>,
    errors: FormErrors,
) -> Result<AccountPage, PageError> {
    let profile = service::profile(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let locale = form
        .and_then(|f| f.locale.clone())
        .unwrap_or_else(|| profile.locale.code().to_owned());
    Ok(AccountPage {
        shell: page.shell(page.t.get("account.title"), "account"),
        email: profile.email,
        role: page
            .t
            .get(&format!("role.{}", profile.role.code()))
            .to_owned(),
        name: form.and_then(|f| f.name.clone()).unwrap_or(profile.name),
        locales: locale_choices(page.t, &locale),
        errors,
    })
}

async fn account(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(account_page(&state, &page, None, FormErrors::default())
        .await?
        .into_response())
}

async fn save_account(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<ProfileInput>,
) -> Result<Response, PageError> {
    match service::update_profile(&state, &page.actor, &form).await {
        Ok(_) => {
            page.flash(&state, "flash.account_saved").await?;
            Ok(see_other("/account"))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                account_page(&state, &page, Some(&form), errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "users/invitation.html")]
struct InvitationPage {
    shell: Shell,
    email: String,
    organisation: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct InvitationForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

async fn invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    let open = service::open_invitation(&state, &token)
        .await
        .map_err(|e| PageError::new(e, visitor.t.locale))?;
    Ok(InvitationPage {
        shell: visitor.shell(visitor.t.get("invitation.title")),
        email: open.email,
        organisation: open.organisation_name,
        errors: FormErrors::default(),
    }
    .into_response())
}

async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(token): PagePath<String>,
    PageForm(form): PageForm<InvitationForm>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    match service::accept_invitation(
        &state,
        &token,
        &form.password,
        &form.password_confirmation,
        &visitor.client_address,
    )
    .await
    {
        Ok(()) => Ok(see_other("/login?welcome=1")),
        Err(error) => match FormErrors::of(&error, t) {
            Some(errors) => {
                let open = service::open_invitation(&state, &token)
                    .await
                    .map_err(|e| PageError::new(e, t.locale))?;
                Ok((
                    StatusCode::BAD_REQUEST,
                    InvitationPage {
                        shell: visitor.shell(t.get("invitation.title")),
                        email: open.email,
                        organisation: open.organisation_name,
                        errors,
                    },
                )
                    .into_response())
            }
            None => Err(PageError::new(error, t.locale)),
        },
    }
}
