//! `kehoach report`: build the report context once, then print it as JSON, render a template, or
//! package the rendered parts of a DOCX.

use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use crate::cli::{ReportArgs, ReportFormat, ReportKindArg};
use crate::folder::Folder;
use crate::history::provenance::FolderDigest;
use crate::messages::{Lang, Msg};
use crate::par;
use crate::period::{Period, Size};
use crate::report::context::{self, ReportContext, ReportKind};
use crate::report::render::Data;
use crate::report::templates::Templates;

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<ExitCode> {
    // Where the report goes, checked before any work: never onto the folder's own data.
    let target = crate::output::target(
        ctx.lang,
        &ctx.dir,
        args.output.as_deref(),
        args.template.as_deref(),
    )?;
    // A template given by the user is read only if it is a plain file (a FIFO would hang).
    if let Some(template) = &args.template
        && let Ok(Err(refused)) = crate::files::check_given(template)
    {
        bail!(
            "{}",
            crate::folder::refusal(template.display().to_string(), refused).render(ctx.lang)
        );
    }
    let to_terminal = target == crate::output::Target::Stdout && std::io::stdout().is_terminal();
    if args.format == ReportFormat::Xlsx && to_terminal {
        bail!(
            "{}",
            Msg::BinaryToTerminal {
                format: "XLSX",
                example: "bao-cao.xlsx",
            }
            .render(ctx.lang)
        );
    }
    if args.format == ReportFormat::Docx && to_terminal {
        bail!("{}", Msg::DocxToTerminal.render(ctx.lang));
    }
    // What the report is built from (commit, dirty or clean, digest): the files read once more,
    // on a thread of their own, from the moment the loader has read them (the rest of the load
    // takes one core) until the report is built and needs it; what is left then is done here.
    // A load that fails never hands the files over, and the thread ends with nothing. `stop`
    // is set before the handle is dropped, on any way out: no thread outlives its handle, and
    // none reads on when nobody waits for it (a report refused after the load).
    let (files_tx, files_rx) = std::sync::mpsc::sync_channel::<Vec<std::path::PathBuf>>(1);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let digest = {
        let (dir, lang, stop) = (ctx.dir.clone(), ctx.lang, stop.clone());
        par::background(move || {
            let files = files_rx.recv().ok()?;
            let digest = || -> Result<FolderDigest> {
                let mut work = FolderDigest::start(&dir, &files, lang)?;
                work.run(|| stop.load(std::sync::atomic::Ordering::Relaxed))?;
                Ok(work)
            };
            Some(digest())
        })
    };
    let _stop_on_return = StopOnDrop(&stop);
    let files_read = move |files: &[std::path::PathBuf]| {
        let _ = files_tx.send(files.to_vec());
    };
    let options = crate::records::read::LoadOptions {
        files_read: Some(&files_read),
        ..Default::default()
    };
    let mut folder = Folder::load_with(&ctx.dir, ctx.lang, options)?;
    drop(files_read);
    let errors = folder.errors();
    if errors > 0 && !args.allow_errors {
        super::print_errors(ctx, &folder)?;
        eprintln!("{}", Msg::ReportRefused { errors }.render(ctx.lang));
        return Ok(ExitCode::from(1));
    }
    if args.template.is_some() && args.format == ReportFormat::Json {
        bail!("{}", Msg::TemplateWithJson.render(ctx.lang));
    }
    // The plan apart from the records: the records go as soon as the report has what it needs.
    let Some(plan) = folder.plan.take() else {
        bail!("{}", Msg::PlanUnreadable.render(ctx.lang));
    };
    let plan = &plan;
    let scheme = plan.reporting.periods;
    let (kind, wanted) = match args.kind {
        ReportKindArg::Quarter => (ReportKind::Quarter, Some(Size::Quarter)),
        ReportKindArg::Half => (ReportKind::Half, Some(Size::Half)),
        ReportKindArg::Year => (ReportKind::Year, Some(Size::Year)),
        ReportKindArg::Officers => (ReportKind::Officers, None),
        ReportKindArg::Month => (ReportKind::Month, Some(Size::Month)),
    };
    // `last`, `current`, `next`: the report's own size (a year for the officers report).
    let relative = crate::relative::Relative::parse(&args.period)
        .and_then(|word| word.resolve(scheme, wanted.unwrap_or(Size::Year), ctx.as_of));
    let period = relative
        .map_or_else(|| Period::parse(scheme, &args.period), Ok)
        .map_err(|e| anyhow::anyhow!("{}", e.render(ctx.lang)))
        .with_context(|| {
            Msg::ThePeriod {
                input: args.period.clone(),
            }
            .render(ctx.lang)
        })?;
    if let Some(size) = wanted
        && period.size != size
    {
        bail!(
            "{}",
            Msg::NotAPeriodOf {
                input: args.period.clone(),
                size,
            }
            .render(ctx.lang)
        );
    }
    // A plan reports on its own year only: another year's duties were never its duties.
    let year = Period::year(scheme, plan.plan.year);
    if period.start < year.start || period.end > year.end {
        bail!(
            "{}",
            Msg::OutsidePlanYear {
                input: args.period.clone(),
                period: period.code(),
                plan_year: plan.plan.year,
                start: year.start,
                end: year.end,
            }
            .render(ctx.lang)
        );
    }
    let request = context::Request {
        kind,
        period,
        as_of: ctx.as_of,
        data_errors: errors,
        number: args.number.clone(),
    };
    // The dossiers are counted beside the work findings, on a second core.
    let (work, counts) = par::join(
        || {
            crate::check::work_after(
                Vec::new(),
                plan,
                &folder.plan_source,
                &folder.records,
                context::judged_at(&period, ctx.as_of),
                context::closed_through(&period, ctx.as_of),
            )
        },
        || context::count_dossiers(plan, &folder.records.dossiers, &request),
    );
    // Counted: the dossiers, most of a province's memory, are freed on a thread of their
    // own while the report is built and written out; the report borrows the rest of the
    // records.
    par::free_meanwhile(std::mem::take(&mut folder.records.dossiers));
    // The dossiers' lapses (a province's 300,000) counted now, with the store freed; only
    // the few the report shows made findings.
    let mut lapses = context::LapseTally::new(&request);
    let (warnings, _) =
        work.findings_within(&folder.records, context::EXAMPLES_PER_CODE, |lapse| {
            lapses.add(lapse)
        });
    let mut report = context::build(plan, &folder.records, counts, &warnings, lapses, &request);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    report.provenance = Some(match digest.wait() {
        Some(Ok(mut work)) => {
            work.run(|| false)?;
            work.finish()
        }
        Some(Err(e)) => return Err(e),
        // Not so once the records were read (the loader hands the files over then); the
        // report would not go without it all the same.
        None => crate::history::provenance::of_folder(&ctx.dir, &folder.records.files, ctx.lang)?,
    });
    if args.format == ReportFormat::Xlsx {
        let bytes = crate::report::xlsx::write(plan, &report)?;
        crate::output::write_bytes(ctx.lang, &target, &bytes)?;
    } else if args.format == ReportFormat::Json {
        write_json(ctx.lang, &target, &report)?;
        // Written: the process ends now (the report first: it borrows the rest).
        par::leave_to_exit(report);
        par::leave_to_exit((warnings, folder));
    } else {
        let templates = Templates::load(ctx.lang, &ctx.dir, args.template.as_deref())?;
        let name = template_name(args, kind);
        let data = Data::of(ctx.lang, &report)?;
        // Template data now: the records and the findings are freed while it is rendered,
        // the data itself while the result is written out.
        drop(report);
        par::free_meanwhile((warnings, folder));
        let bytes = if args.format == ReportFormat::Docx {
            crate::report::docx::package(&name, super::clock::source_date_epoch(), |part| {
                templates.render(ctx.lang, part, &data)
            })?
        } else {
            templates.render(ctx.lang, &name, &data)?.into_bytes()
        };
        par::free_meanwhile(data);
        crate::output::write_bytes(ctx.lang, &target, &bytes)?;
    }
    // Whatever is still being freed is left to the end of the process.
    Ok(ExitCode::SUCCESS)
}

/// `--format json`: streamed, so that a province's report context is never held twice; through
/// a buffer of our own, so that the many small writes of pretty-printing are plain copies.
fn write_json(lang: Lang, target: &crate::output::Target, report: &ReportContext) -> Result<()> {
    crate::output::write_with(lang, target, |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        crate::report::json::write(report, &mut w)?;
        w.flush()
    })
}

/// The template to render: the one given with --template, or the built-in one of the report
/// and format.
fn template_name(args: &ReportArgs, kind: ReportKind) -> String {
    if let Some(template) = &args.template {
        let ext = template
            .extension()
            .map_or_else(|| "md".to_string(), |e| e.to_string_lossy().into_owned());
        return format!("custom.{ext}");
    }
    let suffix = match args.format {
        ReportFormat::Html => "html",
        ReportFormat::Docx => "docx.xml",
        _ => "md",
    };
    format!("{}.{suffix}", kind.name())
}

/// Sets its flag when dropped: the background digest stops reading on any way out of
/// [`run`], before its handle, declared earlier, is dropped and waits for it.
struct StopOnDrop<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
