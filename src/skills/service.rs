//! Skills services. Frameworks, competences and role profiles are read by
//! every member and kept with `manage_skills`; the employees register
//! needs `manage_employees`; aggregates need `view_skill_aggregates`; one
//! employee's levels are for the employee, their unit lead and HR only
//! (`privacy::access`).

use std::collections::HashMap;

use serde::Serialize;

use super::gaps::{self, Heatmap, Priority, RoleGap, UnitNode};
use super::import::{self, EmployeeImportReport};
use super::privacy::{self, Access};
use super::spec::{
    assessments_spec, competence_spec, employee_spec, framework_spec, role_profile_spec, round_spec,
};
use super::{
    AssessmentsInput, Competence, CompetenceInput, Employee, EmployeeInput, EmployeeSkills,
    Framework, FrameworkInput, RoleProfile, RoleProfileInput, Round, RoundInput, digcomp,
};
use crate::Result;
use crate::auth::Actor;
use crate::domain::{
    CompetenceId, EmployeeId, FrameworkId, Locale, Permission, RoleProfileId, UnitId, UploadId,
};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::{EmployeeFilter, UploadPurpose};

pub const MIN_GROUP_SIZE_RANGE: std::ops::RangeInclusive<i64> = 3..=100;

/// Built-in names and levels in the reader's language.
fn localise_framework(mut framework: Framework, locale: Locale) -> Framework {
    if framework.builtin {
        framework.levels = digcomp::level_names(locale);
    }
    framework
}

fn localise_competences(
    competences: Vec<Competence>,
    builtin: &[FrameworkId],
    locale: Locale,
) -> Vec<Competence> {
    competences
        .into_iter()
        .map(|mut c| {
            if builtin.contains(&c.framework_id) {
                c.name = digcomp::competence_name(&c.code, &c.name, locale);
                c.area = digcomp::area_name(&c.code, &c.area, locale);
            }
            c
        })
        .collect()
}

pub async fn frameworks(state: &AppState, actor: &Actor) -> Result<Vec<Framework>> {
    actor.require(Permission::ViewOrganisation)?;
    Ok(state
        .store()
        .frameworks(actor.organisation_id)
        .await?
        .into_iter()
        .map(|f| localise_framework(f, actor.locale))
        .collect())
}

pub async fn framework(state: &AppState, actor: &Actor, id: FrameworkId) -> Result<Framework> {
    actor.require(Permission::ViewOrganisation)?;
    let framework = state.store().framework(actor.organisation_id, id).await?;
    Ok(localise_framework(framework, actor.locale))
}

