//! Making, listing and reading board reports.

use super::compare::{self, Comparison};
use super::gather::{self, Context};
use super::{BoardReport, ReportInput, ReportRecord, StoredReport, parse_period};
use crate::auth::Actor;
use crate::domain::{BoardReportId, Locale, Permission, Validator};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::pagination::{Page, PageRequest};
use crate::store::NewReport;
use crate::{Error, Result};

/// Checks the input: a period that has begun, and a language we write in.
fn checked(
    state: &AppState,
    actor: &Actor,
    input: &ReportInput,
) -> Result<(crate::domain::Period, Locale)> {
    let mut v = Validator::new();
    let period = v.check("period", parse_period(&input.period));
    if let Some(period) = period
        && period.start() > state.today().start()
    {
        v.add("period", "report_period_future");
    }
    let language = match input.language.as_deref().map(str::trim) {
        None | Some("") => Some(actor.locale),
        Some(code) => v.check("language", Locale::parse(code)),
    };
    v.finish(period.zip(language))
}

/// Builds the report for the period and keeps it; the stored content is
/// what every later view shows.
pub async fn make(state: &AppState, actor: &Actor, input: &ReportInput) -> Result<StoredReport> {
    actor.require(Permission::MakeBoardReports)?;
    let (period, language) = checked(state, actor, input)?;
    let today = state.today().start();
    let to = period
        .end_exclusive()
        .previous_day()
        .unwrap_or(period.start());
    let cx = Context {
        state,
        actor,
        t: Tr::new(language),
        from: period.start(),
        to,
        as_of: to.min(today),
    };
    let made_by = state
        .store()
        .member(actor.organisation_id, actor.user_id)
        .await?
        .name;
    let report = gather::build(&cx, &period, &made_by).await?;
    let content = serde_json::to_string(&report).map_err(|e| Error::Unexpected(e.to_string()))?;
    let content_sha256 = crate::auth::secret::hash_secret(&content);
    let meta = actor.audit(state.clock().now());
    let id = state
        .store()
        .add_board_report(
            &meta,
            actor.organisation_id,
            &NewReport {
                period: &report.period,
                language,
                made_by: actor.user_id,
                content: &content,
                content_sha256: &content_sha256,
            },
        )
        .await?;
    get(state, actor, id).await
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<ReportRecord>> {
    actor.require(Permission::MakeBoardReports)?;
    state
        .store()
        .board_reports(actor.organisation_id, page)
        .await
}

pub async fn get(state: &AppState, actor: &Actor, id: BoardReportId) -> Result<StoredReport> {
    actor.require(Permission::MakeBoardReports)?;
    let (record, content) = state
        .store()
        .board_report(actor.organisation_id, id)
        .await?;
    let content: BoardReport = serde_json::from_str(&content)
        .map_err(|e| Error::unreadable(&format!("board report {id}"), &e))?;
    Ok(StoredReport { record, content })
}

/// `now` against the report made before it; None for the first.
pub async fn comparison(
    state: &AppState,
    actor: &Actor,
    now: &StoredReport,
) -> Result<Option<(ReportRecord, Comparison)>> {
    let Some(previous) = state
        .store()
        .previous_board_report(actor.organisation_id, now.record.id)
        .await?
    else {
        return Ok(None);
    };
    let before = get(state, actor, previous).await?;
    Ok(Some((
        before.record,
        compare::compare(&before.content, &now.content),
    )))
}
