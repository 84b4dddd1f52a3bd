//! `kehoach add <kind>` and `kehoach dossier <step>`: one validated row, appended safely.
//!
//! Both go through [`write_rows`]: lock the record file, load the folder, check the new rows
//! with the very code `check` uses, refuse on any error (nothing written), warn about the work
//! findings the rows cause, then append in one write.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Ctx;
use crate::cli::{AddArgs, AddKind, DossierArgs, DossierStep};
use crate::findings::{Finding, Severity};
use crate::folder::Folder;
use crate::messages::{Doing, Lang, doing};
use crate::plan::Plan;
use crate::records::append::{AppendError, Locked};
use crate::records::{Kind, Records};

/// Builds the rows once the folder is loaded (it may need the plan or the dossiers so far).
/// `Err` is a message for the user: nothing is written.
pub type Prepare<'a> = Box<dyn FnOnce(&Plan, &Records) -> Result<Vec<Vec<String>>, String> + 'a>;

pub fn add(ctx: &Ctx, args: &AddArgs) -> Result<ExitCode> {
    let today = ctx.as_of.to_string();
    let date = |d: &Option<String>| Some(d.clone().unwrap_or_else(|| today.clone()));
    let (kind, values): (Kind, Vec<(&str, Option<String>)>) = match &args.what {
        AddKind::Activity(a) => (
            Kind::Activities,
            vec![
                ("date", date(&a.date)),
                ("task", a.task.clone()),
                ("kind", a.kind.clone()),
                ("summary", a.summary.clone()),
                ("officers", a.officers.clone()),
                ("evidence", a.evidence.clone()),
                ("deliverable", a.deliverable.clone()),
                ("participants", a.participants.clone()),
                ("note", a.note.clone()),
            ],
        ),
        AddKind::Dossier(d) => (
            Kind::Dossiers,
            vec![
                ("id", d.id.clone()),
                ("procedure", d.procedure.clone()),
                ("field", d.field.clone()),
                ("received", d.received.clone()),
                ("due", d.due.clone()),
                ("returned", d.returned.clone()),
                ("status", d.status.clone()),
                ("officer", d.officer.clone()),
                ("late_reason", d.late_reason.clone()),
                ("apology", d.apology.clone()),
                ("rescheduled", d.rescheduled.clone()),
                ("note", d.note.clone()),
            ],
        ),
        AddKind::Violation(v) => (
            Kind::Violations,
            vec![
                ("date", date(&v.date)),
                ("officer", v.officer.clone()),
                ("description", v.description.clone()),
                ("task", v.task.clone()),
                ("action", v.action.clone()),
                ("decision", v.decision.clone()),
                ("note", v.note.clone()),
            ],
        ),
        AddKind::Commendation(c) => (
            Kind::Commendations,
            vec![
                ("date", date(&c.date)),
                ("recipient", c.recipient.clone()),
                ("form", c.form.clone()),
                ("reason", c.reason.clone()),
                ("decision", c.decision.clone()),
                ("note", c.note.clone()),
            ],
        ),
        AddKind::Feedback(f) => (
            Kind::Feedback,
            vec![
                ("date", date(&f.date)),
                ("channel", f.channel.clone()),
                ("rating", f.rating.clone()),
                ("officer", f.officer.clone()),
                ("summary", f.summary.clone()),
                ("handled", f.handled.clone()),
                ("note", f.note.clone()),
            ],
        ),
        AddKind::Commitment(c) => (
            Kind::Commitments,
            vec![
                ("date", date(&c.date)),
                ("officer", c.officer.clone()),
                ("task", c.task.clone()),
                ("commitment", c.commitment.clone()),
            ],
        ),
    };
    let prepare: Prepare = Box::new(move |plan, _| {
        let pairs: Vec<(&str, Option<&str>)> =
            values.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        Ok(vec![crate::entry::row(plan, kind, &pairs)])
    });
    write_rows(ctx, kind, args.dry_run, prepare)
}

