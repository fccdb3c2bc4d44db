//! `koers effects estimate`: many series, one run, every core. Reads a
//! series file (`series_id,date,value,control`) and a task file
//! (`series_id,freq,intervention_date`), writes one row per task
//! (`series_id,estimate,lo95,hi95,runtime_s,reason`): the average effect
//! per post-period with its 95% interval, or empty numbers and the reason
//! no estimate can be given.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use koers_effects::{Frequency, Input, Method};
use time::Date;

use crate::{Error, Result};

/// One measurement of one series.
#[derive(Debug, Clone)]
struct Row {
    date: Date,
    value: Option<f64>,
    control: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub series_id: String,
    pub frequency: Frequency,
    pub intervention: Date,
}

/// The answer to one task.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub series_id: String,
    /// (estimate, lo95, hi95), or the reason there is none.
    pub result: std::result::Result<(f64, f64, f64), String>,
    pub runtime_s: f64,
}

fn date(text: &str, line: usize, file: &str) -> Result<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|_| {
        Error::Unexpected(format!(
            "{file} line {line}: `{text}` is not a YYYY-MM-DD date"
        ))
    })
}

fn number(text: &str, line: usize, file: &str) -> Result<Option<f64>> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("na") || text.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    text.parse::<f64>()
        .map(Some)
        .map_err(|_| Error::Unexpected(format!("{file} line {line}: `{text}` is not a number")))
}

/// Column positions by header name, so columns may come in any order.
fn columns(headers: &csv::StringRecord, wanted: &[&str], file: &str) -> Result<Vec<usize>> {
    wanted
        .iter()
        .map(|name| {
            headers
                .iter()
                .position(|h| {
                    h.trim()
                        .trim_start_matches('\u{feff}')
                        .eq_ignore_ascii_case(name)
                })
                .ok_or_else(|| Error::Unexpected(format!("{file}: no `{name}` column")))
        })
        .collect()
}

fn records(
    reader: impl Read,
    wanted: &[&str],
    optional: &[&str],
    file: &str,
) -> Result<Vec<(usize, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| Error::Unexpected(format!("{file}: {e}")))?
        .clone();
    let required = columns(&headers, wanted, file)?;
    let extra: Vec<Option<usize>> = optional
        .iter()
        .map(|name| columns(&headers, &[name], file).ok().map(|c| c[0]))
        .collect();
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::Unexpected(format!("{file}: {e}")))?;
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        let mut cells: Vec<String> = required.iter().map(|c| cell(Some(*c))).collect();
        cells.extend(extra.iter().map(|c| cell(*c)));
        out.push((index + 2, cells));
    }
    Ok(out)
}

fn read_series(reader: impl Read) -> Result<HashMap<String, Vec<Row>>> {
    let mut series: HashMap<String, Vec<Row>> = HashMap::new();
    for (line, cells) in records(
        reader,
        &["series_id", "date", "value"],
        &["control"],
        "series",
    )? {
        series
            .entry(cells[0].trim().to_owned())
            .or_default()
            .push(Row {
                date: date(&cells[1], line, "series")?,
                value: number(&cells[2], line, "series")?,
                control: number(&cells[3], line, "series")?,
            });
    }
    Ok(series)
}

fn read_tasks(reader: impl Read) -> Result<Vec<Task>> {
    records(
        reader,
        &["series_id", "freq", "intervention_date"],
        &[],
        "tasks",
    )?
    .into_iter()
    .map(|(line, cells)| {
        let frequency = match cells[1].trim().to_ascii_lowercase().as_str() {
            "week" | "weekly" | "w" => Frequency::Week,
            "month" | "monthly" | "m" => Frequency::Month,
            other => {
                return Err(Error::Unexpected(format!(
                    "tasks line {line}: frequency `{other}` is neither week nor month"
                )));
            }
        };
        Ok(Task {
            series_id: cells[0].trim().to_owned(),
            frequency,
            intervention: date(&cells[2], line, "tasks")?,
        })
    })
    .collect()
}

/// The period a date falls in, counted from the first date of the series.
fn period_of(frequency: Frequency, first: Date, date: Date) -> i64 {
    match frequency {
        Frequency::Week => (date - first).whole_days().div_euclid(7),
        Frequency::Month => {
            let months = |d: Date| i64::from(d.year()) * 12 + i64::from(u8::from(d.month()));
            months(date) - months(first)
        }
    }
}

/// Lays a series on its regular grid of periods; a period without a
/// measurement is missing. Two measurements in one period are averaged.
fn input_for(task: &Task, rows: &[Row]) -> std::result::Result<Input, String> {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| r.date);
    let first = rows.first().ok_or("the series has no rows")?.date;
    let last = rows.last().map_or(first, |r| r.date);
    let length = period_of(task.frequency, first, last) + 1;
    let length = usize::try_from(length).map_err(|_| "dates out of order")?;
    let mut sums = vec![(0.0, 0usize, 0.0, 0usize); length];
    for row in &rows {
        let p = usize::try_from(period_of(task.frequency, first, row.date))
            .map_err(|_| "dates out of order")?;
        if let Some(v) = row.value {
            sums[p].0 += v;
            sums[p].1 += 1;
        }
        if let Some(c) = row.control {
            sums[p].2 += c;
            sums[p].3 += 1;
        }
    }
    let values = sums
        .iter()
        .map(|(s, n, ..)| (*n > 0).then(|| s / *n as f64))
        .collect();
    let has_control = sums.iter().any(|(.., n)| *n > 0);
    let control = has_control.then(|| {
        sums.iter()
            .map(|(.., s, n)| (*n > 0).then(|| s / *n as f64))
            .collect()
    });
    // The first period after go-live: the one holding the intervention date
    // when the date starts it, otherwise the next.
    let p = period_of(task.frequency, first, task.intervention);
    let starts = match task.frequency {
        Frequency::Week => (task.intervention - first).whole_days().rem_euclid(7) == 0,
        // Monthly measurements fall on the series' first day of the month.
        Frequency::Month => task.intervention.day() <= first.day(),
    };
    let intervention = if starts { p } else { p + 1 };
    let intervention = usize::try_from(intervention)
        .map_err(|_| "the intervention date lies before the series starts")?;
    Ok(Input {
        values,
        control,
        intervention,
        frequency: task.frequency,
    })
}

