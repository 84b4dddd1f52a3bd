//! `kehoach show KIND REF`: one record as it stands after its changes, and its history (the row
//! that wrote it and each fill, correct and void row, with file:line, and in a git repository
//! the commit that added each row), docs/records.md.

use std::collections::HashMap;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::ShowArgs;
use crate::folder::Folder;
use crate::messages::Msg;
use crate::records::{Change, ChangeHow, Kind, Records, RowRef};

/// A row of a record's history: its file (under the plan folder), its line, what it did.
type Entry = (String, u32, Msg);

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<ExitCode> {
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    let records = &folder.records;
    let kind = args.kind;
    let typed = args.reference.trim();
    // A dossier is named by its code or the tail of it, as `dossier return` and `amend` take
    // it; two that fit are refused with both named.
    let found = if kind.is_facts() {
        match super::counter::known_dossier(records, ctx.lang, typed, ctx.as_of) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("kehoach: {message}");
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        None
    };
    let reference = found.as_deref().unwrap_or(typed);
    let shown = if kind.is_facts() {
        dossier(ctx, records, reference)
    } else {
        record(records, kind, reference)
    };
    let Some((state, history)) = shown else {
        eprintln!(
            "kehoach: {}",
            Msg::UnknownRecord {
                kind: kind.name(),
                reference: reference.to_string(),
            }
            .render(ctx.lang)
        );
        return Ok(ExitCode::from(1));
    };
    let commits = commits(ctx, &history);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", Msg::ShowState.render(ctx.lang))?;
    match &state {
        Some(cells) => {
            for (column, value) in kind.columns().iter().zip(cells) {
                if !value.is_empty() {
                    writeln!(out, "  {}: {value}", column.name)?;
                }
            }
        }
        None => writeln!(out, "  {}", Msg::ShowVoided.render(ctx.lang))?,
    }
    writeln!(out, "{}", Msg::ShowHistory.render(ctx.lang))?;
    for (file, line, msg) in &history {
        writeln!(out, "  {}", msg.render(ctx.lang))?;
        if let Some(commit) = commits.get(&(file.clone(), *line)) {
            writeln!(out, "    {}", commit.render(ctx.lang))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn label(records: &Records, at: RowRef) -> String {
    records.file(at).to_string_lossy().replace('\\', "/")
}

/// The history line of a change row.
fn change_line(records: &Records, kind: Kind, change: &Change) -> Entry {
    let facts = (change.cells.iter())
        .map(|(slot, _, value)| format!("{}={value}", kind.columns()[*slot].name))
        .collect::<Vec<_>>()
        .join(", ");
    let file = label(records, change.at);
    let msg = Msg::ShowChange {
        place: format!("{file}:{}", change.at.line),
        how: change.how.name(),
        facts: if change.how == ChangeHow::Void {
            String::new()
        } else {
            facts
        },
        why: change.reason.clone(),
    };
    (file, change.at.line, msg)
}

/// A record of a kind whose rows are records: its cells as it stands (`None`: voided) and its
/// history; `None` when `reference` names none.
#[allow(clippy::type_complexity)]
fn record(
    records: &Records,
    kind: Kind,
    reference: &str,
) -> Option<(Option<Vec<String>>, Vec<Entry>)> {
    let at = (records.ids[kind as usize].get(reference).copied())
        .or_else(|| crate::records::read::row_named(records, reference))
        .filter(|at| is_kind_file(records, *at, kind))?;
    let state = current(records, kind, at);
    let changes: Vec<_> = (records.changes.iter())
        .filter(|c| c.kind == kind && c.record == Some(at))
        .collect();
    if state.is_none() && changes.is_empty() {
        return None;
    }
    let file = label(records, at);
    let written = Msg::ShowWritten {
        place: format!("{file}:{}", at.line),
    };
    let mut history = vec![(file, at.line, written)];
    history.extend(changes.iter().map(|c| change_line(records, kind, c)));
    Some((state, history))
}

/// A dossier, by its code: its facts as they stand (`None`: voided) and every row that names
/// it, in reading order; `None` when no row does.
#[allow(clippy::type_complexity)]
fn dossier(ctx: &Ctx, records: &Records, id: &str) -> Option<(Option<Vec<String>>, Vec<Entry>)> {
    let kind = Kind::Dossiers;
    let state = records
        .dossiers
        .get(id)
        .map(|d| crate::records::kind::dossiers::cells(&d));
    let mut history = Vec::new();
    for (index, path) in records.files.iter().enumerate() {
        let at0 = RowRef {
            file: index as u32,
            line: 0,
        };
        if !is_kind_file(records, at0, kind) {
            continue;
        }
        let file = label(records, at0);
        let Ok(source) = std::fs::File::open(ctx.dir.join(path)) else {
            continue;
        };
        // Read through, not held whole (a province's file has a million rows); a row is made
        // text only when its id is the one asked for.
        let mut reader =
            crate::records::csv_reader(std::io::BufReader::with_capacity(1 << 16, source));
        // The lines of the rows found, counted in a second look at the file.
        let Ok(second) = std::fs::File::open(ctx.dir.join(path)) else {
            continue;
        };
        let mut at_lines =
            crate::records::RecordLines::new(std::io::BufReader::with_capacity(1 << 16, second));
        let mut raw = csv::ByteRecord::new();
        let mut names: Vec<String> = Vec::new();
        let mut id_at = None;
        loop {
            match reader.read_byte_record(&mut raw) {
                Ok(true) => {}
                Ok(false) => break,
                Err(_) => continue,
            }
            if names.is_empty() {
                names = crate::records::column_names(&raw);
                id_at = names.iter().position(|n| n == "id");
                continue;
            }
            let id_cell = id_at.and_then(|i| raw.get(i)).map(std::str::from_utf8);
            if !matches!(id_cell, Some(Ok(cell)) if cell.trim() == id) {
                continue;
            }
            let Ok(row) = csv::StringRecord::from_byte_record(raw.clone()) else {
                continue;
            };
            let start = raw.position().map_or(0, csv::Position::byte);
            let Ok(line) = at_lines.line_of(start) else {
                break;
            };
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            let at = RowRef {
                file: index as u32,
                line,
            };
            let place = format!("{file}:{line}");
            let entry = if let Some(change) =
                (records.changes.iter()).find(|c| c.kind == kind && c.at == at)
            {
                change_line(records, kind, change)
            } else if history.is_empty() {
                (file.clone(), line, Msg::ShowWritten { place })
            } else {
                let facts = (names.iter().zip(row.iter()))
                    .filter(|(n, v)| {
                        !v.trim().is_empty() && !matches!(n.as_str(), "id" | "change" | "why")
                    })
                    .map(|(n, v)| format!("{n}={}", v.trim()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let msg = Msg::ShowChange {
                    place,
                    how: ChangeHow::Fill.name(),
                    facts,
                    why: None,
                };
                (file.clone(), line, msg)
            };
            history.push(entry);
        }
    }
    (!history.is_empty()).then_some((state, history))
}

/// Whether `at` is in a file of `kind` (a place in another kind's file names nothing).
fn is_kind_file(records: &Records, at: RowRef, kind: Kind) -> bool {
    let Some(path) = records.files.get(at.file as usize) else {
        return false;
    };
    let name = path.to_string_lossy().replace('\\', "/");
    name == format!("records/{}.csv", kind.name())
        || name.starts_with(&format!("records/{}/", kind.name()))
}

/// The record read at `at`, as it stands: its cells in schema order; `None` when voided.
fn current(records: &Records, kind: Kind, at: RowRef) -> Option<Vec<String>> {
    let crate::records::kind::Shape::Records { ats, .. } = kind.spec().shape else {
        return None;
    };
    let i = ats(records).iter().position(|a| *a == at)?;
    (kind.spec().to_cells)(records).nth(i)
}

/// For each row of `history`, the commit that added it, when the folder is a git repository
/// (rows not committed yet have none); nothing when the history cannot be read.
fn commits(ctx: &Ctx, history: &[Entry]) -> HashMap<(String, u32), Msg> {
    let mut found = HashMap::new();
    let Some(repo) = crate::history::Repo::discover(&ctx.dir, ctx.lang) else {
        return found;
    };
    let Ok(Some(head)) = repo.commit("HEAD") else {
        return found;
    };
    let mut files: Vec<&String> = history.iter().map(|(f, _, _)| f).collect();
    files.sort();
    files.dedup();
    for file in files {
        let Ok(bytes) = crate::history::read_file(&ctx.dir.join(file)) else {
            continue;
        };
        let lines = crate::history::blame::lines(&bytes);
        let mine: Vec<(u32, &[u8])> = (history.iter())
            .filter(|(f, _, _)| f == file)
            .filter_map(|(_, line, _)| Some((*line, *lines.get((*line as usize).checked_sub(1)?)?)))
            .collect();
        let texts: Vec<&[u8]> = mine.iter().map(|(_, t)| *t).collect();
        let Ok(by) = crate::history::blame::added_by(&repo, head.id, file, &texts) else {
            continue;
        };
        for ((line, _), by) in mine.iter().zip(by) {
            if let Some(info) = by.and_then(|id| repo.info(id).ok()) {
                let commit = Msg::ShowCommit {
                    commit: info.short,
                    author: info.author,
                    date: info.date.date_naive().to_string(),
                };
                found.insert((file.clone(), *line), commit);
            }
        }
    }
    found
}
