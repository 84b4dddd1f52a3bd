//! `kehoach amend`, `kehoach void`, `kehoach violation decide`, `kehoach feedback answer`: a
//! record changed by one appended row (fill, correct or void, docs/records.md).
//!
//! Each goes through [`write_change`]: lock the file the row goes to, load the folder, then
//! load it again as it would be with the row appended (the very code `check` runs), refuse
//! when that brings an error the folder did not have (nothing written), then append in one
//! write (the undo journal of [`crate::records::append`]).

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use super::add::{lock, nothing_written, print_findings, refused};
use crate::cli::{AmendArgs, FeedbackCommand, ViolationCommand, VoidArgs};
use crate::findings::{Finding, Severity};
use crate::folder::Folder;
use crate::messages::Msg;
use crate::plan::Plan;
use crate::records::{ChangeHow, Kind, Records};

/// Builds the change row once the folder is loaded: (the kind's cells in schema order, the
/// record named). `Err` is a message for the user: nothing is written.
type Prepare<'a> = Box<dyn FnOnce(&Plan, &Records) -> Result<(Vec<String>, String), String> + 'a>;

pub fn amend(ctx: &Ctx, args: &AmendArgs) -> Result<ExitCode> {
    let kind = args.kind;
    let lang = ctx.lang;
    let mut reason = args.reason.clone();
    let mut dry_run = args.dry_run;
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    let mut words = args.facts.iter();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if word.starts_with("--") => (flag, Some(value.to_string())),
            _ => (word.as_str(), None),
        };
        if flag == "--dry-run" && inline.is_none() {
            dry_run = true;
            continue;
        }
        let mut value = || inline.clone().or_else(|| words.next().cloned());
        let name = flag.trim_start_matches("--").replace('-', "_");
        let column = (kind.columns().iter())
            .filter(|c| !(kind.is_facts() && c.name == "id"))
            .find(|c| c.name == name);
        let Some(value) = (if flag.starts_with("--") {
            value()
        } else {
            None
        }) else {
            return usage(
                ctx,
                fact_error(kind, flag, column.is_some() || name == "reason"),
            );
        };
        match column {
            _ if name == "reason" => reason = Some(value),
            Some(column) => facts.push((column.name, value)),
            None => return usage(ctx, fact_error(kind, flag, false)),
        }
    }
    let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
        return usage(ctx, Msg::AmendNoReason);
    };
    if facts.is_empty() {
        return usage(ctx, Msg::AmendNoFacts);
    }
    let reference = args.reference.clone();
    let as_of = ctx.as_of;
    let prepare: Prepare = Box::new(move |plan, records| {
        let target = target(records, kind, &reference, lang, as_of)?;
        let pairs: Vec<(&str, Option<&str>)> =
            facts.iter().map(|(k, v)| (*k, Some(v.as_str()))).collect();
        Ok((crate::entry::row(plan, kind, &pairs), target))
    });
    write_change(ctx, kind, ChangeHow::Correct, &reason, dry_run, prepare)
}

pub fn void(ctx: &Ctx, args: &VoidArgs) -> Result<ExitCode> {
    let kind = args.kind;
    if args.reason.trim().is_empty() {
        return usage(ctx, Msg::AmendNoReason);
    }
    let (lang, as_of) = (ctx.lang, ctx.as_of);
    let reference = args.reference.clone();
    let prepare: Prepare = Box::new(move |_, records| {
        let target = target(records, kind, &reference, lang, as_of)?;
        Ok((vec![String::new(); kind.columns().len()], target))
    });
    write_change(
        ctx,
        kind,
        ChangeHow::Void,
        &args.reason,
        args.dry_run,
        prepare,
    )
}

