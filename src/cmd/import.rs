//! `kehoach import <kind> FILE`: many rows from what offices produce (Excel, one-stop exports),
//! checked like every other row, appended all together or not at all.
//!
//! Rows already present are skipped, so importing the same file twice adds nothing; for dossiers
//! only the facts not yet recorded are appended (a later export of the same book adds the return
//! dates, nothing else).

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Ctx;
use super::add::{nothing_written, print_findings};
use crate::catalogue::Found;
use crate::cli::ImportArgs;
use crate::findings::{Code, Finding, Location, Severity};
use crate::folder::Folder;
use crate::import::decode;
use crate::import::sheet::{self, SheetError};
use crate::messages::{Doing, Msg, doing};
use crate::records::kind::Shape;
use crate::records::{ColType, Kind, Records};
use crate::text::match_key;

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
    // A workbook is made into the table a CSV file gives: one decoding path from here on.
    let (table, header_line, read_as) = if sheet::is_workbook(&args.file, &bytes) {
        match sheet::read(&bytes, args.sheet.as_deref(), kind, &custom) {
            Ok(sheet) => {
                let read_as = Msg::ImportFromSheet {
                    sheet: sheet.name,
                    header_line: sheet.header_line,
                }
                .render(ctx.lang);
                (sheet.table, sheet.header_line, read_as)
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
        let decoded = decode::decode(&bytes);
        if decoded.lossy {
            problems.push(Finding::new(
                Code::Encoding,
                Location::file(source.clone(), None, None),
                Msg::ImportLossy {
                    encoding: decoded.encoding.name(),
                },
            ));
        }
        let table = match decode::read_table(&decoded.text) {
            Ok(table) => table,
            Err(e) => {
                let (code, msg) = e.message();
                problems.push(Finding::new(
                    code,
                    Location::file(source.clone(), Some(e.line), e.column),
                    msg,
                ));
                print_findings(ctx.lang, &problems, Severity::Error);
                return Ok(nothing_written(ctx.lang, 1));
            }
        };
        let header_line = table
            .rows
            .first()
            .map_or(1, |(line, _)| line.saturating_sub(1))
            .max(1);
        let read_as = Msg::ImportEncoding {
            encoding: decoded.encoding.name(),
        }
        .render(ctx.lang);
        (table, header_line, read_as)
    };
    // A cell an export neutralised for Excel ('=…) comes back as it was.
    let mut table = table;
    for (_, cells) in &mut table.rows {
        for cell in cells.iter_mut() {
            let plain = crate::spreadsheet::unquote(cell);
            if plain.len() != cell.len() {
                *cell = plain.to_string();
            }
        }
    }
    let mapping = match decode::map_header(kind, &table.header, &custom) {
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
    let mut seen = existing_keys(kind, &folder.records);
    let mut added: Vec<(u64, Vec<String>)> = Vec::new();
    let mut skipped: Vec<u64> = Vec::new();
    // The names read as a catalogue procedure: (as written, the procedure, rows).
    let mut mapped: Vec<(String, &crate::plan::Procedure, usize)> = Vec::new();
    let mut rows = table.rows.iter();
    // The same check as `check`, in one pass over the rows: each row against the records so far
    // (and the rows of this file before it), with the source file's line.
    let found = crate::records::read::check_new_rows_each(
        &plan,
        &mut folder.records,
        kind,
        &source,
        |records| {
            for (line, cells) in rows.by_ref() {
                if cells.len() != table.header.len() {
                    problems.push(Finding::new(
                        Code::RaggedRow,
                        Location::file(source.clone(), Some(*line), None),
                        Msg::RaggedRow {
                            found: cells.len(),
                            expected: table.header.len(),
                        },
                    ));
                    continue;
                }
                // A procedure under a slightly different name: the catalogue's id when the
                // match is unique (said below), an error listing the candidates when it is not.
                let mut cells = std::borrow::Cow::Borrowed(cells);
                let procedure = |c: &Option<&str>| {
                    c.and_then(|c| kind.column(c))
                        .is_some_and(|c| matches!(c.ty, ColType::Procedure))
                };
                if let Some(at) = mapping.iter().position(procedure) {
                    match crate::catalogue::find(&plan, &cells[at]) {
                        Found::Near(p) => {
                            let id = p.id.get_ref().clone();
                            match mapped.iter_mut().find(|(name, _, _)| *name == cells[at]) {
                                Some((_, _, rows)) => *rows += 1,
                                None => mapped.push((cells[at].clone(), p, 1)),
                            }
                            cells.to_mut()[at] = id;
                        }
                        Found::Ambiguous(candidates) => {
                            let candidates = candidates
                                .iter()
                                .map(|p| format!("{} \"{}\"", p.id.get_ref(), p.name))
                                .collect::<Vec<_>>()
                                .join(", ");
                            problems.push(Finding::new(
                                Code::UnknownProcedure,
                                Location::file(source.clone(), Some(*line), Some(at as u64 + 1)),
                                Msg::ImportAmbiguousProcedure {
                                    name: cells[at].clone(),
                                    candidates,
                                },
                            ));
                            continue;
                        }
                        Found::Exact(_) | Found::None => {}
                    }
                }
                let pairs: Vec<(&str, Option<&str>)> = mapping
                    .iter()
                    .zip(cells.iter())
                    .filter_map(|(column, value)| column.map(|c| (c, Some(value.as_str()))))
                    .collect();
                let mut row = crate::entry::row(&plan, kind, &pairs);
                match kind.spec().shape {
                    Shape::Facts { new_facts, .. } => match new_facts(&plan, records, row) {
                        Some(new) => row = new,
                        None => {
                            skipped.push(*line);
                            continue;
                        }
                    },
                    Shape::Records { .. } => {
                        if !seen.insert(row_key(kind, &row)) {
                            skipped.push(*line);
                            continue;
                        }
                    }
                }
                return Some((*line, row));
            }
            None
        },
        |line, row| added.push((line, row)),
    );
    // The check points at our column; the clerk looks for the file's column.
    problems.extend(
        found
            .into_iter()
            .filter(|f| f.severity() == Severity::Error)
            .map(|mut f| {
                f.location.column = f.location.column.and_then(|c| {
                    let ours = kind.columns().get(usize::try_from(c).ok()? - 1)?.name;
                    let at = mapping.iter().position(|m| *m == Some(ours))?;
                    Some(at as u64 + 1)
                });
                f
            }),
    );
    if print_findings(ctx.lang, &problems, Severity::Error) > 0 {
        return Ok(nothing_written(ctx.lang, 1));
    }

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (lines, mut rows): (Vec<u64>, Vec<Vec<String>>) = added.into_iter().unzip();
    super::add::give_ids(&path, kind, &mut rows, &folder.records);
    let first_line = match lock.as_mut() {
        None => None,
        Some(_) if rows.is_empty() => None,
        Some(lock) => match lock.append(kind, &rows) {
            Ok(done) => Some(done.first_line),
            Err(err) => return super::add::refused(ctx, &rel, &path, err),
        },
    };
    for (i, (line, row)) in lines.iter().zip(&rows).enumerate() {
        let cells = row.join(",");
        match first_line {
            Some(first) => writeln!(
                out,
                "+ {source}:{line} → {rel}:{}: {cells}",
                first + i as u64
            )?,
            None => writeln!(out, "+ {source}:{line}: {cells}")?,
        }
    }
    for (name, p, rows) in &mapped {
        writeln!(
            out,
            "~ {}",
            Msg::ImportProcedureMapped {
                name: name.clone(),
                id: p.id.get_ref().clone(),
                catalogue: p.name.clone(),
                rows: *rows,
            }
            .render(ctx.lang)
        )?;
    }
    for line in &skipped {
        writeln!(
            out,
            "= {source}:{line}: {}",
            Msg::ImportSkipped.render(ctx.lang)
        )?;
    }
    let summary = if args.dry_run {
        Msg::ImportDryRun {
            added: rows.len(),
            file: rel.clone(),
            skipped: skipped.len(),
        }
    } else {
        Msg::ImportDone {
            added: rows.len(),
            file: rel.clone(),
            source: source.clone(),
            kind: kind.name(),
            read_as,
            skipped: skipped.len(),
        }
    };
    writeln!(out, "{}", summary.render(ctx.lang))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A workbook that cannot be read: said, nothing written.
fn sheet_refused(ctx: &Ctx, source: &str, code: Code, msg: Msg) -> ExitCode {
    let problem = Finding::new(code, Location::file(source.to_string(), None, None), msg);
    print_findings(ctx.lang, &[problem], Severity::Error);
    nothing_written(ctx.lang, 1)
}

/// What identifies a row of a kind other than dossiers, for skipping rows already present.
/// Text is compared by [`match_key`] (case, spacing and tone placement do not matter).
fn row_key(kind: Kind, row: &[String]) -> Vec<String> {
    let columns = kind.columns();
    columns
        .iter()
        .zip(row)
        .map(|(c, v)| {
            if c.ty.is_text() {
                match_key(v)
            } else {
                v.trim().to_string()
            }
        })
        .collect()
}

/// The keys of the rows already recorded (none for a kind whose rows are facts: those are
/// compared fact by fact).
fn existing_keys(kind: Kind, records: &Records) -> HashSet<Vec<String>> {
    match kind.spec().shape {
        Shape::Records { .. } => ((kind.spec().to_cells)(records).iter())
            .map(|r| row_key(kind, r))
            .collect(),
        Shape::Facts { .. } => HashSet::new(),
    }
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
    std::fs::read(file).with_context(|| doing(ctx.lang, Doing::Reading, source))
}
