//! Validation of a service.

use super::{Channel, MATURITY_MAX, Service, ServiceInput, TargetGroup};
use crate::domain::{IndicatorId, InitiativeId, Name, UnitId, Validator};

pub const TEXT_MAX: usize = 4000;
pub const LEGAL_BASIS_MAX: usize = 500;
pub const LEAD_TIME_MAX: i64 = 3650;
pub const LINKS_MAX: usize = 50;

/// A checked service; references are checked by the service layer.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSpec {
    pub name: Name,
    pub description: String,
    pub target_groups: Vec<TargetGroup>,
    pub legal_basis: String,
    pub owner_unit_id: Option<UnitId>,
    pub lead_time_days: Option<i64>,
    pub channels: Vec<Channel>,
    pub maturity: i64,
    pub automation: String,
    pub personalisation: String,
    pub indicator_ids: Vec<IndicatorId>,
    pub initiative_ids: Vec<InitiativeId>,
}

fn codes<T: Copy + PartialEq>(
    v: &mut Validator,
    field: &str,
    given: &[String],
    parse: fn(&str) -> Result<T, &'static str>,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, code) in given.iter().enumerate() {
        if let Some(value) = v.check(&format!("{field}[{i}]"), parse(code))
            && !out.contains(&value)
        {
            out.push(value);
        }
    }
    out
}

/// Validates an input laid over `before` (a change) or from scratch.
pub fn service_spec(input: &ServiceInput, before: Option<&Service>) -> crate::Result<ServiceSpec> {
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
    let legal_basis = v.line(
        "legal_basis",
        &text(&input.legal_basis, before.map(|b| &b.legal_basis)),
        LEGAL_BASIS_MAX,
    );
    let automation = v.text(
        "automation",
        &text(&input.automation, before.map(|b| &b.automation)),
        TEXT_MAX,
    );
    let personalisation = v.text(
        "personalisation",
        &text(&input.personalisation, before.map(|b| &b.personalisation)),
        TEXT_MAX,
    );
    let target_groups = match &input.target_groups {
        Some(given) => codes(&mut v, "target_groups", given, TargetGroup::parse),
        None => before.map(|b| b.target_groups.clone()).unwrap_or_default(),
    };
    let channels = match &input.channels {
        Some(given) => codes(&mut v, "channels", given, Channel::parse),
        None => before.map(|b| b.channels.clone()).unwrap_or_default(),
    };
    let maturity = match input.maturity.or(before.map(|b| b.maturity)) {
        None => {
            v.add("maturity", "required");
            None
        }
        Some(level) if !(0..=MATURITY_MAX).contains(&level) => {
            v.add("maturity", "maturity_range");
            None
        }
        Some(level) => Some(level),
    };
    // From level 2 a service is requested online or in an app: a level
    // that claims that without a digital channel contradicts itself.
    if maturity.is_some_and(|m| m >= 2) && !channels.iter().any(|c| c.is_digital()) {
        v.add("channels", "digital_channel_needed");
    }
    let lead_time_days = match input.lead_time_days {
        Some(given) => given,
        None => before.and_then(|b| b.lead_time_days),
    };
    if lead_time_days.is_some_and(|d| !(0..=LEAD_TIME_MAX).contains(&d)) {
        v.add("lead_time_days", "lead_time_range");
    }
    let owner_unit_id = match input.owner_unit_id {
        Some(given) => given.map(UnitId),
        None => before.and_then(|b| b.owner_unit_id),
    };
    let indicator_ids = match &input.indicator_ids {
        Some(given) => v
            .ids("indicator_ids", given, LINKS_MAX)
            .into_iter()
            .map(IndicatorId)
            .collect(),
        None => before.map(|b| b.indicator_ids.clone()).unwrap_or_default(),
    };
    let initiative_ids = match &input.initiative_ids {
        Some(given) => v
            .ids("initiative_ids", given, LINKS_MAX)
            .into_iter()
            .map(InitiativeId)
            .collect(),
        None => before.map(|b| b.initiative_ids.clone()).unwrap_or_default(),
    };
    let spec = name.zip(maturity).map(|(name, maturity)| ServiceSpec {
        name,
        description,
        target_groups,
        legal_basis,
        owner_unit_id,
        lead_time_days,
        channels,
        maturity,
        automation,
        personalisation,
        indicator_ids,
        initiative_ids,
    });
    v.finish(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(input: &ServiceInput) -> Vec<(String, &'static str)> {
        match service_spec(input, None) {
            Err(crate::Error::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_service_needs_a_name_and_a_level_on_the_scale() {
        assert_eq!(
            errors(&ServiceInput::default()),
            [
                ("name".to_owned(), "required"),
                ("maturity".to_owned(), "required")
            ]
        );
        let input = ServiceInput {
            name: Some("Paspoort".into()),
            maturity: Some(6),
            lead_time_days: Some(Some(-1)),
            channels: Some(vec!["fax".into()]),
            target_groups: Some(vec!["residents".into(), "aliens".into()]),
            ..ServiceInput::default()
        };
        assert_eq!(
            errors(&input),
            [
                ("target_groups[1]".to_owned(), "unknown_choice"),
                ("channels[0]".to_owned(), "unknown_choice"),
                ("maturity".to_owned(), "maturity_range"),
                ("lead_time_days".to_owned(), "lead_time_range"),
            ]
        );
    }

    #[test]
    fn a_digital_level_needs_a_digital_channel() {
        let input = ServiceInput {
            name: Some("Paspoort".into()),
            maturity: Some(3),
            channels: Some(vec!["counter".into()]),
            ..ServiceInput::default()
        };
        assert_eq!(
            errors(&input),
            [("channels".to_owned(), "digital_channel_needed")]
        );
        let input = ServiceInput {
            channels: Some(vec!["counter".into(), "online".into(), "online".into()]),
            ..input
        };
        let spec = service_spec(&input, None).unwrap();
        assert_eq!(spec.channels, [Channel::Counter, Channel::Online]);
        assert_eq!(spec.maturity, 3);
    }
}
