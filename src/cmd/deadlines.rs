//! `kehoach deadlines`: what is overdue and what falls due within N days.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::{DeadlinesArgs, DeadlinesFormat, FailOn};
use crate::dates::dmy;
use crate::deadlines::{Item, Status, deadlines};
use crate::folder::Folder;
use crate::messages::{Lang, Say};

pub fn run(ctx: &Ctx, args: &DeadlinesArgs) -> Result<ExitCode> {
    let folder = Folder::load(&ctx.dir, ctx.lang)?;
    let Some(plan) = &folder.plan else {
        super::print_errors(ctx, &folder)?;
        bail!(
            "{}",
            ctx.lang.pick(
                "plan.toml có lỗi: sửa rồi chạy lại",
                "plan.toml has errors: fix them first"
            )
        );
    };
    let mut items = deadlines(plan, &folder.records, ctx.as_of, args.days);
    if let Some(raw) = &args.officer {
        let id = crate::entry::officer(plan, raw);
        if plan.officer(&id).is_none() {
            bail!(
                "{}",
                Say::UnknownOfficer { raw: raw.clone() }.render(ctx.lang)
            );
        }
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
        eprintln!(
            "{}",
            ctx.lang.pick(
                "Lưu ý: dữ liệu có lỗi, chạy `kehoach check` để xem.",
                "Note: the data has errors; run `kehoach check` to see them."
            )
        );
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
        let msg = match lang {
            Lang::Vi => format!("Không có việc quá hạn hay đến hạn trong {days} ngày tới."),
            Lang::En if days == 0 => "Nothing overdue and nothing due today.".to_string(),
            Lang::En if days == 1 => "Nothing overdue and nothing due by tomorrow.".to_string(),
            Lang::En => format!("Nothing overdue and nothing due in the next {days} days."),
        };
        return writeln!(out, "{msg}");
    }
    let sections = [
        (
            match lang {
                Lang::Vi => format!("Quá hạn ({})", overdue.len()),
                Lang::En => format!("Overdue ({})", overdue.len()),
            },
            overdue,
        ),
        (
            match lang {
                Lang::Vi => format!("Đến hạn trong {days} ngày tới ({})", upcoming.len()),
                Lang::En if days == 0 => format!("Due today ({})", upcoming.len()),
                Lang::En if days == 1 => format!("Due by tomorrow ({})", upcoming.len()),
                Lang::En => format!("Due in the next {days} days ({})", upcoming.len()),
            },
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
            let when = match (lang, item.days) {
                (Lang::Vi, d) if d < 0 => format!("quá {} ngày", -d),
                (Lang::Vi, 0) => "hôm nay".to_string(),
                (Lang::Vi, d) => format!("còn {d} ngày"),
                (Lang::En, -1) => "1 day late".to_string(),
                (Lang::En, d) if d < 0 => format!("{} days late", -d),
                (Lang::En, 0) => "today".to_string(),
                (Lang::En, 1) => "in 1 day".to_string(),
                (Lang::En, d) => format!("in {d} days"),
            };
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
                line.push_str(&format!("[{} {task}] ", lang.pick("NV", "task")));
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
