//! Who may see one employee's levels. Skill levels are personal data:
//! the employee themself, HR, and a unit lead whose own employee record
//! sits in the employee's unit or a unit above it. Not administrators, not
//! executives: they see aggregates only.

use super::{AssessmentSource, Employee};
use crate::auth::Actor;
use crate::domain::{Permission, Role, UnitId};

/// Why the actor may see an employee's levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The employee themself.
    Own,
    /// The employee's unit lead.
    UnitLead,
    /// Human resources.
    Hr,
}

impl Access {
    /// The assessment this reader records: their own is a self-assessment,
    /// a unit lead's or HR's a manager assessment.
    pub fn source(self) -> AssessmentSource {
        match self {
            Access::Own => AssessmentSource::Employee,
            Access::UnitLead | Access::Hr => AssessmentSource::Manager,
        }
    }
}

/// The actor's access to `employee`, if any. `actor_record` is the actor's
/// own employee record; `employee_units` is the employee's unit followed by
/// every unit above it.
pub fn access(
    actor: &Actor,
    employee: &Employee,
    actor_record: Option<&Employee>,
    employee_units: &[UnitId],
) -> Option<Access> {
    if employee.user_id == Some(actor.user_id) {
        return Some(Access::Own);
    }
    if actor.can(Permission::ViewIndividualSkills) {
        return Some(Access::Hr);
    }
    let leads = actor.role == Role::UnitLead
        && actor_record
            .filter(|r| r.active)
            .and_then(|r| r.unit_id)
            .is_some_and(|unit| employee_units.contains(&unit));
    leads.then_some(Access::UnitLead)
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{EmployeeId, Locale, OrganisationId, UserId};

    fn actor(user: i64, role: Role) -> Actor {
        Actor {
            user_id: UserId(user),
            organisation_id: OrganisationId(1),
            role,
            label: "x@example.org".into(),
            locale: Locale::Nl,
            is_platform_admin: false,
            client_address: None,
        }
    }

    fn employee(id: i64, user: Option<i64>, unit: Option<i64>) -> Employee {
        Employee {
            id: EmployeeId(id),
            organisation_id: OrganisationId(1),
            number: id.to_string(),
            name: format!("E{id}"),
            user_id: user.map(UserId),
            unit_id: unit.map(UnitId),
            role_profile_id: None,
            active: true,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_employee_sees_their_own_levels_whatever_their_role() {
        let me = employee(1, Some(10), Some(3));
        for role in Role::ALL {
            assert_eq!(
                access(&actor(10, role), &me, Some(&me), &[UnitId(3)]),
                Some(Access::Own)
            );
        }
    }

    #[test]
    fn hr_sees_everyone_and_administrators_and_executives_nobody() {
        let other = employee(2, Some(11), Some(3));
        assert_eq!(
            access(&actor(10, Role::Hr), &other, None, &[UnitId(3)]),
            Some(Access::Hr)
        );
        for role in [
            Role::Admin,
            Role::Executive,
            Role::ProgrammeLead,
            Role::Employee,
            Role::Viewer,
        ] {
            let mine = employee(1, Some(10), Some(3));
            assert_eq!(
                access(&actor(10, role), &other, Some(&mine), &[UnitId(3)]),
                None,
                "{role}"
            );
        }
    }

    #[test]
    fn a_unit_lead_sees_their_units_and_those_below_only() {
        let lead = actor(10, Role::UnitLead);
        let record = employee(1, Some(10), Some(3));
        // The employee's unit 5 sits below 3.
        let below = employee(2, None, Some(5));
        assert_eq!(
            access(
                &lead,
                &below,
                Some(&record),
                &[UnitId(5), UnitId(3), UnitId(1)]
            ),
            Some(Access::UnitLead)
        );
        // A sibling unit: not theirs.
        let beside = employee(3, None, Some(4));
        assert_eq!(
            access(&lead, &beside, Some(&record), &[UnitId(4), UnitId(1)]),
            None
        );
        // No record of their own, or an inactive one: no access.
        assert_eq!(access(&lead, &below, None, &[UnitId(5), UnitId(3)]), None);
        let gone = Employee {
            active: false,
            ..record
        };
        assert_eq!(
            access(&lead, &below, Some(&gone), &[UnitId(5), UnitId(3)]),
            None
        );
    }
}
