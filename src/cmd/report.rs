//! `kehoach report`: build the report context once, then print it as JSON, render a template, or
//! package the rendered parts of a DOCX.

use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use crate::cli::{ReportArgs, ReportFormat, ReportKindArg};
use crate::folder::Folder;
use crate::history::provenance::{FolderDigest, Provenance, Reading};
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
    // What the report is built from (commit, dirty or clean, digest): the digest made of the
    // pieces of the record files the load hashes as it reads them, what git says of the files
    // worked out beside the load (see `DigestBeside`) until the report is built and needs it.
    let pieces = crate::pieces::Found::default();
    let digest = DigestBeside::start(ctx);
    let (files_known, files_read) = (|f: &[_]| digest.known(f), |f: &[_]| digest.read(f));
    let options = crate::records::read::LoadOptions {
        files_known: Some(&files_known),
        files_read: Some(&files_read),
        pieces: Some(&pieces),
        ..Default::default()
    };
    let mut folder = Folder::load_with(&ctx.dir, ctx.lang, options)?;
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
    // The dossiers, most of a province's memory, apart from the rest of the records, which
    // the report borrows: freed once counted.
    let dossiers = std::mem::take(&mut folder.records.dossiers);
    let records = &folder.records;
    // The dossiers are counted beside the work findings, on a second core, and the sections
    // of the tasks and the other records made once the findings are (while the counting
    // ends: it takes longer). The dossiers' lapses (a province's 300,000) are counted as they
    // are found; only the few the report shows are made findings.
    let examples = crate::check::Lapses {
        per: context::EXAMPLES_PER_CODE,
        tally: || context::LapseTally::new(&request),
    };
    let ((work, prepared), counts) = par::join(
        || {
            let work = crate::check::work_after(
                plan,
                &folder.plan_source,
                records,
                &dossiers,
                context::judged_at(&period, ctx.as_of),
                context::closed_through(&period, ctx.as_of),
                examples,
            );
            (work, context::prepare(plan, records, &request))
        },
        || context::count_dossiers(plan, &dossiers, &request),
    );
    // Counted: freed on a thread of their own while the report is built and written out.
    par::free_meanwhile(dossiers);
    let (work, lapses) = work;
    let (warnings, _) = work.findings(Vec::new(), records);
    let mut report = context::finish(prepared, plan, records, counts, &warnings, lapses, &request);
    report.provenance = Some(digest.finish(ctx, &folder.records.files, &pieces)?);
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

/// What git says of a report's files (whether each differs from HEAD), worked out beside the
/// load, in two legs, from the files the loader hands over; the digest itself is made of the
/// pieces the load hashed ([`crate::pieces`]), and [`DigestBeside::finish`] puts it together.
/// Only a file the git index cannot vouch for is read here, for its blob id (a record file
/// changed since the last commit): outside git, or with every file as committed, the legs read
/// nothing. From the moment the loader lists the files, a thread of the lowest priority reads
/// them in the time the load leaves a core idle (waits on memory included: on a virtual machine
/// whose host takes freed memory back, a good part of the load). From the moment the loader has
/// read them, a thread of the usual priority takes over from where that one is, without
/// waiting for it (on a busy machine it may not have run at all), and goes on beside the
/// counting until the report needs the provenance ([`DigestBeside::finish`]), which does the
/// rest on the report's thread. (Measured when these legs read every file for the digest too:
/// against a digest begun at the usual priority when the files are read, year JSON of a million
/// dossiers was 3-8 % sooner on five of the benchmark's six shapes and the same on the sixth,
/// and 6 % sooner with two other busy processes on the machine; begun at the lowest priority
/// alone, the digest was left to the end there, 18 % later; begun before the load at the usual
/// priority, it slowed the load.)
///
/// Dropped on any way out of [`run`], it stops both threads between two buffers and waits for
/// them: no thread outlives the report, and none reads on when nobody waits for it (a load that
/// fails, a report refused after it).
struct DigestBeside {
    /// What the loader hands over, to each leg (dropped first: a leg still waiting for its
    /// files then ends with nothing).
    known: Option<std::sync::mpsc::SyncSender<Vec<std::path::PathBuf>>>,
    read: Option<std::sync::mpsc::SyncSender<Vec<std::path::PathBuf>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Held to be waited for when dropped.
    _first: par::Background<()>,
    second: Option<par::Background<Option<Result<FolderDigest>>>>,
}

