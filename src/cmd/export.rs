//! `kehoach export [KIND…] --format csv|xlsx [-o OUT]`: the records written out for Excel users
//! (and, through the same tables, for other tools).
//!
//! No KIND means every kind. CSV of one kind goes to standard output or to `-o FILE`; CSV of
//! several kinds to `-o DIR`, one `<kind>.csv` each. A workbook holds one sheet per kind and goes
//! to `-o FILE` or a pipe. A folder with errors is refused, as a report is: the records are
//! written as `check` reads them, and rows it cannot read would be missing.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use crate::cli::{ExportArgs, ExportFormat};
use crate::export::{self, Table};
use crate::folder::Folder;
use crate::messages::{Doing, Msg, doing};
use crate::records::Kind;

pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<ExitCode> {
    let kinds: Vec<Kind> = if args.kinds.is_empty() {
        Kind::ALL.to_vec()
    } else {
        let mut kinds = Vec::new();
        for k in &args.kinds {
            if !kinds.contains(k) {
                kinds.push(*k);
            }
        }
        kinds
    };
    // Where it goes, checked before any work: never onto the folder's own data.
    let target = crate::output::target(ctx.lang, &ctx.dir, args.output.as_deref(), None)?;
    let several = args.format == ExportFormat::Csv && kinds.len() > 1;
    if several && let crate::output::Target::File(dir) = &target {
        for kind in &kinds {
            let path = dir.join(format!("{}.csv", kind.name()));
            crate::output::target(ctx.lang, &ctx.dir, Some(&path), None)?;
        }
    }
    let to_terminal = target == crate::output::Target::Stdout && std::io::stdout().is_terminal();
    if args.format == ExportFormat::Xlsx && to_terminal {
        bail!(
            "{}",
            Msg::BinaryToTerminal {
                format: "XLSX",
                example: "so-lieu.xlsx",
            }
            .render(ctx.lang)
        );
    }
    if several && target == crate::output::Target::Stdout {
        bail!("{}", Msg::ExportSeveralKinds.render(ctx.lang));
    }
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    if folder.errors() > 0 {
        super::print_errors(ctx, &folder)?;
        eprintln!(
            "{}",
            Msg::ExportRefused {
                errors: folder.errors()
            }
            .render(ctx.lang)
        );
        return Ok(ExitCode::from(1));
    }
    let Some(plan) = &folder.plan else {
        return Ok(ExitCode::from(1));
    };
    let tables: Vec<Table> = kinds
        .iter()
        .map(|&k| export::table(k, &folder.records))
        .collect();
    match args.format {
        ExportFormat::Xlsx => {
            let bytes = export::xlsx(&tables, &plan.plan.authority, ctx.as_of)?;
            crate::output::write_bytes(ctx.lang, &target, &bytes)?;
        }
        ExportFormat::Csv if tables.len() == 1 => {
            crate::output::write_bytes(ctx.lang, &target, &export::csv(&tables[0])?)?;
        }
        ExportFormat::Csv => {
            let dir = args.output.as_deref().unwrap_or(std::path::Path::new("."));
            std::fs::create_dir_all(dir)
                .with_context(|| doing(ctx.lang, Doing::Creating, dir.display()))?;
            for table in &tables {
                let path = dir.join(format!("{}.csv", table.kind.name()));
                crate::output::write_bytes(
                    ctx.lang,
                    &crate::output::Target::File(path),
                    &export::csv(table)?,
                )?;
            }
        }
    }
    for table in &tables {
        eprintln!(
            "{}",
            Msg::Exported {
                kind: table.kind.name(),
                rows: table.rows.len(),
            }
            .render(ctx.lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}
