//! The gap views as one Excel workbook for people who report on in a
//! spreadsheet: the heatmap now and at the horizon, the priority list, the
//! workforce plan, the trend over rounds and the learning actions. It
//! holds what the pages show and nothing more: hidden groups say so.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::gaps::{Cell, CellStatus};
use super::service::{self, GapAnalysis};
use super::trend::Trend;
use super::{Competence, LearningAction, RoleProfile, actions};
use crate::auth::Actor;
use crate::domain::{CompetenceId, RoleProfileId};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::indicators::export::{ExportFile, ExportFormat};
use crate::{Error, Result};

/// Everything the workbook shows, gathered by the services (which check
/// that the reader may see aggregates).
struct Gathered {
    analysis: GapAnalysis,
    trend: Trend,
    roles: Vec<RoleProfile>,
    competences: Vec<Competence>,
    actions: Vec<LearningAction>,
}

pub async fn workbook(state: &AppState, actor: &Actor) -> Result<ExportFile> {
    let gathered = Gathered {
        analysis: service::gap_analysis(state, actor).await?,
        trend: actions::gap_trend(state, actor).await?,
        roles: service::role_profiles(state, actor).await?,
        competences: service::competences(state, actor).await?,
        actions: state
            .store()
            .all_learning_actions(actor.organisation_id)
            .await?,
    };
    let bytes = write(&gathered, Tr::new(actor.locale))
        .map_err(|e| Error::Unexpected(format!("XLSX export: {e}")))?;
    let format = ExportFormat::Xlsx;
    Ok(ExportFile {
        filename: format!("skill-gaps.{}", format.extension()),
        content_type: format.content_type(),
        bytes,
    })
}

fn competence_name(all: &[Competence], id: CompetenceId) -> String {
    all.iter()
        .find(|c| c.id == id)
        .map(|c| format!("{} {}", c.code, c.name))
        .unwrap_or_default()
}

