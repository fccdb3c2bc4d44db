use super::spec::{indicator_spec, measurement_spec, target_spec};
use super::{
    BatchResult, Indicator, IndicatorInput, IndicatorSpec, IndicatorSummary, Measurement,
    MeasurementBatch, MeasurementInput, Target, TargetInput,
};
use crate::auth::Actor;
use crate::domain::{Frequency, IndicatorId, Period, Permission, Role, UploadId, Validator};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::{IndicatorFilter, IndicatorSort};
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
    let today = Period::containing(Frequency::Day, state.clock().now().date());
    let store = state.store();
    let organisation = actor.organisation_id;
    if filter.status.is_none() && filter.sort != IndicatorSort::Status {
        return store
            .list_indicator_summaries(organisation, filter, today, Some(page))
            .await;
    }
    // The status is judged in Rust, so filtering or sorting on it needs
    // every matching indicator (an organisation has hundreds, not millions).
    let all = store
        .list_indicator_summaries(organisation, filter, today, None)
        .await?;
    let mut items: Vec<IndicatorSummary> = all
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
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let limit = usize::try_from(page.limit()).unwrap_or(usize::MAX);
    let items = items.into_iter().skip(offset).take(limit).collect();
    Ok(Page::new(items, page, total))
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
        .upload(actor.organisation_id, actor.user_id, id)
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

pub async fn create(state: &AppState, actor: &Actor, input: &IndicatorInput) -> Result<Indicator> {
    actor.require(Permission::ManageIndicators)?;
    let spec = indicator_spec(input, None)?;
    check_references(state, actor, &spec).await?;
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
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state.store().update_indicator(&meta, &before, &spec).await
}

/// The owner must be an active member and the unit an active unit of the
/// same organisation; anything else is "not known here".
async fn check_references(state: &AppState, actor: &Actor, spec: &IndicatorSpec) -> Result<()> {
    let mut v = Validator::new();
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

/// The status of one indicator today, with its reasoning.
pub async fn assess(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
) -> Result<super::Assessment> {
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
) -> Result<super::Assessment> {
    let today = state.clock().now().date();
    let today_period = Period::containing(Frequency::Day, today);
    let since = today_period.day_number() - super::status::lookback_days(indicator.frequency);
    let mut points = state
        .store()
        .recent_values(actor.organisation_id, indicator, since)
        .await?;
    if let Some((period, value)) = extra {
        points.retain(|(p, _)| *p != period);
        points.push((period, value));
        points.sort_by_key(|(p, _)| *p);
    }
    let targets = state
        .store()
        .targets(actor.organisation_id, indicator.id)
        .await?;
    let current: Vec<&Target> = targets
        .iter()
        .filter(|t| t.superseded_at.is_none())
        .collect();
    let today_label = today_period.label();
    let next = current
        .iter()
        .find(|t| t.date >= today_label)
        .or(current.last())
        .copied();
    Ok(super::status::assess(indicator, &points, next, today))
}

/// The values the chart draws: a few years (or months, for daily data).
pub async fn chart_values(
    state: &AppState,
    actor: &Actor,
    indicator: &Indicator,
) -> Result<Vec<(Period, f64)>> {
    actor.require(Permission::ViewOrganisation)?;
    let today = Period::containing(Frequency::Day, state.clock().now().date());
    let since = today.day_number() - super::chart::lookback_days(indicator.frequency);
    state
        .store()
        .recent_values(actor.organisation_id, indicator, since)
        .await
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
    let all = state
        .store()
        .all_measurements(actor.organisation_id, &indicator)
        .await?;
    super::export::write(&indicator, &all, format, crate::i18n::Tr::new(actor.locale))
}

pub async fn measurements(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
    page: PageRequest,
) -> Result<Page<Measurement>> {
    let indicator = get(state, actor, id).await?;
    state
        .store()
        .measurements(actor.organisation_id, &indicator, page)
        .await
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
    let is_owner = indicator.owner_id == Some(actor.user_id) && actor.role != Role::Viewer;
    if !is_owner {
        actor.require(Permission::RecordMeasurements)?;
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
        if let Some(spec) = measurement_spec(&mut v, &indicator, item, &prefix) {
            if !seen.insert(spec.period) {
                v.add(&format!("{prefix}period"), "duplicate_period");
            }
            specs.push(spec);
        }
    }
    v.finish(Some(()))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .upsert_measurements(&meta, &indicator, &specs, source)
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
    record(state, actor, id, &batch, "manual")
        .await
        .map_err(|error| match error {
            // The form has one measurement: report its fields by their own names.
            Error::Invalid(fields) => Error::Invalid(
                fields
                    .into_iter()
                    .map(|mut f| {
                        f.field = f.field.trim_start_matches("measurements[0].").to_owned();
                        f
                    })
                    .collect(),
            ),
            other => other,
        })
}
