use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, GapAnalysis};
use super::{
    AssessmentsInput, Competence, CompetenceInput, Employee, EmployeeInput, EmployeeSkills,
    Framework, FrameworkInput, RoleProfile, RoleProfileInput, Round, RoundInput,
};
use crate::domain::{CompetenceId, EmployeeId, FrameworkId, RoleProfileId, UnitId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};
use crate::store::EmployeeFilter;

page_schema!(FrameworkPage, Framework);
page_schema!(CompetencePage, Competence);
page_schema!(RoleProfilePage, RoleProfile);
page_schema!(EmployeePage, Employee);
page_schema!(RoundPage, Round);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_frameworks, create_framework))
        .routes(routes!(get_framework, update_framework))
        .routes(routes!(list_competences))
        .routes(routes!(create_competence))
        .routes(routes!(update_competence, delete_competence))
        .routes(routes!(list_role_profiles, create_role_profile))
        .routes(routes!(
            get_role_profile,
            update_role_profile,
            delete_role_profile
        ))
        .routes(routes!(list_employees, create_employee))
        .routes(routes!(get_employee, update_employee))
        .routes(routes!(get_employee_skills))
        .routes(routes!(record_assessments))
        .routes(routes!(get_my_skills))
        .routes(routes!(get_skill_gaps))
        .routes(routes!(get_skills_settings, update_skills_settings))
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(import_employees))
        // An import of the whole register runs to megabytes; the default
        // limit is 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

/// The competence frameworks: DigComp 2.2 (built in) and the
/// organisation's own.
#[utoipa::path(get, path = "/competence-frameworks", tag = "skills", operation_id = "listCompetenceFrameworks",
    params(PageParams),
    responses((status = 200, description = "A page of frameworks", body = FrameworkPage)))]
