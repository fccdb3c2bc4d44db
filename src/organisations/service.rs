use super::{
    CreatedOrganisation, Membership, NewOrganisation, NewOrganisationInput, Organisation,
    OrganisationChanges, OrganisationInput,
};
use crate::Result;
use crate::auth::Actor;
use crate::auth::secret::{hash_secret, random_secret};
use crate::domain::{Email, Locale, Name, Permission, Role, Validator};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::{AuditMeta, PendingInvitation};
use crate::users::{InvitationLink, NewMember};

pub async fn current(state: &AppState, actor: &Actor) -> Result<Organisation> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().organisation(actor.organisation_id).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    input: &OrganisationInput,
) -> Result<Organisation> {
    actor.require(Permission::ManageOrganisation)?;
    let changes = OrganisationChanges::try_from(input)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .update_organisation(&meta, actor.organisation_id, &changes)
        .await
}

pub async fn memberships(state: &AppState, actor: &Actor) -> Result<Vec<Membership>> {
    state.store().memberships_of(actor.user_id).await
}

/// Moves a browser session to another organisation the person belongs to.
/// An organisation they do not belong to is "not found", not "forbidden".
pub async fn switch(state: &AppState, actor: &Actor, session_hash: &str, slug: &str) -> Result<()> {
    let target = state
        .store()
        .memberships_of(actor.user_id)
        .await?
        .into_iter()
        .find(|m| m.organisation_slug == slug)
        .ok_or(crate::Error::NotFound)?;
    if state
        .store()
        .switch_session_organisation(session_hash, target.organisation_id)
        .await?
    {
        Ok(())
    } else {
        Err(crate::Error::Forbidden)
    }
}

/// Creates an organisation: an installation-level task (command line or
/// demo), recorded under `meta`.
pub async fn create(
    state: &AppState,
    meta: &AuditMeta,
    name: &str,
    slug: &str,
    kind: &str,
) -> Result<Organisation> {
    let mut v = Validator::new();
    let organisation = NewOrganisation::parse(name, slug, kind, &mut v);
    let organisation = v.finish(organisation)?;
    state.store().create_organisation(meta, &organisation).await
}

/// Every organisation of the installation (platform administrators).
pub async fn list_all(
    state: &AppState,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<Organisation>> {
    require_platform_admin(actor)?;
    let all = state.store().list_organisations().await?;
    Ok(Page::from_all(all, page))
}

/// Creates an organisation with its first admin (platform administrators).
pub async fn create_with_admin(
    state: &AppState,
    actor: &Actor,
    input: &NewOrganisationInput,
) -> Result<CreatedOrganisation> {
    require_platform_admin(actor)?;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut v = Validator::new();
    let organisation = NewOrganisation::parse(
        &text(&input.name),
        &text(&input.slug),
        &text(&input.kind),
        &mut v,
    );
    let email = v.check("admin_email", Email::parse(&text(&input.admin_email)));
    let admin_name = v.check("admin_name", Name::parse(&text(&input.admin_name)));
    let (organisation, (email, admin_name)) = v.finish(organisation.zip(email.zip(admin_name)))?;
    let admin = NewMember {
        email,
        name: admin_name,
        role: Role::Admin,
        locale: Locale::Nl,
        password_hash: None,
    };
    let token = random_secret();
    let meta = actor.audit(state.clock().now());
    let pending = PendingInvitation {
        token_hash: &hash_secret(&token),
        expires_at: meta.at + crate::users::service::INVITATION_VALID_FOR,
    };
    let (organisation, admin, invited) = state
        .store()
        .create_organisation_with_admin(&meta, &organisation, &admin, &pending)
        .await?;
    let invitation = invited.then(|| InvitationLink {
        url: crate::users::service::invitation_url(state, &token),
        expires_at: pending.expires_at,
    });
    Ok(CreatedOrganisation {
        organisation,
        admin,
        invitation,
    })
}

fn require_platform_admin(actor: &Actor) -> Result<()> {
    if actor.is_platform_admin {
        Ok(())
    } else {
        Err(crate::Error::Forbidden)
    }
}
