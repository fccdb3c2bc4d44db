use super::spec::{indicator_spec, measurement_spec, target_spec};
use super::{
    BatchResult, Indicator, IndicatorInput, IndicatorSpec, IndicatorSummary, Measurement,
    MeasurementBatch, MeasurementInput, Target, TargetInput,
};
use crate::auth::Actor;
use crate::domain::{
    Frequency, IndicatorId, OrganisationId, Period, Permission, Role, UploadId, Validator,
};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::{IndicatorFilter, IndicatorSort};
use std::collections::HashMap;

use crate::{Error, Result};

/// Batches larger than this are refused; bulk loads go through imports.
pub const MAX_BATCH: usize = 1000;

pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &IndicatorFilter,
    page: PageRequest,
) -> Result<Page<IndicatorSummary>> {
    actor.require(Permission::ViewOrganisation)?;
    let today = state.today();
    // The status is judged in Rust, so filtering or sorting on it needs
    // every matching indicator (an organisation has hundreds, not millions).
    let needs_all = filter.status.is_some() || filter.sort == IndicatorSort::Status;
    let mut found = state
        .store()
        .list_indicator_summaries(
            actor.organisation_id,
            filter,
            today,
            (!needs_all).then_some(page),
        )
        .await?;
    for summary in &mut found.items {
        if summary.indicator.formula.is_some() {
            complete_computed(state, actor.organisation_id, summary).await?;
        }
    }
    if !needs_all {
        return Ok(found);
    }
    let mut items: Vec<IndicatorSummary> = found
        .items
        .into_iter()
        .filter(|s| {
            filter
                .status
                .is_none_or(|wanted| s.assessment.status == wanted)
        })
        .collect();
    if filter.sort == IndicatorSort::Status {
        items.sort_by_key(|s| s.assessment.status.urgency());
    }
    Ok(Page::from_all(items, page))
}

/// Every indicator of the organisation, unpaged (for lookups by id).
pub async fn all(state: &AppState, actor: &Actor) -> Result<Vec<Indicator>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().all_indicators(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: IndicatorId) -> Result<Indicator> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().indicator(actor.organisation_id, id).await
}

/// Imports a CSV or XLSX file of measurements, all or nothing; with `dry_run`
/// nothing is kept and the report says what would happen.
pub async fn import_file(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<super::import::ImportReport> {
    if actor.role == Role::Viewer {
        return Err(Error::Forbidden);
    }
    let meta = actor.audit(state.clock().now());
    super::import::import(
        state,
        &meta,
        actor.organisation_id,
        bytes,
        dry_run,
        super::import::recorder(actor),
    )
    .await
}

/// Checks an uploaded file and, when it is sound, keeps it for the
/// uploader to confirm. The report says what the import would change.
pub async fn preview_upload(
    state: &AppState,
    actor: &Actor,
    filename: &str,
    bytes: &[u8],
) -> Result<(UploadId, super::import::ImportReport)> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "required"));
    }
    let report = import_file(state, actor, bytes, true).await?;
    let name: String = filename.chars().take(200).collect();
    let id = state
        .store()
        .keep_upload(
            actor.organisation_id,
            actor.user_id,
            crate::store::UploadPurpose::Measurements,
            &name,
            bytes,
            state.clock().now(),
        )
        .await?;
    Ok((id, report))
}

/// Imports a previewed upload for real (checked again: the data may have
/// changed since the preview) and forgets the file.
pub async fn confirm_upload(
    state: &AppState,
    actor: &Actor,
    id: UploadId,
) -> Result<super::import::ImportReport> {
    let upload = state
        .store()
        .upload(
            actor.organisation_id,
            actor.user_id,
            crate::store::UploadPurpose::Measurements,
            id,
        )
        .await?;
    let report = import_file(state, actor, &upload.content, false).await?;
    state
        .store()
        .discard_upload(actor.organisation_id, actor.user_id, upload.id)
        .await?;
    Ok(report)
}

