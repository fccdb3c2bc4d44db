use super::tree::{ordered, subtree};
use super::{NewUnitInput, Unit, UnitChangesInput, UnitNode};
use crate::auth::Actor;
use crate::domain::{Name, Permission, UnitId, Validator};
use crate::http::AppState;
use crate::store::UnitState;
use crate::{Error, Result};

/// Every unit in tree order; archived ones only when asked for.
pub async fn tree(
    state: &AppState,
    actor: &Actor,
    include_archived: bool,
) -> Result<Vec<UnitNode>> {
    actor.require(Permission::ViewOrganisation)?;
    let units = state.store().list_units(actor.organisation_id).await?;
    let mut nodes = ordered(&units);
    if !include_archived {
        nodes.retain(|n| !n.unit.is_archived());
    }
    Ok(nodes)
}

pub async fn get(state: &AppState, actor: &Actor, id: UnitId) -> Result<Unit> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().unit(actor.organisation_id, id).await
}

pub async fn create(state: &AppState, actor: &Actor, input: &NewUnitInput) -> Result<Unit> {
    actor.require(Permission::ManageUnits)?;
    let units = state.store().list_units(actor.organisation_id).await?;
    let mut v = Validator::new();
    let name = v.check("name", Name::parse(input.name.as_deref().unwrap_or("")));
    let parent = input.parent_id.map(UnitId);
    check_parent(&mut v, &units, parent, None);
    let name = v.finish(name)?;
    check_unique_name(&units, parent, &name, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .create_unit(&meta, actor.organisation_id, &name, parent)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
    input: &UnitChangesInput,
) -> Result<Unit> {
    actor.require(Permission::ManageUnits)?;
    let units = state.store().list_units(actor.organisation_id).await?;
    let before = units
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or(Error::NotFound)?;
    let mut v = Validator::new();
    let name = match &input.name {
        Some(name) => v.check("name", Name::parse(name)),
        None => Name::parse(&before.name).ok(),
    };
    let parent = match input.parent_id {
        Some(parent) => parent.map(UnitId),
        None => before.parent_id,
    };
    if parent != before.parent_id {
        check_parent(&mut v, &units, parent, Some(id));
    }
    let archived = input.archived.unwrap_or(before.is_archived());
    let name = v.finish(name)?;
    if !archived {
        check_unique_name(&units, parent, &name, Some(id))?;
        if let Some(parent) = parent.and_then(|p| units.iter().find(|u| u.id == p))
            && parent.is_archived()
        {
            return Err(Error::conflict("parent_id", "parent_archived"));
        }
    }
    if archived && !before.is_archived() {
        let has_active_children = units
            .iter()
            .any(|u| u.parent_id == Some(id) && !u.is_archived());
        if has_active_children {
            return Err(Error::conflict("archived", "has_active_children"));
        }
    }
    let meta = actor.audit(state.clock().now());
    let new_state = UnitState {
        name,
        parent_id: parent,
        archived,
    };
    state.store().update_unit(&meta, &before, &new_state).await
}

fn check_parent(v: &mut Validator, units: &[Unit], parent: Option<UnitId>, moving: Option<UnitId>) {
    let Some(parent) = parent else { return };
    match units.iter().find(|u| u.id == parent) {
        None => v.add("parent_id", "unknown_parent"),
        Some(p) if p.is_archived() => v.add("parent_id", "parent_archived"),
        Some(_) => {
            if let Some(moving) = moving
                && subtree(units, moving).contains(&parent)
            {
                v.add("parent_id", "cycle");
            }
        }
    }
}

fn check_unique_name(
    units: &[Unit],
    parent: Option<UnitId>,
    name: &Name,
    except: Option<UnitId>,
) -> Result<()> {
    let taken = units.iter().any(|u| {
        Some(u.id) != except
            && u.parent_id == parent
            && !u.is_archived()
            && u.name.to_lowercase() == name.as_str().to_lowercase()
    });
    if taken {
        Err(Error::conflict("name", "taken"))
    } else {
        Ok(())
    }
}
