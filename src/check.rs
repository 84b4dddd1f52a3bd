//! The work findings (PRODUCT.md §6): what is overdue, missed, late or missing, as of a date.
//!
//! Pure: plan and records in, findings out. Only records dated on or before the as-of date
//! count, so a report or a check "as of" a past date sees what the office saw then.

use std::sync::Arc;

use hashbrown::HashMap;

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;
use crate::findings::{Code, Finding, Omitted};
use crate::messages::{Msg, basis};
use crate::period::{Period, Size};
use crate::plan::{Obligation, Plan, PlanPlaces, Task};
use crate::records::dossier::{Dossiers, Span};
use crate::records::intern::Sym;
use crate::records::{Activity, Dossier, Kind, Level, Locator, OfficerRating, Records, RowRef};

/// The plan's working-day calendar.
pub fn calendar(plan: &Plan) -> WorkCalendar {
    WorkCalendar::new(
        &plan.workdays(),
        &plan.calendar.holidays,
        &plan.calendar.extra_workdays,
    )
}

/// The last day whose periods are over when judging as of `as_of`: the day before (a week
/// ending today is not over until today is).
pub fn closed_through(as_of: NaiveDate) -> NaiveDate {
    as_of.pred_opt().unwrap_or(as_of)
}

/// Every work finding as of `as_of`: records dated by then count, and recurring duties are
/// judged for the periods that ended on or before `closed_through` (normally
/// [`closed_through`]`(as_of)`; a report of a closed period passes its last day).
pub fn work_findings(
    plan: &Plan,
    source: &str,
    records: &Records,
    as_of: NaiveDate,
    closed: NaiveDate,
) -> Vec<Finding> {
    work_findings_after(Vec::new(), plan, source, records, as_of, closed)
}

/// [`work_findings`] after `before` (the findings of reading, say), in one list: a province's
/// tens of thousands of findings are not copied into a second one.
pub fn work_findings_after(
    before: Vec<Finding>,
    plan: &Plan,
    source: &str,
    records: &Records,
    as_of: NaiveDate,
    closed: NaiveDate,
) -> Vec<Finding> {
    let every = Lapses {
        per: usize::MAX,
        tally: || KeepAll,
    };
    let (work, KeepAll) = work_after(
        plan,
        source,
        records,
        &records.dossiers,
        as_of,
        closed,
        every,
    );
    work.findings(before, records).0
}

/// What a caller counts of the dossiers' lapses, and which of them it keeps, as
/// [`work_after`] finds them: one tally per span of the dossier store, on several threads,
/// the spans' tallies then merged in the store's order.
pub trait Tally: Send + Sized {
    /// Counts `lapse`, if this tally counts it; whether it is kept (shown, or counted among
    /// those left out).
    fn keep(&mut self, lapse: &LapseView<'_>) -> bool;
    /// Adds the tally of the span after this one's.
    fn merge(&mut self, later: Self);
}

/// Keeps every lapse and counts none.
pub struct KeepAll;

impl Tally for KeepAll {
    fn keep(&mut self, _: &LapseView<'_>) -> bool {
        true
    }

    fn merge(&mut self, _: KeepAll) {}
}

/// Keeps the lapses the function keeps (`check --since`: those about rows added since),
/// counts none.
pub struct KeepIf<F>(pub F);

impl<F: Fn(&LapseView<'_>) -> bool + Send> Tally for KeepIf<F> {
    fn keep(&mut self, lapse: &LapseView<'_>) -> bool {
        (self.0)(lapse)
    }

    fn merge(&mut self, _: KeepIf<F>) {}
}

/// Which of the dossiers' lapses [`work_after`] keeps to be findings: of those the tallies
/// keep, the first `per` of each record file and code in output order (line, then column,
/// then the store's order); the others are only counted ([`Omitted`]). `tally` makes the
/// tally of one span.
pub struct Lapses<F> {
    pub per: usize,
    pub tally: F,
}

/// The work findings, the dossiers' still as lapses ([`Work::findings`] makes them findings):
/// only those that can be shown, which no longer need the dossier store, so that it can be
/// freed before they become findings. A province's 300,000 lapses are counted as the dossiers
/// are judged, on both threads, and never held (with an output that shows the first few of a
/// code in a file: `check`, a report's examples).
pub struct Work {
    /// The findings of the other records.
    findings: Vec<Finding>,
    /// The lapses kept, per record file and code, in the order first met.
    groups: Vec<Group>,
    /// Per span of the store, the names of the procedures its lapses name.
    procedures: Vec<Vec<Arc<str>>>,
    /// The bases their findings cite: the one-stop rules, the letter of apology.
    basis: Option<Arc<str>>,
    apology: Option<Arc<str>>,
}

impl Work {
    /// `before`, the other records' findings, and the dossiers' lapses kept as findings in the
    /// store's order (of each file and code at most [`Lapses::per`]); and how many of each
    /// file and code were left out. Of `records`, only the files' names and headers are read:
    /// its dossier store may be empty by now.
    pub fn findings(self, before: Vec<Finding>, records: &Records) -> (Vec<Finding>, Vec<Omitted>) {
        let Work {
            findings: other,
            groups,
            procedures,
            basis,
            apology,
        } = self;
        let mut places = records.locator();
        let mut omitted = Vec::new();
        let mut shown = Vec::new();
        for group in groups {
            if group.count > group.kept.len() {
                omitted.push(Omitted {
                    file: places.name(group.file).clone(),
                    code: group.code,
                    count: group.count - group.kept.len(),
                });
            }
            shown.extend(group.kept);
        }
        // In the store's order: by span, then by place in the span.
        shown.sort_unstable_by_key(|(key, _)| *key as u64);
        let mut out = before;
        out.reserve(other.len() + shown.len());
        out.extend(other);
        out.extend(shown.into_iter().map(|(key, lapse)| {
            let names = &procedures[(key >> 32) as u32 as usize];
            lapse.finding(names, &mut places, &basis, &apology)
        }));
        (out, omitted)
    }
}

/// A dossier's lapse as a [`Tally`] sees it, before it is a finding (if it ever is): what the
/// finding would say of it.
#[derive(Debug)]
pub struct LapseView<'a> {
    pub code: Code,
    /// The record file and the line the finding would point at.
    pub file: &'a str,
    pub line: u64,
    /// The day it is about ([`Finding::date`]).
    pub date: NaiveDate,
    /// Whether it still stands at the as-of date ([`Finding::standing`]).
    pub standing: bool,
    /// The dossier's procedure, as the finding names it.
    pub procedure: &'a str,
}

