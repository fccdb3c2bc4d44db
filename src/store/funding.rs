//! Budget lines and the carry-over register. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{BudgetLineId, CarryOverId, OrganisationId, ProgrammeId, UserId};
use crate::governance::Programme;
use crate::governance::funding::{
    BudgetLine, BudgetLineSpec, BudgetSource, CarryOverItem, CarryOverSpec, CarryOverStatus,
};

#[derive(sqlx::FromRow)]
struct BudgetRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    year: i64,
    amount: f64,
    source: String,
    funder: String,
    scheme: String,
    note: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<BudgetRow> for BudgetLine {
    type Error = crate::Error;

    fn try_from(row: BudgetRow) -> Result<Self> {
        Ok(BudgetLine {
            id: BudgetLineId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            programme_id: ProgrammeId(row.programme_id),
            year: row.year,
            amount: row.amount,
            source: decode(&row.source, BudgetSource::parse)?,
            funder: row.funder,
            scheme: row.scheme,
            note: row.note,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! budget_columns {
    () => {
        "id, organisation_id, programme_id, year, amount, source, funder, scheme, note, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct CarryOverRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    goal: String,
    origin: String,
    consequence: String,
    owner_user_id: Option<i64>,
    owner_name: String,
    plan: String,
    status: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<CarryOverRow> for CarryOverItem {
    type Error = crate::Error;

    fn try_from(row: CarryOverRow) -> Result<Self> {
        Ok(CarryOverItem {
            id: CarryOverId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            programme_id: ProgrammeId(row.programme_id),
            goal: row.goal,
            origin: row.origin,
            consequence: row.consequence,
            owner_id: row.owner_user_id.map(UserId),
            owner_name: row.owner_name,
            plan: row.plan,
            status: decode(&row.status, CarryOverStatus::parse)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! carry_over_columns {
    () => {
        "id, organisation_id, programme_id, goal, origin, consequence, owner_user_id, owner_name, plan, status, \
         created_at, updated_at"
    };
}

impl Store {
    /// A programme's budget lines by year, then source.
    pub async fn budget_lines(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<BudgetLine>> {
        let rows: Vec<BudgetRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", budget_columns!(),
            " FROM budget_lines WHERE organisation_id = $1 AND programme_id = $2 ORDER BY year, source, id"
        ))
        .bind(organisation)
        .bind(programme)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(BudgetLine::try_from).collect()
    }

    pub async fn budget_line(
        &self,
        organisation: OrganisationId,
        id: BudgetLineId,
    ) -> Result<BudgetLine> {
        let row: BudgetRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", budget_columns!(), " FROM budget_lines WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn save_budget_line(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        before: Option<&BudgetLine>,
        spec: &BudgetLineSpec,
    ) -> Result<BudgetLine> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: BudgetRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE budget_lines SET year = $3, amount = $4, source = $5, funder = $6, scheme = $7, \
                     note = $8, updated_at = $9 WHERE organisation_id = $1 AND id = $2 RETURNING ",
                    budget_columns!()
                ))
                .bind(programme.organisation_id)
                .bind(before.id)
                .bind(spec.year)
                .bind(spec.amount)
                .bind(spec.source.code())
                .bind(&spec.funder)
                .bind(&spec.scheme)
                .bind(&spec.note)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await?,
                None => sqlx::query_as(concat!(
                    "INSERT INTO budget_lines (organisation_id, programme_id, year, amount, source, funder, scheme, \
                     note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ",
                    budget_columns!()
                ))
                .bind(programme.organisation_id)
                .bind(programme.id)
                .bind(spec.year)
                .bind(spec.amount)
                .bind(spec.source.code())
                .bind(&spec.funder)
                .bind(&spec.scheme)
                .bind(&spec.note)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await?,
            };
            let after = BudgetLine::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("budget_line", after.id, before, &after),
                None => Change::created("budget_line", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    pub async fn delete_budget_line(&self, meta: &AuditMeta, before: &BudgetLine) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM budget_lines WHERE organisation_id = $1 AND id = $2")
                .bind(before.organisation_id)
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("budget_line", before.id, before))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A programme's carried-over goals: open ones first.
    pub async fn carry_over_items(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<CarryOverItem>> {
        let rows: Vec<CarryOverRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", carry_over_columns!(),
            " FROM carry_over_items WHERE organisation_id = $1 AND programme_id = $2 \
             ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END, id"
        ))
        .bind(organisation)
        .bind(programme)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(CarryOverItem::try_from).collect()
    }

    pub async fn carry_over_item(
        &self,
        organisation: OrganisationId,
        id: CarryOverId,
    ) -> Result<CarryOverItem> {
        let row: CarryOverRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", carry_over_columns!(), " FROM carry_over_items WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn save_carry_over(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        before: Option<&CarryOverItem>,
        spec: &CarryOverSpec,
    ) -> Result<CarryOverItem> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: CarryOverRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE carry_over_items SET goal = $3, origin = $4, consequence = $5, owner_user_id = $6, \
                     owner_name = $7, plan = $8, status = $9, updated_at = $10 \
                     WHERE organisation_id = $1 AND id = $2 RETURNING ",
                    carry_over_columns!()
                ))
                .bind(programme.organisation_id)
                .bind(before.id)
                .bind(&spec.goal)
                .bind(&spec.origin)
                .bind(&spec.consequence)
                .bind(spec.owner_id)
                .bind(&spec.owner_name)
                .bind(&spec.plan)
                .bind(spec.status.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await?,
                None => sqlx::query_as(concat!(
                    "INSERT INTO carry_over_items (organisation_id, programme_id, goal, origin, consequence, \
                     owner_user_id, owner_name, plan, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ",
                    carry_over_columns!()
                ))
                .bind(programme.organisation_id)
                .bind(programme.id)
                .bind(&spec.goal)
                .bind(&spec.origin)
                .bind(&spec.consequence)
                .bind(spec.owner_id)
                .bind(&spec.owner_name)
                .bind(&spec.plan)
                .bind(spec.status.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await?,
            };
            let after = CarryOverItem::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("carry_over_item", after.id, before, &after),
                None => Change::created("carry_over_item", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }
}