pub async fn create_framework(
    state: &AppState,
    actor: &Actor,
    input: &FrameworkInput,
) -> Result<Framework> {
    actor.require(Permission::ManageSkills)?;
    let spec = framework_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_framework(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_framework(
    state: &AppState,
    actor: &Actor,
    id: FrameworkId,
    input: &FrameworkInput,
) -> Result<Framework> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().framework(actor.organisation_id, id).await?;
    actor.require(Permission::ManageSkills)?;
    if before.builtin {
        return Err(crate::Error::conflict("framework", "builtin_framework"));
    }
    let spec = framework_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_framework(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// Every competence of the organisation, named in the reader's language.
pub async fn competences(state: &AppState, actor: &Actor) -> Result<Vec<Competence>> {
    actor.require(Permission::ViewOrganisation)?;
    let frameworks = state.store().frameworks(actor.organisation_id).await?;
    let builtin: Vec<FrameworkId> = frameworks
        .iter()
        .filter(|f| f.builtin)
        .map(|f| f.id)
        .collect();
    let all = state.store().competences(actor.organisation_id).await?;
    Ok(localise_competences(all, &builtin, actor.locale))
}

pub async fn create_competence(
    state: &AppState,
    actor: &Actor,
    framework: FrameworkId,
    input: &CompetenceInput,
) -> Result<Competence> {
    actor.require(Permission::ViewOrganisation)?;
    let framework = state
        .store()
        .framework(actor.organisation_id, framework)
        .await?;
    actor.require(Permission::ManageSkills)?;
    if framework.builtin {
        return Err(crate::Error::conflict("framework", "builtin_framework"));
    }
    let spec = competence_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_competence(&meta, &framework, None, &spec)
        .await
}

pub async fn update_competence(
    state: &AppState,
    actor: &Actor,
    id: CompetenceId,
    input: &CompetenceInput,
) -> Result<Competence> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().competence(actor.organisation_id, id).await?;
    let framework = state
        .store()
        .framework(actor.organisation_id, before.framework_id)
        .await?;
    actor.require(Permission::ManageSkills)?;
    if framework.builtin {
        return Err(crate::Error::conflict("framework", "builtin_framework"));
    }
    let spec = competence_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_competence(&meta, &framework, Some(&before), &spec)
        .await
}

/// Deletes a competence of the organisation's own framework that nothing
/// uses.
pub async fn delete_competence(state: &AppState, actor: &Actor, id: CompetenceId) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().competence(actor.organisation_id, id).await?;
    let framework = state
        .store()
        .framework(actor.organisation_id, before.framework_id)
        .await?;
    actor.require(Permission::ManageSkills)?;
    if framework.builtin {
        return Err(crate::Error::conflict("framework", "builtin_framework"));
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .delete_competence(&meta, actor.organisation_id, &before)
        .await
}

/// Every competence's id with the top of its scale.
async fn scales(state: &AppState, actor: &Actor) -> Result<HashMap<CompetenceId, i64>> {
    Ok(state
        .store()
        .competences(actor.organisation_id)
        .await?
        .into_iter()
        .map(|c| (c.id, c.top_level))
        .collect())
}

pub async fn role_profiles(state: &AppState, actor: &Actor) -> Result<Vec<RoleProfile>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().role_profiles(actor.organisation_id).await
}

pub async fn role_profile(
    state: &AppState,
    actor: &Actor,
    id: RoleProfileId,
) -> Result<RoleProfile> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().role_profile(actor.organisation_id, id).await
}

