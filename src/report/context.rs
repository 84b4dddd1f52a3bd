//! The report context: everything a report says, built once from plan + records + as-of date.
//!
//! It is serialisable data (documented field by field in docs/reports.md): the built-in
//! templates read it, users' own templates read it, and `--format json` prints it. Everything is
//! judged as of T = min(as-of, end of the period): a report of a closed period counts what was
//! recorded by its last day, whenever it is run.
//!
//! At a province's scale it is built in two steps, so that it never holds what it reads twice:
//! the dossiers are counted first ([`count_dossiers`]) and can then be dropped; the context
//! ([`build`]) borrows the activities, the plan and the work findings, and reads them as it is
//! written out.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::ser::SerializeStruct as _;
use serde::{Serialize, Serializer};

use super::stats::{self, DossierStats};
use crate::calendar::WorkCalendar;
use crate::check::{self, DossierState};
use crate::findings::{Code, Finding, Severity};
use crate::messages::Lang;
use crate::period::{Period, Size};
use crate::plan::{Deliverable, Every, Obligation, Plan, Task};
use crate::records::{
    Action, Activity, ActivityKind, Channel, Dossiers, Fulfilment, Level, Rating, Records,
};

mod charts;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Quarter,
    Half,
    Year,
    Officers,
    /// A month's one-stop statistics.
    Month,
}

impl ReportKind {
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Quarter => "quarter",
            ReportKind::Half => "half",
            ReportKind::Year => "year",
            ReportKind::Officers => "officers",
            ReportKind::Month => "month",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportContext<'a> {
    /// `quarter`, `half`, `year` or `officers`.
    pub kind: ReportKind,
    pub generated: Generated,
    pub document: Document,
    pub plan: PlanInfo,
    pub period: PeriodInfo,
    pub tasks: Vec<TaskReport<'a>>,
    pub dossiers: DossierStats,
    pub violations: Violations,
    pub commendations: Commendations,
    pub feedback: FeedbackStats,
    /// The warnings of the period, as of T: counted, with the first few of each code shown one
    /// by one (the whole list is `check --format json`'s).
    pub findings: Findings<'a>,
    /// The work of the period done before the plan was issued: shown apart, not a result of
    /// the plan, not counted toward its duties; `null` when there is none.
    pub before_plan: Option<BeforePlan<'a>>,
    /// Tồn tại, hạn chế: the same warnings as sentences, grouped (all missed weeks of one duty
    /// in one sentence, all late dossiers without a reason in one).
    pub shortcomings: Vec<String>,
    /// Phương hướng: what falls due in the next period.
    pub next: NextPeriod,
    /// Year report only: the four quarters side by side.
    pub trend: Option<Vec<TrendRow>>,
    /// Officers report only: one row per officer of the roster.
    pub officers: Option<Vec<OfficerRow>>,
    /// Officers report only: the year's ratings counted by level (task 11).
    pub ratings: Option<RatingSummary>,
    /// The figures drawn as charts in HTML and set out as tables in DOCX (see `charts.rs`).
    pub charts: super::charts::Charts,
    /// What the report was built from: commit, dirty or clean, digest of the bytes read
    /// (computed once, by `history::provenance`, and set by the command).
    pub provenance: Option<crate::history::provenance::Provenance>,
    /// The annex: the records of the period corrected or voided by a later row, which the
    /// Chairman signs with the report (docs/records.md).
    pub changes: Vec<ChangeInfo>,
}

/// A correction or a void of a record of the period (see [`ReportContext::changes`]).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeInfo {
    /// The record's kind: `activities`, `dossiers`, …
    pub kind: crate::records::Kind,
    /// The kind in Vietnamese: "Vi phạm, kỷ luật".
    pub kind_label: &'static str,
    /// The record, as the change row named it: its id, or `file:line`.
    pub record: String,
    /// The record's date (a dossier's received date), before the change.
    pub date: NaiveDate,
    /// `correct` or `void`.
    pub how: crate::records::ChangeHow,
    /// "Đính chính" or "Hủy".
    pub how_label: &'static str,
    /// The facts a correction replaced: column, old value, new value.
    pub facts: Vec<FactChange>,
    /// The same in one line, the columns by their Vietnamese headers: "Cán bộ vi phạm: vp1 →
    /// vp3; Hình thức xử lý: (trống) → reprimand".
    pub summary: String,
    /// Who changed it and why (the row's `why`).
    pub why: String,
    /// Where the change row is: `records/violations.csv:9`.
    pub place: String,
}

/// One fact a correction replaced.
#[derive(Debug, Clone, Serialize)]
pub struct FactChange {
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The as-of date given (or today).
    pub as_of: NaiveDate,
    /// The date everything is judged at: min(as_of, period end).
    pub judged_at: NaiveDate,
    /// True before the period's data cut-off: the as-of date is before the period's last day.
    pub provisional: bool,
    /// Data errors found (the report is refused with errors unless --allow-errors).
    pub data_errors: usize,
    pub tool: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// "Số: …/BC-UBND": the number, when `--number` gave it; empty for the văn thư to fill.
    pub number: Option<String>,
    pub symbol: String,
    pub authority: String,
    /// The name in capitals, as the header prints it.
    pub authority_upper: String,
    pub parent_authority: Option<String>,
    pub parent_authority_upper: Option<String>,
    pub place: String,
    /// The document date: the as-of date, or the period's end for a closed period.
    pub date: NaiveDate,
    /// "Sơn Hồng, ngày 14 tháng 12 năm 2021".
    pub place_date: String,
    /// Tên loại: "BÁO CÁO".
    pub doc_type: String,
    /// Trích yếu: "Kết quả thực hiện kỷ luật, kỷ cương hành chính Quý IV năm 2021".
    pub title: String,
    /// "Kính gửi:": `[reporting.addressees]` of this kind of report; empty for no such line.
    pub addressees: Vec<String>,
    /// "Nơi nhận": the addressees first, then `[reporting] recipients` (each name once).
    pub recipients: Vec<String>,
    pub signer: Signer,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    pub authority_line: String,
    pub title: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub number: String,
    pub title: String,
    pub year: i32,
    pub issued: NaiveDate,
    pub authority: String,
    /// "Kế hoạch số 06/KH-UBND ngày 15/01/2021 của Ủy ban nhân dân xã Sơn Hồng về …".
    pub citation: String,
    /// The tasks the officers report is made under: those whose `records` name commendations
    /// (emulation) or commitments (the year-end rating), in the plan's order.
    pub officers_tasks: Vec<TaskCite>,
}

/// A task as a report cites it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskCite {
    pub id: String,
    /// "nhiệm vụ 7", or the task's own `cite` ("mục II.8").
    pub cite: String,
    /// The task's title without its closing ":" or ".".
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub code: String,
    /// "Quý IV năm 2021".
    pub label: String,
    pub short_label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// `nd09` or `calendar`.
    pub scheme: crate::plan::Scheme,
    pub size: Size,
}

impl PeriodInfo {
    fn from(p: &Period) -> PeriodInfo {
        PeriodInfo {
            code: p.code(),
            label: p.label(),
            short_label: p.short_label(),
            start: p.start,
            end: p.end,
            scheme: p.scheme,
            size: p.size,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskReport<'a> {
    pub id: String,
    pub title: String,
    pub timing: Option<String>,
    pub responsible: Vec<String>,
    pub activities: Activities<'a>,
    /// The activities of a kind a weekly duty of the task asks for (the Chairman's citizen
    /// reception), summed up rather than listed: "Tiếp công dân: 50 buổi, 110 lượt công dân".
    pub routine: Vec<Routine>,
    /// Their kinds: the templates list the task's other activities one by one.
    pub routine_kinds: Vec<&'static str>,
    pub deliverables: Vec<DeliverableInfo>,
    pub obligations: Vec<ObligationInfo>,
    /// Under the task whose `records` name `lapses` (task 10, the reporting regime): the units
    /// and officers that did not report, or reported wrongly, recorded in the period, by date;
    /// `null` under the other tasks.
    pub lapses: Option<Vec<LapseInfo>>,
}

/// A reporting lapse (records/lapses.csv), with the names a report prints.
#[derive(Debug, Clone, Serialize)]
pub struct LapseInfo {
    pub date: NaiveDate,
    pub unit: Option<String>,
    pub officer: Option<String>,
    /// Who failed: the officer's name (with the unit's), or the unit's name.
    pub who: String,
    pub report: String,
    pub period: Option<String>,
    /// `missing`, `late` or `wrong`, and its label ("Không báo cáo").
    pub lapse: &'static str,
    pub lapse_label: &'static str,
    pub note: Option<String>,
}

fn lapse_info(plan: &Plan, l: &crate::records::ReportingLapse) -> LapseInfo {
    let unit_name = |id: &str| {
        (plan.units.iter())
            .find(|u| u.id.get_ref() == id)
            .map_or_else(|| id.to_string(), |u| u.name.clone())
    };
    let who = match (&l.officer, &l.unit) {
        (Some(o), Some(u)) => format!("{} ({})", officer_name(plan, o), unit_name(u)),
        (Some(o), None) => officer_name(plan, o).to_string(),
        (None, Some(u)) => unit_name(u),
        (None, None) => String::new(),
    };
    LapseInfo {
        date: l.date,
        unit: l.unit.clone(),
        officer: l.officer.clone(),
        who,
        report: l.report.clone(),
        period: l.period.clone(),
        lapse: l.lapse.code(),
        lapse_label: l.lapse.label(),
        note: l.note.clone(),
    }
}

/// A feedback the officers report lists under the officer it names.
#[derive(Debug, Clone, Serialize)]
pub struct FeedbackNote {
    pub date: NaiveDate,
    pub channel: &'static str,
    pub channel_label: &'static str,
    pub summary: Option<String>,
    /// The day it was answered, when by T.
    pub handled: Option<NaiveDate>,
}

/// How many of a task's activities of the period a report lists one by one, at most: the
/// others are counted (`total`, `by_kind`), so that a report's size is bounded by the plan, not
/// by the data (see [`listed`]).
pub const ACTIVITIES_LISTED: usize = 60;

/// How many warnings of each code a report shows one by one, at most: the first in the order
/// `check` prints them (by file, line, column). All are counted.
pub const EXAMPLES_PER_CODE: usize = 20;

/// How many dossiers of each lapse "Tồn tại, hạn chế" names (the first in check order; the
/// rest are counted). They are among the examples, the only lapses made findings.
const DOSSIERS_NAMED: usize = 10;
const _: () = assert!(DOSSIERS_NAMED <= EXAMPLES_PER_CODE);

/// The activities of the period dated before the plan's issue date (see
/// [`ReportContext::before_plan`]).
#[derive(Debug, Clone, Serialize)]
pub struct BeforePlan<'a> {
    /// The first and the last day they can fall on: the period's start, the day before the
    /// plan's issue date.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Counted per kind and listed as a task's are, the routine kinds of all tasks summed up.
    pub activities: Activities<'a>,
    pub routine: Vec<Routine>,
}

/// Routine activities of one kind in the period, summed up.
#[derive(Debug, Clone, Serialize)]
pub struct Routine {
    pub kind: &'static str,
    pub label: &'static str,
    /// How many (sessions, meetings).
    pub count: usize,
    /// The sum of their `participants` (citizens received, people present).
    pub participants: u64,
    /// The sentence the built-in templates print, without a full stop.
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Activities<'a> {
    pub total: usize,
    pub by_kind: Vec<KindCount>,
    /// At most [`ACTIVITIES_LISTED`] of them, by date (all of them when there are no more).
    pub list: Vec<ActivityInfo<'a>>,
    /// How many are counted but not listed: `total - list.len()`.
    pub not_listed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// An activity of the period as the report shows it, its officers by name: read from the record
/// as it is written out, so that a province's year of activities is not copied first.
#[derive(Debug, Clone, Copy)]
pub struct ActivityInfo<'a> {
    pub activity: &'a Activity,
    plan: &'a Plan,
}

impl Serialize for ActivityInfo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (a, plan) = (self.activity, self.plan);
        let officers = a.officers().map(|id| officer_name(plan, id));
        let mut out = s.serialize_struct("ActivityInfo", 8)?;
        out.serialize_field("date", &crate::dates::Iso(a.date))?;
        out.serialize_field("kind", a.kind.code())?;
        out.serialize_field("kind_label", a.kind.label())?;
        out.serialize_field("summary", a.summary())?;
        out.serialize_field("officers", &Seq(officers))?;
        out.serialize_field("evidence", &a.evidence())?;
        out.serialize_field("deliverable", &a.deliverable())?;
        out.serialize_field("participants", &a.participants)?;
        out.end()
    }
}

