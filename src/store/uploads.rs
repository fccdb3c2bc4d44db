//! Files uploaded for an import (measurements, employees), kept from
//! preview to commit. A file is confirmed only by the import it was
//! previewed for: its purpose is part of its key.

use time::{Duration, OffsetDateTime};

use super::BeginWrite as _;
use super::{Store, on_pool};
use crate::Result;
use crate::domain::{OrganisationId, UploadId, UserId};

/// How long an unconfirmed upload is kept.
const KEPT_FOR: Duration = Duration::days(1);

/// Which import an uploaded file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadPurpose {
    Measurements,
    Employees,
    Services,
    DataAssets,
    StrategicAssets,
}

impl UploadPurpose {
    fn code(self) -> &'static str {
        match self {
            Self::Measurements => "measurements",
            Self::Employees => "employees",
            Self::Services => "services",
            Self::DataAssets => "data_assets",
            Self::StrategicAssets => "strategic_assets",
        }
    }
}

/// An uploaded file, as its owner sent it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: UploadId,
    pub filename: String,
    pub content: Vec<u8>,
}

impl Store {
    /// Keeps a file for its uploader and clears out stale uploads.
    pub async fn keep_upload(
        &self,
        organisation: OrganisationId,
        user: UserId,
        purpose: UploadPurpose,
        filename: &str,
        content: &[u8],
        now: OffsetDateTime,
    ) -> Result<UploadId> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM measurement_uploads WHERE created_at < $1")
                .bind(now - KEPT_FOR)
                .execute(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO measurement_uploads (organisation_id, user_id, filename, content, created_at, purpose) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(organisation)
            .bind(user)
            .bind(filename)
            .bind(content)
            .bind(now)
            .bind(purpose.code())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(UploadId(id))
        })
    }

    /// An upload of this user in this organisation for this import;
    /// anyone else's, or one for another import, is unknown.
    pub async fn upload(
        &self,
        organisation: OrganisationId,
        user: UserId,
        purpose: UploadPurpose,
        id: UploadId,
    ) -> Result<Upload> {
        let row: Option<(String, Vec<u8>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT filename, content FROM measurement_uploads \
             WHERE organisation_id = $1 AND user_id = $2 AND id = $3 AND purpose = $4",
        )
        .bind(organisation)
        .bind(user)
        .bind(id)
        .bind(purpose.code())
        .fetch_optional(p)
        .await)?;
        let (filename, content) = row.ok_or(crate::Error::NotFound)?;
        Ok(Upload {
            id,
            filename,
            content,
        })
    }

    pub async fn discard_upload(
        &self,
        organisation: OrganisationId,
        user: UserId,
        id: UploadId,
    ) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "DELETE FROM measurement_uploads WHERE organisation_id = $1 AND user_id = $2 AND id = $3",
        )
        .bind(organisation)
        .bind(user)
        .bind(id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
