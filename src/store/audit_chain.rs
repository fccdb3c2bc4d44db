//! The audit log's hash chain. Every event gets a link (`audit_chain`) in
//! the order events are written: the link's hash covers the hash of the
//! link before it, its position and every field of its event. Changing,
//! removing or slipping in an event breaks the chain, which `koers audit
//! verify` walks. The head row (`audit_chain_head`) holds the newest link;
//! updating it first in a write transaction serialises the writers.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{BeginWrite as _, Store, on_pool};
use crate::Result;

/// The hash before the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How many problems a verification lists before it stops counting them
/// one by one.
const MAX_PROBLEMS: usize = 100;

/// Links read per query while verifying (the chain may be long).
const BATCH: i64 = 5_000;

/// Timestamps keep microseconds: what PostgreSQL stores, so that an event
/// reads back exactly as it was hashed on both databases.
pub fn to_micros(at: OffsetDateTime) -> OffsetDateTime {
    let nanos = at.nanosecond();
    at.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(at)
}

/// One event with its place in the chain, as hashed.
pub struct Link<'a> {
    pub seq: i64,
    pub prev_hash: &'a str,
    pub event_id: i64,
    pub organisation_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub occurred_at: OffsetDateTime,
    pub client_address: Option<&'a str>,
    pub changes: &'a str,
}

impl Link<'_> {
    /// SHA-256 (hex) over the fields as a JSON array: unambiguous, whatever
    /// the texts hold.
    pub fn hash(&self) -> String {
        let fields = serde_json::json!([
            self.seq,
            self.prev_hash,
            self.event_id,
            self.organisation_id,
            self.actor_user_id,
            self.actor_label,
            self.action,
            self.entity_type,
            self.entity_id,
            self.occurred_at.unix_timestamp_nanos() / 1_000,
            self.client_address,
            self.changes,
        ]);
        data_encoding::HEXLOWER.encode(&Sha256::digest(fields.to_string().as_bytes()))
    }
}

/// Writes the link for a just-inserted event: takes the head (its row lock
/// orders concurrent writers), hashes and inserts the link, moves the head.
/// Runs inside the event's transaction, so both commit or neither does.
macro_rules! chain_event {
    ($conn:expr, $event_id:expr, $org:expr, $user:expr, $label:expr, $action:expr,
     $entity_type:expr, $entity_id:expr, $at:expr, $address:expr, $changes:expr) => {{
        async {
            let conn = $conn;
            let (seq, prev_hash): (i64, String) = sqlx::query_as(
                "UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash",
            )
            .fetch_one(&mut *conn)
            .await?;
            let hash = $crate::store::audit_chain::Link {
                seq,
                prev_hash: &prev_hash,
                event_id: $event_id,
                organisation_id: $org,
                actor_user_id: $user,
                actor_label: $label,
                action: $action,
                entity_type: $entity_type,
                entity_id: $entity_id,
                occurred_at: $at,
                client_address: $address,
                changes: $changes,
            }
            .hash();
            sqlx::query(
                "INSERT INTO audit_chain (seq, event_id, prev_hash, hash) VALUES ($1, $2, $3, $4)",
            )
            .bind(seq)
            .bind($event_id)
            .bind(&prev_hash)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE audit_chain_head SET last_hash = $1 WHERE id = 1")
                .bind(&hash)
                .execute(&mut *conn)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await
    }};
}
pub(crate) use chain_event;

/// An event as stored, for chaining events written without a link (from
/// before the chain existed, or restored from a backup).
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub id: i64,
    pub organisation_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub occurred_at: OffsetDateTime,
    pub client_address: Option<String>,
    pub changes: String,
}

pub(crate) const EVENT_COLUMNS: &str = "e.id, e.organisation_id, e.actor_user_id, e.actor_label, e.action, \
     e.entity_type, e.entity_id, e.occurred_at, e.client_address, e.changes";