/// A sequence written out from an iterator.
struct Seq<I>(I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// An officer's name, or the id itself when the roster has no such officer.
fn officer_name<'a>(plan: &'a Plan, id: &'a str) -> &'a str {
    plan.officer(id).map_or(id, |o| o.name.as_str())
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliverableInfo {
    pub id: String,
    pub title: String,
    pub due: NaiveDate,
    pub owner: Option<String>,
    /// `done`, `done_late`, `overdue` or `pending`.
    pub status: DeliverableStatus,
    pub status_label: &'static str,
    pub done_on: Option<NaiveDate>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObligationInfo {
    pub title: String,
    pub every: Every,
    pub kind: Option<String>,
    pub officer: Option<String>,
    pub min: u32,
    pub basis: Option<String>,
    /// The obligation's periods that overlap the report period, in order.
    pub periods: Vec<ObligationPeriod>,
    /// Labels of the missed periods ("Tuần 15/2021"), for sentences.
    pub missed_labels: Vec<String>,
    /// Periods judged and found met; missed; waived (no working day); not over yet at T.
    pub met: usize,
    pub missed: usize,
    pub waived: usize,
    pub open: usize,
    /// A duty with named occurrences (`[[tasks.obligations.occurrences]]`): those of its
    /// periods above, each judged in its own window. A period is met only when all of its
    /// occurrences are.
    pub occurrences: Vec<OccurrenceInfo>,
}

/// A named occurrence of a duty, judged at T in its window.
#[derive(Debug, Clone, Serialize)]
pub struct OccurrenceInfo {
    pub name: String,
    pub from: NaiveDate,
    pub by: NaiveDate,
    pub min: u32,
    /// The days of the matching activities in the window, by T.
    pub dates: Vec<NaiveDate>,
    /// `met` (done `min` times), `missed` (its window over by T without), `waived` (no working
    /// day in it) or `open`.
    pub status: PeriodStatus,
    /// The sentence the built-ins print: "Phát động thi đua đầu năm (từ 01/01/2021 đến
    /// 31/03/2021): đã thực hiện ngày 20/01/2021"; "…: chưa đến hạn".
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObligationPeriod {
    pub code: String,
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub count: u32,
    /// `met`, `missed`, `waived` (no working day) or `open` (not over at T).
    pub status: PeriodStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct Violations {
    pub total: usize,
    pub formal_discipline: usize,
    pub repeats: usize,
    pub pending: usize,
    pub by_action: Vec<KindCount>,
    pub list: Vec<ViolationInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ViolationInfo {
    pub date: NaiveDate,
    pub officer: String,
    pub officer_name: String,
    pub description: String,
    pub task: Option<String>,
    pub action: Option<&'static str>,
    pub action_label: Option<&'static str>,
    /// Khiển trách or above.
    pub formal: bool,
    /// A second or later violation by the same officer in the plan's year (tái phạm).
    pub repeat: bool,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Commendations {
    pub total: usize,
    pub list: Vec<CommendationInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommendationInfo {
    pub date: NaiveDate,
    pub recipient: String,
    /// The officer's name when the recipient is an officer id; the collective's name otherwise.
    pub recipient_name: String,
    pub is_officer: bool,
    pub form: String,
    pub reason: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedbackStats {
    pub total: usize,
    pub by_rating: Vec<KindCount>,
    pub unrated: usize,
    pub by_channel: Vec<KindCount>,
    pub handled: usize,
    pub unhandled: usize,
    /// (very satisfied + satisfied) / rated, in percent.
    pub satisfaction_rate: Option<f64>,
}

/// The warnings of a report's period: how many, by code, task, field (lĩnh vực), officer and
/// month, and the first [`EXAMPLES_PER_CODE`] of each code one by one.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Findings<'a> {
    pub total: usize,
    /// Per code, in the codes' order.
    pub by_code: Vec<CodeCount>,
    /// Per task, in plan order, the tasks with any: the warnings that concern a task (a missed
    /// duty, an activity without evidence, a deliverable overdue or late).
    pub by_task: Vec<TaskCount>,
    /// Per field (lĩnh vực) of the dossiers' procedures, in Vietnamese order: the dossier
    /// warnings (W307–W309).
    pub by_field: Vec<NamedCount>,
    /// Per officer, in roster order: the warnings that name an officer (W305, W306).
    pub by_officer: Vec<NamedCount>,
    /// Per month of the period, in order: the warnings dated in it.
    pub by_period: Vec<PeriodCount>,
    /// The warnings that still stand from before the period (or have no date).
    pub before_period: usize,
    /// The first few of each code, in the order `check` prints them.
    pub examples: Vec<FindingInfo<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeCount {
    pub code: &'static str,
    pub severity: Severity,
    pub count: usize,
    /// How many of them `examples` shows.
    pub shown: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedCount {
    pub key: String,
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodCount {
    pub code: String,
    pub label: String,
    pub count: usize,
}

/// A warning of the period, its messages rendered as it is written out.
#[derive(Debug, Clone, Copy)]
pub struct FindingInfo<'a>(pub &'a Finding);

impl Serialize for FindingInfo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut out = s.serialize_struct("FindingInfo", 8)?;
        out.serialize_field("code", f.code.as_str())?;
        out.serialize_field("severity", &f.severity())?;
        // The message in Vietnamese, then in English.
        out.serialize_field("message", &f.message.render(Lang::Vi))?;
        out.serialize_field("message_en", &f.message.render(Lang::En))?;
        // `file:line:col`.
        out.serialize_field("place", &f.location.display())?;
        out.serialize_field("basis", &f.basis.as_deref())?;
        out.serialize_field("date", &f.date)?;
        // The task the finding concerns, when known.
        out.serialize_field("task", &f.message.task())?;
        out.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NextPeriod {
    pub period: PeriodInfo,
    pub deliverables: Vec<NextDeliverable>,
    pub obligations: Vec<NextObligation>,
    /// Dossiers open at T (in time or overdue): the backlog the next period starts with.
    pub open_dossiers: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextDeliverable {
    pub task: String,
    pub id: String,
    pub title: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextObligation {
    pub task: String,
    pub title: String,
    pub every: Every,
    /// "hằng tuần", "hằng tháng", "hằng quý", "6 tháng một lần", "hằng năm".
    pub every_label: &'static str,
    /// How many of its periods end within the next period.
    pub occurrences: usize,
    /// A duty with named occurrences: those not yet done whose window overlaps the next
    /// period, as the built-ins print them: "Tổng kết thi đua cuối năm (từ 01/12/2021 đến
    /// 14/12/2021)".
    pub windows: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub period: PeriodInfo,
    pub activities: usize,
    /// Activities per task id, in plan order: `[{"task": "1", "count": 3}, …]`.
    pub activities_by_task: Vec<TaskCount>,
    pub dossiers_received: u64,
    pub dossiers_resolved: u64,
    pub on_time_rate: Option<f64>,
    pub on_time_rate_backlog: Option<f64>,
    pub pending_overdue: u64,
    pub violations: usize,
    pub feedback: usize,
    /// False for quarters whose last day (their data cut-off) the as-of date had not reached.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskCount {
    pub task: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficerRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub unit: String,
    pub commitments: Vec<CommitmentInfo>,
    pub activities: usize,
    pub dossiers_handled: u64,
    pub dossiers_resolved: u64,
    pub dossiers_late: u64,
    /// Of `dossiers_resolved`: those resolved late (the same count the rate is computed from).
    pub dossiers_resolved_late: u64,
    /// Dossiers still pending past their due date at T.
    pub dossiers_pending_overdue: u64,
    pub on_time_rate: Option<f64>,
    pub violations: Vec<ViolationInfo>,
    /// The strongest action taken in the period: its code ("reprimand") and label ("Khiển trách").
    pub strongest_action: Option<&'static str>,
    pub strongest_action_label: Option<&'static str>,
    pub commendations: Vec<CommendationInfo>,
    /// Any violation recorded in the plan's year (up to T): "không xem xét thi đua" under the
    /// plan's own rule.
    pub not_considered_for_emulation: bool,
    pub emulation_basis: Option<String>,
    /// Formal discipline in the plan's year (up to T) caps the rating: {rating, basis, also}.
    pub rating_cap: Option<RatingCap>,
    /// The recurring duties the plan gives this officer by name (an obligation's `officer`)
    /// with periods or occurrences missed in the period.
    pub duties_missed: Vec<DutyMissed>,
    /// The deliverables this officer owns (`owner`) done late or overdue at T.
    pub deliverables_late: Vec<DeliverableInfo>,
    /// The year-end rating of the plan's year recorded by T (records/ratings.csv).
    pub rating: Option<RatingInfo>,
    /// The officer's reporting lapses recorded in the period (task 10), by date.
    pub lapses: Vec<LapseInfo>,
    /// Feedback of the period rated dissatisfied that names the officer, by date.
    pub dissatisfied: Vec<FeedbackNote>,
    /// Of `commitments`: those judged met, and judged not met, by T.
    pub commitments_met: usize,
    pub commitments_not_met: usize,
}

/// A duty of an officer missed in some periods (see [`OfficerRow::duties_missed`]).
#[derive(Debug, Clone, Serialize)]
pub struct DutyMissed {
    pub task: String,
    pub title: String,
    /// The missed periods' labels ("Tuần 15/2021"), or the missed occurrences' names.
    pub missed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingInfo {
    pub date: NaiveDate,
    pub year: u32,
    /// Its code ("good") and the level's name ("Hoàn thành tốt nhiệm vụ").
    pub level: &'static str,
    pub level_label: &'static str,
    pub decision: Option<String>,
    /// Rated above the cap that the year's discipline sets (W322).
    pub above_cap: bool,
}

/// The officers report's count of the year's ratings by level, in the levels' order, and of
/// the officers not yet rated.
#[derive(Debug, Clone, Serialize)]
pub struct RatingSummary {
    pub year: i32,
    pub levels: Vec<LevelCount>,
    pub unrated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    pub level: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentInfo {
    pub date: NaiveDate,
    pub task: String,
    pub commitment: String,
    /// As judged by T: its code ("met", "not-met") and label ("Đã thực hiện"); none before.
    pub met: Option<&'static str>,
    pub met_label: Option<&'static str>,
    pub judged: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingCap {
    pub rating: &'static str,
    pub basis: String,
    /// What else the cap rules out.
    pub also: String,
}

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub kind: ReportKind,
    pub period: Period,
    pub as_of: NaiveDate,
    /// Data errors in the folder (reported with --allow-errors).
    pub data_errors: usize,
    /// The number the văn thư gave, if any.
    pub number: Option<String>,
}

/// The dossiers' lapses of a report's period (W307-W309), counted as
/// [`crate::check::work_after`] finds them, span by span: only the first
/// [`EXAMPLES_PER_CODE`] of each code become findings (the examples, the dossiers named in
/// "Tồn tại, hạn chế"), not a province's 300,000.
#[derive(Debug, Clone)]
pub struct LapseTally {
    period: Period,
    t: NaiveDate,
    /// Per code, in the order first met.
    by_code: Vec<(Code, usize)>,
    by_month: ByMonth,
    /// Per procedure as the findings name it (the field is looked up once per procedure).
    by_procedure: BTreeMap<String, usize>,
}

impl LapseTally {
    pub fn new(req: &Request) -> LapseTally {
        let period = req.period;
        LapseTally {
            t: judged_at(&period, req.as_of),
            by_month: ByMonth::new(&period),
            period,
            by_code: Vec::new(),
            by_procedure: BTreeMap::new(),
        }
    }

    /// How many lapses of `code`.
    fn count(&self, code: Code) -> usize {
        (self.by_code.iter().find(|(c, _)| *c == code)).map_or(0, |&(_, n)| n)
    }
}

impl crate::check::Tally for LapseTally {
    /// Counts `lapse` when it is of the period (as `of_period` takes its finding): whether
    /// it is.
    fn keep(&mut self, lapse: &crate::check::LapseView<'_>) -> bool {
        if !stands_in(lapse.standing, Some(lapse.date), &self.period, self.t) {
            return false;
        }
        match self.by_code.iter_mut().find(|(c, _)| *c == lapse.code) {
            Some((_, n)) => *n += 1,
            None => self.by_code.push((lapse.code, 1)),
        }
        self.by_month.add(Some(lapse.date));
        match self.by_procedure.get_mut(lapse.procedure) {
            Some(n) => *n += 1,
            None => {
                self.by_procedure.insert(lapse.procedure.to_string(), 1);
            }
        }
        true
    }

    fn merge(&mut self, later: LapseTally) {
        for (code, n) in later.by_code {
            match self.by_code.iter_mut().find(|(c, _)| *c == code) {
                Some((_, m)) => *m += n,
                None => self.by_code.push((code, n)),
            }
        }
        self.by_month.merge(&later.by_month);
        for (procedure, n) in later.by_procedure {
            *self.by_procedure.entry(procedure).or_default() += n;
        }
    }
}

/// A period's warnings by month, and those from before it (or of no date).
#[derive(Debug, Clone)]
struct ByMonth {
    start: NaiveDate,
    months: Vec<Period>,
    counts: Vec<usize>,
    before: usize,
}

impl ByMonth {
    fn new(period: &Period) -> ByMonth {
        let months = Period::periods_in(period.scheme, Size::Month, period);
        ByMonth {
            start: period.start,
            counts: vec![0; months.len()],
            months,
            before: 0,
        }
    }

    /// Adds the counts of another of the same period.
    fn merge(&mut self, other: &ByMonth) {
        for (n, m) in self.counts.iter_mut().zip(&other.counts) {
            *n += m;
        }
        self.before += other.before;
    }

    fn add(&mut self, date: Option<NaiveDate>) {
        let month = (date.filter(|&d| d >= self.start))
            .and_then(|d| self.months.iter().position(|m| m.contains(d)));
        match month {
            Some(m) => self.counts[m] += 1,
            None => self.before += 1,
        }
    }
}

/// Whether a finding is a dossier's lapse: counted by a [`LapseTally`], not one by one.
fn is_lapse(f: &Finding) -> bool {
    use crate::messages::Msg;
    matches!(
        f.message,
        Msg::DossierOverdue { .. } | Msg::LateWithoutReason { .. } | Msg::LateWithoutApology { .. }
    )
}

/// What a report counts of the dossiers: counted first, so that the dossiers (most of a
/// province's memory) can go before the rest is built and written out.
#[derive(Debug, Clone)]
pub struct DossierCounts {
    /// The period's statistics, with their breakdowns.
    stats: DossierStats,
    /// Year report: the overall counts of its quarters, in order.
    quarters: Option<Vec<stats::Counts>>,
    /// Dossiers open at T: the backlog the next period starts with.
    open: u64,
}

/// Counts what the report says of the dossiers.
pub fn count_dossiers(plan: &Plan, dossiers: &Dossiers, req: &Request) -> DossierCounts {
    let (period, as_of) = (&req.period, req.as_of);
    let t = judged_at(period, as_of);
    // The breakdowns, the most work, on a second core meanwhile.
    let ((quarters, open), stats) = crate::par::join(
        || {
            let quarters = (req.kind == ReportKind::Year).then(|| {
                let spans: Vec<_> = Period::periods_in(period.scheme, Size::Quarter, period)
                    .iter()
                    .map(|q| (q.start, q.end))
                    .collect();
                stats::overall(dossiers, &spans, as_of)
            });
            let open = dossiers
                .iter()
                .filter(|d| check::dossier_state(d, t) == DossierState::Open)
                .count() as u64;
            (quarters, open)
        },
        || stats::dossier_stats(plan, dossiers, period.start, period.end, as_of),
    );
    DossierCounts {
        stats,
        quarters,
        open,
    }
}

/// What a rollup adds up of a member's dossiers ([`count_dossiers`] without the breakdowns by
/// procedure and officer, the year's quarters or the backlog, which it does not show; on this
/// thread, as a rollup reads its members on every core already).
pub fn count_dossier_sums(plan: &Plan, dossiers: &Dossiers, req: &Request) -> DossierCounts {
    let (period, as_of) = (&req.period, req.as_of);
    DossierCounts {
        stats: stats::dossier_stats_by(
            plan,
            dossiers,
            period.start,
            period.end,
            as_of,
            stats::Breakdowns::Field,
        ),
        quarters: None,
        open: 0,
    }
}

/// Builds the context. `counts` are the dossiers' ([`count_dossiers`]); `warnings` are the work
/// findings as of min(as-of, period end) (see [`judged_at`]), of the dossiers' lapses only those
/// [`crate::check::Work::findings`] made (at least the first [`EXAMPLES_PER_CODE`] of
/// each code of the period): `lapses` counts them all, and a lapse among `warnings` is shown,
/// never counted. Of the records, the dossiers are not read.
///
/// In steps, each a function of its own: the tasks ([`task_report`]: their activities,
/// deliverables and recurring duties), the other records' sections and the next period
/// ([`prepare`] makes these, which the dossiers' counts and the findings do not change); then
/// ([`finish`]) the warnings and their sentences, the year's trend and the officers' rows, and
/// the document's heading ([`document`]).
pub fn build<'a>(
    plan: &'a Plan,
    records: &'a Records,
    counts: DossierCounts,
    warnings: &'a [Finding],
    lapses: LapseTally,
    req: &Request,
) -> ReportContext<'a> {
    let prepared = prepare(plan, records, req);
    finish(prepared, plan, records, counts, warnings, lapses, req)
}

/// The sections of a report made of the plan and the records but the dossiers ([`prepare`]):
/// the half of [`build`] that can be made while the dossiers are counted.
pub struct Prepared<'a> {
    by_task: Vec<Vec<&'a Activity>>,
    cal: WorkCalendar,
    tasks: Vec<TaskReport<'a>>,
    violations: Violations,
    commendations: Commendations,
    feedback: FeedbackStats,
    before_plan: Option<BeforePlan<'a>>,
    next: NextPeriod,
    changes: Vec<ChangeInfo>,
}

/// What [`build`] makes of the plan and the records but the dossiers: the tasks, the other
/// records' sections and what the next period holds. A report makes it beside the dossiers'
/// counting, whose end it would otherwise wait for with a core idle.
pub fn prepare<'a>(plan: &'a Plan, records: &'a Records, req: &Request) -> Prepared<'a> {
    let window = Window::of(&req.period, req.as_of).since(plan.plan.issued);
    let t = window.t;
    let in_period = |d: NaiveDate| window.contains(d);
    let by_task = check::activities_by_task(plan, records);
    let cal = check::calendar(plan);
    let tasks = plan
        .tasks
        .iter()
        .zip(&by_task)
        .map(|(task, activities)| task_report(plan, records, task, activities, &window, &cal))
        .collect();
    let year = Period::year(plan.reporting.periods, plan.plan.year);
    Prepared {
        tasks,
        violations: violations(plan, records, in_period, &year, t),
        commendations: commendations(plan, records, in_period),
        feedback: feedback(records, in_period, t),
        before_plan: before_plan(plan, records, &window),
        next: next_period(plan, records, &req.period, t),
        changes: changes(records, in_period),
        by_task,
        cal,
    }
}

/// The context of [`build`], from what [`prepare`] made of the same plan, records and request.
pub fn finish<'a>(
    prepared: Prepared<'a>,
    plan: &'a Plan,
    records: &'a Records,
    counts: DossierCounts,
    warnings: &'a [Finding],
    lapses: LapseTally,
    req: &Request,
) -> ReportContext<'a> {
    let Prepared {
        by_task,
        cal,
        tasks,
        violations,
        commendations,
        feedback,
        before_plan,
        mut next,
        changes,
    } = prepared;
    let warnings = in_check_order(warnings);
    let (kind, period, as_of) = (req.kind, &req.period, req.as_of);
    let window = Window::of(period, as_of).since(plan.plan.issued);
    let t = window.t;

    let DossierCounts {
        stats: dossiers,
        quarters,
        open,
    } = counts;
    let findings = findings(plan, &warnings, &lapses, period, t);
    let shortcomings = shortcomings(plan, &warnings, &lapses, period, t);
    next.open_dossiers = open;
    let trend = quarters.map(|q| trend(plan, records, &by_task, &q, period, as_of));
    let officers = (kind == ReportKind::Officers)
        .then(|| officer_rows(plan, records, &dossiers.by_officer, &by_task, &window, &cal));
    let ratings = (officers.as_deref()).map(|rows| rating_summary(plan.plan.year, rows));

    let mut report = ReportContext {
        kind,
        generated: Generated {
            as_of,
            judged_at: t,
            // Final from the period's data cut-off (its last day) on: the report made on its
            // due day is the one signed.
            provisional: as_of < period.end,
            data_errors: req.data_errors,
            tool: format!("kehoach {}", env!("CARGO_PKG_VERSION")),
        },
        document: document(plan, req, t),
        plan: plan_info(plan),
        period: PeriodInfo::from(period),
        tasks,
        dossiers,
        violations,
        commendations,
        feedback,
        findings,
        before_plan,
        shortcomings,
        next,
        trend,
        officers,
        ratings,
        charts: Default::default(),
        provenance: None,
        changes,
    };
    report.charts = charts::build(&report);
    report
}

/// The corrections and voids of the records of the period (by the record's date, before the
/// change; a dossier's received date), in the order they were written.
fn changes(records: &Records, in_period: impl Fn(NaiveDate) -> bool) -> Vec<ChangeInfo> {
    use crate::records::ChangeHow;
    (records.changes.iter())
        .filter(|c| c.how != ChangeHow::Fill)
        .filter_map(|c| {
            let columns = c.kind.columns();
            let dated = (columns.iter()).position(|col| matches!(col.name, "date" | "received"));
            let date = crate::dates::parse(c.before.get(dated?)?)?;
            if !in_period(date) {
                return None;
            }
            let facts: Vec<FactChange> = match c.how {
                ChangeHow::Void => Vec::new(),
                _ => (c.cells.iter())
                    .map(|(slot, _, new)| FactChange {
                        column: columns[*slot].name,
                        old: c.before.get(*slot).cloned().unwrap_or_default(),
                        new: new.clone(),
                    })
                    .collect(),
            };
            let summary = (facts.iter())
                .map(|f| {
                    let old = if f.old.is_empty() {
                        "(trống)"
                    } else {
                        &f.old
                    };
                    format!("{}: {old} → {}", c.kind.export_header(f.column), f.new)
                })
                .collect::<Vec<_>>()
                .join("; ");
            Some(ChangeInfo {
                kind: c.kind,
                kind_label: c.kind.spec().title,
                record: c.target.clone(),
                date,
                how: c.how,
                how_label: c.how.label(),
                facts,
                summary,
                why: c.reason.clone().unwrap_or_default(),
                place: format!(
                    "{}:{}",
                    records.file(c.at).to_string_lossy().replace('\\', "/"),
                    c.at.line
                ),
            })
        })
        .collect()
}

/// The warnings in the order `check` prints them, whatever order they were found in (dossiers
/// may be stored in parts): the report reads the same every time.
fn in_check_order(warnings: &[Finding]) -> Vec<&Finding> {
    (crate::findings::output_order(warnings).into_iter())
        .map(|i| &warnings[i])
        .collect()
}

/// What a report looks at: its period, judged at T (see [`judged_at`]), the periods of
/// recurring duties over through `closed` (see [`closed_through`]).
#[derive(Debug, Clone, Copy)]
struct Window<'p> {
    period: &'p Period,
    t: NaiveDate,
    closed: NaiveDate,
    /// The plan's issue date: the activities before it are not results of the plan.
    issued: NaiveDate,
}

impl<'p> Window<'p> {
    fn of(period: &'p Period, as_of: NaiveDate) -> Window<'p> {
        Window {
            period,
            t: judged_at(period, as_of),
            closed: closed_through(period, as_of),
            issued: NaiveDate::MIN,
        }
    }

    /// The same for a plan issued on `issued`.
    fn since(self, issued: NaiveDate) -> Window<'p> {
        Window { issued, ..self }
    }

    /// Whether a record of day `d` counts: in the period, by T.
    fn contains(&self, d: NaiveDate) -> bool {
        self.period.start <= d && d <= self.t
    }

    /// Whether an activity of day `d` is a result of the plan: in the period, by T, from the
    /// plan's issue date.
    fn in_plan(&self, d: NaiveDate) -> bool {
        self.contains(d) && self.issued <= d
    }
}

/// One task's section: its activities of the period, its deliverables, its recurring duties.
fn task_report<'a>(
    plan: &'a Plan,
    records: &Records,
    task: &Task,
    activities: &[&'a Activity],
    window: &Window,
    cal: &WorkCalendar,
) -> TaskReport<'a> {
    TaskReport {
        id: task.id.get_ref().clone(),
        title: task.title.clone(),
        timing: task.timing.clone(),
        responsible: responsible(plan, task),
        activities: task_activities(plan, activities, window, &routine_kinds(task)),
        routine: routine(&routine_kinds(task), activities, |d| window.in_plan(d)),
        routine_kinds: routine_kinds(task),
        deliverables: task
            .deliverables
            .iter()
            .filter_map(|d| deliverable_info(plan, records, d, window))
            .collect(),
        obligations: task
            .obligations
            .iter()
            .map(|o| obligation_info(plan, task, o, activities, window, cal))
            .collect(),
        lapses: (task.records.iter().any(|k| k.get_ref() == "lapses")).then(|| {
            let mut list: Vec<_> = (records.lapses.iter())
                .filter(|l| window.contains(l.date))
                .collect();
            list.sort_by_key(|l| (l.date, l.at));
            list.into_iter().map(|l| lapse_info(plan, l)).collect()
        }),
    }
}

/// The activities of the window dated before the plan was issued, of any task, as a task's are
/// shown; `None` when there are none.
fn before_plan<'a>(
    plan: &'a Plan,
    records: &'a Records,
    window: &Window,
) -> Option<BeforePlan<'a>> {
    let early: Vec<&Activity> = (records.activities.iter())
        .filter(|a| window.contains(a.date) && a.date < window.issued)
        .collect();
    if early.is_empty() {
        return None;
    }
    // The routine kinds of every task, in the kinds' order.
    let kinds: Vec<&'static str> = ActivityKind::ALL
        .iter()
        .map(|k| k.code())
        .filter(|code| plan.tasks.iter().any(|t| routine_kinds(t).contains(code)))
        .collect();
    let all = Window {
        issued: NaiveDate::MIN,
        ..*window
    };
    Some(BeforePlan {
        from: window.period.start,
        until: window.issued.pred_opt().unwrap_or(window.issued),
        activities: task_activities(plan, &early, &all, &kinds),
        routine: routine(&kinds, &early, |_| true),
    })
}

/// The kinds of activity a weekly duty of the task asks for, in the kinds' order.
fn routine_kinds(task: &Task) -> Vec<&'static str> {
    ActivityKind::ALL
        .iter()
        .filter(|k| {
            task.obligations.iter().any(|o| {
                o.every == Every::Week && o.kind.as_ref().is_some_and(|c| c.get_ref() == k.code())
            })
        })
        .map(|k| k.code())
        .collect()
}

/// Routine activities (of the `kinds` of [`routine_kinds`]) of the days `keep` takes, counted
/// per kind with the people who took part.
fn routine(
    kinds: &[&'static str],
    activities: &[&Activity],
    keep: impl Fn(NaiveDate) -> bool,
) -> Vec<Routine> {
    kinds
        .iter()
        .copied()
        .filter_map(|code| {
            let kind = ActivityKind::ALL.iter().find(|k| k.code() == code)?;
            let (count, participants) = activities
                .iter()
                .filter(|a| a.kind == *kind && keep(a.date))
                .fold((0usize, 0u64), |(n, p), a| {
                    (n + 1, p + u64::from(a.participants.unwrap_or(0)))
                });
            (count > 0).then(|| Routine {
                kind: code,
                label: kind.label(),
                count,
                participants,
                text: crate::messages::report::routine(*kind, count, participants),
            })
        })
        .collect()
}

/// Who a task names as responsible: units by their name, officers by theirs (an id neither
/// names is kept as it is).
fn responsible(plan: &Plan, task: &Task) -> Vec<String> {
    task.responsible
        .iter()
        .map(|r| {
            let id = r.get_ref();
            plan.units
                .iter()
                .find(|u| u.id.get_ref() == id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| officer_name(plan, id).to_string())
        })
        .collect()
}

/// A task's activities of the period: their count per kind (the kinds with any), and at most
/// [`ACTIVITIES_LISTED`] of them one by one, by date (see [`listed`]).
fn task_activities<'a>(
    plan: &'a Plan,
    activities: &[&'a Activity],
    window: &Window,
    routine: &[&str],
) -> Activities<'a> {
    let mut all: Vec<&Activity> = activities
        .iter()
        .filter(|a| window.in_plan(a.date))
        .copied()
        .collect();
    all.sort_by_key(|a| a.date);
    let mut counts = [0usize; ActivityKind::ALL.len()];
    for a in &all {
        if let Some(i) = ActivityKind::ALL.iter().position(|k| *k == a.kind) {
            counts[i] += 1;
        }
    }
    let by_kind = ActivityKind::ALL
        .iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .map(|(k, count)| KindCount {
            kind: k.code(),
            label: k.label(),
            count,
        })
        .collect();
    // The routine ones (see [`routine`]) are summed up, not listed.
    let others: Vec<&Activity> = all
        .iter()
        .filter(|a| !routine.contains(&a.kind.code()))
        .copied()
        .collect();
    let list: Vec<ActivityInfo> = listed(&others, ACTIVITIES_LISTED)
        .into_iter()
        .map(|activity| ActivityInfo { activity, plan })
        .collect();
    Activities {
        total: all.len(),
        not_listed: others.len() - list.len(),
        by_kind,
        list,
    }
}

/// Which of a task's activities (by date) a report lists, at most `cap`: all of them when there
/// are no more; else those that complete a deliverable (in date order, up to `cap`), then of
/// the others some at even steps through the period, so that the whole period is seen. By date.
fn listed<'a>(all: &[&'a Activity], cap: usize) -> Vec<&'a Activity> {
    if all.len() <= cap {
        return all.to_vec();
    }
    let mut pick = vec![false; all.len()];
    let mut n = 0;
    for (i, a) in all.iter().enumerate() {
        if n < cap && a.deliverable().is_some() {
            pick[i] = true;
            n += 1;
        }
    }
    let others: Vec<usize> = (0..all.len()).filter(|&i| !pick[i]).collect();
    let rest = cap - n;
    for j in 0..rest {
        pick[others[j * others.len() / rest]] = true;
    }
    all.iter()
        .zip(pick)
        .filter(|(_, p)| *p)
        .map(|(a, _)| *a)
        .collect()
}

/// A deliverable as the report shows it, `None` when it does not belong to the report: it
/// belongs when it falls due in the period, was done in it, or is still overdue from before it.
fn deliverable_info(
    plan: &Plan,
    records: &Records,
    d: &Deliverable,
    window: &Window,
) -> Option<DeliverableInfo> {
    let (period, t) = (window.period, window.t);
    let done = check::completion(records, d.id.get_ref(), t);
    let belongs = period.contains(d.due)
        || done.is_some_and(|a| window.contains(a.date))
        || (done.is_none() && d.due < period.start);
    if !belongs {
        return None;
    }
    let status = DeliverableStatus::at(d.due, done.map(|a| a.date), t);
    Some(DeliverableInfo {
        id: d.id.get_ref().clone(),
        title: d.title.clone(),
        due: d.due,
        owner: d
            .owner
            .as_ref()
            .map(|o| officer_name(plan, o.get_ref()).to_string()),
        status,
        status_label: status.label(),
        done_on: done.map(|a| a.date),
        evidence: done.and_then(|a| a.evidence().map(str::to_string)),
    })
}

/// Where a deliverable stands at T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliverableStatus {
    /// Completed on or before its due date.
    Done,
    /// Completed after its due date.
    DoneLate,
    /// Not completed, and its due date is before T.
    Overdue,
    /// Not completed, not yet due.
    Pending,
}

