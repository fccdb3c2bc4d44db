use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Municipality,
    Province,
    WaterBoard,
    Agency,
    Other,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 5] = [
        OrganisationKind::Municipality,
        OrganisationKind::Province,
        OrganisationKind::WaterBoard,
        OrganisationKind::Agency,
        OrganisationKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Municipality => "municipality",
            OrganisationKind::Province => "province",
            OrganisationKind::WaterBoard => "water_board",
            OrganisationKind::Agency => "agency",
            OrganisationKind::Other => "other",
        }
    }

    /// The locale key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            OrganisationKind::Municipality => "organisation_kind.municipality",
            OrganisationKind::Province => "organisation_kind.province",
            OrganisationKind::WaterBoard => "organisation_kind.water_board",
            OrganisationKind::Agency => "organisation_kind.agency",
            OrganisationKind::Other => "organisation_kind.other",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("required");
        }
        Self::ALL
            .into_iter()
            .find(|kind| kind.code() == input)
            .ok_or("unknown_choice")
    }
}
