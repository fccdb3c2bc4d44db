//! The catalogue of interventions: what an organisation can do about a
//! weak factor (scan) or barrier (pulse). Built-in entries come from
//! `data/surveys/interventions.csv` (our own texts); organisations add
//! their own and switch entries off. Planning one makes an initiative of
//! kind `intervention` in the portfolio, linked to the dimension and the
//! wave it answers, so that the next wave shows what moved.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::catalog::{BARRIERS, FACTORS};
use crate::Result;
use crate::domain::{InitiativeId, InterventionId, Name, Validator, WaveId};

const BUILTIN: &str = include_str!("../../data/surveys/interventions.csv");

/// A built-in entry, installed in every organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinIntervention {
    pub key: String,
    pub dimension: String,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
}

pub fn builtin() -> Vec<BuiltinIntervention> {
    BUILTIN
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(';').collect();
            let [
                key,
                dimension,
                title_nl,
                title_en,
                description_nl,
                description_en,
            ] = cells.as_slice()
            else {
                return None;
            };
            Some(BuiltinIntervention {
                key: (*key).to_owned(),
                dimension: (*dimension).to_owned(),
                title_nl: (*title_nl).to_owned(),
                title_en: (*title_en).to_owned(),
                description_nl: (*description_nl).to_owned(),
                description_en: (*description_en).to_owned(),
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Intervention {
    pub id: InterventionId,
    /// Set for the built-in entries, e.g. `I-B4`.
    pub builtin_key: Option<String>,
    /// The factor (`s1`…`f5`) or barrier (`b1`…`b10`) it addresses.
    pub dimension: String,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    /// Switched-off entries are not offered for planning.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Intervention {
    pub fn title(&self, locale: crate::domain::Locale) -> &str {
        match locale {
            crate::domain::Locale::Nl => &self.title_nl,
            crate::domain::Locale::En => &self.title_en,
        }
    }

    pub fn description(&self, locale: crate::domain::Locale) -> &str {
        match locale {
            crate::domain::Locale::Nl => &self.description_nl,
            crate::domain::Locale::En => &self.description_en,
        }
    }
}

/// An intervention as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct InterventionInput {
    pub dimension: Option<String>,
    pub title_nl: Option<String>,
    /// Empty: the Dutch title.
    pub title_en: Option<String>,
    pub description_nl: Option<String>,
    /// Empty: the Dutch description.
    pub description_en: Option<String>,
    pub active: Option<bool>,
}

/// A checked intervention.
#[derive(Debug, Clone, PartialEq)]
pub struct InterventionSpec {
    pub dimension: String,
    pub title_nl: Name,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub active: bool,
}

pub const DESCRIPTION_MAX: usize = 2000;

/// Validates an input laid over `before` (for a change) or from scratch.
pub fn intervention_spec(
    input: &InterventionInput,
    before: Option<&Intervention>,
) -> Result<InterventionSpec> {
    let mut v = Validator::new();
    let dimension = input
        .dimension
        .clone()
        .or_else(|| before.map(|b| b.dimension.clone()))
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if dimension.is_empty() {
        v.add("dimension", "required");
    } else if !FACTORS.contains(&dimension.as_str()) && !BARRIERS.contains(&dimension.as_str()) {
        v.add("dimension", "unknown_choice");
    }
    let title_nl = v.check(
        "title_nl",
        Name::parse(
            input
                .title_nl
                .as_deref()
                .or(before.map(|b| b.title_nl.as_str()))
                .unwrap_or(""),
        ),
    );
    let title_nl_text = title_nl
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    let title_en = v.line(
        "title_en",
        input
            .title_en
            .as_deref()
            .or(before.map(|b| b.title_en.as_str()))
            .unwrap_or(""),
        Name::MAX_CHARS,
    );
    let description_nl = v.text(
        "description_nl",
        input
            .description_nl
            .as_deref()
            .or(before.map(|b| b.description_nl.as_str()))
            .unwrap_or(""),
        DESCRIPTION_MAX,
    );
    let description_en = v.text(
        "description_en",
        input
            .description_en
            .as_deref()
            .or(before.map(|b| b.description_en.as_str()))
            .unwrap_or(""),
        DESCRIPTION_MAX,
    );
    let active = input.active.or(before.map(|b| b.active)).unwrap_or(true);
    let spec = title_nl.map(|title_nl| InterventionSpec {
        dimension,
        title_nl,
        title_en: if title_en.is_empty() {
            title_nl_text.clone()
        } else {
            title_en
        },
        description_en: if description_en.is_empty() {
            description_nl.clone()
        } else {
            description_en
        },
        description_nl,
        active,
    });
    v.finish(spec)
}

/// The survey side of an initiative planned as an intervention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterventionLink {
    pub intervention_id: InterventionId,
    /// The factor or barrier it should move.
    pub dimension: String,
    /// The wave whose result it answers.
    pub baseline_wave_id: Option<WaveId>,
}

/// Planning an intervention: which wave it answers (the latest with a
/// result for its dimension when left out).
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanInput {
    pub baseline_wave_id: Option<i64>,
}

/// A planned intervention and what followed it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Movement {
    pub initiative_id: InitiativeId,
    pub title: String,
    pub intervention_id: InterventionId,
    pub dimension: String,
    pub baseline_wave_id: Option<WaveId>,
    /// The dimension's mean in the baseline wave, when shown.
    pub before: Option<f64>,
    /// The first later wave of the same instrument with the dimension shown.
    pub after_wave_id: Option<WaveId>,
    pub after: Option<f64>,
    /// `after` minus `before`.
    pub change: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_covers_every_barrier_with_both_languages() {
        let all = builtin();
        // Every line of the file is read (a `;` inside a text would drop it).
        let lines = BUILTIN
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(all.len(), lines);
        for barrier in BARRIERS {
            assert!(all.iter().any(|i| i.dimension == barrier), "{barrier}");
        }
        for i in &all {
            assert!(
                FACTORS.contains(&i.dimension.as_str()) || BARRIERS.contains(&i.dimension.as_str()),
                "{}",
                i.key
            );
            assert!(
                !i.title_en.is_empty() && !i.description_en.is_empty(),
                "{}",
                i.key
            );
        }
    }

    #[test]
    fn an_intervention_needs_a_known_dimension_and_a_title() {
        let Err(crate::Error::Invalid(errors)) = intervention_spec(
            &InterventionInput {
                dimension: Some("x9".into()),
                ..Default::default()
            },
            None,
        ) else {
            panic!("expected invalid");
        };
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [("dimension", "unknown_choice"), ("title_nl", "required")]
        );
        let spec = intervention_spec(
            &InterventionInput {
                dimension: Some("B4".into()),
                title_nl: Some("Ideeënbus".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(spec.dimension, "b4");
        assert_eq!(spec.title_en, "Ideeënbus");
        assert!(spec.active);
    }
}