pub fn dossier(ctx: &Ctx, args: &DossierArgs) -> Result<ExitCode> {
    let lang = ctx.lang;
    let today = ctx.as_of.to_string();
    let or_today = move |d: &Option<String>| d.clone().unwrap_or_else(|| today.clone());
    let step = &args.step;
    let prepare: Prepare = Box::new(move |plan, records| {
        let known = |id: &str| -> Result<(), String> {
            if records.dossiers.get(id.trim()).is_some() {
                Ok(())
            } else {
                Err(match lang {
                    Lang::Vi => format!(
                        "không có hồ sơ {id}: tiếp nhận hồ sơ trước bằng `kehoach dossier open`"
                    ),
                    Lang::En => {
                        format!("no dossier {id}: open it first with `kehoach dossier open`")
                    }
                })
            }
        };
        let values: Vec<(&str, Option<String>)> = match step {
            DossierStep::Open {
                id,
                procedure,
                received,
                due,
                officer,
                field,
                note,
            } => {
                let received = or_today(received);
                let due = match due {
                    Some(due) => due.clone(),
                    None => due_date(plan, lang, procedure, &received)?,
                };
                vec![
                    ("id", Some(id.clone())),
                    ("procedure", Some(procedure.clone())),
                    ("field", field.clone()),
                    ("received", Some(received)),
                    ("due", Some(due)),
                    ("officer", officer.clone()),
                    ("note", note.clone()),
                ]
            }
            DossierStep::Return {
                id,
                date,
                late_reason,
                note,
            } => {
                known(id)?;
                vec![
                    ("id", Some(id.clone())),
                    ("returned", Some(or_today(date))),
                    ("late_reason", late_reason.clone()),
                    ("note", note.clone()),
                ]
            }
            DossierStep::Withdraw { id, date, note } | DossierStep::Stop { id, date, note } => {
                known(id)?;
                let status = if matches!(step, DossierStep::Withdraw { .. }) {
                    "withdrawn"
                } else {
                    "stopped"
                };
                vec![
                    ("id", Some(id.clone())),
                    ("returned", Some(or_today(date))),
                    ("status", Some(status.to_string())),
                    ("note", note.clone()),
                ]
            }
            DossierStep::Apology {
                id,
                date,
                rescheduled,
                late_reason,
            } => {
                known(id)?;
                vec![
                    ("id", Some(id.clone())),
                    ("apology", Some(or_today(date))),
                    ("rescheduled", rescheduled.clone()),
                    ("late_reason", late_reason.clone()),
                ]
            }
        };
        let pairs: Vec<(&str, Option<&str>)> =
            values.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        Ok(vec![crate::entry::row(plan, Kind::Dossiers, &pairs)])
    });
    write_rows(ctx, Kind::Dossiers, args.dry_run, prepare)
}

/// The due date of a dossier received on `received`: the procedure's processing time in
/// working days after it, under the plan's calendar.
fn due_date(plan: &Plan, lang: Lang, procedure: &str, received: &str) -> Result<String, String> {
    let id = crate::entry::procedure(plan, procedure);
    let Some(p) = plan.procedure(&id) else {
        return Err(match lang {
            Lang::Vi => format!(
                "thủ tục '{procedure}' không có trong danh mục [[procedures]] nên không tính được ngày hẹn trả: ghi --due"
            ),
            Lang::En => format!(
                "procedure '{procedure}' is not in the [[procedures]] catalogue, so its due date cannot be computed: give --due"
            ),
        });
    };
    let Some(day) = crate::entry::date(received).and_then(|d| crate::dates::parse(&d)) else {
        // Leave the bad date to the shared check, which names the column.
        return Ok(String::new());
    };
    let cal = crate::check::calendar(plan);
    Ok(cal.add_workdays(day, p.days).to_string())
}

