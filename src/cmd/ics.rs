//! `deadlines --format ics`: the deadlines as an iCalendar file, one all-day event per item on
//! its due date.
//!
//! An event's UID is a hash of what the item is (the plan, its kind, task, period and title:
//! a dossier's code, a deliverable's or duty's title), not of its due date or counts, so a
//! calendar imported again, or refreshed from a subscription, moves or updates the event
//! instead of adding a second one. DTSTAMP is `SOURCE_DATE_EPOCH` when set, else the as-of
//! date at 00:00 UTC: the same folder and `--as-of` give the same bytes on any day.

use chrono::{DateTime, Utc};

use super::Ctx;
use crate::deadlines::Item;
use crate::ics::{Event, calendar, stable_hash};
use crate::messages::{Msg, Say};
use crate::plan::Plan;

pub fn deadlines(ctx: &Ctx, plan: &Plan, items: &[Item]) -> String {
    let stamp = super::clock::source_date_epoch().unwrap_or_else(|| {
        DateTime::<Utc>::from_naive_utc_and_offset(
            ctx.as_of.and_hms_opt(0, 0, 0).unwrap_or_default(),
            Utc,
        )
    });
    let events: Vec<Event> = items.iter().map(|i| event(ctx, plan, i)).collect();
    let name = Say::CalendarName {
        plan: format!("{} {}", plan.plan.number, plan.plan.authority),
    }
    .render(ctx.lang);
    let prodid = format!("-//kehoach//kehoach {}//VI", env!("CARGO_PKG_VERSION"));
    calendar(&name, &prodid, stamp, &events)
}

fn event(ctx: &Ctx, plan: &Plan, item: &Item) -> Event {
    let kind = serde_json::to_value(item.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let uid = format!(
        "{}-{kind}@kehoach",
        stable_hash(&[
            &plan.plan.number,
            &plan.plan.year.to_string(),
            &kind,
            item.task.as_deref().unwrap_or(""),
            item.period.as_deref().unwrap_or(""),
            &item.title,
        ])
    );
    let label = item.kind.label(ctx.lang);
    // "Hồ sơ: 000.00.27.H42-211201-0001", "Định kỳ: [NV 9] Tiếp công dân định kỳ …".
    let mut head = label.chars();
    let head = head
        .next()
        .map(|c| c.to_uppercase().chain(head).collect::<String>())
        .unwrap_or_default();
    let summary = match &item.task {
        Some(task) => format!(
            "{head}: {}{}",
            Msg::TaskTag { task: task.clone() }.render(ctx.lang),
            item.title
        ),
        None => format!("{head}: {}", item.title),
    };
    let mut description = vec![label.to_string()];
    description.extend(item.period_label.clone());
    description.extend(item.detail.clone());
    if let Some(officer) = &item.officer {
        description.push(
            plan.officer(officer)
                .map_or_else(|| officer.clone(), |o| o.name.clone()),
        );
    }
    Event {
        uid,
        date: item.due,
        summary,
        description: description.join("\n"),
        categories: vec![label.to_string()],
    }
}
