use super::{Membership, Organisation, OrganisationChanges, OrganisationInput};
use crate::Result;
use crate::auth::Actor;
use crate::domain::{Name, OrganisationKind, Permission, Slug, Validator};
use crate::http::AppState;
use crate::store::AuditMeta;

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
    state
        .store()
        .switch_session_organisation(session_hash, target.organisation_id)
        .await
}

/// Creates an organisation: an installation-level task (command line or
/// platform administrator), recorded under `meta`.
pub async fn create(
    state: &AppState,
    meta: &AuditMeta,
    name: &str,
    slug: &str,
    kind: &str,
) -> Result<Organisation> {
    let mut v = Validator::new();
    let name = v.check("name", Name::parse(name));
    let slug = v.check("slug", Slug::parse(slug));
    let kind = v.check("kind", OrganisationKind::parse(kind));
    let (name, slug, kind) = v.finish(name.zip(slug).zip(kind).map(|((n, s), k)| (n, s, k)))?;
    state
        .store()
        .create_organisation(meta, &name, &slug, kind)
        .await
}
