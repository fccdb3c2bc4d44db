use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::invitations::insert_invitation;
use super::users::insert_member;
use super::{AuditMeta, Change, Store, conflict_on_unique, decode, on_pool};
use crate::Result;
use crate::domain::{Name, OrganisationId, OrganisationKind};
use crate::organisations::{Membership, NewOrganisation, Organisation, OrganisationChanges};
use crate::users::{Member, NewMember};

/// An invitation to store beside a new member, if they need one.
#[derive(Debug)]
pub struct PendingInvitation<'a> {
    pub token_hash: &'a str,
    pub expires_at: time::OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    name: String,
    slug: String,
    kind: String,
    public_dashboard: bool,
    admins_need_second_factor: bool,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = crate::Error;

    fn try_from(row: OrganisationRow) -> Result<Self> {
        Ok(Organisation {
            id: OrganisationId(row.id),
            name: row.name,
            slug: row.slug,
            kind: decode(&row.kind, OrganisationKind::parse)?,
            public_dashboard: row.public_dashboard,
            admins_need_second_factor: row.admins_need_second_factor,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    id: i64,
    name: String,
    slug: String,
    role: String,
}

/// Inserts an organisation and its audit event inside transaction `$tx`;
/// evaluates to the organisation and the audit metadata scoped to it.
macro_rules! insert_organisation {
    ($tx:ident, $meta:expr, $organisation:expr) => {{
        let organisation: &NewOrganisation = $organisation;
        let meta: &AuditMeta = $meta;
        let row: OrganisationRow = sqlx::query_as(
            "INSERT INTO organisations (name, slug, kind, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at",
        )
        .bind(organisation.name.as_str())
        .bind(organisation.slug.as_str())
        .bind(organisation.kind.code())
        .bind(meta.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(|e| conflict_on_unique(e, "slug", "taken"))?;
        let created = Organisation::try_from(row)?;
        let meta = AuditMeta {
            organisation_id: Some(created.id),
            ..meta.clone()
        };
        write_audit!(
            &mut *$tx,
            &meta,
            &Change::created("organisation", created.id, &created)
        )?;
        (created, meta)
    }};
}

impl Store {
    /// Creates an organisation; the audit event is written in the same
    /// transaction.
    pub async fn create_organisation(
        &self,
        meta: &AuditMeta,
        organisation: &NewOrganisation,
    ) -> Result<Organisation> {
        let created = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (created, _) = insert_organisation!(tx, meta, organisation);
            tx.commit().await?;
            created
        });
        self.install_builtin_frameworks(meta.at).await?;
        self.install_builtin_instruments(meta.at).await?;
        Ok(created)
    }

    /// Creates an organisation with its first admin, and an invitation for
    /// that admin when they have no password yet: all or nothing.
    pub async fn create_organisation_with_admin(
        &self,
        meta: &AuditMeta,
        organisation: &NewOrganisation,
        admin: &NewMember,
        invitation: &PendingInvitation<'_>,
    ) -> Result<(Organisation, Member, bool)> {
        let result = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (created, meta) = insert_organisation!(tx, meta, organisation);
            let member = insert_member!(tx, &meta, created.id, admin);
            let invited = !member.has_password;
            if invited {
                insert_invitation!(tx, &meta, created.id, member.id, invitation.token_hash, invitation.expires_at);
            }
            tx.commit().await?;
            (created, member, invited)
        });
        self.install_builtin_frameworks(meta.at).await?;
        self.install_builtin_instruments(meta.at).await?;
        Ok(result)
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<Organisation> {
        let row: OrganisationRow = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at FROM organisations WHERE id = $1",
        )
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn organisation_by_slug(&self, slug: &str) -> Result<Organisation> {
        let row: OrganisationRow = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at FROM organisations WHERE slug = $1",
        )
        .bind(slug)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn list_organisations(&self) -> Result<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at FROM organisations ORDER BY name",
        )
        .fetch_all(p)
        .await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn update_organisation(
        &self,
        meta: &AuditMeta,
        id: OrganisationId,
        changes: &OrganisationChanges,
    ) -> Result<Organisation> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: OrganisationRow = sqlx::query_as(
                "SELECT id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at FROM organisations WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let before = Organisation::try_from(before)?;
            let after: OrganisationRow = sqlx::query_as(
                "UPDATE organisations SET name = $2, kind = $3, updated_at = $4, public_dashboard = $5, \
                 admins_need_second_factor = $6 WHERE id = $1 \
                 RETURNING id, name, slug, kind, public_dashboard, admins_need_second_factor, created_at, updated_at",
            )
            .bind(id)
            .bind(changes.name.as_ref().map_or(before.name.as_str(), Name::as_str))
            .bind(changes.kind.unwrap_or(before.kind).code())
            .bind(meta.at)
            .bind(changes.public_dashboard.unwrap_or(before.public_dashboard))
            .bind(
                changes
                    .admins_need_second_factor
                    .unwrap_or(before.admins_need_second_factor),
            )
            .fetch_one(&mut *tx)
            .await?;
            let after = Organisation::try_from(after)?;
            let change = Change::updated("organisation", id, &before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// The organisations a user is an active member of, with their role.
    pub async fn memberships_of(&self, user: crate::domain::UserId) -> Result<Vec<Membership>> {
        let rows: Vec<MembershipRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT o.id, o.name, o.slug, m.role FROM memberships m \
             JOIN organisations o ON o.id = m.organisation_id \
             WHERE m.user_id = $1 AND m.active ORDER BY o.name",
        )
        .bind(user)
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|row| {
                Ok(Membership {
                    organisation_id: OrganisationId(row.id),
                    organisation_name: row.name,
                    organisation_slug: row.slug,
                    role: decode(&row.role, crate::domain::Role::parse)?,
                })
            })
            .collect()
    }
}
