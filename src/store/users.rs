use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{Email, Locale, Name, OrganisationId, Role, UserId};
use crate::pagination::{Page, PageRequest};
use crate::users::{Member, NewMember};

/// What login needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    user_id: i64,
    name: String,
    email: String,
    locale: String,
    role: String,
    active: bool,
    has_password: bool,
    second_factor: bool,
    created_at: OffsetDateTime,
}

impl TryFrom<MemberRow> for Member {
    type Error = crate::Error;

    fn try_from(row: MemberRow) -> Result<Self> {
        Ok(Member {
            id: UserId(row.user_id),
            name: row.name,
            email: row.email,
            locale: decode(&row.locale, Locale::parse)?,
            role: decode(&row.role, Role::parse)?,
            active: row.active,
            has_password: row.has_password,
            second_factor: row.second_factor,
            created_at: row.created_at,
        })
    }
}

macro_rules! member_select {
    () => {
        "SELECT u.id AS user_id, u.name, u.email, u.locale, m.role, \
         (m.active AND u.active) AS active, (u.password_hash IS NOT NULL) AS has_password, \
         EXISTS (SELECT 1 FROM second_factors f \
                 WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AS second_factor, \
         m.created_at \
         FROM memberships m JOIN users u ON u.id = m.user_id "
    };
}

pub(crate) const MEMBER_BY_ID: &str = concat!(
    member_select!(),
    "WHERE m.organisation_id = $1 AND u.id = $2"
);
const MEMBER_PAGE: &str = concat!(
    member_select!(),
    "WHERE m.organisation_id = $1 \
     AND ($2 = '' OR LOWER(u.name) LIKE '%' || $2 || '%' OR u.email LIKE '%' || $2 || '%') \
     ORDER BY u.name, u.id LIMIT $3 OFFSET $4"
);
const MEMBER_COUNT: &str = "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
     WHERE m.organisation_id = $1 \
     AND ($2 = '' OR LOWER(u.name) LIKE '%' || $2 || '%' OR u.email LIKE '%' || $2 || '%')";

/// Adds `$member` to `$organisation` inside transaction `$tx`, creating the
/// account when the email is new, with its audit event; evaluates to the
/// `Member`. Returns early (`?`) with a conflict when already a member.
macro_rules! insert_member {
    ($tx:ident, $meta:expr, $organisation:expr, $member:expr) => {{
        let meta: &$crate::store::AuditMeta = $meta;
        let member: &$crate::users::NewMember = $member;
        let organisation: $crate::domain::OrganisationId = $organisation;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(member.email.as_str())
            .fetch_optional(&mut *$tx)
            .await?;
        let user_id = match existing {
            Some(id) => id,
            None => {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO users (email, name, locale, active, is_platform_admin, password_hash, created_at, updated_at) \
                     VALUES ($1, $2, $3, TRUE, FALSE, $4, $5, $5) RETURNING id",
                )
                .bind(member.email.as_str())
                .bind(member.name.as_str())
                .bind(member.locale.code())
                .bind(member.password_hash.as_deref())
                .bind(meta.at)
                .fetch_one(&mut *$tx)
                .await?
            }
        };
        let inserted = sqlx::query(
            "INSERT INTO memberships (organisation_id, user_id, role, active, created_at, updated_at) \
             VALUES ($1, $2, $3, TRUE, $4, $4) ON CONFLICT (organisation_id, user_id) DO NOTHING",
        )
        .bind(organisation)
        .bind(user_id)
        .bind(member.role.code())
        .bind(meta.at)
        .execute(&mut *$tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err($crate::Error::conflict("email", "already_member"));
        }
        let row: $crate::store::users::MemberRow = sqlx::query_as($crate::store::users::MEMBER_BY_ID)
            .bind(organisation)
            .bind(user_id)
            .fetch_one(&mut *$tx)
            .await?;
        let created = $crate::users::Member::try_from(row)?;
        $crate::store::audit::write_audit!(
            &mut *$tx,
            meta,
            &$crate::store::Change::created("membership", created.id, &created)
        )?;
        created
    }};
}
pub(crate) use insert_member;

