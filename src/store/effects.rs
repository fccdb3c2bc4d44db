//! Stored effect estimates, keyed by initiative and indicator, scoped by
//! organisation.

use time::OffsetDateTime;

use super::{Store, on_pool};
use crate::Result;
use crate::domain::{IndicatorId, InitiativeId, OrganisationId};

impl Store {
    /// The stored estimate's fingerprint and result (JSON), if any.
    pub async fn stored_effect(
        &self,
        organisation: OrganisationId,
        initiative: InitiativeId,
        indicator: IndicatorId,
    ) -> Result<Option<(String, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT fingerprint, result FROM effect_estimates \
             WHERE organisation_id = $1 AND initiative_id = $2 AND indicator_id = $3",
        )
        .bind(organisation)
        .bind(initiative)
        .bind(indicator)
        .fetch_optional(p)
        .await?))
    }

    /// Keeps an estimate, replacing the one before.
    pub async fn save_effect(
        &self,
        organisation: OrganisationId,
        initiative: InitiativeId,
        indicator: IndicatorId,
        fingerprint: &str,
        result: &str,
        at: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO effect_estimates (organisation_id, initiative_id, indicator_id, fingerprint, result, \
             computed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (initiative_id, indicator_id) DO UPDATE SET \
             fingerprint = excluded.fingerprint, result = excluded.result, computed_at = excluded.computed_at",
        )
        .bind(organisation)
        .bind(initiative)
        .bind(indicator)
        .bind(fingerprint)
        .bind(result)
        .bind(at)
        .execute(p)
        .await
        .map(|_| ())?);
        Ok(())
    }
}
