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
use crate::export;
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
    let several = args.format == ExportFormat::Csv && kinds.len() > 1;
    let output = args.output.as_deref().filter(|o| o.as_os_str() != "-");
    let target = if args.format == ExportFormat::Parquet {
        // A folder of files: what goes into it is checked as one of its files would be.
        let Some(dir) = output else {
            bail!("{}", crate::messages::export::needs_output(ctx.lang));
        };
        crate::output::target(ctx.lang, &ctx.dir, Some(&dir.join("part-0.parquet")), None)?;
        crate::output::Target::File(dir.to_path_buf())
    } else if several && let Some(dir) = output {
        // A folder (there already, or made), of one `<kind>.csv` each: every file checked as
        // the file it will be, the folder not as a file.
        for kind in &kinds {
            let path = dir.join(format!("{}.csv", kind.name()));
            crate::output::target(ctx.lang, &ctx.dir, Some(&path), None)?;
        }
        crate::output::Target::File(dir.to_path_buf())
    } else {
        crate::output::target(ctx.lang, &ctx.dir, args.output.as_deref(), None)?
    };
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
    if args.format == ExportFormat::Parquet {
        return parquet(ctx, &folder, plan, &kinds, args);
    }
    // How many rows of each kind were written.
    let mut written: Vec<(Kind, usize)> = Vec::new();
    // CSV goes out row by row as the rows are made; a workbook is made first, its sheets kept
    // row by row on disk.
    let mut csv = |kind: Kind, target: &crate::output::Target| {
        let mut rows = 0;
        crate::output::write_with(ctx.lang, target, |w| {
            rows = export::csv(kind, &folder.records, w)?;
            Ok(())
        })?;
        written.push((kind, rows));
        Result::<()>::Ok(())
    };
    match args.format {
        ExportFormat::Xlsx => {
            // A big sheet's rows wait beside the file they go into, where there is room for it.
            let temp = match &target {
                crate::output::Target::File(path) => Some(crate::files::folder_of(path)),
                crate::output::Target::Stdout => None,
            };
            let (bytes, counts) = export::xlsx(
                &kinds,
                &folder.records,
                &plan.plan.authority,
                ctx.as_of,
                temp,
            )?;
            crate::output::write_bytes(ctx.lang, &target, &bytes)?;
            written.extend(kinds.iter().copied().zip(counts));
        }
        ExportFormat::Csv if kinds.len() == 1 => csv(kinds[0], &target)?,
        ExportFormat::Parquet => unreachable!("written above"),
        ExportFormat::Csv => {
            let dir = args.output.as_deref().unwrap_or(std::path::Path::new("."));
            std::fs::create_dir_all(dir)
                .with_context(|| doing(ctx.lang, Doing::Creating, dir.display()))?;
            for &kind in &kinds {
                let path = dir.join(format!("{}.csv", kind.name()));
                csv(kind, &crate::output::Target::File(path))?;
            }
        }
    }
    for (kind, rows) in written {
        eprintln!(
            "{}",
            Msg::Exported {
                kind: kind.name(),
                rows,
            }
            .render(ctx.lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--format parquet -o DIR`: the Hive layout of `export::parquet`, with the findings as of the
/// as-of date when no KIND was named.
#[cfg(feature = "parquet")]
fn parquet(
    ctx: &Ctx,
    folder: &Folder,
    plan: &crate::plan::Plan,
    kinds: &[Kind],
    args: &ExportArgs,
) -> Result<ExitCode> {
    let out = args.output.as_deref().expect("checked above");
    let findings = args.kinds.is_empty().then(|| {
        let mut all = crate::check::work_findings_after(
            folder.findings.clone(),
            plan,
            &folder.plan_source,
            &folder.records,
            ctx.as_of,
            crate::check::closed_through(ctx.as_of),
        );
        crate::findings::sort(&mut all);
        all
    });
    let written = export::parquet::write(
        ctx.lang,
        plan,
        &folder.records,
        kinds,
        findings.as_deref(),
        ctx.as_of,
        out,
    )?;
    eprintln!(
        "{}",
        crate::messages::export::written(
            ctx.lang,
            written.len(),
            written.iter().map(|w| w.rows).sum(),
            &out.display().to_string()
        )
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "parquet"))]
fn parquet(
    ctx: &Ctx,
    _folder: &Folder,
    _plan: &crate::plan::Plan,
    _kinds: &[Kind],
    _args: &ExportArgs,
) -> Result<ExitCode> {
    bail!("{}", crate::messages::export::not_built(ctx.lang))
}
