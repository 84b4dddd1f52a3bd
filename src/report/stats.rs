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
use crate::records::codes::Coded as _;
use crate::records::dossier::Outcome;
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

impl Outcome {
    /// Every outcome, in the order of their numbers ([`Outcome::number`]).
    const ALL: [Outcome; 8] = [
        Outcome::Early,
        Outcome::OnTime,
        Outcome::Late,
        Outcome::WithoutResult(DossierStatus::Withdrawn),
        Outcome::WithoutResult(DossierStatus::Stopped),
        Outcome::WithoutResult(DossierStatus::Refused),
        Outcome::PendingInTime,
        Outcome::PendingOverdue,
    ];

    /// Its place in [`Outcome::ALL`].
    fn number(self) -> usize {
        match self {
            Outcome::Early => 0,
            Outcome::OnTime => 1,
            Outcome::Late => 2,
            Outcome::WithoutResult(DossierStatus::Withdrawn) => 3,
            Outcome::WithoutResult(DossierStatus::Stopped) => 4,
            Outcome::WithoutResult(DossierStatus::Refused) => 5,
            Outcome::PendingInTime => 6,
            Outcome::PendingOverdue => 7,
        }
    }
}

fn place(d: &Dossier, start: NaiveDate, end: NaiveDate, as_of: NaiveDate) -> Place {
    let t = as_of.min(end);
    // Ended (by T) before the period: not the period's (most of a year's dossiers, for each
    // quarter but one or two: told before their outcome is worked out).
    if d.returned.is_some_and(|r| r <= t && r < start) {
        return Place::Outside;
    }
    let Some(outcome) = d.outcome_at(t) else {
        return Place::Outside;
    };
    Place::Counted {
        carried_in: d.received.is_some_and(|r| r < start),
        outcome,
    }
}

/// What one dossier adds to the counters of a period, as a number below [`CLASSES`]: whether
/// it was carried in, how it was submitted, where it stands ([`Outcome`]), and four flags (a
/// request for more papers issued in the period, an apology letter issued in it, late without
/// a reason, late or overdue without an apology). Dossiers of one class add the same to every
/// counter, so a breakdown counts classes, one increment a dossier ([`Tally`]), and turns each
/// class's count into counters once ([`Counts::add_class`]): where adding each dossier to the
/// counters of its field, procedure, officer and the whole, branch by branch, was most of a
/// year report's counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Class(usize);

/// No channel recorded, then [`Submission::ALL`] in order.
const CHANNELS: usize = 1 + Submission::ALL.len();

const OUTCOMES: usize = Outcome::ALL.len();

const CLASSES: usize = 2 * CHANNELS * OUTCOMES * 16;

impl Class {
    fn of(d: &Dossier, carried_in: bool, outcome: Outcome, span: (NaiveDate, NaiveDate)) -> Class {
        let (start, as_of) = span;
        let channel = d.channel.map_or(0, |c| 1 + usize::from(c.index()));
        let issued = |x: Option<NaiveDate>| x.is_some_and(|x| start <= x && x <= as_of);
        let lapse = matches!(outcome, Outcome::Late | Outcome::PendingOverdue);
        let flags = usize::from(issued(d.supplement))
            | usize::from(issued(d.apology)) << 1
            | usize::from(outcome == Outcome::Late && !d.has_late_reason) << 2
            | usize::from(lapse && d.apology.is_none_or(|a| a > as_of)) << 3;
        Class(
            ((usize::from(carried_in) * CHANNELS + channel) * OUTCOMES + outcome.number()) * 16
                + flags,
        )
    }
}

/// How many dossiers of each [`Class`] a row of counters has: [`Tally::counts`] makes the
/// counters.
#[derive(Debug, Clone)]
struct Tally(Vec<u32>);

impl Tally {
    fn new() -> Tally {
        Tally(vec![0; CLASSES])
    }

    fn add(&mut self, class: Class) {
        self.0[class.0] += 1;
    }

    fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for (class, &n) in self.0.iter().enumerate() {
            if n > 0 {
                counts.add_class(Class(class), u64::from(n));
            }
        }
        counts.finish();
        counts
    }
}