/// The work findings as of `as_of`, the dossiers' lapses among them as [`Lapses`] asks; and
/// what its tallies counted, merged. The dossiers are those of `dossiers`, not of `records`
/// (`&records.dossiers`, or the store a report took out of them, so that it can free it while
/// the rest of the records stay borrowed).
pub fn work_after<T: Tally, F: Fn() -> T + Sync>(
    plan: &Plan,
    source: &str,
    records: &Records,
    dossiers: &Dossiers,
    as_of: NaiveDate,
    closed: NaiveDate,
    lapses: Lapses<F>,
) -> (Work, T) {
    let cal = calendar(plan);
    // The dossiers (a province's million) on two threads, the rest meanwhile on a third.
    let (spans, findings) = crate::par::join(
        || dossier_lapses(plan, records, dossiers, as_of, &cal, &lapses),
        || {
            let mut out = Vec::new();
            let places = PlanPlaces::new(source);
            deliverables(plan, &places, records, as_of, &mut out);
            obligations(plan, &places, records, (as_of, closed), &cal, &mut out);
            evidence(plan, records, as_of, &mut out);
            commitments(plan, &places, records, as_of, &mut out);
            ratings(plan, &places, records, as_of, &mut out);
            repeat_violations(plan, records, as_of, &mut out);
            out
        },
    );
    let (groups, procedures, tally) = merge_spans(spans, lapses.per);
    let tally = tally.unwrap_or_else(|| (lapses.tally)());
    let work = Work {
        findings,
        groups,
        procedures,
        basis: Some(
            basis::one_stop(
                plan.task_ruling("dossiers")
                    .and_then(|task| task_basis(plan, task)),
            )
            .into(),
        ),
        apology: Some(basis::APOLOGY.into()),
    };
    (work, tally)
}

fn task_basis(plan: &Plan, task: &Task) -> Option<String> {
    Some(basis::plan_task(
        &plan.plan.number,
        task.id.get_ref(),
        task.cite.as_deref(),
    ))
}

/// The activity that completes a deliverable, if one is recorded by `as_of` (the earliest).
pub fn completion<'r>(
    records: &'r Records,
    deliverable: &str,
    as_of: NaiveDate,
) -> Option<&'r Activity> {
    records
        .activities
        .iter()
        .filter(|a| a.date <= as_of && a.deliverable() == Some(deliverable))
        .min_by_key(|a| a.date)
}

fn deliverables(
    plan: &Plan,
    places: &PlanPlaces,
    records: &Records,
    as_of: NaiveDate,
    out: &mut Vec<Finding>,
) {
    for (task, d) in plan.deliverables() {
        let id = d.id.get_ref();
        match completion(records, id, as_of) {
            Some(done) if done.date > d.due => out.push(
                Finding::new(
                    Code::DeliverableLate,
                    records.location(Kind::Activities, done.at, "deliverable"),
                    Msg::DeliverableLate {
                        id: id.clone(),
                        title: d.title.clone(),
                        due: d.due,
                        done: done.date,
                        days: (done.date - d.due).num_days(),
                    },
                )
                .with_basis(task_basis(plan, task))
                .on(done.date),
            ),
            Some(_) => {}
            None if d.due < as_of => out.push(
                Finding::new(
                    Code::DeliverableOverdue,
                    places.at(d.id.span(), "tasks.deliverables"),
                    Msg::DeliverableOverdue {
                        id: id.clone(),
                        title: d.title.clone(),
                        due: d.due,
                        days: (as_of - d.due).num_days(),
                    },
                )
                .with_basis(task_basis(plan, task))
                .on(d.due)
                .standing(),
            ),
            None => {}
        }
    }
}

