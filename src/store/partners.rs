//! Partners, their roles in initiatives, future labs and lab members.
//! Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::domain::{InitiativeId, LabId, OrganisationId, PartnerId};
use crate::portfolio::partners::{
    FutureLab, InitiativePartner, LabMember, LabSpec, MemberSpec, Partner, PartnerKind, PartnerSpec,
};

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    organisation_id: i64,
    name: String,
    kind: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<PartnerRow> for Partner {
    type Error = crate::Error;

    fn try_from(row: PartnerRow) -> Result<Self> {
        Ok(Partner {
            id: PartnerId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            name: row.name,
            kind: decode(&row.kind, PartnerKind::parse)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! partner_columns {
    () => {
        "id, organisation_id, name, kind, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    initiative_id: i64,
    partner_id: i64,
    name: String,
    kind: String,
    role: String,
}

impl TryFrom<RoleRow> for InitiativePartner {
    type Error = crate::Error;

    fn try_from(row: RoleRow) -> Result<Self> {
        Ok(InitiativePartner {
            initiative_id: InitiativeId(row.initiative_id),
            partner_id: PartnerId(row.partner_id),
            partner_name: row.name,
            partner_kind: decode(&row.kind, PartnerKind::parse)?,
            role: row.role,
        })
    }
}

macro_rules! role_select {
    () => {
        "SELECT r.initiative_id, r.partner_id, p.name, p.kind, r.role FROM initiative_partners r \
         JOIN partners p ON p.id = r.partner_id AND p.organisation_id = r.organisation_id "
    };
}

#[derive(sqlx::FromRow)]
struct LabRow {
    id: i64,
    organisation_id: i64,
    name: String,
    theme: String,
    description: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

macro_rules! lab_columns {
    () => {
        "id, organisation_id, name, theme, description, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    lab_id: i64,
    partner_id: i64,
    name: String,
    kind: String,
    contributions: String,
    description: String,
}

impl MemberRow {
    fn into_member(self) -> Result<(LabId, LabMember)> {
        Ok((
            LabId(self.lab_id),
            LabMember {
                partner_id: PartnerId(self.partner_id),
                partner_name: self.name,
                partner_kind: decode(&self.kind, PartnerKind::parse)?,
                contributions: stored_list(&self.contributions)?,
                description: self.description,
            },
        ))
    }
}

macro_rules! member_select {
    () => {
        "SELECT m.lab_id, m.partner_id, p.name, p.kind, m.contributions, m.description FROM lab_members m \
         JOIN partners p ON p.id = m.partner_id AND p.organisation_id = m.organisation_id "
    };
}

/// Puts each lab's members and hosted initiatives beside it.
fn assemble(
    rows: Vec<LabRow>,
    members: Vec<MemberRow>,
    hosted: &[(i64, i64)],
) -> Result<Vec<FutureLab>> {
    let members = members
        .into_iter()
        .map(MemberRow::into_member)
        .collect::<Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|row| FutureLab {
            id: LabId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            members: members
                .iter()
                .filter(|(lab, _)| lab.0 == row.id)
                .map(|(_, m)| m.clone())
                .collect(),
            initiative_ids: hosted
                .iter()
                .filter(|(lab, _)| *lab == row.id)
                .map(|(_, i)| InitiativeId(*i))
                .collect(),
            name: row.name,
            theme: row.theme,
            description: row.description,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

impl Store {
    /// Every partner of the organisation, by name.
    pub async fn partners(&self, organisation: OrganisationId) -> Result<Vec<Partner>> {
        let rows: Vec<PartnerRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", partner_columns!(), " FROM partners WHERE organisation_id = $1 ORDER BY LOWER(name), id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Partner::try_from).collect()
    }

    pub async fn partner(&self, organisation: OrganisationId, id: PartnerId) -> Result<Partner> {
        let row: PartnerRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", partner_columns!(), " FROM partners WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// Saves a partner (new when `before` is `None`); `Conflict` on a name
    /// the organisation already uses.
    pub async fn save_partner(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Partner>,
        spec: &PartnerSpec,
    ) -> Result<Partner> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: PartnerRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE partners SET name = $3, kind = $4, updated_at = $5 \
                     WHERE organisation_id = $1 AND id = $2 RETURNING ", partner_columns!()
                ))
                .bind(organisation)
                .bind(before.id)
                .bind(spec.name.as_str())
                .bind(spec.kind.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
                None => sqlx::query_as(concat!(
                    "INSERT INTO partners (organisation_id, name, kind, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) RETURNING ", partner_columns!()
                ))
                .bind(organisation)
                .bind(spec.name.as_str())
                .bind(spec.kind.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let after = Partner::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("partner", after.id, before, &after),
                None => Change::created("partner", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Deletes a partner that no initiative and no lab names; `Conflict`
    /// otherwise, so that no role or contribution is lost unseen.
    pub async fn delete_partner(&self, meta: &AuditMeta, partner: &Partner) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let uses: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM initiative_partners WHERE organisation_id = $1 AND partner_id = $2) \
                 + (SELECT COUNT(*) FROM lab_members WHERE organisation_id = $1 AND partner_id = $2)",
            )
            .bind(partner.organisation_id)
            .bind(partner.id)
            .fetch_one(&mut *tx)
            .await?;
            if uses > 0 {
                return Err(crate::Error::conflict("partner", "partner_in_use"));
            }
            sqlx::query("DELETE FROM partners WHERE organisation_id = $1 AND id = $2")
                .bind(partner.organisation_id)
                .bind(partner.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("partner", partner.id, partner))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The partners of one initiative, or every role of one partner, by
    /// name; `None` for both gives every role in the organisation.
    pub async fn partner_roles(
        &self,
        organisation: OrganisationId,
        initiative: Option<InitiativeId>,
        partner: Option<PartnerId>,
    ) -> Result<Vec<InitiativePartner>> {
        let rows: Vec<RoleRow> = on_pool!(self, p => sqlx::query_as(concat!(
            role_select!(),
            "WHERE r.organisation_id = $1 AND ($2 = 0 OR r.initiative_id = $2) AND ($3 = 0 OR r.partner_id = $3) \
             ORDER BY LOWER(p.name), r.initiative_id"
        ))
        .bind(organisation)
        .bind(initiative.map_or(0, |i| i.0))
        .bind(partner.map_or(0, |p| p.0))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(InitiativePartner::try_from).collect()
    }

    /// Gives a partner a role in an initiative, or changes the role.
    pub async fn set_partner_role(
        &self,
        meta: &AuditMeta,
        initiative: InitiativeId,
        partner: &Partner,
        role: &str,
    ) -> Result<InitiativePartner> {
        let organisation = partner.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<RoleRow> = sqlx::query_as(concat!(
                role_select!(), "WHERE r.organisation_id = $1 AND r.initiative_id = $2 AND r.partner_id = $3"
            ))
            .bind(organisation)
            .bind(initiative)
            .bind(partner.id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO initiative_partners (organisation_id, initiative_id, partner_id, role) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (initiative_id, partner_id) DO UPDATE SET role = excluded.role",
            )
            .bind(organisation)
            .bind(initiative)
            .bind(partner.id)
            .bind(role)
            .execute(&mut *tx)
            .await?;
            let after = InitiativePartner {
                initiative_id: initiative,
                partner_id: partner.id,
                partner_name: partner.name.clone(),
                partner_kind: partner.kind,
                role: role.to_owned(),
            };
            let id = format!("{}:{}", initiative, partner.id);
            let change = match before {
                Some(before) => Change::updated("initiative_partner", id, &InitiativePartner::try_from(before)?, &after),
                None => Change::created("initiative_partner", id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Ends a partner's role in an initiative; nothing happens when it had
    /// none.
    pub async fn remove_partner_role(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        initiative: InitiativeId,
        partner: PartnerId,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<RoleRow> = sqlx::query_as(concat!(
                role_select!(), "WHERE r.organisation_id = $1 AND r.initiative_id = $2 AND r.partner_id = $3"
            ))
            .bind(organisation)
            .bind(initiative)
            .bind(partner)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(before) = before {
                sqlx::query(
                    "DELETE FROM initiative_partners WHERE organisation_id = $1 AND initiative_id = $2 AND partner_id = $3",
                )
                .bind(organisation)
                .bind(initiative)
                .bind(partner)
                .execute(&mut *tx)
                .await?;
                let before = InitiativePartner::try_from(before)?;
                write_audit!(&mut *tx, meta, &Change::deleted("initiative_partner", format!("{initiative}:{partner}"), &before))?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every future lab of the organisation with members and hosted
    /// initiatives, by name.
    pub async fn labs(&self, organisation: OrganisationId) -> Result<Vec<FutureLab>> {
        let (rows, members, hosted): (Vec<LabRow>, Vec<MemberRow>, Vec<(i64, i64)>) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                "SELECT ", lab_columns!(), " FROM future_labs WHERE organisation_id = $1 ORDER BY LOWER(name), id"
            ))
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let members = sqlx::query_as(concat!(
                member_select!(), "WHERE m.organisation_id = $1 ORDER BY LOWER(p.name)"
            ))
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let hosted = sqlx::query_as(
                "SELECT lab_id, id FROM initiatives WHERE organisation_id = $1 AND lab_id IS NOT NULL \
                 ORDER BY LOWER(title), id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            (rows, members, hosted)
        });
        assemble(rows, members, &hosted)
    }

    pub async fn lab(&self, organisation: OrganisationId, id: LabId) -> Result<FutureLab> {
        let (row, members, hosted): (LabRow, Vec<MemberRow>, Vec<(i64, i64)>) = on_pool!(self, p => {
            let row = sqlx::query_as(concat!(
                "SELECT ", lab_columns!(), " FROM future_labs WHERE organisation_id = $1 AND id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            let members = sqlx::query_as(concat!(
                member_select!(), "WHERE m.organisation_id = $1 AND m.lab_id = $2 ORDER BY LOWER(p.name)"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            let hosted = sqlx::query_as(
                "SELECT lab_id, id FROM initiatives WHERE organisation_id = $1 AND lab_id = $2 \
                 ORDER BY LOWER(title), id",
            )
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            (row, members, hosted)
        });
        assemble(vec![row], members, &hosted)?
            .pop()
            .ok_or(crate::Error::NotFound)
    }

    /// Saves a lab (new when `before` is `None`); `Conflict` on a name the
    /// organisation already uses.
    pub async fn save_lab(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&FutureLab>,
        spec: &LabSpec,
    ) -> Result<FutureLab> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: LabRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE future_labs SET name = $3, theme = $4, description = $5, updated_at = $6 \
                     WHERE organisation_id = $1 AND id = $2 RETURNING ", lab_columns!()
                ))
                .bind(organisation)
                .bind(before.id)
                .bind(spec.name.as_str())
                .bind(&spec.theme)
                .bind(&spec.description)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
                None => sqlx::query_as(concat!(
                    "INSERT INTO future_labs (organisation_id, name, theme, description, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING ", lab_columns!()
                ))
                .bind(organisation)
                .bind(spec.name.as_str())
                .bind(&spec.theme)
                .bind(&spec.description)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let fields = |name: &str, theme: &str, description: &str| {
                serde_json::json!({"name": name, "theme": theme, "description": description})
            };
            let after = fields(&row.name, &row.theme, &row.description);
            let change = match before {
                Some(b) => Change::updated("future_lab", row.id, &fields(&b.name, &b.theme, &b.description), &after),
                None => Change::created("future_lab", row.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            row.id
        });
        self.lab(organisation, LabId(id)).await
    }

    /// Makes a partner a member of a lab, or changes what it contributes.
    pub async fn set_lab_member(
        &self,
        meta: &AuditMeta,
        lab: &FutureLab,
        partner: &Partner,
        spec: &MemberSpec,
    ) -> Result<LabMember> {
        let contributions = list_text(&spec.contributions)?;
        let after = LabMember {
            partner_id: partner.id,
            partner_name: partner.name.clone(),
            partner_kind: partner.kind,
            contributions: spec.contributions.clone(),
            description: spec.description.clone(),
        };
        let id = format!("{}:{}", lab.id, partner.id);
        let change = match lab.members.iter().find(|m| m.partner_id == partner.id) {
            Some(before) => Change::updated("lab_member", id, before, &after),
            None => Change::created("lab_member", id, &after),
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO lab_members (organisation_id, lab_id, partner_id, contributions, description) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (lab_id, partner_id) DO UPDATE SET \
                 contributions = excluded.contributions, description = excluded.description",
            )
            .bind(lab.organisation_id)
            .bind(lab.id)
            .bind(partner.id)
            .bind(&contributions)
            .bind(&spec.description)
            .execute(&mut *tx)
            .await?;
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Ends a partner's membership of a lab; nothing happens when it was
    /// not a member.
    pub async fn remove_lab_member(
        &self,
        meta: &AuditMeta,
        lab: &FutureLab,
        partner: PartnerId,
    ) -> Result<()> {
        let Some(before) = lab.members.iter().find(|m| m.partner_id == partner) else {
            return Ok(());
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM lab_members WHERE organisation_id = $1 AND lab_id = $2 AND partner_id = $3")
                .bind(lab.organisation_id)
                .bind(lab.id)
                .bind(partner)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("lab_member", format!("{}:{partner}", lab.id), before))?;
            tx.commit().await?;
            Ok(())
        })
    }
}
