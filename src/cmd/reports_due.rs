//! `kehoach reports due --out DIR`: every report of the plan's `[reporting] reports` whose
//! period (within the plan's year) has ended by the as-of date, in each of its
//! `report_formats`, that DIR does not hold yet.
//!
//! Made for cron: a file already in DIR is never touched, so a second run writes nothing and
//! prints nothing; each file written is printed (its path, one per line) and nothing else, so
//! cron mails only when there is something new. Exit status: 0 done (also when nothing was
//! due), 1 the data has errors (nothing written, the errors on stderr), 2 could not run or a
//! report could not be written (the others are still written).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use crate::cli::{ReportArgs, ReportFormat, ReportKindArg, ReportsDueArgs};
use crate::folder::Folder;
use crate::messages::{Msg, Say};
use crate::period::Size;
use crate::plan::{DueFormat, DueReport, Plan};

pub fn run(ctx: &Ctx, args: &ReportsDueArgs) -> Result<ExitCode> {
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    let Some(plan) = &folder.plan else {
        super::print_errors(ctx, &folder)?;
        bail!("{}", Msg::PlanHasErrors.render(ctx.lang));
    };
    if plan.reporting.reports.is_empty() || plan.reporting.report_formats.is_empty() {
        eprintln!("kehoach: {}", Say::NoReportsAsked.render(ctx.lang));
        return Ok(ExitCode::SUCCESS);
    }
    let errors = folder.errors();
    let wanted: Vec<(ReportKindArg, String, ReportFormat, PathBuf)> = due(plan, ctx)
        .into_iter()
        .filter(|(_, _, _, path)| !args.out.join(path).exists())
        .map(|(k, p, f, path)| (k, p, f, args.out.join(path)))
        .collect();
    if wanted.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if errors > 0 && !args.allow_errors {
        // The same refusal as `report`, once for the whole run.
        super::print_errors(ctx, &folder)?;
        eprintln!("kehoach: {}", Msg::ReportsDueRefused.render(ctx.lang));
        return Ok(ExitCode::from(1));
    }
    drop(folder);
    if args.dry_run {
        let mut out = std::io::stdout().lock();
        for (_, _, _, path) in &wanted {
            writeln!(out, "{}", path.display())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&args.out).with_context(|| {
        crate::messages::doing(
            ctx.lang,
            crate::messages::Doing::Creating,
            args.out.display(),
        )
    })?;
    let mut failed = false;
    // The files are the job, the listing of them a courtesy: a reader that stops listening
    // (`| head -1`) stops the listing, never the writing.
    let mut listening = true;
    for (kind, period, format, path) in wanted {
        let report = ReportArgs {
            kind,
            period,
            format,
            output: Some(path.clone()),
            template: None,
            allow_errors: args.allow_errors,
            number: None,
        };
        match super::report::run(ctx, &report) {
            Ok(code) if code == ExitCode::SUCCESS => {
                listening = listening && writeln!(std::io::stdout(), "{}", path.display()).is_ok();
            }
            Ok(_) => failed = true,
            Err(e) => {
                let said = Say::ReportFailed {
                    path: path.display().to_string(),
                    error: format!("{e:#}"),
                };
                let _ = writeln!(std::io::stderr(), "kehoach: {}", said.render(ctx.lang));
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every (report, period code, format, file name) due as of the as-of date, in the plan's
/// order of reports, then by period, then in the plan's order of formats. File names are
/// `<report>-<period>.<ext>`: `quarter-2021-Q1.docx`, `year-2021.md`, `officers-2021.html`.
fn due(plan: &Plan, ctx: &Ctx) -> Vec<(ReportKindArg, String, ReportFormat, PathBuf)> {
    let scheme = plan.reporting.periods;
    let mut out = Vec::new();
    for report in &plan.reporting.reports {
        let (kind, size, name) = match report {
            DueReport::Quarter => (ReportKindArg::Quarter, Size::Quarter, "quarter"),
            DueReport::Half => (ReportKindArg::Half, Size::Half, "half"),
            DueReport::Year => (ReportKindArg::Year, Size::Year, "year"),
            DueReport::Officers => (ReportKindArg::Officers, Size::Year, "officers"),
        };
        for period in crate::relative::ended_in_year(scheme, size, plan.plan.year, ctx.as_of) {
            for format in &plan.reporting.report_formats {
                let (format, ext) = match format {
                    DueFormat::Md => (ReportFormat::Md, "md"),
                    DueFormat::Html => (ReportFormat::Html, "html"),
                    DueFormat::Docx => (ReportFormat::Docx, "docx"),
                    DueFormat::Json => (ReportFormat::Json, "json"),
                };
                let code = period.code();
                out.push((
                    kind,
                    code.clone(),
                    format,
                    PathBuf::from(format!("{name}-{code}.{ext}")),
                ));
            }
        }
    }
    out
}