fn role_name(all: &[RoleProfile], id: RoleProfileId) -> String {
    all.iter()
        .find(|r| r.id == id)
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

/// Sheet styles.
struct Styles {
    bold: Format,
    tenths: Format,
}

fn headers(sheet: &mut Worksheet, s: &Styles, texts: &[String]) -> Result<(), XlsxError> {
    for (column, text) in (0u16..).zip(texts) {
        sheet.write_string_with_format(0, column, text, &s.bold)?;
    }
    Ok(())
}

/// A cell's mean gap as a number, or why there is none.
fn gap_cell(
    sheet: &mut Worksheet,
    s: &Styles,
    t: Tr,
    (row, column): (u32, u16),
    cell: &Cell,
    horizon: bool,
) -> Result<(), XlsxError> {
    match cell.status {
        CellStatus::Empty => {}
        CellStatus::Hidden => {
            sheet.write_string(row, column, t.get("skills.cell_hidden_short"))?;
        }
        CellStatus::Shown => {
            let gap = if horizon {
                cell.gap_horizon
            } else {
                cell.gap_now
            };
            sheet.write_number_with_format(row, column, gap.unwrap_or(0.0), &s.tenths)?;
        }
    }
    Ok(())
}

fn write(g: &Gathered, t: Tr) -> Result<Vec<u8>, XlsxError> {
    let s = Styles {
        bold: Format::new().set_bold(),
        tenths: Format::new().set_num_format("0.0"),
    };
    let mut workbook = Workbook::new();
    let names: Vec<String> = g
        .analysis
        .heatmap
        .competence_ids
        .iter()
        .map(|&id| competence_name(&g.competences, id))
        .collect();
    for horizon in [false, true] {
        let sheet = workbook.add_worksheet();
        let key = if horizon {
            "skills.export_heatmap_horizon"
        } else {
            "skills.export_heatmap_now"
        };
        sheet.set_name(t.get(key))?;
        let mut texts = vec![t.get("skills.unit").to_owned()];
        texts.extend(names.iter().cloned());
        headers(sheet, &s, &texts)?;
        for (line, row) in (1u32..).zip(&g.analysis.heatmap.rows) {
            let indent = "  ".repeat(row.depth);
            sheet.write_string(line, 0, format!("{indent}{}", row.name))?;
            for (column, cell) in (1u16..).zip(&row.cells) {
                gap_cell(sheet, &s, t, (line, column), cell, horizon)?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.get("skills.export_priorities"))?;
    let texts: Vec<String> = [
        "skills.role",
        "skills.competence",
        "skills.gap_horizon",
        "skills.people_short",
        "skills.fte_needed",
        "skills.score",
    ]
    .iter()
    .map(|k| t.get(k).to_owned())
    .collect();
    headers(sheet, &s, &texts)?;
    for (line, p) in (1u32..).zip(&g.analysis.priorities) {
        sheet.write_string(line, 0, role_name(&g.roles, p.role_profile_id))?;
        sheet.write_string(line, 1, competence_name(&g.competences, p.competence_id))?;
        sheet.write_number_with_format(line, 2, p.gap_horizon, &s.tenths)?;
        #[allow(clippy::cast_precision_loss)]
        sheet.write_number(line, 3, p.people_short as f64)?;
        sheet.write_number_with_format(line, 4, p.fte_needed, &s.tenths)?;
        sheet.write_number_with_format(line, 5, p.score, &s.tenths)?;
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.get("skills.export_workforce"))?;
    let texts: Vec<String> = [
        "skills.role",
        "skills.im_short",
        "skills.fte_now",
        "skills.fte_needed",
        "skills.fte_gap",
    ]
    .iter()
    .map(|k| t.get(k).to_owned())
    .collect();
    headers(sheet, &s, &texts)?;
    for (line, w) in (1u32..).zip(&g.analysis.workforce.lines) {
        sheet.write_string(line, 0, role_name(&g.roles, w.role_profile_id))?;
        let flag = if w.information_management {
            "skills.yes"
        } else {
            "skills.no"
        };
        sheet.write_string(line, 1, t.get(flag))?;
        sheet.write_number_with_format(line, 2, w.fte_now, &s.tenths)?;
        sheet.write_number_with_format(line, 3, w.fte_needed, &s.tenths)?;
        sheet.write_number_with_format(line, 4, w.fte_gap, &s.tenths)?;
    }
    write_trend(&mut workbook, &s, t, g, &names)?;
    write_actions(&mut workbook, &s, t, g)?;
    workbook.save_to_buffer()
}

fn write_trend(
    workbook: &mut Workbook,
    s: &Styles,
    t: Tr,
    g: &Gathered,
    names: &[String],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.get("skills.export_trend"))?;
    let mut texts = vec![
        t.get("skills.round").to_owned(),
        t.get("skills.round_starts_on").to_owned(),
        t.get("skills.trend_overall").to_owned(),
    ];
    // The trend's columns are the same competences as the heatmap's.
    texts.extend(names.iter().cloned());
    headers(sheet, s, &texts)?;
    for (line, round) in (1u32..).zip(&g.trend.rounds) {
        sheet.write_string(line, 0, &round.name)?;
        sheet.write_string(line, 1, &round.starts_on)?;
        gap_cell(sheet, s, t, (line, 2), &round.overall, false)?;
        for (column, cell) in (3u16..).zip(&round.competences) {
            gap_cell(sheet, s, t, (line, column), cell, false)?;
        }
    }
    Ok(())
}

fn write_actions(
    workbook: &mut Workbook,
    s: &Styles,
    t: Tr,
    g: &Gathered,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.get("skills.export_actions"))?;
    let texts: Vec<String> = [
        "skills.action_title",
        "skills.action_kind",
        "skills.competence",
        "skills.action_group",
        "skills.action_planned_on",
        "skills.action_status",
        "skills.action_change",
        "skills.action_change_horizon",
    ]
    .iter()
    .map(|k| t.get(k).to_owned())
    .collect();
    headers(sheet, s, &texts)?;
    for (line, action) in (1u32..).zip(&g.actions) {
        sheet.write_string(line, 0, &action.title)?;
        sheet.write_string(line, 1, t.get(action.kind.label_key()))?;
        sheet.write_string(
            line,
            2,
            competence_name(&g.competences, action.competence_id),
        )?;
        sheet.write_string(line, 3, group_name(t, g, action))?;
        sheet.write_string(line, 4, &action.planned_on)?;
        sheet.write_string(line, 5, t.get(action.status.label_key()))?;
        let effect = g
            .trend
            .actions
            .iter()
            .find(|e| e.learning_action_id == action.id);
        for (column, change) in [
            (6, effect.and_then(|e| e.change_now)),
            (7, effect.and_then(|e| e.change_horizon)),
        ] {
            if let Some(change) = change {
                sheet.write_number_with_format(line, column, change, &s.tenths)?;
            }
        }
    }
    Ok(())
}

/// The group an action is for, by name.
fn group_name(t: Tr, g_units: &Gathered, action: &LearningAction) -> String {
    match (action.unit_id, action.role_profile_id) {
        (Some(unit), _) => g_units
            .analysis
            .heatmap
            .rows
            .iter()
            .find(|r| r.unit_id == Some(unit))
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        (None, Some(role)) => role_name(&g_units.roles, role),
        (None, None) => t.get("skills.whole_organisation").to_owned(),
    }
}