pub async fn create_role_profile(
    state: &AppState,
    actor: &Actor,
    input: &RoleProfileInput,
) -> Result<RoleProfile> {
    actor.require(Permission::ManageSkills)?;
    let spec = role_profile_spec(input, None, &scales(state, actor).await?)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_role_profile(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_role_profile(
    state: &AppState,
    actor: &Actor,
    id: RoleProfileId,
    input: &RoleProfileInput,
) -> Result<RoleProfile> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state
        .store()
        .role_profile(actor.organisation_id, id)
        .await?;
    actor.require(Permission::ManageSkills)?;
    let spec = role_profile_spec(input, Some(&before), &scales(state, actor).await?)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_role_profile(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// Deletes a role profile that no employee has and no learning action is
/// for.
pub async fn delete_role_profile(state: &AppState, actor: &Actor, id: RoleProfileId) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state
        .store()
        .role_profile(actor.organisation_id, id)
        .await?;
    actor.require(Permission::ManageSkills)?;
    let meta = actor.audit(state.clock().now());
    state.store().delete_role_profile(&meta, &before).await
}

// ---- employees ----

/// The register (HR and administrators), or for a unit lead the
/// employees of their own units.
pub async fn employees(
    state: &AppState,
    actor: &Actor,
    filter: &EmployeeFilter,
    page: PageRequest,
) -> Result<Page<Employee>> {
    actor.require(Permission::ManageEmployees)?;
    state
        .store()
        .employees(actor.organisation_id, filter, page)
        .await
}

/// A unit and every unit above it, nearest first; stops at a unit seen
/// before, so a damaged tree cannot loop.
fn chain_up(parent: &HashMap<UnitId, Option<UnitId>>, unit: UnitId) -> Vec<UnitId> {
    let mut chain = vec![unit];
    let mut at = unit;
    while let Some(Some(up)) = parent.get(&at) {
        if chain.contains(up) {
            break;
        }
        chain.push(*up);
        at = *up;
    }
    chain
}

/// Each unit of the organisation with its parent.
async fn parents(state: &AppState, actor: &Actor) -> Result<HashMap<UnitId, Option<UnitId>>> {
    let units = state.store().list_units(actor.organisation_id).await?;
    Ok(units.iter().map(|u| (u.id, u.parent_id)).collect())
}

/// The actor's access to an employee's levels; `NotFound` when there is
/// none, so that nobody learns whom the register holds.
async fn access_to(state: &AppState, actor: &Actor, employee: &Employee) -> Result<Access> {
    let record = state
        .store()
        .employee_of_user(actor.organisation_id, actor.user_id)
        .await?;
    let chain = match employee.unit_id {
        Some(unit) => chain_up(&parents(state, actor).await?, unit),
        None => Vec::new(),
    };
    privacy::access(actor, employee, record.as_ref(), &chain).ok_or(crate::Error::NotFound)
}

/// One employee: for the register's keepers, or for whoever may see
/// their levels.
pub async fn employee(state: &AppState, actor: &Actor, id: EmployeeId) -> Result<Employee> {
    actor.require(Permission::ViewOrganisation)?;
    let employee = state.store().employee(actor.organisation_id, id).await?;
    if !actor.can(Permission::ManageEmployees) {
        access_to(state, actor, &employee).await?;
    }
    Ok(employee)
}

/// The employees whose levels a unit lead sees: the active ones in the
/// unit of the lead's own record and every unit below it. Empty for
/// everyone else.
pub async fn my_team(state: &AppState, actor: &Actor) -> Result<Vec<Employee>> {
    actor.require(Permission::ViewOrganisation)?;
    if actor.role != crate::domain::Role::UnitLead {
        return Ok(Vec::new());
    }
    let Some(record) = my_record(state, actor).await? else {
        return Ok(Vec::new());
    };
    let Some(lead_unit) = record.unit_id.filter(|_| record.active) else {
        return Ok(Vec::new());
    };
    // Every unit whose chain upwards passes the lead's unit.
    let parent = parents(state, actor).await?;
    let below: Vec<UnitId> = parent
        .keys()
        .copied()
        .filter(|&unit| chain_up(&parent, unit).contains(&lead_unit))
        .collect();
    let mut team = state
        .store()
        .employees_in_units(actor.organisation_id, &below)
        .await?;
    team.retain(|e| e.id != record.id);
    Ok(team)
}

/// The actor's own employee record.
pub async fn my_record(state: &AppState, actor: &Actor) -> Result<Option<Employee>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .employee_of_user(actor.organisation_id, actor.user_id)
        .await
}

/// Checks that the unit, role profile and account an employee refers to
/// are the organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::EmployeeSpec,
) -> Result<()> {
    let organisation = actor.organisation_id;
    let mut v = crate::domain::Validator::new();
    if let Some(unit) = spec.unit_id {
        match state.store().unit(organisation, unit).await {
            Ok(_) => {}
            Err(crate::Error::NotFound) => v.add("unit_id", "unknown_unit"),
            Err(e) => return Err(e),
        }
    }
    if let Some(role) = spec.role_profile_id {
        match state.store().role_profile(organisation, role).await {
            Ok(_) => {}
            Err(crate::Error::NotFound) => v.add("role_profile_id", "unknown_role_profile"),
            Err(e) => return Err(e),
        }
    }
    if let Some(user) = spec.user_id {
        match state.store().member(organisation, user).await {
            Ok(_) => {}
            Err(crate::Error::NotFound) => v.add("user_id", "unknown_member"),
            Err(e) => return Err(e),
        }
    }
    v.finish(Some(()))
}

