//! `kehoach export --format parquet -o OUT`: one Parquet file per kind, in a Hive layout
//! (`OUT/kind=<kind>/commune=<commune>/year=<year>/part-0.parquet`), with the Apache Arrow
//! and Parquet crates. Every column is nullable, so that the files of all communes have one
//! schema per kind whatever their data; the columns are documented in docs/export.md.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, Date32Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::findings::Finding;
use crate::plan::Plan;
use crate::records::{Kind, Records};

/// One file written: its `kind=` and path, and its rows.
#[derive(Debug, Clone)]
pub struct Written {
    pub kind: &'static str,
    pub path: PathBuf,
    pub rows: usize,
}

/// The value of `commune=`: the plan's authority without "Ủy ban nhân dân", folded to ASCII
/// words joined by `-`: "Ủy ban nhân dân xã Sơn Hồng" → `xa-son-hong`.
pub fn commune_key(authority: &str) -> String {
    let name = ["Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "]
        .iter()
        .find_map(|p| authority.strip_prefix(p))
        .unwrap_or(authority);
    let mut out = String::new();
    for c in crate::text::fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "xa".to_string()
    } else {
        out
    }
}

/// The columns of one table, built one after the other.
#[derive(Default)]
struct Table {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

impl Table {
    fn push(&mut self, name: &str, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.columns.push(array);
    }

    fn text<'a>(&mut self, name: &str, values: impl Iterator<Item = Option<&'a str>>) {
        self.push(name, Arc::new(values.collect::<StringArray>()));
    }

    fn date(&mut self, name: &str, values: impl Iterator<Item = Option<NaiveDate>>) {
        self.push(
            name,
            Arc::new(values.map(|d| d.map(days)).collect::<Date32Array>()),
        );
    }

    fn int(&mut self, name: &str, values: impl Iterator<Item = Option<i32>>) {
        self.push(name, Arc::new(values.collect::<Int32Array>()));
    }

    fn boolean(&mut self, name: &str, values: impl Iterator<Item = Option<bool>>) {
        self.push(name, Arc::new(values.collect::<BooleanArray>()));
    }

    fn list<'a, I: Iterator<Item = &'a str>>(
        &mut self,
        name: &str,
        values: impl Iterator<Item = I>,
    ) {
        let mut b = ListBuilder::new(StringBuilder::new());
        for row in values {
            for v in row {
                b.values().append_value(v);
            }
            b.append(true);
        }
        self.push(name, Arc::new(b.finish()));
    }

    fn batch(self) -> Result<RecordBatch> {
        let schema = Arc::new(Schema::new(self.fields));
        Ok(RecordBatch::try_new(schema, self.columns)?)
    }
}

fn dossiers(plan: &Plan, records: &Records, t: NaiveDate) -> Result<RecordBatch> {
    // In the order of the rows that first name them, as the other exports give them.
    let mut all: Vec<_> = records.dossiers.iter().collect();
    all.sort_by_key(|d| d.opened());
    let catalogue = |p: Option<&str>| p.and_then(|p| plan.procedure(p));
    let mut table = Table::default();
    let ids: Vec<String> = all.iter().map(|d| d.id().into_owned()).collect();
    table.text("id", ids.iter().map(|s| Some(s.as_str())));
    table.text("procedure", all.iter().map(|d| d.procedure()));
    table.text(
        "procedure_name",
        all.iter().map(|d| {
            catalogue(d.procedure())
                .map(|c| c.name.as_str())
                .or(d.procedure())
        }),
    );
    table.text(
        "field",
        all.iter().map(|d| {
            d.field()
                .or_else(|| catalogue(d.procedure()).map(|c| c.field.as_str()))
        }),
    );
    table.text("officer", all.iter().map(|d| d.officer()));
    table.date("received", all.iter().map(|d| d.received));
    table.date("due", all.iter().map(|d| d.due));
    table.date("returned", all.iter().map(|d| d.returned));
    table.text("status", all.iter().map(|d| d.status.map(|s| s.code())));
    table.text("late_reason", all.iter().map(|d| d.late_reason()));
    table.date("apology", all.iter().map(|d| d.apology));
    table.date("rescheduled", all.iter().map(|d| d.rescheduled));
    table.text("note", all.iter().map(|d| d.note()));
    table.text("channel", all.iter().map(|d| d.channel.map(|c| c.code())));
    table.date("supplement", all.iter().map(|d| d.supplement));
    table.text("refusal_reason", all.iter().map(|d| d.refusal_reason()));
    // As the reports judge it: against the date that stands after a request for more papers.
    let outcomes: Vec<Option<&str>> = all
        .iter()
        .map(|d| d.outcome_at(t).map(|o| o.code()))
        .collect();
    table.text("outcome", outcomes.iter().copied());
    table.boolean(
        "on_time",
        outcomes.iter().map(|o| match o {
            Some("early" | "on_time") => Some(true),
            Some("late") => Some(false),
            _ => None,
        }),
    );
    table.int(
        "days_late",
        // Past the date it is judged against, as `outcome` is.
        all.iter()
            .zip(&outcomes)
            .map(|(d, o)| match (o, d.judged_due()) {
                (Some("late"), Some(due)) => d.returned.map(|r| (r - due).num_days() as i32),
                (Some("pending_overdue"), Some(due)) => Some((t - due).num_days() as i32),
                _ => None,
            }),
    );
    table.batch()
}