/// Whether an activity counts toward an obligation of a task.
pub fn satisfies(activity: &Activity, task: &Task, obligation: &Obligation) -> bool {
    activity.task() == task.id.get_ref()
        // Under a task that requires evidence, only an activity that names its record counts
        // ("họp giao ban … có hồ sơ cuộc họp" is not met by a meeting without minutes).
        && (!task.evidence_required || activity.evidence().is_some())
        && obligation
            .kind
            .as_ref()
            .is_none_or(|k| activity.kind.code() == k.get_ref())
        && obligation
            .officer
            .as_ref()
            .is_none_or(|o| activity.officers().any(|x| x == o.get_ref()))
}

/// The periods an obligation is checked over: those of its size within the plan's year that
/// the plan was in force for (see [`in_force`]).
pub fn obligation_periods(plan: &Plan, obligation: &Obligation) -> Vec<Period> {
    let scheme = plan.reporting.periods;
    let year = Period::year(scheme, plan.plan.year);
    Period::periods_in(scheme, Size::from(obligation.every), &year)
        .into_iter()
        .filter(|p| in_force(plan, p.start, p.end))
        .collect()
}

/// Whether a duty is judged over the days `from` to `end`: when the plan was in force for at
/// least half of them. A period that ends before the plan was issued is not judged, nor the
/// week it was issued on a Friday (the activities before the issue date count for nothing, see
/// [`Matches`]); a quarter or a year it was issued in is.
pub fn in_force(plan: &Plan, from: NaiveDate, end: NaiveDate) -> bool {
    let issued = plan.plan.issued;
    if end < issued {
        return false;
    }
    let days = (end - from).num_days() + 1;
    let in_force = (end - issued.max(from)).num_days() + 1;
    2 * in_force >= days
}

/// The activities of each task, in the order of `plan.tasks`, each in file order: sorted out in
/// one pass, for work done task by task. Activities of a task not in the plan are in none.
pub fn activities_by_task<'r>(plan: &Plan, records: &'r Records) -> Vec<Vec<&'r Activity>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, t) in plan.tasks.iter().enumerate() {
        index.entry(t.id.get_ref().as_str()).or_insert(i);
    }
    let mut out = vec![Vec::new(); plan.tasks.len()];
    for a in &records.activities {
        if let Some(&i) = index.get(a.task()) {
            out[i].push(a);
        }
    }
    // A task id given twice (a plan error, reported with --allow-errors) has them under both.
    for (i, t) in plan.tasks.iter().enumerate() {
        let first = index[t.id.get_ref().as_str()];
        if first != i {
            out[i] = out[first].clone();
        }
    }
    out
}

/// The dates of the activities that meet an obligation, dated from the plan's issue date (work
/// done before the plan is not a result of it) to `as_of`, in order: found once per
/// obligation, then counted per period by binary search.
pub struct Matches(Vec<NaiveDate>);

impl Matches {
    pub fn of(
        plan: &Plan,
        records: &Records,
        task: &Task,
        obligation: &Obligation,
        as_of: NaiveDate,
    ) -> Matches {
        Matches::among(plan, &records.activities, task, obligation, as_of)
    }

    /// The same among some of the activities (those of the task, say).
    pub fn among<'r>(
        plan: &Plan,
        activities: impl IntoIterator<Item = &'r Activity>,
        task: &Task,
        obligation: &Obligation,
        as_of: NaiveDate,
    ) -> Matches {
        let issued = plan.plan.issued;
        let mut dates: Vec<NaiveDate> = activities
            .into_iter()
            .filter(|a| issued <= a.date && a.date <= as_of && satisfies(a, task, obligation))
            .map(|a| a.date)
            .collect();
        dates.sort_unstable();
        Matches(dates)
    }

    /// How many fall in the period.
    pub fn count_in(&self, period: &Period) -> u32 {
        self.between(period.start, period.end).len() as u32
    }

    /// Their dates from `from` to `by`, both included (an occurrence's window).
    pub fn between(&self, from: NaiveDate, by: NaiveDate) -> &[NaiveDate] {
        let start = self.0.partition_point(|&d| d < from);
        let end = self.0.partition_point(|&d| d <= by).max(start);
        &self.0[start..end]
    }
}

