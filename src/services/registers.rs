//! The three registers of this module (services, data assets, strategic
//! assets) as one thing for the spreadsheet import pages: where each
//! lives, its texts, and how an uploaded file is checked, kept for
//! confirmation and imported.

use crate::auth::Actor;
use crate::domain::UploadId;
use crate::http::AppState;
use crate::store::UploadPurpose;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Services,
    DataAssets,
    StrategicAssets,
}

/// What an import did or would do, the same for every register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl Register {
    /// The register's page; its import page is `<home>/import`.
    pub fn home(self) -> &'static str {
        match self {
            Register::Services => "/services",
            Register::DataAssets => "/data-assets",
            Register::StrategicAssets => "/strategic-assets",
        }
    }

    /// The locale section holding its import texts and column names.
    pub fn texts(self) -> &'static str {
        match self {
            Register::Services => "services",
            Register::DataAssets => "data_assets",
            Register::StrategicAssets => "strategic_assets",
        }
    }

    fn purpose(self) -> UploadPurpose {
        match self {
            Register::Services => UploadPurpose::Services,
            Register::DataAssets => UploadPurpose::DataAssets,
            Register::StrategicAssets => UploadPurpose::StrategicAssets,
        }
    }

    async fn import(
        self,
        state: &AppState,
        actor: &Actor,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<Counts> {
        Ok(match self {
            Register::Services => {
                let r = super::service::import(state, actor, bytes, dry_run).await?;
                Counts {
                    rows: r.rows,
                    created: r.created,
                    updated: r.updated,
                    unchanged: r.unchanged,
                }
            }
            Register::DataAssets => {
                let r = crate::data_assets::service::import(state, actor, bytes, dry_run).await?;
                Counts {
                    rows: r.rows,
                    created: r.created,
                    updated: r.updated,
                    unchanged: r.unchanged,
                }
            }
            Register::StrategicAssets => {
                let r =
                    crate::strategic_assets::service::import(state, actor, bytes, dry_run).await?;
                Counts {
                    rows: r.rows,
                    created: r.created,
                    updated: r.updated,
                    unchanged: r.unchanged,
                }
            }
        })
    }

    /// Checks an uploaded file and keeps it for confirmation.
    pub async fn preview(
        self,
        state: &AppState,
        actor: &Actor,
        filename: &str,
        bytes: &[u8],
    ) -> Result<(UploadId, Counts)> {
        if bytes.is_empty() {
            return Err(Error::invalid("file", "required"));
        }
        let counts = self.import(state, actor, bytes, true).await?;
        let name: String = filename.chars().take(200).collect();
        let id = state
            .store()
            .keep_upload(
                actor.organisation_id,
                actor.user_id,
                self.purpose(),
                &name,
                bytes,
                state.clock().now(),
            )
            .await?;
        Ok((id, counts))
    }

    /// Imports a previewed file for real (checked again) and forgets it.
    pub async fn confirm(self, state: &AppState, actor: &Actor, id: UploadId) -> Result<Counts> {
        let upload = state
            .store()
            .upload(actor.organisation_id, actor.user_id, self.purpose(), id)
            .await?;
        let counts = self.import(state, actor, &upload.content, false).await?;
        state
            .store()
            .discard_upload(actor.organisation_id, actor.user_id, upload.id)
            .await?;
        Ok(counts)
    }
}
