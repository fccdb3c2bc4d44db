//! Initiatives, their links and gate decisions. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, list_text, on_pool, stored_list};
use crate::Result;
use crate::domain::{
    AmbitionId, BodyId, GateDecisionId, IndicatorId, InitiativeId, LabId, Money, OrganisationId,
    UnitId, UserId,
};
use crate::governance::spec::show_day;
use crate::portfolio::funding::{
    FundingLine, FundingSource, FundingSpec, FundingStatus, SpendEntry, SpendSpec,
};
use crate::portfolio::spec::{GateSpec, InitiativeSpec};
use crate::portfolio::{
    EffectDirection, Evidence, GateDecision, GateOutcome, IndicatorLink, Initiative,
    InitiativeKind, Stage,
};

#[derive(sqlx::FromRow)]
struct InitiativeRow {
    id: i64,
    organisation_id: i64,
    kind: String,
    title: String,
    problem: String,
    hypothesis: String,
    learning_goals: String,
    technologies: String,
    owner_user_id: Option<i64>,
    unit_id: Option<i64>,
    go_live_on: Option<i64>,
    stage: String,
    cost_estimate_cents: Option<i64>,
    lab_id: Option<i64>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    intervention_id: Option<i64>,
    intervention_dimension: Option<String>,
    baseline_wave_id: Option<i64>,
    version: i64,
}

impl InitiativeRow {
    fn into_initiative(
        self,
        ambition_ids: Vec<AmbitionId>,
        indicators: Vec<IndicatorLink>,
    ) -> Result<Initiative> {
        Ok(Initiative {
            id: InitiativeId(self.id),
            organisation_id: OrganisationId(self.organisation_id),
            kind: decode(&self.kind, InitiativeKind::parse)?,
            title: self.title,
            problem: self.problem,
            hypothesis: self.hypothesis,
            learning_goals: stored_list(&self.learning_goals)?,
            technologies: stored_list(&self.technologies)?,
            owner_id: self.owner_user_id.map(UserId),
            unit_id: self.unit_id.map(UnitId),
            go_live_on: self.go_live_on.map(show_day),
            stage: decode(&self.stage, Stage::parse)?,
            cost_estimate: self.cost_estimate_cents.map(Money::from_cents),
            ambition_ids,
            indicators,
            lab_id: self.lab_id.map(LabId),
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
            intervention: match (self.intervention_id, self.intervention_dimension) {
                (Some(id), Some(dimension)) => {
                    Some(crate::surveys::interventions::InterventionLink {
                        intervention_id: crate::domain::InterventionId(id),
                        dimension,
                        baseline_wave_id: self.baseline_wave_id.map(crate::domain::WaveId),
                    })
                }
                _ => None,
            },
        })
    }
}

/// (initiative, indicator, direction, expected size, control) of an effect link.
type EffectRow = (i64, i64, String, Option<f64>, Option<i64>);
/// (indicator, direction, expected size, control) of one initiative's effect link.
type OwnEffectRow = (i64, String, Option<f64>, Option<i64>);

macro_rules! initiative_columns {
    () => {
        "id, organisation_id, kind, title, problem, hypothesis, learning_goals, technologies, owner_user_id, \
         unit_id, go_live_on, stage, cost_estimate_cents, lab_id, created_at, updated_at, intervention_id, \
         intervention_dimension, baseline_wave_id, version"
    };
}

#[derive(sqlx::FromRow)]
struct GateRow {
    id: i64,
    organisation_id: i64,
    initiative_id: i64,
    from_stage: String,
    to_stage: String,
    decision: String,
    evidence: String,
    criteria: String,
    body_id: Option<i64>,
    decided_by: String,
    decided_on: i64,
    learning: String,
    created_at: OffsetDateTime,
}

impl TryFrom<GateRow> for GateDecision {
    type Error = crate::Error;