/// The occurrences of an obligation that are judged at all: those whose window the plan was
/// in force for (see [`in_force`]).
pub fn judged_windows(plan: &Plan, obligation: &Obligation) -> Vec<crate::plan::Window> {
    obligation
        .windows(plan)
        .into_iter()
        .filter(|w| in_force(plan, w.from, w.by))
        .collect()
}

fn obligations(
    plan: &Plan,
    places: &PlanPlaces,
    records: &Records,
    (as_of, closed): (NaiveDate, NaiveDate),
    cal: &WorkCalendar,
    out: &mut Vec<Finding>,
) {
    let by_task = activities_by_task(plan, records);
    for (task, activities) in plan.tasks.iter().zip(&by_task) {
        for obligation in &task.obligations {
            let min = *obligation.min.get_ref();
            let matches = Matches::among(plan, activities.iter().copied(), task, obligation, as_of);
            let basis = || obligation.basis.clone().or_else(|| task_basis(plan, task));
            if !obligation.occurrences.is_empty() {
                // Named occurrences: each judged once its window is over, on its own.
                for w in judged_windows(plan, obligation) {
                    if w.by > closed || !cal.has_workday(w.from, w.by) {
                        continue;
                    }
                    let found = matches.between(w.from, w.by).len() as u32;
                    if found < w.min {
                        out.push(
                            Finding::new(
                                Code::ObligationMissed,
                                places.at(obligation.title.span(), "tasks.obligations"),
                                Msg::OccurrenceMissed {
                                    title: obligation.title.get_ref().clone(),
                                    name: w.name,
                                    task: task.id.get_ref().clone(),
                                    from: w.from,
                                    by: w.by,
                                    min: w.min,
                                    found,
                                },
                            )
                            .with_basis(basis())
                            .on(w.by),
                        );
                    }
                }
                continue;
            }
            for period in obligation_periods(plan, obligation) {
                // A period is judged once it is over.
                if period.end > closed {
                    continue;
                }
                // A week without a working day (Tết, a long holiday) is waived.
                if !cal.has_workday(period.start, period.end) {
                    continue;
                }
                let found = matches.count_in(&period);
                if found < min {
                    out.push(
                        Finding::new(
                            Code::ObligationMissed,
                            places.at(obligation.title.span(), "tasks.obligations"),
                            Msg::ObligationMissed {
                                period,
                                title: obligation.title.get_ref().clone(),
                                task: task.id.get_ref().clone(),
                                min,
                                found,
                            },
                        )
                        .with_basis(basis())
                        .on(period.end),
                    );
                }
            }
        }
    }
}

fn evidence(plan: &Plan, records: &Records, as_of: NaiveDate, out: &mut Vec<Finding>) {
    for a in &records.activities {
        if a.date > as_of || a.evidence().is_some() {
            continue;
        }
        let Some(task) = plan.task(a.task()) else {
            continue;
        };
        if task.evidence_required {
            out.push(
                Finding::new(
                    Code::EvidenceMissing,
                    records.location(Kind::Activities, a.at, "evidence"),
                    Msg::EvidenceMissing {
                        task: a.task().to_string(),
                        date: a.date,
                        summary: a.summary().to_string(),
                    },
                )
                .with_basis(task_basis(plan, task))
                .on(a.date),
            );
        }
    }
}

fn commitments(
    plan: &Plan,
    places: &PlanPlaces,
    records: &Records,
    as_of: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let Some(rule) = &plan.commitments else {
        return;
    };
    if as_of <= rule.due {
        return;
    }
    // Each officer's first registration, in one pass over the commitments (not one per officer).
    let mut firsts: HashMap<&str, NaiveDate> = HashMap::new();
    for c in records.commitments.iter().filter(|c| c.date <= as_of) {
        let first = firsts.entry(c.officer.as_str()).or_insert(c.date);
        *first = (*first).min(c.date);
    }
    for officer in plan.officers.iter().filter(|o| o.registers_commitments) {
        let id = officer.id.get_ref();
        let first = firsts.get(id.as_str()).copied();
        let late = match first {
            Some(date) if date <= rule.due => continue,
            Some(date) => Some(date),
            None => None,
        };
        let finding = Finding::new(
            Code::CommitmentMissing,
            places.at(officer.id.span(), "officers"),
            Msg::CommitmentMissing {
                officer: id.clone(),
                name: officer.name.clone(),
                due: rule.due,
                late,
            },
        )
        .with_basis(rule.basis.clone());
        out.push(match late {
            Some(date) => finding.on(date),
            None => finding.on(rule.due).standing(),
        });
    }
}

