//! Board reports: written once, read many times, never changed. Scoped by
//! organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{BoardReportId, Locale, OrganisationId, UserId};
use crate::pagination::{Page, PageRequest};
use crate::reports::ReportRecord;

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    period: String,
    language: String,
    made_by_user_id: i64,
    made_by_name: String,
    made_at: OffsetDateTime,
    content_sha256: String,
}

impl ReportRow {
    fn into_record(self) -> Result<ReportRecord> {
        Ok(ReportRecord {
            id: BoardReportId(self.id),
            period: self.period,
            language: decode(&self.language, Locale::parse)?,
            made_by: UserId(self.made_by_user_id),
            made_by_name: self.made_by_name,
            made_at: self.made_at,
            content_sha256: self.content_sha256,
        })
    }
}

macro_rules! report_select {
    () => {
        "SELECT r.id, r.period, r.language, r.made_by_user_id, u.name AS made_by_name, r.made_at, \
         r.content_sha256 FROM board_reports r JOIN users u ON u.id = r.made_by_user_id "
    };
}

/// What is stored of a new report.
pub struct NewReport<'a> {
    pub period: &'a str,
    pub language: Locale,
    pub made_by: UserId,
    pub content: &'a str,
    pub content_sha256: &'a str,
}

impl Store {
    /// The organisation's reports, the newest first.
    pub async fn board_reports(
        &self,
        organisation: OrganisationId,
        page: PageRequest,
    ) -> Result<Page<ReportRecord>> {
        let (rows, total): (Vec<ReportRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                report_select!(), "WHERE r.organisation_id = $1 ORDER BY r.id DESC LIMIT $2 OFFSET $3"
            ))
            .bind(organisation)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(p)
            .await?;
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM board_reports WHERE organisation_id = $1")
                .bind(organisation)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(ReportRow::into_record)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, page, total))
    }

    /// One report with its stored content.
    pub async fn board_report(
        &self,
        organisation: OrganisationId,
        id: BoardReportId,
    ) -> Result<(ReportRecord, String)> {
        let (row, content): (ReportRow, String) = on_pool!(self, p => {
            let row: ReportRow = sqlx::query_as(concat!(
                report_select!(), "WHERE r.organisation_id = $1 AND r.id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            let content: String = sqlx::query_scalar(
                "SELECT content FROM board_reports WHERE organisation_id = $1 AND id = $2",
            )
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            (row, content)
        });
        Ok((row.into_record()?, content))
    }

    /// The report made just before `id`, whatever its period.
    pub async fn previous_board_report(
        &self,
        organisation: OrganisationId,
        id: BoardReportId,
    ) -> Result<Option<BoardReportId>> {
        let found: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT MAX(id) FROM board_reports WHERE organisation_id = $1 AND id < $2",
        )
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok(found.map(BoardReportId))
    }

    /// Keeps a new report, with its audit entry, in one transaction.
    pub async fn add_board_report(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        report: &NewReport<'_>,
    ) -> Result<BoardReportId> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO board_reports (organisation_id, period, language, made_by_user_id, made_at, \
                 content, content_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(organisation)
            .bind(report.period)
            .bind(report.language.code())
            .bind(report.made_by)
            .bind(meta.at)
            .bind(report.content)
            .bind(report.content_sha256)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new(
                "create",
                "board_report",
                id,
                None,
                Some(serde_json::json!({
                    "period": report.period,
                    "language": report.language.code(),
                    "content_sha256": report.content_sha256,
                })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            id
        });
        Ok(BoardReportId(id))
    }
}