pub async fn create_employee(
    state: &AppState,
    actor: &Actor,
    input: &EmployeeInput,
) -> Result<Employee> {
    actor.require(Permission::ManageEmployees)?;
    let spec = employee_spec(input, None)?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_employee(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_employee(
    state: &AppState,
    actor: &Actor,
    id: EmployeeId,
    input: &EmployeeInput,
) -> Result<Employee> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().employee(actor.organisation_id, id).await?;
    actor.require(Permission::ManageEmployees)?;
    let spec = employee_spec(input, Some(&before))?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_employee(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// Checks a file of employees against the register and, unless
/// `dry_run`, writes it: all rows or none.
pub async fn import_employees(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<EmployeeImportReport> {
    actor.require(Permission::ManageEmployees)?;
    let organisation = actor.organisation_id;
    let table = crate::spreadsheet::read(bytes, import::MAX_ROWS)?;
    let store = state.store();
    let mut units: HashMap<String, Vec<UnitId>> = HashMap::new();
    for unit in store.list_units(organisation).await? {
        units
            .entry(unit.name.to_lowercase())
            .or_default()
            .push(unit.id);
    }
    let lookups = import::Lookups {
        employees: store.all_employees(organisation).await?,
        units,
        roles: store
            .role_profiles(organisation)
            .await?
            .into_iter()
            .map(|r| (r.name.to_lowercase(), r.id))
            .collect(),
        members: store
            .member_emails(organisation)
            .await?
            .into_iter()
            .collect(),
    };
    let planned = import::plan(&table, &lookups)?;
    let changed: Vec<&import::Planned> = planned.iter().filter(|p| !p.unchanged()).collect();
    let created = changed.iter().filter(|p| p.before.is_none()).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if !dry_run && !changed.is_empty() {
        let meta = actor.audit(state.clock().now());
        store
            .import_employees(&meta, organisation, &changed)
            .await?;
    }
    Ok(EmployeeImportReport {
        dry_run,
        rows: count(table.rows.len()),
        created: count(created),
        updated: count(changed.len() - created),
        unchanged: count(planned.len() - changed.len()),
    })
}

/// Checks an uploaded file and keeps it for its uploader to confirm.
pub async fn preview_employee_upload(
    state: &AppState,
    actor: &Actor,
    filename: &str,
    bytes: &[u8],
) -> Result<(UploadId, EmployeeImportReport)> {
    if bytes.is_empty() {
        return Err(crate::Error::invalid("file", "required"));
    }
    let report = import_employees(state, actor, bytes, true).await?;
    let name: String = filename.chars().take(200).collect();
    let id = state
        .store()
        .keep_upload(
            actor.organisation_id,
            actor.user_id,
            UploadPurpose::Employees,
            &name,
            bytes,
            state.clock().now(),
        )
        .await?;
    Ok((id, report))
}

/// Imports a previewed file for real (checked again: the register may
/// have changed since) and forgets it.
pub async fn confirm_employee_upload(
    state: &AppState,
    actor: &Actor,
    id: UploadId,
) -> Result<EmployeeImportReport> {
    actor.require(Permission::ManageEmployees)?;
    let upload = state
        .store()
        .upload(
            actor.organisation_id,
            actor.user_id,
            UploadPurpose::Employees,
            id,
        )
        .await?;
    let report = import_employees(state, actor, &upload.content, false).await?;
    state
        .store()
        .discard_upload(actor.organisation_id, actor.user_id, upload.id)
        .await?;
    Ok(report)
}

/// One employee's levels and history, with the reader's access.
pub async fn employee_skills(
    state: &AppState,
    actor: &Actor,
    id: EmployeeId,
) -> Result<(EmployeeSkills, Access)> {
    actor.require(Permission::ViewOrganisation)?;
    let employee = state.store().employee(actor.organisation_id, id).await?;
    let access = access_to(state, actor, &employee).await?;
    let (levels, history) = state.store().employee_skills(&employee).await?;
    Ok((
        EmployeeSkills {
            employee,
            levels,
            history,
        },
        access,
    ))
}

/// Records assessments of an employee, dated today. The employee records
/// a self-assessment, their unit lead or HR a manager assessment; any
/// other source is refused.
pub async fn assess(
    state: &AppState,
    actor: &Actor,
    id: EmployeeId,
    input: &AssessmentsInput,
) -> Result<EmployeeSkills> {
    actor.require(Permission::ViewOrganisation)?;
    let employee = state.store().employee(actor.organisation_id, id).await?;
    let access = access_to(state, actor, &employee).await?;
    if !employee.active {
        return Err(crate::Error::conflict("employee", "inactive_employee"));
    }
    let (source, specs) = assessments_spec(input, &scales(state, actor).await?)?;
    if source != access.source() {
        return Err(crate::Error::Forbidden);
    }
    let meta = actor.audit(state.clock().now());
    let today = state.today().day_number();
    state
        .store()
        .record_assessments(&meta, &employee, source, &specs, today)
        .await?;
    let (levels, history) = state.store().employee_skills(&employee).await?;
    Ok(EmployeeSkills {
        employee,
        levels,
        history,
    })
}

// ---- aggregates ----

/// What the gap views need: the heatmap, gaps per role, the priority list
/// and the workforce plan, all from the kept sums.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GapAnalysis {
    pub heatmap: Heatmap,
    pub role_gaps: Vec<RoleGap>,
    pub priorities: Vec<Priority>,
    pub workforce: gaps::Workforce,
}

/// The organisation's units as nodes of the aggregate views' tree.
pub async fn unit_nodes(
    state: &AppState,
    organisation: crate::domain::OrganisationId,
) -> Result<Vec<UnitNode>> {
    Ok(state
        .store()
        .list_units(organisation)
        .await?
        .into_iter()
        .map(|u| UnitNode {
            id: u.id,
            parent: u.parent_id,
            name: u.name,
        })
        .collect())
}

/// The gap views' columns: the competences some role needs, in framework
/// order.
pub fn needed_competences(competences: &[Competence], roles: &[RoleProfile]) -> Vec<CompetenceId> {
    competences
        .iter()
        .map(|c| c.id)
        .filter(|id| {
            roles
                .iter()
                .any(|r| r.requirements.iter().any(|q| q.competence_id == *id))
        })
        .collect()
}

pub async fn gap_analysis(state: &AppState, actor: &Actor) -> Result<GapAnalysis> {
    actor.require(Permission::ViewSkillAggregates)?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let k = store.min_group_size(organisation).await?;
    let name = store.organisation(organisation).await?.name;
    let units = unit_nodes(state, organisation).await?;
    let roles = store.role_profiles(organisation).await?;
    let needed = needed_competences(&store.competences(organisation).await?, &roles);
    let sums = store.gap_sums(organisation).await?;
    let heatmap = gaps::heatmap(&name, &units, &needed, &sums, k);
    let role_ids: Vec<RoleProfileId> = roles.iter().map(|r| r.id).collect();
    let role_gaps = gaps::role_gaps(&role_ids, &needed, &sums, k);
    let fte: HashMap<RoleProfileId, f64> = roles.iter().map(|r| (r.id, r.fte_needed)).collect();
    let priorities = gaps::priorities(&role_gaps, &fte);
    let workforce = gaps::workforce(&roles);
    Ok(GapAnalysis {
        heatmap,
        role_gaps,
        priorities,
        workforce,
    })
}

pub async fn min_group_size(state: &AppState, actor: &Actor) -> Result<i64> {
    actor.require(Permission::ViewSkillAggregates)?;
    state.store().min_group_size(actor.organisation_id).await
}

pub async fn set_min_group_size(state: &AppState, actor: &Actor, size: Option<i64>) -> Result<i64> {
    actor.require(Permission::ManageSkills)?;
    let size = match size {
        None => return Err(crate::Error::invalid("min_group_size", "required")),
        Some(size) if !MIN_GROUP_SIZE_RANGE.contains(&size) => {
            return Err(crate::Error::invalid("min_group_size", "out_of_bounds"));
        }
        Some(size) => size,
    };
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_min_group_size(&meta, actor.organisation_id, size)
        .await?;
    Ok(size)
}

pub async fn rounds(state: &AppState, actor: &Actor) -> Result<Vec<Round>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().rounds(actor.organisation_id).await
}

pub async fn create_round(state: &AppState, actor: &Actor, input: &RoundInput) -> Result<Round> {
    actor.require(Permission::ManageSkills)?;
    let spec = round_spec(input)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .create_round(&meta, actor.organisation_id, &spec)
        .await
}
