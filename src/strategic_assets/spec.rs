//! Validation of a strategic asset.

use super::{AmbitionLink, AssetKind, Criticality, StrategicAsset, StrategicAssetInput};
use crate::domain::{AmbitionId, Name, UserId, Validator};

pub const TEXT_MAX: usize = 4000;
pub const AMBITIONS_MAX: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct StrategicAssetSpec {
    pub name: Name,
    pub kind: AssetKind,
    pub owner_id: Option<UserId>,
    pub description: String,
    pub current_state: String,
    pub gap: String,
    pub ambitions: Vec<AmbitionLink>,
}

pub fn strategic_asset_spec(
    input: &StrategicAssetInput,
    before: Option<&StrategicAsset>,
) -> crate::Result<StrategicAssetSpec> {
    let mut v = Validator::new();
    let text = |given: &Option<String>, kept: Option<&String>| {
        given.clone().or(kept.cloned()).unwrap_or_default()
    };
    let name = v.check(
        "name",
        Name::parse(&text(&input.name, before.map(|b| &b.name))),
    );
    let kind = match (&input.kind, before) {
        (Some(code), _) => v.check("kind", AssetKind::parse(code)),
        (None, Some(b)) => Some(b.kind),
        (None, None) => {
            v.add("kind", "required");
            None
        }
    };
    let description = v.text(
        "description",
        &text(&input.description, before.map(|b| &b.description)),
        TEXT_MAX,
    );
    let current_state = v.text(
        "current_state",
        &text(&input.current_state, before.map(|b| &b.current_state)),
        TEXT_MAX,
    );
    let gap = v.text("gap", &text(&input.gap, before.map(|b| &b.gap)), TEXT_MAX);
    let owner_id = match input.owner_id {
        Some(given) => given.map(UserId),
        None => before.and_then(|b| b.owner_id),
    };
    let ambitions = match &input.ambitions {
        None => before.map(|b| b.ambitions.clone()).unwrap_or_default(),
        Some(given) => {
            if given.len() > AMBITIONS_MAX {
                v.add("ambitions", "too_many_values");
            }
            let mut out: Vec<AmbitionLink> = Vec::new();
            for (i, link) in given.iter().enumerate() {
                let field = format!("ambitions[{i}]");
                let criticality = v.check(
                    &format!("{field}.criticality"),
                    Criticality::parse(link.criticality.as_deref().unwrap_or("")),
                );
                let Some(id) = link.ambition_id else {
                    v.add(&format!("{field}.ambition_id"), "required");
                    continue;
                };
                if out.iter().any(|l| l.ambition_id.0 == id) {
                    v.add(&format!("{field}.ambition_id"), "duplicate_value");
                    continue;
                }
                if let Some(criticality) = criticality {
                    out.push(AmbitionLink {
                        ambition_id: AmbitionId(id),
                        criticality,
                    });
                }
            }
            out
        }
    };
    let fields = name.zip(kind).map(|(name, kind)| StrategicAssetSpec {
        name,
        kind,
        owner_id,
        description,
        current_state,
        gap,
        ambitions,
    });
    v.finish(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategic_assets::AmbitionLinkInput;

    #[test]
    fn an_asset_needs_a_name_and_a_kind_and_each_ambition_once_with_a_criticality() {
        let input = StrategicAssetInput {
            kind: Some("magic".into()),
            ambitions: Some(vec![
                AmbitionLinkInput {
                    ambition_id: Some(1),
                    criticality: Some("high".into()),
                },
                AmbitionLinkInput {
                    ambition_id: Some(1),
                    criticality: Some("low".into()),
                },
                AmbitionLinkInput {
                    ambition_id: Some(2),
                    criticality: Some("vital".into()),
                },
            ]),
            ..StrategicAssetInput::default()
        };
        let Err(crate::Error::Invalid(errors)) = strategic_asset_spec(&input, None) else {
            panic!("expected invalid");
        };
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                ("name", "required"),
                ("kind", "unknown_choice"),
                ("ambitions[1].ambition_id", "duplicate_value"),
                ("ambitions[2].criticality", "unknown_choice"),
            ]
        );
    }
}