fn activities(records: &Records) -> Result<RecordBatch> {
    let a = &records.activities;
    let mut table = Table::default();
    table.date("date", a.iter().map(|a| Some(a.date)));
    table.text("task", a.iter().map(|a| Some(a.task())));
    table.text("activity_kind", a.iter().map(|a| Some(a.kind.code())));
    table.text("summary", a.iter().map(|a| Some(a.summary())));
    table.list("officers", a.iter().map(|a| a.officers()));
    table.text("evidence", a.iter().map(|a| a.evidence()));
    table.text("deliverable", a.iter().map(|a| a.deliverable()));
    table.int(
        "participants",
        a.iter().map(|a| a.participants.map(|p| p as i32)),
    );
    table.text("note", a.iter().map(|a| a.note()));
    table.batch()
}

fn violations(records: &Records) -> Result<RecordBatch> {
    let v = &records.violations;
    let mut table = Table::default();
    table.date("date", v.iter().map(|v| Some(v.date)));
    table.text("officer", v.iter().map(|v| Some(v.officer.as_str())));
    table.text(
        "description",
        v.iter().map(|v| Some(v.description.as_str())),
    );
    table.text("task", v.iter().map(|v| v.task.as_deref()));
    table.text("action", v.iter().map(|v| v.action.map(|a| a.code())));
    table.boolean(
        "formal",
        v.iter()
            .map(|v| Some(v.action.is_some_and(|a| a.is_discipline()))),
    );
    table.text("decision", v.iter().map(|v| v.decision.as_deref()));
    table.text("note", v.iter().map(|v| v.note.as_deref()));
    table.batch()
}

fn commendations(records: &Records) -> Result<RecordBatch> {
    let c = &records.commendations;
    let mut table = Table::default();
    table.date("date", c.iter().map(|c| Some(c.date)));
    table.text("recipient", c.iter().map(|c| Some(c.recipient.as_str())));
    table.text("form", c.iter().map(|c| Some(c.form.as_str())));
    table.text("reason", c.iter().map(|c| c.reason.as_deref()));
    table.text("decision", c.iter().map(|c| c.decision.as_deref()));
    table.text("note", c.iter().map(|c| c.note.as_deref()));
    table.batch()
}

fn feedback(records: &Records) -> Result<RecordBatch> {
    let f = &records.feedback;
    let mut table = Table::default();
    table.date("date", f.iter().map(|f| Some(f.date)));
    table.text("channel", f.iter().map(|f| Some(f.channel.code())));
    table.text("rating", f.iter().map(|f| f.rating.map(|r| r.code())));
    table.text("officer", f.iter().map(|f| f.officer()));
    table.text("summary", f.iter().map(|f| f.summary()));
    table.date("handled", f.iter().map(|f| f.handled));
    table.text("note", f.iter().map(|f| f.note()));
    table.batch()
}

fn commitments(records: &Records) -> Result<RecordBatch> {
    let c = &records.commitments;
    let mut table = Table::default();
    table.date("date", c.iter().map(|c| Some(c.date)));
    table.text("officer", c.iter().map(|c| Some(c.officer.as_str())));
    table.text("task", c.iter().map(|c| Some(c.task.as_str())));
    table.text("commitment", c.iter().map(|c| Some(c.commitment.as_str())));
    table.text("met", c.iter().map(|c| c.met.map(|m| m.code())));
    table.date("judged", c.iter().map(|c| c.judged));
    table.batch()
}

fn lapses(records: &Records) -> Result<RecordBatch> {
    let l = &records.lapses;
    let mut table = Table::default();
    table.date("date", l.iter().map(|l| Some(l.date)));
    table.text("unit", l.iter().map(|l| l.unit.as_deref()));
    table.text("officer", l.iter().map(|l| l.officer.as_deref()));
    table.text("report", l.iter().map(|l| Some(l.report.as_str())));
    table.text("period", l.iter().map(|l| l.period.as_deref()));
    table.text("lapse", l.iter().map(|l| Some(l.lapse.code())));
    table.text("note", l.iter().map(|l| l.note.as_deref()));
    table.batch()
}

