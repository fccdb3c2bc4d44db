//! The demo organisation "Gemeente Voorbeeldstad", loaded by
//! `koers serve --demo` into an empty database. Each capability adds its
//! demo data as one more step in `load`.

mod assets;
mod governance;
mod ideas;
mod indicators;
mod portfolio;
mod services;
mod skills;
mod surveys;

use crate::domain::{Name, Role, UnitId};
use crate::http::AppState;
use crate::organisations::Organisation;
use crate::store::AuditMeta;
use crate::users::NewMember;
use crate::{Error, Result};

pub const SLUG: &str = "voorbeeldstad";
/// Shown on the login page in demo mode only.
pub const PASSWORD: &str = "demo-koers-2026";
pub const ROLES: [Role; 7] = Role::ALL;

pub fn email_for(role: Role) -> String {
    format!("{}@{SLUG}.example", role.code())
}

fn person_for(role: Role) -> &'static str {
    match role {
        Role::Admin => "Sanne de Vries",
        Role::Executive => "Karim El Amrani",
        Role::ProgrammeLead => "Joost Bakker",
        Role::UnitLead => "Fatima Yilmaz",
        Role::Employee => "Pieter Jansen",
        Role::Viewer => "Lotte van Dijk",
        Role::Hr => "Anouk Visser",
    }
}

/// Departments with their teams.
const UNITS: &[(&str, &[&str])] = &[
    (
        "Dienstverlening",
        &[
            "Klantcontactcentrum",
            "Burgerzaken",
            "Vergunningen en Handhaving",
        ],
    ),
    (
        "Sociaal Domein",
        &["Werk en Inkomen", "Jeugd en Wmo", "Schuldhulpverlening"],
    ),
    (
        "Ruimte",
        &["Openbare Ruimte", "Ruimtelijke Ontwikkeling", "Mobiliteit"],
    ),
    (
        "Bedrijfsvoering",
        &[
            "Informatievoorziening en ICT",
            "Informatiebeheer",
            "HR",
            "Financiën",
        ],
    ),
    ("Programmabureau Digitale Transformatie", &[]),
];

/// Everything later steps need to add their own demo data.
pub struct DemoContext {
    pub organisation: Organisation,
    pub meta: AuditMeta,
    pub units: Vec<(String, UnitId)>,
}

/// Loads the demo unless the database already holds organisations.
/// Returns whether anything was loaded.
pub async fn load(state: &AppState) -> Result<bool> {
    if !state.store().list_organisations().await?.is_empty() {
        return Ok(false);
    }
    let meta = AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "demo".to_owned(),
        client_address: None,
        at: state.clock().now(),
    };
    let organisation = crate::organisations::service::create(
        state,
        &meta,
        "Gemeente Voorbeeldstad",
        SLUG,
        "municipality",
    )
    .await?;
    let meta = AuditMeta {
        organisation_id: Some(organisation.id),
        ..meta
    };
    let mut context = DemoContext {
        organisation,
        meta,
        units: Vec::new(),
    };
    load_units(state, &mut context).await?;
    load_people(state, &context).await?;
    indicators::load(state, &context).await?;
    governance::load(state, &context).await?;
    portfolio::load(state, &context).await?;
    skills::load(state, &context).await?;
    surveys::load(state, &context).await?;
    ideas::load(state, &context).await?;
    services::load(state, &context).await?;
    assets::load(state, &context).await?;
    // Residents can see the published indicators at /p/voorbeeldstad.
    let publish = crate::organisations::OrganisationChanges {
        public_dashboard: Some(true),
        ..Default::default()
    };
    state
        .store()
        .update_organisation(&context.meta, context.organisation.id, &publish)
        .await?;
    Ok(true)
}

async fn load_units(state: &AppState, context: &mut DemoContext) -> Result<()> {
    let organisation = context.organisation.id;
    for (department, teams) in UNITS {
        let name =
            Name::parse(department).map_err(|_| Error::Unexpected("demo unit name".into()))?;
        let parent = state
            .store()
            .create_unit(&context.meta, organisation, &name, None)
            .await?;
        context.units.push(((*department).to_owned(), parent.id));
        for team in *teams {
            let name = Name::parse(team).map_err(|_| Error::Unexpected("demo unit name".into()))?;
            let unit = state
                .store()
                .create_unit(&context.meta, organisation, &name, Some(parent.id))
                .await?;
            context.units.push(((*team).to_owned(), unit.id));
        }
    }
    Ok(())
}

async fn load_people(state: &AppState, context: &DemoContext) -> Result<()> {
    let password = crate::domain::Password::parse(PASSWORD)
        .map_err(|_| Error::Unexpected("demo password".into()))?;
    let hash = crate::auth::password::hash_password(state.settings().hash_cost, &password).await?;
    for role in ROLES {
        let input = crate::users::NewMemberInput {
            email: Some(email_for(role)),
            name: Some(person_for(role).to_owned()),
            role: Some(role.code().to_owned()),
            locale: Some("nl".to_owned()),
        };
        let member = NewMember {
            password_hash: Some(hash.clone()),
            ..NewMember::parse(&input)?
        };
        let added = state
            .store()
            .add_member(&context.meta, context.organisation.id, &member)
            .await?;
        if role == Role::Admin {
            // The demo's admin also shows the installation-wide pages.
            state
                .store()
                .set_platform_admin(&context.meta, added.id, true)
                .await?;
        }
    }
    Ok(())
}