/// Task 11, the year-end rating: every officer on the roster rated for the plan's year and
/// their commitments judged by the plan's date (W320, W321); and, whatever the date, an officer
/// disciplined in the year rated above "Không hoàn thành nhiệm vụ" (W322).
fn ratings(
    plan: &Plan,
    places: &PlanPlaces,
    records: &Records,
    as_of: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let year = plan.plan.year;
    let rated: HashMap<&str, &OfficerRating> = (records.ratings.iter())
        .filter(|r| r.date <= as_of && i64::from(r.year) == i64::from(year))
        .map(|r| (r.officer.as_str(), r))
        .collect();
    if let Some(rule) = plan.ratings.as_ref().filter(|rule| as_of > rule.due) {
        for officer in &plan.officers {
            let id = officer.id.get_ref();
            if !rated.contains_key(id.as_str()) {
                out.push(
                    Finding::new(
                        Code::RatingMissing,
                        places.at(officer.id.span(), "officers"),
                        Msg::RatingMissing {
                            officer: id.clone(),
                            name: officer.name.clone(),
                            year,
                            due: rule.due,
                        },
                    )
                    .with_basis(rule.basis.clone())
                    .on(rule.due)
                    .standing(),
                );
            }
            let mut unjudged = (records.commitments.iter())
                .filter(|c| c.officer == *id && c.date <= as_of && c.met_by(as_of).is_none());
            if let Some(first) = unjudged.next() {
                out.push(
                    Finding::new(
                        Code::CommitmentUnjudged,
                        records.location(Kind::Commitments, first.at, "met"),
                        Msg::CommitmentsUnjudged {
                            officer: id.clone(),
                            name: officer.name.clone(),
                            count: 1 + unjudged.count(),
                            due: rule.due,
                        },
                    )
                    .with_basis(rule.basis.clone())
                    .on(rule.due)
                    .standing(),
                );
            }
        }
    }
    // Formal discipline (khiển trách or above) for a violation in the plan's year.
    let period = Period::year(plan.reporting.periods, year);
    for officer in &plan.officers {
        let id = officer.id.get_ref().as_str();
        let Some(rating) = rated.get(id).filter(|r| r.level != Level::Failed) else {
            continue;
        };
        let strongest = (records.violations.iter())
            .filter(|v| v.officer == id && v.date <= as_of && period.contains(v.date))
            .filter_map(|v| Some((v.action.filter(|a| a.is_discipline())?, v.date)))
            .max();
        let Some((action, date)) = strongest else {
            continue;
        };
        out.push(
            Finding::new(
                Code::RatingAboveDiscipline,
                records.location(Kind::Ratings, rating.at, "level"),
                Msg::RatingAboveDiscipline {
                    officer: id.to_string(),
                    name: officer.name.clone(),
                    year,
                    level: rating.level,
                    action,
                    date,
                },
            )
            .with_basis(Some(basis::discipline_rating(year).to_string()))
            .on(rating.date),
        );
    }
}

fn repeat_violations(plan: &Plan, records: &Records, as_of: NaiveDate, out: &mut Vec<Finding>) {
    let year = Period::year(plan.reporting.periods, plan.plan.year);
    let mut in_year: Vec<_> = records
        .violations
        .iter()
        .filter(|v| v.date <= as_of && year.contains(v.date))
        .collect();
    in_year.sort_by_key(|v| (v.date, v.at));
    let mut first: HashMap<&str, NaiveDate> = HashMap::new();
    for v in in_year {
        match first.get(v.officer.as_str()) {
            None => {
                first.insert(&v.officer, v.date);
            }
            Some(&earlier) => out.push(
                Finding::new(
                    Code::RepeatViolation,
                    records.location(Kind::Violations, v.at, "officer"),
                    Msg::RepeatViolation {
                        officer: v.officer.clone(),
                        name: plan
                            .officer(&v.officer)
                            .map(|o| o.name.clone())
                            .unwrap_or_default(),
                        first: earlier,
                        year: plan.plan.year,
                    },
                )
                .with_basis(
                    plan.task_ruling("violations")
                        .and_then(|task| task_basis(plan, task)),
                )
                .on(v.date),
            ),
        }
    }
}

/// The state of a dossier as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierState {
    /// Not yet received by then.
    NotYet,
    Open,
    Resolved,
    EndedWithoutResult,
}

pub fn dossier_state(d: &Dossier, as_of: NaiveDate) -> DossierState {
    match (d.received, d.returned) {
        (Some(r), _) if r > as_of => DossierState::NotYet,
        (None, _) => DossierState::NotYet,
        (_, Some(ret)) if ret <= as_of => {
            if d.without_result() {
                DossierState::EndedWithoutResult
            } else {
                DossierState::Resolved
            }
        }
        _ => DossierState::Open,
    }
}

/// What one span of the store gives ([`dossiers_of_span`]): the lapses its tally kept, by
/// record file and code, the names of the procedures they name, and the tally.
struct SpanLapses<T> {
    groups: Vec<Group>,
    procedures: Vec<Arc<str>>,
    tally: T,
}

/// The lapses kept of one record file and code: how many, and the first of them in output
/// order, each with its key ([`Group::key`]).
struct Group {
    file: u32,
    code: Code,
    /// The 1-based column their findings point at (0: the file has none).
    column: u64,
    /// How many were kept.
    count: usize,
    /// The first [`Lapses::per`] in output order (up to twice as many between two cuts).
    kept: Vec<(u128, DossierLapse)>,
    /// Once cut: the greatest key kept. A lapse with a greater one is not among the first.
    bound: Option<u128>,
}