/// Validates a definition without writing it (demo loader, previews).
pub fn spec_for(input: &IndicatorInput) -> Result<IndicatorSpec> {
    indicator_spec(input, None)
}

/// An existing definition with `dimensions` instead of its own (figures
/// Koers records itself, whose breakdown grows with the organisation).
pub fn spec_with_dimensions(
    before: &Indicator,
    dimensions: Vec<super::Dimension>,
) -> Result<IndicatorSpec> {
    let input = IndicatorInput {
        dimensions: Some(dimensions),
        ..IndicatorInput::default()
    };
    indicator_spec(&input, Some(before))
}

pub async fn create(state: &AppState, actor: &Actor, input: &IndicatorInput) -> Result<Indicator> {
    actor.require(Permission::ManageIndicators)?;
    let spec = indicator_spec(input, None)?;
    check_references(state, actor, &spec, None).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .create_indicator(&meta, actor.organisation_id, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    input: &IndicatorInput,
) -> Result<Indicator> {
    actor.require(Permission::ManageIndicators)?;
    let before = state.store().indicator(actor.organisation_id, id).await?;
    let spec = indicator_spec(input, Some(&before))?;
    check_references(state, actor, &spec, Some(&before)).await?;
    let meta = actor.audit(state.clock().now());
    state.store().update_indicator(&meta, &before, &spec).await
}

/// The owner must be an active member and the unit an active unit of the
/// same organisation; anything else is "not known here". A formula may only
/// use this organisation's recorded indicators of the same frequency, and
/// breakdown values that measurements use stay.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &IndicatorSpec,
    before: Option<&Indicator>,
) -> Result<()> {
    let mut v = Validator::new();
    if let Some(text) = &spec.formula
        && let Ok(formula) = super::formula::Formula::parse(text)
    {
        let all = state.store().all_indicators(actor.organisation_id).await?;
        for reference in formula.references() {
            let code = match all.iter().find(|i| i.code == reference.code) {
                None => "formula_unknown_indicator",
                Some(input) if input.code == spec.code.as_str() => "formula_self",
                Some(input) if input.formula.is_some() => "formula_nested",
                Some(input) if input.frequency != spec.frequency => "formula_frequency",
                Some(input) => {
                    let given = super::dimensions::values_of(&reference.dimension_key);
                    match super::dimensions::key(&input.dimensions, &given) {
                        Ok(key) if key == reference.dimension_key => continue,
                        _ => "unknown_dimension_value",
                    }
                }
            };
            v.add("formula", code);
            break;
        }
        if let Some(before) = before
            && before.formula.is_none()
        {
            let (all, _) = state
                .store()
                .measurement_counts(actor.organisation_id, before.id)
                .await?;
            if all > 0 {
                v.add("formula", "formula_has_measurements");
            }
        }
    }
    if let Some(before) = before
        && !super::dimensions::keeps_all(&before.dimensions, &spec.dimensions)
    {
        let (_, breakdowns) = state
            .store()
            .measurement_counts(actor.organisation_id, before.id)
            .await?;
        if breakdowns > 0 {
            v.add("dimensions", "dimension_in_use");
        }
    }
    if let Some(owner) = spec.owner {
        match state.store().member(actor.organisation_id, owner).await {
            Ok(member) if member.active && member.role != Role::Viewer => {}
            Ok(_) => v.add("owner_id", "owner_cannot_record"),
            Err(Error::NotFound) => v.add("owner_id", "unknown_member"),
            Err(other) => return Err(other),
        }
    }
    if let Some(unit) = spec.responsible_unit {
        match state.store().unit(actor.organisation_id, unit).await {
            Ok(unit) if !unit.is_archived() => {}
            Ok(_) => v.add("responsible_unit_id", "parent_archived"),
            Err(Error::NotFound) => v.add("responsible_unit_id", "unknown_unit"),
            Err(other) => return Err(other),
        }
    }
    v.finish(Some(()))
}