impl DeliverableStatus {
    /// The status of a deliverable due on `due`, completed on `done` (by T), judged at `t`.
    pub fn at(due: NaiveDate, done: Option<NaiveDate>, t: NaiveDate) -> DeliverableStatus {
        match done {
            Some(done) if done > due => DeliverableStatus::DoneLate,
            Some(_) => DeliverableStatus::Done,
            None if due < t => DeliverableStatus::Overdue,
            None => DeliverableStatus::Pending,
        }
    }

    /// The status in the report's words.
    pub fn label(self) -> &'static str {
        match self {
            DeliverableStatus::Done => "Đã hoàn thành",
            DeliverableStatus::DoneLate => "Hoàn thành chậm",
            DeliverableStatus::Overdue => "Quá hạn, chưa hoàn thành",
            DeliverableStatus::Pending => "Chưa đến hạn",
        }
    }
}

/// A recurring duty of a task, its periods judged as of T.
fn obligation_info(
    plan: &Plan,
    task: &Task,
    o: &Obligation,
    activities: &[&Activity],
    window: &Window,
    cal: &WorkCalendar,
) -> ObligationInfo {
    let matches = check::Matches::among(plan, activities.iter().copied(), task, o, window.t);
    let min = *o.min.get_ref();
    let mut occurrences = Vec::new();
    let mut missed_labels = Vec::new();
    let periods: Vec<ObligationPeriod> = if o.occurrences.is_empty() {
        duty_periods(plan, o, window.period)
            .into_iter()
            .map(|p| {
                let count = matches.count_in(&p);
                let workday = cal.has_workday(p.start, p.end);
                ObligationPeriod {
                    code: p.code(),
                    label: p.label(),
                    start: p.start,
                    end: p.end,
                    count,
                    status: PeriodStatus::judge(workday, count, min, p.end, window.closed),
                }
            })
            .collect()
    } else {
        // Named occurrences: the periods holding one, each as its occurrences went.
        let windows = check::judged_windows(plan, o);
        duty_periods(plan, o, window.period)
            .into_iter()
            .filter_map(|p| {
                let mine: Vec<OccurrenceInfo> = windows
                    .iter()
                    .filter(|w| w.period == p)
                    .map(|w| occurrence_info(w, &matches, window, cal))
                    .collect();
                if mine.is_empty() {
                    return None;
                }
                let count = mine.iter().map(|x| x.dates.len() as u32).sum();
                let status = PeriodStatus::of_occurrences(mine.iter().map(|x| x.status));
                missed_labels.extend(
                    (mine.iter())
                        .filter(|x| x.status == PeriodStatus::Missed)
                        .map(|x| x.name.clone()),
                );
                occurrences.extend(mine);
                Some(ObligationPeriod {
                    code: p.code(),
                    label: p.label(),
                    start: p.start,
                    end: p.end,
                    count,
                    status,
                })
            })
            .collect()
    };
    if o.occurrences.is_empty() {
        missed_labels = periods
            .iter()
            .filter(|p| p.status == PeriodStatus::Missed)
            .map(|p| p.label.clone())
            .collect();
    }
    let n = |s: PeriodStatus| periods.iter().filter(|p| p.status == s).count();
    ObligationInfo {
        title: o.title.get_ref().clone(),
        every: o.every,
        kind: o.kind.as_ref().map(|k| k.get_ref().clone()),
        officer: o
            .officer
            .as_ref()
            .map(|x| officer_name(plan, x.get_ref()).to_string()),
        min,
        basis: o.basis.clone(),
        missed_labels,
        met: n(PeriodStatus::Met),
        missed: n(PeriodStatus::Missed),
        waived: n(PeriodStatus::Waived),
        open: n(PeriodStatus::Open),
        periods,
        occurrences,
    }
}

