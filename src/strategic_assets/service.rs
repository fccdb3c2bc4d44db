//! Rules of the strategic-asset register and the view per ambition.

use super::spec::strategic_asset_spec;
use super::{AmbitionDependencies, Criticality, Dependency, StrategicAsset, StrategicAssetInput};
use crate::auth::Actor;
use crate::domain::{Permission, StrategicAssetId, Validator};
use crate::http::AppState;
use crate::{Error, Result};

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<StrategicAsset>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().strategic_assets(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: StrategicAssetId) -> Result<StrategicAsset> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .strategic_asset(actor.organisation_id, id)
        .await
}

/// The owner must be a member, the ambitions this organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::StrategicAssetSpec,
    before: Option<&StrategicAsset>,
) -> Result<()> {
    let mut v = Validator::new();
    if let Some(owner) = spec.owner_id
        && before.and_then(|b| b.owner_id) != Some(owner)
        && !crate::data_assets::service::is_member(state, actor, owner).await?
    {
        v.add("owner_id", "unknown_member");
    }
    if !spec.ambitions.is_empty() {
        let known = state.store().all_ambitions(actor.organisation_id).await?;
        for (i, link) in spec.ambitions.iter().enumerate() {
            if !known.iter().any(|(id, ..)| *id == link.ambition_id) {
                v.add(&format!("ambitions[{i}].ambition_id"), "unknown_ambition");
            }
        }
    }
    v.finish(Some(()))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &StrategicAssetInput,
) -> Result<StrategicAsset> {
    actor.require(Permission::ManageServices)?;
    let spec = strategic_asset_spec(input, None)?;
    check_references(state, actor, &spec, None).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_strategic_asset(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: StrategicAssetId,
    input: &StrategicAssetInput,
) -> Result<StrategicAsset> {
    actor.require(Permission::ManageServices)?;
    let before = state
        .store()
        .strategic_asset(actor.organisation_id, id)
        .await?;
    let spec = strategic_asset_spec(input, Some(&before))?;
    check_references(state, actor, &spec, Some(&before)).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_strategic_asset(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// Every ambition with the assets it depends on, most critical first;
/// ambitions without any asset are listed too (a blind spot to look at).
pub async fn by_ambition(state: &AppState, actor: &Actor) -> Result<Vec<AmbitionDependencies>> {
    let assets = list(state, actor).await?;
    let ambitions = state.store().all_ambitions(actor.organisation_id).await?;
    let rank = |c: Criticality| Criticality::ALL.iter().position(|x| *x == c);
    Ok(ambitions
        .into_iter()
        .map(|(id, title, programme)| {
            let mut dependencies: Vec<Dependency> = assets
                .iter()
                .filter_map(|a| {
                    a.ambitions
                        .iter()
                        .find(|l| l.ambition_id == id)
                        .map(|l| Dependency {
                            asset_id: a.id,
                            name: a.name.clone(),
                            kind: a.kind,
                            criticality: l.criticality,
                            gap: a.gap.clone(),
                        })
                })
                .collect();
            dependencies.sort_by(|a, b| {
                rank(a.criticality)
                    .cmp(&rank(b.criticality))
                    .then(a.name.cmp(&b.name))
            });
            AmbitionDependencies {
                ambition_id: id,
                title,
                programme,
                assets: dependencies,
            }
        })
        .collect())
}

/// The register as a spreadsheet in the reader's language: one row per
/// asset with its kind, owner, state, gap and the ambitions it matters for.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    format: crate::indicators::export::ExportFormat,
) -> Result<crate::indicators::export::ExportFile> {
    let t = crate::i18n::Tr::new(actor.locale);
    let assets = list(state, actor).await?;
    let ambitions = state.store().all_ambitions(actor.organisation_id).await?;
    let mut owners = std::collections::HashMap::new();
    for asset in &assets {
        if let Some(owner) = asset.owner_id
            && !owners.contains_key(&owner)
        {
            let name = match state.store().member(actor.organisation_id, owner).await {
                Ok(member) => member.name,
                Err(Error::NotFound) => String::new(),
                Err(other) => return Err(other),
            };
            owners.insert(owner, name);
        }
    }
    let headers: Vec<String> = [
        "field_name",
        "field_kind",
        "field_owner",
        "field_current_state",
        "field_gap",
        "field_ambitions",
        "field_description",
    ]
    .iter()
    .map(|k| t.get(&format!("strategic_assets.{k}")).to_owned())
    .collect();
    let rows = assets
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                t.get(a.kind.label_key()).to_owned(),
                a.owner_id
                    .and_then(|o| owners.get(&o).cloned())
                    .unwrap_or_default(),
                a.current_state.clone(),
                a.gap.clone(),
                a.ambitions
                    .iter()
                    .filter_map(|l| {
                        ambitions.iter().find(|(id, ..)| *id == l.ambition_id).map(
                            |(_, title, _)| {
                                format!("{title}: {}", t.get(l.criticality.label_key()))
                            },
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                a.description.clone(),
            ]
        })
        .collect::<Vec<_>>();
    crate::spreadsheet::write::table_file(
        "strategic-assets",
        t.get("strategic_assets.title"),
        &headers,
        &rows,
        format,
        actor.locale,
    )
}

/// Imports the register from a CSV or XLSX file (see `transfer`): all or
/// nothing, or only checked with `dry_run`.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<crate::data_assets::service::RegisterImportReport> {
    actor.require(Permission::ManageServices)?;
    let organisation = actor.organisation_id;
    let table = crate::spreadsheet::read(bytes, super::transfer::MAX_ROWS)?;
    let store = state.store();
    let members = crate::data_assets::service::member_keys(state, organisation).await?;
    let assets = store.strategic_assets(organisation).await?;
    let planned = super::transfer::plan(&table, &assets, &members)?;
    let changed: Vec<&super::transfer::Planned> = planned
        .iter()
        .filter(|p| {
            p.before.as_ref().is_none_or(|b| {
                strategic_asset_spec(&StrategicAssetInput::default(), Some(b))
                    .map_or(true, |kept| kept != p.spec)
            })
        })
        .collect();
    let created = changed.iter().filter(|p| p.before.is_none()).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if !dry_run && !changed.is_empty() {
        let meta = actor.audit(state.clock().now());
        let items: Vec<(Option<&StrategicAsset>, &super::spec::StrategicAssetSpec)> = changed
            .iter()
            .map(|p| (p.before.as_ref(), &p.spec))
            .collect();
        store
            .save_strategic_assets(&meta, organisation, &items)
            .await?;
    }
    Ok(crate::data_assets::service::RegisterImportReport {
        dry_run,
        rows: count(table.rows.len()),
        created: count(created),
        updated: count(changed.len() - created),
        unchanged: count(planned.len() - changed.len()),
    })
}