impl Counts {
    /// Adds `n` dossiers of class `class`.
    fn add_class(&mut self, class: Class, n: u64) {
        let flags = class.0 % 16;
        let outcome = Outcome::ALL[class.0 / 16 % OUTCOMES];
        let channel = class.0 / 16 / OUTCOMES % CHANNELS;
        let carried_in = class.0 / 16 / OUTCOMES / CHANNELS == 1;
        if carried_in {
            self.carried_in += n;
        } else {
            self.received += n;
            let c = &mut self.received_by_channel;
            match channel.checked_sub(1).map(|i| Submission::ALL[i]) {
                None => c.unknown += n,
                Some(Submission::Direct) => c.direct += n,
                Some(Submission::Postal) => c.postal += n,
                Some(online) => {
                    c.online += n;
                    c.online_full += n * u64::from(online == Submission::OnlineFull);
                    c.online_partial += n * u64::from(online == Submission::OnlinePartial);
                }
            }
        }
        let flag = |bit: usize| n * u64::from(flags >> bit & 1 == 1);
        self.supplements += flag(0);
        self.apologies += flag(1);
        self.late_without_reason += flag(2);
        self.without_apology += flag(3);
        self.total += n;
        match outcome {
            Outcome::Early => self.resolved.early += n,
            Outcome::OnTime => self.resolved.on_time += n,
            Outcome::Late => self.resolved.late += n,
            Outcome::WithoutResult(status) => {
                self.ended_without_result += n;
                match status {
                    DossierStatus::Withdrawn => self.withdrawn += n,
                    DossierStatus::Stopped => self.stopped += n,
                    DossierStatus::Refused => self.refused += n,
                }
            }
            Outcome::PendingInTime => self.pending.in_time += n,
            Outcome::PendingOverdue => self.pending.overdue += n,
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
    let mut tallies = vec![Tally::new(); periods.len()];
    for d in dossiers.iter() {
        for (tally, &(start, end)) in tallies.iter_mut().zip(periods) {
            if let Place::Counted {
                carried_in,
                outcome,
            } = place(&d, start, end, as_of)
            {
                tally.add(Class::of(&d, carried_in, outcome, (start, as_of.min(end))));
            }
        }
    }
    tallies.iter().map(Tally::counts).collect()
}

/// Counts by a text of the dossier store. The store interns its texts once for all its
/// dossiers, so a dossier is counted under its text's number (an index, no hashing); each
/// number is matched to its text once, and texts from elsewhere (the plan's catalogue) by text.
struct ByText<'a> {
    /// By a text's number, its row (`u32::MAX`: none yet).
    at: Vec<u32>,
    of: HashMap<&'a str, usize>,
    rows: Vec<(&'a str, Tally)>,
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
    fn row(&mut self, sym: Option<Sym>, text: impl FnOnce() -> &'a str) -> &mut Tally {
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
            rows.push((text, Tally::new()));
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
    let mut overall = Tally::new();
    // Counting allocates nothing per dossier.
    let texts = dossiers.text_count();
    let mut by_field = ByText::new(texts);
    let mut by_procedure = ByText::new(texts);
    let mut by_officer = ByText::new(texts);
    // For a dossier without a field, the field row of its procedure (from the catalogue),
    // found once per procedure.
    let mut catalogue_field: Vec<u32> = vec![u32::MAX; texts];
    let span = (start, t);
    // The places of the late dossiers with a reason: their reasons are read after, in one
    // pass over the dossiers that have one.
    let mut late_with_reason = vec![0u64; dossiers.places().div_ceil(64)];
    for (at, d) in dossiers.iter_placed() {
        let Place::Counted {
            carried_in,
            outcome,
        } = place(&d, start, end, as_of)
        else {
            continue;
        };
        let class = Class::of(&d, carried_in, outcome, span);
        overall.add(class);
        if matches!(outcome, Outcome::Late | Outcome::PendingOverdue) && d.has_late_reason {
            late_with_reason[at / 64] |= 1 << (at % 64);
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
        by_field.rows[field].1.add(class);
        if breakdowns == Breakdowns::Field {
            continue;
        }
        by_procedure
            .row(d.procedure, || d.procedure().unwrap_or_default())
            .add(class);
        by_officer
            .row(d.officer, || d.officer().unwrap_or_default())
            .add(class);
    }
    // Rows in Vietnamese order of their names ("Đất đai" after "Chứng thực", not after "Z").
    let keyed = |by: ByText, name: &dyn Fn(&str) -> String| {
        let mut rows: Vec<Keyed> = by
            .rows
            .into_iter()
            .map(|(key, tally)| Keyed {
                name: name(key),
                key: key.to_string(),
                counts: tally.counts(),
            })
            .collect();
        rows.sort_by_cached_key(|k| (crate::text::fold(&k.name), k.key.clone()));
        rows
    };
    let unknown = "(chưa ghi)";
    // Per reason's text number: how many late dossiers give it, and the first place met.
    let mut per_text: Vec<(usize, u64, Option<Sym>)> = vec![(usize::MAX, 0, None); texts];
    for (place, sym) in dossiers.late_reasons_at(&late_with_reason) {
        let (first, count, of) = &mut per_text[sym.index()];
        (*first, *count, *of) = ((*first).min(place), *count + 1, Some(sym));
    }
    per_text.retain(|&(_, count, _)| count > 0);
    per_text.sort_unstable_by_key(|&(first, ..)| first);
    let met =
        (per_text.iter()).filter_map(|&(_, count, sym)| Some((count, dossiers.text_of(sym?))));
    // Late reasons as written, in the order first met, with their counts: grouped by their
    // key once per distinct wording, not once per late dossier.
    let mut written: Vec<(&str, u64)> = Vec::new();
    let mut written_at: HashMap<&str, usize> = HashMap::new();
    for (count, reason) in met {
        let reason = reason.trim_end_matches(['.', ';']);
        let at = *written_at.entry(reason).or_insert_with(|| {
            written.push((reason, 0));
            written.len() - 1
        });
        written[at].1 += count;
    }
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
        overall: overall.counts(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 4, d).unwrap_or_default()
    }

    fn dossier(set: impl FnOnce(&mut Dossier)) -> Dossier {
        let mut d = Dossier::default();
        set(&mut d);
        d
    }

    /// The counters of one dossier in the period [1, 30] April as of the 20th.
    fn counted(d: &Dossier) -> Counts {
        let mut tally = Tally::new();
        if let Place::Counted {
            carried_in,
            outcome,
        } = place(d, day(1), day(30), day(20))
        {
            tally.add(Class::of(d, carried_in, outcome, (day(1), day(20))));
        }
        tally.counts()
    }

    #[test]
    fn a_dossier_counts_where_the_rules_say() {
        // Received online (whole procedure) in the period, returned late without a reason, its
        // apology letter issued in the period.
        let late = dossier(|d| {
            d.received = Some(day(2));
            d.due = Some(day(5));
            d.returned = Some(day(9));
            d.apology = Some(day(8));
            d.channel = Some(Submission::OnlineFull);
        });
        let c = counted(&late);
        assert_eq!((c.received, c.carried_in, c.total), (1, 0, 1));
        let ch = c.received_by_channel;
        assert_eq!((ch.online, ch.online_full, ch.online_partial), (1, 1, 0));
        assert_eq!(
            (c.resolved.late, c.resolved.total, c.pending.total),
            (1, 1, 0)
        );
        assert_eq!(
            (c.apologies, c.late_without_reason, c.without_apology),
            (1, 1, 0)
        );
        // Carried in (received in March), still open and overdue on the 20th, its request for
        // more papers issued in the period, no apology: its channel is not counted.
        let overdue = dossier(|d| {
            d.received = Some(NaiveDate::from_ymd_opt(2021, 3, 25).unwrap_or_default());
            d.due = Some(day(10));
            d.supplement = Some(day(3));
            d.rescheduled = Some(day(12));
            d.channel = Some(Submission::Postal);
            d.has_late_reason = true;
        });
        let c = counted(&overdue);
        assert_eq!((c.received, c.carried_in, c.total), (0, 1, 1));
        assert_eq!(c.received_by_channel, ByChannel::default());
        assert_eq!((c.pending.overdue, c.supplements), (1, 1));
        assert_eq!((c.late_without_reason, c.without_apology), (0, 1));
        // Withdrawn in the period: ended without result, and withdrawn.
        let withdrawn = dossier(|d| {
            d.received = Some(day(2));
            d.due = Some(day(5));
            d.returned = Some(day(4));
            d.status = Some(DossierStatus::Withdrawn);
        });
        let c = counted(&withdrawn);
        assert_eq!((c.ended_without_result, c.withdrawn, c.refused), (1, 1, 0));
        assert_eq!((c.received_by_channel.unknown, c.resolved.total), (1, 0));
    }

    #[test]
    fn outcomes_are_numbered_by_their_place() {
        for (i, o) in Outcome::ALL.iter().enumerate() {
            assert_eq!(o.number(), i);
        }
    }

    #[test]
    fn every_class_adds_up_to_one_dossier() {
        for class in 0..CLASSES {
            let mut c = Counts::default();
            c.add_class(Class(class), 3);
            c.finish();
            assert_eq!(c.total, 3, "{class}");
            assert_eq!(c.carried_in + c.received, 3, "{class}");
            assert_eq!(
                c.resolved.total + c.pending.total + c.ended_without_result,
                3,
                "{class}"
            );
            assert_eq!(c.withdrawn + c.stopped + c.refused, c.ended_without_result);
            let ch = c.received_by_channel;
            assert_eq!(ch.unknown + ch.direct + ch.postal + ch.online, c.received);
            assert!(ch.online_full + ch.online_partial <= ch.online);
        }
    }
}