/// A named occurrence judged at T: met once done `min` times in its window, missed once its
/// window is over (through `closed`) without, open until then.
fn occurrence_info(
    w: &crate::plan::Window,
    matches: &check::Matches,
    window: &Window,
    cal: &WorkCalendar,
) -> OccurrenceInfo {
    use crate::messages::report::{OccurrenceSays, occurrence};
    let dates = matches.between(w.from, w.by).to_vec();
    let workday = cal.has_workday(w.from, w.by);
    let status = PeriodStatus::judge(workday, dates.len() as u32, w.min, w.by, window.closed);
    let says = match status {
        PeriodStatus::Met => OccurrenceSays::Done,
        PeriodStatus::Missed => OccurrenceSays::Missed,
        PeriodStatus::Waived => OccurrenceSays::Waived,
        PeriodStatus::Open if w.from > window.t => OccurrenceSays::NotYet,
        PeriodStatus::Open => OccurrenceSays::Running,
    };
    OccurrenceInfo {
        text: occurrence(&w.name, (w.from, w.by), says, &dates, w.min),
        name: w.name.clone(),
        from: w.from,
        by: w.by,
        min: w.min,
        dates,
        status,
    }
}

/// The periods of a duty that make up the report period (a week belongs to the period holding
/// its Sunday, so no week is in two reports); for a duty of a longer period (yearly, in a
/// quarterly report), the one that overlaps it.
fn duty_periods(plan: &Plan, o: &Obligation, period: &Period) -> Vec<Period> {
    let all = Period::periods_in(plan.reporting.periods, Size::from(o.every), period);
    if !all.is_empty() {
        // Those the plan was not in force for are not judged (see check::obligation_periods).
        return all
            .into_iter()
            .filter(|p| check::in_force(plan, p.start, p.end))
            .collect();
    }
    check::obligation_periods(plan, o)
        .into_iter()
        .filter(|p| p.end >= period.start && p.start <= period.end)
        .collect()
}

/// How one period of a recurring duty went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodStatus {
    /// Done at least `min` times (even before the period is over).
    Met,
    /// Over, and done fewer times.
    Missed,
    /// No working day in the period (a holiday week): not counted.
    Waived,
    /// Not over yet, and not done enough so far.
    Open,
}

impl PeriodStatus {
    /// A period with a working day or not (`workday`), in which the duty was done `count`
    /// times of the `min` asked, ending on `end`, when periods are over through `closed`.
    pub fn judge(
        workday: bool,
        count: u32,
        min: u32,
        end: NaiveDate,
        closed: NaiveDate,
    ) -> PeriodStatus {
        if !workday {
            PeriodStatus::Waived
        } else if count >= min {
            PeriodStatus::Met
        } else if end > closed {
            PeriodStatus::Open
        } else {
            PeriodStatus::Missed
        }
    }

    /// A period of a duty with named occurrences, from theirs: missed when one is, met when
    /// all are (or are waived, not all of them), waived when all are, else open: a yearly duty
    /// is not met before its last occurrence is.
    pub fn of_occurrences(statuses: impl Iterator<Item = PeriodStatus> + Clone) -> PeriodStatus {
        let all = |s: &[PeriodStatus]| statuses.clone().all(|x| s.contains(&x));
        if statuses.clone().any(|x| x == PeriodStatus::Missed) {
            PeriodStatus::Missed
        } else if all(&[PeriodStatus::Waived]) {
            PeriodStatus::Waived
        } else if all(&[PeriodStatus::Met, PeriodStatus::Waived]) {
            PeriodStatus::Met
        } else {
            PeriodStatus::Open
        }
    }

