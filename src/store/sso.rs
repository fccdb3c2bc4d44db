//! Single sign-on rows: each organisation's connection, the provider
//! identities linked to people, and logins waiting for the provider.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::users::insert_member;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{Email, Locale, Name, OrganisationId, Role, UserId};
use crate::sso::{ConnectionOptions, Preset, SsoSettings};

/// A stored connection. The sealed secret never leaves the store's
/// callers in an answer (`skip` keeps it out of audit payloads too).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredConnection {
    #[serde(flatten)]
    pub options: ConnectionOptions,
    #[serde(skip)]
    pub client_secret_sealed: String,
    /// A short hash of the sealed secret: the audit log shows that the
    /// secret was replaced without showing it.
    pub client_secret_version: String,
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ConnectionRow {
    preset: String,
    issuer: String,
    client_id: String,
    client_secret_sealed: String,
    scopes: String,
    email_claim: String,
    groups_claim: Option<String>,
    role_rules: String,
    default_role: String,
    match_by_email: bool,
    password_login_off: bool,
    enabled: bool,
    updated_at: OffsetDateTime,
}

impl TryFrom<ConnectionRow> for StoredConnection {
    type Error = crate::Error;

    fn try_from(row: ConnectionRow) -> Result<Self> {
        Ok(StoredConnection {
            options: ConnectionOptions {
                preset: decode(&row.preset, Preset::parse)?,
                issuer: row.issuer,
                client_id: row.client_id,
                scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
                email_claim: row.email_claim,
                groups_claim: row.groups_claim,
                role_rules: serde_json::from_str(&row.role_rules)
                    .map_err(|e| crate::Error::unreadable("stored role rules", &e))?,
                default_role: decode(&row.default_role, Role::parse)?,
                match_by_email: row.match_by_email,
                password_login_off: row.password_login_off,
                enabled: row.enabled,
            },
            client_secret_version: crate::auth::secret::hash_secret(&row.client_secret_sealed)
                [..12]
                .to_owned(),
            client_secret_sealed: row.client_secret_sealed,
            updated_at: row.updated_at,
        })
    }
}

const CONNECTION_SELECT: &str = "SELECT preset, issuer, client_id, client_secret_sealed, scopes, \
     email_claim, groups_claim, role_rules, default_role, match_by_email, password_login_off, \
     enabled, updated_at FROM sso_connections WHERE organisation_id = $1";

/// A login waiting for the provider's answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingSsoLogin {
    pub organisation_id: i64,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: OffsetDateTime,
}

/// Who the provider says logged in, and what the connection allows.
#[derive(Debug, Clone)]
pub struct Admission {
    pub organisation: OrganisationId,
    pub issuer: String,
    pub subject: String,
    pub email: Option<Email>,
    pub email_verified: bool,
    pub name: Name,
    pub match_by_email: bool,
    pub default_role: Role,
    /// The role the groups claim maps to, when a rule matched.
    pub mapped_role: Option<Role>,
}

/// The person an admission led to.
#[derive(Debug, Clone)]
pub struct Admitted {
    pub user: UserId,
    pub email: String,
}

impl Store {
    pub async fn sso_connection(
        &self,
        organisation: OrganisationId,
    ) -> Result<Option<StoredConnection>> {
        let row: Option<ConnectionRow> = on_pool!(self, p => sqlx::query_as(CONNECTION_SELECT)
            .bind(organisation)
            .fetch_optional(p)
            .await?);
        row.map(StoredConnection::try_from).transpose()
    }

