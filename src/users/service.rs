use time::Duration;

use super::{
    InvitationLink, Member, MemberChangesInput, NewMember, NewMemberInput, Profile, ProfileInput,
};
use crate::auth::Actor;
use crate::auth::password::hash_password;
use crate::auth::secret::{hash_secret, random_secret};
use crate::domain::{Locale, Name, Password, Permission, Role, UserId, Validator};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::{AuditMeta, Invitation};
use crate::{Error, Result};

pub const INVITATION_VALID_FOR: Duration = Duration::days(7);

pub async fn list(
    state: &AppState,
    actor: &Actor,
    search: &str,
    page: PageRequest,
) -> Result<Page<Member>> {
    actor.require(Permission::ViewPeople)?;
    state
        .store()
        .list_members(actor.organisation_id, search, page)
        .await
}

pub async fn get(state: &AppState, actor: &Actor, id: UserId) -> Result<Member> {
    actor.require(Permission::ViewPeople)?;
    state.store().member(actor.organisation_id, id).await
}

/// Adds a person; returns an invitation link when they have no password yet.
pub async fn add(
    state: &AppState,
    actor: &Actor,
    input: &NewMemberInput,
) -> Result<(Member, Option<InvitationLink>)> {
    actor.require(Permission::ManagePeople)?;
    let member = NewMember::parse(input)?;
    let meta = actor.audit(state.clock().now());
    let created = state
        .store()
        .add_member(&meta, actor.organisation_id, &member)
        .await?;
    let link = if created.has_password {
        None
    } else {
        Some(invite_inner(state, &meta, actor, created.id).await?)
    };
    Ok((created, link))
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: UserId,
    input: &MemberChangesInput,
) -> Result<Member> {
    actor.require(Permission::ManagePeople)?;
    let before = state.store().member(actor.organisation_id, id).await?;
    let mut v = Validator::new();
    let role = match input.role.as_deref() {
        Some(code) => v.check("role", Role::parse(code)),
        None => Some(before.role),
    };
    let role = v.finish(role)?;
    let active = input.active.unwrap_or(before.active);
    let stays_admin = role == Role::Admin && active;
    if before.role == Role::Admin
        && before.active
        && !stays_admin
        && state
            .store()
            .active_admin_count(actor.organisation_id)
            .await?
            <= 1
    {
        return Err(Error::conflict("role", "last_admin"));
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .update_membership(&meta, actor.organisation_id, &before, role, active)
        .await
}

/// A fresh invitation link for a member (earlier links stop working).
pub async fn invite(state: &AppState, actor: &Actor, id: UserId) -> Result<InvitationLink> {
    actor.require(Permission::ManagePeople)?;
    let member = state.store().member(actor.organisation_id, id).await?;
    if !member.active {
        return Err(Error::conflict("active", "inactive_member"));
    }
    let meta = actor.audit(state.clock().now());
    invite_inner(state, &meta, actor, id).await
}

async fn invite_inner(
    state: &AppState,
    meta: &AuditMeta,
    actor: &Actor,
    id: UserId,
) -> Result<InvitationLink> {
    let token = random_secret();
    let expires_at = meta.at + INVITATION_VALID_FOR;
    state
        .store()
        .create_invitation(
            meta,
            actor.organisation_id,
            id,
            &hash_secret(&token),
            expires_at,
        )
        .await?;
    Ok(InvitationLink {
        url: invitation_url(state, &token),
        expires_at,
    })
}

pub fn invitation_url(state: &AppState, token: &str) -> String {
    format!("{}/invitation/{token}", state.settings().public_url)
}

/// The invitation behind a link, if it is still open.
pub async fn open_invitation(state: &AppState, token: &str) -> Result<Invitation> {
    state
        .store()
        .open_invitation(&hash_secret(token), state.clock().now())
        .await?
        .ok_or(Error::NotFound)
}

/// Sets the invited person's password; the link then stops working.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    password: &str,
    confirmation: &str,
    client_address: &str,
) -> Result<()> {
    let invitation = open_invitation(state, token).await?;
    let mut v = Validator::new();
    let password = v.check("password", Password::parse(password));
    if password
        .as_ref()
        .is_some_and(|p| p.expose() != confirmation)
    {
        v.add("password_confirmation", "password_mismatch");
    }
    let password = v.finish(password)?;
    let hash = hash_password(state.settings().hash_cost, &password).await?;
    let meta = AuditMeta {
        organisation_id: Some(invitation.organisation_id),
        actor_user_id: Some(invitation.user_id),
        actor_label: invitation.email.clone(),
        client_address: Some(client_address.to_owned()),
        at: state.clock().now(),
    };
    state
        .store()
        .accept_invitation(&meta, &hash_secret(token), invitation.user_id, &hash)
        .await
}

pub async fn profile(state: &AppState, actor: &Actor) -> Result<Profile> {
    let member = state
        .store()
        .member(actor.organisation_id, actor.user_id)
        .await?;
    let organisation = state.store().organisation(actor.organisation_id).await?;
    Ok(Profile {
        id: member.id,
        name: member.name,
        email: member.email,
        locale: member.locale,
        role: member.role,
        organisation: organisation.name,
    })
}

pub async fn update_profile(
    state: &AppState,
    actor: &Actor,
    input: &ProfileInput,
) -> Result<Profile> {
    let current = profile(state, actor).await?;
    let mut v = Validator::new();
    let name = match input.name.as_deref() {
        Some(name) => v.check("name", Name::parse(name)),
        None => Name::parse(&current.name).ok(),
    };
    let locale = match input.locale.as_deref() {
        Some(code) => v.check("locale", Locale::parse(code)),
        None => Some(current.locale),
    };
    let (name, locale) = v.finish(name.zip(locale))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .update_profile(&meta, actor.user_id, &name, locale)
        .await?;
    profile(state, actor).await
}
