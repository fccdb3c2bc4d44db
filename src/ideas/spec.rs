//! Validation of an idea.

use super::{IdeaInput, IdeaRecord};
use crate::Result;
use crate::domain::{CampaignId, Name, UnitId, Validator};

pub const TEXT_MAX: usize = 4000;
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 40;
pub const LINKS_MAX: usize = 5;
pub const LINK_MAX: usize = 500;

/// A checked idea.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaSpec {
    pub title: Name,
    pub problem: String,
    pub proposal: String,
    pub unit_id: Option<UnitId>,
    pub tags: Vec<String>,
    pub links: Vec<String>,
    pub author_hidden: bool,
    /// Checked against the open campaigns by the service.
    pub campaign_id: Option<CampaignId>,
}

/// Validates an input laid over `before` (for a change) or from scratch.
pub fn idea_spec(input: &IdeaInput, before: Option<&IdeaRecord>) -> Result<IdeaSpec> {
    let mut v = Validator::new();
    let title = v.check(
        "title",
        Name::parse(
            input
                .title
                .as_deref()
                .or(before.map(|b| b.title.as_str()))
                .unwrap_or(""),
        ),
    );
    let mut required_text = |field: &str, given: Option<&str>, kept: Option<&str>| {
        let text = v.text(field, given.or(kept).unwrap_or(""), TEXT_MAX);
        if text.is_empty() {
            v.add(field, "required");
        }
        text
    };
    let problem = required_text(
        "problem",
        input.problem.as_deref(),
        before.map(|b| b.problem.as_str()),
    );
    let proposal = required_text(
        "proposal",
        input.proposal.as_deref(),
        before.map(|b| b.proposal.as_str()),
    );
    let unit_id = match input.unit_id {
        Some(unit) => unit.map(UnitId),
        None => before.and_then(|b| b.unit_id),
    };
    let given_tags = input
        .tags
        .clone()
        .or_else(|| before.map(|b| b.tags.clone()))
        .unwrap_or_default();
    if given_tags.len() > TAGS_MAX {
        v.add("tags", "too_many_values");
    }
    let mut tags: Vec<String> = Vec::new();
    for (i, tag) in given_tags.iter().enumerate() {
        let tag = v.line(&format!("tags[{i}]"), tag, TAG_MAX).to_lowercase();
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let given_links = input
        .links
        .clone()
        .or_else(|| before.map(|b| b.links.clone()))
        .unwrap_or_default();
    if given_links.len() > LINKS_MAX {
        v.add("links", "too_many_values");
    }
    let mut links = Vec::new();
    for (i, link) in given_links.iter().enumerate() {
        let field = format!("links[{i}]");
        let link = v.line(&field, link, LINK_MAX);
        if link.is_empty() {
            continue;
        }
        // Only web addresses: anything else (javascript:, data:) could run
        // in a colleague's browser when followed.
        let web = (link.starts_with("https://") || link.starts_with("http://"))
            && !link.contains(char::is_whitespace)
            && link
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty());
        if web {
            links.push(link);
        } else {
            v.add(&field, "not_a_web_address");
        }
    }
    let author_hidden = input
        .hide_author
        .or(before.map(|b| b.author_hidden))
        .unwrap_or(false);
    let campaign_id = match input.campaign_id {
        Some(campaign) => campaign.map(CampaignId),
        None => before.and_then(|b| b.campaign_id),
    };
    let spec = title.map(|title| IdeaSpec {
        title,
        problem,
        proposal,
        unit_id,
        tags,
        links,
        author_hidden,
        campaign_id,
    });
    v.finish(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(input: &IdeaInput) -> Vec<(String, &'static str)> {
        match idea_spec(input, None) {
            Err(crate::Error::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn an_idea_needs_a_title_a_problem_and_a_proposal() {
        let found = codes(&IdeaInput::default());
        assert_eq!(
            found,
            [
                ("title".to_owned(), "required"),
                ("problem".to_owned(), "required"),
                ("proposal".to_owned(), "required")
            ]
        );
    }

    #[test]
    fn links_are_web_addresses_and_tags_are_kept_once_in_lower_case() {
        let input = IdeaInput {
            title: Some("Afspraken online".into()),
            problem: Some("Wachtrijen".into()),
            proposal: Some("Online plannen".into()),
            tags: Some(vec!["Balie".into(), "balie".into(), " ".into()]),
            links: Some(vec![
                "javascript:alert(1)".into(),
                "https://example.org/x".into(),
            ]),
            ..IdeaInput::default()
        };
        assert_eq!(
            codes(&input),
            [("links[0]".to_owned(), "not_a_web_address")]
        );
        let input = IdeaInput {
            links: Some(vec!["https://example.org/x".into()]),
            ..input
        };
        let spec = idea_spec(&input, None).unwrap();
        assert_eq!(spec.tags, ["balie"]);
        assert_eq!(spec.links, ["https://example.org/x"]);
        assert!(!spec.author_hidden);
    }
}