    /// The status in the report's words.
    pub fn label(self) -> &'static str {
        match self {
            PeriodStatus::Met => "Đã thực hiện đủ",
            PeriodStatus::Missed => "Chưa thực hiện đủ",
            PeriodStatus::Waived => "Nghỉ lễ, Tết không tính",
            PeriodStatus::Open => "Chưa kết thúc",
        }
    }
}

/// The document's heading, title, date and signature block: the document date is T.
fn document(plan: &Plan, req: &Request, t: NaiveDate) -> Document {
    let period = &req.period;
    let title = match req.kind {
        ReportKind::Officers => format!(
            "Kết quả thực hiện kỷ luật, kỷ cương hành chính của cán bộ, công chức {}",
            lower_first(&period.label())
        ),
        ReportKind::Month => format!(
            "Tình hình tiếp nhận, giải quyết thủ tục hành chính {}",
            lower_first(&period.label())
        ),
        _ => format!(
            "Kết quả thực hiện kỷ luật, kỷ cương hành chính {}",
            lower_first(&period.label())
        ),
    };
    let date = t;
    let to = &plan.reporting.addressees;
    let addressees = match req.kind {
        ReportKind::Quarter => &to.quarter,
        ReportKind::Half => &to.half,
        ReportKind::Year => &to.year,
        ReportKind::Officers => &to.officers,
        ReportKind::Month => &to.month,
    }
    .clone();
    let mut recipients = addressees.clone();
    for r in &plan.reporting.recipients {
        if !recipients.contains(r) {
            recipients.push(r.clone());
        }
    }
    Document {
        number: req.number.clone(),
        symbol: plan.reporting.report_symbol.clone(),
        authority: plan.plan.authority.clone(),
        authority_upper: plan.plan.authority.to_uppercase(),
        parent_authority: plan.plan.parent_authority.clone(),
        parent_authority_upper: plan
            .plan
            .parent_authority
            .as_ref()
            .map(|p| p.to_uppercase()),
        place: plan.plan.place.clone(),
        date,
        place_date: format!("{}, {}", plan.plan.place, crate::dates::document_date(date)),
        doc_type: "BÁO CÁO".into(),
        title,
        addressees,
        recipients,
        signer: Signer {
            authority_line: plan.signer.authority_line.clone(),
            title: plan.signer.title.clone(),
            name: plan.signer.name.clone(),
        },
    }
}

/// The plan the report reports on, and how to cite it.
fn plan_info(plan: &Plan) -> PlanInfo {
    PlanInfo {
        number: plan.plan.number.clone(),
        title: plan.plan.title.clone(),
        year: plan.plan.year,
        issued: plan.plan.issued,
        authority: plan.plan.authority.clone(),
        citation: format!(
            "Kế hoạch số {} ngày {} của {} về {}",
            plan.plan.number,
            crate::dates::dmy(plan.plan.issued),
            plan.plan.authority,
            lower_first(&plan.plan.title)
        ),
        officers_tasks: plan
            .tasks
            .iter()
            .filter(|t| {
                t.records.iter().any(|k| {
                    matches!(
                        k.get_ref().as_str(),
                        "commendations" | "commitments" | "ratings"
                    )
                })
            })
            .map(task_cite)
            .collect(),
    }
}

fn task_cite(task: &Task) -> TaskCite {
    let id = task.id.get_ref().clone();
    TaskCite {
        cite: task
            .cite
            .clone()
            .unwrap_or_else(|| format!("nhiệm vụ {id}")),
        title: task.title.trim_end_matches([':', '.', ' ']).to_string(),
        id,
    }
}

/// The date a report of `period` judges at: the as-of date, or the period's end if earlier.
pub fn judged_at(period: &Period, as_of: NaiveDate) -> NaiveDate {
    as_of.min(period.end)
}

/// The last day whose periods count as over in a report of `period`: the period's last day
/// when the report is made on or after it (its data cut-off), else the day before the as-of
/// date.
pub fn closed_through(period: &Period, as_of: NaiveDate) -> NaiveDate {
    if as_of >= period.end {
        period.end
    } else {
        check::closed_through(as_of)
    }
}

/// "Quý IV năm 2021" → "quý IV năm 2021" (inside a sentence).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn violation_info(plan: &Plan, v: &crate::records::Violation, repeat: bool) -> ViolationInfo {
    ViolationInfo {
        date: v.date,
        officer: v.officer.clone(),
        officer_name: plan
            .officer(&v.officer)
            .map_or_else(|| v.officer.clone(), |o| o.name.clone()),
        description: v.description.clone(),
        task: v.task.clone(),
        action: v.action.map(Action::code),
        action_label: v.action.map(Action::label),
        formal: v.action.is_some_and(Action::is_discipline),
        repeat,
        decision: v.decision.clone(),
    }
}

/// Which violations are repeats: the second and later by the same officer within the year.
fn repeats(records: &Records, year: &Period, t: NaiveDate) -> Vec<bool> {
    let mut order: Vec<usize> = (0..records.violations.len()).collect();
    order.sort_by_key(|&i| (records.violations[i].date, records.violations[i].at));
    let mut seen = std::collections::HashSet::new();
    let mut out = vec![false; records.violations.len()];
    for i in order {
        let v = &records.violations[i];
        if v.date > t || !year.contains(v.date) {
            continue;
        }
        if !seen.insert(v.officer.as_str()) {
            out[i] = true;
        }
    }
    out
}

fn violations(
    plan: &Plan,
    records: &Records,
    in_period: impl Fn(NaiveDate) -> bool,
    year: &Period,
    t: NaiveDate,
) -> Violations {
    let repeat = repeats(records, year, t);
    let mut list: Vec<ViolationInfo> = records
        .violations
        .iter()
        .zip(&repeat)
        .filter(|(v, _)| in_period(v.date))
        .map(|(v, &r)| violation_info(plan, v, r))
        .collect();
    list.sort_by_key(|v| v.date);
    let by_action = Action::ALL
        .iter()
        .filter_map(|a| {
            let count = list.iter().filter(|v| v.action == Some(a.code())).count();
            (count > 0).then(|| KindCount {
                kind: a.code(),
                label: a.label(),
                count,
            })
        })
        .collect();
    Violations {
        total: list.len(),
        formal_discipline: list.iter().filter(|v| v.formal).count(),
        repeats: list.iter().filter(|v| v.repeat).count(),
        pending: list.iter().filter(|v| v.action.is_none()).count(),
        by_action,
        list,
    }
}

fn commendation_info(plan: &Plan, c: &crate::records::Commendation) -> CommendationInfo {
    let officer = plan.officer(&c.recipient);
    CommendationInfo {
        date: c.date,
        recipient: c.recipient.clone(),
        recipient_name: officer.map_or_else(|| c.recipient.clone(), |o| o.name.clone()),
        is_officer: officer.is_some(),
        form: c.form.clone(),
        reason: c.reason.clone(),
        decision: c.decision.clone(),
    }
}

fn commendations(
    plan: &Plan,
    records: &Records,
    in_period: impl Fn(NaiveDate) -> bool,
) -> Commendations {
    let mut list: Vec<CommendationInfo> = records
        .commendations
        .iter()
        .filter(|c| in_period(c.date))
        .map(|c| commendation_info(plan, c))
        .collect();
    list.sort_by_key(|c| c.date);
    Commendations {
        total: list.len(),
        list,
    }
}

fn feedback(
    records: &Records,
    in_period: impl Fn(NaiveDate) -> bool,
    t: NaiveDate,
) -> FeedbackStats {
    let rows: Vec<_> = records
        .feedback
        .iter()
        .filter(|f| in_period(f.date))
        .collect();
    let by_rating = Rating::ALL
        .iter()
        .map(|r| KindCount {
            kind: r.code(),
            label: r.label(),
            count: rows.iter().filter(|f| f.rating == Some(*r)).count(),
        })
        .collect();
    let by_channel = Channel::ALL
        .iter()
        .map(|c| KindCount {
            kind: c.code(),
            label: c.label(),
            count: rows.iter().filter(|f| f.channel == *c).count(),
        })
        .collect();
    let rated = rows.iter().filter(|f| f.rating.is_some()).count();
    let satisfied = rows
        .iter()
        .filter(|f| matches!(f.rating, Some(Rating::VerySatisfied | Rating::Satisfied)))
        .count();
    let handled = rows
        .iter()
        .filter(|f| f.handled.is_some_and(|h| h <= t))
        .count();
    FeedbackStats {
        total: rows.len(),
        by_rating,
        unrated: rows.len() - rated,
        by_channel,
        handled,
        unhandled: rows.len() - handled,
        satisfaction_rate: stats::percent(satisfied as u64, rated as u64),
    }
}

/// What the next period holds: the deliverables due by its end and not done, the duties'
/// occurrences in it. The dossiers open at T, counted with the others, are left at 0 for
/// [`finish`] to set.
fn next_period(plan: &Plan, records: &Records, period: &Period, t: NaiveDate) -> NextPeriod {
    let next = period.next().unwrap_or(*period);
    let deliverables = plan
        .deliverables()
        .filter(|(_, d)| {
            check::completion(records, d.id.get_ref(), t).is_none() && d.due <= next.end
        })
        .map(|(task, d)| NextDeliverable {
            task: task.id.get_ref().clone(),
            id: d.id.get_ref().clone(),
            title: d.title.clone(),
            due: d.due,
            overdue: d.due < t,
        })
        .collect();
    let scheme = plan.reporting.periods;
    let obligations = plan
        .tasks
        .iter()
        .flat_map(|task| {
            task.obligations.iter().map(move |o| {
                // Named occurrences: those still to do whose window overlaps the next period.
                let matches = check::Matches::of(plan, records, task, o, t);
                let windows: Vec<String> = check::judged_windows(plan, o)
                    .into_iter()
                    .filter(|w| w.by >= next.start && w.from <= next.end)
                    .filter(|w| (matches.between(w.from, w.by).len() as u32) < w.min)
                    .map(|w| {
                        format!(
                            "{} ({})",
                            w.name,
                            crate::messages::report::window(w.from, w.by)
                        )
                    })
                    .collect();
                NextObligation {
                    task: task.id.get_ref().clone(),
                    title: o.title.get_ref().clone(),
                    every: o.every,
                    every_label: every_label(o.every),
                    // A duty with occurrences whose windows are all outside the next period
                    // (the next year, beyond the plan's) is said as any other duty.
                    occurrences: if windows.is_empty() {
                        Period::periods_in(scheme, Size::from(o.every), &next).len()
                    } else {
                        windows.len()
                    },
                    windows,
                }
            })
        })
        .filter(|o| o.occurrences > 0)
        .collect();
    NextPeriod {
        period: PeriodInfo::from(&next),
        deliverables,
        obligations,
        open_dossiers: 0,
    }
}

fn trend(
    plan: &Plan,
    records: &Records,
    by_task: &[Vec<&Activity>],
    counts: &[stats::Counts],
    year: &Period,
    as_of: NaiveDate,
) -> Vec<TrendRow> {
    Period::periods_in(year.scheme, Size::Quarter, year)
        .iter()
        .zip(counts)
        .map(|(q, s)| {
            let t = judged_at(q, as_of);
            let in_q = |d: NaiveDate| q.start <= d && d <= t;
            // The activities as results of the plan: from its issue date.
            let of_plan = |d: NaiveDate| in_q(d) && plan.plan.issued <= d;
            let activities_by_task = plan
                .tasks
                .iter()
                .zip(by_task)
                .map(|(task, activities)| TaskCount {
                    task: task.id.get_ref().clone(),
                    count: activities.iter().filter(|a| of_plan(a.date)).count(),
                })
                .collect();
            TrendRow {
                period: PeriodInfo::from(q),
                activities: records
                    .activities
                    .iter()
                    .filter(|a| of_plan(a.date))
                    .count(),
                activities_by_task,
                dossiers_received: s.received,
                dossiers_resolved: s.resolved.total,
                on_time_rate: s.on_time_rate,
                on_time_rate_backlog: s.on_time_rate_backlog,
                pending_overdue: s.pending.overdue,
                violations: records.violations.iter().filter(|v| in_q(v.date)).count(),
                feedback: records.feedback.iter().filter(|f| in_q(f.date)).count(),
                // As the banner: final from the quarter's last day (its data cut-off) on.
                complete: as_of >= q.end,
            }
        })
        .collect()
}

/// The year's ratings counted by level, in the levels' order (the levels no one has left out).
fn rating_summary(year: i32, rows: &[OfficerRow]) -> RatingSummary {
    let levels = (Level::ALL.iter())
        .map(|level| LevelCount {
            level: level.code(),
            label: level.label(),
            count: (rows.iter())
                .filter(|o| o.rating.as_ref().is_some_and(|r| r.level == level.code()))
                .count(),
        })
        .filter(|l| l.count > 0)
        .collect();
    RatingSummary {
        year,
        levels,
        unrated: rows.iter().filter(|o| o.rating.is_none()).count(),
    }
}

