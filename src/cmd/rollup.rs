//! `kehoach rollup PERIOD SOURCES…`: read the members in parallel, add them up, print the
//! consolidated report; exit 1 when some members were left out (the report says which).

use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use crate::cli::{ReportFormat, RollupArgs};
use crate::messages::Lang;
use crate::messages::rollup as msg;
use crate::period::{Period, Size};
use crate::report::render::Data;
use crate::report::templates::Templates;
use crate::rollup::{self, Body, Request};

pub fn run(lang: Lang, as_of: NaiveDate, args: &RollupArgs) -> Result<ExitCode> {
    if matches!(args.format, ReportFormat::Docx | ReportFormat::Xlsx)
        && args.output.is_none()
        && std::io::stdout().is_terminal()
    {
        bail!("{}", msg::binary_to_terminal(lang));
    }
    let (config, sources) = rollup::sources(lang, &args.sources)?;
    if sources.is_empty() {
        bail!("{}", msg::no_sources(lang));
    }
    // Where it goes, checked before any work: never onto a member's data (nor onto the data of
    // the folder it is run in).
    let target = crate::output::target(lang, Path::new("."), args.output.as_deref(), None)?;
    for s in sources.iter().filter(|s| s.path.is_dir()) {
        crate::output::target(lang, &s.path, args.output.as_deref(), None)?;
    }
    let scheme = config.periods.unwrap_or_default();
    // `last`, `current`, `next` name quarters, the usual consolidation; `last-half`,
    // `last-year` and the like name their size.
    let relative = crate::relative::Relative::parse_sized(&args.period)
        .and_then(|(word, size)| word.resolve(scheme, size.unwrap_or(Size::Quarter), as_of));
    let period = relative
        .map_or_else(|| Period::parse(scheme, &args.period), Ok)
        .map_err(|e| anyhow::anyhow!("{}", msg::bad_period(lang, &args.period, &e.to_string())))?;
    if !matches!(period.size, Size::Quarter | Size::Half | Size::Year) {
        bail!("{}", msg::wrong_size(lang, &args.period));
    }
    let req = Request {
        period,
        as_of,
        allow_errors: args.allow_errors,
        lang,
    };
    let read = rollup::read_members(&sources, &req);
    let read: Vec<_> = sources.into_iter().zip(read).collect();
    let body = Body {
        config: &config,
        number: args.number.clone(),
    };
    let report = rollup::consolidate(&body, &req, read);
    for l in &report.left_out {
        let reason = match lang {
            Lang::Vi => &l.reason_text,
            Lang::En => &l.reason_text_en,
        };
        eprintln!("{}", msg::left_out_line(lang, &l.name, &l.source, reason));
    }
    let bytes = match args.format {
        ReportFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&report)?;
            v.push(b'\n');
            v
        }
        ReportFormat::Xlsx => rollup::xlsx::write(&report)?,
        format => {
            let templates = Templates::builtin(lang)?;
            let data = Data::of_serializable(&report)?;
            match format {
                ReportFormat::Docx => crate::report::docx::package(
                    "rollup.docx.xml",
                    super::clock::source_date_epoch(),
                    |part| templates.render(lang, part, &data),
                )?,
                ReportFormat::Html => templates.render(lang, "rollup.html", &data)?.into_bytes(),
                _ => templates.render(lang, "rollup.md", &data)?.into_bytes(),
            }
        }
    };
    crate::output::write_bytes(lang, &target, &bytes)?;
    if report.left_out.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{}",
            msg::left_out_summary(lang, report.left_out.len(), report.communes.sources)
        );
        Ok(ExitCode::from(1))
    }
}