/// Locks the kind's file, checks the prepared rows against the folder, and appends them.
pub fn write_rows(ctx: &Ctx, kind: Kind, dry_run: bool, prepare: Prepare) -> Result<ExitCode> {
    let rel = format!("records/{}.csv", kind.name());
    let path = ctx.dir.join(&rel);
    // Held from before loading until after writing: nobody appends in between.
    let mut lock = if dry_run {
        None
    } else {
        Some(Locked::open(&path).with_context(|| doing(ctx.lang, Doing::Opening, path.display()))?)
    };
    let mut folder = Folder::load(&ctx.dir, ctx.lang)?;
    let Some(plan) = folder.plan.take() else {
        super::print_errors(ctx, &folder)?;
        return Ok(nothing_written(ctx.lang, 1));
    };
    let rows = match prepare(&plan, &folder.records) {
        Ok(rows) => rows,
        Err(message) => {
            eprintln!("kehoach: {message}");
            return Ok(nothing_written(ctx.lang, 1));
        }
    };
    let first_line = next_line(&path);
    let findings = crate::records::read::check_new_rows(
        &plan,
        &mut folder.records,
        kind,
        &rows,
        &rel,
        first_line,
    );
    if print_findings(ctx.lang, &findings, Severity::Error) > 0 {
        return Ok(nothing_written(ctx.lang, 1));
    }
    // The work lapses these rows bring (a late return without a reason, …): said, not refused.
    let work = crate::check::work_findings(
        &plan,
        &folder.plan_source,
        &folder.records,
        ctx.as_of,
        crate::check::closed_through(ctx.as_of),
    );
    let ours: Vec<Finding> = work
        .into_iter()
        .filter(|f| f.location.file == rel && f.location.line.is_some_and(|l| l >= first_line))
        .collect();
    print_findings(ctx.lang, &ours, Severity::Warning);

    let mut out = std::io::stdout().lock();
    let Some(lock) = lock.as_mut() else {
        writeln!(
            out,
            "{} {rel}:",
            ctx.lang.pick(
                "Thử (--dry-run), chưa ghi gì. Sẽ thêm vào",
                "Dry run, nothing written. Would append to"
            )
        )?;
        let mut w = crate::records::csv_writer(&mut out);
        for row in &rows {
            w.write_record(row)?;
        }
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    match lock.append(kind, &rows) {
        Ok(done) => {
            if done.fixed_newline {
                eprintln!(
                    "{}",
                    match ctx.lang {
                        Lang::Vi => format!(
                            "Lưu ý: {rel} không kết thúc bằng dấu xuống dòng; đã thêm trước khi ghi. Dòng cuối cũ (dòng {}) có thể bị dở dang: hãy kiểm tra.",
                            done.first_line - 1
                        ),
                        Lang::En => format!(
                            "Note: {rel} did not end with a newline; one was added first. Its old last line ({}) may be cut short: check it.",
                            done.first_line - 1
                        ),
                    }
                );
            }
            for (i, line) in done.text.lines().enumerate() {
                writeln!(out, "{rel}:{}: {line}", done.first_line + i as u64)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => refused(ctx, &rel, &path, err),
    }
}

/// Says why an append was refused (nothing was written); I/O errors go up as they are.
pub fn refused(ctx: &Ctx, rel: &str, path: &std::path::Path, err: AppendError) -> Result<ExitCode> {
    let message = match err {
        AppendError::MissingColumn { column } => match ctx.lang {
            Lang::Vi => format!(
                "{rel} không có cột '{column}' ở dòng tiêu đề: thêm cột đó vào tệp, hoặc bỏ giá trị này"
            ),
            Lang::En => format!(
                "{rel} has no column '{column}' in its header: add the column to the file, or leave the value out"
            ),
        },
        AppendError::BadHeader => match ctx.lang {
            Lang::Vi => format!("không đọc được dòng tiêu đề của {rel}: chạy `kehoach check`"),
            Lang::En => format!("cannot read the header of {rel}: run `kehoach check`"),
        },
        AppendError::Io(e) => {
            return Err(e).with_context(|| doing(ctx.lang, Doing::Appending, path.display()));
        }
    };
    eprintln!("kehoach: {message}");
    Ok(nothing_written(ctx.lang, 1))
}

/// The line the next appended row will have (for messages before writing).
fn next_line(path: &std::path::Path) -> u64 {
    match std::fs::read(path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            lines + u64::from(bytes.last() != Some(&b'\n')) + 1
        }
        _ => 2,
    }
}

/// Prints the findings of one severity to stderr; returns how many.
pub fn print_findings(lang: Lang, findings: &[Finding], severity: Severity) -> usize {
    let mut n = 0;
    for f in findings.iter().filter(|f| f.severity() == severity) {
        eprintln!(
            "{}: {} {}",
            f.location.display(),
            f.code.as_str(),
            f.message.render(lang)
        );
        n += 1;
    }
    n
}

pub fn nothing_written(lang: Lang, code: u8) -> ExitCode {
    eprintln!(
        "{}",
        lang.pick(
            "kehoach: không ghi gì: dữ liệu giữ nguyên.",
            "kehoach: nothing written: the records are unchanged."
        )
    );
    ExitCode::from(code)
}
