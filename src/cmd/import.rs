//! `kehoach import <kind> FILE`: many rows from what offices produce (Excel, one-stop exports),
//! checked like every other row, appended all together or not at all.
//!
//! Rows already present are skipped, so importing the same file twice adds nothing; for dossiers
//! only the facts not yet recorded are appended (a later export of the same book adds the return
//! dates, nothing else).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Ctx;
use super::add::{nothing_written, print_findings};
use crate::cli::ImportArgs;
use crate::findings::{Code, Finding, Location, Severity};
use crate::folder::Folder;
use crate::import::decode;
use crate::import::pass::{self, Input};
use crate::import::sheet::{self, SheetError};
use crate::messages::{Doing, Msg, doing};

pub fn run(ctx: &Ctx, args: &ImportArgs) -> Result<ExitCode> {
    let kind = args.kind;
    let source = args.file.display().to_string();
    let bytes = read_source(ctx, &args.file, &source)?;
    let custom: Vec<(String, String)> = args
        .map
        .iter()
        .map(|m| match m.split_once('=') {
            Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
            None => (m.trim().to_string(), String::new()),
        })
        .collect();
    let mut problems = Vec::new();
    // A workbook is made into the table a CSV file gives; a text file is read a row at a
    // time. One path from the header on.
    let sheet_table;
    let text;
    let (input, header, header_line, read_as) = if sheet::is_workbook(&args.file, &bytes) {
        match sheet::read(&bytes, args.sheet.as_deref(), kind, &custom) {
            Ok(sheet) => {
                let read_as = Msg::ImportFromSheet {
                    sheet: sheet.name,
                    header_line: sheet.header_line,
                }
                .render(ctx.lang);
                sheet_table = sheet.table;
                (
                    Input::Sheet(sheet_table.rows.iter()),
                    sheet_table.header.clone(),
                    sheet.header_line,
                    read_as,
                )
            }
            Err(SheetError::NoSuchSheet { name, sheets }) => {
                let sheets = sheets
                    .iter()
                    .map(|s| format!("'{s}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                anyhow::bail!(
                    "{source}: {}",
                    Msg::ImportNoSuchSheet { name, sheets }.render(ctx.lang)
                );
            }
            Err(SheetError::Empty { sheet }) => {
                return Ok(sheet_refused(
                    ctx,
                    &source,
                    Code::NoHeader,
                    Msg::ImportSheetEmpty { sheet },
                ));
            }
            Err(SheetError::Unreadable(detail)) => {
                return Ok(sheet_refused(
                    ctx,
                    &source,
                    Code::CsvSyntax,
                    Msg::ImportSheetUnreadable { detail },
                ));
            }
        }
    } else {
        let (decoded, encoding, lossy, surely_nfc) = decode::decode_for_rows(&bytes);
        if lossy {
            problems.push(Finding::new(
                Code::Encoding,
                Location::file(source.clone(), None, None),
                Msg::ImportLossy {
                    encoding: encoding.name(),
                },
            ));
        }
        text = decoded;
        let rows = match decode::Rows::with_nfc(&text, surely_nfc) {
            Ok(rows) => rows,
            Err(e) => return Ok(table_refused(ctx, &source, problems, &e)),
        };
        let read_as = Msg::ImportEncoding {
            encoding: encoding.name(),
        }
        .render(ctx.lang);
        let header = rows.header().to_vec();
        let header_line = rows.header_line();
        (Input::Text(Box::new(rows)), header, header_line, read_as)
    };
    let mapping = match decode::map_header(kind, &header, &custom) {
        Ok(mapping) => mapping,
        Err(errors) => {
            for e in errors {
                let at = Location::file(source.clone(), Some(header_line), e.column);
                let (code, msg) = e.message();
                problems.push(Finding::new(code, at, msg));
            }
            print_findings(ctx.lang, &problems, Severity::Error);
            return Ok(nothing_written(ctx.lang, 1));
        }
    };

    let rel = format!("records/{}.csv", kind.name());
    let path = ctx.dir.join(&rel);
    let mut lock = if args.dry_run {
        None
    } else {
        Some(super::add::lock(ctx, &rel, &path, "kehoach import")?)
    };
    let mut folder = Folder::load(&ctx.dir, ctx.lang)?;
    let Some(plan) = folder.plan.take() else {
        super::print_errors(ctx, &folder)?;
        return Ok(nothing_written(ctx.lang, 1));
    };
    let ids = crate::entry::IdGiver::new(&path, kind);
    // The rows are encoded as they are checked, into one buffer appended at the end (about as
    // many bytes as the source has), or, into a file with no rows yet, into its replacement as
    // they go (`records::append::Spool`).
    let encoder = match lock.as_mut() {
        None => None,
        Some(lock) => match lock.encoder(kind, ids.gives(), bytes.len()) {
            Ok(encoder) => Some(encoder),
            Err(err) => return super::add::refused(ctx, &rel, &path, err),
        },
    };
    let setup = pass::Setup {
        plan: &plan,
        kind,
        source: &source,
        width: header.len(),
        mapping: &mapping,
        encoder,
        ids,
        list_all: args.verbose,
    };
    let outcome = match pass::run(setup, &mut folder.records, input) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(err)) => return super::add::refused(ctx, &rel, &path, err),
        Err(e) => return Ok(table_refused(ctx, &source, problems, &e)),
    };
    // The source and the records are not read again: freed on a thread of their own while the
    // rows are written and synced to disk: the exit then has less to take back.
    crate::par::free_meanwhile(bytes);
    crate::par::free_meanwhile(std::mem::take(&mut folder.records));
    problems.extend(outcome.problems);
    if print_findings(ctx.lang, &problems, Severity::Error) > 0 {
        return Ok(nothing_written(ctx.lang, 1));
    }

    let added = outcome.added.rows;
    let first_line = match (lock.as_mut(), outcome.encoder) {
        (Some(lock), Some(encoder)) if added > 0 => {
            let first = encoder.first_line();
            if let Err(err) = lock.append_encoded(encoder) {
                return super::add::refused(ctx, &rel, &path, err);
            }
            Some(first)
        }
        _ => None,
    };
    drop(lock);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.verbose || added <= pass::LISTED {
        for (i, (line, cells)) in outcome.added_list.iter().enumerate() {
            match first_line {
                Some(first) => writeln!(
                    out,
                    "+ {source}:{line} → {rel}:{}: {cells}",
                    first + i as u64
                )?,
                None => writeln!(out, "+ {source}:{line}: {cells}")?,
            }
        }
    } else {
        let said = Msg::ImportRows {
            rows: added,
            source: source.clone(),
            runs: outcome.added.runs.clone(),
            to: first_line.map(|first| (rel.clone(), first)),
        };
        writeln!(out, "+ {}", said.render(ctx.lang))?;
    }
    for (name, id, catalogue, rows) in &outcome.names.mapped {
        writeln!(
            out,
            "~ {}",
            Msg::ImportProcedureMapped {
                name: name.clone(),
                id: id.clone(),
                catalogue: catalogue.clone(),
                rows: *rows,
            }
            .render(ctx.lang)
        )?;
    }
    // Names no catalogue entry matches: the clerk may have meant one (then the catalogue or
    // the file wants a fix), or the catalogue lacks it; either way the counts by procedure
    // will show it under the name as written.
    let unlisted = &outcome.names.unlisted;
    let shown = if args.verbose {
        unlisted.len()
    } else {
        pass::LISTED.min(unlisted.len())
    };
    for (name, rows) in &unlisted[..shown] {
        let said = Msg::ImportProcedureUnlisted {
            name: name.clone(),
            rows: *rows,
        };
        writeln!(out, "~ {}", said.render(ctx.lang))?;
    }
    if shown < unlisted.len() {
        let said = Msg::ImportProceduresUnlistedMore {
            names: unlisted.len() - shown,
            rows: unlisted[shown..].iter().map(|(_, rows)| rows).sum(),
        };
        writeln!(out, "~ {}", said.render(ctx.lang))?;
    }
    let skipped = outcome.skipped.rows;
    if args.verbose || skipped <= pass::LISTED {
        for line in &outcome.skipped_list {
            writeln!(
                out,
                "= {source}:{line}: {}",
                Msg::ImportSkipped.render(ctx.lang)
            )?;
        }
    } else {
        let said = Msg::ImportSkippedRows {
            rows: skipped,
            source: source.clone(),
            runs: outcome.skipped.runs.clone(),
        };
        writeln!(out, "= {}", said.render(ctx.lang))?;
    }
    let summary = if args.dry_run {
        Msg::ImportDryRun {
            added,
            file: rel.clone(),
            skipped,
        }
    } else {
        Msg::ImportDone {
            added,
            file: rel.clone(),
            source: source.clone(),
            kind: kind.name(),
            read_as,
            skipped,
        }
    };
    writeln!(out, "{}", summary.render(ctx.lang))?;
    out.flush()?;
    // A million dossiers are freed faster by the exit than one by one.
    crate::par::leave_to_exit((folder, outcome.added, outcome.skipped));
    Ok(ExitCode::SUCCESS)
}

