//! Survey instruments and their versions. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{InstrumentId, OrganisationId, SurveyItemId, SurveyVersionId};
use crate::surveys::spec::VersionSpec;
use crate::surveys::{Instrument, InstrumentKind, Item, Version, catalog};

#[derive(sqlx::FromRow)]
struct InstrumentRow {
    id: i64,
    organisation_id: i64,
    kind: String,
    current_version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<InstrumentRow> for Instrument {
    type Error = crate::Error;

    fn try_from(row: InstrumentRow) -> Result<Self> {
        Ok(Instrument {
            id: InstrumentId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            kind: decode(&row.kind, InstrumentKind::parse)?,
            current_version: row.current_version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    item_key: String,
    dimension: String,
    text_nl: String,
    text_en: String,
}

impl From<ItemRow> for Item {
    fn from(row: ItemRow) -> Self {
        Item {
            id: SurveyItemId(row.id),
            key: row.item_key,
            dimension: row.dimension,
            text_nl: row.text_nl,
            text_en: row.text_en,
        }
    }
}

/// Inserts a version with its items inside `$tx`; evaluates to its id.
macro_rules! insert_version {
    ($tx:expr, $organisation:expr, $instrument:expr, $number:expr, $note:expr, $items:expr, $at:expr) => {{
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO survey_versions (organisation_id, instrument_id, number, note, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind($organisation)
        .bind($instrument)
        .bind($number)
        .bind($note)
        .bind($at)
        .fetch_one(&mut *$tx)
        .await?;
        for (position, (key, dimension, text_nl, text_en)) in $items.enumerate() {
            sqlx::query(
                "INSERT INTO survey_items (organisation_id, version_id, position, item_key, dimension, text_nl, text_en) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind($organisation)
            .bind(version)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(key)
            .bind(dimension)
            .bind(text_nl)
            .bind(text_en)
            .execute(&mut *$tx)
            .await?;
        }
        version
    }};
}

impl Store {
    /// Gives every organisation without them the scan and the pulse survey
    /// with the built-in items as version 1; run at start-up and when an
    /// organisation is created.
    pub async fn install_builtin_instruments(&self, at: OffsetDateTime) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for kind in InstrumentKind::ALL.iter().copied() {
                let missing: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM organisations o WHERE NOT EXISTS \
                     (SELECT 1 FROM survey_instruments i WHERE i.organisation_id = o.id AND i.kind = $1)",
                )
                .bind(kind.code())
                .fetch_all(&mut *tx)
                .await?;
                let items = catalog::items_of(kind);
                for organisation in missing {
                    let instrument: i64 = sqlx::query_scalar(
                        "INSERT INTO survey_instruments (organisation_id, kind, current_version, created_at, updated_at) \
                         VALUES ($1, $2, 1, $3, $3) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(kind.code())
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                    let rows = items
                        .iter()
                        .map(|i| (&i.key, &i.dimension, &i.text_nl, &i.text_en));
                    insert_version!(tx, organisation, instrument, 1i64, "", rows, at);
                }
            }
            tx.commit().await?;
            Ok::<(), crate::Error>(())
        })?;
        self.install_builtin_interventions(at).await
    }

    pub async fn instruments(&self, organisation: OrganisationId) -> Result<Vec<Instrument>> {
        let rows: Vec<InstrumentRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, kind, current_version, created_at, updated_at \
             FROM survey_instruments WHERE organisation_id = $1 ORDER BY id",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Instrument::try_from).collect()
    }

    pub async fn instrument(
        &self,
        organisation: OrganisationId,
        id: InstrumentId,
    ) -> Result<Instrument> {
        let row: InstrumentRow = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, kind, current_version, created_at, updated_at \
             FROM survey_instruments WHERE organisation_id = $1 AND id = $2",
        )
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// One version of an instrument with its items in order.
    pub async fn instrument_version(
        &self,
        instrument: &Instrument,
        number: i64,
    ) -> Result<Version> {
        let organisation = instrument.organisation_id;
        let (head, items): ((i64, String, OffsetDateTime), Vec<ItemRow>) = on_pool!(self, p => {
            let head: (i64, String, OffsetDateTime) = sqlx::query_as(
                "SELECT id, note, created_at FROM survey_versions \
                 WHERE organisation_id = $1 AND instrument_id = $2 AND number = $3",
            )
            .bind(organisation)
            .bind(instrument.id)
            .bind(number)
            .fetch_one(p)
            .await?;
            let items = sqlx::query_as(
                "SELECT id, item_key, dimension, text_nl, text_en FROM survey_items \
                 WHERE organisation_id = $1 AND version_id = $2 ORDER BY position",
            )
            .bind(organisation)
            .bind(head.0)
            .fetch_all(p)
            .await?;
            (head, items)
        });
        Ok(Version {
            id: SurveyVersionId(head.0),
            instrument_id: instrument.id,
            number,
            note: head.1,
            created_at: head.2,
            items: items.into_iter().map(Item::from).collect(),
        })
    }

    /// The versions of an instrument, newest first, without their items.
    pub async fn instrument_versions(&self, instrument: &Instrument) -> Result<Vec<Version>> {
        let rows: Vec<(i64, i64, String, OffsetDateTime)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, number, note, created_at FROM survey_versions \
             WHERE organisation_id = $1 AND instrument_id = $2 ORDER BY number DESC",
        )
        .bind(instrument.organisation_id)
        .bind(instrument.id)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, number, note, created_at)| Version {
                id: SurveyVersionId(id),
                instrument_id: instrument.id,
                number,
                note,
                created_at,
                items: Vec::new(),
            })
            .collect())
    }

    /// The number the next own item's key (`E<n>`) gets: one above every
    /// own key any version of the instrument used.
    pub async fn next_own_item(&self, instrument: &Instrument) -> Result<i64> {
        let keys: Vec<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT i.item_key FROM survey_items i JOIN survey_versions v ON v.id = i.version_id \
             WHERE v.organisation_id = $1 AND v.instrument_id = $2 AND i.item_key LIKE 'E%'",
        )
        .bind(instrument.organisation_id)
        .bind(instrument.id)
        .fetch_all(p)
        .await?);
        Ok(keys
            .iter()
            .filter_map(|k| k.strip_prefix('E')?.parse::<i64>().ok())
            .max()
            .unwrap_or(0)
            + 1)
    }

    /// Makes a new version the current one; `Conflict` when another
    /// change came first (`expected` is the version the change was made
    /// against).
    pub async fn add_instrument_version(
        &self,
        meta: &AuditMeta,
        instrument: &Instrument,
        spec: &VersionSpec,
    ) -> Result<i64> {
        let organisation = instrument.organisation_id;
        let number = instrument.current_version + 1;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE survey_instruments SET current_version = $3, updated_at = $4 \
                 WHERE organisation_id = $1 AND id = $2 AND current_version = $5",
            )
            .bind(organisation)
            .bind(instrument.id)
            .bind(number)
            .bind(meta.at)
            .bind(instrument.current_version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(crate::Error::conflict("items", "changed_meanwhile"));
            }
            let rows = spec
                .items
                .iter()
                .map(|i| (&i.key, &i.dimension, &i.text_nl, &i.text_en));
            insert_version!(tx, organisation, instrument.id, number, &spec.note, rows, meta.at);
            let keys: Vec<&str> = spec.items.iter().map(|i| i.key.as_str()).collect();
            let change = Change::new(
                "new_version",
                "survey_instrument",
                instrument.id,
                Some(serde_json::json!({ "version": instrument.current_version })),
                Some(serde_json::json!({ "version": number, "items": keys, "note": spec.note })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(number)
        })
    }
}