/// An indicator's totals since `since` (a day number), oldest first:
/// stored values, or for a formula the values computed from its inputs for
/// every period where all of them are known.
pub async fn values_since(
    state: &AppState,
    organisation: OrganisationId,
    indicator: &Indicator,
    since: i64,
) -> Result<Vec<(Period, f64)>> {
    let Some(text) = &indicator.formula else {
        return state
            .store()
            .recent_values(organisation, indicator, since)
            .await;
    };
    let formula = super::formula::Formula::parse(text)
        .map_err(|code| Error::Unexpected(format!("stored formula unreadable: {code}")))?;
    let all = state.store().all_indicators(organisation).await?;
    let references = formula.references();
    let mut by_period: std::collections::BTreeMap<i64, HashMap<&super::formula::Reference, f64>> =
        std::collections::BTreeMap::new();
    for reference in &references {
        // An input deleted or renamed since leaves the formula without values.
        let Some(input) = all.iter().find(|i| i.code == reference.code) else {
            return Ok(Vec::new());
        };
        let series = state
            .store()
            .series(organisation, input.id, &reference.dimension_key, since)
            .await?;
        for (day, value) in series {
            by_period.entry(day).or_default().insert(reference, value);
        }
    }
    Ok(by_period
        .into_iter()
        .filter_map(|(day, inputs)| {
            formula
                .evaluate(&inputs)
                .map(|value| (Period::from_day_number(indicator.frequency, day), value))
        })
        .collect())
}

/// The status of one indicator today, with its reasoning.
pub async fn assess(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
) -> Result<super::StatusAssessment> {
    actor.require(Permission::ViewOrganisation)?;
    assess_with(state, actor, indicator, None).await
}

/// The status as it would be with `extra` recorded (replacing the value
/// for its period, if any).
async fn assess_with(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
    extra: Option<(Period, f64)>,
) -> Result<super::StatusAssessment> {
    let today = state.clock().now().date();
    let today_period = Period::containing(Frequency::Day, today);
    let since = today_period.day_number() - super::status::lookback_days(indicator.frequency);
    let mut points = values_since(state, actor.organisation_id, indicator, since).await?;
    if let Some((period, value)) = extra {
        points.retain(|(p, _)| *p != period);
        points.push((period, value));
        points.sort_by_key(|(p, _)| *p);
    }
    let next = next_target(state, actor, indicator, &today_period).await?;
    Ok(super::status::assess(
        indicator,
        &points,
        next.as_ref(),
        today,
    ))
}

/// The target in force on `day`: the first current one on or after it, or
/// the last one when all are past.
async fn next_target(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
    day: &Period,
) -> Result<Option<Target>> {
    let targets = state
        .store()
        .targets(actor.organisation_id, indicator.id)
        .await?;
    let label = day.label();
    let current: Vec<&Target> = targets
        .iter()
        .filter(|t| t.superseded_at.is_none())
        .collect();
    Ok(current
        .iter()
        .find(|t| t.date >= label)
        .or(current.last())
        .map(|t| (*t).clone()))
}

/// An indicator as it stood on one day: its values up to then (as far
/// back as the chart draws), the target that came next, and the status
/// judged on that day. For reports on a period that has ended.
pub struct Standing {
    pub values: Vec<(Period, f64)>,
    pub target: Option<Target>,
    pub assessment: super::StatusAssessment,
}

pub async fn standing_on(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
    day: time::Date,
) -> Result<Standing> {
    actor.require(Permission::ViewOrganisation)?;
    let day_period = Period::containing(Frequency::Day, day);
    let status_since = day_period.day_number() - super::status::lookback_days(indicator.frequency);
    let since = status_since
        .min(day_period.day_number() - super::chart::lookback_days(indicator.frequency));
    let values: Vec<(Period, f64)> = values_since(state, actor.organisation_id, indicator, since)
        .await?
        .into_iter()
        .filter(|(p, _)| p.start() <= day)
        .collect();
    let judged: Vec<(Period, f64)> = values
        .iter()
        .filter(|(p, _)| p.day_number() >= status_since)
        .copied()
        .collect();
    let target = next_target(state, actor, indicator, &day_period).await?;
    let assessment = super::status::assess(indicator, &judged, target.as_ref(), day);
    Ok(Standing {
        values,
        target,
        assessment,
    })
}

