//! `kehoach check`: every finding in one run, as text or JSON.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use super::style::Style;
use crate::check::LapseView;
use crate::cli::{CheckArgs, TextOrJson};
use crate::findings::{self, Severity, Shown};
use crate::folder::Folder;
use crate::messages::{Lang, Msg, Safety};
use crate::records::Kind;

/// Findings as `check` prints them, a line each: `FILE:LINE:COLUMN: CODE message`, and for the
/// findings of a code left out, `FILE: CODE … and N more`.
pub(super) fn finding_lines(lang: Lang, style: Style, findings: &[Shown<'_>]) -> Vec<u8> {
    let mut text = String::with_capacity(findings.len() * 128);
    for f in findings {
        let f = match f {
            Shown::Finding(f) => f,
            Shown::More { file, code, count } => {
                let more = Safety::MoreFindings {
                    code: code.as_str(),
                    count: *count,
                }
                .render(lang);
                let _ = writeln!(
                    text,
                    "{}: {} {more}",
                    style.bold(file),
                    style.severity(code.severity(), code.as_str())
                );
                continue;
            }
        };
        // Into a String: cannot fail.
        let _ = if style.on {
            writeln!(
                text,
                "{}: {} {}",
                style.bold(&f.location.display()),
                style.severity(f.severity(), f.code.as_str()),
                f.message.render(lang)
            )
        } else {
            // Without colours, straight into the text (no copies).
            f.location
                .write_to(&mut text)
                .and_then(|()| writeln!(text, ": {} {}", f.code.as_str(), f.message.render(lang)))
        };
    }
    text.into_bytes()
}

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<ExitCode> {
    let mut folder = Folder::load(&ctx.dir, ctx.lang)?;
    let before = std::mem::take(&mut folder.findings);
    let history = crate::history::audit::Options {
        base: args.since.clone().or_else(|| args.audit_base.clone()),
        since: args.since.is_some(),
    };
    let audited = crate::history::audit::prepare(&ctx.dir, &folder, &history, ctx.lang)?;
    // At most SHOWN_PER_CODE findings of one code in one file are printed, the rest counted;
    // the totals and the exit status count them all. Of the dossiers' lapses (a province's
    // 300,000), only those that can be printed are made findings: the rest are counted as
    // they are found.
    let work = folder.plan.as_ref().map(|plan| {
        let shown = crate::check::Lapses {
            per: findings::SHOWN_PER_CODE,
            tally: || {
                crate::check::KeepIf(|lapse: &LapseView<'_>| {
                    audited.keeps(lapse.code, lapse.file, lapse.line)
                })
            },
        };
        crate::check::work_after(
            plan,
            &folder.plan_source,
            &folder.records,
            &folder.records.dossiers,
            ctx.as_of,
            crate::check::closed_through(ctx.as_of),
            shown,
        )
        .0
    });
    // The dossier store, most of a province's memory, is not read from here on: freed on a
    // thread of its own while the dossiers' lapses become findings.
    let dossiers = folder.records.dossiers.len();
    crate::par::free_meanwhile(std::mem::take(&mut folder.records.dossiers));
    // No plan: the findings of reading it and the records.
    let (mut all, omitted) = match work {
        Some(work) => work.findings(before, &folder.records),
        None => (before, Vec::new()),
    };
    audited.apply(&ctx.dir, &mut all);
    let count = |s: Severity| {
        let left_out = omitted.iter().filter(|o| o.code.severity() == s);
        all.iter().filter(|f| f.severity() == s).count() + left_out.map(|o| o.count).sum::<usize>()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    // In the order of output, found on small keys: findings are not moved into it.
    let order = findings::output_order(&all);
    let shown = findings::bounded(
        order.iter().map(|&i| &all[i]),
        findings::SHOWN_PER_CODE,
        &omitted,
    );
    // Thousands of findings: one write per 64 KiB, not per line.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match args.format {
        TextOrJson::Json => {
            let rows: serde_json::Map<String, serde_json::Value> = Kind::ALL
                .iter()
                .map(|k| (k.name().to_string(), folder.records.rows(*k).into()))
                .collect();
            let doc = serde_json::json!({
                "summary": {
                    "as_of": ctx.as_of,
                    "rows": rows,
                    "dossiers": dossiers,
                    "errors": errors,
                    "warnings": warnings,
                    "infos": infos,
                },
                "findings": shown
                    .iter()
                    .filter_map(|s| match s {
                        Shown::Finding(f) => Some(f.to_json(ctx.lang)),
                        Shown::More { .. } => None,
                    })
                    .collect::<Vec<_>>(),
                "omitted": shown
                    .iter()
                    .filter_map(|s| match s {
                        Shown::More { file, code, count } => Some(serde_json::json!({
                            "file": file,
                            "code": code,
                            "severity": code.severity(),
                            "count": count,
                        })),
                        Shown::Finding(_) => None,
                    })
                    .collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            let style = ctx.style;
            if shown.len() < 4096 {
                out.write_all(&finding_lines(ctx.lang, style, &shown))?;
            } else {
                // A province's tens of thousands of findings are put in words on two threads,
                // then written in order.
                let (first, second) = shown.split_at(shown.len() / 2);
                let (first, second) = crate::par::join(
                    || finding_lines(ctx.lang, style, first),
                    || finding_lines(ctx.lang, style, second),
                );
                out.write_all(&first)?;
                out.write_all(&second)?;
            }
            let line = summary(ctx.lang, &folder, dossiers, errors, warnings);
            let painted = if errors > 0 {
                style.severity(Severity::Error, &line)
            } else if warnings > 0 {
                style.severity(Severity::Warning, &line)
            } else {
                line
            };
            writeln!(out, "{painted}")?;
        }
    }
    out.flush()?;
    let failed = errors > 0 || (args.strict && warnings > 0);
    // Written: the process ends now.
    drop(shown);
    crate::par::leave_to_exit((folder, all));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(lang: Lang, folder: &Folder, dossiers: usize, errors: usize, warnings: usize) -> String {
    let r = &folder.records;
    // The rows that are records: a change row (fill, correct, void) is none (the year-end
    // judgement of 29 commitments is not 29 more commitments).
    let records = |kind: Kind| {
        let changes = r.changes.iter().filter(|c| c.kind == kind).count() as u64;
        r.rows(kind).saturating_sub(changes)
    };
    Msg::CheckSummary {
        activities: records(Kind::Activities),
        dossier_rows: r.rows(Kind::Dossiers),
        dossiers: dossiers as u64,
        violations: records(Kind::Violations),
        commendations: records(Kind::Commendations),
        feedback: records(Kind::Feedback),
        commitments: records(Kind::Commitments),
        ratings: records(Kind::Ratings),
        lapses: records(Kind::Lapses),
        errors,
        warnings,
    }
    .render(lang)
}
