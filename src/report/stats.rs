//! Dossier statistics for a period, as the one-stop reports count them (PRODUCT.md §6).
//!
//! For a period [S, E] as of T (T ≤ E; for a closed period T = E):
//! - carried_in: received before S and not ended before S;
//! - received: received in [S, E]; total = carried_in + received;
//! - resolved: no status, returned in [S, T]: early (before due), on time (on due), late (after),
//!   due being the date the dossier is judged against ([`crate::records::Dossier::judged_due`]:
//!   a request for more papers stops the clock until a new appointment);
//! - received by channel (in person, by post, online at either level, not recorded), and the
//!   online share = online / received;
//! - ended_without_result: withdrawn, stopped or refused, ended in [S, T], each also counted
//!   on its own;
//! - supplements and apologies: requests for more papers and apology letters issued in [S, T]
//!   for the dossiers counted;
//! - pending: in total and not ended by T: in time (due ≥ T, or the clock stopped) or overdue
//!   (due < T);
//! - late_without_reason: resolved late without a recorded reason (the dossiers of W308, so
//!   that the table and the sentence of "Tồn tại, hạn chế" count the same ones);
//! - without_apology: among resolved late and pending overdue (the dossiers of W309);
//! - on_time_rate = (early + on_time) / resolved; on_time_rate_backlog = 1 − (late + pending
//!   overdue) / total; percentages with two decimals, `null` when the denominator is 0.
//!
//! carried_in + received = resolved.total + pending.total + ended_without_result always holds.

use hashbrown::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::plan::Plan;
use crate::records::intern::Sym;
use crate::records::{Dossier, DossierStatus, Dossiers, Submission};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Resolved {
    pub total: u64,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Pending {
    pub total: u64,
    pub in_time: u64,
    pub overdue: u64,
}

/// New dossiers by how they were submitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ByChannel {
    pub direct: u64,
    pub postal: u64,
    /// Online at any level; of them, those recorded as the whole procedure online (toàn trình)
    /// or part of it (một phần).
    pub online: u64,
    pub online_full: u64,
    pub online_partial: u64,
    /// No channel recorded.
    pub unknown: u64,
}

/// The counters, overall or for one field, procedure or officer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub carried_in: u64,
    pub received: u64,
    pub received_by_channel: ByChannel,
    /// Online / received, in percent.
    pub online_share: Option<f64>,
    pub total: u64,
    pub resolved: Resolved,
    pub pending: Pending,
    pub ended_without_result: u64,
    pub withdrawn: u64,
    pub stopped: u64,
    pub refused: u64,
    /// Requests for more papers issued in the period.
    pub supplements: u64,
    /// Apology letters issued in the period.
    pub apologies: u64,
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
    /// The late reasons of the dossiers late in the period (resolved late or pending overdue),
    /// grouped (case, spacing and tone placement do not matter), most frequent first.
    pub late_reasons: Vec<ReasonCount>,
}

/// A late reason and how many late dossiers gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
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
    WithoutResult(DossierStatus),
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
    // Judged against the date that stands (a new appointment after a request for more papers);
    // while the clock is stopped, never late.
    let judged = d.judged_due();
    let outcome = match (ended, judged) {
        (Some(_), _) if d.status.is_some() => {
            Outcome::WithoutResult(d.status.unwrap_or(DossierStatus::Stopped))
        }
        (Some(r), Some(due)) if r < due => Outcome::Early,
        (Some(r), Some(due)) if r == due => Outcome::OnTime,
        (Some(_), Some(_)) => Outcome::Late,
        (Some(r), None) if r < due => Outcome::Early,
        (Some(_), None) => Outcome::OnTime,
        (None, Some(due)) if due < t => Outcome::PendingOverdue,
        (None, _) => Outcome::PendingInTime,
    };
    Place::Counted {
        carried_in,
        outcome,
    }
}