async fn list_frameworks(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FrameworkPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::frameworks(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a framework of the organisation's own with its level scale.
#[utoipa::path(post, path = "/competence-frameworks", tag = "skills", operation_id = "createCompetenceFramework",
    request_body = FrameworkInput,
    responses(
        (status = 201, description = "The framework", body = Framework),
        (status = 409, description = "A framework by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_framework(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<FrameworkInput>,
) -> Result<(StatusCode, Json<Framework>), ApiError> {
    service::create_framework(&state, &actor, &input)
        .await
        .map(|f| (StatusCode::CREATED, Json(f)))
        .map_err(err(&actor))
}

/// One competence framework.
#[utoipa::path(get, path = "/competence-frameworks/{id}", tag = "skills", operation_id = "getCompetenceFramework",
    params(("id" = i64, Path, description = "Framework id")),
    responses((status = 200, description = "The framework", body = Framework)))]
async fn get_framework(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Framework>, ApiError> {
    service::framework(&state, &actor, FrameworkId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Changes an organisation's own framework; the built-in one cannot be
/// changed and a scale cannot shrink below levels in use.
#[utoipa::path(patch, path = "/competence-frameworks/{id}", tag = "skills", operation_id = "updateCompetenceFramework",
    params(("id" = i64, Path, description = "Framework id")),
    request_body = FrameworkInput,
    responses(
        (status = 200, description = "The framework", body = Framework),
        (status = 409, description = "Built in, name taken or levels in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_framework(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FrameworkInput>,
) -> Result<Json<Framework>, ApiError> {
    service::update_framework(&state, &actor, FrameworkId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Every competence of every framework, named in the caller's language.
#[utoipa::path(get, path = "/competences", tag = "skills", operation_id = "listCompetences",
    params(PageParams),
    responses((status = 200, description = "A page of competences", body = CompetencePage)))]
async fn list_competences(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<CompetencePage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::competences(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a competence to an organisation's own framework.
#[utoipa::path(post, path = "/competence-frameworks/{id}/competences", tag = "skills", operation_id = "createCompetence",
    params(("id" = i64, Path, description = "Framework id")),
    request_body = CompetenceInput,
    responses(
        (status = 201, description = "The competence", body = Competence),
        (status = 409, description = "Built-in framework, or the code is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_competence(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CompetenceInput>,
) -> Result<(StatusCode, Json<Competence>), ApiError> {
    service::create_competence(&state, &actor, FrameworkId(id), &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(err(&actor))
}

/// Changes a competence of an organisation's own framework.
#[utoipa::path(patch, path = "/competences/{id}", tag = "skills", operation_id = "updateCompetence",
    params(("id" = i64, Path, description = "Competence id")),
    request_body = CompetenceInput,
    responses(
        (status = 200, description = "The competence", body = Competence),
        (status = 409, description = "Built-in framework, or the code is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_competence(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CompetenceInput>,
) -> Result<Json<Competence>, ApiError> {
    service::update_competence(&state, &actor, CompetenceId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// The role profiles with their required levels and FTE plan.
#[utoipa::path(get, path = "/role-profiles", tag = "skills", operation_id = "listRoleProfiles",
    params(PageParams),
    responses((status = 200, description = "A page of role profiles", body = RoleProfilePage)))]
async fn list_role_profiles(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<RoleProfilePage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::role_profiles(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a role profile: levels needed now and at the horizon, FTE now and
/// needed.
#[utoipa::path(post, path = "/role-profiles", tag = "skills", operation_id = "createRoleProfile",
    request_body = RoleProfileInput,
    responses(
        (status = 201, description = "The role profile", body = RoleProfile),
        (status = 409, description = "A role profile by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_role_profile(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<RoleProfileInput>,
) -> Result<(StatusCode, Json<RoleProfile>), ApiError> {
    service::create_role_profile(&state, &actor, &input)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
        .map_err(err(&actor))
}

/// One role profile.
#[utoipa::path(get, path = "/role-profiles/{id}", tag = "skills", operation_id = "getRoleProfile",
    params(("id" = i64, Path, description = "Role profile id")),
    responses((status = 200, description = "The role profile", body = RoleProfile)))]
async fn get_role_profile(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoleProfile>, ApiError> {
    service::role_profile(&state, &actor, RoleProfileId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Changes a role profile; `requirements`, when given, replaces the list.
#[utoipa::path(patch, path = "/role-profiles/{id}", tag = "skills", operation_id = "updateRoleProfile",
    params(("id" = i64, Path, description = "Role profile id")),
    request_body = RoleProfileInput,
    responses(
        (status = 200, description = "The role profile", body = RoleProfile),
        (status = 409, description = "A role profile by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_role_profile(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RoleProfileInput>,
) -> Result<Json<RoleProfile>, ApiError> {
    service::update_role_profile(&state, &actor, RoleProfileId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Part of the name or personnel number.
    pub search: Option<String>,
    /// Only employees directly in this unit.
    pub unit_id: Option<i64>,
    /// Only employees in this role profile.
    pub role_profile_id: Option<i64>,
}

/// The employees register, by name.
#[utoipa::path(get, path = "/employees", tag = "skills", operation_id = "listEmployees",
    params(EmployeeListParams),
    responses((status = 200, description = "A page of employees", body = EmployeePage)))]
async fn list_employees(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<EmployeeListParams>,
) -> Result<Json<EmployeePage>, ApiError> {
    let request = PageRequest::from_params(&PageParams {
        page: params.page,
        page_size: params.page_size,
    })
    .map_err(err(&actor))?;
    let filter = EmployeeFilter {
        search: params.search.unwrap_or_default(),
        unit: params.unit_id.map(UnitId),
        role_profile: params.role_profile_id.map(RoleProfileId),
    };
    service::employees(&state, &actor, &filter, request)
        .await
        .map(|p| Json(p.into()))
        .map_err(err(&actor))
}

/// Imports the employees register from a CSV or XLSX file. Columns:
/// `number` (required; Dutch `personeelsnummer`), `name` (`naam`), `unit`
/// (`eenheid`, by name), `role` (`functieprofiel`, by name), `email` (the
/// member's address, to link their account) and `active` (`actief`,
/// yes/no). A known number updates that employee, a new one adds one; a
/// column the file leaves out leaves that field alone, an empty cell
/// clears it. All or nothing: every error names its row and column
/// (`rows[7].unit`). With `dry_run=true` nothing is written.
#[utoipa::path(post, path = "/employee-imports", tag = "skills", operation_id = "importEmployees",
    params(crate::indicators::api::ImportParams),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ), description = "The file"),
    responses((status = 200, description = "What the import did (or would do)", body = super::import::EmployeeImportReport)))]
async fn import_employees(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<crate::indicators::api::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<super::import::EmployeeImportReport>, ApiError> {
    let bytes = body.map_err(|_| err(&actor)(crate::Error::invalid("file", "file_unreadable")))?;
    service::import_employees(&state, &actor, &bytes, params.dry_run.unwrap_or(false))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Adds an employee to the register.
#[utoipa::path(post, path = "/employees", tag = "skills", operation_id = "createEmployee",
    request_body = EmployeeInput,
    responses(
        (status = 201, description = "The employee", body = Employee),
        (status = 409, description = "The personnel number or account belongs to another employee", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_employee(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> Result<(StatusCode, Json<Employee>), ApiError> {
    service::create_employee(&state, &actor, &input)
        .await
        .map(|e| (StatusCode::CREATED, Json(e)))
        .map_err(err(&actor))
}

/// One employee of the register.
#[utoipa::path(get, path = "/employees/{id}", tag = "skills", operation_id = "getEmployee",
    params(("id" = i64, Path, description = "Employee id")),
    responses((status = 200, description = "The employee", body = Employee)))]
async fn get_employee(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Employee>, ApiError> {
    service::employee(&state, &actor, EmployeeId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Changes an employee: name, unit, role profile, account, active.
#[utoipa::path(patch, path = "/employees/{id}", tag = "skills", operation_id = "updateEmployee",
    params(("id" = i64, Path, description = "Employee id")),
    request_body = EmployeeInput,
    responses(
        (status = 200, description = "The employee", body = Employee),
        (status = 409, description = "The personnel number or account belongs to another employee", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_employee(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> Result<Json<Employee>, ApiError> {
    service::update_employee(&state, &actor, EmployeeId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// One employee's levels and assessment history: for the employee, their
/// unit lead and HR only (others get 404).
#[utoipa::path(get, path = "/employees/{id}/skills", tag = "skills", operation_id = "getEmployeeSkills",
    params(("id" = i64, Path, description = "Employee id")),
    responses((status = 200, description = "Levels and history", body = EmployeeSkills)))]
async fn get_employee_skills(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EmployeeSkills>, ApiError> {
    service::employee_skills(&state, &actor, EmployeeId(id))
        .await
        .map(|(skills, _)| Json(skills))
        .map_err(err(&actor))
}

/// Records assessments dated today: `employee` by the employee, `manager` by
/// their unit lead or HR.
#[utoipa::path(post, path = "/employees/{id}/assessments", tag = "skills", operation_id = "recordAssessments",
    params(("id" = i64, Path, description = "Employee id")),
    request_body = AssessmentsInput,
    responses(
        (status = 201, description = "Levels and history after the assessment", body = EmployeeSkills),
        (status = 409, description = "The employee is no longer active", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn record_assessments(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssessmentsInput>,
) -> Result<(StatusCode, Json<EmployeeSkills>), ApiError> {
    service::assess(&state, &actor, EmployeeId(id), &input)
        .await
        .map(|s| (StatusCode::CREATED, Json(s)))
        .map_err(err(&actor))
}

/// The caller's own levels and history (404 without an employee record).
#[utoipa::path(get, path = "/me/skills", tag = "skills", operation_id = "getMySkills",
    responses((status = 200, description = "Levels and history", body = EmployeeSkills)))]
async fn get_my_skills(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<EmployeeSkills>, ApiError> {
    let record = service::my_record(&state, &actor)
        .await
        .map_err(err(&actor))?
        .ok_or(crate::Error::NotFound)
        .map_err(err(&actor))?;
    service::employee_skills(&state, &actor, record.id)
        .await
        .map(|(skills, _)| Json(skills))
        .map_err(err(&actor))
}

/// Removes a competence of one of the organisation's own frameworks that
/// no role requires, nobody was assessed in and no learning action aims
/// at.
#[utoipa::path(delete, path = "/competences/{id}", tag = "skills", operation_id = "deleteCompetence",
    params(("id" = i64, Path, description = "Competence id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "Built in, or still in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_competence(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::delete_competence(&state, &actor, CompetenceId(id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(err(&actor))
}

/// Removes a role profile that no employee has (also no former one) and
/// no learning action is for.
#[utoipa::path(delete, path = "/role-profiles/{id}", tag = "skills", operation_id = "deleteRoleProfile",
    params(("id" = i64, Path, description = "Role profile id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "Still in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_role_profile(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::delete_role_profile(&state, &actor, RoleProfileId(id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(err(&actor))
}

/// The gap analysis: heatmap of units × competences, gaps per role, the
/// priority list and the workforce plan. Groups smaller than the
/// threshold are hidden, also against subtraction.
#[utoipa::path(get, path = "/skill-gaps", tag = "skills", operation_id = "getSkillGaps",
    responses((status = 200, description = "The gap analysis", body = GapAnalysis)))]
async fn get_skill_gaps(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<GapAnalysis>, ApiError> {
    service::gap_analysis(&state, &actor)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Settings of the skills views.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillsSettings {
    /// The smallest group an aggregate shows, 3 to 100 (default 5).
    #[schema(nullable = false, minimum = 3, maximum = 100)]
    pub min_group_size: Option<i64>,
}

/// The skills settings.
#[utoipa::path(get, path = "/skills-settings", tag = "skills", operation_id = "getSkillsSettings",
    responses((status = 200, description = "The settings", body = SkillsSettings)))]
async fn get_skills_settings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<SkillsSettings>, ApiError> {
    service::min_group_size(&state, &actor)
        .await
        .map(|k| {
            Json(SkillsSettings {
                min_group_size: Some(k),
            })
        })
        .map_err(err(&actor))
}

/// Changes the smallest group an aggregate shows.
#[utoipa::path(put, path = "/skills-settings", tag = "skills", operation_id = "updateSkillsSettings",
    request_body = SkillsSettings,
    responses((status = 200, description = "The settings", body = SkillsSettings)))]
async fn update_skills_settings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<SkillsSettings>,
) -> Result<Json<SkillsSettings>, ApiError> {
    service::set_min_group_size(&state, &actor, input.min_group_size)
        .await
        .map(|k| {
            Json(SkillsSettings {
                min_group_size: Some(k),
            })
        })
        .map_err(err(&actor))
}

/// The assessment rounds by start date.
#[utoipa::path(get, path = "/assessment-rounds", tag = "skills", operation_id = "listAssessmentRounds",
    params(PageParams),
    responses((status = 200, description = "A page of rounds", body = RoundPage)))]
async fn list_rounds(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<RoundPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::rounds(&state, &actor).await.map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Starts an assessment round; it lasts until the next one starts.
#[utoipa::path(post, path = "/assessment-rounds", tag = "skills", operation_id = "createAssessmentRound",
    request_body = RoundInput,
    responses(
        (status = 201, description = "The round", body = Round),
        (status = 409, description = "A round by this name or on this date exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_round(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<RoundInput>,
) -> Result<(StatusCode, Json<Round>), ApiError> {
    service::create_round(&state, &actor, &input)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
        .map_err(err(&actor))
}
