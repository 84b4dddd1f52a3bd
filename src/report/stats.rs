//! Dossier statistics for a period, as the one-stop reports count them (PRODUCT.md §6).
//!
//! For a period [S, E] as of T (T ≤ E; for a closed period T = E):
//! - carried_in: received before S and not ended before S;
//! - received: received in [S, E]; total = carried_in + received;
//! - resolved: no status, returned in [S, T]: early (before due), on time (on due), late (after);
//! - ended_without_result: withdrawn or stopped, ended in [S, T];
//! - pending: in total and not ended by T: in time (due ≥ T) or overdue (due < T);
//! - late_without_reason, without_apology: among resolved late and pending overdue;
//! - on_time_rate = (early + on_time) / resolved; on_time_rate_backlog = 1 − (late + pending
//!   overdue) / total; percentages with two decimals, `null` when the denominator is 0.
//!
//! carried_in + received = resolved.total + pending.total + ended_without_result always holds.

use hashbrown::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::Plan;
use crate::records::intern::Sym;
use crate::records::{Dossier, Dossiers};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub total: u64,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pending {
    pub total: u64,
    pub in_time: u64,
    pub overdue: u64,
}

/// The counters, overall or for one field, procedure or officer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub carried_in: u64,
    pub received: u64,
    pub total: u64,
    pub resolved: Resolved,
    pub pending: Pending,
    pub ended_without_result: u64,
    pub late_without_reason: u64,
    pub without_apology: u64,
    pub on_time_rate: Option<f64>,
    pub on_time_rate_backlog: Option<f64>,
}

/// One row of a breakdown: the key (field name, procedure id, officer id) and a display name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyed {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DossierStats {
    #[serde(flatten)]
    pub overall: Counts,
    pub by_field: Vec<Keyed>,
    pub by_procedure: Vec<Keyed>,
    pub by_officer: Vec<Keyed>,
}

/// Where one dossier stands in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Outside,
    Counted { carried_in: bool, outcome: Outcome },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Early,
    OnTime,
    Late,
    WithoutResult,
    PendingInTime,
    PendingOverdue,
}

fn place(d: &Dossier, start: NaiveDate, end: NaiveDate, as_of: NaiveDate) -> Place {
    let t = as_of.min(end);
    let (Some(received), Some(due)) = (d.received, d.due) else {
        return Place::Outside;
    };
    if received > t {
        return Place::Outside;
    }
    // An end recorded after T is not known yet at T.
    let ended = d.returned.filter(|&r| r <= t);
    if let Some(r) = ended
        && r < start
    {
        return Place::Outside;
    }
    let carried_in = received < start;
    let outcome = match ended {
        Some(_) if d.status.is_some() => Outcome::WithoutResult,
        Some(r) if r < due => Outcome::Early,
        Some(r) if r == due => Outcome::OnTime,
        Some(_) => Outcome::Late,
        None if due < t => Outcome::PendingOverdue,
        None => Outcome::PendingInTime,
    };
    Place::Counted {
        carried_in,
        outcome,
    }
}

impl Counts {
    fn add(&mut self, d: &Dossier, carried_in: bool, outcome: Outcome, as_of: NaiveDate) {
        if carried_in {
            self.carried_in += 1;
        } else {
            self.received += 1;
        }
        self.total += 1;
        match outcome {
            Outcome::Early => self.resolved.early += 1,
            Outcome::OnTime => self.resolved.on_time += 1,
            Outcome::Late => self.resolved.late += 1,
            Outcome::WithoutResult => self.ended_without_result += 1,
            Outcome::PendingInTime => self.pending.in_time += 1,
            Outcome::PendingOverdue => self.pending.overdue += 1,
        }
        if matches!(outcome, Outcome::Late | Outcome::PendingOverdue) {
            if !d.has_late_reason {
                self.late_without_reason += 1;
            }
            if d.apology.is_none_or(|a| a > as_of) {
                self.without_apology += 1;
            }
        }
    }

    fn finish(&mut self) {
        let r = &mut self.resolved;
        r.total = r.early + r.on_time + r.late;
        let p = &mut self.pending;
        p.total = p.in_time + p.overdue;
        self.on_time_rate = percent(
            self.resolved.early + self.resolved.on_time,
            self.resolved.total,
        );
        self.on_time_rate_backlog = percent(
            self.total - (self.resolved.late + self.pending.overdue).min(self.total),
            self.total,
        );
    }
}

/// `part / whole` in percent with two decimals; `None` when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10_000.0 / whole as f64).round() / 100.0)
}