fn officer_rows(
    plan: &Plan,
    records: &Records,
    handled: &[stats::Keyed],
    by_task: &[Vec<&Activity>],
    window: &Window,
    cal: &WorkCalendar,
) -> Vec<OfficerRow> {
    let (period, t) = (window.period, window.t);
    let in_period = |d: NaiveDate| period.start <= d && d <= t;
    let by_officer: BTreeMap<&str, &stats::Keyed> =
        handled.iter().map(|k| (k.key.as_str(), k)).collect();
    let year = Period::year(plan.reporting.periods, plan.plan.year);
    let repeat = repeats(records, &year, t);
    // The rule is the emulation task's (the one whose `records` name commendations), cited as
    // the plan cites it, not by a number written here.
    let emulation_basis = format!(
        "Kế hoạch {}{}: các cán bộ, công chức không thực hiện tốt các nội dung kế hoạch này sẽ không xem xét thi đua",
        plan.plan.number,
        plan.task_ruling("commendations")
            .map(|t| format!(", {}", task_cite(t).cite))
            .unwrap_or_default()
    );
    plan.officers
        .iter()
        .map(|o| {
            let id = o.id.get_ref().as_str();
            let mut violations: Vec<ViolationInfo> = records
                .violations
                .iter()
                .zip(&repeat)
                .filter(|(v, _)| v.officer == id && in_period(v.date))
                .map(|(v, &r)| violation_info(plan, v, r))
                .collect();
            violations.sort_by_key(|v| v.date);
            let strongest = records
                .violations
                .iter()
                .filter(|v| v.officer == id && in_period(v.date))
                .filter_map(|v| v.action)
                .max();
            // Emulation and the rating are judged on the plan's year up to T, whatever the
            // report's period.
            let in_year_by_t: Vec<_> = records
                .violations
                .iter()
                .filter(|v| v.officer == id && year.contains(v.date) && v.date <= t)
                .collect();
            let discipline = in_year_by_t
                .iter()
                .filter_map(|v| v.action)
                .any(Action::is_discipline);
            // Only a decided violation (a form of handling recorded) takes the officer out of
            // emulation: a complaint still under review does not.
            let any_violation = in_year_by_t.iter().any(|v| v.action.is_some());
            let handled = by_officer.get(id);
            let mut commitments: Vec<CommitmentInfo> = records
                .commitments
                .iter()
                .filter(|c| c.officer == id && c.date <= t)
                .map(|c| {
                    let met = c.met_by(t);
                    CommitmentInfo {
                        date: c.date,
                        task: c.task.clone(),
                        commitment: c.commitment.clone(),
                        met: met.map(Fulfilment::code),
                        met_label: met.map(Fulfilment::label),
                        judged: met.and(c.judged),
                    }
                })
                .collect();
            let count_met = |m: &str| (commitments.iter()).filter(|c| c.met == Some(m)).count();
            let (commitments_met, commitments_not_met) = (
                count_met(Fulfilment::Met.code()),
                count_met(Fulfilment::NotMet.code()),
            );
            let rating = (records.ratings.iter())
                .find(|r| {
                    r.officer == id && r.date <= t && i64::from(r.year) == i64::from(plan.plan.year)
                })
                .map(|r| RatingInfo {
                    date: r.date,
                    year: r.year,
                    level: r.level.code(),
                    level_label: r.level.label(),
                    decision: r.decision.clone(),
                    above_cap: discipline && r.level != Level::Failed,
                });
            commitments.sort_by(|a, b| (a.date, &a.task).cmp(&(b.date, &b.task)));
            let (duties_missed, deliverables_late) = own_shortfalls(plan, records, id, by_task, window, cal);
            OfficerRow {
                id: id.to_string(),
                name: o.name.clone(),
                title: o.title.clone(),
                unit: plan
                    .units
                    .iter()
                    .find(|u| u.id.get_ref() == o.unit.get_ref())
                    .map_or_else(String::new, |u| u.name.clone()),
                commitments,
                commitments_met,
                commitments_not_met,
                rating,
                lapses: {
                    let mut list: Vec<_> = (records.lapses.iter())
                        .filter(|l| l.officer.as_deref() == Some(id) && in_period(l.date))
                        .collect();
                    list.sort_by_key(|l| (l.date, l.at));
                    list.into_iter().map(|l| lapse_info(plan, l)).collect()
                },
                dissatisfied: {
                    let mut list: Vec<_> = (records.feedback.iter())
                        .filter(|f| f.rating == Some(Rating::Dissatisfied))
                        .filter(|f| f.officer() == Some(id) && in_period(f.date))
                        .collect();
                    list.sort_by_key(|f| f.date);
                    (list.into_iter())
                        .map(|f| FeedbackNote {
                            date: f.date,
                            channel: f.channel.code(),
                            channel_label: f.channel.label(),
                            summary: f.summary().map(str::to_string),
                            handled: f.handled.filter(|h| *h <= t),
                        })
                        .collect()
                },
                activities: records
                    .activities
                    .iter()
                    .filter(|a| {
                        in_period(a.date)
                            && plan.plan.issued <= a.date
                            && a.officers().any(|x| x == id)
                    })
                    .count(),
                dossiers_handled: handled.map_or(0, |k| k.counts.total),
                dossiers_resolved: handled.map_or(0, |k| k.counts.resolved.total),
                dossiers_late: handled.map_or(0, |k| k.counts.resolved.late + k.counts.pending.overdue),
                dossiers_resolved_late: handled.map_or(0, |k| k.counts.resolved.late),
                dossiers_pending_overdue: handled.map_or(0, |k| k.counts.pending.overdue),
                on_time_rate: handled.and_then(|k| k.counts.on_time_rate),
                not_considered_for_emulation: any_violation,
                emulation_basis: any_violation.then(|| emulation_basis.clone()),
                rating_cap: discipline.then(|| RatingCap {
                    rating: "Không hoàn thành nhiệm vụ",
                    basis: crate::messages::basis::discipline_rating(plan.plan.year).into(),
                    also: "Không đủ điều kiện xét danh hiệu “Lao động tiên tiến” (cần xếp loại hoàn thành tốt nhiệm vụ trở lên)".into(),
                }),
                strongest_action: strongest.map(Action::code),
                strongest_action_label: strongest.map(Action::label),
                commendations: records
                    .commendations
                    .iter()
                    .filter(|c| c.recipient == id && in_period(c.date))
                    .map(|c| commendation_info(plan, c))
                    .collect(),
                violations,
                duties_missed,
                deliverables_late,
            }
        })
        .collect()
}

/// What the plan gives an officer by name and the period shows undone: the recurring duties
/// whose `officer` they are (the Chairman's weekly citizen reception) with the periods or
/// occurrences missed, and the deliverables they own done late or overdue at T.
fn own_shortfalls(
    plan: &Plan,
    records: &Records,
    id: &str,
    by_task: &[Vec<&Activity>],
    window: &Window,
    cal: &WorkCalendar,
) -> (Vec<DutyMissed>, Vec<DeliverableInfo>) {
    let mut duties = Vec::new();
    for (task, activities) in plan.tasks.iter().zip(by_task) {
        let own = |o: &&Obligation| o.officer.as_ref().is_some_and(|x| x.get_ref() == id);
        for o in task.obligations.iter().filter(own) {
            let info = obligation_info(plan, task, o, activities, window, cal);
            if !info.missed_labels.is_empty() {
                duties.push(DutyMissed {
                    task: task.id.get_ref().clone(),
                    title: info.title,
                    missed: info.missed_labels,
                });
            }
        }
    }
    let deliverables = plan
        .deliverables()
        .filter(|(_, d)| d.owner.as_ref().is_some_and(|o| o.get_ref() == id))
        .filter_map(|(_, d)| deliverable_info(plan, records, d, window))
        .filter(|d| {
            matches!(
                d.status,
                DeliverableStatus::DoneLate | DeliverableStatus::Overdue
            )
        })
        .collect();
    (duties, deliverables)
}

/// The period's warnings (those `check` finds as of T, in its order), counted: by code, task,
/// field, officer and month, with the first [`EXAMPLES_PER_CODE`] of each code shown.
fn findings<'a>(
    plan: &Plan,
    warnings: &[&'a Finding],
    lapses: &LapseTally,
    period: &Period,
    t: NaiveDate,
) -> Findings<'a> {
    use crate::messages::Msg;
    use std::collections::HashMap;
    // The dossiers' lapses, counted already.
    let mut by_month = lapses.by_month.clone();
    let mut by_code: Vec<CodeCount> = (lapses.by_code.iter())
        .map(|&(code, count)| CodeCount {
            code: code.as_str(),
            severity: code.severity(),
            count,
            shown: 0,
        })
        .collect();
    let mut by_task = vec![0usize; plan.tasks.len()];
    let mut by_officer = vec![0usize; plan.officers.len()];
    let mut other_officers: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    // A dossier's field from its procedure, looked up once per procedure.
    let mut fields: Vec<(String, usize)> = Vec::new();
    let mut field_at: HashMap<String, usize> = HashMap::new();
    for (procedure, &n) in &lapses.by_procedure {
        let field = procedure_field(plan, procedure);
        let i = *field_at.entry(field.clone()).or_insert_with(|| {
            fields.push((field, 0));
            fields.len() - 1
        });
        fields[i].1 += n;
    }
    let mut examples = Vec::new();
    let mut total = lapses.by_code.iter().map(|&(_, n)| n).sum();
    let task_index = |id: &str| plan.tasks.iter().position(|t| t.id.get_ref() == id);
    for &f in warnings.iter().filter(|f| of_period(f, period, t)) {
        let lapse = is_lapse(f);
        let code = f.code.as_str();
        let at = match by_code.iter().position(|c| c.code == code) {
            Some(at) => at,
            None => {
                by_code.push(CodeCount {
                    code,
                    severity: f.severity(),
                    count: 0,
                    shown: 0,
                });
                by_code.len() - 1
            }
        };
        let c = &mut by_code[at];
        if c.shown < EXAMPLES_PER_CODE {
            c.shown += 1;
            examples.push(FindingInfo(f));
        }
        if lapse {
            continue;
        }
        c.count += 1;
        total += 1;
        by_month.add(f.date);
        let task = match &f.message {
            Msg::DeliverableOverdue { id, .. } | Msg::DeliverableLate { id, .. } => plan
                .deliverables()
                .find(|(_, d)| d.id.get_ref() == id)
                .and_then(|(task, _)| task_index(task.id.get_ref())),
            m => m.task().and_then(task_index),
        };
        if let Some(i) = task {
            by_task[i] += 1;
        }
        match &f.message {
            Msg::CommitmentMissing { officer, name, .. }
            | Msg::RepeatViolation { officer, name, .. }
            | Msg::RatingMissing { officer, name, .. }
            | Msg::CommitmentsUnjudged { officer, name, .. }
            | Msg::RatingAboveDiscipline { officer, name, .. } => {
                match plan.officers.iter().position(|o| o.id.get_ref() == officer) {
                    Some(i) => by_officer[i] += 1,
                    None => other_officers.entry(officer).or_insert((name, 0)).1 += 1,
                }
            }
            _ => {}
        }
    }
    by_code.sort_by_key(|c| c.code);
    // The examples by code, each code's in check order (they came in that order).
    examples.sort_by_key(|f| f.0.code.as_str());
    let mut by_field: Vec<NamedCount> = fields
        .into_iter()
        .map(|(field, count)| NamedCount {
            name: if field.is_empty() {
                "(chưa ghi)".to_string()
            } else {
                field.clone()
            },
            key: field,
            count,
        })
        .collect();
    by_field.sort_by_cached_key(|n| crate::text::fold(&n.name));
    Findings {
        total,
        by_code,
        by_task: plan
            .tasks
            .iter()
            .zip(by_task)
            .filter(|(_, count)| *count > 0)
            .map(|(task, count)| TaskCount {
                task: task.id.get_ref().clone(),
                count,
            })
            .collect(),
        by_field,
        by_officer: plan
            .officers
            .iter()
            .zip(by_officer)
            .filter(|(_, count)| *count > 0)
            .map(|(o, count)| NamedCount {
                key: o.id.get_ref().clone(),
                name: o.name.clone(),
                count,
            })
            .chain(
                other_officers
                    .into_iter()
                    .map(|(id, (name, count))| NamedCount {
                        key: id.to_string(),
                        name: name.to_string(),
                        count,
                    }),
            )
            .collect(),
        by_period: (by_month.months.iter())
            .zip(by_month.counts)
            .map(|(m, count)| PeriodCount {
                code: m.code(),
                label: m.label(),
                count,
            })
            .collect(),
        before_period: by_month.before,
        examples,
    }
}

/// The field (lĩnh vực) of a dossier's procedure, as the catalogue gives it: by its id or its
/// name; empty when the catalogue does not have it.
fn procedure_field(plan: &Plan, procedure: &str) -> String {
    let found = match crate::catalogue::find(plan, procedure) {
        crate::catalogue::Found::Exact(p) | crate::catalogue::Found::Near(p) => Some(p),
        _ => None,
    };
    found.map_or_else(String::new, |p| p.field.clone())
}

fn of_period(f: &Finding, period: &Period, t: NaiveDate) -> bool {
    f.severity() != Severity::Error && stands_in(f.standing, f.date, period, t)
}