/// A text that cannot be read as a table (an unclosed quote, no header): said at its place,
/// after the problems found so far, nothing written.
fn table_refused(
    ctx: &Ctx,
    source: &str,
    mut problems: Vec<Finding>,
    e: &decode::TableError,
) -> ExitCode {
    let (code, msg) = e.message();
    problems.push(Finding::new(
        code,
        Location::file(source.to_string(), Some(e.line), e.column),
        msg,
    ));
    print_findings(ctx.lang, &problems, Severity::Error);
    nothing_written(ctx.lang, 1)
}

/// A workbook that cannot be read: said, nothing written.
fn sheet_refused(ctx: &Ctx, source: &str, code: Code, msg: Msg) -> ExitCode {
    let problem = Finding::new(code, Location::file(source.to_string(), None, None), msg);
    print_findings(ctx.lang, &[problem], Severity::Error);
    nothing_written(ctx.lang, 1)
}

/// The file to import, whole: `-` is standard input; anything but a plain file (a FIFO, a
/// device such as /dev/zero, a directory) is refused rather than read without end.
fn read_source(ctx: &Ctx, file: &std::path::Path, source: &str) -> Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .with_context(|| doing(ctx.lang, Doing::Reading, source))?;
        return Ok(bytes);
    }
    if let Err(refused) =
        crate::files::check_given(file).with_context(|| doing(ctx.lang, Doing::Reading, source))?
    {
        anyhow::bail!(
            "{}",
            crate::folder::refusal(source.to_string(), refused).render(ctx.lang)
        );
    }
    crate::files::read_whole(file).with_context(|| doing(ctx.lang, Doing::Reading, source))
}
