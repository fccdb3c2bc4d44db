use time::OffsetDateTime;

use super::BeginWrite as _;
use super::append::AppendMeasurements as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, conflict_on_unique, decode, on_pool};
use crate::Result;
use crate::domain::{
    Aggregation, Direction, Frequency, IndicatorId, MeasurementId, OrganisationId, Period,
    Perspective, TargetId, UnitId, UserId, ValueUnit,
};
use crate::indicators::{
    BatchResult, Indicator, IndicatorSpec, IndicatorSummary, LatestValue, Measurement,
    MeasurementSpec, Target, TargetSpec,
};
use crate::pagination::{Page, PageRequest};

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: i64,
    code: String,
    name: String,
    description: String,
    perspective: String,
    value_unit: String,
    min_value: Option<f64>,
    max_value: Option<f64>,
    direction: String,
    range_low: Option<f64>,
    range_high: Option<f64>,
    frequency: String,
    aggregation: String,
    baseline_value: Option<f64>,
    baseline_period: Option<i64>,
    owner_user_id: Option<i64>,
    responsible_unit_id: Option<i64>,
    data_source: String,
    published: bool,
    dimensions: String,
    formula: Option<String>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    version: i64,
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = crate::Error;

    fn try_from(row: IndicatorRow) -> Result<Self> {
        let frequency = decode(&row.frequency, Frequency::parse)?;
        Ok(Indicator {
            id: IndicatorId(row.id),
            code: row.code,
            name: row.name,
            description: row.description,
            perspective: decode(&row.perspective, Perspective::parse)?,
            unit: decode(&row.value_unit, ValueUnit::parse)?,
            min_value: row.min_value,
            max_value: row.max_value,
            direction: decode(&row.direction, Direction::parse)?,
            range_low: row.range_low,
            range_high: row.range_high,
            frequency,
            aggregation: decode(&row.aggregation, Aggregation::parse)?,
            baseline_value: row.baseline_value,
            baseline_period: row
                .baseline_period
                .map(|d| Period::from_day_number(frequency, d).label()),
            owner_id: row.owner_user_id.map(UserId),
            responsible_unit_id: row.responsible_unit_id.map(UnitId),
            data_source: row.data_source,
            published: row.published,
            dimensions: serde_json::from_str(&row.dimensions)
                .map_err(|e| crate::Error::unreadable("stored dimensions", &e))?,
            formula: row.formula,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    indicator: IndicatorRow,
    latest_period: Option<i64>,
    latest_value: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct PageTargetRow {
    indicator_id: i64,
    #[sqlx(flatten)]
    target: TargetRow,
}

#[derive(Clone, sqlx::FromRow)]
struct TargetRow {
    id: i64,
    target_day: i64,
    value: f64,
    reason: String,
    created_by: Option<i64>,
    created_at: OffsetDateTime,
    superseded_at: Option<OffsetDateTime>,
}

impl From<TargetRow> for Target {
    fn from(row: TargetRow) -> Self {
        Target {
            id: TargetId(row.id),
            date: Period::from_day_number(Frequency::Day, row.target_day).label(),
            value: row.value,
            reason: row.reason,
            created_by: row.created_by.map(UserId),
            created_at: row.created_at,
            superseded_at: row.superseded_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MeasurementRow {
    id: i64,
    period_start: i64,
    dimension_key: String,
    value: f64,
    note: String,
    source: String,
    recorded_by: Option<i64>,
    recorded_at: OffsetDateTime,
}

impl MeasurementRow {
    fn into_measurement(self, frequency: Frequency) -> Measurement {
        Measurement {
            id: MeasurementId(self.id),
            period: Period::from_day_number(frequency, self.period_start).label(),
            dimensions: crate::indicators::dimensions::values_of(&self.dimension_key),
            value: self.value,
            note: self.note,
            source: self.source,
            recorded_by: self.recorded_by.map(UserId),
            recorded_at: self.recorded_at,
        }
    }
}

/// One indicator's values in one coarser period.
#[derive(Debug, Clone)]
pub struct RollupRow {
    pub indicator_id: i64,
    pub period: String,
    pub total: f64,
    pub mean: f64,
    pub last: f64,
    pub count: i64,
}

/// Filters and order for the overview; all optional.
#[derive(Debug, Clone, Default)]
pub struct IndicatorFilter {
    pub perspective: Option<Perspective>,
    pub unit: Option<ValueUnit>,
    pub owner: Option<UserId>,
    pub search: String,
    /// Applied after the status is assessed (see `indicators::service`).
    pub status: Option<crate::indicators::Status>,
    pub sort: IndicatorSort,
    /// Only indicators marked for the public dashboard.
    pub published_only: bool,
    /// Only indicators linked to this ambition.
    pub ambition: Option<crate::domain::AmbitionId>,
}

/// How the overview is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IndicatorSort {
    #[default]
    Code,
    Name,
    /// Worst status first; sorted after assessment.
    Status,
}

impl IndicatorSort {
    pub const ALL: [IndicatorSort; 3] = [Self::Code, Self::Name, Self::Status];

    pub fn code(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Status => "status",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == input.trim())
            .ok_or("unknown_choice")
    }
}

macro_rules! indicator_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "id, ",
            $prefix,
            "code, ",
            $prefix,
            "name, ",
            $prefix,
            "description, ",
            $prefix,
            "perspective, ",
            $prefix,
            "value_unit, ",
            $prefix,
            "min_value, ",
            $prefix,
            "max_value, ",
            $prefix,
            "direction, ",
            $prefix,
            "range_low, ",
            $prefix,
            "range_high, ",
            $prefix,
            "frequency, ",
            $prefix,
            "aggregation, ",
            $prefix,
            "baseline_value, ",
            $prefix,
            "baseline_period, ",
            $prefix,
            "owner_user_id, ",
            $prefix,
            "responsible_unit_id, ",
            $prefix,
            "data_source, ",
            $prefix,
            "published, ",
            $prefix,
            "dimensions, ",
            $prefix,
            "formula, ",
            $prefix,
            "created_at, ",
            $prefix,
            "updated_at, ",
            $prefix,
            "version"
        )
    };
}

macro_rules! summary_where {
    () => {
        " WHERE i.organisation_id = $1 \
          AND ($2 = '' OR i.perspective = $2) \
          AND ($3 = 0 OR i.owner_user_id = $3) \
          AND ($4 = '' OR LOWER(i.name) LIKE '%' || $4 || '%' OR LOWER(i.code) LIKE '%' || $4 || '%') \
          AND ($5 = '' OR i.value_unit = $5) \
          AND ($6 = 0 OR i.published) \
          AND ($7 = 0 OR i.id IN (SELECT ai.indicator_id FROM ambition_indicators ai \
              WHERE ai.ambition_id = $7 AND ai.organisation_id = $1))"
    };
}

/// The overview's order: by code, or by name when `$8` says so.
macro_rules! summary_order {
    () => {
        " ORDER BY CASE WHEN $8 = 'name' THEN LOWER(i.name) ELSE i.code END, i.id"
    };
}

const SUMMARY_PAGE: &str = concat!(
    "SELECT ",
    indicator_columns!("i."),
    ", (SELECT m.period_start FROM measurements m WHERE m.indicator_id = i.id AND m.dimension_key = '' \
        ORDER BY m.period_start DESC LIMIT 1) AS latest_period, \
     (SELECT m.value FROM measurements m WHERE m.indicator_id = i.id AND m.dimension_key = '' \
        ORDER BY m.period_start DESC LIMIT 1) AS latest_value \
     FROM indicators i",
    summary_where!(),
    summary_order!(),
    " LIMIT $9 OFFSET $10"
);
/// The current (not superseded) targets of the indicators on one page.
const SUMMARY_TARGETS: &str = concat!(
    "SELECT indicator_id, id, target_day, value, reason, created_by, created_at, superseded_at \
     FROM indicator_targets WHERE organisation_id = $1 AND superseded_at IS NULL AND indicator_id IN \
     (SELECT i.id FROM indicators i",
    summary_where!(),
    summary_order!(),
    " LIMIT $9 OFFSET $10) ORDER BY indicator_id, target_day"
);
/// The recent values of the indicators on one page, enough for each
/// frequency's trend window (see `indicators::status`), packed one row per
/// indicator as `day:value,day:value,…` by `$agg`: fetching thousands of
/// single rows costs far more than the query (sqlx hands SQLite rows over
/// one by one). Each page indicator's window start is computed first, so
/// every lookup is a range scan of the (indicator, period) index however
/// long the history behind it.
macro_rules! summary_recent {
    ($agg:literal) => {
        concat!(
            "SELECT m.indicator_id, ",
            $agg,
            " FROM (SELECT i.id, $11 - CASE i.frequency WHEN 'day' THEN 45 WHEN 'week' THEN 120 \
                 WHEN 'month' THEN 400 WHEN 'quarter' THEN 600 ELSE 1600 END AS since FROM indicators i",
            summary_where!(),
            summary_order!(),
            // CROSS JOIN keeps SQLite's planner from starting at measurements.
            " LIMIT $9 OFFSET $10) p CROSS JOIN measurements m \
             WHERE m.indicator_id = p.id AND m.period_start >= p.since \
             AND m.organisation_id = $1 AND m.dimension_key = '' GROUP BY m.indicator_id"
        )
    };
}
const SUMMARY_RECENT_SQLITE: &str =
    summary_recent!("group_concat(m.period_start || ':' || m.value, ',' ORDER BY m.period_start)");
const SUMMARY_RECENT_POSTGRES: &str =
    summary_recent!("string_agg(m.period_start || ':' || m.value, ',' ORDER BY m.period_start)");

/// Reads `day:value,day:value` back.
fn unpack_recent(packed: &str) -> Vec<(i64, f64)> {
    packed
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .filter_map(|(day, value)| Some((day.parse().ok()?, value.parse().ok()?)))
        .collect()
}

const SUMMARY_COUNT: &str = concat!("SELECT COUNT(*) FROM indicators i", summary_where!());
const INDICATOR_BY_ID: &str = concat!(
    "SELECT ",
    indicator_columns!(""),
    " FROM indicators WHERE organisation_id = $1 AND id = $2"
);

/// Adds new totals to their month (see migration 0005): sums and counts
/// grow, the last value moves when the new day is later.
macro_rules! month_add_conflict {
    () => {
        " ON CONFLICT (indicator_id, month_start) DO UPDATE SET \
         total = measurement_months.total + excluded.total, \
         count = measurement_months.count + excluded.count, \
         last_value = CASE WHEN excluded.last_day >= measurement_months.last_day \
             THEN excluded.last_value ELSE measurement_months.last_value END, \
         last_day = CASE WHEN excluded.last_day >= measurement_months.last_day \
             THEN excluded.last_day ELSE measurement_months.last_day END"
    };
}
const MONTH_ADD_CONFLICT: &str = month_add_conflict!();
const MONTH_ADD: &str = concat!(
    "INSERT INTO measurement_months (organisation_id, indicator_id, month_start, total, count, last_day, last_value) \
     VALUES ($1, $2, $3, $4, 1, $5, $4)",
    month_add_conflict!()
);
/// A changed total moves its month's sum by the difference.
const MONTH_CHANGE: &str = "UPDATE measurement_months SET total = total + $3, \
     last_value = CASE WHEN last_day = $4 THEN $5 ELSE last_value END \
     WHERE indicator_id = $1 AND month_start = $2";

/// The day number of the first day of `period`'s month.
fn month_of(period: Period) -> i64 {
    Period::containing(Frequency::Month, period.start()).day_number()
}

/// Upserts one indicator's batch inside transaction `$tx`, counting into
/// `$result`; every change gets its audit event.
macro_rules! upsert_batch {
    ($tx:ident, $meta:expr, $indicator:expr, $batch:expr, $source:expr, $result:ident) => {{
        let meta: &AuditMeta = $meta;
        let indicator: &Indicator = $indicator;
        let source: &str = $source;
        for item in $batch {
            let existing: Option<(i64, f64, String)> = sqlx::query_as(
                "SELECT id, value, note FROM measurements \
                 WHERE indicator_id = $1 AND period_start = $2 AND dimension_key = $3",
            )
            .bind(indicator.id)
            .bind(item.period.day_number())
            .bind(&item.dimension_key)
            .fetch_optional(&mut *$tx)
            .await?;
            let label = item.period.label();
            match existing {
                Some((_, value, note)) if value == item.value && note == item.note => $result.unchanged += 1,
                Some((id, value, note)) => {
                    sqlx::query(
                        "UPDATE measurements SET value = $2, note = $3, source = $4, recorded_by = $5, recorded_at = $6 \
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(item.value)
                    .bind(&item.note)
                    .bind(source)
                    .bind(meta.actor_user_id)
                    .bind(meta.at)
                    .execute(&mut *$tx)
                    .await?;
                    let change = Change::updated(
                        "measurement",
                        id,
                        &serde_json::json!({ "indicator": indicator.code, "period": label, "dimensions": item.dimension_key, "value": value, "note": note }),
                        &serde_json::json!({ "indicator": indicator.code, "period": label, "dimensions": item.dimension_key, "value": item.value, "note": item.note }),
                    );
                    write_audit!(&mut *$tx, meta, &change)?;
                    if item.dimension_key.is_empty() {
                        sqlx::query(MONTH_CHANGE)
                            .bind(indicator.id)
                            .bind(month_of(item.period))
                            .bind(item.value - value)
                            .bind(item.period.day_number())
                            .bind(item.value)
                            .execute(&mut *$tx)
                            .await?;
                    }
                    $result.updated += 1;
                    if $result.changes.len() < crate::indicators::CHANGES_KEPT {
                        $result.changes.push(crate::indicators::RecordedChange {
                            indicator: indicator.id, period: item.period, dimension_key: item.dimension_key.clone(), previous: Some(value), value: item.value,
                        });
                    }
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO measurements (organisation_id, indicator_id, period_start, dimension_key, value, \
                         note, source, recorded_by, recorded_at) VALUES ($1, $2, $3, $9, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(meta.organisation_id)
                    .bind(indicator.id)
                    .bind(item.period.day_number())
                    .bind(item.value)
                    .bind(&item.note)
                    .bind(source)
                    .bind(meta.actor_user_id)
                    .bind(meta.at)
                    .bind(&item.dimension_key)
                    .fetch_one(&mut *$tx)
                    .await?;
                    let change = Change::created(
                        "measurement",
                        id,
                        &serde_json::json!({ "indicator": indicator.code, "period": label, "dimensions": item.dimension_key, "value": item.value, "note": item.note, "source": source }),
                    );
                    write_audit!(&mut *$tx, meta, &change)?;
                    if item.dimension_key.is_empty() {
                        sqlx::query(MONTH_ADD)
                            .bind(meta.organisation_id)
                            .bind(indicator.id)
                            .bind(month_of(item.period))
                            .bind(item.value)
                            .bind(item.period.day_number())
                            .execute(&mut *$tx)
                            .await?;
                    }
                    $result.created += 1;
                    if $result.changes.len() < crate::indicators::CHANGES_KEPT {
                        $result.changes.push(crate::indicators::RecordedChange {
                            indicator: indicator.id, period: item.period, dimension_key: item.dimension_key.clone(), previous: None, value: item.value,
                        });
                    }
                }
            }
        }
    }};
}

fn dimensions_json(dimensions: &[crate::indicators::Dimension]) -> Result<String> {
    serde_json::to_string(dimensions)
        .map_err(|e| crate::Error::Unexpected(format!("dimensions not serialisable: {e}")))
}

impl Store {
    pub async fn create_indicator(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        spec: &IndicatorSpec,
    ) -> Result<Indicator> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: IndicatorRow = sqlx::query_as(concat!(
                "INSERT INTO indicators (organisation_id, code, name, description, perspective, value_unit, \
                 min_value, max_value, direction, range_low, range_high, frequency, aggregation, baseline_value, \
                 baseline_period, owner_user_id, responsible_unit_id, data_source, created_at, updated_at, \
                 published, dimensions, formula) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, \
                 $20, $21, $22) \
                 RETURNING ",
                indicator_columns!("")
            ))
            .bind(organisation)
            .bind(spec.code.as_str())
            .bind(spec.name.as_str())
            .bind(&spec.description)
            .bind(spec.perspective.code())
            .bind(spec.unit.code())
            .bind(spec.min_value)
            .bind(spec.max_value)
            .bind(spec.direction.code())
            .bind(spec.range.map(|r| r.0))
            .bind(spec.range.map(|r| r.1))
            .bind(spec.frequency.code())
            .bind(spec.aggregation.code())
            .bind(spec.baseline.map(|b| b.0))
            .bind(spec.baseline.map(|b| b.1.day_number()))
            .bind(spec.owner)
            .bind(spec.responsible_unit)
            .bind(&spec.data_source)
            .bind(meta.at)
            .bind(spec.published)
            .bind(dimensions_json(&spec.dimensions)?)
            .bind(&spec.formula)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_on_unique(e, "code", "taken"))?;
            let created = Indicator::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("indicator", created.id, &created))?;
            tx.commit().await?;
            Ok(created)
        })
    }

    pub async fn update_indicator(
        &self,
        meta: &AuditMeta,
        before: &Indicator,
        spec: &IndicatorSpec,
    ) -> Result<Indicator> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: IndicatorRow = sqlx::query_as(concat!(
                "UPDATE indicators SET name = $3, description = $4, perspective = $5, min_value = $6, \
                 max_value = $7, direction = $8, range_low = $9, range_high = $10, aggregation = $11, \
                 baseline_value = $12, baseline_period = $13, owner_user_id = $14, responsible_unit_id = $15, \
                 data_source = $16, updated_at = $17, published = $18, dimensions = $19, formula = $20, \
                 version = version + 1 WHERE organisation_id = $1 AND id = $2 AND version = $21 RETURNING ",
                indicator_columns!("")
            ))
            .bind(meta.organisation_id)
            .bind(before.id)
            .bind(spec.name.as_str())
            .bind(&spec.description)
            .bind(spec.perspective.code())
            .bind(spec.min_value)
            .bind(spec.max_value)
            .bind(spec.direction.code())
            .bind(spec.range.map(|r| r.0))
            .bind(spec.range.map(|r| r.1))
            .bind(spec.aggregation.code())
            .bind(spec.baseline.map(|b| b.0))
            .bind(spec.baseline.map(|b| b.1.day_number()))
            .bind(spec.owner)
            .bind(spec.responsible_unit)
            .bind(&spec.data_source)
            .bind(meta.at)
            .bind(spec.published)
            .bind(dimensions_json(&spec.dimensions)?)
            .bind(&spec.formula)
            // The version the change was made from: the one the caller
            // read, or the one just loaded when they did not say.
            .bind(spec.expected_version.unwrap_or(before.version))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| crate::Error::conflict("version", "edit_conflict"))?;
            let after = Indicator::try_from(row)?;
            let change = Change::updated("indicator", after.id, before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Every indicator of an organisation (imports resolve codes with it).
    pub async fn all_indicators(&self, organisation: OrganisationId) -> Result<Vec<Indicator>> {
        let rows: Vec<IndicatorRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ",
            indicator_columns!(""),
            " FROM indicators WHERE organisation_id = $1 ORDER BY code"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Indicator::try_from).collect()
    }

    pub async fn indicator(
        &self,
        organisation: OrganisationId,
        id: IndicatorId,
    ) -> Result<Indicator> {
        let row: IndicatorRow = on_pool!(self, p => sqlx::query_as(INDICATOR_BY_ID)
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?);
        row.try_into()
    }

    /// The overview: indicators with their latest value and the target that
    /// applies next on `today` (or the last one when all have passed).
    pub async fn list_indicator_summaries(
        &self,
        organisation: OrganisationId,
        filter: &IndicatorFilter,
        today: Period,
        window: Option<PageRequest>,
    ) -> Result<Page<IndicatorSummary>> {
        let perspective = filter.perspective.map_or("", Perspective::code);
        let unit = filter.unit.map_or("", ValueUnit::code);
        let owner = filter.owner.map_or(0, |o| o.0);
        let search = filter.search.trim().to_lowercase();
        let sort = filter.sort.code();
        let published = i64::from(filter.published_only);
        let ambition = filter.ambition.map_or(0, |a| a.0);
        let (limit, offset) = window.map_or((i64::MAX, 0), |w| (w.limit(), w.offset()));
        let page = window.unwrap_or_default();
        // Every summary query takes the filter as $1–$7; the paged ones add
        // the order and window as $8–$10.
        macro_rules! filtered {
            ($query:expr) => {
                $query
                    .bind(organisation)
                    .bind(perspective)
                    .bind(owner)
                    .bind(&search)
                    .bind(unit)
                    .bind(published)
                    .bind(ambition)
            };
        }
        macro_rules! paged {
            ($query:expr) => {
                filtered!($query).bind(sort).bind(limit).bind(offset)
            };
        }
        let (rows, total, targets) = on_pool!(self, p => {
            let rows: Vec<SummaryRow> = paged!(sqlx::query_as(SUMMARY_PAGE)).fetch_all(p).await?;
            let total: i64 = filtered!(sqlx::query_scalar(SUMMARY_COUNT)).fetch_one(p).await?;
            let targets: Vec<PageTargetRow> =
                paged!(sqlx::query_as(SUMMARY_TARGETS)).fetch_all(p).await?;
            (rows, total, targets)
        });
        macro_rules! recent_query {
            ($sql:expr, $p:expr) => {
                paged!(sqlx::query_as($sql))
                    .bind(today.day_number())
                    .fetch_all($p)
                    .await?
            };
        }
        let packed: Vec<(i64, Option<String>)> = match &self.pool {
            super::Pool::Sqlite(p) => recent_query!(SUMMARY_RECENT_SQLITE, p),
            super::Pool::Postgres(p) => recent_query!(SUMMARY_RECENT_POSTGRES, p),
        };
        let recent: std::collections::HashMap<i64, Vec<(i64, f64)>> = packed
            .into_iter()
            .map(|(id, values)| (id, unpack_recent(values.as_deref().unwrap_or(""))))
            .collect();
        let today_day = today.start();
        let today = today.day_number();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let indicator = Indicator::try_from(row.indicator)?;
            let latest = row
                .latest_period
                .zip(row.latest_value)
                .map(|(period, value)| LatestValue {
                    period: Period::from_day_number(indicator.frequency, period).label(),
                    value,
                });
            let own: Vec<&TargetRow> = targets
                .iter()
                .filter(|t| t.indicator_id == indicator.id.0)
                .map(|t| &t.target)
                .collect();
            // The first target on or after today, else the last one.
            let next = own.iter().find(|t| t.target_day >= today).or(own.last());
            let next_target = next.map(|t| Target::from((*t).clone()));
            let points: Vec<(Period, f64)> = recent
                .get(&indicator.id.0)
                .map(|values| {
                    values
                        .iter()
                        .map(|(day, value)| {
                            (Period::from_day_number(indicator.frequency, *day), *value)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let assessment = crate::indicators::status::assess(
                &indicator,
                &points,
                next_target.as_ref(),
                today_day,
            );
            let recent = points.iter().map(|(_, value)| *value).collect();
            items.push(IndicatorSummary {
                indicator,
                latest,
                next_target,
                assessment,
                recent,
            });
        }
        Ok(Page::new(items, page, total))
    }

    /// Every target revision of an indicator, by date, newest revision first.
    pub async fn targets(
        &self,
        organisation: OrganisationId,
        indicator: IndicatorId,
    ) -> Result<Vec<Target>> {
        let rows: Vec<TargetRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, target_day, value, reason, created_by, created_at, superseded_at FROM indicator_targets \
             WHERE organisation_id = $1 AND indicator_id = $2 ORDER BY target_day, id DESC",
        )
        .bind(organisation)
        .bind(indicator)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Target::from).collect())
    }

    /// Adds a target; one for the same date is superseded, not overwritten.
    /// Returns `Err(Conflict)` when a revision comes without a reason.
    pub async fn add_target(
        &self,
        meta: &AuditMeta,
        indicator: &Indicator,
        spec: &TargetSpec,
    ) -> Result<Target> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let previous: Option<TargetRow> = sqlx::query_as(
                "SELECT id, target_day, value, reason, created_by, created_at, superseded_at FROM indicator_targets \
                 WHERE organisation_id = $1 AND indicator_id = $2 AND target_day = $3 AND superseded_at IS NULL",
            )
            .bind(meta.organisation_id)
            .bind(indicator.id)
            .bind(spec.day.day_number())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(previous) = &previous {
                if spec.reason.is_empty() {
                    return Err(crate::Error::invalid("reason", "reason_required_for_revision"));
                }
                sqlx::query("UPDATE indicator_targets SET superseded_at = $2 WHERE id = $1")
                    .bind(previous.id)
                    .bind(meta.at)
                    .execute(&mut *tx)
                    .await?;
            }
            let row: TargetRow = sqlx::query_as(
                "INSERT INTO indicator_targets (organisation_id, indicator_id, target_day, value, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 RETURNING id, target_day, value, reason, created_by, created_at, superseded_at",
            )
            .bind(meta.organisation_id)
            .bind(indicator.id)
            .bind(spec.day.day_number())
            .bind(spec.value)
            .bind(&spec.reason)
            .bind(meta.actor_user_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let created = Target::from(row);
            let before = previous.map(|p| serde_json::json!({ "date": created.date, "value": p.value }));
            let after = serde_json::json!({ "date": created.date, "value": created.value, "reason": created.reason });
            let action = if before.is_some() { "revise" } else { "create" };
            write_audit!(&mut *tx, meta, &Change::new(action, "indicator_target", indicator.id, before, Some(after)))?;
            tx.commit().await?;
            Ok(created)
        })
    }

    /// Writes a batch of measurements: all or nothing, idempotent by period;
    /// an update keeps the old value in the audit log.
    pub async fn upsert_measurements(
        &self,
        meta: &AuditMeta,
        indicator: &Indicator,
        batch: &[MeasurementSpec],
        source: &str,
    ) -> Result<BatchResult> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut result = BatchResult::default();
            upsert_batch!(tx, meta, indicator, batch, source, result);
            tx.commit().await?;
            Ok(result)
        })
    }

    /// Writes batches for several indicators in one transaction, built for
    /// large files: existing values are read once per indicator, new ones
    /// are appended in bulk (`store::append`: multi-row INSERTs on SQLite,
    /// COPY on PostgreSQL), and only changed values are
    /// updated one by one (each with its old value in the audit log). New
    /// values get one summary audit event per indicator instead of one each:
    /// the rows themselves say who recorded them, when and from what source.
    /// With `dry_run` the same writes happen and are rolled back, so the
    /// counts say exactly what a real run would do.
    pub async fn import_measurements(
        &self,
        meta: &AuditMeta,
        groups: &[(Indicator, Vec<MeasurementSpec>)],
        source: &str,
        dry_run: bool,
    ) -> Result<BatchResult> {
        /// Rows per INSERT: 9 parameters each stays far below both engines' limits.
        const ROWS_PER_INSERT: usize = 500;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut result = BatchResult::default();
            for (indicator, batch) in groups {
                let (Some(low), Some(high)) = (
                    batch.iter().map(|m| m.period.day_number()).min(),
                    batch.iter().map(|m| m.period.day_number()).max(),
                ) else {
                    continue;
                };
                let existing: Vec<(i64, String, i64, f64, String)> = sqlx::query_as(
                    "SELECT period_start, dimension_key, id, value, note FROM measurements \
                     WHERE organisation_id = $1 AND indicator_id = $2 AND period_start BETWEEN $3 AND $4",
                )
                .bind(meta.organisation_id)
                .bind(indicator.id)
                .bind(low)
                .bind(high)
                .fetch_all(&mut *tx)
                .await?;
                let existing: std::collections::HashMap<(i64, &str), (i64, f64, &str)> = existing
                    .iter()
                    .map(|(day, key, id, value, note)| ((*day, key.as_str()), (*id, *value, note.as_str())))
                    .collect();
                let mut fresh: Vec<&MeasurementSpec> = Vec::new();
                let mut changed: Vec<&MeasurementSpec> = Vec::new();
                for item in batch {
                    match existing.get(&(item.period.day_number(), item.dimension_key.as_str())) {
                        None => fresh.push(item),
                        Some((_, value, note)) if *value == item.value && *note == item.note => {
                            result.unchanged += 1;
                        }
                        Some(_) => changed.push(item),
                    }
                }
                tx.append_measurements(meta, indicator.id, &fresh, source).await?;
                // Their months, summed here and added a few hundred at a time.
                let mut months: std::collections::BTreeMap<i64, (f64, i64, i64, f64)> =
                    std::collections::BTreeMap::new();
                for item in fresh.iter().filter(|m| m.dimension_key.is_empty()) {
                    let day = item.period.day_number();
                    let entry = months.entry(month_of(item.period)).or_insert((0.0, 0, i64::MIN, 0.0));
                    entry.0 += item.value;
                    entry.1 += 1;
                    if day >= entry.2 {
                        entry.2 = day;
                        entry.3 = item.value;
                    }
                }
                let months: Vec<(i64, (f64, i64, i64, f64))> = months.into_iter().collect();
                for chunk in months.chunks(ROWS_PER_INSERT) {
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO measurement_months (organisation_id, indicator_id, month_start, total, count, \
                         last_day, last_value) ",
                    );
                    insert.push_values(chunk, |mut row, (month, (total, count, last_day, last_value))| {
                        row.push_bind(meta.organisation_id)
                            .push_bind(indicator.id)
                            .push_bind(*month)
                            .push_bind(*total)
                            .push_bind(*count)
                            .push_bind(*last_day)
                            .push_bind(*last_value);
                    });
                    insert.push(MONTH_ADD_CONFLICT);
                    insert.build().execute(&mut *tx).await?;
                }
                for item in &fresh {
                    if result.changes.len() >= crate::indicators::CHANGES_KEPT {
                        break;
                    }
                    result.changes.push(crate::indicators::RecordedChange {
                        indicator: indicator.id,
                        period: item.period,
                        dimension_key: item.dimension_key.clone(),
                        previous: None,
                        value: item.value,
                    });
                }
                let created = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
                result.created += created;
                if created > 0 {
                    let mut change = Change::event("import", "measurements", indicator.id);
                    change.after = Some(serde_json::json!({
                        "indicator": indicator.code,
                        "created": created,
                        "from": Period::from_day_number(indicator.frequency, low).label(),
                        "to": Period::from_day_number(indicator.frequency, high).label(),
                        "source": source,
                    }));
                    write_audit!(&mut *tx, meta, &change)?;
                }
                upsert_batch!(tx, meta, indicator, changed.iter().copied(), source, result);
            }
            if dry_run {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
            Ok(result)
        })
    }

    /// Values since `since` (a day number), oldest first.
    pub async fn recent_values(
        &self,
        organisation: OrganisationId,
        indicator: &Indicator,
        since: i64,
    ) -> Result<Vec<(Period, f64)>> {
        let rows: Vec<(i64, f64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT period_start, value FROM measurements WHERE organisation_id = $1 AND indicator_id = $2 \
             AND dimension_key = '' AND period_start >= $3 ORDER BY period_start",
        )
        .bind(organisation)
        .bind(indicator.id)
        .bind(since)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(day, value)| (Period::from_day_number(indicator.frequency, day), value))
            .collect())
    }

    /// One series (the total, or one breakdown) since `since`, oldest first,
    /// as (day number, value).
    pub async fn series(
        &self,
        organisation: OrganisationId,
        indicator: IndicatorId,
        dimension_key: &str,
        since: i64,
    ) -> Result<Vec<(i64, f64)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT period_start, value FROM measurements WHERE organisation_id = $1 AND indicator_id = $2 \
             AND dimension_key = $3 AND period_start >= $4 ORDER BY period_start",
        )
        .bind(organisation)
        .bind(indicator)
        .bind(dimension_key)
        .bind(since)
        .fetch_all(p)
        .await?))
    }

    /// The breakdown values of the latest period that has any, with that
    /// period's total when recorded: (period day, [(key, value)], total).
    pub async fn latest_breakdown(
        &self,
        organisation: OrganisationId,
        indicator: IndicatorId,
    ) -> Result<Option<(i64, Vec<(String, f64)>, Option<f64>)>> {
        let rows: Vec<(i64, String, f64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT period_start, dimension_key, value FROM measurements \
             WHERE organisation_id = $1 AND indicator_id = $2 AND period_start = \
             (SELECT MAX(period_start) FROM measurements WHERE organisation_id = $1 AND indicator_id = $2 \
              AND dimension_key <> '') ORDER BY dimension_key",
        )
        .bind(organisation)
        .bind(indicator)
        .fetch_all(p)
        .await?);
        let Some(day) = rows.first().map(|r| r.0) else {
            return Ok(None);
        };
        let total = rows.iter().find(|r| r.1.is_empty()).map(|r| r.2);
        let parts = rows
            .into_iter()
            .filter(|r| !r.1.is_empty())
            .map(|(_, key, value)| (key, value))
            .collect();
        Ok(Some((day, parts, total)))
    }

    /// How many measurements an indicator has: (all, breakdowns only).
    pub async fn measurement_counts(
        &self,
        organisation: OrganisationId,
        indicator: IndicatorId,
    ) -> Result<(i64, i64)> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN dimension_key <> '' THEN 1 ELSE 0 END), 0) \
             FROM measurements WHERE indicator_id = (SELECT id FROM indicators WHERE organisation_id = $1 AND id = $2)",
        )
        .bind(organisation)
        .bind(indicator)
        .fetch_one(p)
        .await?))
    }

    /// The totals of a page of indicators (by code) rolled up into months,
    /// quarters or years: per indicator and period the sum, mean, last value
    /// and count. Read from the month totals kept on write (migration 0005),
    /// one packed row per indicator.
    pub async fn rollup(
        &self,
        organisation: OrganisationId,
        into: Frequency,
        page: PageRequest,
    ) -> Result<Vec<RollupRow>> {
        macro_rules! months_query {
            ($agg:literal) => {
                concat!(
                    "SELECT mm.indicator_id, ",
                    $agg,
                    " FROM (SELECT id FROM indicators WHERE organisation_id = $1 ORDER BY code LIMIT $2 OFFSET $3) p \
                     CROSS JOIN measurement_months mm WHERE mm.indicator_id = p.id AND mm.organisation_id = $1 \
                     GROUP BY mm.indicator_id"
                )
            };
        }
        const SQLITE: &str = months_query!(
            "group_concat(mm.month_start || '|' || mm.total || '|' || mm.count || '|' || mm.last_day || '|' || \
             mm.last_value, ';' ORDER BY mm.month_start)"
        );
        const POSTGRES: &str = months_query!(
            "string_agg(mm.month_start || '|' || mm.total || '|' || mm.count || '|' || mm.last_day || '|' || \
             mm.last_value, ';' ORDER BY mm.month_start)"
        );
        let packed: Vec<(i64, Option<String>)> = match &self.pool {
            super::Pool::Sqlite(p) => {
                sqlx::query_as(SQLITE)
                    .bind(organisation)
                    .bind(page.limit())
                    .bind(page.offset())
                    .fetch_all(p)
                    .await?
            }
            super::Pool::Postgres(p) => {
                sqlx::query_as(POSTGRES)
                    .bind(organisation)
                    .bind(page.limit())
                    .bind(page.offset())
                    .fetch_all(p)
                    .await?
            }
        };
        let mut rows = Vec::new();
        for (indicator_id, text) in packed {
            // Months in order; each coarser period takes the months it holds.
            let mut current: Option<(Period, f64, i64, i64, f64)> = None;
            let mut flush = |current: Option<(Period, f64, i64, i64, f64)>| {
                if let Some((period, total, count, _, last)) = current {
                    rows.push(RollupRow {
                        indicator_id,
                        period: period.label(),
                        total,
                        mean: if count > 0 { total / count as f64 } else { 0.0 },
                        last,
                        count,
                    });
                }
            };
            for part in text.as_deref().unwrap_or("").split(';') {
                let mut fields = part.split('|');
                let parsed = (|| {
                    Some((
                        fields.next()?.parse::<i64>().ok()?,
                        fields.next()?.parse::<f64>().ok()?,
                        fields.next()?.parse::<i64>().ok()?,
                        fields.next()?.parse::<i64>().ok()?,
                        fields.next()?.parse::<f64>().ok()?,
                    ))
                })();
                let Some((month, total, count, last_day, last_value)) = parsed else {
                    continue;
                };
                let period = Period::from_day_number(into, month);
                match &mut current {
                    Some(c) if c.0 == period => {
                        c.1 += total;
                        c.2 += count;
                        if last_day >= c.3 {
                            c.3 = last_day;
                            c.4 = last_value;
                        }
                    }
                    _ => {
                        flush(current.take());
                        current = Some((period, total, count, last_day, last_value));
                    }
                }
            }
            flush(current);
        }
        Ok(rows)
    }

    /// Every measurement of an indicator, oldest period first (exports).
    pub async fn all_measurements(
        &self,
        organisation: OrganisationId,
        indicator: &Indicator,
    ) -> Result<Vec<Measurement>> {
        let rows: Vec<MeasurementRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, period_start, dimension_key, value, note, source, recorded_by, recorded_at FROM measurements \
             WHERE organisation_id = $1 AND indicator_id = $2 ORDER BY period_start, dimension_key",
        )
        .bind(organisation)
        .bind(indicator.id)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|r| r.into_measurement(indicator.frequency))
            .collect())
    }

    /// An indicator's measurements, newest period first.
    pub async fn measurements(
        &self,
        organisation: OrganisationId,
        indicator: &Indicator,
        page: PageRequest,
    ) -> Result<Page<Measurement>> {
        let (rows, total): (Vec<MeasurementRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(
                "SELECT id, period_start, dimension_key, value, note, source, recorded_by, recorded_at FROM measurements \
                 WHERE organisation_id = $1 AND indicator_id = $2 \
                 ORDER BY period_start DESC, dimension_key LIMIT $3 OFFSET $4",
            )
            .bind(organisation)
            .bind(indicator.id)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(p)
            .await?;
            let total = sqlx::query_scalar(
                // Scoped through the indicator, so the count reads only the index.
                "SELECT COUNT(*) FROM measurements WHERE indicator_id = \
                 (SELECT id FROM indicators WHERE organisation_id = $1 AND id = $2)",
            )
            .bind(organisation)
            .bind(indicator.id)
            .fetch_one(p)
            .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(|r| r.into_measurement(indicator.frequency))
            .collect();
        Ok(Page::new(items, page, total))
    }
}
