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
    work_after(
        before,
        plan,
        source,
        records,
        &records.dossiers,
        as_of,
        closed,
    )
    .findings(records)
}

/// The work findings, the dossiers' still as compact lapses ([`Work::findings`] makes them
/// findings): a province's 300,000 lapses take less than half the room of their findings, and
/// they no longer need the dossier store, which can be freed before they become findings.
pub struct Work {
    /// `before`, then the findings of the other records.
    findings: Vec<Finding>,
    /// The dossiers' lapses, span by span in the store's order.
    lapses: Vec<SpanLapses>,
    /// The bases their findings cite: the one-stop rules, the letter of apology.
    basis: Option<Arc<str>>,
    apology: Option<Arc<str>>,
}

impl Work {
    /// The findings in [`work_findings_after`]'s order. Of `records`, only the files' names
    /// and headers are read: its dossier store may be empty by now.
    pub fn findings(self, records: &Records) -> Vec<Finding> {
        let Work {
            findings: mut out,
            lapses,
            basis,
            apology,
        } = self;
        out.reserve(lapses.iter().map(|span| span.lapses.len()).sum::<usize>());
        // Span by span, each span's list freed once read: never held twice as findings.
        let mut places = records.locator();
        for span in lapses {
            let names = &span.procedures;
            out.extend(
                (span.lapses.into_iter())
                    .map(|lapse| lapse.finding(names, &mut places, &basis, &apology)),
            );
        }
        out
    }

