//! Backing up one organisation, restoring it elsewhere, and the online
//! copy of a whole SQLite installation.

use super::pack;
use super::tables;
use super::{Archive, FORMAT, VERSION};
use crate::domain::{OrganisationId, Slug, Validator};
use crate::store::{AuditMeta, Store};
use crate::{Error, Result};

/// Everything of the organisation with this slug, as an archive.
pub async fn backup(store: &Store, slug: &str) -> Result<Archive> {
    let organisation = store.organisation_by_slug(slug).await?.id;
    backup_of(store, organisation).await
}

pub async fn backup_of(store: &Store, organisation: OrganisationId) -> Result<Archive> {
    let order = tables::order()
        .ok_or_else(|| Error::Unexpected("the tables refer to each other in a cycle".into()))?;
    let snapshot = store
        .organisation_snapshot(organisation, order, pack::referenced_users)
        .await?;
    pack::pack(
        snapshot.schema,
        snapshot.organisation,
        snapshot.users,
        snapshot.tables,
    )
}

/// The archive as the bytes of a file.
pub fn to_bytes(archive: &Archive) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(archive).map_err(|e| Error::Unexpected(e.to_string()))
}

/// Reads an archive file; anything else is refused plainly.
pub fn from_bytes(bytes: &[u8]) -> Result<Archive> {
    let archive: Archive =
        serde_json::from_slice(bytes).map_err(|_| Error::invalid("archive", "archive_format"))?;
    if archive.format != FORMAT {
        return Err(Error::invalid("archive", "archive_format"));
    }
    if archive.version != VERSION {
        return Err(Error::invalid("archive", "archive_version"));
    }
    Ok(archive)
}

/// Loads an archive as a new organisation: under its own slug, or under
/// `slug` when given. The slug must be free: a restore never mixes into an
/// organisation that exists. An archive from a newer schema is refused.
pub async fn restore(
    store: &Store,
    meta: &AuditMeta,
    archive: &Archive,
    slug: Option<&str>,
) -> Result<OrganisationId> {
    let mut v = Validator::new();
    let wanted = match slug {
        Some(slug) => slug.to_owned(),
        None => match archive.organisation.get("slug") {
            Some(super::Value::Text(slug)) => slug.clone(),
            _ => String::new(),
        },
    };
    let slug: Option<Slug> = v.check("slug", Slug::parse(&wanted));
    if archive.schema > store.schema_version().await? {
        v.add("archive", "archive_version");
    }
    let slug = v.finish(slug)?;
    let mut archive = archive.clone();
    pack::upgrade(&mut archive);
    store.restore_archive(meta, &archive, &slug).await
}

/// A consistent copy of the whole SQLite database while it serves
/// (`VACUUM INTO`); PostgreSQL has its own tools for that.
pub async fn backup_all(store: &Store, file: &std::path::Path) -> Result<()> {
    store.copy_database(file).await
}
