//! `--format json`: the report context pretty-printed byte for byte as
//! `serde_json::to_writer_pretty` prints it, on two threads: in a province's year the tasks
//! (every activity of the year) and the findings are most of the bytes.
//!
//! serde_json's pretty printer keeps nothing of where it stands in a document but its depth, so
//! a value printed by a printer taken to depth `d` reads exactly as it does `d` levels inside
//! the whole. The report is printed member by member, cut in the tasks where about half the
//! work lies on either side: the first part is written out while the second is printed into a
//! buffer on a second thread.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter as _, PrettyFormatter, Serializer};

use super::context::{ReportContext, TaskReport};

/// Writes the report, then a newline.
pub fn write(report: &ReportContext, w: &mut impl Write) -> io::Result<()> {
    write_cut(report, w, cut(report))
}

/// Writes the report cut before task `at`.
fn write_cut(report: &ReportContext, w: &mut impl Write, at: usize) -> io::Result<()> {
    let (first, second) = report.tasks.split_at(at);
    let (first, second) = crate::par::join(
        || before(w, report, first),
        || {
            let mut buffer = Vec::new();
            after(&mut buffer, report, second, first.is_empty()).map(|()| buffer)
        },
    );
    first?;
    w.write_all(&second?)
}

/// Where to cut the tasks: about as much to print before as after, counting an activity as one
/// and a finding (two messages to render) as two.
fn cut(report: &ReportContext) -> usize {
    let weight = |t: &TaskReport| t.activities.list.len() + 1;
    let all = report.tasks.iter().map(weight).sum::<usize>() + 2 * report.findings.examples.len();
    let mut before = 0;
    report
        .tasks
        .iter()
        .position(|t| {
            before += weight(t);
            before >= all / 2
        })
        .map_or(report.tasks.len(), |i| i + 1)
}

/// The report up to the cut: the members before the tasks, then the first tasks.
fn before(w: &mut impl Write, r: &ReportContext, tasks: &[TaskReport]) -> io::Result<()> {
    w.write_all(b"{")?;
    let mut object = Members { w, first: true };
    object.member("kind", &r.kind)?;
    object.member("generated", &r.generated)?;
    object.member("document", &r.document)?;
    object.member("plan", &r.plan)?;
    object.member("period", &r.period)?;
    object.key("tasks")?;
    if r.tasks.is_empty() {
        return object.w.write_all(b"[]");
    }
    object.w.write_all(b"[")?;
    elements(object.w, tasks, true)
}

/// The report from the cut: the other tasks, the members after them, the end.
fn after(
    w: &mut impl Write,
    r: &ReportContext,
    tasks: &[TaskReport],
    first: bool,
) -> io::Result<()> {
    if !r.tasks.is_empty() {
        elements(w, tasks, first)?;
        w.write_all(b"\n  ]")?;
    }
    let mut object = Members { w, first: false };
    object.member("dossiers", &r.dossiers)?;
    object.member("violations", &r.violations)?;
    object.member("commendations", &r.commendations)?;
    object.member("feedback", &r.feedback)?;
    object.member("findings", &r.findings)?;
    object.member("shortcomings", &r.shortcomings)?;
    object.member("next", &r.next)?;
    object.member("trend", &r.trend)?;
    object.member("officers", &r.officers)?;
    object.member("charts", &r.charts)?;
    object.member("provenance", &r.provenance)?;
    object.member("changes", &r.changes)?;
    object.w.write_all(b"\n}\n")
}

/// The members of the report object, one after the other.
struct Members<'w, W> {
    w: &'w mut W,
    first: bool,
}

impl<W: Write> Members<'_, W> {
    fn key(&mut self, name: &str) -> io::Result<()> {
        let w = &mut *self.w;
        w.write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut *w, name)?;
        w.write_all(b": ")
    }

    fn member(&mut self, name: &str, value: &impl Serialize) -> io::Result<()> {
        self.key(name)?;
        value_at(self.w, 1, value)
    }
}

/// A value as it is printed `depth` levels inside the document.
fn value_at(w: &mut impl Write, depth: usize, value: &impl Serialize) -> io::Result<()> {
    let mut pretty = PrettyFormatter::new();
    for _ in 0..depth {
        // Entering an array is all the printer notes of the way in.
        pretty.begin_array(&mut io::sink())?;
    }
    value.serialize(&mut Serializer::with_formatter(&mut *w, pretty))?;
    Ok(())
}

/// Tasks as elements of the tasks array, the first of them the array's first or not.
fn elements(w: &mut impl Write, tasks: &[TaskReport], first: bool) -> io::Result<()> {
    for (i, task) in tasks.iter().enumerate() {
        w.write_all(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        value_at(w, 2, task)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::folder::Folder;
    use crate::period::Period;
    use crate::report::context::{self, ReportKind, Request};

    /// Every report of the sample folder, wherever it is cut, as serde_json prints it whole.
    #[test]
    fn the_report_prints_as_serde_json_prints_it() {
        let folder = Folder::load(
            env!("CARGO_MANIFEST_DIR").as_ref(),
            crate::messages::Lang::En,
        )
        .unwrap();
        let plan = folder.plan.as_ref().unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2021, 11, 20).unwrap();
        for (kind, code) in [
            (ReportKind::Quarter, "2021-Q3"),
            (ReportKind::Quarter, "2021-Q4"),
            (ReportKind::Half, "2021-H1"),
            (ReportKind::Year, "2021"),
            (ReportKind::Officers, "2021"),
        ] {
            let period = Period::parse(plan.reporting.periods, code).unwrap();
            let request = Request {
                kind,
                period,
                as_of,
                data_errors: 0,
                number: None,
            };
            let warnings = crate::check::work_findings(
                plan,
                &folder.plan_source,
                &folder.records,
                context::judged_at(&period, as_of),
                context::closed_through(&period, as_of),
            );
            let counts = context::count_dossiers(plan, &folder.records.dossiers, &request);
            let report = context::build(plan, &folder.records, counts, &warnings, &request);
            let mut no_tasks = report.clone();
            no_tasks.tasks.clear();
            for (report, at) in (0..=report.tasks.len())
                .map(|at| (&report, at))
                .chain([(&no_tasks, 0)])
            {
                let mut ours = Vec::new();
                super::write_cut(report, &mut ours, at).unwrap();
                let ours = String::from_utf8(ours).unwrap();
                let whole = serde_json::to_string_pretty(report).unwrap() + "\n";
                let first_difference = ours
                    .lines()
                    .zip(whole.lines())
                    .position(|(a, b)| a != b)
                    .map(|i| i + 1);
                assert!(
                    ours == whole,
                    "{code} cut at {at} of {}: from line {first_difference:?} (of {} and {} lines)",
                    report.tasks.len(),
                    ours.lines().count(),
                    whole.lines().count()
                );
            }
        }
    }
}
