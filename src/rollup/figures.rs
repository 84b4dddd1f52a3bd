//! A member's figures, read from its report context (the JSON `report … --format json` prints,
//! documented in docs/reports.md), and their sums.
//!
//! Only the fields a consolidation adds up are read; every other field of the context is
//! ignored, so a member's report may carry more than this (a year report's trend, its lists).
//! Sums are plain integer additions; the rates are computed again from the summed counts,
//! never averaged.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::report::stats::{ByChannel, percent};
pub use crate::report::stats::{Pending, Resolved};

/// The counters with their rates, as the consolidated report prints them: the very shape of a
/// commune report's dossier counters, so the templates and the workbook print both alike.
pub use crate::report::stats::Counts as CountsOut;

/// The part of a report context a rollup reads.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberReport {
    pub kind: String,
    pub generated: Generated,
    pub document: DocumentName,
    pub period: PeriodKey,
    pub dossiers: Dossiers,
    pub violations: Violations,
    pub commendations: Commendations,
    pub feedback: Feedback,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Generated {
    pub as_of: NaiveDate,
    pub judged_at: NaiveDate,
    pub provisional: bool,
    pub data_errors: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentName {
    pub authority: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PeriodKey {
    pub code: String,
    pub scheme: crate::plan::Scheme,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The counters of the dossier table (the rates are left out: they are computed from these).
/// The one-stop counters (channels, withdrawn, stopped, refused, supplements, apologies) are
/// zero when a member's report predates them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    pub carried_in: u64,
    pub received: u64,
    #[serde(default)]
    pub received_by_channel: ByChannel,
    pub total: u64,
    pub resolved: Resolved,
    pub pending: Pending,
    pub ended_without_result: u64,
    #[serde(default)]
    pub withdrawn: u64,
    #[serde(default)]
    pub stopped: u64,
    #[serde(default)]
    pub refused: u64,
    #[serde(default)]
    pub supplements: u64,
    #[serde(default)]
    pub apologies: u64,
    pub late_without_reason: u64,
    pub without_apology: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.carried_in += o.carried_in;
        self.received += o.received;
        let (c, oc) = (&mut self.received_by_channel, &o.received_by_channel);
        c.direct += oc.direct;
        c.postal += oc.postal;
        c.online += oc.online;
        c.online_full += oc.online_full;
        c.online_partial += oc.online_partial;
        c.unknown += oc.unknown;
        self.withdrawn += o.withdrawn;
        self.stopped += o.stopped;
        self.refused += o.refused;
        self.supplements += o.supplements;
        self.apologies += o.apologies;
        self.total += o.total;
        self.resolved.total += o.resolved.total;
        self.resolved.early += o.resolved.early;
        self.resolved.on_time += o.resolved.on_time;
        self.resolved.late += o.resolved.late;
        self.pending.total += o.pending.total;
        self.pending.in_time += o.pending.in_time;
        self.pending.overdue += o.pending.overdue;
        self.ended_without_result += o.ended_without_result;
        self.late_without_reason += o.late_without_reason;
        self.without_apology += o.without_apology;
    }

    /// Trước hạn + đúng hạn / đã giải quyết, in percent (two decimals).
    pub fn on_time_rate(&self) -> Option<f64> {
        percent(
            self.resolved.early + self.resolved.on_time,
            self.resolved.total,
        )
    }

    /// 1 − (quá hạn) / tổng số phải giải quyết, in percent.
    pub fn on_time_rate_backlog(&self) -> Option<f64> {
        let late = (self.resolved.late + self.pending.overdue).min(self.total);
        percent(self.total - late, self.total)
    }

    /// Trễ hạn: resolved late and still pending past the due date.
    pub fn overdue(&self) -> u64 {
        self.resolved.late + self.pending.overdue
    }
}

impl From<Counts> for CountsOut {
    fn from(c: Counts) -> CountsOut {
        CountsOut {
            carried_in: c.carried_in,
            received: c.received,
            received_by_channel: c.received_by_channel,
            online_share: percent(c.received_by_channel.online, c.received),
            total: c.total,
            resolved: c.resolved,
            pending: c.pending,
            ended_without_result: c.ended_without_result,
            withdrawn: c.withdrawn,
            stopped: c.stopped,
            refused: c.refused,
            supplements: c.supplements,
            apologies: c.apologies,
            late_without_reason: c.late_without_reason,
            without_apology: c.without_apology,
            on_time_rate: c.on_time_rate(),
            on_time_rate_backlog: c.on_time_rate_backlog(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dossiers {
    #[serde(flatten)]
    pub overall: Counts,
    pub by_field: Vec<Keyed>,
    /// Absent from reports made before late reasons were summarised.
    #[serde(default)]
    pub late_reasons: Vec<ReasonCount>,
}

/// A late reason and how many late dossiers gave it (a member's, or the sum).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

/// Late reasons added up across members: the same reason in other case, spacing or tone marks
/// counts as one, in the wording first met. Each wording is folded once, however many members
/// give it.
#[derive(Debug, Default)]
pub struct Reasons {
    list: Vec<ReasonCount>,
    /// Folded wording → its place in `list`.
    at: std::collections::HashMap<String, usize>,
}

impl Reasons {
    pub fn add(&mut self, from: &[ReasonCount]) {
        for r in from {
            let next = self.list.len();
            let at = *self.at.entry(crate::text::fold(&r.reason)).or_insert(next);
            if at == next {
                self.list.push(ReasonCount {
                    reason: r.reason.clone(),
                    count: 0,
                });
            }
            self.list[at].count += r.count;
        }
    }

    /// Most frequent first; a stable sort keeps the first-met order among equals.
    pub fn ranked(self) -> Vec<ReasonCount> {
        let mut list = self.list;
        list.sort_by_key(|r| std::cmp::Reverse(r.count));
        list
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Keyed {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Violations {
    pub total: u64,
    pub formal_discipline: u64,
    pub repeats: u64,
    pub pending: u64,
    pub by_action: Vec<KindCount>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Commendations {
    pub total: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Feedback {
    pub total: u64,
    pub by_rating: Vec<KindCount>,
    pub unrated: u64,
    pub by_channel: Vec<KindCount>,
    pub handled: u64,
    pub unhandled: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Task {
    pub obligations: Vec<Obligation>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Obligation {
    pub met: u64,
    pub missed: u64,
    pub waived: u64,
    pub open: u64,
}

/// Recurring duties: the periods of every duty of every task, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Duties {
    pub met: u64,
    pub missed: u64,
    pub waived: u64,
    pub open: u64,
}

impl MemberReport {
    pub fn duties(&self) -> Duties {
        let mut d = Duties::default();
        for o in self.tasks.iter().flat_map(|t| &t.obligations) {
            d.met += o.met;
            d.missed += o.missed;
            d.waived += o.waived;
            d.open += o.open;
        }
        d
    }
}

/// Adds `from` into `into` by kind, keeping the order kinds are first met in.
pub fn add_kinds(into: &mut Vec<KindCount>, from: &[KindCount]) {
    for k in from {
        match into.iter_mut().find(|i| i.kind == k.kind) {
            Some(i) => i.count += k.count,
            None => into.push(k.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_computed_from_the_summed_counts() {
        let a = Counts {
            total: 10,
            resolved: Resolved {
                total: 10,
                early: 9,
                on_time: 0,
                late: 1,
            },
            ..Counts::default()
        };
        let b = Counts {
            total: 2,
            resolved: Resolved {
                total: 2,
                early: 0,
                on_time: 0,
                late: 2,
            },
            ..Counts::default()
        };
        let mut sum = a;
        sum.add(&b);
        // (9 + 0) / 12, not the mean of 90% and 0%.
        assert_eq!(sum.on_time_rate(), Some(75.0));
        assert_eq!(sum.on_time_rate_backlog(), Some(75.0));
        assert_eq!(sum.overdue(), 3);
        assert_eq!(Counts::default().on_time_rate(), None);
    }

    #[test]
    fn late_reasons_add_up_by_their_wording_folded() {
        let r = |reason: &str, count| ReasonCount {
            reason: reason.into(),
            count,
        };
        let mut into = Reasons::default();
        into.add(&[r("Chờ xác minh", 2), r("Phần mềm lỗi", 1)]);
        into.add(&[r("chờ  xác minh", 3), r("Thiếu hồ sơ", 4)]);
        let into = into.ranked();
        assert_eq!(
            into,
            vec![
                r("Chờ xác minh", 5),
                r("Thiếu hồ sơ", 4),
                r("Phần mềm lỗi", 1)
            ]
        );
    }

    #[test]
    fn one_stop_counters_add_up_and_the_online_share_is_of_the_sums() {
        let a = Counts {
            received: 10,
            received_by_channel: ByChannel {
                direct: 9,
                online: 1,
                online_full: 1,
                ..ByChannel::default()
            },
            refused: 1,
            supplements: 2,
            apologies: 1,
            ..Counts::default()
        };
        let b = Counts {
            received: 30,
            received_by_channel: ByChannel {
                direct: 15,
                postal: 6,
                online: 9,
                online_partial: 9,
                ..ByChannel::default()
            },
            withdrawn: 3,
            stopped: 1,
            ..Counts::default()
        };
        let mut sum = a;
        sum.add(&b);
        let out = CountsOut::from(sum);
        assert_eq!(out.received_by_channel.online, 10);
        assert_eq!(out.received_by_channel.postal, 6);
        assert_eq!(out.received_by_channel.online_partial, 9);
        // 10 of 40, not the mean of 10% and 30%.
        assert_eq!(out.online_share, Some(25.0));
        assert_eq!((out.withdrawn, out.stopped, out.refused), (3, 1, 1));
        assert_eq!((out.supplements, out.apologies), (2, 1));
    }

    #[test]
    fn kinds_add_up_by_code_in_first_seen_order() {
        let k = |kind: &str, count| KindCount {
            kind: kind.into(),
            label: kind.to_uppercase(),
            count,
        };
        let mut into = vec![k("box", 1), k("form", 2)];
        add_kinds(&mut into, &[k("form", 3), k("phone", 4)]);
        assert_eq!(into, vec![k("box", 1), k("form", 5), k("phone", 4)]);
    }
}
