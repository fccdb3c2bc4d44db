//! Effect estimates for initiatives and indicators. Reading needs
//! `view_organisation`. An estimate is computed when first asked for and
//! kept with a fingerprint of what it rests on (the series, the go-live,
//! the other go-lives, the spend, the method's version); it is recomputed
//! when any of those changed, so new measurements refresh it.

use std::hash::{Hash, Hasher};

use super::assess::{Context, EffectEstimate, assess};
use crate::auth::Actor;
use crate::domain::{
    Frequency, IndicatorId, InitiativeId, Money, OrganisationId, Period, Permission,
};
use crate::http::AppState;
use crate::indicators::Indicator;
use crate::portfolio::{EffectDirection, IndicatorLink, Initiative};
use crate::{Error, Result};

/// Bump when the estimator or the assessment changes, so stored estimates
/// are recomputed.
const METHOD_VERSION: u32 = 2;

/// Years of history before go-live the model may learn from.
const HISTORY_DAYS: i64 = 10 * 366;

fn go_live_day(initiative: &Initiative) -> Option<i64> {
    let text = initiative.go_live_on.as_deref()?;
    Period::parse(Frequency::Day, text)
        .ok()
        .map(|p| p.day_number())
}

/// A stable hash of everything an estimate rests on.
fn fingerprint(
    context: &Context,
    values: &[(Period, f64)],
    control: Option<&[(Period, f64)]>,
    direction: EffectDirection,
) -> String {
    // FNV-1a: stable across runs and builds, unlike the std hasher's keys.
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    METHOD_VERSION.hash(&mut h);
    context.go_live.hash(&mut h);
    context.other_go_lives.hash(&mut h);
    context.spent.cents().hash(&mut h);
    direction.code().hash(&mut h);
    for (period, value) in values {
        period.day_number().hash(&mut h);
        value.to_bits().hash(&mut h);
    }
    context.control_indicator_id.map(|c| c.0).hash(&mut h);
    for (period, value) in control.unwrap_or_default() {
        period.day_number().hash(&mut h);
        value.to_bits().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// The estimate for one initiative and one of its indicators, from the
/// store when nothing changed.
async fn estimate_pair(
    state: &AppState,
    organisation: OrganisationId,
    initiative: &Initiative,
    indicator: &Indicator,
    link: &IndicatorLink,
    portfolio: &Portfolio,
) -> Result<Option<EffectEstimate>> {
    let Some(go_live) = go_live_day(initiative) else {
        return Ok(None);
    };
    let since = go_live - HISTORY_DAYS;
    let values =
        crate::indicators::service::values_since(state, organisation, indicator, since).await?;
    let control = match link
        .control_indicator_id
        .and_then(|c| portfolio.indicators.iter().find(|i| i.id == c))
    {
        Some(control) => Some(
            crate::indicators::service::values_since(state, organisation, control, since).await?,
        ),
        None => None,
    };
    let direction = link.direction;
    let others = &portfolio.initiatives;
    let spent = portfolio.spent_on(initiative.id);
    let context = Context {
        initiative_id: initiative.id,
        indicator_id: indicator.id,
        frequency: indicator.frequency,
        go_live,
        go_live_on: initiative.go_live_on.clone().unwrap_or_default(),
        other_go_lives: others
            .iter()
            .filter(|o| {
                o.id != initiative.id && o.indicators.iter().any(|l| l.indicator_id == indicator.id)
            })
            .filter_map(go_live_day)
            .collect(),
        spent,
        expected_sign: match direction {
            EffectDirection::Increase => 1.0,
            EffectDirection::Decrease => -1.0,
        },
        control_indicator_id: control.as_ref().and(link.control_indicator_id),
    };
    let print = fingerprint(&context, &values, control.as_deref(), direction);
    let store = state.store();
    if let Some((stored_print, result)) = store
        .stored_effect(organisation, initiative.id, indicator.id)
        .await?
        && stored_print == print
        && let Ok(estimate) = serde_json::from_str::<EffectEstimate>(&result)
    {
        return Ok(Some(estimate));
    }
    // The estimator is CPU work (tens of milliseconds): keep it off the
    // request threads.
    let estimate =
        tokio::task::spawn_blocking(move || assess(&context, &values, control.as_deref()))
            .await
            .map_err(|e| Error::Unexpected(format!("effect estimate: {e}")))?;
    let json = serde_json::to_string(&estimate)
        .map_err(|e| Error::Unexpected(format!("effect estimate: {e}")))?;
    store
        .save_effect(
            organisation,
            initiative.id,
            indicator.id,
            &print,
            &json,
            state.clock().now(),
        )
        .await?;
    Ok(Some(estimate))
}

/// What the estimates of one organisation need, loaded once per request.
struct Portfolio {
    initiatives: Vec<Initiative>,
    indicators: Vec<Indicator>,
    spend: Vec<crate::portfolio::funding::SpendEntry>,
}

impl Portfolio {
    async fn load(state: &AppState, organisation: OrganisationId) -> Result<Portfolio> {
        let store = state.store();
        Ok(Portfolio {
            initiatives: store.initiatives(organisation).await?,
            indicators: store.all_indicators(organisation).await?,
            spend: store.spend_entries(organisation, None).await?,
        })
    }

    fn spent_on(&self, initiative: InitiativeId) -> Money {
        self.spend
            .iter()
            .filter(|s| s.initiative_id == initiative)
            .map(|s| s.amount)
            .sum()
    }

    /// Estimates for every indicator `initiative` should move (none
    /// before its go-live date is set).
    async fn estimates_of(
        &self,
        state: &AppState,
        organisation: OrganisationId,
        initiative: &Initiative,
    ) -> Result<Vec<EffectEstimate>> {
        let mut out = Vec::new();
        if initiative.go_live_on.is_none() {
            return Ok(out);
        }
        for link in &initiative.indicators {
            if let Some(indicator) = self.indicators.iter().find(|i| i.id == link.indicator_id)
                && let Some(estimate) =
                    estimate_pair(state, organisation, initiative, indicator, link, self).await?
            {
                out.push(estimate);
            }
        }
        Ok(out)
    }
}

/// Estimates for every indicator the initiative should move (none before
/// its go-live date is set).
pub async fn for_initiative(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
) -> Result<Vec<EffectEstimate>> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state.store().initiative(actor.organisation_id, id).await?;
    if initiative.go_live_on.is_none() {
        return Ok(Vec::new());
    }
    let organisation = actor.organisation_id;
    Portfolio::load(state, organisation)
        .await?
        .estimates_of(state, organisation, &initiative)
        .await
}

/// Estimates for every initiative with a go-live that should move this
/// indicator.
pub async fn for_indicator(
    state: &AppState,
    actor: &Actor,
    id: IndicatorId,
) -> Result<Vec<EffectEstimate>> {
    actor.require(Permission::ViewOrganisation)?;
    let indicator = crate::indicators::service::get(state, actor, id).await?;
    let portfolio = Portfolio::load(state, actor.organisation_id).await?;
    let mut out = Vec::new();
    for initiative in &portfolio.initiatives {
        let Some(link) = initiative.indicators.iter().find(|l| l.indicator_id == id) else {
            continue;
        };
        if initiative.go_live_on.is_none() {
            continue;
        }
        if let Some(estimate) = estimate_pair(
            state,
            actor.organisation_id,
            initiative,
            &indicator,
            link,
            &portfolio,
        )
        .await?
        {
            out.push(estimate);
        }
    }
    Ok(out)
}

/// Every estimate of the portfolio, ranked so that effects from different
/// indicators compare: by the pessimistic end of the relative effect's
/// interval, in the direction each initiative should move its indicator,
/// per 1,000 euro spent. Estimates without spend follow (by the same end,
/// not per euro), refusals last.
pub async fn ranking(state: &AppState, actor: &Actor) -> Result<Vec<EffectEstimate>> {
    actor.require(Permission::ViewOrganisation)?;
    let organisation = actor.organisation_id;
    let portfolio = Portfolio::load(state, organisation).await?;
    let mut out = Vec::new();
    for initiative in &portfolio.initiatives {
        out.extend(
            portfolio
                .estimates_of(state, organisation, initiative)
                .await?,
        );
    }
    let initiatives = portfolio.initiatives;
    let sign_of = |e: &EffectEstimate| -> f64 {
        initiatives
            .iter()
            .find(|i| i.id == e.initiative_id)
            .and_then(|i| {
                i.indicators
                    .iter()
                    .find(|l| l.indicator_id == e.indicator_id)
            })
            .map_or(1.0, |l| match l.direction {
                EffectDirection::Increase => 1.0,
                EffectDirection::Decrease => -1.0,
            })
    };
    let key = |e: &EffectEstimate| -> (u8, f64) {
        let Some(relative) = e.relative else {
            return (0, 0.0);
        };
        let pessimistic = if sign_of(e) > 0.0 {
            relative.lo95
        } else {
            -relative.hi95
        };
        let thousands = e.spent.cents() as f64 / 100_000.0;
        if thousands > 0.0 {
            (2, pessimistic / thousands)
        } else {
            (1, pessimistic)
        }
    };
    out.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
    });
    Ok(out)
}

/// Brings every kept estimate of one organisation up to date (those whose
/// inputs did not change are only read). Returns how many pairs it
/// looked at. Not a request: the background refresh calls it, with no
/// actor and no permission to check, and nothing leaves the organisation.
pub async fn refresh_organisation(state: &AppState, organisation: OrganisationId) -> Result<usize> {
    let portfolio = Portfolio::load(state, organisation).await?;
    let mut pairs = 0;
    for initiative in &portfolio.initiatives {
        // One initiative that cannot be estimated does not hold up the rest.
        match portfolio
            .estimates_of(state, organisation, initiative)
            .await
        {
            Ok(estimates) => pairs += estimates.len(),
            Err(error) => tracing::warn!(
                organisation.id = organisation.0,
                initiative.id = initiative.id.0,
                error.reason = %error,
                "effect refresh failed for an initiative"
            ),
        }
    }
    Ok(pairs)
}