pub fn violation(ctx: &Ctx, command: &ViolationCommand) -> Result<ExitCode> {
    let ViolationCommand::Decide {
        reference,
        action,
        decision,
        date,
        dry_run,
    } = command;
    let kind = Kind::Violations;
    let (lang, as_of) = (ctx.lang, ctx.as_of);
    let day = date
        .as_deref()
        .map_or_else(|| Some(as_of.to_string()), crate::entry::date);
    let prepare: Prepare = Box::new(move |plan, records| {
        let target = target(records, kind, reference, lang, as_of)?;
        // The decision's number and date, as the column holds them.
        let decision = decision.as_deref().map(|d| {
            let d = d.trim();
            match day.as_deref().and_then(crate::dates::parse) {
                Some(day) if !crate::text::fold(d).contains("ngay") => {
                    format!("{d} ngày {}", crate::dates::dmy(day))
                }
                _ => d.to_string(),
            }
        });
        let pairs = [
            ("action", Some(action.as_str())),
            ("decision", decision.as_deref()),
        ];
        Ok((crate::entry::row(plan, kind, &pairs), target))
    });
    write_change(ctx, kind, ChangeHow::Fill, "", *dry_run, prepare)
}

pub fn feedback(ctx: &Ctx, command: &FeedbackCommand) -> Result<ExitCode> {
    let FeedbackCommand::Answer {
        reference,
        date,
        dry_run,
    } = command;
    let kind = Kind::Feedback;
    let (lang, as_of) = (ctx.lang, ctx.as_of);
    let day = date.clone().unwrap_or_else(|| as_of.to_string());
    let prepare: Prepare = Box::new(move |plan, records| {
        let target = target(records, kind, reference, lang, as_of)?;
        let pairs = [("handled", Some(day.as_str()))];
        Ok((crate::entry::row(plan, kind, &pairs), target))
    });
    write_change(ctx, kind, ChangeHow::Fill, "", *dry_run, prepare)
}

/// The message for a flag of `amend` that cannot be used: a column's without its value, or
/// no column of the kind.
fn fact_error(kind: Kind, flag: &str, known: bool) -> Msg {
    if known {
        return Msg::AmendFlagWithoutValue {
            flag: flag.to_string(),
        };
    }
    let allowed = (kind.columns().iter())
        .filter(|c| !(kind.is_facts() && c.name == "id"))
        .map(|c| format!("--{}", c.name.replace('_', "-")))
        .chain(["--reason".to_string()])
        .collect::<Vec<_>>()
        .join(", ");
    Msg::AmendUnknownFlag {
        flag: flag.to_string(),
        kind: kind.name(),
        allowed,
    }
}

/// A mistake on the command line, said; exit 2, as clap's own.
fn usage(ctx: &Ctx, msg: Msg) -> Result<ExitCode> {
    eprintln!("kehoach: {}", msg.render(ctx.lang));
    Ok(nothing_written(ctx.lang, 2))
}

/// The record a change names, as the row's `ref` (or, for a dossier, `id`) writes it: a
/// dossier by its code or the tail of it; another record by its id or `file:line`, as typed
/// (the check that follows says when it names nothing).
fn target(
    records: &Records,
    kind: Kind,
    reference: &str,
    lang: crate::messages::Lang,
    as_of: chrono::NaiveDate,
) -> Result<String, String> {
    let reference = reference.trim();
    if !kind.is_facts() {
        return Ok(reference.to_string());
    }
    match super::counter::known_dossier(records, lang, reference, as_of)? {
        Some(id) => Ok(id),
        None => Err(Msg::UnknownRecord {
            kind: kind.name(),
            reference: reference.to_string(),
        }
        .render(lang)),
    }
}

/// The file a change row of `kind` goes to: the kind's file when its header has the change
/// columns (or it does not exist yet: it is made with them); else `records/<kind>/changes.csv`,
/// a file of the kind's own, read after it (a header cannot gain columns: the rows before it
/// would be short).
fn change_file(dir: &Path, kind: Kind) -> String {
    let main = format!("records/{}.csv", kind.name());
    let header = match std::fs::File::open(dir.join(&main)) {
        Ok(file) => crate::records::append::header_names(file),
        Err(_) => return main,
    };
    let has = |c: &str| header.iter().any(|h| h == c);
    if header.is_empty() || kind.change_columns().iter().all(|c| has(c)) {
        main
    } else {
        format!("records/{}/changes.csv", kind.name())
    }
}

