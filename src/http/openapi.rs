//! The OpenAPI 3.1 document, generated from the handlers' annotations, and
//! the conventions every operation shares (Dutch API Design Rules): an
//! `API-Version` header on every response and problem+json errors.

use axum::Router;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, RefOr, ResponseBuilder, Type,
};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use super::AppState;
use super::problem::{InvalidParam, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Koers API",
        version = "1.0.0",
        description = "Steering platform for digital transformation in the public sector. \
                       Every call acts as one member of one organisation.",
        contact(name = "Koers", url = "https://koers.example", email = "api@koers.example"),
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    servers((url = "/api/v1", description = "This installation")),
    components(schemas(Problem, InvalidParam, crate::indicators::export::ExportFormat, crate::reports::api::DocumentFormat)),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "organisation", description = "The organisation (tenant) and the caller's memberships"),
        (name = "units", description = "Organisational units, a tree"),
        (name = "users", description = "People in the organisation and their roles"),
        (name = "tokens", description = "The caller's API tokens"),
        (name = "audit", description = "The audit log"),
        (name = "exports", description = "The whole organisation's lists in one workbook, or one list as CSV (every module's data: a token needs this module to read it)"),
        (name = "indicators", description = "Indicators, their targets and measurements"),
        (name = "governance", description = "Programmes, vision, ambitions, the accountable executive and governance health"),
        (name = "portfolio", description = "The innovation portfolio: initiatives, stages, gate decisions, funding, partners and future labs"),
        (name = "effects", description = "Estimated effects of initiatives on their indicators, with 95% intervals and per euro spent"),
        (name = "skills", description = "People and skills: competence frameworks, role profiles, employees, assessments and the gap analysis"),
        (name = "surveys", description = "The readiness scan for management and the anonymous staff pulse survey: instruments and their versions"),
        (name = "ideas", description = "The idea platform: employees' ideas for smarter ways of working, supports, comments, campaigns, moderation and the platform's figures"),
        (name = "notifications", description = "The caller's own notifications about ideas they wrote or support"),
        (name = "services", description = "The service catalogue (products and services, their digital-maturity level 0-5, channels, volumes, links), the data-asset register with the expertise point for data-driven work, and the strategic assets"),
        (name = "reports", description = "Board reports (bestuursrapportage): unchanging snapshots of a period, as data, PDF or HTML, compared with the one before"),
        (name = "public", description = "Public dashboards: published indicators, no login"),
    )
)]
struct ApiDoc;

/// Adds the shared security schemes, the `API-Version` header and the
/// standard problem responses to every operation.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token made with `koers token create` or on the tokens page",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::new("koers_session"),
            )),
        );
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                add_conventions(operation);
            }
        }
    }
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn add_conventions(operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    for (status, description) in [
        ("400", "Invalid input; `errors` lists every failing field"),
        ("401", "Not authenticated"),
        ("403", "Not allowed for the caller's role"),
        ("404", "Not found in the caller's organisation"),
        ("500", "Unexpected error"),
    ] {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description));
    }
    let version_header = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some("Version of the API that answered (major.minor.patch)"))
        .build();
    for response in responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .insert("API-Version".to_owned(), RefOr::T(version_header.clone()));
        }
    }
}

/// The API router (paths relative to `/api/v1`) and its OpenAPI document.
pub fn api_router() -> (Router<AppState>, String) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::organisations::api::router())
        .merge(crate::sso::api::router())
        .merge(crate::units::api::router())
        .merge(crate::users::api::router())
        .merge(crate::tokens::api::router())
        .merge(crate::audit::api::router())
        .merge(crate::indicators::api::router())
        .merge(crate::governance::api::router())
        .merge(crate::governance::steering_api::router())
        .merge(crate::governance::funding_api::router())
        .merge(crate::portfolio::api::router())
        .merge(crate::portfolio::partners_api::router())
        .merge(crate::effects::api::router())
        .merge(crate::skills::api::router())
        .merge(crate::skills::actions_api::router())
        .merge(crate::surveys::api::router())
        .merge(crate::surveys::wave_api::router())
        .merge(crate::surveys::intervention_api::router())
        .merge(crate::ideas::api::router())
        .merge(crate::ideas::comment_api::router())
        .merge(crate::ideas::campaign_api::router())
        .merge(crate::ideas::figures_api::router())
        .merge(crate::notifications::api::router())
        .merge(crate::services::api::router())
        .merge(crate::data_assets::api::router())
        .merge(crate::strategic_assets::api::router())
        .merge(crate::reports::api::router())
        .merge(crate::backup::api::router())
        .merge(crate::public::api::router())
        .split_for_parts();
    // Applied after the merge: a modifier in the derive would run before
    // the feature routers have added their paths.
    Conventions.modify(&mut openapi);
    let modules = std::sync::Arc::new(super::scopes::OperationModules::of(&openapi));
    let router = router.route_layer(axum::middleware::from_fn_with_state(
        modules,
        super::scopes::enforce,
    ));
    let json = openapi.to_pretty_json().unwrap_or_else(|error| {
        tracing::error!(%error, "OpenAPI document could not be serialised");
        "{}".to_owned()
    });
    (router, json)
}
