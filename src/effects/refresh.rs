//! The background refresh: every so often, every organisation's kept
//! effect estimates are brought up to date, so that the pages that show
//! them seldom wait for the estimator after new measurements. A page that
//! finds a stale estimate still recomputes it; this only moves the work
//! out of people's way.

use std::time::Duration;

use crate::http::AppState;

/// Refreshes every `every`, starting one period after start-up (start-up
/// and the first requests come first).
pub async fn run(state: AppState, every: Duration) {
    let start = tokio::time::Instant::now() + every;
    let mut interval = tokio::time::interval_at(start, every);
    // A slow round (many organisations) is not made up for by a burst.
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        refresh_all(&state).await;
    }
}

/// One round over every organisation; a failure in one is logged and the
/// others go on. Returns how many estimate pairs were looked at.
pub async fn refresh_all(state: &AppState) -> usize {
    let organisations = match state.store().list_organisations().await {
        Ok(organisations) => organisations,
        Err(error) => {
            tracing::warn!(error.reason = %error, "effect refresh: cannot list organisations");
            return 0;
        }
    };
    let mut pairs = 0;
    for organisation in organisations {
        match super::service::refresh_organisation(state, organisation.id).await {
            Ok(n) => pairs += n,
            Err(error) => tracing::warn!(
                organisation.id = organisation.id.0,
                error.reason = %error,
                "effect refresh failed"
            ),
        }
    }
    tracing::debug!(effects.pairs = pairs, "effect estimates refreshed");
    pairs
}