/// Whether a lapse of day `date` (standing or not at T) counts in `period` judged at `t`.
fn stands_in(standing: bool, date: Option<NaiveDate>, period: &Period, t: NaiveDate) -> bool {
    standing || date.is_some_and(|d| period.start <= d && d <= t)
}

fn every_label(every: Every) -> &'static str {
    match every {
        Every::Week => "hằng tuần",
        Every::Month => "hằng tháng",
        Every::Quarter => "hằng quý",
        Every::Half => "6 tháng một lần",
        Every::Year => "hằng năm",
    }
}

/// The period's warnings as the sentences of "Tồn tại, hạn chế": one per lapse, except that
/// repeated lapses of one kind are gathered (missed periods of one duty, dossiers by problem).
fn shortcomings<'w>(
    plan: &Plan,
    warnings: &[&'w Finding],
    lapses: &LapseTally,
    period: &Period,
    t: NaiveDate,
) -> Vec<String> {
    use crate::messages::Msg;
    use crate::messages::report as report_says;
    let mut out = Vec::new();
    // Missed periods, per obligation, in plan order.
    let mut missed: Vec<((String, String), Vec<String>)> = Vec::new();
    let mut no_evidence: BTreeMap<String, Vec<NaiveDate>> = BTreeMap::new();
    let (mut overdue, mut no_reason, mut no_apology): (Vec<&'w str>, Vec<&'w str>, Vec<&'w str>) =
        (Vec::new(), Vec::new(), Vec::new());
    for f in warnings.iter().filter(|f| of_period(f, period, t)) {
        match &f.message {
            Msg::ObligationMissed {
                period,
                title,
                task,
                ..
            } => {
                let key = (task.clone(), title.clone());
                match missed.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, labels)) => labels.push(period.label()),
                    None => missed.push((key, vec![period.label()])),
                }
            }
            Msg::OccurrenceMissed {
                title,
                name,
                task,
                from,
                by,
                min,
                found,
            } => out.push(report_says::occurrence_missed(
                title,
                task,
                name,
                (*from, *by),
                (*found, *min),
            )),
            Msg::EvidenceMissing { task, date, .. } => {
                no_evidence.entry(task.clone()).or_default().push(*date);
            }
            Msg::DossierOverdue { id, .. } => overdue.push(id.as_str()),
            // Deliverables by their title: ids are for the data, not for the document.
            Msg::DeliverableOverdue { title, due, .. } => out.push(format!(
                "“{title}” đến hạn {} nhưng chưa hoàn thành.",
                crate::dates::dmy(*due)
            )),
            Msg::DeliverableLate {
                title,
                due,
                done,
                days,
                ..
            } => out.push(format!(
                "“{title}” hoàn thành ngày {}, chậm {days} ngày so với hạn {}.",
                crate::dates::dmy(*done),
                crate::dates::dmy(*due)
            )),
            Msg::LateWithoutReason { id, .. } => no_reason.push(id.as_str()),
            Msg::LateWithoutApology { id, .. } => no_apology.push(id.as_str()),
            // Officers by their names: ids are for the data, not for the document.
            Msg::CommitmentMissing {
                name,
                due,
                late: None,
                ..
            } => out.push(report_says::commitment_missing(name, *due)),
            Msg::CommitmentMissing {
                name,
                due,
                late: Some(on),
                ..
            } => out.push(report_says::commitment_late(name, *on, *due)),
            Msg::RepeatViolation {
                name, first, year, ..
            } => out.push(report_says::repeat_violation(name, *first, *year)),
            Msg::RatingMissing {
                name, year, due, ..
            } => out.push(report_says::rating_missing(name, *year, *due)),
            Msg::CommitmentsUnjudged {
                name, count, due, ..
            } => out.push(report_says::commitments_unjudged(name, *count, *due)),
            Msg::RatingAboveDiscipline {
                name,
                year,
                level,
                action,
                date,
                ..
            } => out.push(report_says::rating_above_discipline(
                name,
                *year,
                level.label(),
                action.label(),
                *date,
            )),
            other => {
                let mut text = other.render(Lang::Vi);
                if let Some(c) = text.chars().next() {
                    text = c.to_uppercase().chain(text.chars().skip(1)).collect();
                }
                out.push(format!("{text}."));
            }
        }
    }
    let task_title = |id: &str| {
        plan.task(id)
            .map(|t| t.title.trim_end_matches([':', '.']).to_string())
            .unwrap_or_default()
    };
    let mut first = Vec::new();
    for ((task, title), labels) in missed {
        first.push(format!(
            "“{title}” (nhiệm vụ {task}) chưa thực hiện đủ ở {} kỳ: {}.",
            labels.len(),
            labels.join(", ")
        ));
    }
    for (task, dates) in no_evidence {
        first.push(format!(
            "{} hoạt động thuộc nhiệm vụ {task} ({}) không ghi hồ sơ lưu (ngày {}).",
            dates.len(),
            lower_first(&task_title(&task)),
            dates
                .iter()
                .map(|d| crate::dates::dmy(*d))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // The dossiers: how many of each lapse (counted by the tally), the first few named (the
    // findings made of them, in check order).
    let ids = |v: &[&str], n: usize| {
        let named = &v[..v.len().min(DOSSIERS_NAMED)];
        if n <= named.len() {
            named.join(", ")
        } else {
            format!("{}, … (xem `kehoach check`)", named.join(", "))
        }
    };
    let dossiers = [
        (
            Code::DossierOverdue,
            overdue,
            "hồ sơ thủ tục hành chính quá hạn nhưng chưa giải quyết xong",
        ),
        (
            Code::LateWithoutReason,
            no_reason,
            "hồ sơ trả kết quả trễ hạn không ghi rõ lý do",
        ),
        (
            Code::LateWithoutApology,
            no_apology,
            "hồ sơ trễ hạn chưa có văn bản xin lỗi tổ chức, công dân",
        ),
    ];
    for (code, named, says) in dossiers {
        let n = lapses.count(code);
        if n > 0 {
            out.push(format!("{n} {says}: {}.", ids(&named, n)));
        }
    }
    first.extend(out);
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Code, Location};
    use crate::messages::Msg;
    use crate::records::Kind;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn plan() -> Plan {
        crate::plan::minimal_fixture()
    }

    fn quarter(plan: &Plan, code: &str) -> Period {
        Period::parse(plan.reporting.periods, code).unwrap()
    }

    /// Records holding these activity rows (date, task, kind, officers, evidence, deliverable).
    fn activities(plan: &Plan, rows: &[[&str; 6]]) -> Records {
        let mut records = Records::default();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|[date, task, kind, officers, evidence, deliverable]| {
                [
                    date,
                    task,
                    kind,
                    "Việc",
                    officers,
                    evidence,
                    deliverable,
                    "",
                    "",
                ]
                .map(|s| s.to_string())
                .to_vec()
            })
            .collect();
        let found = crate::records::read::check_new_rows(
            plan,
            &mut records,
            Kind::Activities,
            &rows,
            "records/activities.csv",
            2,
        );
        assert!(found.is_empty(), "{found:?}");
        records
    }

    #[test]
    fn the_window_of_a_closed_period_ends_with_it_and_of_an_open_one_the_day_before_as_of() {
        let plan = plan();
        let q1 = quarter(&plan, "2021-Q1");
        assert_eq!((q1.start, q1.end), (day("2020-12-15"), day("2021-03-14")));
        let closed = Window::of(&q1, day("2021-06-01"));
        assert_eq!((closed.t, closed.closed), (q1.end, q1.end));
        let open = Window::of(&q1, day("2021-02-01"));
        assert_eq!(
            (open.t, open.closed),
            (day("2021-02-01"), day("2021-01-31"))
        );
        assert!(open.contains(day("2020-12-15")) && open.contains(day("2021-02-01")));
        assert!(!open.contains(day("2020-12-14")) && !open.contains(day("2021-02-02")));
    }

    #[test]
    fn warnings_come_in_the_order_check_prints_them() {
        let at = |file: &str, line| Location::file(file, Some(line), None);
        let f = |code, location| Finding::new(code, location, Msg::NoHeader);
        let found = [
            f(Code::DossierOverdue, at("records/dossiers.csv", 9)),
            f(Code::EvidenceMissing, at("records/activities.csv", 3)),
            f(Code::DossierOverdue, at("records/dossiers.csv", 2)),
        ];
        let ordered: Vec<_> = in_check_order(&found)
            .iter()
            .map(|f| f.location.display())
            .collect();
        assert_eq!(
            ordered,
            [
                "records/activities.csv:3",
                "records/dossiers.csv:2",
                "records/dossiers.csv:9"
            ]
        );
    }

    #[test]
    fn responsible_names_units_and_officers_and_keeps_other_ids() {
        let plan = plan();
        let task = |plan: &Plan, id: &str| plan.task(id).unwrap().clone();
        assert_eq!(
            responsible(&plan, &task(&plan, "1")),
            ["Văn phòng - Thống kê"]
        );
        assert_eq!(responsible(&plan, &task(&plan, "9")), ["Nguyễn Khánh Hòa"]);
        let mut odd = task(&plan, "9");
        odd.responsible.push(odd.responsible[0].clone());
        *odd.responsible[1].get_mut() = "khong-co".into();
        assert_eq!(responsible(&plan, &odd), ["Nguyễn Khánh Hòa", "khong-co"]);
    }

    #[test]
    fn a_task_shows_its_activities_of_the_window_by_date_and_counts_the_kinds_it_has() {
        let plan = plan();
        let records = activities(
            &plan,
            &[
                ["2021-02-03", "9", "reception", "ct", "", ""],
                ["2021-01-06", "9", "reception", "ct", "", ""],
                ["2021-01-07", "9", "meeting", "ct", "", ""],
                // Before the period, and after T.
                ["2020-12-01", "9", "reception", "ct", "", ""],
                ["2021-02-10", "9", "reception", "ct", "", ""],
            ],
        );
        let q1 = quarter(&plan, "2021-Q1");
        let window = Window::of(&q1, day("2021-02-05"));
        let all: Vec<&Activity> = records.activities.iter().collect();
        let shown = task_activities(&plan, &all, &window, &[]);
        assert_eq!(shown.total, 3);
        let dates: Vec<NaiveDate> = shown.list.iter().map(|a| a.activity.date).collect();
        assert_eq!(
            dates,
            [day("2021-01-06"), day("2021-01-07"), day("2021-02-03")]
        );
        let kinds: Vec<(&str, usize)> = shown.by_kind.iter().map(|k| (k.kind, k.count)).collect();
        // In the order of the kinds.
        assert_eq!(kinds, [("meeting", 1), ("reception", 2)]);
    }

    #[test]
    fn a_task_with_more_activities_than_it_lists_lists_deliverables_then_even_steps() {
        let plan = plan();
        // 100 reports of task 2, one a day from 4 January; the 70th completes its deliverable.
        let rows: Vec<[String; 6]> = (0..100)
            .map(|i| {
                let date = day("2021-01-04") + chrono::Days::new(i);
                let deliverable = if i == 69 { "2-bao-cao" } else { "" };
                [
                    date.to_string(),
                    "2".into(),
                    "report".into(),
                    "ct".into(),
                    "Sổ".into(),
                    deliverable.into(),
                ]
            })
            .collect();
        let rows: Vec<[&str; 6]> = rows
            .iter()
            .map(|r| r.each_ref().map(|s| s.as_str()))
            .collect();
        let records = activities(&plan, &rows);
        let all: Vec<&Activity> = records.activities.iter().collect();
        let q = quarter(&plan, "2021-Q2");
        let window = Window::of(&q, day("2021-07-01"));
        let year = Period::year(plan.reporting.periods, 2021);
        let wide = Window::of(&year, day("2022-01-15"));
        let shown = task_activities(&plan, &all, &wide, &[]);
        assert_eq!(
            (shown.total, shown.list.len(), shown.not_listed),
            (100, 60, 40)
        );
        assert_eq!(shown.by_kind[0].count, 100);
        let dates: Vec<NaiveDate> = shown.list.iter().map(|a| a.activity.date).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "by date");
        // The deliverable's activity is listed; the first and the last days are seen.
        assert!(dates.contains(&(day("2021-01-04") + chrono::Days::new(69))));
        assert_eq!(dates[0], day("2021-01-04"));
        assert!(
            *dates.last().unwrap() >= day("2021-04-10"),
            "{:?}",
            dates.last()
        );
        // A task with fewer lists them all.
        let few = task_activities(&plan, &all, &window, &[]);
        assert_eq!(few.list.len(), few.total);
        assert_eq!(few.not_listed, 0);
    }

    #[test]
    fn a_deliverable_status_says_done_late_overdue_or_pending_at_t() {
        use DeliverableStatus::*;
        let (due, t) = (day("2021-06-30"), day("2021-07-10"));
        assert_eq!(DeliverableStatus::at(due, Some(due), t), Done);
        assert_eq!(DeliverableStatus::at(due, Some(day("2021-06-01")), t), Done);
        assert_eq!(
            DeliverableStatus::at(due, Some(day("2021-07-01")), t),
            DoneLate
        );
        assert_eq!(DeliverableStatus::at(due, None, t), Overdue);
        assert_eq!(DeliverableStatus::at(due, None, due), Pending);
        let names: Vec<String> = [Done, DoneLate, Overdue, Pending]
            .iter()
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();
        assert_eq!(
            names,
            ["\"done\"", "\"done_late\"", "\"overdue\"", "\"pending\""]
        );
        assert_eq!(DoneLate.label(), "Hoàn thành chậm");
        assert_eq!(Overdue.label(), "Quá hạn, chưa hoàn thành");
    }

    #[test]
    fn a_deliverable_belongs_to_the_report_of_its_due_date_its_completion_or_while_overdue() {
        let plan = plan();
        let d = plan.task("2").unwrap().deliverables[0].clone();
        assert_eq!(d.due, day("2021-12-15"));
        let report = |records: &Records, code: &str, as_of: &str| {
            let period = quarter(&plan, code);
            let window = Window::of(&period, day(as_of));
            deliverable_info(&plan, records, &d, &window).map(|i| (i.status, i.done_on))
        };
        let none = Records::default();
        // Due in Q1 of 2022 under nd09 (15/12/2021–14/03/2022); not before.
        assert_eq!(report(&none, "2021-Q4", "2022-01-10"), None);
        assert_eq!(
            report(&none, "2022-Q1", "2021-12-15"),
            Some((DeliverableStatus::Pending, None))
        );
        assert_eq!(
            report(&none, "2022-Q1", "2022-03-01"),
            Some((DeliverableStatus::Overdue, None))
        );
        // Still overdue from before the period.
        assert_eq!(
            report(&none, "2022-Q2", "2022-04-01"),
            Some((DeliverableStatus::Overdue, None))
        );
        // Done early, in Q4: in Q4's report, with its evidence; not in Q1's.
        let done = activities(
            &plan,
            &[[
                "2021-12-01",
                "2",
                "report",
                "ct",
                "Báo cáo 99/BC",
                "2-bao-cao",
            ]],
        );
        let period = quarter(&plan, "2021-Q4");
        let info =
            deliverable_info(&plan, &done, &d, &Window::of(&period, day("2022-01-10"))).unwrap();
        assert_eq!(info.status, DeliverableStatus::Done);
        assert_eq!(info.status_label, "Đã hoàn thành");
        assert_eq!(info.evidence.as_deref(), Some("Báo cáo 99/BC"));
        assert_eq!(info.owner.as_deref(), Some("Nguyễn Khánh Hòa"));
        // In Q1 of 2022 it falls due, so it is shown there too, done.
        assert_eq!(
            report(&done, "2022-Q1", "2022-04-01"),
            Some((DeliverableStatus::Done, Some(day("2021-12-01"))))
        );
        assert_eq!(report(&done, "2022-Q2", "2022-07-01"), None);
    }

    #[test]
    fn a_duty_period_is_waived_without_a_workday_met_open_or_missed() {
        use PeriodStatus::*;
        let (end, closed) = (day("2021-03-07"), day("2021-03-07"));
        assert_eq!(PeriodStatus::judge(false, 0, 1, end, closed), Waived);
        assert_eq!(PeriodStatus::judge(false, 3, 1, end, closed), Waived);
        assert_eq!(PeriodStatus::judge(true, 1, 1, end, closed), Met);
        assert_eq!(
            PeriodStatus::judge(true, 1, 1, day("2021-03-14"), closed),
            Met
        );
        assert_eq!(
            PeriodStatus::judge(true, 0, 1, day("2021-03-08"), closed),
            Open
        );
        assert_eq!(PeriodStatus::judge(true, 1, 2, end, closed), Missed);
        let names: Vec<String> = [Met, Missed, Waived, Open]
            .iter()
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();
        assert_eq!(names, ["\"met\"", "\"missed\"", "\"waived\"", "\"open\""]);
        assert_eq!(Missed.label(), "Chưa thực hiện đủ");
    }

    #[test]
    fn a_period_of_named_occurrences_is_met_only_when_all_are() {
        use PeriodStatus::*;
        let of = |s: &[PeriodStatus]| PeriodStatus::of_occurrences(s.iter().copied());
        assert_eq!(of(&[Met, Open]), Open);
        assert_eq!(of(&[Met, Met]), Met);
        assert_eq!(of(&[Met, Waived]), Met);
        assert_eq!(of(&[Waived, Waived]), Waived);
        assert_eq!(of(&[Met, Missed, Open]), Missed);
        assert_eq!(of(&[Open, Open]), Open);
    }

    #[test]
    fn a_duty_shows_its_periods_within_the_report_or_the_longer_one_around_it() {
        let plan = plan();
        let q1 = quarter(&plan, "2021-Q1");
        let weekly = &plan.task("9").unwrap().obligations[0];
        let weeks = duty_periods(&plan, weekly, &q1);
        // The weeks of the quarter the plan was in force for at least half of: 03 to 10 (it
        // was issued on Friday 15/01/2021, in week 02).
        assert_eq!(weeks.len(), 8, "{weeks:?}");
        assert!(
            weeks
                .iter()
                .all(|w| plan.plan.issued <= w.end && q1.start <= w.end && w.end <= q1.end)
        );
        let mut yearly = plan.task("1").unwrap().obligations[0].clone();
        yearly.every = Every::Year;
        let year = duty_periods(&plan, &yearly, &q1);
        assert_eq!(year.len(), 1);
        assert_eq!(
            year[0].code(),
            Period::year(plan.reporting.periods, 2021).code()
        );
    }

    #[test]
    fn a_weekly_duty_is_judged_week_by_week_and_counted() {
        let plan = plan();
        let task = plan.task("9").unwrap();
        let duty = &task.obligations[0];
        // Receptions in weeks 01, 02 and 04, judged on 10/02: weeks 03 and 05 missed, 06 open;
        // week 01 ended before the plan was issued and week 02 held its issue date on a
        // Friday: neither is judged.
        let records = activities(
            &plan,
            &[
                ["2021-01-06", "9", "reception", "ct", "Sổ", ""],
                ["2021-01-13", "9", "reception", "ct", "Sổ", ""],
                ["2021-01-27", "9", "reception", "ct", "Sổ", ""],
            ],
        );
        let all: Vec<&Activity> = records.activities.iter().collect();
        let q1 = quarter(&plan, "2021-Q1");
        let window = Window::of(&q1, day("2021-02-10"));
        let info = obligation_info(&plan, task, duty, &all, &window, &check::calendar(&plan));
        let statuses = |s: PeriodStatus| info.periods.iter().filter(|p| p.status == s).count();
        assert_eq!(info.met, 1);
        assert_eq!(info.met, statuses(PeriodStatus::Met));
        assert_eq!(info.missed, statuses(PeriodStatus::Missed));
        assert_eq!(info.open, statuses(PeriodStatus::Open));
        assert_eq!(info.waived, statuses(PeriodStatus::Waived));
        assert_eq!(
            info.met + info.missed + info.open + info.waived,
            info.periods.len()
        );
        // Weeks before 10/02 without a reception are missed, those after it open.
        assert_eq!(info.missed, 2);
        assert!(info.open > 0);
        assert!(info.periods.iter().all(|p| p.end >= plan.plan.issued));
        let missed: Vec<&String> = info
            .periods
            .iter()
            .filter(|p| p.status == PeriodStatus::Missed)
            .map(|p| &p.label)
            .collect();
        assert_eq!(info.missed_labels.iter().collect::<Vec<_>>(), missed);
        assert!(
            info.periods
                .iter()
                .filter(|p| p.status == PeriodStatus::Open)
                .all(|p| p.end > window.closed)
        );
        assert_eq!(info.officer.as_deref(), Some("Nguyễn Khánh Hòa"));
    }

    #[test]
    fn the_document_is_dated_t_and_titled_by_the_report() {
        let plan = plan();
        let req = |kind, as_of: &str| Request {
            kind,
            period: quarter(&plan, "2021-Q1"),
            as_of: day(as_of),
            data_errors: 0,
            number: Some("12".into()),
        };
        let closed = req(ReportKind::Quarter, "2021-06-01");
        let doc = document(&plan, &closed, judged_at(&closed.period, closed.as_of));
        assert_eq!(doc.date, day("2021-03-14"));
        assert_eq!(doc.place_date, "Sơn Hồng, ngày 14 tháng 3 năm 2021");
        assert_eq!(
            doc.title,
            "Kết quả thực hiện kỷ luật, kỷ cương hành chính quý I năm 2021"
        );
        assert_eq!(doc.number.as_deref(), Some("12"));
        assert_eq!(doc.authority_upper, "ỦY BAN NHÂN DÂN XÃ SƠN HỒNG");
        let officers = req(ReportKind::Officers, "2021-02-01");
        let doc = document(
            &plan,
            &officers,
            judged_at(&officers.period, officers.as_of),
        );
        assert_eq!(doc.date, day("2021-02-01"));
        assert!(
            doc.title.contains("của cán bộ, công chức quý I"),
            "{}",
            doc.title
        );
    }

    #[test]
    fn the_plan_is_cited_by_number_date_authority_and_title() {
        assert_eq!(
            plan_info(&plan()).citation,
            "Kế hoạch số 01/KH-UBND ngày 15/01/2021 của Ủy ban nhân dân xã Sơn Hồng về thực hiện kỷ luật, kỷ cương hành chính năm 2021"
        );
    }

    #[test]
    fn the_dossiers_lapses_are_counted_all_whatever_few_are_made_findings() {
        // 400 dossiers received through the year, a third returned late without a reason, the
        // rest overdue: many more lapses of each code than a report shows.
        let procedures = ["dd-hoa-giai", "dd-xac-nhan", "ho-tich-khai-sinh"];
        let (_dir, source, plan, records) =
            check::lapse_folder(17_000, day("2021-01-04"), 340, &procedures);
        for (period, as_of) in [("2021", "2022-01-15"), ("2021-Q3", "2021-10-20")] {
            let req = Request {
                kind: ReportKind::Year,
                period: Period::parse(plan.reporting.periods, period).unwrap(),
                as_of: day(as_of),
                data_errors: 0,
                number: None,
            };
            let (t, closed) = (
                judged_at(&req.period, req.as_of),
                closed_through(&req.period, req.as_of),
            );
            // What the report says, made of the first 20 of a code or of every one.
            let said = |per: usize| {
                let counts = count_dossiers(&plan, &records.dossiers, &req);
                let tallies = check::Lapses {
                    per,
                    tally: || LapseTally::new(&req),
                };
                let (work, lapses) = check::work_after(
                    &plan,
                    &source,
                    &records,
                    &records.dossiers,
                    t,
                    closed,
                    tallies,
                );
                let (warnings, _) = work.findings(Vec::new(), &records);
                let report = build(&plan, &records, counts, &warnings, lapses, &req);
                (
                    serde_json::to_value(&report.findings).unwrap(),
                    report.shortcomings.clone(),
                )
            };
            let (few, few_sentences) = said(EXAMPLES_PER_CODE);
            let (every, every_sentences) = said(usize::MAX);
            assert_eq!(few, every, "{period}");
            assert_eq!(few_sentences, every_sentences, "{period}");
            // Against every finding `check` makes, counted here by hand.
            let all = check::work_findings(&plan, &source, &records, t, closed);
            let of_period: Vec<&Finding> = all
                .iter()
                .filter(|f| of_period(f, &req.period, t))
                .collect();
            assert_eq!(few["total"], of_period.len(), "{period}");
            for code in [
                Code::DossierOverdue,
                Code::LateWithoutReason,
                Code::LateWithoutApology,
            ] {
                let n = of_period.iter().filter(|f| f.code == code).count();
                assert!(n > EXAMPLES_PER_CODE, "{period}: {n} {code:?}");
                let counted = few["by_code"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["code"] == code.as_str())
                    .map(|c| (c["count"].clone(), c["shown"].clone()));
                assert_eq!(
                    counted,
                    Some((n.into(), EXAMPLES_PER_CODE.into())),
                    "{period}"
                );
            }
            let months: usize = (few["by_period"].as_array().unwrap().iter())
                .map(|m| m["count"].as_u64().unwrap() as usize)
                .sum();
            let before = few["before_period"].as_u64().unwrap() as usize;
            assert_eq!(months + before, of_period.len(), "{period}");
            let fields: usize = (few["by_field"].as_array().unwrap().iter())
                .map(|m| m["count"].as_u64().unwrap() as usize)
                .sum();
            assert_eq!(fields, of_period.iter().filter(|f| is_lapse(f)).count());
            let overdue = of_period
                .iter()
                .filter(|f| f.code == Code::DossierOverdue)
                .count();
            let sentence = format!("{overdue} hồ sơ thủ tục hành chính quá hạn");
            assert!(
                few_sentences
                    .iter()
                    .any(|s| s.starts_with(&sentence) && s.contains("T-")),
                "{period}: {few_sentences:?}"
            );
        }
    }
}