    fn try_from(row: GateRow) -> Result<Self> {
        let evidence: Vec<Evidence> = stored_list(&row.evidence)?;
        Ok(GateDecision {
            id: GateDecisionId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            initiative_id: InitiativeId(row.initiative_id),
            from_stage: decode(&row.from_stage, Stage::parse)?,
            to_stage: decode(&row.to_stage, Stage::parse)?,
            outcome: decode(&row.decision, GateOutcome::parse)?,
            evidence,
            criteria: row.criteria,
            body_id: row.body_id.map(BodyId),
            decided_by: row.decided_by,
            decided_on: show_day(row.decided_on),
            learning: row.learning,
            created_at: row.created_at,
        })
    }
}

macro_rules! gate_columns {
    () => {
        "id, organisation_id, initiative_id, from_stage, to_stage, decision, evidence, criteria, body_id, \
         decided_by, decided_on, learning, created_at"
    };
}

impl Store {
    /// Every initiative of the organisation with its links, by title.
    /// Portfolios hold tens to hundreds of initiatives.
    pub async fn initiatives(&self, organisation: OrganisationId) -> Result<Vec<Initiative>> {
        let (rows, ambitions, indicators): (Vec<InitiativeRow>, Vec<(i64, i64)>, Vec<EffectRow>) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                "SELECT ", initiative_columns!(),
                " FROM initiatives WHERE organisation_id = $1 ORDER BY LOWER(title), id"
            ))
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let ambitions = sqlx::query_as(
                "SELECT initiative_id, ambition_id FROM initiative_ambitions WHERE organisation_id = $1 \
                 ORDER BY ambition_id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let indicators = sqlx::query_as(
                "SELECT initiative_id, indicator_id, direction, expected_size, control_indicator_id \
                 FROM initiative_indicators WHERE organisation_id = $1 ORDER BY indicator_id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            (rows, ambitions, indicators)
        });
        rows.into_iter()
            .map(|row| {
                let id = row.id;
                let links = ambitions
                    .iter()
                    .filter(|(i, _)| *i == id)
                    .map(|(_, a)| AmbitionId(*a))
                    .collect();
                let effects = indicators
                    .iter()
                    .filter(|(i, ..)| *i == id)
                    .map(|(_, indicator, direction, size, control)| {
                        Ok(IndicatorLink {
                            indicator_id: IndicatorId(*indicator),
                            direction: decode(direction, EffectDirection::parse)?,
                            expected_size: *size,
                            control_indicator_id: control.map(IndicatorId),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                row.into_initiative(links, effects)
            })
            .collect()
    }

    pub async fn initiative(
        &self,
        organisation: OrganisationId,
        id: InitiativeId,
    ) -> Result<Initiative> {
        let (row, ambitions, indicators): (InitiativeRow, Vec<i64>, Vec<OwnEffectRow>) = on_pool!(self, p => {
            let row = sqlx::query_as(concat!(
                "SELECT ", initiative_columns!(),
                " FROM initiatives WHERE organisation_id = $1 AND id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            let ambitions = sqlx::query_scalar(
                "SELECT ambition_id FROM initiative_ambitions WHERE organisation_id = $1 AND initiative_id = $2 \
                 ORDER BY ambition_id",
            )
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            let indicators = sqlx::query_as(
                "SELECT indicator_id, direction, expected_size, control_indicator_id FROM initiative_indicators \
                 WHERE organisation_id = $1 AND initiative_id = $2 ORDER BY indicator_id",
            )
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            (row, ambitions, indicators)
        });
        let effects = indicators
            .into_iter()
            .map(|(indicator, direction, size, control)| {
                Ok(IndicatorLink {
                    indicator_id: IndicatorId(indicator),
                    direction: decode(&direction, EffectDirection::parse)?,
                    expected_size: size,
                    control_indicator_id: control.map(IndicatorId),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        row.into_initiative(ambitions.into_iter().map(AmbitionId).collect(), effects)
    }

    /// Saves an initiative with exactly the given links (new when `before`
    /// is `None`; a new one starts as an idea). The stage is not touched.
    pub async fn save_initiative(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Initiative>,
        spec: &InitiativeSpec,
    ) -> Result<Initiative> {
        let goals = list_text(&spec.learning_goals)?;
        let technologies = list_text(&spec.technologies)?;
        let cost = spec.cost_estimate.map(Money::cents);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                Some(before) => sqlx::query_scalar(
                    "UPDATE initiatives SET kind = $3, title = $4, problem = $5, hypothesis = $6, learning_goals = $7, \
                     technologies = $8, owner_user_id = $9, unit_id = $10, go_live_on = $11, cost_estimate_cents = $12, \
                     updated_at = $13, lab_id = $14, version = version + 1 \
                     WHERE organisation_id = $1 AND id = $2 AND version = $15 RETURNING id",
                )
                .bind(organisation)
                .bind(before.id)
                .bind(spec.kind.code())
                .bind(spec.title.as_str())
                .bind(&spec.problem)
                .bind(&spec.hypothesis)
                .bind(&goals)
                .bind(&technologies)
                .bind(spec.owner_id)
                .bind(spec.unit_id)
                .bind(spec.go_live_on)
                .bind(cost)
                .bind(meta.at)
                .bind(spec.lab_id)
                // The version the change was made from: the one the caller
                // read, or the one just loaded when they did not say.
                .bind(spec.expected_version.unwrap_or(before.version))
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| crate::Error::conflict("version", "edit_conflict"))?,
                None => sqlx::query_scalar(
                    "INSERT INTO initiatives (organisation_id, kind, title, problem, hypothesis, learning_goals, \
                     technologies, owner_user_id, unit_id, go_live_on, stage, cost_estimate_cents, lab_id, created_at, updated_at, \
                     intervention_id, intervention_dimension, baseline_wave_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'idea', $11, $13, $12, $12, $14, $15, $16) RETURNING id",
                )
                .bind(organisation)
                .bind(spec.kind.code())
                .bind(spec.title.as_str())
                .bind(&spec.problem)
                .bind(&spec.hypothesis)
                .bind(&goals)
                .bind(&technologies)
                .bind(spec.owner_id)
                .bind(spec.unit_id)
                .bind(spec.go_live_on)
                .bind(cost)
                .bind(meta.at)
                .bind(spec.lab_id)
                .bind(spec.intervention.as_ref().map(|i| i.intervention_id))
                .bind(spec.intervention.as_ref().map(|i| i.dimension.as_str()))
                .bind(spec.intervention.as_ref().and_then(|i| i.baseline_wave_id))
                .fetch_one(&mut *tx)
                .await?,
            };
            if let (None, Some(idea)) = (before, spec.from_idea) {
                super::ideas::link_idea_to!(&mut *tx, meta, organisation, idea, id)?;
            }
            sqlx::query("DELETE FROM initiative_ambitions WHERE organisation_id = $1 AND initiative_id = $2")
                .bind(organisation)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM initiative_indicators WHERE organisation_id = $1 AND initiative_id = $2")
                .bind(organisation)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for ambition in &spec.ambition_ids {
                sqlx::query(
                    "INSERT INTO initiative_ambitions (organisation_id, initiative_id, ambition_id) VALUES ($1, $2, $3)",
                )
                .bind(organisation)
                .bind(id)
                .bind(*ambition)
                .execute(&mut *tx)
                .await?;
            }
            for link in &spec.indicators {
                sqlx::query(
                    "INSERT INTO initiative_indicators (organisation_id, initiative_id, indicator_id, direction, \
                     expected_size, control_indicator_id) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(organisation)
                .bind(id)
                .bind(link.indicator_id)
                .bind(link.direction.code())
                .bind(link.expected_size)
                .bind(link.control_indicator_id)
                .execute(&mut *tx)
                .await?;
            }
            let row: InitiativeRow = sqlx::query_as(concat!(
                "SELECT ", initiative_columns!(), " FROM initiatives WHERE organisation_id = $1 AND id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let after = row.into_initiative(spec.ambition_ids.clone(), spec.indicators.clone())?;
            let change = match before {
                Some(before) => Change::updated("initiative", after.id, before, &after),
                None => Change::created("initiative", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// An initiative's gate decisions, oldest first.
    pub async fn gate_decisions(
        &self,
        organisation: OrganisationId,
        initiative: InitiativeId,
    ) -> Result<Vec<GateDecision>> {
        let rows: Vec<GateRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", gate_columns!(),
            " FROM gate_decisions WHERE organisation_id = $1 AND initiative_id = $2 ORDER BY decided_on, id"
        ))
        .bind(organisation)
        .bind(initiative)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(GateDecision::try_from).collect()
    }

    /// Records a gate decision and moves the initiative, in one
    /// transaction; `Conflict` when someone moved it meanwhile.
    pub async fn record_gate(
        &self,
        meta: &AuditMeta,
        initiative: &Initiative,
        spec: &GateSpec,
    ) -> Result<GateDecision> {
        let evidence = list_text(&spec.evidence)?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE initiatives SET stage = $4, updated_at = $5, version = version + 1 \
                 WHERE organisation_id = $1 AND id = $2 AND stage = $3 AND version = $6",
            )
            .bind(initiative.organisation_id)
            .bind(initiative.id)
            .bind(spec.from_stage.code())
            .bind(spec.to_stage.code())
            .bind(meta.at)
            // The version the decision was taken on: the caller's, or the
            // one loaded for this request.
            .bind(spec.expected_version.unwrap_or(initiative.version))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Err(crate::Error::conflict("outcome", "changed_meanwhile"));
            }
            let row: GateRow = sqlx::query_as(concat!(
                "INSERT INTO gate_decisions (organisation_id, initiative_id, from_stage, to_stage, decision, evidence, \
                 criteria, body_id, decided_by, decided_on, learning, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ",
                gate_columns!()
            ))
            .bind(initiative.organisation_id)
            .bind(initiative.id)
            .bind(spec.from_stage.code())
            .bind(spec.to_stage.code())
            .bind(spec.outcome.code())
            .bind(&evidence)
            .bind(&spec.criteria)
            .bind(spec.body_id)
            .bind(&spec.decided_by)
            .bind(spec.decided_on)
            .bind(&spec.learning)
            .bind(meta.actor_user_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let decision = GateDecision::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("gate_decision", decision.id, &decision))?;
            let stage_change = Change::new(
                "move",
                "initiative",
                initiative.id,
                Some(serde_json::json!({"stage": spec.from_stage})),
                Some(serde_json::json!({"stage": spec.to_stage})),
            );
            write_audit!(&mut *tx, meta, &stage_change)?;
            tx.commit().await?;
            Ok(decision)
        })
    }

    /// All governance bodies of the organisation, for gate decisions.
    pub async fn body_names(&self, organisation: OrganisationId) -> Result<Vec<(BodyId, String)>> {
        let rows: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name FROM governance_bodies WHERE organisation_id = $1 ORDER BY name",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, name)| (BodyId(id), name))
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct FundingRow {
    id: i64,
    organisation_id: i64,
    initiative_id: i64,
    source: String,
    funder: String,
    scheme: String,
    status: String,
    year: i64,
    amount_cents: i64,
    note: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<FundingRow> for FundingLine {
    type Error = crate::Error;

    fn try_from(row: FundingRow) -> Result<Self> {
        Ok(FundingLine {
            id: row.id,
            organisation_id: OrganisationId(row.organisation_id),
            initiative_id: InitiativeId(row.initiative_id),
            source: decode(&row.source, FundingSource::parse)?,
            funder: row.funder,
            scheme: row.scheme,
            status: decode(&row.status, FundingStatus::parse)?,
            year: row.year,
            amount: Money::from_cents(row.amount_cents),
            note: row.note,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! funding_columns {
    () => {
        "id, organisation_id, initiative_id, source, funder, scheme, status, year, amount_cents, note, \
         created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct SpendRow {
    id: i64,
    organisation_id: i64,
    initiative_id: i64,
    spent_on: i64,
    amount_cents: i64,
    source: String,
    description: String,
    created_at: OffsetDateTime,
}

impl TryFrom<SpendRow> for SpendEntry {
    type Error = crate::Error;

    fn try_from(row: SpendRow) -> Result<Self> {
        Ok(SpendEntry {
            id: row.id,
            organisation_id: OrganisationId(row.organisation_id),
            initiative_id: InitiativeId(row.initiative_id),
            spent_on: show_day(row.spent_on),
            amount: Money::from_cents(row.amount_cents),
            source: decode(&row.source, FundingSource::parse)?,
            description: row.description,
            created_at: row.created_at,
        })
    }
}

macro_rules! spend_columns {
    () => {
        "id, organisation_id, initiative_id, spent_on, amount_cents, source, description, created_at"
    };
}

impl Store {
    /// Funding lines of one initiative, or of the whole portfolio when
    /// `initiative` is `None`, by year.
    pub async fn funding_lines(
        &self,
        organisation: OrganisationId,
        initiative: Option<InitiativeId>,
    ) -> Result<Vec<FundingLine>> {
        let rows: Vec<FundingRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", funding_columns!(),
            " FROM initiative_funding WHERE organisation_id = $1 AND ($2 = 0 OR initiative_id = $2) \
             ORDER BY year, source, id"
        ))
        .bind(organisation)
        .bind(initiative.map_or(0, |i| i.0))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(FundingLine::try_from).collect()
    }

    /// The spend ledger of one initiative or of the whole portfolio, by date.
    pub async fn spend_entries(
        &self,
        organisation: OrganisationId,
        initiative: Option<InitiativeId>,
    ) -> Result<Vec<SpendEntry>> {
        let rows: Vec<SpendRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", spend_columns!(),
            " FROM initiative_spend WHERE organisation_id = $1 AND ($2 = 0 OR initiative_id = $2) \
             ORDER BY spent_on, id"
        ))
        .bind(organisation)
        .bind(initiative.map_or(0, |i| i.0))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(SpendEntry::try_from).collect()
    }

    pub async fn add_funding_line(
        &self,
        meta: &AuditMeta,
        initiative: &Initiative,
        spec: &FundingSpec,
    ) -> Result<FundingLine> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: FundingRow = sqlx::query_as(concat!(
                "INSERT INTO initiative_funding (organisation_id, initiative_id, source, funder, scheme, status, year, \
                 amount_cents, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                 RETURNING ", funding_columns!()
            ))
            .bind(initiative.organisation_id)
            .bind(initiative.id)
            .bind(spec.source.code())
            .bind(&spec.funder)
            .bind(&spec.scheme)
            .bind(spec.status.code())
            .bind(spec.year)
            .bind(spec.amount.cents())
            .bind(&spec.note)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let line = FundingLine::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("initiative_funding", line.id, &line))?;
            tx.commit().await?;
            Ok(line)
        })
    }

    pub async fn add_spend(
        &self,
        meta: &AuditMeta,
        initiative: &Initiative,
        spec: &SpendSpec,
    ) -> Result<SpendEntry> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: SpendRow = sqlx::query_as(concat!(
                "INSERT INTO initiative_spend (organisation_id, initiative_id, spent_on, amount_cents, source, \
                 description, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ", spend_columns!()
            ))
            .bind(initiative.organisation_id)
            .bind(initiative.id)
            .bind(spec.spent_on)
            .bind(spec.amount.cents())
            .bind(spec.source.code())
            .bind(&spec.description)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let entry = SpendEntry::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("initiative_spend", entry.id, &entry))?;
            tx.commit().await?;
            Ok(entry)
        })
    }
}