fn ratings(records: &Records) -> Result<RecordBatch> {
    let r = &records.ratings;
    let mut table = Table::default();
    table.date("date", r.iter().map(|r| Some(r.date)));
    table.text("officer", r.iter().map(|r| Some(r.officer.as_str())));
    table.int("rated_year", r.iter().map(|r| i32::try_from(r.year).ok()));
    table.text("level", r.iter().map(|r| Some(r.level.code())));
    table.text("decision", r.iter().map(|r| r.decision.as_deref()));
    table.text("note", r.iter().map(|r| r.note.as_deref()));
    table.batch()
}

fn findings(all: &[Finding]) -> Result<RecordBatch> {
    let mut table = Table::default();
    table.text("code", all.iter().map(|f| Some(f.code.as_str())));
    let severities: Vec<&str> = all
        .iter()
        .map(|f| match f.severity() {
            crate::findings::Severity::Error => "error",
            crate::findings::Severity::Warning => "warning",
            crate::findings::Severity::Info => "info",
        })
        .collect();
    table.text("severity", severities.iter().map(|s| Some(*s)));
    let vi: Vec<String> = all
        .iter()
        .map(|f| f.message.render(crate::messages::Lang::Vi))
        .collect();
    let en: Vec<String> = all
        .iter()
        .map(|f| f.message.render(crate::messages::Lang::En))
        .collect();
    table.text("message", vi.iter().map(|s| Some(s.as_str())));
    table.text("message_en", en.iter().map(|s| Some(s.as_str())));
    table.text("file", all.iter().map(|f| Some(&*f.location.file)));
    table.int(
        "line",
        all.iter().map(|f| f.location.line.map(|l| l as i32)),
    );
    table.int(
        "column",
        all.iter().map(|f| f.location.column.map(|c| c as i32)),
    );
    table.text("basis", all.iter().map(|f| f.basis.as_deref()));
    table.date("date", all.iter().map(|f| f.date));
    table.text("task", all.iter().map(|f| f.message.task()));
    table.batch()
}

/// Writes the kinds asked for under `out`, and the findings when given (the folder's data and
/// work findings as of `as_of`, which also judges the dossiers' outcome); each file whole or
/// not at all (a temporary file beside it, then a rename).
pub fn write(
    lang: crate::messages::Lang,
    plan: &Plan,
    records: &Records,
    kinds: &[Kind],
    findings_of: Option<&[Finding]>,
    as_of: NaiveDate,
    out: &Path,
) -> Result<Vec<Written>> {
    let commune = commune_key(&plan.plan.authority);
    let year = plan.plan.year;
    let mut tables: Vec<(&'static str, RecordBatch)> = Vec::new();
    for &kind in kinds {
        let batch = match kind {
            Kind::Activities => activities(records),
            Kind::Dossiers => dossiers(plan, records, as_of),
            Kind::Violations => violations(records),
            Kind::Commendations => commendations(records),
            Kind::Feedback => feedback(records),
            Kind::Commitments => commitments(records),
            Kind::Ratings => ratings(records),
            Kind::Lapses => lapses(records),
        }?;
        tables.push((kind.name(), batch));
    }
    if let Some(all) = findings_of {
        tables.push(("findings", findings(all)?));
    }
    let mut written = Vec::new();
    for (kind, batch) in tables {
        let dir = out
            .join(format!("kind={kind}"))
            .join(format!("commune={commune}"))
            .join(format!("year={year}"));
        std::fs::create_dir_all(&dir).with_context(|| {
            crate::messages::doing(lang, crate::messages::Doing::Creating, dir.display())
        })?;
        let path = dir.join("part-0.parquet");
        let rows = batch.num_rows();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("kehoach {}", env!("CARGO_PKG_VERSION")))
            .build();
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props))?;
        writer.write(&batch)?;
        writer.close()?;
        let tmp = dir.join(format!(".part-0.parquet.{}.tmp", std::process::id()));
        std::fs::write(&tmp, &bytes)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
            .with_context(|| {
                crate::messages::doing(lang, crate::messages::Doing::Writing, path.display())
            })?;
        written.push(Written { kind, path, rows });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commune_key_is_ascii_words() {
        assert_eq!(commune_key("Ủy ban nhân dân xã Sơn Hồng"), "xa-son-hong");
        assert_eq!(commune_key("UBND phường Đông Hà (cũ)"), "phuong-dong-ha-cu");
        assert_eq!(commune_key("  "), "xa");
    }
}