impl Store {
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>> {
        let row = on_pool!(self, p => sqlx::query_as(
            "SELECT id, password_hash, active FROM users WHERE email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(p)
        .await?);
        Ok(row)
    }

    pub async fn user_id_by_email(&self, email: &Email) -> Result<Option<UserId>> {
        let id = on_pool!(self, p => sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(p)
            .await?);
        Ok(id)
    }

    /// Adds a person to an organisation. A new email creates the account;
    /// an existing one (a member elsewhere) only gains a membership, and its
    /// name and password stay as they are.
    pub async fn add_member(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        member: &NewMember,
    ) -> Result<Member> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let created = insert_member!(tx, meta, organisation, member);
            tx.commit().await?;
            Ok(created)
        })
    }

    pub async fn member(&self, organisation: OrganisationId, user: UserId) -> Result<Member> {
        let row: MemberRow = on_pool!(self, p => sqlx::query_as(MEMBER_BY_ID)
            .bind(organisation)
            .bind(user)
            .fetch_one(p)
            .await?);
        row.try_into()
    }

    pub async fn list_members(
        &self,
        organisation: OrganisationId,
        search: &str,
        page: PageRequest,
    ) -> Result<Page<Member>> {
        let search = search.trim().to_lowercase();
        let (rows, total): (Vec<MemberRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(MEMBER_PAGE)
                .bind(organisation)
                .bind(&search)
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(p)
                .await?;
            let total = sqlx::query_scalar(MEMBER_COUNT)
                .bind(organisation)
                .bind(&search)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(Member::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, page, total))
    }

    /// Every member's e-mail address (lower case) with their account, for
    /// imports that name people by address.
    pub async fn member_emails(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<(String, crate::domain::UserId)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT LOWER(u.email), u.id FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.organisation_id = $1",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(email, id)| (email, crate::domain::UserId(id)))
            .collect())
    }

    /// Counts active admins, so the last one cannot lock everyone out.
    pub async fn active_admin_count(&self, organisation: OrganisationId) -> Result<i64> {
        let count = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.organisation_id = $1 AND m.role = 'admin' AND m.active AND u.active",
        )
        .bind(organisation)
        .fetch_one(p)
        .await?);
        Ok(count)
    }

    pub async fn update_membership(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: &Member,
        role: Role,
        active: bool,
    ) -> Result<Member> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "UPDATE memberships SET role = $3, active = $4, updated_at = $5 \
                 WHERE organisation_id = $1 AND user_id = $2",
            )
            .bind(organisation)
            .bind(before.id)
            .bind(role.code())
            .bind(active)
            .bind(meta.at)
            .execute(&mut *tx)
            .await?;
            if !active {
                // A deactivated member loses access at once, on every server.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND organisation_id = $2")
                    .bind(before.id)
                    .bind(organisation)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $3 \
                     WHERE user_id = $1 AND organisation_id = $2 AND revoked_at IS NULL",
                )
                .bind(before.id)
                .bind(organisation)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
            }
            let row: MemberRow = sqlx::query_as(MEMBER_BY_ID)
                .bind(organisation)
                .bind(before.id)
                .fetch_one(&mut *tx)
                .await?;
            let after = Member::try_from(row)?;
            let change = Change::updated("membership", after.id, before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Changes a person's own profile (name, language).
    pub async fn update_profile(
        &self,
        meta: &AuditMeta,
        user: UserId,
        name: &Name,
        locale: Locale,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: (String, String) = sqlx::query_as("SELECT name, locale FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE users SET name = $2, locale = $3, updated_at = $4 WHERE id = $1")
                .bind(user)
                .bind(name.as_str())
                .bind(locale.code())
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
            let change = Change::updated(
                "user",
                user,
                &serde_json::json!({ "name": before.0, "locale": before.1 }),
                &serde_json::json!({ "name": name.as_str(), "locale": locale.code() }),
            );
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Creates or updates an installation-level account (command line).
    pub async fn upsert_platform_user(
        &self,
        meta: &AuditMeta,
        email: &Email,
        name: &Name,
        password_hash: Option<&str>,
        platform_admin: bool,
    ) -> Result<UserId> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, name, locale, active, is_platform_admin, password_hash, created_at, updated_at) \
                 VALUES ($1, $2, 'nl', TRUE, $3, $4, $5, $5) \
                 ON CONFLICT (email) DO UPDATE SET name = excluded.name, \
                 is_platform_admin = excluded.is_platform_admin, \
                 password_hash = COALESCE(excluded.password_hash, users.password_hash), \
                 updated_at = excluded.updated_at \
                 RETURNING id",
            )
            .bind(email.as_str())
            .bind(name.as_str())
            .bind(platform_admin)
            .bind(password_hash)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new(
                "upsert",
                "user",
                id,
                None,
                Some(serde_json::json!({ "email": email.as_str(), "name": name.as_str(), "is_platform_admin": platform_admin, "password_set": password_hash.is_some() })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(UserId(id))
        })
    }

    /// Grants or withdraws installation-wide administration.
    pub async fn set_platform_admin(
        &self,
        meta: &AuditMeta,
        user: UserId,
        platform_admin: bool,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("UPDATE users SET is_platform_admin = $2, updated_at = $3 WHERE id = $1")
                .bind(user)
                .bind(platform_admin)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
            let change = Change::new(
                "update",
                "user",
                user,
                None,
                Some(serde_json::json!({ "is_platform_admin": platform_admin })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn set_password_hash(
        &self,
        meta: &AuditMeta,
        user: UserId,
        hash: &str,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(user)
                .bind(hash)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::event("set_password", "user", user))?;
            tx.commit().await?;
            Ok(())
        })
    }
}