/// Links every event that has none, oldest first; `organisation` limits
/// it to one organisation's events (a restore).
macro_rules! chain_unlinked {
    ($conn:expr, $organisation:expr) => {{
        async {
            let conn = $conn;
            let organisation: Option<i64> = $organisation;
            let rows: Vec<$crate::store::audit_chain::EventRow> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {} FROM audit_events e \
                 WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id) \
                 AND ($1 IS NULL OR e.organisation_id = $1) ORDER BY e.id",
                    $crate::store::audit_chain::EVENT_COLUMNS
                )))
                .bind(organisation)
                .fetch_all(&mut *conn)
                .await?;
            for row in &rows {
                $crate::store::audit_chain::chain_event!(
                    &mut *conn,
                    row.id,
                    row.organisation_id,
                    row.actor_user_id,
                    &row.actor_label,
                    &row.action,
                    &row.entity_type,
                    &row.entity_id,
                    row.occurred_at,
                    row.client_address.as_deref(),
                    &row.changes
                )?;
            }
            Ok::<usize, sqlx::Error>(rows.len())
        }
        .await
    }};
}
pub(crate) use chain_unlinked;

/// What walking the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Links walked.
    pub links: i64,
    /// The newest link as the head records it: worth writing down
    /// elsewhere, since removing the newest links and rewinding the head
    /// together leaves no trace inside the database.
    pub head_seq: i64,
    pub head_hash: String,
    /// Every break found (the first `MAX_PROBLEMS`), in words.
    pub problems: Vec<String>,
    /// Breaks beyond those listed.
    pub more_problems: usize,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, text: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(text);
        } else {
            self.more_problems += 1;
        }
    }
}

/// A link with its event's fields (all absent when the event was
/// removed).
#[derive(sqlx::FromRow)]
struct LinkRow {
    seq: i64,
    event_id: i64,
    prev_hash: String,
    hash: String,
    id: Option<i64>,
    organisation_id: Option<i64>,
    actor_user_id: Option<i64>,
    actor_label: Option<String>,
    action: Option<String>,
    entity_type: Option<String>,
    entity_id: Option<String>,
    occurred_at: Option<OffsetDateTime>,
    client_address: Option<String>,
    changes: Option<String>,
}

impl LinkRow {
    /// The hash the link should carry, when its event is still there.
    fn recomputed(&self) -> Option<String> {
        Some(
            Link {
                seq: self.seq,
                prev_hash: &self.prev_hash,
                event_id: self.id?,
                organisation_id: self.organisation_id,
                actor_user_id: self.actor_user_id,
                actor_label: self.actor_label.as_deref()?,
                action: self.action.as_deref()?,
                entity_type: self.entity_type.as_deref()?,
                entity_id: self.entity_id.as_deref()?,
                occurred_at: self.occurred_at?,
                client_address: self.client_address.as_deref(),
                changes: self.changes.as_deref()?,
            }
            .hash(),
        )
    }
}

