//! `kehoach add <kind>` and `kehoach dossier <step>`: one validated row, appended safely.
//!
//! Both go through [`write_rows`]: lock the record file, load the folder, check the new rows
//! with the very code `check` uses, refuse on any error (nothing written), warn about the work
//! findings the rows cause, then append in one write.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Ctx;
use crate::check::LapseView;
use crate::cli::{AddArgs, AddKind, DossierArgs, DossierStep};
use crate::findings::{Finding, Severity};
use crate::folder::Folder;
use crate::messages::{Doing, Lang, Msg, Safety, doing};
use crate::plan::Plan;
use crate::records::append::{AppendError, Locked};
use crate::records::{Kind, Records};

/// Builds the rows once the folder is loaded (it may need the plan or the dossiers so far).
/// `Err` is a message for the user: nothing is written.
pub type Prepare<'a> = Box<dyn FnOnce(&Plan, &Records) -> Result<Vec<Vec<String>>, String> + 'a>;

pub fn add(ctx: &Ctx, args: &AddArgs) -> Result<ExitCode> {
    let (kind, flags) = flags(&args.what)?;
    let today = ctx.as_of.to_string();
    let values: Vec<(&str, Option<String>)> = (kind.columns().iter())
        .map(|column| {
            let given = flags.get(column.name).and_then(|v| v.as_str());
            // A kind's `date` column, where it has one, is the --as-of date when not given.
            let value = match given {
                None if column.name == "date" => Some(today.clone()),
                given => given.map(str::to_string),
            };
            (column.name, value)
        })
        .collect();
    let prepare: Prepare = Box::new(move |plan, _| {
        let pairs: Vec<(&str, Option<&str>)> =
            values.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        Ok(vec![crate::entry::row(plan, kind, &pairs)])
    });
    write_rows(ctx, kind, args.dry_run, prepare)
}

/// The kind `kehoach add <kind>` names, and its flags by name (each named as its column).
fn flags(what: &AddKind) -> Result<(Kind, serde_json::Map<String, serde_json::Value>)> {
    if let serde_json::Value::Object(one) = serde_json::to_value(what)?
        && let Some((word, serde_json::Value::Object(flags))) = one.into_iter().next()
        && let Some(kind) = Kind::from_word(&word)
    {
        return Ok((kind, flags));
    }
    anyhow::bail!("`add` names no record kind")
}