fn run_task(task: &Task, series: &HashMap<String, Vec<Row>>, method: Method) -> Outcome {
    let started = Instant::now();
    let result = match series.get(&task.series_id) {
        None => Err("no series with this id".to_owned()),
        Some(rows) => input_for(task, rows).and_then(|input| {
            koers_effects::estimate(&input, method)
                .map(|e| (e.average.estimate, e.average.lo95, e.average.hi95))
                .map_err(|refusal| refusal.to_string())
        }),
    };
    Outcome {
        series_id: task.series_id.clone(),
        result,
        runtime_s: started.elapsed().as_secs_f64(),
    }
}

/// Estimates every task on `workers` threads; outcomes keep the tasks'
/// order.
pub fn estimate_all(
    series: impl Read,
    tasks: impl Read,
    method: Method,
    workers: usize,
) -> Result<Vec<Outcome>> {
    let series = read_series(series)?;
    let tasks = read_tasks(tasks)?;
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; tasks.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(task) = tasks.get(i) else { break };
                    let outcome = run_task(task, &series, method);
                    if let Ok(mut all) = outcomes.lock() {
                        all[i] = Some(outcome);
                    }
                }
            });
        }
    });
    let outcomes = outcomes
        .into_inner()
        .map_err(|_| Error::Unexpected("an estimate panicked".into()))?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// Writes the outcomes as CSV.
pub fn write(outcomes: &[Outcome], out: impl Write) -> Result<()> {
    let failed = |e: csv::Error| Error::Unexpected(format!("writing the results: {e}"));
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record([
            "series_id",
            "estimate",
            "lo95",
            "hi95",
            "runtime_s",
            "reason",
        ])
        .map_err(failed)?;
    for o in outcomes {
        let runtime = format!("{:.6}", o.runtime_s);
        let record = match &o.result {
            Ok((e, lo, hi)) => [
                o.series_id.clone(),
                e.to_string(),
                lo.to_string(),
                hi.to_string(),
                runtime,
                String::new(),
            ],
            Err(reason) => [
                o.series_id.clone(),
                String::new(),
                String::new(),
                String::new(),
                runtime,
                reason.clone(),
            ],
        };
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .flush()
        .map_err(|e| Error::Unexpected(format!("writing the results: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_and_monthly_series_land_on_their_grid_with_gaps_and_go_live() {
        let mut series = String::from("series_id,date,value,control\n");
        for week in 0..40i64 {
            if week == 5 {
                continue; // a gap
            }
            let day = time::macros::date!(2025 - 01 - 06) + time::Duration::days(7 * week);
            let value =
                10.0 + ((week * 7919) % 13) as f64 / 4.0 + if week >= 30 { 8.0 } else { 0.0 };
            series.push_str(&format!("w,{day},{value},\n"));
        }
        for month in 1..=12u8 {
            series.push_str(&format!("m,2025-{month:02}-01,{},\n", f64::from(month % 4)));
        }
        let tasks = "series_id,freq,intervention_date\nw,week,2025-08-04\nm,month,2025-11-15\nunknown,month,2025-01-01\n";
        let parsed = read_series(series.as_bytes()).unwrap();
        let tasks_parsed = read_tasks(tasks.as_bytes()).unwrap();
        let weekly = input_for(&tasks_parsed[0], &parsed["w"]).unwrap();
        assert_eq!(weekly.values.len(), 40);
        assert_eq!(weekly.values[5], None);
        assert_eq!(weekly.intervention, 30, "2025-08-04 starts week 30");
        assert!(weekly.control.is_none());
        let monthly = input_for(&tasks_parsed[1], &parsed["m"]).unwrap();
        assert_eq!(
            monthly.intervention, 11,
            "mid-November: December is the first month after"
        );

        let outcomes =
            estimate_all(series.as_bytes(), tasks.as_bytes(), Method::Structural, 2).unwrap();
        assert_eq!(outcomes.len(), 3);
        let (estimate, lo, hi) = outcomes[0].result.clone().unwrap();
        assert!(lo < 8.0 && 8.0 < hi && lo > 0.0, "{estimate} ({lo}, {hi})");
        assert!(
            outcomes[1]
                .result
                .as_ref()
                .unwrap_err()
                .contains("usable periods before go-live")
        );
        assert_eq!(outcomes[2].result, Err("no series with this id".to_owned()));
        let mut out = Vec::new();
        write(&outcomes, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("series_id,estimate,lo95,hi95,runtime_s,reason\nw,"));
        assert!(text.contains("\nunknown,,,,"));
    }

    #[test]
    fn unreadable_files_name_the_line() {
        let bad = "series_id,date,value\nx,2025-13-01,1\n";
        let error = read_series(bad.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("series line 2"), "{error}");
        let tasks = "series_id,freq,intervention_date\nx,day,2025-01-01\n";
        assert!(
            read_tasks(tasks.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("neither week nor month")
        );
        let missing = "series_id,when,value\n";
        assert!(
            read_series(missing.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("no `date` column")
        );
    }
}