/// Checks the change row against the folder as it would be with it, and appends it.
fn write_change(
    ctx: &Ctx,
    kind: Kind,
    how: ChangeHow,
    why: &str,
    dry_run: bool,
    prepare: Prepare,
) -> Result<ExitCode> {
    let rel = change_file(&ctx.dir, kind);
    let path = ctx.dir.join(&rel);
    let existed = path.exists();
    // Held from before loading until after writing: nobody appends in between. (A dry run
    // holds it too: the folder is checked as it would be with the row in that file.)
    let mut locked = lock(ctx, &rel, &path, "kehoach amend")?;
    let code = (|| -> Result<ExitCode> {
        let before = Folder::load(&ctx.dir, ctx.lang)?;
        let Some(plan) = before.plan.as_ref() else {
            super::print_errors(ctx, &before)?;
            return Ok(nothing_written(ctx.lang, 1));
        };
        let (mut row, target) = match prepare(plan, &before.records) {
            Ok(prepared) => prepared,
            Err(message) => {
                eprintln!("kehoach: {message}");
                return Ok(nothing_written(ctx.lang, 1));
            }
        };
        // The change columns after the kind's own, as `append::names` lists them (a new
        // record's `id` is left empty: the change names its record in `ref`).
        for column in kind.change_columns() {
            row.push(match *column {
                "change" => how.name().to_string(),
                "ref" => target.clone(),
                "why" => why.trim().to_string(),
                _ => String::new(),
            });
        }
        if kind.is_facts() {
            row[0] = target;
        }
        let rows = [row];
        let (bytes, _) = match locked.pending(kind, &rows) {
            Ok(pending) => pending,
            Err(err) => return refused(ctx, &rel, &path, err),
        };
        let extra = crate::records::read::Extra {
            rel: Path::new(&rel),
            bytes: &bytes,
        };
        // Of the folder before, only its findings are compared from here: its records (a
        // province's million dossiers) are freed before the folder is read again.
        let Folder {
            findings: before,
            records,
            ..
        } = before;
        drop(records);
        let after = Folder::load_extra(&ctx.dir, ctx.lang, extra)?;
        let new = new_errors(&before, &after.findings);
        if print_findings(ctx.lang, &new, Severity::Error) > 0 {
            return Ok(nothing_written(ctx.lang, 1));
        }
        let mut out = std::io::stdout().lock();
        if dry_run {
            let heading = Msg::DryRunWouldAppend { file: rel.clone() };
            writeln!(out, "{}", heading.render(ctx.lang))?;
            out.write_all(&bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
        match locked.append(kind, &rows) {
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
    })();
    drop(locked);
    // A file the lock made, left empty (a dry run, or a refusal), is taken away again: an
    // empty record file has no header.
    if !existed && std::fs::metadata(&path).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(&path);
        if let Some(parent) = path.parent().filter(|p| p.ends_with(kind.name())) {
            let _ = std::fs::remove_dir(parent);
        }
    }
    code
}

/// The errors of `after` that `before` does not have (each as many times as it is new).
fn new_errors(before: &[Finding], after: &[Finding]) -> Vec<Finding> {
    let key = |f: &Finding| {
        (
            f.code.as_str(),
            f.location.display(),
            f.message.render(crate::messages::Lang::En),
        )
    };
    let mut old: Vec<_> = (before.iter())
        .filter(|f| f.severity() == Severity::Error)
        .map(key)
        .collect();
    let mut new = Vec::new();
    for f in after.iter().filter(|f| f.severity() == Severity::Error) {
        match old.iter().position(|k| *k == key(f)) {
            Some(i) => {
                old.swap_remove(i);
            }
            None => new.push(f.clone()),
        }
    }
    new
}