/// Where the first leg of [`DigestBeside`] leaves its work.
enum FirstLeg {
    NotBegun,
    Begun(std::sync::Arc<crate::history::provenance::Handover>),
    /// The second leg has begun: the first stops, or does not begin.
    Overtaken,
}

impl DigestBeside {
    fn start(ctx: &Ctx) -> DigestBeside {
        use std::sync::{Arc, Mutex, atomic::AtomicBool, atomic::Ordering::Relaxed};
        let (known, known_rx) = std::sync::mpsc::sync_channel::<Vec<std::path::PathBuf>>(1);
        let (read, read_rx) = std::sync::mpsc::sync_channel::<Vec<std::path::PathBuf>>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let leg = Arc::new(Mutex::new(FirstLeg::NotBegun));
        let first = {
            let (dir, lang, stop, leg) = (ctx.dir.clone(), ctx.lang, stop.clone(), leg.clone());
            // Its errors are the second leg's to meet again, from where it left off.
            par::background_idle(move || {
                let Ok(files) = known_rx.recv() else { return };
                let Ok(mut work) = FolderDigest::start(&dir, &files, lang, Reading::BlobsOnly)
                else {
                    return;
                };
                let handover = Arc::new(work.handover());
                match &mut *leg.lock().unwrap_or_else(|p| p.into_inner()) {
                    FirstLeg::Overtaken => return,
                    begun => *begun = FirstLeg::Begun(handover.clone()),
                }
                let _ = work.run_handing_over(&handover, || stop.load(Relaxed));
            })
        };
        let second = {
            let (dir, lang, stop) = (ctx.dir.clone(), ctx.lang, stop.clone());
            par::background(move || {
                let files = read_rx.recv().ok()?;
                let taken = std::mem::replace(
                    &mut *leg.lock().unwrap_or_else(|p| p.into_inner()),
                    FirstLeg::Overtaken,
                );
                let digest = || -> Result<FolderDigest> {
                    let mut work = match taken {
                        FirstLeg::Begun(handover) => handover.take(),
                        _ => FolderDigest::start(&dir, &files, lang, Reading::BlobsOnly)?,
                    };
                    work.run(|| stop.load(Relaxed))?;
                    Ok(work)
                };
                Some(digest())
            })
        };
        DigestBeside {
            known: Some(known),
            read: Some(read),
            stop,
            _first: first,
            second: Some(second),
        }
    }

    /// The loader has listed the record files.
    fn known(&self, files: &[std::path::PathBuf]) {
        if let Some(known) = &self.known {
            let _ = known.try_send(files.to_vec());
        }
    }

    /// The loader has read the record files.
    fn read(&self, files: &[std::path::PathBuf]) {
        if let Some(read) = &self.read {
            let _ = read.try_send(files.to_vec());
        }
    }

    /// The provenance of the record files `files`, whose pieces the load hashed into
    /// `pieces`: the second leg stopped and its work finished here, the digest put together.
    fn finish(
        mut self,
        ctx: &Ctx,
        files: &[std::path::PathBuf],
        pieces: &crate::pieces::Found,
    ) -> Result<Provenance> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (self.known, self.read) = (None, None);
        match self.second.take().map(par::Background::wait) {
            Some(Some(Ok(mut work))) => {
                work.run(|| false)?;
                work.finish(Some(pieces))
            }
            Some(Some(Err(e))) => Err(e),
            // Not so once the records were read (the loader hands the files over then); the
            // report would not go without it all the same.
            _ => crate::history::provenance::of_folder(&ctx.dir, files, ctx.lang, Some(pieces)),
        }
    }
}

impl Drop for DigestBeside {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        // The fields are dropped after this, in order: the senders, then the legs' handles,
        // each waiting for its thread.
    }
}