/// The values the chart draws: a few years (or months, for daily data).
pub async fn chart_values(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
) -> Result<Vec<(Period, f64)>> {
    actor.require(Permission::ViewOrganisation)?;
    let today = state.today();
    let since = today.day_number() - super::chart::lookback_days(indicator.frequency);
    values_since(state, actor.organisation_id, indicator, since).await
}

pub async fn targets(state: &AppState, actor: &Actor, id: IndicatorId) -> Result<Vec<Target>> {
    let indicator = get(state, actor, id).await?;
    state
        .store()
        .targets(actor.organisation_id, indicator.id)
        .await
}

pub async fn add_target(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    input: &TargetInput,
) -> Result<Target> {
    actor.require(Permission::ManageIndicators)?;
    let indicator = state.store().indicator(actor.organisation_id, id).await?;
    let spec = target_spec(&indicator, input)?;
    let meta = actor.audit(state.clock().now());
    state.store().add_target(&meta, &indicator, &spec).await
}

/// An indicator's measurements as a file in the reader's language.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    format: super::export::ExportFormat,
) -> Result<super::export::ExportFile> {
    let indicator = get(state, actor, id).await?;
    let all = if indicator.formula.is_some() {
        computed_measurements(state, actor, &indicator).await?
    } else {
        state
            .store()
            .all_measurements(actor.organisation_id, &indicator)
            .await?
    };
    super::export::write(&indicator, &all, format, crate::i18n::Tr::new(actor.locale))
}

pub async fn measurements(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    page: PageRequest,
) -> Result<Page<Measurement>> {
    let indicator = get(state, actor, id).await?;
    if indicator.formula.is_none() {
        return state
            .store()
            .measurements(actor.organisation_id, &indicator, page)
            .await;
    }
    let mut all = computed_measurements(state, actor, &indicator).await?;
    all.reverse();
    Ok(Page::from_all(all, page))
}

/// A formula indicator's values as measurements (oldest first): source
/// `formula`, id 0, stamped with the definition's last change.
async fn computed_measurements(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
) -> Result<Vec<Measurement>> {
    let values = values_since(state, actor.organisation_id, indicator, i64::MIN).await?;
    Ok(values
        .into_iter()
        .map(|(period, value)| Measurement {
            id: crate::domain::MeasurementId(0),
            period: period.label(),
            dimensions: std::collections::BTreeMap::new(),
            value,
            note: String::new(),
            source: "formula".to_owned(),
            recorded_by: None,
            recorded_at: indicator.updated_at,
        })
        .collect())
}

/// Fills in what SQL cannot know about a formula indicator: its latest
/// value, its recent values and hence its status.
pub async fn complete_computed(
    state: &AppState,
    organisation: OrganisationId,
    summary: &mut IndicatorSummary,
) -> Result<()> {
    let indicator = &summary.indicator;
    let today = state.clock().now().date();
    let today_day = Period::containing(Frequency::Day, today).day_number();
    let since = today_day - super::status::lookback_days(indicator.frequency);
    let points = values_since(state, organisation, indicator, since).await?;
    summary.latest = points.last().map(|(period, value)| super::LatestValue {
        period: period.label(),
        value: *value,
    });
    summary.assessment =
        super::status::assess(indicator, &points, summary.next_target.as_ref(), today);
    summary.recent = points.iter().map(|(_, v)| *v).collect();
    Ok(())
}

/// Records a batch (all or nothing). `source` is `manual` for the form and
/// `api` for the JSON endpoint.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    batch: &MeasurementBatch,
    source: &str,
) -> Result<BatchResult> {
    let indicator = state.store().indicator(actor.organisation_id, id).await?;
    record_into(state, actor, &indicator, batch, source).await
}