impl Counts {
    fn add(
        &mut self,
        d: &Dossier,
        carried_in: bool,
        outcome: Outcome,
        span: (NaiveDate, NaiveDate),
    ) {
        let (start, as_of) = span;
        if carried_in {
            self.carried_in += 1;
        } else {
            self.received += 1;
            let c = &mut self.received_by_channel;
            match d.channel {
                None => c.unknown += 1,
                Some(Submission::Direct) => c.direct += 1,
                Some(Submission::Postal) => c.postal += 1,
                Some(online) => {
                    c.online += 1;
                    c.online_full += u64::from(online == Submission::OnlineFull);
                    c.online_partial += u64::from(online == Submission::OnlinePartial);
                }
            }
        }
        let issued = |x: Option<NaiveDate>| x.is_some_and(|x| start <= x && x <= as_of);
        self.supplements += u64::from(issued(d.supplement));
        self.apologies += u64::from(issued(d.apology));
        self.total += 1;
        match outcome {
            Outcome::Early => self.resolved.early += 1,
            Outcome::OnTime => self.resolved.on_time += 1,
            Outcome::Late => self.resolved.late += 1,
            Outcome::WithoutResult(status) => {
                self.ended_without_result += 1;
                match status {
                    DossierStatus::Withdrawn => self.withdrawn += 1,
                    DossierStatus::Stopped => self.stopped += 1,
                    DossierStatus::Refused => self.refused += 1,
                }
            }
            Outcome::PendingInTime => self.pending.in_time += 1,
            Outcome::PendingOverdue => self.pending.overdue += 1,
        }
        if matches!(outcome, Outcome::Late | Outcome::PendingOverdue) {
            if outcome == Outcome::Late && !d.has_late_reason {
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
        self.online_share = percent(self.received_by_channel.online, self.received);
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
                c.add(&d, carried_in, outcome, (start, as_of.min(end)));
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
    dossier_stats_by(plan, dossiers, start, end, as_of, Breakdowns::All)
}

/// Which breakdowns [`dossier_stats_by`] counts besides the overall figures and late reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdowns {
    /// By field, procedure and officer: a commune's own report.
    All,
    /// By field only: what a rollup adds up (`by_procedure` and `by_officer` stay empty).
    Field,
}

/// [`dossier_stats`], counting only the `breakdowns` asked for.
pub fn dossier_stats_by(
    plan: &Plan,
    dossiers: &Dossiers,
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
    breakdowns: Breakdowns,
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
    let span = (start, t);
    // Late reasons as written, in the order first met, with their counts: grouped by their
    // key once per distinct wording at the end, not once per late dossier.
    let mut written: Vec<(&str, u64)> = Vec::new();
    let mut written_at: HashMap<&str, usize> = HashMap::new();
    for d in dossiers.iter() {
        let Place::Counted {
            carried_in,
            outcome,
        } = place(&d, start, end, as_of)
        else {
            continue;
        };
        overall.add(&d, carried_in, outcome, span);
        if matches!(outcome, Outcome::Late | Outcome::PendingOverdue)
            && let Some(reason) = d.late_reason()
        {
            let reason = reason.trim_end_matches(['.', ';']);
            let at = *written_at.entry(reason).or_insert_with(|| {
                written.push((reason, 0));
                written.len() - 1
            });
            written[at].1 += 1;
        }
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
        by_field.rows[field].1.add(&d, carried_in, outcome, span);
        if breakdowns == Breakdowns::Field {
            continue;
        }
        by_procedure
            .row(d.procedure, || d.procedure().unwrap_or_default())
            .add(&d, carried_in, outcome, span);
        by_officer
            .row(d.officer, || d.officer().unwrap_or_default())
            .add(&d, carried_in, outcome, span);
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
    // By their key: (the first wording met, count).
    let mut reasons: HashMap<String, (String, u64)> = HashMap::new();
    for (reason, count) in written {
        reasons
            .entry(crate::text::match_key(reason))
            .or_insert_with(|| (reason.to_string(), 0))
            .1 += count;
    }
    let mut late_reasons: Vec<ReasonCount> = reasons
        .into_values()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    late_reasons.sort_by_cached_key(|r| (std::cmp::Reverse(r.count), crate::text::fold(&r.reason)));
    DossierStats {
        late_reasons,
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