/// The overall counts of several periods, each [start, end] as of a date, in one pass over the
/// dossiers (the year report's quarters).
pub fn overall(
    dossiers: &Dossiers,
    periods: &[(NaiveDate, NaiveDate)],
    as_of: NaiveDate,
) -> Vec<Counts> {
    let mut counts = vec![Counts::default(); periods.len()];
    for d in dossiers.iter() {
        for (c, &(start, end)) in counts.iter_mut().zip(periods) {
            if let Place::Counted {
                carried_in,
                outcome,
            } = place(&d, start, end, as_of)
            {
                c.add(&d, carried_in, outcome, as_of.min(end));
            }
        }
    }
    counts.iter_mut().for_each(Counts::finish);
    counts
}

/// Counts by a text of the dossier store. The store interns its texts once for all its
/// dossiers, so a dossier is counted under its text's number (an index, no hashing); each
/// number is matched to its text once, and texts from elsewhere (the plan's catalogue) by text.
struct ByText<'a> {
    /// By a text's number, its row (`u32::MAX`: none yet).
    at: Vec<u32>,
    of: HashMap<&'a str, usize>,
    rows: Vec<(&'a str, Counts)>,
}

impl<'a> ByText<'a> {
    fn new(texts: usize) -> ByText<'a> {
        ByText {
            at: vec![u32::MAX; texts],
            of: HashMap::new(),
            rows: Vec::new(),
        }
    }

    /// The row of a text, by its number in the store when it has one. `text` gives the text,
    /// looked up only for a number not seen yet.
    fn row(&mut self, sym: Option<Sym>, text: impl FnOnce() -> &'a str) -> &mut Counts {
        let i = self.index(sym, text);
        &mut self.rows[i].1
    }

    fn index(&mut self, sym: Option<Sym>, text: impl FnOnce() -> &'a str) -> usize {
        if let Some(sym) = sym
            && self.at[sym.index()] != u32::MAX
        {
            return self.at[sym.index()] as usize;
        }
        let text = text();
        let ByText { of, rows, .. } = self;
        let i = *of.entry(text).or_insert_with(|| {
            rows.push((text, Counts::default()));
            rows.len() - 1
        });
        if let Some(sym) = sym {
            self.at[sym.index()] = i as u32;
        }
        i
    }
}

/// The statistics of a period [start, end] as of a date.
pub fn dossier_stats(
    plan: &Plan,
    dossiers: &Dossiers,
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
) -> DossierStats {
    let t = as_of.min(end);
    let mut overall = Counts::default();
    // Counting allocates nothing per dossier.
    let texts = dossiers.text_count();
    let mut by_field = ByText::new(texts);
    let mut by_procedure = ByText::new(texts);
    let mut by_officer = ByText::new(texts);
    // For a dossier without a field, the field row of its procedure (from the catalogue),
    // found once per procedure.
    let mut catalogue_field: Vec<u32> = vec![u32::MAX; texts];
    for d in dossiers.iter() {
        let Place::Counted {
            carried_in,
            outcome,
        } = place(&d, start, end, as_of)
        else {
            continue;
        };
        overall.add(&d, carried_in, outcome, t);
        // Texts are looked up only the first time their number is met.
        let field = match (d.field, d.procedure) {
            (Some(_), _) => by_field.index(d.field, || d.field().unwrap_or_default()),
            (None, Some(sym)) => {
                if catalogue_field[sym.index()] == u32::MAX {
                    let p = d.procedure().unwrap_or_default();
                    let text = plan.procedure(p).map_or("", |c| c.field.as_str());
                    catalogue_field[sym.index()] = by_field.index(None, || text) as u32;
                }
                catalogue_field[sym.index()] as usize
            }
            _ => by_field.index(None, || ""),
        };
        by_field.rows[field].1.add(&d, carried_in, outcome, t);
        by_procedure
            .row(d.procedure, || d.procedure().unwrap_or_default())
            .add(&d, carried_in, outcome, t);
        by_officer
            .row(d.officer, || d.officer().unwrap_or_default())
            .add(&d, carried_in, outcome, t);
    }
    overall.finish();
    // Rows in Vietnamese order of their names ("Đất đai" after "Chứng thực", not after "Z").
    let keyed = |by: ByText, name: &dyn Fn(&str) -> String| {
        let mut rows: Vec<Keyed> = by
            .rows
            .into_iter()
            .map(|(key, mut counts)| {
                counts.finish();
                Keyed {
                    name: name(key),
                    key: key.to_string(),
                    counts,
                }
            })
            .collect();
        rows.sort_by_cached_key(|k| (crate::text::fold(&k.name), k.key.clone()));
        rows
    };
    let unknown = "(chưa ghi)";
    DossierStats {
        overall,
        by_field: keyed(by_field, &|k| {
            if k.is_empty() {
                unknown.into()
            } else {
                k.into()
            }
        }),
        by_procedure: keyed(by_procedure, &|k| {
            if k.is_empty() {
                unknown.into()
            } else {
                plan.procedure_name(k).to_string()
            }
        }),
        by_officer: keyed(by_officer, &|k| {
            plan.officer(k)
                .map_or_else(|| unknown.to_string(), |o| o.name.clone())
        }),
    }
}
