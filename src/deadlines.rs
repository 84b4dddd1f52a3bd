//! What is overdue and what falls due soon, as of a date (PRODUCT.md §7 `deadlines`).
//!
//! Pure: plan and records in, a sorted list of items out. Items are deliverables not yet done,
//! the current occurrence of each obligation not yet met, the quarterly report itself, the
//! registration of commitments, and open dossiers.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::check::{self, DossierState};
use crate::lang::Lang;
use crate::period::{Period, Size};
use crate::plan::Plan;
use crate::records::{ActivityKind, Records};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Deliverable,
    Report,
    Obligation,
    Commitments,
    Ratings,
    Dossier,
}

impl ItemKind {
    /// The kind as a list of deadlines names it: "sản phẩm" / "deliverable".
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ItemKind::Deliverable => lang.pick("sản phẩm", "deliverable"),
            ItemKind::Report => lang.pick("báo cáo", "report"),
            ItemKind::Obligation => lang.pick("định kỳ", "recurring"),
            ItemKind::Commitments => lang.pick("cam kết", "commitments"),
            ItemKind::Ratings => lang.pick("xếp loại", "rating"),
            ItemKind::Dossier => lang.pick("hồ sơ", "dossier"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Overdue,
    Upcoming,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    pub title: String,
    pub due: NaiveDate,
    /// The task the item belongs to, when it belongs to one.
    pub task: Option<String>,
    pub status: Status,
    /// Days from the as-of date to the due date (negative when overdue).
    pub days: i64,
    /// The period an obligation's occurrence covers (its code, e.g. "2021-W49").
    pub period: Option<String>,
    /// Its Vietnamese label, e.g. "Tuần 49/2021".
    pub period_label: Option<String>,
    /// Who must do it (officer id), when the plan or the record says.
    pub officer: Option<String>,
    /// What else the reader needs: done/required counts, the procedure of a dossier.
    pub detail: Option<String>,
}

/// Everything overdue, and everything due within `days` days of `as_of`, sorted by due date.
pub fn deadlines(plan: &Plan, records: &Records, as_of: NaiveDate, days: u32) -> Vec<Item> {
    let horizon = as_of
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let mut items = Vec::new();
    let mut push = |item: Item| {
        if item.status == Status::Overdue || item.due <= horizon {
            items.push(item);
        }
    };
    let status = |due: NaiveDate| {
        if due < as_of {
            Status::Overdue
        } else {
            Status::Upcoming
        }
    };
    let item = |kind, title: String, due: NaiveDate, task: Option<String>| Item {
        kind,
        title,
        due,
        task,
        status: status(due),
        days: (due - as_of).num_days(),
        period: None,
        period_label: None,
        officer: None,
        detail: None,
    };

    for (task, d) in plan.deliverables() {
        if check::completion(records, d.id.get_ref(), as_of).is_none() {
            let mut it = item(
                ItemKind::Deliverable,
                d.title.clone(),
                d.due,
                Some(task.id.get_ref().clone()),
            );
            it.officer = d.owner.as_ref().map(|o| o.get_ref().clone());
            push(it);
        }
    }

    let cal = check::calendar(plan);
    let mut has_quarterly_report = false;
    for task in &plan.tasks {
        for obligation in &task.obligations {
            let is_report = obligation.every == crate::plan::Every::Quarter
                && obligation.kind.as_ref().map(|k| k.get_ref().as_str())
                    == Some(ActivityKind::Report.code());
            has_quarterly_report |= is_report;
            if !obligation.occurrences.is_empty() {
                // Named occurrences: each one not yet done whose window has not closed.
                let matches = check::Matches::of(plan, records, task, obligation, as_of);
                for w in check::judged_windows(plan, obligation) {
                    let found = matches.between(w.from, w.by).len() as u32;
                    if w.by < as_of || found >= w.min || !cal.has_workday(w.from, w.by) {
                        continue;
                    }
                    let mut it = item(
                        ItemKind::Obligation,
                        format!("{}: {}", obligation.title.get_ref(), w.name),
                        w.by,
                        Some(task.id.get_ref().clone()),
                    );
                    it.period = Some(w.period.code());
                    it.period_label = Some(crate::messages::report::window(w.from, w.by));
                    it.officer = obligation.officer.as_ref().map(|o| o.get_ref().clone());
                    it.detail = Some(format!("{found}/{}", w.min));
                    push(it);
                }
                continue;
            }
            let Some(period) = check::obligation_periods(plan, obligation)
                .into_iter()
                .find(|p| p.contains(as_of))
            else {
                continue;
            };
            if !cal.has_workday(period.start, period.end) {
                continue;
            }
            let min = *obligation.min.get_ref();
            let found =
                check::Matches::of(plan, records, task, obligation, as_of).count_in(&period);
            if found >= min {
                continue;
            }
            let due = if is_report {
                cal.add_workdays(period.end, plan.reporting.quarterly_due_workdays)
            } else {
                period.end
            };
            let kind = if is_report {
                ItemKind::Report
            } else {
                ItemKind::Obligation
            };
            let mut it = item(
                kind,
                obligation.title.get_ref().clone(),
                due,
                Some(task.id.get_ref().clone()),
            );
            it.period = Some(period.code());
            it.period_label = Some(period.label());
            it.officer = obligation.officer.as_ref().map(|o| o.get_ref().clone());
            it.detail = Some(format!("{found}/{min}"));
            push(it);
        }
    }
    if !has_quarterly_report {
        // The quarterly report itself, when no obligation of the plan stands for it.
        let scheme = plan.reporting.periods;
        let quarter = Period::containing(scheme, Size::Quarter, as_of);
        if Period::year(scheme, plan.plan.year).contains(quarter.end) {
            let reported = records.activities.iter().any(|a| {
                a.kind == ActivityKind::Report && quarter.contains(a.date) && a.date <= as_of
            });
            if !reported {
                let due = cal.add_workdays(quarter.end, plan.reporting.quarterly_due_workdays);
                let mut it = item(
                    ItemKind::Report,
                    format!("Báo cáo {}", quarter.label()),
                    due,
                    None,
                );
                it.period = Some(quarter.code());
                it.period_label = Some(quarter.label());
                push(it);
            }
        }
    }

    if let Some(rule) = &plan.commitments
        && as_of <= rule.due
    {
        let missing: Vec<&str> = plan
            .officers
            .iter()
            .filter(|o| o.registers_commitments)
            .map(|o| o.id.get_ref().as_str())
            .filter(|id| {
                !records
                    .commitments
                    .iter()
                    .any(|c| c.officer == *id && c.date <= as_of)
            })
            .collect();
        if !missing.is_empty() {
            let mut it = item(
                ItemKind::Commitments,
                "Đăng ký nội dung thực hiện, cam kết của cán bộ, công chức".into(),
                rule.due,
                None,
            );
            it.detail = Some(missing.join(", "));
            push(it);
        }
    }

    // Task 11: the officers not yet rated for the plan's year, while the rating is not due.
    if let Some(rule) = &plan.ratings
        && as_of <= rule.due
    {
        let year = i64::from(plan.plan.year);
        // By name, as the other items name officers.
        let missing: Vec<&str> = (plan.officers.iter())
            .filter(|o| {
                !(records.ratings.iter()).any(|r| {
                    r.officer == *o.id.get_ref() && r.date <= as_of && i64::from(r.year) == year
                })
            })
            .map(|o| o.name.as_str())
            .collect();
        if !missing.is_empty() {
            let mut it = item(
                ItemKind::Ratings,
                "Đánh giá, xếp loại cán bộ, công chức cuối năm".into(),
                rule.due,
                None,
            );
            it.detail = Some(missing.join(", "));
            push(it);
        }
    }

    for d in records.dossiers.iter() {
        let Some(due) = d.due else { continue };
        if check::dossier_state(&d, as_of) != DossierState::Open {
            continue;
        }
        let mut it = item(ItemKind::Dossier, d.id().to_string(), due, None);
        it.officer = d.officer().map(str::to_string);
        it.detail = d.procedure().map(|p| plan.procedure_name(p).to_string());
        push(it);
    }

    items.sort_by(|a, b| (a.due, a.kind, &a.title).cmp(&(b.due, b.kind, &b.title)));
    items
}
