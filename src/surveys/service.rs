//! Instrument services. Every member may read the items (the survey says
//! openly what it asks); changing them needs `manage_surveys`.

use super::spec::version_spec;
use super::{Instrument, Version, VersionInput};
use crate::Result;
use crate::auth::Actor;
use crate::domain::{InstrumentId, Permission};
use crate::http::AppState;

pub async fn instruments(state: &AppState, actor: &Actor) -> Result<Vec<Instrument>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().instruments(actor.organisation_id).await
}

pub async fn instrument(state: &AppState, actor: &Actor, id: InstrumentId) -> Result<Instrument> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().instrument(actor.organisation_id, id).await
}

/// One version; `None` is the current one.
pub async fn version(
    state: &AppState,
    actor: &Actor,
    id: InstrumentId,
    number: Option<i64>,
) -> Result<(Instrument, Version)> {
    let instrument = instrument(state, actor, id).await?;
    let number = number.unwrap_or(instrument.current_version);
    let version = state
        .store()
        .instrument_version(&instrument, number)
        .await?;
    Ok((instrument, version))
}

pub async fn versions(state: &AppState, actor: &Actor, id: InstrumentId) -> Result<Vec<Version>> {
    let instrument = instrument(state, actor, id).await?;
    state.store().instrument_versions(&instrument).await
}

/// Makes a new version from the whole list of items. The same list as the
/// current version changes nothing and makes no version.
pub async fn change_items(
    state: &AppState,
    actor: &Actor,
    id: InstrumentId,
    input: &VersionInput,
) -> Result<(Instrument, Version)> {
    let (instrument, current) = version(state, actor, id, None).await?;
    actor.require(Permission::ManageSurveys)?;
    let next_own = state.store().next_own_item(&instrument).await?;
    let spec = version_spec(instrument.kind, input, &current.items, next_own)?;
    if spec.same_items_as(&current.items) {
        return Ok((instrument, current));
    }
    let meta = actor.audit(state.clock().now());
    let number = state
        .store()
        .add_instrument_version(&meta, &instrument, &spec)
        .await?;
    version(state, actor, id, Some(number)).await
}
