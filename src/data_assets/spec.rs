//! Validation of data assets and of expertise-point members.

use super::{
    DataAsset, DataAssetInput, ExpertiseMemberInput, LegalBasis, Openness, RATING_MAX,
    UpdateFrequency,
};
use crate::domain::{CompetenceId, IndicatorId, InitiativeId, Name, ServiceId, UserId, Validator};

pub const TEXT_MAX: usize = 4000;
pub const LINE_MAX: usize = 200;
pub const LINKS_MAX: usize = 50;
pub const COMPETENCES_MAX: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct DataAssetSpec {
    pub name: Name,
    pub description: String,
    pub steward_id: Option<UserId>,
    pub source_system: String,
    pub personal_data: bool,
    pub legal_basis: Option<LegalBasis>,
    pub completeness: i64,
    pub timeliness: i64,
    pub openness: Openness,
    pub update_frequency: UpdateFrequency,
    pub service_ids: Vec<ServiceId>,
    pub initiative_ids: Vec<InitiativeId>,
    pub indicator_ids: Vec<IndicatorId>,
}

fn rating(v: &mut Validator, field: &str, value: Option<i64>) -> Option<i64> {
    match value {
        None => {
            v.add(field, "required");
            None
        }
        Some(r) if !(1..=RATING_MAX).contains(&r) => {
            v.add(field, "rating_range");
            None
        }
        Some(r) => Some(r),
    }
}

fn code<T>(
    v: &mut Validator,
    field: &str,
    given: Option<&str>,
    kept: Option<T>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match (given, kept) {
        (Some(text), _) => v.check(field, parse(text)),
        (None, Some(kept)) => Some(kept),
        (None, None) => {
            v.add(field, "required");
            None
        }
    }
}

pub fn data_asset_spec(
    input: &DataAssetInput,
    before: Option<&DataAsset>,
) -> crate::Result<DataAssetSpec> {
    let mut v = Validator::new();
    let text = |given: &Option<String>, kept: Option<&String>| {
        given.clone().or(kept.cloned()).unwrap_or_default()
    };
    let name = v.check(
        "name",
        Name::parse(&text(&input.name, before.map(|b| &b.name))),
    );
    let description = v.text(
        "description",
        &text(&input.description, before.map(|b| &b.description)),
        TEXT_MAX,
    );
    let source_system = v.line(
        "source_system",
        &text(&input.source_system, before.map(|b| &b.source_system)),
        LINE_MAX,
    );
    let personal_data = input
        .personal_data
        .or(before.map(|b| b.personal_data))
        .unwrap_or(false);
    let legal_basis = match &input.legal_basis {
        Some(Some(text)) if !text.trim().is_empty() => {
            v.check("legal_basis", LegalBasis::parse(text))
        }
        Some(_) => None,
        None => before.and_then(|b| b.legal_basis),
    };
    if personal_data && legal_basis.is_none() && !v.has("legal_basis") {
        v.add("legal_basis", "gdpr_basis_required");
    }
    let completeness = rating(
        &mut v,
        "completeness",
        input.completeness.or(before.map(|b| b.completeness)),
    );
    let timeliness = rating(
        &mut v,
        "timeliness",
        input.timeliness.or(before.map(|b| b.timeliness)),
    );
    let openness = code(
        &mut v,
        "openness",
        input.openness.as_deref(),
        before.map(|b| b.openness),
        Openness::parse,
    );
    // Personal data is never open data.
    if personal_data && openness == Some(Openness::Open) {
        v.add("openness", "personal_data_not_open");
    }
    let update_frequency = code(
        &mut v,
        "update_frequency",
        input.update_frequency.as_deref(),
        before.map(|b| b.update_frequency),
        UpdateFrequency::parse,
    );
    let steward_id = match input.steward_id {
        Some(given) => given.map(UserId),
        None => before.and_then(|b| b.steward_id),
    };
    let service_ids = match &input.service_ids {
        Some(given) => v
            .ids("service_ids", given, LINKS_MAX)
            .into_iter()
            .map(ServiceId)
            .collect(),
        None => before.map(|b| b.service_ids.clone()).unwrap_or_default(),
    };
    let initiative_ids = match &input.initiative_ids {
        Some(given) => v
            .ids("initiative_ids", given, LINKS_MAX)
            .into_iter()
            .map(InitiativeId)
            .collect(),
        None => before.map(|b| b.initiative_ids.clone()).unwrap_or_default(),
    };
    let indicator_ids = match &input.indicator_ids {
        Some(given) => v
            .ids("indicator_ids", given, LINKS_MAX)
            .into_iter()
            .map(IndicatorId)
            .collect(),
        None => before.map(|b| b.indicator_ids.clone()).unwrap_or_default(),
    };
    let fields = (|| {
        Some(DataAssetSpec {
            name: name?,
            description,
            steward_id,
            source_system,
            personal_data,
            legal_basis: if personal_data { legal_basis } else { None },
            completeness: completeness?,
            timeliness: timeliness?,
            openness: openness?,
            update_frequency: update_frequency?,
            service_ids,
            initiative_ids,
            indicator_ids,
        })
    })();
    v.finish(fields)
}

/// A checked expertise-point member.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertiseSpec {
    pub role: String,
    pub competence_ids: Vec<CompetenceId>,
}

pub fn expertise_spec(input: &ExpertiseMemberInput) -> crate::Result<ExpertiseSpec> {
    let mut v = Validator::new();
    let role = v.line("role", input.role.as_deref().unwrap_or(""), LINE_MAX);
    if role.is_empty() {
        v.add("role", "required");
    }
    let competence_ids = v
        .ids(
            "competence_ids",
            input.competence_ids.as_deref().unwrap_or(&[]),
            COMPETENCES_MAX,
        )
        .into_iter()
        .map(CompetenceId)
        .collect();
    v.finish(Some(ExpertiseSpec {
        role,
        competence_ids,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(input: &DataAssetInput) -> Vec<(String, &'static str)> {
        match data_asset_spec(input, None) {
            Err(crate::Error::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn personal_data_needs_a_basis_and_is_never_open() {
        let input = DataAssetInput {
            name: Some("BRP".into()),
            personal_data: Some(true),
            completeness: Some(5),
            timeliness: Some(0),
            openness: Some("open".into()),
            update_frequency: Some("daily".into()),
            ..DataAssetInput::default()
        };
        assert_eq!(
            errors(&input),
            [
                ("legal_basis".to_owned(), "gdpr_basis_required"),
                ("timeliness".to_owned(), "rating_range"),
                ("openness".to_owned(), "personal_data_not_open"),
            ]
        );
        let fixed = DataAssetInput {
            legal_basis: Some(Some("public_task".into())),
            timeliness: Some(4),
            openness: Some("closed".into()),
            ..input
        };
        let spec = data_asset_spec(&fixed, None).unwrap();
        assert_eq!(spec.legal_basis, Some(LegalBasis::PublicTask));
        // Without personal data, no basis is kept.
        let open = DataAssetInput {
            personal_data: Some(false),
            openness: Some("open".into()),
            ..fixed
        };
        assert_eq!(data_asset_spec(&open, None).unwrap().legal_basis, None);
    }

    #[test]
    fn an_expertise_member_needs_a_role() {
        assert!(expertise_spec(&ExpertiseMemberInput::default()).is_err());
        let spec = expertise_spec(&ExpertiseMemberInput {
            role: Some("Data-analist".into()),
            competence_ids: Some(vec![3, 3, 1]),
        })
        .unwrap();
        assert_eq!(spec.competence_ids, [CompetenceId(3), CompetenceId(1)]);
    }
}
