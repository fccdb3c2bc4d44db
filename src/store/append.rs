//! Appending many new measurements in one go, the fastest way each engine
//! offers: multi-row INSERTs on SQLite, `COPY … FROM STDIN` on PostgreSQL.
//! Callers have already checked that none of the keys exist.

use std::fmt::Write as _;

use sqlx::{Postgres, Sqlite, Transaction};
use time::format_description::well_known::Rfc3339;

use super::AuditMeta;
use crate::domain::IndicatorId;
use crate::indicators::MeasurementSpec;

/// Rows per INSERT on SQLite: 9 parameters each stays far below its limit.
const ROWS_PER_INSERT: usize = 500;

pub(crate) trait AppendMeasurements {
    fn append_measurements(
        &mut self,
        meta: &AuditMeta,
        indicator: IndicatorId,
        rows: &[&MeasurementSpec],
        source: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl AppendMeasurements for Transaction<'static, Sqlite> {
    async fn append_measurements(
        &mut self,
        meta: &AuditMeta,
        indicator: IndicatorId,
        rows: &[&MeasurementSpec],
        source: &str,
    ) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO measurements (organisation_id, indicator_id, period_start, dimension_key, \
                 value, note, source, recorded_by, recorded_at) ",
            );
            insert.push_values(chunk, |mut row, item| {
                row.push_bind(meta.organisation_id)
                    .push_bind(indicator)
                    .push_bind(item.period.day_number())
                    .push_bind(item.dimension_key.as_str())
                    .push_bind(item.value)
                    .push_bind(item.note.as_str())
                    .push_bind(source)
                    .push_bind(meta.actor_user_id)
                    .push_bind(meta.at);
            });
            insert.build().execute(&mut **self).await?;
        }
        Ok(())
    }
}

/// A text field in COPY's text format: backslash, tab and line breaks escaped.
fn copy_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}

impl AppendMeasurements for Transaction<'static, Postgres> {
    async fn append_measurements(
        &mut self,
        meta: &AuditMeta,
        indicator: IndicatorId,
        rows: &[&MeasurementSpec],
        source: &str,
    ) -> Result<(), sqlx::Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let organisation = meta
            .organisation_id
            .map_or_else(|| "\\N".to_owned(), |o| o.0.to_string());
        let recorded_by = meta
            .actor_user_id
            .map_or_else(|| "\\N".to_owned(), |u| u.0.to_string());
        let recorded_at = meta
            .at
            .format(&Rfc3339)
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let mut copy = self
            .copy_in_raw(
                "COPY measurements (organisation_id, indicator_id, period_start, dimension_key, value, \
                 note, source, recorded_by, recorded_at) FROM STDIN",
            )
            .await?;
        let mut buffer = String::with_capacity(64 * 1024);
        for item in rows {
            let _ = write!(
                buffer,
                "{organisation}\t{}\t{}\t",
                indicator.0,
                item.period.day_number()
            );
            copy_text(&mut buffer, &item.dimension_key);
            let _ = write!(buffer, "\t{}\t", item.value);
            copy_text(&mut buffer, &item.note);
            buffer.push('\t');
            copy_text(&mut buffer, source);
            let _ = writeln!(buffer, "\t{recorded_by}\t{recorded_at}");
            if buffer.len() > 60 * 1024 {
                copy.send(std::mem::take(&mut buffer).into_bytes()).await?;
            }
        }
        if !buffer.is_empty() {
            copy.send(buffer.into_bytes()).await?;
        }
        copy.finish().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_the_format_reserves() {
        let mut out = String::new();
        copy_text(&mut out, "a\tb\\c\nd\re");
        assert_eq!(out, "a\\tb\\\\c\\nd\\re");
    }
}
