//! Survey waves, invitations and anonymous responses. Scoped by
//! organisation, except where a respondent comes in with nothing but an
//! invitation token.
//!
//! Answering marks the invitation answered and stores the response in one
//! transaction, and no column on either side points at the other: the
//! response has a random id, no token, no user and no time.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, conflict_on_unique, on_pool};
use crate::Result;
use crate::domain::{EmployeeId, InstrumentId, OrganisationId, SurveyVersionId, UnitId, WaveId};
use crate::governance::spec::show_day;
use crate::surveys::results::DimensionSum;
use crate::surveys::waves::{AnswerSpec, UnitRate, Wave, WaveSpec, WaveStatus};

#[derive(sqlx::FromRow)]
struct WaveRow {
    id: i64,
    instrument_id: i64,
    number: i64,
    name: String,
    opens_on: i64,
    closes_on: i64,
    created_at: OffsetDateTime,
}

macro_rules! wave_select {
    () => {
        "SELECT w.id, w.instrument_id, v.number, w.name, w.opens_on, w.closes_on, w.created_at \
         FROM survey_waves w JOIN survey_versions v ON v.id = w.version_id "
    };
}

/// An invitation as its token finds it.
#[derive(Debug, Clone)]
pub struct OpenInvitation {
    pub organisation_id: OrganisationId,
    pub wave_id: WaveId,
    pub version_id: SurveyVersionId,
    pub instrument_id: InstrumentId,
    pub unit_id: i64,
    pub answered: bool,
    pub opens_on: i64,
    pub closes_on: i64,
}

fn status(today: i64, opens_on: i64, closes_on: i64) -> WaveStatus {
    if today < opens_on {
        WaveStatus::Planned
    } else if today > closes_on {
        WaveStatus::Closed
    } else {
        WaveStatus::Open
    }
}

impl Store {
    async fn assemble_waves(
        &self,
        organisation: OrganisationId,
        rows: Vec<WaveRow>,
        today: i64,
    ) -> Result<Vec<Wave>> {
        let units: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT wave_id, unit_id FROM survey_wave_units WHERE organisation_id = $1 ORDER BY unit_id",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        let mut by_wave: HashMap<i64, Vec<UnitId>> = HashMap::new();
        for (wave, unit) in units {
            by_wave.entry(wave).or_default().push(UnitId(unit));
        }
        Ok(rows
            .into_iter()
            .map(|r| Wave {
                id: WaveId(r.id),
                instrument_id: InstrumentId(r.instrument_id),
                version: r.number,
                name: r.name,
                opens_on: show_day(r.opens_on),
                closes_on: show_day(r.closes_on),
                unit_ids: by_wave.remove(&r.id).unwrap_or_default(),
                status: status(today, r.opens_on, r.closes_on),
                created_at: r.created_at,
            })
            .collect())
    }

