use serde::{Deserialize, Serialize};

/// What a member may do in one organisation. The matrix below is the single
/// source of truth; `docs/permissions.md` mirrors it and a test keeps the two
/// equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Executive,
    ProgrammeLead,
    UnitLead,
    Employee,
    Viewer,
    /// Human resources: the workforce plan and everyone's skill levels.
    Hr,
}

/// An action guarded in the service layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the start page, the organisation and its unit tree.
    ViewOrganisation,
    /// Change organisation settings.
    ManageOrganisation,
    /// Create, rename, move and archive units.
    ManageUnits,
    /// See the members of the organisation and their roles.
    ViewPeople,
    /// Add people, change roles, deactivate memberships, send invitations.
    ManagePeople,
    /// Read the audit log.
    ViewAudit,
    /// Create and revoke one's own API tokens.
    ManageOwnTokens,
    /// Define and change indicators and their targets.
    ManageIndicators,
    /// Record measurements of any indicator (owners may always record their own).
    RecordMeasurements,
    /// Keep programmes, ambitions, the accountable executive and co-creation
    /// sessions on record.
    ManageGovernance,
    /// Define and edit initiatives of the innovation portfolio.
    ManagePortfolio,
    /// Keep competence frameworks, role profiles (the workforce plan),
    /// assessment rounds and learning actions.
    ManageSkills,
    /// Keep the register of employees and import it.
    ManageEmployees,
    /// See skill gaps aggregated over groups large enough to stay anonymous.
    ViewSkillAggregates,
    /// See every employee's own skill levels (unit leads see their units'
    /// employees by a rule in the service).
    ViewIndividualSkills,
    /// Keep the readiness scan and the pulse survey: their items and
    /// versions, waves and invitations.
    ManageSurveys,
    /// See survey results, only for groups large enough to stay anonymous.
    ViewSurveyResults,
    /// Post ideas, comment and support them.
    ShareIdeas,
    /// Review ideas (accept, decline, park, promote) and moderate them; see
    /// who wrote an idea whose author hid their name.
    TriageIdeas,
    /// Keep the service catalogue, the data assets and the strategic
    /// assets.
    ManageServices,
    /// Make board reports and read the ones made.
    MakeBoardReports,
}

impl Permission {
    pub const ALL: [Permission; 21] = [
        Permission::ViewOrganisation,
        Permission::ManageOrganisation,
        Permission::ManageUnits,
        Permission::ViewPeople,
        Permission::ManagePeople,
        Permission::ViewAudit,
        Permission::ManageOwnTokens,
        Permission::ManageIndicators,
        Permission::RecordMeasurements,
        Permission::ManageGovernance,
        Permission::ManagePortfolio,
        Permission::ManageSkills,
        Permission::ManageEmployees,
        Permission::ViewSkillAggregates,
        Permission::ViewIndividualSkills,
        Permission::ManageSurveys,
        Permission::ViewSurveyResults,
        Permission::ShareIdeas,
        Permission::TriageIdeas,
        Permission::ManageServices,
        Permission::MakeBoardReports,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Permission::ViewOrganisation => "view_organisation",
            Permission::ManageOrganisation => "manage_organisation",
            Permission::ManageUnits => "manage_units",
            Permission::ViewPeople => "view_people",
            Permission::ManagePeople => "manage_people",
            Permission::ViewAudit => "view_audit",
            Permission::ManageOwnTokens => "manage_own_tokens",
            Permission::ManageIndicators => "manage_indicators",
            Permission::RecordMeasurements => "record_measurements",
            Permission::ManageGovernance => "manage_governance",
            Permission::ManagePortfolio => "manage_portfolio",
            Permission::ManageSkills => "manage_skills",
            Permission::ManageEmployees => "manage_employees",
            Permission::ViewSkillAggregates => "view_skill_aggregates",
            Permission::ViewIndividualSkills => "view_individual_skills",
            Permission::ManageSurveys => "manage_surveys",
            Permission::ViewSurveyResults => "view_survey_results",
            Permission::ShareIdeas => "share_ideas",
            Permission::TriageIdeas => "triage_ideas",
            Permission::ManageServices => "manage_services",
            Permission::MakeBoardReports => "make_board_reports",
        }
    }
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Executive,
        Role::ProgrammeLead,
        Role::UnitLead,
        Role::Employee,
        Role::Viewer,
        Role::Hr,
    ];

    pub fn can(self, permission: Permission) -> bool {
        use Permission as P;
        match permission {
            P::ViewOrganisation | P::ManageOwnTokens => true,
            P::ManageOrganisation | P::ManageUnits | P::ManagePeople | P::ViewAudit => {
                self == Role::Admin
            }
            P::ManageIndicators => matches!(self, Role::Admin | Role::ProgrammeLead),
            P::ManagePortfolio => {
                matches!(self, Role::Admin | Role::ProgrammeLead | Role::UnitLead)
            }
            P::ManageGovernance => {
                matches!(self, Role::Admin | Role::Executive | Role::ProgrammeLead)
            }
            P::RecordMeasurements => {
                matches!(self, Role::Admin | Role::ProgrammeLead | Role::UnitLead)
            }
            P::ViewPeople => matches!(
                self,
                Role::Admin | Role::Executive | Role::ProgrammeLead | Role::UnitLead | Role::Hr
            ),
            P::ManageSkills | P::ManageEmployees => matches!(self, Role::Admin | Role::Hr),
            P::ViewSkillAggregates => matches!(
                self,
                Role::Admin | Role::Executive | Role::ProgrammeLead | Role::UnitLead | Role::Hr
            ),
            // Personal data: not even administrators see individual levels.
            P::ViewIndividualSkills => self == Role::Hr,
            P::ManageSurveys => matches!(self, Role::Admin | Role::ProgrammeLead | Role::Hr),
            P::ViewSurveyResults => matches!(
                self,
                Role::Admin | Role::Executive | Role::ProgrammeLead | Role::UnitLead | Role::Hr
            ),
            // Viewers read along; everyone else takes part.
            P::ShareIdeas => self != Role::Viewer,
            P::TriageIdeas => matches!(self, Role::Admin | Role::ProgrammeLead),
            P::ManageServices => {
                matches!(self, Role::Admin | Role::ProgrammeLead | Role::UnitLead)
            }
            // The report draws on aggregates only these roles read.
            P::MakeBoardReports => {
                matches!(self, Role::Admin | Role::Executive | Role::ProgrammeLead)
            }
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Executive => "executive",
            Role::ProgrammeLead => "programme_lead",
            Role::UnitLead => "unit_lead",
            Role::Employee => "employee",
            Role::Viewer => "viewer",
            Role::Hr => "hr",
        }
    }

    /// The locale key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Executive => "role.executive",
            Role::ProgrammeLead => "role.programme_lead",
            Role::UnitLead => "role.unit_lead",
            Role::Employee => "role.employee",
            Role::Viewer => "role.viewer",
            Role::Hr => "role.hr",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("required");
        }
        Self::ALL
            .into_iter()
            .find(|role| role.code() == input)
            .ok_or("unknown_choice")
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    /// A board report reads skill gaps and survey results through their own
    /// services; whoever may make one must be allowed to read those.
    #[test]
    fn board_report_makers_read_every_aggregate_the_report_draws_on() {
        use super::Permission as P;
        for role in Role::ALL {
            if role.can(P::MakeBoardReports) {
                assert!(role.can(P::ViewSkillAggregates), "{role:?}");
                assert!(role.can(P::ViewSurveyResults), "{role:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Ok(role));
        }
        assert_eq!(Role::parse("boss"), Err("unknown_choice"));
    }
}