    /// [`Work::findings`] for an output that shows at most `per` findings of one code in one
    /// file (`check`, a report's examples): of the dossiers' lapses that `keep` keeps, only
    /// those that can be shown become findings (each file's and code's first `per`, in output
    /// order); the others are counted. `keep` sees each lapse once, in the store's order (a
    /// report counts them as they go by). A province's 300,000 lapses then cost a pass over
    /// small keys, not 300,000 findings sorted and all but a few hundred thrown away.
    pub fn findings_within(
        self,
        records: &Records,
        per: usize,
        mut keep: impl FnMut(&LapseView<'_>) -> bool,
    ) -> (Vec<Finding>, Vec<Omitted>) {
        let Work {
            findings: mut out,
            lapses,
            basis,
            apology,
        } = self;
        let mut places = records.locator();
        // Per file and code, each lapse kept by its place in output order (line, column) and
        // in the store (which orders lapses at one place, as the stable sort of all would).
        let mut groups: Vec<((u32, Code), Vec<u128>)> = Vec::new();
        let mut columns: Vec<((u32, Code), u64)> = Vec::new();
        // The group of the lapse before, which the next one is most often in.
        let mut last = 0;
        for (s, span) in lapses.iter().enumerate() {
            for (i, lapse) in span.lapses.iter().enumerate() {
                let (file, line) = (lapse.at.file, lapse.at.line);
                let view = LapseView {
                    code: lapse.code,
                    file: places.name(file),
                    line: u64::from(line),
                    date: lapse.date,
                    standing: lapse.code == Code::DossierOverdue,
                    procedure: &span.procedures[lapse.procedure as usize],
                };
                if !keep(&view) {
                    continue;
                }
                let column = match columns.iter().find(|(k, _)| *k == (file, lapse.code)) {
                    Some(&(_, c)) => c,
                    None => {
                        let c = places
                            .column(Kind::Dossiers, file, DossierLapse::column(lapse.code))
                            .map_or(0, |c| c + 1);
                        columns.push(((file, lapse.code), c));
                        c
                    }
                };
                let key = u128::from(line) << 96
                    | u128::from(column) << 64
                    | (s as u128) << 32
                    | i as u128;
                let group = (file, lapse.code);
                if groups.get(last).is_none_or(|(g, _)| *g != group) {
                    last = match groups.iter().position(|(g, _)| *g == group) {
                        Some(at) => at,
                        None => {
                            groups.push((group, Vec::new()));
                            groups.len() - 1
                        }
                    };
                }
                groups[last].1.push(key);
            }
        }
        let mut omitted = Vec::new();
        let mut shown: Vec<(u32, u32)> = Vec::new();
        for ((file, code), mut keys) in groups {
            if keys.len() > per {
                omitted.push(Omitted {
                    file: places.name(file).clone(),
                    code,
                    count: keys.len() - per,
                });
                if per > 0 {
                    keys.select_nth_unstable(per - 1);
                }
                keys.truncate(per);
            }
            shown.extend(keys.iter().map(|&k| ((k >> 32) as u32, k as u32)));
        }
        shown.sort_unstable();
        out.extend(shown.into_iter().map(|(s, i)| {
            let span = &lapses[s as usize];
            let lapse = span.lapses[i as usize].clone();
            lapse.finding(&span.procedures, &mut places, &basis, &apology)
        }));
        // The rest are not read again: freed on a thread of their own.
        crate::par::free_meanwhile(lapses);
        (out, omitted)
    }
}

/// A dossier's lapse as [`Work::findings_within`] shows it to the caller, before it is a
/// finding (if it ever is): what the finding would say of it.
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

/// [`work_findings_after`], the dossiers' findings left as lapses ([`Work`]). The dossiers are
/// those of `dossiers`, not of `records` (`&records.dossiers`, or the store a report took out
/// of them, so that it can free it while the rest of the records stay borrowed).
pub fn work_after(
    before: Vec<Finding>,
    plan: &Plan,
    source: &str,
    records: &Records,
    dossiers: &Dossiers,
    as_of: NaiveDate,
    closed: NaiveDate,
) -> Work {
    let cal = calendar(plan);
    // The dossiers (a province's million) on two threads, the rest meanwhile on a third.
    let (lapses, rest) = crate::par::join(
        || dossier_lapses(plan, dossiers, as_of, &cal),
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
    let mut findings = before;
    findings.extend(rest);
    Work {
        findings,
        lapses,
        basis: Some(
            basis::one_stop(
                plan.task_ruling("dossiers")
                    .and_then(|task| task_basis(plan, task)),
            )
            .into(),
        ),
        apology: Some(basis::APOLOGY.into()),
    }
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

/// The lapses of one span of dossiers ([`dossiers_of_span`]), and the names of the procedures
/// they name.
struct SpanLapses {
    lapses: Vec<DossierLapse>,
    procedures: Vec<Arc<str>>,
}

/// A dossier's lapse, as [`dossiers_of_span`] finds it: what its finding is made of, without
/// the place's file name, the message or the basis, which the findings of all dossiers share.
/// 64 bytes: a province's 300,000 lapses are held until they are counted or made findings.
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

/// The dossiers' lapses, span by span in the store's order.
fn dossier_lapses(
    plan: &Plan,
    dossiers: &Dossiers,
    as_of: NaiveDate,
    cal: &WorkCalendar,
) -> Vec<SpanLapses> {
    // A province's million dossiers, in spans taken in turn by two threads (the dossiers with
    // findings bunch up: the open ones are the last received); the lapses then in the order
    // of the spans, that of the store.
    const SPAN: usize = 8 * 1024;
    let spans = dossiers.spans(SPAN);
    crate::par::in_turn(&spans, 2, |span| {
        dossiers_of_span(plan, dossiers, span, as_of, cal)
    })
}

fn dossiers_of_span(
    plan: &Plan,
    dossiers: &Dossiers,
    span: &Span,
    as_of: NaiveDate,
    cal: &WorkCalendar,
) -> SpanLapses {
    let mut out = Vec::new();
    // The procedures' names, each made once a span and shared by its lapses.
    let mut procedures: Vec<Arc<str>> = Vec::new();
    let mut named: HashMap<&str, u32> = HashMap::new();
    for d in dossiers.iter_span(span) {
        let Some(due) = d.due else { continue };
        // Named only for a dossier that has a finding: most have none.
        let mut procedure = || {
            let key = d.procedure().unwrap_or_default();
            *named.entry(key).or_insert_with(|| {
                procedures.push(plan.procedure_name(key).into());
                procedures.len() as u32 - 1
            })
        };
        // Judged against the date that stands: a request for more papers stops the clock.
        let judged = d.judged_due();
        let lapse = |code, at, returned, workdays, date, procedure| DossierLapse {
            code,
            at,
            id: (&*d.id()).into(),
            procedure,
            due,
            returned,
            workdays,
            date,
        };
        let late_or_overdue = match dossier_state(&d, as_of) {
            DossierState::Open if judged.is_some_and(|j| j < as_of) => {
                let due = judged.unwrap_or(due);
                out.push(DossierLapse {
                    due,
                    ..lapse(
                        Code::DossierOverdue,
                        d.opened(),
                        due,
                        cal.workdays_between(due, as_of),
                        due,
                        procedure(),
                    )
                });
                true
            }
            DossierState::Resolved => {
                let returned = d.returned.unwrap_or(due);
                let late = judged.is_some_and(|j| returned > j);
                if late && !d.has_late_reason {
                    out.push(lapse(
                        Code::LateWithoutReason,
                        d.returned_at(),
                        returned,
                        0,
                        returned,
                        procedure(),
                    ));
                }
                late
            }
            _ => false,
        };
        if late_or_overdue && d.apology.is_none_or(|a| a > as_of) {
            out.push(lapse(
                Code::LateWithoutApology,
                d.opened(),
                due,
                0,
                d.returned.filter(|&r| r <= as_of).unwrap_or(due),
                procedure(),
            ));
        }
    }
    // Held to the end beside the other spans'.
    out.shrink_to_fit();
    SpanLapses {
        lapses: out,
        procedures,
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

    /// A lapse is held until it is counted or made a finding: a province's 300,000 of them in
    /// 19 MB, not the 29 MB they took with their column's name and procedure's name in each.
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
    fn findings_within_shows_what_the_whole_list_cut_short_shows() {
        let first = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let (_dir, source, plan, records) = lapse_folder(300, first, 200, &["dd-hoa-giai"]);
        let as_of = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
        let work = || {
            let closed = closed_through(as_of);
            work_after(
                Vec::new(),
                &plan,
                &source,
                &records,
                &records.dossiers,
                as_of,
                closed,
            )
        };
        // Kept: every place, then only the even lines (as `check --since` keeps new rows).
        let keeps: [&dyn Fn(u64) -> bool; 2] = [&|_| true, &|line| line % 2 == 0];
        for keep in keeps {
            for per in [1, 7, 100, 1000] {
                let mut all = work().findings(&records);
                all.retain(|f| f.location.line.is_none_or(keep));
                findings::sort(&mut all);
                let want = described(&findings::bounded(&all, per, &[]));
                let (mut some, omitted) =
                    work().findings_within(&records, per, |lapse| keep(lapse.line));
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
                assert!(lapses > 200, "{lapses} lapses");
                let made = some.iter().filter(lapse).count();
                assert!(made <= 3 * per && made <= lapses, "{made} made of {lapses}");
            }
        }
    }
}
