//! `kehoach show KIND REF`: one record as it stands after its changes, and its history (the row
//! that wrote it and each fill, correct and void row, with file:line), docs/records.md.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::ShowArgs;
use crate::folder::Folder;
use crate::messages::Msg;
use crate::records::{ChangeHow, Records, RowRef};

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<ExitCode> {
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    let records = &folder.records;
    let kind = args.kind;
    let reference = args.reference.trim();
    let found = (records.ids[kind as usize].get(reference).copied())
        .or_else(|| crate::records::read::row_named(records, reference))
        .filter(|at| records.file(*at) == kind_file(records, *at, kind));
    let state = found.and_then(|at| current(records, kind, at));
    let changes: Vec<_> = (records.changes.iter())
        .filter(|c| c.kind == kind && c.record.is_some() && c.record == found)
        .collect();
    let Some(at) = found.filter(|_| state.is_some() || !changes.is_empty()) else {
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
    let place = |at: RowRef| format!("{}:{}", records.file(at).display(), at.line);
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
    let written = Msg::ShowWritten { place: place(at) };
    writeln!(out, "  {}", written.render(ctx.lang))?;
    for change in changes {
        let facts = (change.cells.iter())
            .map(|(slot, _, value)| format!("{}={value}", kind.columns()[*slot].name))
            .collect::<Vec<_>>()
            .join(", ");
        let line = Msg::ShowChange {
            place: place(change.at),
            how: change.how.name(),
            facts: if change.how == ChangeHow::Void {
                String::new()
            } else {
                facts
            },
            why: change.reason.clone(),
        };
        writeln!(out, "  {}", line.render(ctx.lang))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The file of `at` when it is a file of `kind` (a place in another kind's file names nothing).
fn kind_file(records: &Records, at: RowRef, kind: crate::records::Kind) -> &std::path::Path {
    let path = records.file(at);
    let name = path.to_string_lossy().replace('\\', "/");
    let ours = name == format!("records/{}.csv", kind.name())
        || name.starts_with(&format!("records/{}/", kind.name()));
    if ours { path } else { std::path::Path::new("") }
}

/// The record read at `at`, as it stands: its cells in schema order; `None` when voided.
fn current(records: &Records, kind: crate::records::Kind, at: RowRef) -> Option<Vec<String>> {
    let crate::records::kind::Shape::Records { ats, .. } = kind.spec().shape else {
        return None;
    };
    let i = ats(records).iter().position(|a| *a == at)?;
    (kind.spec().to_cells)(records).into_iter().nth(i)
}