pub fn dossier(ctx: &Ctx, args: &DossierArgs) -> Result<ExitCode> {
    let lang = ctx.lang;
    let as_of = ctx.as_of;
    let today = ctx.as_of.to_string();
    // Left out, or given without a value (`--received`): the as-of date.
    let or_today = move |d: &Option<String>| {
        d.clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| today.clone())
    };
    let step = &args.step;
    let opened = std::cell::RefCell::new(None);
    let prepare: Prepare = Box::new(|plan, records| {
        // A dossier named by its code or the tail of it.
        let known = |id: &str| -> Result<String, String> {
            if let Some(id) = super::counter::known_dossier(records, lang, id, as_of)? {
                Ok(id)
            } else {
                Err(Msg::DossierNotOpened { id: id.to_string() }.render(lang))
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
                let Some(procedure) = procedure.as_deref() else {
                    return Err(super::counter::missing(lang, "--procedure"));
                };
                let procedure = super::counter::procedure(plan, lang, procedure)?;
                let officer = officer
                    .as_deref()
                    .map(|o| super::counter::officer(plan, lang, o))
                    .transpose()?;
                let due = match due {
                    Some(due) => due.clone(),
                    None => due_date(plan, lang, &procedure, &received)?,
                };
                let id =
                    super::counter::new_dossier_id(plan, records, lang, id.as_deref(), &received)?;
                *opened.borrow_mut() = Some(id.clone());
                vec![
                    ("id", Some(id)),
                    ("procedure", Some(procedure)),
                    ("field", field.clone()),
                    ("received", Some(received)),
                    ("due", Some(due)),
                    ("officer", officer),
                    ("note", note.clone()),
                ]
            }
            DossierStep::Return {
                id,
                date,
                late_reason,
                note,
            } => {
                let id = known(id)?;
                vec![
                    ("id", Some(id)),
                    ("returned", Some(or_today(date))),
                    ("late_reason", late_reason.clone()),
                    ("note", note.clone()),
                ]
            }
            DossierStep::Withdraw { id, date, note } | DossierStep::Stop { id, date, note } => {
                let id = known(id)?;
                let status = if matches!(step, DossierStep::Withdraw { .. }) {
                    "withdrawn"
                } else {
                    "stopped"
                };
                vec![
                    ("id", Some(id)),
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
                let id = known(id)?;
                vec![
                    ("id", Some(id)),
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
    let code = write_rows(ctx, Kind::Dossiers, args.dry_run, prepare)?;
    // A code made here is the clerk's to write on the receipt.
    if code == ExitCode::SUCCESS
        && matches!(step, DossierStep::Open { id: None, .. })
        && let Some(id) = opened.into_inner()
    {
        println!("{}", crate::messages::Say::DossierCode { id }.render(lang));
    }
    Ok(code)
}

/// The due date of a dossier received on `received`: the procedure's processing time in
/// working days after it, under the plan's calendar.
fn due_date(plan: &Plan, lang: Lang, procedure: &str, received: &str) -> Result<String, String> {
    let id = crate::entry::procedure(plan, procedure);
    let Some(p) = plan.procedure(&id) else {
        return Err(Msg::DueNotComputable {
            procedure: procedure.to_string(),
        }
        .render(lang));
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
        Some(lock(ctx, &rel, &path, "kehoach add")?)
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
    let first_line = crate::records::append::Existing::read_path(&path).first_line();
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
    // Of a province's 300,000 dossier lapses, only those of the new rows are made findings.
    let ours_at =
        |file: &str, line: Option<u64>| file == rel && line.is_some_and(|l| l >= first_line);
    let keep = crate::check::Lapses {
        per: usize::MAX,
        tally: || {
            crate::check::KeepIf(|lapse: &LapseView<'_>| ours_at(lapse.file, Some(lapse.line)))
        },
    };
    let (work, _) = crate::check::work_after(
        &plan,
        &folder.plan_source,
        &folder.records,
        &folder.records.dossiers,
        ctx.as_of,
        crate::check::closed_through(ctx.as_of),
        keep,
    );
    let (work, _) = work.findings(Vec::new(), &folder.records);
    let ours: Vec<Finding> = work
        .into_iter()
        .filter(|f| ours_at(&f.location.file, f.location.line))
        .collect();
    print_findings(ctx.lang, &ours, Severity::Warning);

    let mut rows = rows;
    give_ids(&path, kind, &mut rows, &folder.records);
    let mut out = std::io::stdout().lock();
    let Some(lock) = lock.as_mut() else {
        let heading = Msg::DryRunWouldAppend { file: rel.clone() };
        writeln!(out, "{}", heading.render(ctx.lang))?;
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
                let note = Msg::NewlineAdded {
                    file: rel.clone(),
                    line: done.first_line - 1,
                };
                eprintln!("{}", note.render(ctx.lang));
            }
            for (i, line) in done.text.lines().enumerate() {
                writeln!(out, "{rel}:{}: {line}", done.first_line + i as u64)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => refused(ctx, &rel, &path, err),
    }
}

/// Gives each new row of a record kind its `id` (docs/records.md, "Ids"), when the file they
/// go to has an `id` column or is new (it is then made with the change columns): the rows are
/// made as wide as [`crate::records::append::names`], the id after the kind's own columns.
/// Dossiers keep their one-stop code; a file whose header has no `id` gets none (its rows
/// are named by their place, `activities.csv:57`).
pub fn give_ids(path: &std::path::Path, kind: Kind, rows: &mut [Vec<String>], records: &Records) {
    let mut ids = crate::entry::IdGiver::new(path, kind);
    for row in rows.iter_mut() {
        ids.give(records, row);
    }
}

/// Locks a record file for writing, as `who`; says whom it waits for after a second.
pub fn lock(ctx: &Ctx, rel: &str, path: &std::path::Path, who: &str) -> Result<Locked> {
    // Never appended through a link (wherever it leads) or to a special file.
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
    {
        let refused = match crate::files::check(&ctx.dir, path)? {
            Err(refused) => refused,
            Ok(_) => crate::files::Refused::NotPlain(crate::files::type_name(&meta.file_type())),
        };
        anyhow::bail!(
            "{}",
            crate::folder::refusal(rel.to_string(), refused).render(ctx.lang)
        );
    }
    Locked::open_as(path, who, |holder| {
        let holder =
            holder.unwrap_or_else(|| ctx.lang.pick("tiến trình khác", "another process").into());
        eprintln!(
            "kehoach: {}",
            Safety::Waiting {
                file: rel.into(),
                holder
            }
            .render(ctx.lang)
        );
    })
    .with_context(|| doing(ctx.lang, Doing::Opening, path.display()))
}

/// Says why an append was refused (nothing was written); I/O errors go up as they are.
pub fn refused(ctx: &Ctx, rel: &str, path: &std::path::Path, err: AppendError) -> Result<ExitCode> {
    let message = match err {
        AppendError::MissingColumn { column } => Msg::AppendMissingColumn {
            file: rel.to_string(),
            column: column.to_string(),
        },
        AppendError::BadHeader => Msg::AppendBadHeader {
            file: rel.to_string(),
        },
        AppendError::Io(e) => {
            return Err(e).with_context(|| doing(ctx.lang, Doing::Appending, path.display()));
        }
        AppendError::RolledBack(e) => {
            return Err(e)
                .with_context(|| doing(ctx.lang, Doing::Appending, path.display()))
                .context(Safety::RolledBack { file: rel.into() }.render(ctx.lang));
        }
    };
    eprintln!("kehoach: {}", message.render(ctx.lang));
    Ok(nothing_written(ctx.lang, 1))
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
    eprintln!("kehoach: {}", Msg::NothingWritten.render(lang));
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `add` reads the flags by column name: each `add <kind>` has one flag per column of the
    /// kind, named as the column, and no other.
    #[test]
    fn every_column_is_a_flag_of_add_and_every_flag_a_column() {
        let cli = crate::cli::Cli::command();
        let add = cli.find_subcommand("add").unwrap();
        for kind in Kind::ALL {
            let sub = add.find_subcommand(kind.spec().one).unwrap();
            let mut flags: Vec<&str> = (sub.get_arguments())
                .map(|a| a.get_id().as_str())
                .filter(|id| !matches!(*id, "help" | "dry_run"))
                .collect();
            let mut columns: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
            flags.sort();
            columns.sort();
            assert_eq!(flags, columns, "add {}", kind.spec().one);
        }
    }

    #[test]
    fn the_flags_of_add_come_back_by_column_and_kind() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "kehoach",
            "add",
            "feedback",
            "--channel",
            "box",
            "--handled",
            "05/03/2021",
        ])
        .unwrap();
        let crate::cli::Command::Add(args) = cli.command else {
            panic!("not add");
        };
        let (kind, flags) = flags(&args.what).unwrap();
        assert_eq!(kind, Kind::Feedback);
        assert_eq!(flags["channel"], "box");
        assert_eq!(flags["handled"], "05/03/2021");
        assert!(flags["rating"].is_null());
    }
}
