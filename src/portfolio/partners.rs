//! Partner organisations and future labs. A partner (government, company,
//! knowledge institution, civil society) takes a role in initiatives; a
//! future lab brings several partners together, each contributing money,
//! people, data or facilities, and hosts initiatives.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{InitiativeId, LabId, Name, OrganisationId, PartnerId, Validator};

code_enum!(
    /// What sort of organisation a partner is.
    PartnerKind, "partner_kind", {
        Government => "government",
        Company => "company",
        KnowledgeInstitution => "knowledge_institution",
        CivilSociety => "civil_society",
    }
);

code_enum!(
    /// What a member brings to a future lab.
    Contribution, "contribution", {
        Money => "money",
        People => "people",
        Data => "data",
        Facilities => "facilities",
    }
);

pub const ROLE_MAX: usize = 200;
pub const THEME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 4000;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Partner {
    pub id: PartnerId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub name: String,
    pub kind: PartnerKind,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A partner's role in one initiative.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct InitiativePartner {
    pub initiative_id: InitiativeId,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    /// E.g. "levert sensoren" or "evalueert".
    pub role: String,
}

/// One member of a future lab and what it brings.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LabMember {
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    pub contributions: Vec<Contribution>,
    /// The contribution in words, e.g. "twee onderzoekers, vier dagen per week".
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FutureLab {
    pub id: LabId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub name: String,
    pub theme: String,
    pub description: String,
    pub members: Vec<LabMember>,
    /// The initiatives this lab hosts.
    pub initiative_ids: Vec<InitiativeId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A partner as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct PartnerInput {
    /// 1–200 characters, unique in the organisation. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Required on create.
    #[schema(nullable = false)]
    pub kind: Option<PartnerKind>,
}

/// A partner's role in an initiative.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct PartnerRoleInput {
    /// 1–200 characters.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub role: Option<String>,
}

/// A future lab as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct LabInput {
    /// 1–200 characters, unique in the organisation. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Up to 200 characters, e.g. "klimaatadaptatie".
    #[schema(nullable = false, max_length = 200)]
    pub theme: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
}

/// What a member brings to a lab.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct LabMemberInput {
    /// At least one of money, people, data, facilities.
    #[schema(nullable = false)]
    pub contributions: Option<Vec<Contribution>>,
    /// Up to 1000 characters.
    #[schema(nullable = false, max_length = 1000)]
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PartnerSpec {
    pub name: Name,
    pub kind: PartnerKind,
}

pub fn partner_spec(input: &PartnerInput, before: Option<&Partner>) -> crate::Result<PartnerSpec> {
    let mut v = Validator::new();
    let name = input
        .name
        .clone()
        .or_else(|| before.map(|p| p.name.clone()))
        .unwrap_or_default();
    let name = v.check("name", Name::parse(&name));
    let kind = input.kind.or(before.map(|p| p.kind));
    if kind.is_none() {
        v.add("kind", "required");
    }
    let spec = match (name, kind) {
        (Some(name), Some(kind)) => Some(PartnerSpec { name, kind }),
        _ => None,
    };
    v.finish(spec)
}

/// A role: one line of text, required.
pub fn role_spec(input: &PartnerRoleInput) -> crate::Result<String> {
    let mut v = Validator::new();
    let role = v.line("role", input.role.as_deref().unwrap_or(""), ROLE_MAX);
    if role.is_empty() {
        v.add("role", "required");
    }
    v.finish(Some(role))
}

#[derive(Debug, Clone)]
pub struct LabSpec {
    pub name: Name,
    pub theme: String,
    pub description: String,
}

pub fn lab_spec(input: &LabInput, before: Option<&FutureLab>) -> crate::Result<LabSpec> {
    let mut v = Validator::new();
    let pick = |given: &Option<String>, stored: fn(&FutureLab) -> &String| {
        given
            .clone()
            .or_else(|| before.map(|lab| stored(lab).clone()))
            .unwrap_or_default()
    };
    let name = v.check("name", Name::parse(&pick(&input.name, |l| &l.name)));
    let theme = v.line("theme", &pick(&input.theme, |l| &l.theme), THEME_MAX);
    let description = v.text(
        "description",
        &pick(&input.description, |l| &l.description),
        DESCRIPTION_MAX,
    );
    v.finish(name.map(|name| LabSpec {
        name,
        theme,
        description,
    }))
}

#[derive(Debug, Clone)]
pub struct MemberSpec {
    pub contributions: Vec<Contribution>,
    pub description: String,
}

pub fn member_spec(input: &LabMemberInput) -> crate::Result<MemberSpec> {
    let mut v = Validator::new();
    // Kept in the canonical order, each once.
    let given = input.contributions.clone().unwrap_or_default();
    let contributions: Vec<Contribution> = Contribution::ALL
        .iter()
        .copied()
        .filter(|c| given.contains(c))
        .collect();
    if contributions.is_empty() {
        v.add("contributions", "required");
    }
    let description = v.text(
        "description",
        input.description.as_deref().unwrap_or(""),
        1000,
    );
    v.finish(Some(MemberSpec {
        contributions,
        description,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(error: crate::Error) -> Vec<(String, String)> {
        let crate::Error::Invalid(errors) = error else {
            panic!("expected invalid input, got {error:?}");
        };
        errors
            .into_iter()
            .map(|e| (e.field, e.code.to_owned()))
            .collect()
    }

    #[test]
    fn a_partner_needs_a_name_and_a_kind() {
        let error = partner_spec(&PartnerInput::default(), None).unwrap_err();
        let found = codes(error);
        assert!(found.iter().any(|(f, _)| f == "name"), "{found:?}");
        assert!(
            found.contains(&("kind".into(), "required".into())),
            "{found:?}"
        );
        let spec = partner_spec(
            &PartnerInput {
                name: Some("  Waterschap Rivierenland ".into()),
                kind: Some(PartnerKind::Government),
            },
            None,
        )
        .unwrap();
        assert_eq!(spec.name.as_str(), "Waterschap Rivierenland");
    }

    #[test]
    fn a_member_contributes_something_each_kind_once_in_order() {
        let error = member_spec(&LabMemberInput::default()).unwrap_err();
        assert_eq!(
            codes(error),
            vec![("contributions".into(), "required".into())]
        );
        let spec = member_spec(&LabMemberInput {
            contributions: Some(vec![
                Contribution::Data,
                Contribution::Money,
                Contribution::Data,
            ]),
            description: Some("Meetgegevens en € 20.000".into()),
        })
        .unwrap();
        assert_eq!(
            spec.contributions,
            vec![Contribution::Money, Contribution::Data]
        );
    }

    #[test]
    fn a_role_is_one_required_line() {
        let error = role_spec(&PartnerRoleInput::default()).unwrap_err();
        assert_eq!(codes(error), vec![("role".into(), "required".into())]);
        let error = role_spec(&PartnerRoleInput {
            role: Some("levert\nsensoren".into()),
        })
        .unwrap_err();
        assert_eq!(codes(error)[0].0, "role");
    }
}