    /// Creates or replaces the organisation's connection; `sealed_secret`
    /// replaces the stored secret when given.
    pub async fn save_sso_connection(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        settings: &SsoSettings,
        sealed_secret: Option<&str>,
    ) -> Result<StoredConnection> {
        let rules = serde_json::to_string(&settings.options.role_rules)
            .map_err(|e| crate::Error::Unexpected(format!("role rules: {e}")))?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<ConnectionRow> = sqlx::query_as(CONNECTION_SELECT)
                .bind(organisation)
                .fetch_optional(&mut *tx)
                .await?;
            let before = before.map(StoredConnection::try_from).transpose()?;
            let secret = match (sealed_secret, &before) {
                (Some(secret), _) => secret.to_owned(),
                // The stored secret only ever goes to the provider it was
                // given for.
                (None, Some(before))
                    if before.options.issuer == settings.options.issuer && before.options.client_id == settings.options.client_id =>
                {
                    before.client_secret_sealed.clone()
                }
                (None, Some(_)) => {
                    return Err(crate::Error::invalid("client_secret", "secret_for_new_provider"));
                }
                (None, None) => return Err(crate::Error::invalid("client_secret", "required")),
            };
            sqlx::query(
                "INSERT INTO sso_connections (organisation_id, preset, issuer, client_id, \
                 client_secret_sealed, scopes, email_claim, groups_claim, role_rules, default_role, \
                 match_by_email, password_login_off, enabled, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
                 ON CONFLICT (organisation_id) DO UPDATE SET preset = $2, issuer = $3, \
                 client_id = $4, client_secret_sealed = $5, scopes = $6, email_claim = $7, \
                 groups_claim = $8, role_rules = $9, default_role = $10, match_by_email = $11, \
                 password_login_off = $12, enabled = $13, updated_at = $14",
            )
            .bind(organisation)
            .bind(settings.options.preset.code())
            .bind(&settings.options.issuer)
            .bind(&settings.options.client_id)
            .bind(&secret)
            .bind(settings.options.scopes.join(" "))
            .bind(&settings.options.email_claim)
            .bind(settings.options.groups_claim.as_deref())
            .bind(&rules)
            .bind(settings.options.default_role.code())
            .bind(settings.options.match_by_email)
            .bind(settings.options.password_login_off)
            .bind(settings.options.enabled)
            .bind(meta.at)
            .execute(&mut *tx)
            .await?;
            if settings.options.enabled && settings.options.password_login_off {
                // Password sessions in the organisation end now, not at
                // their expiry.
                sqlx::query(
                    "DELETE FROM sessions WHERE organisation_id = $1 AND sso_id_token IS NULL",
                )
                .bind(organisation)
                .execute(&mut *tx)
                .await?;
            }
            let after: ConnectionRow = sqlx::query_as(CONNECTION_SELECT)
                .bind(organisation)
                .fetch_one(&mut *tx)
                .await?;
            let after = StoredConnection::try_from(after)?;
            let change = match &before {
                Some(before) => Change::updated("sso_connection", organisation, before, &after),
                None => Change::created("sso_connection", organisation, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Whether the person has logged in through this issuer for the
    /// organisation.
    pub async fn has_sso_identity(
        &self,
        organisation: OrganisationId,
        issuer: &str,
        user: UserId,
    ) -> Result<bool> {
        let found: bool = on_pool!(self, p => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sso_identities \
             WHERE organisation_id = $1 AND issuer = $2 AND user_id = $3)",
        )
        .bind(organisation)
        .bind(issuer)
        .bind(user)
        .fetch_one(p)
        .await?);
        Ok(found)
    }

    /// The first organisation (by name) where the person may log in with a
    /// password: an active membership whose organisation has not switched
    /// password login off. `None` when there is none.
    pub async fn first_password_organisation(
        &self,
        user: UserId,
    ) -> Result<Option<OrganisationId>> {
        let found: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT o.id FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
             WHERE m.user_id = $1 AND m.active AND NOT EXISTS \
               (SELECT 1 FROM sso_connections c WHERE c.organisation_id = o.id \
                AND c.enabled AND c.password_login_off) \
             ORDER BY o.name LIMIT 1",
        )
        .bind(user)
        .fetch_optional(p)
        .await?);
        Ok(found.map(OrganisationId))
    }

    /// Keeps a login that went to the provider; drops those older than
    /// `expired_before`.
    pub async fn create_sso_login(
        &self,
        state_hash: &str,
        organisation: OrganisationId,
        nonce: &str,
        pkce_verifier: &str,
        at: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM sso_logins WHERE created_at < $1")
                .bind(expired_before)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO sso_logins (state_hash, organisation_id, nonce, pkce_verifier, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(state_hash)
            .bind(organisation)
            .bind(nonce)
            .bind(pkce_verifier)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Takes the waiting login out (each answer is used once).
    pub async fn take_sso_login(&self, state_hash: &str) -> Result<Option<WaitingSsoLogin>> {
        let row = on_pool!(self, p => sqlx::query_as(
            "DELETE FROM sso_logins WHERE state_hash = $1 \
             RETURNING organisation_id, nonce, pkce_verifier, created_at",
        )
        .bind(state_hash)
        .fetch_optional(p)
        .await?);
        Ok(row)
    }

    /// Finds or creates the person the provider vouched for, in one
    /// transaction: by linked identity; else by e-mail address when the
    /// connection allows it; else a new account and membership. With a
    /// mapped role the membership takes it (except that the last active
    /// administrator stays one). `Err(SsoRefused)` when no one may enter.
    pub async fn admit_sso_identity(
        &self,
        meta: &AuditMeta,
        admission: &Admission,
    ) -> Result<Admitted> {
        use crate::sso::refusal;
        let refused = |code| Err(crate::Error::SsoRefused(code));
        let organisation = admission.organisation;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let linked: Option<i64> = sqlx::query_scalar(
                "SELECT user_id FROM sso_identities \
                 WHERE organisation_id = $1 AND issuer = $2 AND subject = $3",
            )
            .bind(organisation)
            .bind(&admission.issuer)
            .bind(&admission.subject)
            .fetch_optional(&mut *tx)
            .await?;
            let user_id = match linked {
                Some(id) => id,
                None => {
                    let Some(email) = &admission.email else {
                        return refused(refusal::NO_EMAIL);
                    };
                    let existing: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                            .bind(email.as_str())
                            .fetch_optional(&mut *tx)
                            .await?;
                    // An existing account is linked only when it lives in
                    // this organisation alone: a member here, of no other
                    // organisation, not a platform administrator. Anything
                    // else would let this organisation's provider speak for
                    // someone it does not own.
                    let linkable: Option<i64> = match existing {
                        Some(id) if admission.match_by_email && admission.email_verified => {
                            sqlx::query_scalar(
                                "SELECT u.id FROM users u \
                                 JOIN memberships m ON m.user_id = u.id AND m.organisation_id = $1 \
                                 WHERE u.id = $2 AND NOT u.is_platform_admin \
                                 AND NOT EXISTS (SELECT 1 FROM memberships o \
                                                 WHERE o.user_id = u.id AND o.organisation_id <> $1)",
                            )
                            .bind(organisation)
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?
                        }
                        _ => None,
                    };
                    if existing.is_some() && linkable.is_none() {
                        return refused(refusal::EMAIL_TAKEN);
                    }
                    let id = match linkable {
                        Some(id) => id,
                        None => {
                            let new_member = crate::users::NewMember {
                                email: email.clone(),
                                name: admission.name.clone(),
                                role: admission.mapped_role.unwrap_or(admission.default_role),
                                locale: Locale::Nl,
                                password_hash: None,
                            };
                            let created = insert_member!(tx, meta, organisation, &new_member);
                            created.id.0
                        }
                    };
                    sqlx::query(
                        "INSERT INTO sso_identities (organisation_id, issuer, subject, user_id, created_at, last_login_at) \
                         VALUES ($1, $2, $3, $4, $5, $5)",
                    )
                    .bind(organisation)
                    .bind(&admission.issuer)
                    .bind(&admission.subject)
                    .bind(id)
                    .bind(meta.at)
                    .execute(&mut *tx)
                    .await?;
                    write_audit!(&mut *tx, meta, &Change::event("sso_identity_linked", "membership", id))?;
                    id
                }
            };
            let row: Option<super::users::MemberRow> = sqlx::query_as(super::users::MEMBER_BY_ID)
                .bind(organisation)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return refused(refusal::INACTIVE);
            };
            let member = crate::users::Member::try_from(row)?;
            if !member.active {
                return refused(refusal::INACTIVE);
            }
            if let Some(role) = admission.mapped_role.filter(|role| *role != member.role) {
                let last_admin = member.role == Role::Admin && {
                    let admins: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
                         WHERE m.organisation_id = $1 AND m.role = 'admin' AND m.active AND u.active",
                    )
                    .bind(organisation)
                    .fetch_one(&mut *tx)
                    .await?;
                    admins <= 1
                };
                if last_admin {
                    tracing::warn!(sso.user = user_id, "groups would demote the last administrator; role kept");
                } else {
                    sqlx::query(
                        "UPDATE memberships SET role = $3, updated_at = $4 \
                         WHERE organisation_id = $1 AND user_id = $2",
                    )
                    .bind(organisation)
                    .bind(user_id)
                    .bind(role.code())
                    .bind(meta.at)
                    .execute(&mut *tx)
                    .await?;
                    let after = crate::users::Member { role, ..member.clone() };
                    write_audit!(&mut *tx, meta, &Change::updated("membership", user_id, &member, &after))?;
                }
            }
            sqlx::query(
                "UPDATE sso_identities SET last_login_at = $4 \
                 WHERE organisation_id = $1 AND issuer = $2 AND subject = $3",
            )
            .bind(organisation)
            .bind(&admission.issuer)
            .bind(&admission.subject)
            .bind(meta.at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Admitted { user: UserId(user_id), email: member.email })
        })
    }
}
