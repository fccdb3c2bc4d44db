use super::{PublicDashboard, PublicIndicator, PublicIndicatorDetail, PublicTarget, PublicValue};
use crate::http::AppState;
use crate::indicators::IndicatorSummary;
use crate::organisations::Organisation;
use crate::store::IndicatorFilter;
use crate::{Error, Result};

/// The organisation behind a public dashboard. An unknown slug and a
/// dashboard that is off answer the same, so the page reveals nothing.
async fn open_dashboard(state: &AppState, slug: &str) -> Result<Organisation> {
    match state.store().organisation_by_slug(slug.trim()).await {
        Ok(organisation) if organisation.public_dashboard => Ok(organisation),
        Ok(_) | Err(Error::NotFound) => Err(Error::NotFound),
        Err(other) => Err(other),
    }
}

async fn published(state: &AppState, organisation: &Organisation) -> Result<Vec<IndicatorSummary>> {
    let filter = IndicatorFilter {
        published_only: true,
        ..IndicatorFilter::default()
    };
    let today = state.today();
    let mut summaries = state
        .store()
        .list_indicator_summaries(organisation.id, &filter, today, None)
        .await?
        .items;
    for summary in &mut summaries {
        if summary.indicator.formula.is_some() {
            crate::indicators::service::complete_computed(state, organisation.id, summary).await?;
        }
    }
    Ok(summaries)
}

pub async fn dashboard(
    state: &AppState,
    slug: &str,
) -> Result<(PublicDashboard, Vec<IndicatorSummary>)> {
    let organisation = open_dashboard(state, slug).await?;
    let summaries = published(state, &organisation).await?;
    Ok((
        PublicDashboard {
            organisation: organisation.name,
            slug: organisation.slug,
            indicators: summaries.iter().map(PublicIndicator::from).collect(),
        },
        summaries,
    ))
}

pub async fn indicator(state: &AppState, slug: &str, code: &str) -> Result<PublicIndicatorDetail> {
    let organisation = open_dashboard(state, slug).await?;
    let code = code.trim().to_ascii_uppercase();
    let summary = published(state, &organisation)
        .await?
        .into_iter()
        .find(|s| s.indicator.code == code)
        .ok_or(Error::NotFound)?;
    let today = state.today();
    let since =
        today.day_number() - crate::indicators::chart::lookback_days(summary.indicator.frequency);
    let values =
        crate::indicators::service::values_since(state, organisation.id, &summary.indicator, since)
            .await?
            .into_iter()
            .map(|(period, value)| PublicValue {
                period: period.label(),
                value,
            })
            .collect();
    let current_targets: Vec<crate::indicators::Target> = state
        .store()
        .targets(organisation.id, summary.indicator.id)
        .await?
        .into_iter()
        .filter(|t| t.superseded_at.is_none())
        .collect();
    let targets = current_targets
        .iter()
        .map(|t| PublicTarget {
            date: t.date.clone(),
            value: t.value,
        })
        .collect();
    Ok(PublicIndicatorDetail {
        organisation: organisation.name,
        indicator: PublicIndicator::from(&summary),
        values,
        targets,
        summary,
        current_targets,
    })
}