async fn record_into(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
    batch: &MeasurementBatch,
    source: &str,
) -> Result<BatchResult> {
    if !super::import::recorder(actor)(indicator) {
        return Err(Error::Forbidden);
    }
    let mut v = Validator::new();
    if batch.measurements.is_empty() {
        v.add("measurements", "required");
    }
    if batch.measurements.len() > MAX_BATCH {
        v.add("measurements", "batch_too_large");
    }
    let mut specs = Vec::with_capacity(batch.measurements.len());
    let mut seen = std::collections::HashSet::new();
    for (index, item) in batch.measurements.iter().enumerate() {
        let prefix = format!("measurements[{index}].");
        if let Some(spec) = measurement_spec(&mut v, indicator, item, &prefix) {
            if !seen.insert((spec.period, spec.dimension_key.clone())) {
                v.add(&format!("{prefix}period"), "duplicate_period");
            }
            specs.push(spec);
        }
    }
    v.finish(Some(()))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .upsert_measurements(&meta, indicator, &specs, source)
        .await
}

/// One measurement from the form on the indicator page. A value that is
/// the newest and leaves the indicator off track needs a note saying why:
/// the people who read the overview should not have to guess.
pub async fn record_one(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    input: MeasurementInput,
) -> Result<BatchResult> {
    let indicator = state.store().indicator(actor.organisation_id, id).await?;
    if !super::import::recorder(actor)(&indicator) {
        return Err(Error::Forbidden);
    }
    let note_given = input.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    if !note_given
        && let Some(value) = input.value
        && let Ok(period) =
            Period::parse(indicator.frequency, input.period.as_deref().unwrap_or(""))
    {
        let latest = state
            .store()
            .recent_values(actor.organisation_id, &indicator, period.day_number())
            .await?;
        let is_newest = latest.iter().all(|(p, _)| *p <= period);
        let outcome = assess_with(state, actor, &indicator, Some((period, value))).await?;
        if is_newest && outcome.status == super::Status::OffTrack {
            return Err(Error::invalid("note", "note_required_off_track"));
        }
    }
    let batch = MeasurementBatch {
        measurements: vec![input],
    };
    // The form has one measurement: report its fields by their own names.
    record_into(state, actor, &indicator, &batch, "manual")
        .await
        .map_err(|error| {
            error.rename_fields(|f| f.strip_prefix("measurements[0].").map(str::to_owned))
        })
}

/// Recorded totals rolled up into months, quarters or years, a page of
/// indicators (by code) at a time.
pub async fn rollup(
    state: &AppState,
    actor: &Actor,
    into: Frequency,
    page: PageRequest,
) -> Result<Page<super::Rollup>> {
    actor.require(Permission::ViewOrganisation)?;
    if into < Frequency::Month {
        return Err(Error::invalid("frequency", "rollup_frequency"));
    }
    let organisation = actor.organisation_id;
    // Both the store's page and this one are by code, so they hold the
    // same indicators.
    let indicators = state.store().all_indicators(organisation).await?;
    let mut rows: HashMap<i64, Vec<crate::store::RollupRow>> = HashMap::new();
    for row in state.store().rollup(organisation, into, page).await? {
        rows.entry(row.indicator_id).or_default().push(row);
    }
    Ok(Page::from_all(indicators, page).map(|indicator| {
        let values = if indicator.frequency > into {
            Vec::new()
        } else {
            rows.remove(&indicator.id.0)
                .unwrap_or_default()
                .into_iter()
                .map(|r| super::RollupValue {
                    value: match indicator.aggregation {
                        crate::domain::Aggregation::Sum => r.total,
                        crate::domain::Aggregation::Mean => r.mean,
                        crate::domain::Aggregation::Last => r.last,
                    },
                    period: r.period,
                    count: r.count,
                })
                .collect()
        };
        super::Rollup {
            indicator_id: indicator.id,
            code: indicator.code,
            aggregation: indicator.aggregation,
            values,
        }
    }))
}