impl Group {
    /// A lapse's place in output order (line, then column), then in the store's (its span,
    /// its place among the span's lapses): a number, so that the first of thousands are
    /// picked on small keys. Its low 64 bits alone are the store's order.
    fn key(line: u32, column: u64, span: usize, i: u32) -> u128 {
        u128::from(line) << 96 | u128::from(column) << 64 | (span as u128) << 32 | u128::from(i)
    }

    /// Whether a lapse with key `key` may be among the first `per`.
    fn may_take(&self, key: u128, per: usize) -> bool {
        per > 0 && self.bound.is_none_or(|bound| key < bound)
    }

    /// Takes a lapse [`Group::may_take`] allowed, cutting back to the first `per` when twice
    /// as many are held.
    fn take(&mut self, key: u128, lapse: DossierLapse, per: usize) {
        self.kept.push((key, lapse));
        if self.kept.len() >= per.saturating_mul(2) {
            self.cut(per);
        }
    }

    /// Keeps only the first `per`.
    fn cut(&mut self, per: usize) {
        if per > 0 && self.kept.len() > per {
            self.kept
                .select_nth_unstable_by_key(per - 1, |&(key, _)| key);
            self.kept.truncate(per);
            self.bound = self.kept.iter().map(|&(key, _)| key).max();
        }
    }
}

/// The spans' lapses put together in the store's order: the groups (each cut to its first
/// `per`), the procedures' names of each span, and the tallies merged (`None` without spans).
fn merge_spans<T: Tally>(
    spans: Vec<SpanLapses<T>>,
    per: usize,
) -> (Vec<Group>, Vec<Vec<Arc<str>>>, Option<T>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut procedures = Vec::with_capacity(spans.len());
    let mut tally: Option<T> = None;
    for span in spans {
        match &mut tally {
            Some(tally) => tally.merge(span.tally),
            None => tally = Some(span.tally),
        }
        procedures.push(span.procedures);
        for group in span.groups {
            match (groups.iter_mut()).find(|g| (g.file, g.code) == (group.file, group.code)) {
                Some(into) => {
                    into.count += group.count;
                    for (key, lapse) in group.kept {
                        if into.may_take(key, per) {
                            into.take(key, lapse, per);
                        }
                    }
                }
                None => groups.push(group),
            }
        }
    }
    for group in &mut groups {
        group.cut(per);
    }
    (groups, procedures, tally)
}

/// A dossier's lapse, as [`dossiers_of_span`] finds it: what its finding is made of, without
/// the place's file name, the message or the basis, which the findings of all dossiers share.
/// 64 bytes: where every lapse is made a finding (`export findings`), a province's 300,000 are
/// held until they are.
#[derive(Clone)]
struct DossierLapse {
    code: Code,
    /// The row the finding points at (its column: [`DossierLapse::column`]).
    at: RowRef,
    id: crate::text::Short,
    /// The procedure's name: its place in its span's [`SpanLapses::procedures`].
    procedure: u32,
    due: NaiveDate,
    /// The day the dossier was returned (W308), the working days it is overdue (W307).
    returned: NaiveDate,
    workdays: u32,
    /// The day the finding is about.
    date: NaiveDate,
}

impl DossierLapse {
    /// The column a lapse's finding points at: the date it is about.
    fn column(code: Code) -> &'static str {
        match code {
            Code::DossierOverdue => "due",
            Code::LateWithoutReason => "returned",
            _ => "apology",
        }
    }

    fn finding(
        self,
        procedures: &[Arc<str>],
        places: &mut Locator<'_>,
        basis: &Option<Arc<str>>,
        apology: &Option<Arc<str>>,
    ) -> Finding {
        let DossierLapse {
            code,
            at,
            id,
            procedure,
            due,
            returned,
            workdays,
            date,
        } = self;
        let procedure = procedures[procedure as usize].clone();
        let location = places.location(Kind::Dossiers, at, DossierLapse::column(code));
        match code {
            Code::DossierOverdue => Finding::new(
                code,
                location,
                Msg::DossierOverdue {
                    id,
                    procedure,
                    due,
                    workdays,
                },
            )
            .with_shared_basis(basis.clone())
            .on(date)
            .standing(),
            Code::LateWithoutReason => Finding::new(
                code,
                location,
                Msg::LateWithoutReason {
                    id,
                    procedure,
                    due,
                    returned,
                },
            )
            .with_shared_basis(basis.clone())
            .on(date),
            _ => Finding::new(
                code,
                location,
                Msg::LateWithoutApology { id, procedure, due },
            )
            .with_shared_basis(apology.clone())
            .on(date),
        }
    }
}