impl Store {
    /// Chains the events written before the chain existed, once: at the
    /// first start after the migration. Later events without a link were
    /// written around Koers, and verification reports them.
    pub async fn seal_legacy_audit_events(&self) -> Result<usize> {
        let sealed = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done: bool =
                sqlx::query_scalar("SELECT legacy_sealed FROM audit_chain_head WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            let sealed = if done {
                0
            } else {
                let n = chain_unlinked!(&mut *tx, None)?;
                sqlx::query("UPDATE audit_chain_head SET legacy_sealed = $1 WHERE id = 1")
                    .bind(true)
                    .execute(&mut *tx)
                    .await?;
                n
            };
            tx.commit().await?;
            sealed
        });
        Ok(sealed)
    }

    /// Walks the whole chain in one snapshot (writes meanwhile do not
    /// count): every link's event must hash to the link, every link must
    /// follow the one before, every event must have a link, the head must
    /// point at the last link, and the link `anchor` names (a position and
    /// hash written down earlier, outside the database) must still be
    /// there unchanged.
    pub async fn verify_audit_chain(&self, anchor: Option<(i64, &str)>) -> Result<ChainReport> {
        let link_sql = format!(
            "SELECT c.seq, c.event_id, c.prev_hash, c.hash, {EVENT_COLUMNS} \
             FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
        );
        on_pool!(self, p => {
            let mut tx = p.begin_snapshot().await?;
            let (head_seq, head_hash): (i64, String) =
                sqlx::query_as("SELECT seq, last_hash FROM audit_chain_head WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            let mut report = ChainReport {
                links: 0,
                head_seq,
                head_hash: head_hash.clone(),
                problems: Vec::new(),
                more_problems: 0,
            };
            let mut anchor_seen = false;
            let (mut last_seq, mut last_hash) = (0_i64, GENESIS.to_owned());
            loop {
                let rows: Vec<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(link_sql.clone()))
                    .bind(last_seq)
                    .bind(BATCH)
                    .fetch_all(&mut *tx)
                    .await?;
                let full = rows.len() as i64 == BATCH;
                for row in &rows {
                    report.links += 1;
                    if row.seq != last_seq + 1 {
                        report.problem(format!(
                            "links {} to {} are missing: events were removed",
                            last_seq + 1,
                            row.seq - 1
                        ));
                    } else if row.prev_hash != last_hash {
                        // (After a gap the gap is the finding; the broken
                        // link to its far side says nothing more.)
                        report.problem(format!(
                            "link {} does not follow the link before it: a link was replaced",
                            row.seq
                        ));
                    }
                    match row.recomputed() {
                        None => report.problem(format!(
                            "link {}: event {} was removed",
                            row.seq, row.event_id
                        )),
                        Some(hash) if hash != row.hash => report.problem(format!(
                            "link {}: event {} was changed after it was written",
                            row.seq, row.event_id
                        )),
                        Some(_) => {}
                    }
                    if let Some((seq, hash)) = anchor
                        && seq == row.seq
                    {
                        anchor_seen = true;
                        if row.hash != hash {
                            report.problem(format!(
                                "link {seq} is not the one written down: the chain was rewritten"
                            ));
                        }
                    }
                    last_seq = row.seq;
                    last_hash = row.hash.clone();
                }
                if !full {
                    break;
                }
            }
            if let Some((seq, _)) = anchor
                && !anchor_seen
            {
                report.problem(format!(
                    "link {seq}, written down earlier, is gone: the chain was cut back"
                ));
            }
            if last_seq != head_seq || last_hash != head_hash {
                report.problem(format!(
                    "the chain ends at link {last_seq} but its head records link {head_seq}: \
                     the newest events were removed or the head was moved"
                ));
            }
            let unlinked: Vec<i64> = sqlx::query_scalar(
                "SELECT e.id FROM audit_events e \
                 WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id) ORDER BY e.id",
            )
            .fetch_all(&mut *tx)
            .await?;
            for id in unlinked {
                report.problem(format!(
                    "event {id} has no link: it was written around Koers"
                ));
            }
            tx.commit().await?;
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(changes: &str) -> Link<'_> {
        Link {
            seq: 1,
            prev_hash: GENESIS,
            event_id: 7,
            organisation_id: Some(1),
            actor_user_id: None,
            actor_label: "admin@alpha.test",
            action: "create",
            entity_type: "unit",
            entity_id: "3",
            occurred_at: OffsetDateTime::UNIX_EPOCH,
            client_address: None,
            changes,
        }
    }

    #[test]
    fn every_field_reaches_the_hash() {
        let base = link("{}").hash();
        assert_eq!(base.len(), 64);
        assert_eq!(base, link("{}").hash(), "the same event, the same hash");
        assert_ne!(base, link("{\"a\":1}").hash());
        let mut moved = link("{}");
        moved.seq = 2;
        assert_ne!(base, moved.hash());
        let mut other_actor = link("{}");
        other_actor.actor_user_id = Some(1);
        assert_ne!(base, other_actor.hash());
        // Fields cannot bleed into each other.
        let mut a = link("{}");
        a.entity_type = "unit3";
        a.entity_id = "";
        assert_ne!(base, a.hash());
    }

    #[test]
    fn timestamps_keep_microseconds() {
        let at = OffsetDateTime::UNIX_EPOCH
            .replace_nanosecond(123_456_789)
            .unwrap();
        assert_eq!(to_micros(at).nanosecond(), 123_456_000);
    }
}
