//! `--format json`: the report context pretty-printed byte for byte as
//! `serde_json::to_writer_pretty` prints it, with the tasks (in a province's year, most of the
//! bytes: every activity of the year) printed on two threads.
//!
//! serde_json's pretty printer keeps nothing of where it stands in a document but its depth, so
//! a value printed by a printer taken to depth `d` reads exactly as it does `d` levels inside
//! the whole: the report is printed member by member, and the second half of the tasks into a
//! buffer of its own meanwhile.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter as _, PrettyFormatter, Serializer};

use super::context::{ReportContext, TaskReport};

/// Writes the report, then a newline.
pub fn write(report: &ReportContext, w: &mut impl Write) -> io::Result<()> {
    let r = report;
    w.write_all(b"{")?;
    let mut object = Members { w, first: true };
    object.member("kind", &r.kind)?;
    object.member("generated", &r.generated)?;
    object.member("document", &r.document)?;
    object.member("plan", &r.plan)?;
    object.member("period", &r.period)?;
    object.key("tasks")?;
    tasks(object.w, &r.tasks)?;
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

/// The tasks, an array one level in: those holding the first half of the activities printed
/// here, the others into a buffer on a second thread meanwhile.
fn tasks(w: &mut impl Write, tasks: &[TaskReport]) -> io::Result<()> {
    if tasks.is_empty() {
        return w.write_all(b"[]");
    }
    let weight = |t: &TaskReport| t.activities.total + 1;
    let half = tasks.iter().map(weight).sum::<usize>() / 2;
    let mut before = 0;
    let split = tasks
        .iter()
        .position(|t| {
            before += weight(t);
            before >= half
        })
        .map_or(tasks.len(), |i| i + 1);
    let (first, second) = tasks.split_at(split);
    w.write_all(b"[")?;
    std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut buffer = Vec::new();
            elements(&mut buffer, second, first.is_empty()).map(|()| buffer)
        });
        elements(w, first, true)?;
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        w.write_all(&second)
    })?;
    w.write_all(b"\n  ]")
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

    /// Every report of the sample folder, as serde_json prints it whole.
    #[test]
    fn the_report_prints_as_serde_json_prints_it() {
        let folder = Folder::load(env!("CARGO_MANIFEST_DIR").as_ref()).unwrap();
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
            let mut ours = Vec::new();
            super::write(&report, &mut ours).unwrap();
            let ours = String::from_utf8(ours).unwrap();
            let whole = serde_json::to_string_pretty(&report).unwrap() + "\n";
            let first_difference = ours
                .lines()
                .zip(whole.lines())
                .position(|(a, b)| a != b)
                .map(|i| i + 1);
            assert!(
                ours == whole,
                "{code}: from line {first_difference:?} (of {} and {} lines)",
                ours.lines().count(),
                whole.lines().count()
            );
        }
        let mut empty = Vec::new();
        super::tasks(&mut empty, &[]).unwrap();
        assert_eq!(empty, b"[]");
    }
}