/// The dossiers' lapses, span by span in the store's order, each span's counted and kept as
/// `lapses` asks.
fn dossier_lapses<T: Tally, F: Fn() -> T + Sync>(
    plan: &Plan,
    records: &Records,
    dossiers: &Dossiers,
    as_of: NaiveDate,
    cal: &WorkCalendar,
    lapses: &Lapses<F>,
) -> Vec<SpanLapses<T>> {
    // A province's million dossiers, in spans taken in turn by two threads (the dossiers with
    // findings bunch up: the open ones are the last received); the lapses then in the order
    // of the spans, that of the store.
    const SPAN: usize = 8 * 1024;
    let spans: Vec<(usize, Span)> = dossiers.spans(SPAN).into_iter().enumerate().collect();
    crate::par::in_turn(&spans, 2, |(s, span)| {
        dossiers_of_span(plan, records, dossiers, (*s, span), (as_of, cal), lapses)
    })
}

/// The lapses of span `s` of the store, judged as of a date with the plan's calendar: each
/// shown to a new tally, and of those it keeps, the first of each file and code held (only
/// those are made whole: the dossier's id is read for them alone).
fn dossiers_of_span<T: Tally, F: Fn() -> T>(
    plan: &Plan,
    records: &Records,
    dossiers: &Dossiers,
    (s, span): (usize, &Span),
    (as_of, cal): (NaiveDate, &WorkCalendar),
    lapses: &Lapses<F>,
) -> SpanLapses<T> {
    let per = lapses.per;
    let mut tally = (lapses.tally)();
    let mut groups: Vec<Group> = Vec::new();
    // The group of the lapse before, which the next one is most often in.
    let mut last = 0;
    // The lapses found so far in the span.
    let mut found = 0u32;
    // The procedures' names, each made once a span and shared by its lapses.
    let mut procedures: Vec<Arc<str>> = Vec::new();
    let mut named: HashMap<Option<Sym>, u32> = HashMap::new();
    let mut places = records.locator();
    for d in dossiers.iter_span(span) {
        let Some(due) = d.due else { continue };
        // One lapse of the dossier: counted, and held if among the first of its group.
        let mut lapse = |code, at: RowRef, due, returned, workdays, date| {
            let procedure = *named.entry(d.procedure).or_insert_with(|| {
                let key = d.procedure().unwrap_or_default();
                procedures.push(plan.procedure_name(key).into());
                procedures.len() as u32 - 1
            });
            let i = found;
            found += 1;
            let view = LapseView {
                code,
                file: places.name(at.file),
                line: u64::from(at.line),
                date,
                standing: code == Code::DossierOverdue,
                procedure: &procedures[procedure as usize],
            };
            if !tally.keep(&view) {
                return;
            }
            if groups
                .get(last)
                .is_none_or(|g| (g.file, g.code) != (at.file, code))
            {
                last = match groups
                    .iter()
                    .position(|g| (g.file, g.code) == (at.file, code))
                {
                    Some(at) => at,
                    None => {
                        let column = places
                            .column(Kind::Dossiers, at.file, DossierLapse::column(code))
                            .map_or(0, |c| c + 1);
                        groups.push(Group {
                            file: at.file,
                            code,
                            column,
                            count: 0,
                            kept: Vec::new(),
                            bound: None,
                        });
                        groups.len() - 1
                    }
                };
            }
            let group = &mut groups[last];
            group.count += 1;
            let key = Group::key(at.line, group.column, s, i);
            if group.may_take(key, per) {
                let lapse = DossierLapse {
                    code,
                    at,
                    id: (&*d.id()).into(),
                    procedure,
                    due,
                    returned,
                    workdays,
                    date,
                };
                group.take(key, lapse, per);
            }
        };
        // Judged against the date that stands: a request for more papers stops the clock.
        let judged = d.judged_due();
        let late_or_overdue = match dossier_state(&d, as_of) {
            DossierState::Open if judged.is_some_and(|j| j < as_of) => {
                let due = judged.unwrap_or(due);
                let workdays = cal.workdays_between(due, as_of);
                lapse(Code::DossierOverdue, d.opened(), due, due, workdays, due);
                true
            }
            DossierState::Resolved => {
                let returned = d.returned.unwrap_or(due);
                let late = judged.is_some_and(|j| returned > j);
                if late && !d.has_late_reason {
                    let at = d.returned_at();
                    lapse(Code::LateWithoutReason, at, due, returned, 0, returned);
                }
                late
            }
            _ => false,
        };
        if late_or_overdue && d.apology.is_none_or(|a| a > as_of) {
            let date = d.returned.filter(|&r| r <= as_of).unwrap_or(due);
            lapse(Code::LateWithoutApology, d.opened(), due, due, 0, date);
        }
    }
    SpanLapses {
        groups,
        procedures,
        tally,
    }
}