    /// The organisation's waves, newest first.
    pub async fn waves(&self, organisation: OrganisationId, today: i64) -> Result<Vec<Wave>> {
        let rows: Vec<WaveRow> = on_pool!(self, p => sqlx::query_as(concat!(
            wave_select!(), "WHERE w.organisation_id = $1 ORDER BY w.opens_on DESC, w.id DESC"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        self.assemble_waves(organisation, rows, today).await
    }

    pub async fn wave(&self, organisation: OrganisationId, id: WaveId, today: i64) -> Result<Wave> {
        let row: WaveRow = on_pool!(self, p => sqlx::query_as(concat!(
            wave_select!(), "WHERE w.organisation_id = $1 AND w.id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        let mut waves = self.assemble_waves(organisation, vec![row], today).await?;
        waves.pop().ok_or(crate::Error::NotFound)
    }

    pub async fn create_wave(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        version: SurveyVersionId,
        spec: &WaveSpec,
        today: i64,
    ) -> Result<Wave> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO survey_waves (organisation_id, instrument_id, version_id, name, opens_on, closes_on, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(organisation)
            .bind(spec.instrument_id)
            .bind(version)
            .bind(spec.name.as_str())
            .bind(spec.opens_on)
            .bind(spec.closes_on)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            for unit in &spec.unit_ids {
                sqlx::query("INSERT INTO survey_wave_units (organisation_id, wave_id, unit_id) VALUES ($1, $2, $3)")
                    .bind(organisation)
                    .bind(id)
                    .bind(unit)
                    .execute(&mut *tx)
                    .await?;
            }
            let change = Change::new(
                "create",
                "survey_wave",
                id,
                None,
                Some(serde_json::json!({
                    "name": spec.name.as_str(), "instrument_id": spec.instrument_id, "opens_on": show_day(spec.opens_on),
                    "closes_on": show_day(spec.closes_on), "unit_ids": spec.unit_ids,
                })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            id
        });
        self.wave(organisation, WaveId(id), today).await
    }

    /// The employees of a wave that have an invitation already.
    pub async fn invited_employees(
        &self,
        wave: &Wave,
        organisation: OrganisationId,
    ) -> Result<Vec<EmployeeId>> {
        let rows: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT employee_id FROM survey_invitations WHERE organisation_id = $1 AND wave_id = $2",
        )
        .bind(organisation)
        .bind(wave.id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(EmployeeId).collect())
    }

    /// Invites employees (with their unit, 0 for none) under the given
    /// token hashes; one audit entry says how many.
    pub async fn create_invitations(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        wave: &Wave,
        invitees: &[(EmployeeId, i64, String)],
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for (employee, unit, hash) in invitees {
                sqlx::query(
                    "INSERT INTO survey_invitations (organisation_id, wave_id, employee_id, unit_id, token_hash, answered, \
                     reminders, created_at) VALUES ($1, $2, $3, $4, $5, 0, 0, $6)",
                )
                .bind(organisation)
                .bind(wave.id)
                .bind(employee)
                .bind(unit)
                .bind(hash)
                .bind(meta.at)
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "invitations", "changed_meanwhile"))?;
            }
            let change = Change::new(
                "invite",
                "survey_wave",
                wave.id,
                None,
                Some(serde_json::json!({ "invitations": invitees.len() })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The unanswered invitations of a wave: (invitation id, employee).
    pub async fn unanswered(
        &self,
        organisation: OrganisationId,
        wave: WaveId,
    ) -> Result<Vec<(i64, EmployeeId)>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, employee_id FROM survey_invitations WHERE organisation_id = $1 AND wave_id = $2 AND answered = 0 \
             ORDER BY id",
        )
        .bind(organisation)
        .bind(wave)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, e)| (id, EmployeeId(e)))
            .collect())
    }

    /// Gives unanswered invitations a new token (the old link stops
    /// working) and counts the reminder. An invitation answered meanwhile
    /// is left alone.
    pub async fn remind(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        wave: WaveId,
        tokens: &[(i64, String)],
    ) -> Result<Vec<i64>> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut reminded = Vec::new();
            for (invitation, hash) in tokens {
                let done = sqlx::query(
                    "UPDATE survey_invitations SET token_hash = $4, reminders = reminders + 1 \
                     WHERE organisation_id = $1 AND wave_id = $2 AND id = $3 AND answered = 0",
                )
                .bind(organisation)
                .bind(wave)
                .bind(invitation)
                .bind(hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done == 1 {
                    reminded.push(*invitation);
                }
            }
            let change = Change::new(
                "remind",
                "survey_wave",
                wave,
                None,
                Some(serde_json::json!({ "reminders": reminded.len() })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(reminded)
        })
    }

    /// Invited and answered per unit of the invitations.
    pub async fn wave_progress(
        &self,
        organisation: OrganisationId,
        wave: WaveId,
    ) -> Result<Vec<UnitRate>> {
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT unit_id, COUNT(*), CAST(SUM(answered) AS BIGINT) FROM survey_invitations \
             WHERE organisation_id = $1 AND wave_id = $2 GROUP BY unit_id ORDER BY unit_id",
        )
        .bind(organisation)
        .bind(wave)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(unit, invited, answered)| UnitRate {
                unit_id: (unit != 0).then_some(UnitId(unit)),
                invited,
                answered,
            })
            .collect())
    }

    /// The invitation a token belongs to, in whichever organisation.
    pub async fn invitation_by_token(&self, hash: &str) -> Result<OpenInvitation> {
        let row: (i64, i64, i64, i64, i64, i64, i64, i64) = on_pool!(self, p => sqlx::query_as(
            "SELECT i.organisation_id, i.wave_id, w.version_id, w.instrument_id, i.unit_id, i.answered, \
             w.opens_on, w.closes_on FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id \
             WHERE i.token_hash = $1",
        )
        .bind(hash)
        .fetch_one(p)
        .await?);
        Ok(OpenInvitation {
            organisation_id: OrganisationId(row.0),
            wave_id: WaveId(row.1),
            version_id: SurveyVersionId(row.2),
            instrument_id: InstrumentId(row.3),
            unit_id: row.4,
            answered: row.5 != 0,
            opens_on: row.6,
            closes_on: row.7,
        })
    }

    /// Uses a token once and keeps the answers, apart. `Conflict` when the
    /// token was used already (also by a request that came first).
    pub async fn submit_response(
        &self,
        hash: &str,
        invitation: &OpenInvitation,
        response_id: i64,
        answers: &[AnswerSpec],
    ) -> Result<()> {
        let organisation = invitation.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let used = sqlx::query(
                "UPDATE survey_invitations SET answered = 1 WHERE token_hash = $1 AND answered = 0",
            )
            .bind(hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if used == 0 {
                return Err(crate::Error::conflict("invitation", "already_answered"));
            }
            sqlx::query("INSERT INTO survey_responses (id, organisation_id, wave_id, unit_id) VALUES ($1, $2, $3, $4)")
                .bind(response_id)
                .bind(organisation)
                .bind(invitation.wave_id)
                .bind(invitation.unit_id)
                .execute(&mut *tx)
                .await?;
            for answer in answers {
                sqlx::query(
                    "INSERT INTO survey_answers (organisation_id, response_id, item_id, score, answer_text) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(organisation)
                .bind(response_id)
                .bind(answer.item_id)
                .bind(answer.score)
                .bind(answer.text.as_deref())
                .execute(&mut *tx)
                .await?;
            }
            for (dimension, (score_sum, scores)) in dimension_sums(answers) {
                sqlx::query(
                    "INSERT INTO survey_result_sums (organisation_id, wave_id, unit_id, dimension, respondents, score_sum, \
                     scores) VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (wave_id, unit_id, dimension) DO UPDATE SET \
                     respondents = survey_result_sums.respondents + 1, \
                     score_sum = survey_result_sums.score_sum + excluded.score_sum, \
                     scores = survey_result_sums.scores + excluded.scores",
                )
                .bind(organisation)
                .bind(invitation.wave_id)
                .bind(invitation.unit_id)
                .bind(dimension)
                .bind(score_sum)
                .bind(scores)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// What a wave's results are computed from: the kept score sums per
    /// unit and dimension, respondents per unit, and the open answers (by
    /// text, so that their order says nothing about who answered when).
    pub async fn wave_sums(
        &self,
        organisation: OrganisationId,
        wave: WaveId,
        version: SurveyVersionId,
    ) -> Result<WaveSums> {
        let (sums, respondents, open): SumRows = on_pool!(self, p => {
            let sums = sqlx::query_as(
                "SELECT unit_id, dimension, respondents, score_sum, scores FROM survey_result_sums \
                 WHERE organisation_id = $1 AND wave_id = $2",
            )
            .bind(organisation)
            .bind(wave)
            .fetch_all(p)
            .await?;
            let respondents = sqlx::query_as(
                "SELECT unit_id, COUNT(*) FROM survey_responses WHERE organisation_id = $1 AND wave_id = $2 \
                 GROUP BY unit_id",
            )
            .bind(organisation)
            .bind(wave)
            .fetch_all(p)
            .await?;
            let open = sqlx::query_as(
                "SELECT r.unit_id, i.dimension, a.answer_text FROM survey_items i \
                 JOIN survey_answers a ON a.item_id = i.id JOIN survey_responses r ON r.id = a.response_id \
                 WHERE i.version_id = $3 AND a.answer_text IS NOT NULL \
                 AND r.organisation_id = $1 AND r.wave_id = $2 ORDER BY i.dimension, a.answer_text",
            )
            .bind(organisation)
            .bind(wave)
            .bind(version)
            .fetch_all(p)
            .await?;
            (sums, respondents, open)
        });
        let unit = |u: i64| (u != 0).then_some(UnitId(u));
        Ok(WaveSums {
            sums: sums
                .into_iter()
                .map(
                    |(u, dimension, respondents, score_sum, scores)| DimensionSum {
                        unit: unit(u),
                        dimension,
                        respondents,
                        score_sum,
                        scores,
                    },
                )
                .collect(),
            respondents: respondents.into_iter().map(|(u, n)| (unit(u), n)).collect(),
            open: open
                .into_iter()
                .map(|(u, dimension, text)| (unit(u), dimension, text))
                .collect(),
        })
    }
}

/// Score sum and count per dimension of one response.
fn dimension_sums(answers: &[AnswerSpec]) -> std::collections::BTreeMap<&str, (i64, i64)> {
    let mut sums = std::collections::BTreeMap::new();
    for answer in answers {
        if let Some(score) = answer.score {
            let sum: &mut (i64, i64) = sums.entry(answer.dimension.as_str()).or_default();
            sum.0 += score;
            sum.1 += 1;
        }
    }
    sums
}

/// Rows of `wave_sums`: (unit, dimension, respondents, sum, count),
/// (unit, respondents), (unit, dimension, open answer or comment).
type SumRows = (
    Vec<(i64, String, i64, i64, i64)>,
    Vec<(i64, i64)>,
    Vec<(i64, String, String)>,
);

/// A wave's answers, summed.
pub struct WaveSums {
    pub sums: Vec<DimensionSum>,
    pub respondents: Vec<(Option<UnitId>, i64)>,
    pub open: Vec<(Option<UnitId>, String, String)>,
}
