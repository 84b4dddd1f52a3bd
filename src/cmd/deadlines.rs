//! `kehoach deadlines`: what is overdue and what falls due within N days.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::{DeadlinesArgs, DeadlinesFormat, FailOn};
use crate::dates::dmy;
use crate::deadlines::{Item, Status, deadlines};
use crate::folder::Folder;
use crate::messages::{Msg, Say};

pub fn run(ctx: &Ctx, args: &DeadlinesArgs) -> Result<ExitCode> {
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    let Some(plan) = &folder.plan else {
        super::print_errors(ctx, &folder)?;
        bail!("{}", Msg::PlanHasErrors.render(ctx.lang));
    };
    let mut items = deadlines(plan, &folder.records, ctx.as_of, args.days);
    if let Some(raw) = &args.officer {
        let id = match crate::lookup::officer(plan, raw) {
            crate::lookup::Found::One(id) => id,
            crate::lookup::Found::Many(candidates) => bail!(
                "{}",
                Say::Ambiguous {
                    typed: raw.clone(),
                    candidates
                }
                .render(ctx.lang)
            ),
            crate::lookup::Found::None => {
                bail!(
                    "{}",
                    Say::UnknownOfficer { raw: raw.clone() }.render(ctx.lang)
                )
            }
        };
        items.retain(|i| i.officer.as_deref() == Some(id.as_str()));
    }
    if let Some(raw) = &args.task {
        let id = crate::entry::task(plan, raw);
        if plan.task(&id).is_none() {
            bail!("{}", Say::UnknownTask { raw: raw.clone() }.render(ctx.lang));
        }
        items.retain(|i| i.task.as_deref() == Some(id.as_str()));
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        DeadlinesFormat::Ics => {
            let text = super::ics::deadlines(ctx, plan, &items);
            out.write_all(text.as_bytes())?;
        }
        DeadlinesFormat::Json => {
            let doc = serde_json::json!({
                "as_of": ctx.as_of,
                "days": args.days,
                "items": items,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        DeadlinesFormat::Text => text(&mut out, ctx, plan, &items, args.days)?,
    }
    out.flush()?;
    if folder.errors() > 0 {
        eprintln!("{}", Msg::DataHasErrorsNote.render(ctx.lang));
    }
    let failed = match args.fail_on {
        None => None,
        Some(FailOn::Overdue) => {
            let count = items.iter().filter(|i| i.status == Status::Overdue).count();
            (count > 0).then_some(Say::Overdue { count })
        }
        Some(FailOn::Soon) => (!items.is_empty()).then_some(Say::DueSoon {
            count: items.len(),
            days: args.days,
        }),
    };
    if let Some(why) = failed {
        eprintln!("kehoach: {}", why.render(ctx.lang));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn text(
    out: &mut impl Write,
    ctx: &Ctx,
    plan: &crate::plan::Plan,
    items: &[Item],
    days: u32,
) -> std::io::Result<()> {
    let (lang, style) = (ctx.lang, ctx.style);
    let overdue: Vec<&Item> = items
        .iter()
        .filter(|i| i.status == Status::Overdue)
        .collect();
    let upcoming: Vec<&Item> = items
        .iter()
        .filter(|i| i.status == Status::Upcoming)
        .collect();
    if items.is_empty() {
        return writeln!(out, "{}", Msg::NothingDue { days }.render(lang));
    }
    let sections = [
        (
            Msg::OverdueHeading {
                count: overdue.len(),
            }
            .render(lang),
            overdue,
        ),
        (
            Msg::DueHeading {
                days,
                count: upcoming.len(),
            }
            .render(lang),
            upcoming,
        ),
    ];
    let mut first = true;
    for (heading, list) in sections {
        if list.is_empty() {
            continue;
        }
        if !first {
            writeln!(out)?;
        }
        first = false;
        writeln!(out, "{}", style.bold(&format!("{heading}:")))?;
        for item in list {
            let when = Msg::DueIn { days: item.days }.render(lang);
            let when = format!("{when:<13}");
            let when = if item.status == Status::Overdue {
                style.severity(crate::findings::Severity::Error, &when)
            } else if item.days <= 7 {
                style.severity(crate::findings::Severity::Warning, &when)
            } else {
                when
            };
            let mut line = format!(
                "  {}  {} {:<11} ",
                dmy(item.due),
                when,
                item.kind.label(lang)
            );
            if let Some(task) = &item.task {
                line.push_str(&Msg::TaskTag { task: task.clone() }.render(lang));
            }
            line.push_str(&item.title);
            let mut extra = Vec::new();
            if let Some(label) = &item.period_label {
                extra.push(label.clone());
            }
            if let Some(detail) = &item.detail {
                extra.push(detail.clone());
            }
            if let Some(officer) = &item.officer {
                extra.push(
                    plan.officer(officer)
                        .map_or_else(|| officer.clone(), |o| o.name.clone()),
                );
            }
            if !extra.is_empty() {
                line.push_str(&format!(" ({})", extra.join("; ")));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