/// A plan folder for the tests of lapses (with the repository's plan.toml): `n` dossiers
/// received over `days` days from `first`, out of the order of their lines, each due ten days
/// after, of `procedures` in turn; every third returned two days late without a reason by rows
/// at the end of the file, in the other order (the store's order is then not that of the lines
/// those findings point at), the others never returned. The folder, the plan's text, the plan,
/// the records.
#[cfg(test)]
pub(crate) fn lapse_folder(
    n: i64,
    first: NaiveDate,
    days: i64,
    procedures: &[&str],
) -> (tempfile::TempDir, String, Plan, Records) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), include_str!("../plan.toml")).unwrap();
    let mut rows = String::from("id,procedure,received,due,returned,officer\n");
    let mut later = Vec::new();
    let on = |n: i64| (first + chrono::Duration::days(n)).to_string();
    for i in 0..n {
        let received = i * 37 % days;
        let (r, due) = (on(received), on(received + 10));
        let procedure = procedures[i as usize % procedures.len()];
        rows.push_str(&format!("T-{i:04},{procedure},{r},{due},,dc1\n"));
        if i % 3 == 0 {
            later.push(format!("T-{i:04},,,,{},\n", on(received + 12)));
        }
    }
    rows.extend(later.into_iter().rev());
    std::fs::create_dir(dir.path().join("records")).unwrap();
    std::fs::write(dir.path().join("records/dossiers.csv"), rows).unwrap();
    let (source, loaded) = Plan::load(dir.path()).unwrap();
    let plan = loaded.plan.expect("the plan loads");
    let records = crate::records::load(dir.path(), &plan).unwrap().records;
    (dir, source, plan, records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{self, Shown};

    /// A lapse is held until it is made a finding, where every one is (`export findings`): a
    /// province's 300,000 of them in 19 MB, not the 29 MB they took with their column's name
    /// and procedure's name in each.
    #[test]
    fn a_lapse_takes_64_bytes() {
        assert!(
            size_of::<DossierLapse>() <= 64,
            "{}",
            size_of::<DossierLapse>()
        );
    }

    /// What `check` would print: each finding's place and code, each count of the rest.
    fn described(shown: &[Shown<'_>]) -> Vec<String> {
        shown
            .iter()
            .map(|s| match s {
                Shown::Finding(f) => format!("{} {}", f.location.display(), f.code.as_str()),
                Shown::More { file, code, count } => format!("{file} {} +{count}", code.as_str()),
            })
            .collect()
    }

    #[test]
    fn the_kept_lapses_show_what_the_whole_list_cut_short_shows() {
        // Enough dossiers for three spans of the store, whose kept lapses are merged.
        let first = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let (_dir, source, plan, records) = lapse_folder(20_000, first, 200, &["dd-hoa-giai"]);
        assert!(records.dossiers.spans(8 * 1024).len() >= 3);
        let as_of = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
        let work = |per, keep: &(dyn Fn(u64) -> bool + Sync)| {
            let lapses = Lapses {
                per,
                tally: || KeepIf(|lapse: &LapseView<'_>| keep(lapse.line)),
            };
            let closed = closed_through(as_of);
            let (work, _) = work_after(
                &plan,
                &source,
                &records,
                &records.dossiers,
                as_of,
                closed,
                lapses,
            );
            work.findings(Vec::new(), &records)
        };
        let all = work_findings(&plan, &source, &records, as_of, closed_through(as_of));
        // Kept: every place, then only the even lines (as `check --since` keeps new rows).
        let keeps: [&(dyn Fn(u64) -> bool + Sync); 2] = [&|_| true, &|line| line % 2 == 0];
        for keep in keeps {
            for per in [1, 7, 100, 1000, 100_000] {
                let mut all = all.clone();
                all.retain(|f| f.location.line.is_none_or(keep));
                findings::sort(&mut all);
                let want = described(&findings::bounded(&all, per, &[]));
                let (mut some, omitted) = work(per, keep);
                // The other findings are kept after, as `check` keeps them.
                some.retain(|f| f.location.line.is_none_or(keep));
                findings::sort(&mut some);
                let got = described(&findings::bounded(&some, per, &omitted));
                assert_eq!(got, want, "{per} a code");
                // Of the dossiers' three codes, at most `per` each were made findings.
                let lapse = |f: &&Finding| {
                    let dossier_codes = [
                        Code::DossierOverdue,
                        Code::LateWithoutReason,
                        Code::LateWithoutApology,
                    ];
                    dossier_codes.contains(&f.code)
                };
                let lapses = all.iter().filter(lapse).count();
                assert!(lapses > 10_000, "{lapses} lapses");
                let made = some.iter().filter(lapse).count();
                assert!(made <= 3 * per && made <= lapses, "{made} made of {lapses}");
                let left_out: usize = omitted.iter().map(|o| o.count).sum();
                assert_eq!(made + left_out, lapses, "{per} a code");
            }
        }
    }
}
