//! The plan: `plan.toml`, schema 1 (PRODUCT.md §3).
//!
//! The model is strict: every table denies unknown keys, so a typo fails with its line and column
//! instead of being ignored. References between parts of the plan (a task naming a unit, a
//! deliverable naming its owner) are kept with their byte span so that [`Plan::validate`] can
//! point at the exact place of a bad reference. Loading never prints; problems come back as
//! [`Finding`]s.

use std::collections::HashSet;
use std::path::Path;

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::findings::{Code, Finding, Location};
use crate::messages::Msg;
use crate::records::codes::ActivityKind;
pub use crate::scheme::{Every, Scheme};

/// The schema version this build reads.
pub const SCHEMA: u32 = 1;

/// The plan file name inside a plan folder.
pub const PLAN_FILE: &str = "plan.toml";

/// The record kinds a task may name in `records`: those whose findings cite a task of the plan
/// (dossiers: W307, W308; violations: W306), and those the officers report is made under
/// (commendations: the emulation task; commitments and ratings: the year-end rating task).
pub const RULED_KINDS: &[&str] = &[
    "dossiers",
    "violations",
    "commendations",
    "commitments",
    "ratings",
    "lapses",
];

/// A place in plan.toml: its key (when known), line and column (0: unknown).
fn plan_place(key: &str, line: u64, column: u64) -> Location {
    Location {
        file: PLAN_FILE.into(),
        line: (line > 0).then_some(line),
        column: (column > 0).then_some(column),
        key: (!key.is_empty()).then(|| key.to_string()),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub schema: Spanned<u32>,
    pub plan: PlanMeta,
    pub signer: Signer,
    #[serde(default)]
    pub reporting: Reporting,
    #[serde(default)]
    pub calendar: CalendarConf,
    #[serde(default)]
    pub commitments: Option<CommitmentRule>,
    #[serde(default)]
    pub ratings: Option<RatingRule>,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub officers: Vec<Officer>,
    #[serde(default)]
    pub procedures: Vec<Procedure>,
    #[serde(default)]
    pub tasks: Vec<Task>,
}

/// Document metadata of the plan itself (số, trích yếu, cơ quan ban hành, …).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// Số và ký hiệu, e.g. "06/KH-UBND".
    pub number: String,
    /// Trích yếu.
    pub title: String,
    pub year: i32,
    #[serde(deserialize_with = "toml_date::one")]
    pub issued: NaiveDate,
    /// Địa danh used in "Sơn Hồng, ngày … tháng … năm …".
    pub place: String,
    /// Cơ quan ban hành, e.g. "Ủy ban nhân dân xã Sơn Hồng".
    pub authority: String,
    /// Cơ quan chủ quản, if any.
    #[serde(default)]
    pub parent_authority: Option<String>,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Part III "Tổ chức thực hiện", item by item.
    #[serde(default)]
    pub implementation: Vec<String>,
    /// The office's identifier code (mã định danh, TT 10/2016/TT-BTTTT), the first part of its
    /// one-stop dossier codes `<unit_code>-<YYMMDD>-<sequence>`, e.g. "000.00.27.H42".
    #[serde(default)]
    pub unit_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// "TM. ỦY BAN NHÂN DÂN".
    pub authority_line: String,
    /// "CHỦ TỊCH".
    pub title: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reporting {
    #[serde(default)]
    pub periods: Scheme,
    /// Reports are numbered "Số: …/<report_symbol>".
    #[serde(default = "default_report_symbol")]
    pub report_symbol: String,
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Whom each kind of report is addressed to ("Kính gửi:").
    #[serde(default)]
    pub addressees: Addressees,
    /// Working days after the end of a quarter by which its report is due (0: the last day).
    #[serde(default)]
    pub quarterly_due_workdays: u32,
    /// The reports `kehoach reports due` writes once their period has ended.
    #[serde(default = "default_reports")]
    pub reports: Vec<DueReport>,
    /// The formats it writes each of them in.
    #[serde(default = "default_report_formats")]
    pub report_formats: Vec<DueFormat>,
}

/// Whom each kind of report is addressed to: the "Kính gửi:" line, one body per item. A kind
/// left out (or empty) is addressed to no one and prints no "Kính gửi:".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Addressees {
    #[serde(default)]
    pub quarter: Vec<String>,
    #[serde(default)]
    pub half: Vec<String>,
    #[serde(default)]
    pub year: Vec<String>,
    #[serde(default)]
    pub officers: Vec<String>,
    /// The month's one-stop statistics (`report month`).
    #[serde(default)]
    pub month: Vec<String>,
}

/// A report `kehoach reports due` writes when its period has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DueReport {
    Quarter,
    Half,
    Year,
    /// The officers report of the year.
    Officers,
}

/// A format `kehoach reports due` writes reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DueFormat {
    Md,
    Html,
    Docx,
    Json,
}

fn default_reports() -> Vec<DueReport> {
    vec![DueReport::Quarter, DueReport::Half, DueReport::Year]
}

fn default_report_formats() -> Vec<DueFormat> {
    vec![DueFormat::Md]
}

fn default_report_symbol() -> String {
    "BC-UBND".to_string()
}

impl Default for Reporting {
    fn default() -> Self {
        Reporting {
            periods: Scheme::default(),
            report_symbol: default_report_symbol(),
            recipients: Vec::new(),
            addressees: Addressees::default(),
            quarterly_due_workdays: 0,
            reports: default_reports(),
            report_formats: default_report_formats(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConf {
    #[serde(default = "default_workdays")]
    pub workdays: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "toml_date::list")]
    pub holidays: Vec<NaiveDate>,
    /// Weekend days worked in exchange for a holiday (ngày làm bù).
    #[serde(default, deserialize_with = "toml_date::list")]
    pub extra_workdays: Vec<NaiveDate>,
}

fn default_workdays() -> Vec<Spanned<String>> {
    ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| Spanned::new(0..0, d.to_string()))
        .collect()
}

impl Default for CalendarConf {
    fn default() -> Self {
        CalendarConf {
            workdays: default_workdays(),
            holidays: Vec::new(),
            extra_workdays: Vec::new(),
        }
    }
}

/// Part III.1: officers register what they commit to by a date.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentRule {
    /// The date by which every officer on the roster registers a commitment.
    #[serde(deserialize_with = "toml_date::one")]
    pub due: NaiveDate,
    #[serde(default)]
    pub basis: Option<String>,
}

/// The year-end rating (task 11): every officer on the roster is rated for the plan's year,
/// and their registered commitments judged met or not, by a date.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingRule {
    /// The date by which every officer is rated and their commitments judged.
    #[serde(deserialize_with = "toml_date::one")]
    pub due: NaiveDate,
    #[serde(default)]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub id: Spanned<String>,
    pub name: String,
    /// Chức danh, e.g. "Công chức Văn phòng - Thống kê".
    pub title: String,
    pub unit: Spanned<String>,
    /// Whether the officer must register commitments (default true).
    #[serde(default = "yes")]
    pub registers_commitments: bool,
}

fn yes() -> bool {
    true
}

/// An administrative procedure handled at the one-stop desk (thủ tục hành chính).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: Spanned<String>,
    pub name: String,
    /// Lĩnh vực, e.g. "Hộ tịch".
    pub field: String,
    /// Processing time in working days (0: returned the same day).
    pub days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub content: Vec<String>,
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Unit or officer ids.
    #[serde(default)]
    pub responsible: Vec<Spanned<String>>,
    /// Responsibility as the plan words it, when ids alone lose meaning.
    #[serde(default)]
    pub responsibility: Vec<String>,
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub timing: Option<String>,
    #[serde(default)]
    pub evidence_required: bool,
    /// The record kinds whose rules this task sets (see [`RULED_KINDS`]): findings about those
    /// records cite this task as their basis.
    #[serde(default)]
    pub records: Vec<Spanned<String>>,
    /// How findings cite this task after the plan's number, as the plan numbers it ("mục
    /// II.8"); without it, "nhiệm vụ <id>".
    #[serde(default)]
    pub cite: Option<String>,
    #[serde(default)]
    pub deliverables: Vec<Deliverable>,
    #[serde(default)]
    pub obligations: Vec<Obligation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(deserialize_with = "toml_date::one")]
    pub due: NaiveDate,
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// A short name for the duty, e.g. "Tiếp công dân định kỳ của Chủ tịch UBND xã".
    pub title: Spanned<String>,
    pub every: Every,
    /// The activity kind that satisfies it; absent: any activity under the task.
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default = "one")]
    pub min: Spanned<u32>,
    /// Who must do it: the activity's officers must include this id.
    #[serde(default)]
    pub officer: Option<Spanned<String>>,
    #[serde(default)]
    pub basis: Option<String>,
    /// Named occurrences, each with its own window inside the duty's period (a launch by
    /// 31/3 and a review in December): with them, the duty is these occurrences, each to be
    /// done `min` times within its window, rather than `min` activities anywhere in a period.
    #[serde(default)]
    pub occurrences: Vec<Occurrence>,
}

/// A named occurrence of a duty (`[[tasks.obligations.occurrences]]`): its window as month-day
/// of the plan's year ("03-31"), the day of the plan's year with that month and day (under
/// `nd09` "12-20" is 20/12 of the year before, which begins the year).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occurrence {
    /// What is done: "Phát động thi đua đầu năm".
    pub name: String,
    /// First day of the window; absent: the first day of the duty's period holding `by`.
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    /// Last day of the window.
    pub by: Spanned<String>,
    /// Matching activities needed within the window.
    #[serde(default = "one")]
    pub min: Spanned<u32>,
}

/// An occurrence with its window as dates of the plan's year, and the duty's period holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub name: String,
    pub from: NaiveDate,
    pub by: NaiveDate,
    pub min: u32,
    pub period: crate::period::Period,
}

impl Obligation {
    /// The occurrences whose windows are valid (see [`Plan::validate`] for the others), as
    /// dates of the plan's year, in the order of the file.
    pub fn windows(&self, plan: &Plan) -> Vec<Window> {
        self.occurrences
            .iter()
            .filter_map(|o| occurrence_window(plan, self.every, o).ok())
            .collect()
    }
}

/// Why an occurrence's window is refused.
enum WindowError {
    /// `from` or `by` (its span) is not a month-day of the plan's year.
    BadDay(std::ops::Range<usize>, String),
    /// `from` after `by`.
    Reversed(NaiveDate, NaiveDate),
    /// The window is not inside one period of the duty's size.
    Across(NaiveDate, NaiveDate),
}

/// The day of the plan's year (under its scheme) with the month-day `md` ("03-31").
fn month_day(plan: &Plan, md: &str) -> Option<NaiveDate> {
    let b = md.as_bytes();
    if b.len() != 5
        || b[2] != b'-'
        || !md
            .bytes()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let month: u32 = md[..2].parse().ok()?;
    let day: u32 = md[3..].parse().ok()?;
    let year = crate::period::Period::year(plan.reporting.periods, plan.plan.year);
    [plan.plan.year - 1, plan.plan.year, plan.plan.year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| year.contains(*d))
}

fn occurrence_window(plan: &Plan, every: Every, o: &Occurrence) -> Result<Window, WindowError> {
    let day = |s: &Spanned<String>| {
        month_day(plan, s.get_ref())
            .ok_or_else(|| WindowError::BadDay(s.span(), s.get_ref().clone()))
    };
    let by = day(&o.by)?;
    let size = crate::period::Size::from(every);
    let period = crate::period::Period::containing(plan.reporting.periods, size, by);
    let from = match &o.from {
        Some(from) => day(from)?,
        None => period
            .start
            .max(crate::period::Period::year(plan.reporting.periods, plan.plan.year).start),
    };
    if from > by {
        return Err(WindowError::Reversed(from, by));
    }
    if !period.contains(from) {
        return Err(WindowError::Across(from, by));
    }
    Ok(Window {
        name: o.name.clone(),
        from,
        by,
        min: *o.min.get_ref(),
        period,
    })
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

/// A place in plan.toml: byte span, turned into line and column on demand.
pub fn plan_location(source: &str, span: std::ops::Range<usize>, key: &str) -> Location {
    let (line, column) = line_col(source, span.start);
    plan_place(key, line, column)
}

/// Many places in one plan.toml: its lines found once (see [`crate::text::Lines`]).
pub struct PlanPlaces<'a>(crate::text::Lines<'a>);

impl<'a> PlanPlaces<'a> {
    pub fn new(source: &'a str) -> PlanPlaces<'a> {
        PlanPlaces(crate::text::Lines::new(source.as_bytes()))
    }

    /// The same as [`plan_location`] of the source.
    pub fn at(&self, span: std::ops::Range<usize>, key: &str) -> Location {
        let (line, column) = self.0.line_col(span.start);
        plan_place(key, line, column)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (u64, u64) {
    crate::text::line_col(source.as_bytes(), offset)
}

/// The result of loading a plan: the plan if it could be read, and every problem found.
pub struct Loaded {
    pub plan: Option<Plan>,
    pub findings: Vec<Finding>,
}

impl Plan {
    /// Parses and validates plan text. Never fails: problems are findings.
    pub fn parse(source: &str) -> Loaded {
        let plan: Plan = match toml::from_str(source) {
            Ok(plan) => plan,
            Err(err) => {
                let (line, column) = err.span().map_or((1, 1), |s| line_col(source, s.start));
                let message = err.message().trim().to_string();
                let code = if message.starts_with("unknown field") {
                    Code::PlanUnknownKey
                } else if is_syntax_error(&message) {
                    Code::PlanSyntax
                } else {
                    Code::PlanInvalid
                };
                return Loaded {
                    plan: None,
                    findings: vec![Finding::error(
                        code,
                        plan_place("", line, column),
                        Msg::Toml { detail: message },
                    )],
                };
            }
        };
        let mut findings = plan.validate(source);
        // A control character written as an escape (`\u001b`): an error at its string, as in
        // a record's cell (TOML refuses a raw one).
        // Only a document with such an escape or a raw forbidden character can hold one: the
        // others (nearly all) are not parsed a second time.
        let escapes = |s: &str| {
            s.as_bytes()
                .windows(2)
                .any(|w| w[0] == b'\\' && matches!(w[1], b'b' | b'f' | b'u' | b'U' | b'e' | b'x'))
        };
        if !escapes(source) && !crate::controls::holds(source) {
            return Loaded {
                plan: Some(plan),
                findings,
            };
        }
        let places = PlanPlaces::new(source);
        each_string(source, &mut |key, span, value| {
            if let Some((at, c)) = crate::controls::find(value) {
                findings.push(Finding::error(
                    Code::PlanInvalid,
                    places.at(span, key),
                    Msg::ControlChar {
                        column: "",
                        code_point: crate::controls::code_point(c),
                        at,
                    },
                ));
            }
        });
        Loaded {
            plan: Some(plan),
            findings,
        }
    }

    /// Reads `plan.toml` from a folder. I/O errors are the caller's (exit 2).
    pub fn load(dir: &Path) -> std::io::Result<(String, Loaded)> {
        let source = std::fs::read(dir.join(PLAN_FILE))?;
        match String::from_utf8(source) {
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                let loaded = Plan::parse(&text);
                Ok((text, loaded))
            }
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let (line, column) = line_col(&text, offset);
                Ok((
                    text,
                    Loaded {
                        plan: None,
                        findings: vec![Finding::error(
                            Code::PlanSyntax,
                            plan_place("", line, column),
                            Msg::InvalidUtf8,
                        )],
                    },
                ))
            }
        }
    }

    /// Cross-reference and value checks that serde cannot express.
    fn validate(&self, source: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        let places = PlanPlaces::new(source);
        let at = |span: std::ops::Range<usize>, key: &str| places.at(span, key);
        if *self.schema.get_ref() != SCHEMA {
            out.push(Finding::error(
                Code::PlanSchema,
                at(self.schema.span(), "schema"),
                Msg::SchemaVersion {
                    found: *self.schema.get_ref(),
                    supported: SCHEMA,
                },
            ));
        }
        if !(2000..=2100).contains(&self.plan.year) {
            out.push(Finding::error(
                Code::PlanInvalid,
                at(year_span(source), "plan.year"),
                Msg::YearOutOfRange {
                    year: self.plan.year,
                },
            ));
        }
        let mut seen = HashSet::new();
        for (what, id) in self
            .units
            .iter()
            .map(|u| ("units", &u.id))
            .chain(self.officers.iter().map(|o| ("officers", &o.id)))
        {
            if !seen.insert(id.get_ref().as_str()) {
                out.push(Finding::error(
                    Code::PlanDuplicateId,
                    at(id.span(), what),
                    Msg::DuplicateId {
                        id: id.get_ref().clone(),
                    },
                ));
            }
            check_code_syntax(id, what, &places, &mut out);
        }
        let units: HashSet<&str> = self.units.iter().map(|u| u.id.get_ref().as_str()).collect();
        let officers: HashSet<&str> = self
            .officers
            .iter()
            .map(|o| o.id.get_ref().as_str())
            .collect();
        for officer in &self.officers {
            if !units.contains(officer.unit.get_ref().as_str()) {
                out.push(Finding::error(
                    Code::PlanUnknownRef,
                    at(officer.unit.span(), "officers.unit"),
                    Msg::UnknownUnit {
                        id: officer.unit.get_ref().clone(),
                    },
                ));
            }
        }
        for day in &self.calendar.workdays {
            if parse_weekday(day.get_ref()).is_none() {
                out.push(Finding::error(
                    Code::PlanInvalid,
                    at(day.span(), "calendar.workdays"),
                    Msg::BadWeekday {
                        value: day.get_ref().clone(),
                    },
                ));
            }
        }
        let mut procedure_ids = HashSet::new();
        for procedure in &self.procedures {
            if !procedure_ids.insert(procedure.id.get_ref().as_str()) {
                out.push(Finding::error(
                    Code::PlanDuplicateId,
                    at(procedure.id.span(), "procedures.id"),
                    Msg::DuplicateId {
                        id: procedure.id.get_ref().clone(),
                    },
                ));
            }
            check_code_syntax(&procedure.id, "procedures.id", &places, &mut out);
        }
        let mut task_ids = HashSet::new();
        let mut deliverable_ids = HashSet::new();
        for task in &self.tasks {
            if !task_ids.insert(task.id.get_ref().as_str()) {
                out.push(Finding::error(
                    Code::PlanDuplicateId,
                    at(task.id.span(), "tasks.id"),
                    Msg::DuplicateId {
                        id: task.id.get_ref().clone(),
                    },
                ));
            }
            check_code_syntax(&task.id, "tasks.id", &places, &mut out);
            for kind in &task.records {
                if !RULED_KINDS.contains(&kind.get_ref().as_str()) {
                    out.push(Finding::error(
                        Code::PlanInvalid,
                        at(kind.span(), "tasks.records"),
                        Msg::UnknownCode {
                            column: "records".into(),
                            value: kind.get_ref().clone(),
                            allowed: RULED_KINDS.join(", "),
                        },
                    ));
                }
            }
            for who in &task.responsible {
                let id = who.get_ref().as_str();
                if !units.contains(id) && !officers.contains(id) {
                    out.push(Finding::error(
                        Code::PlanUnknownRef,
                        at(who.span(), "tasks.responsible"),
                        Msg::UnknownResponsible { id: id.to_string() },
                    ));
                }
            }
            for deliverable in &task.deliverables {
                if !deliverable_ids.insert(deliverable.id.get_ref().as_str()) {
                    out.push(Finding::error(
                        Code::PlanDuplicateId,
                        at(deliverable.id.span(), "tasks.deliverables.id"),
                        Msg::DuplicateId {
                            id: deliverable.id.get_ref().clone(),
                        },
                    ));
                }
                check_code_syntax(&deliverable.id, "tasks.deliverables.id", &places, &mut out);
                if let Some(owner) = &deliverable.owner
                    && !officers.contains(owner.get_ref().as_str())
                {
                    out.push(Finding::error(
                        Code::PlanUnknownRef,
                        at(owner.span(), "tasks.deliverables.owner"),
                        Msg::UnknownOfficer {
                            id: owner.get_ref().clone(),
                        },
                    ));
                }
            }
            for obligation in &task.obligations {
                if let Some(officer) = &obligation.officer
                    && !officers.contains(officer.get_ref().as_str())
                {
                    out.push(Finding::error(
                        Code::PlanUnknownRef,
                        at(officer.span(), "tasks.obligations.officer"),
                        Msg::UnknownOfficer {
                            id: officer.get_ref().clone(),
                        },
                    ));
                }
                if let Some(kind) = &obligation.kind
                    && ActivityKind::from_code(kind.get_ref()).is_none()
                {
                    out.push(Finding::error(
                        Code::PlanInvalid,
                        at(kind.span(), "tasks.obligations.kind"),
                        Msg::UnknownCode {
                            column: "kind".into(),
                            value: kind.get_ref().clone(),
                            allowed: ActivityKind::codes().join(", "),
                        },
                    ));
                }
                if *obligation.min.get_ref() == 0 {
                    out.push(Finding::error(
                        Code::PlanInvalid,
                        at(obligation.min.span(), "tasks.obligations.min"),
                        Msg::ZeroMinimum {
                            task: task.id.get_ref().clone(),
                        },
                    ));
                }
                self.validate_occurrences(task, obligation, &places, &mut out);
            }
        }
        out
    }

    /// An obligation's occurrences: a window each, inside one period of the duty's size; `min`
    /// said per occurrence, not for the duty.
    fn validate_occurrences(
        &self,
        task: &Task,
        obligation: &Obligation,
        places: &PlanPlaces,
        out: &mut Vec<Finding>,
    ) {
        if obligation.occurrences.is_empty() {
            return;
        }
        let task_id = task.id.get_ref().clone();
        // `min` written (it has a place) beside occurrences: each occurrence says its own.
        if !obligation.min.span().is_empty() {
            out.push(Finding::error(
                Code::PlanInvalid,
                places.at(obligation.min.span(), "tasks.obligations.min"),
                Msg::MinWithOccurrences {
                    task: task_id.clone(),
                },
            ));
        }
        for o in &obligation.occurrences {
            if *o.min.get_ref() == 0 {
                out.push(Finding::error(
                    Code::PlanInvalid,
                    places.at(o.min.span(), "tasks.obligations.occurrences.min"),
                    Msg::ZeroMinimum {
                        task: task_id.clone(),
                    },
                ));
            }
            let key = "tasks.obligations.occurrences";
            match occurrence_window(self, obligation.every, o) {
                Ok(_) => {}
                Err(WindowError::BadDay(span, value)) => out.push(Finding::error(
                    Code::PlanInvalid,
                    places.at(span, key),
                    Msg::OccurrenceBadDay {
                        value,
                        year: self.plan.year,
                    },
                )),
                Err(WindowError::Reversed(from, by)) => out.push(Finding::error(
                    Code::PlanInvalid,
                    places.at(o.by.span(), key),
                    Msg::OccurrenceReversed {
                        name: o.name.clone(),
                        from,
                        by,
                    },
                )),
                Err(WindowError::Across(from, by)) => out.push(Finding::error(
                    Code::PlanInvalid,
                    places.at(o.by.span(), key),
                    Msg::OccurrenceAcross {
                        name: o.name.clone(),
                        from,
                        by,
                        every: obligation.every,
                    },
                )),
            }
        }
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id.get_ref() == id)
    }

    /// The first task whose `records` names `kind` ("dossiers", "violations").
    pub fn task_ruling(&self, kind: &str) -> Option<&Task> {
        self.tasks
            .iter()
            .find(|t| t.records.iter().any(|k| k.get_ref() == kind))
    }

    pub fn officer(&self, id: &str) -> Option<&Officer> {
        self.officers.iter().find(|o| o.id.get_ref() == id)
    }

    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id.get_ref() == id)
    }

    /// The name of a dossier's procedure: the catalogue's name for an id, else the text itself.
    pub fn procedure_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.procedure(key).map_or(key, |p| p.name.as_str())
    }

    pub fn deliverables(&self) -> impl Iterator<Item = (&Task, &Deliverable)> {
        self.tasks
            .iter()
            .flat_map(|t| t.deliverables.iter().map(move |d| (t, d)))
    }

    /// The working weekdays, ignoring names that failed validation.
    pub fn workdays(&self) -> Vec<Weekday> {
        self.calendar
            .workdays
            .iter()
            .filter_map(|d| parse_weekday(d.get_ref()))
            .collect()
    }
}

fn is_syntax_error(message: &str) -> bool {
    // serde errors name a field, a type or a variant; everything else comes from the TOML parser.
    !(message.contains("missing field")
        || message.contains("invalid type")
        || message.contains("unknown variant")
        || message.contains("invalid value")
        || message.contains("duplicate field")
        || message.contains("input contains invalid characters")
        || message.contains("invalid length"))
}

/// Every string of the TOML document (keys too), with the dotted key it is under and its span.
/// A document TOML cannot parse gives none (serde says why).
fn each_string(source: &str, text: &mut dyn FnMut(&str, std::ops::Range<usize>, &str)) {
    use toml::de::{DeTable, DeValue};
    fn value(
        key: &str,
        v: &Spanned<DeValue<'_>>,
        text: &mut dyn FnMut(&str, std::ops::Range<usize>, &str),
    ) {
        match v.get_ref() {
            DeValue::String(s) => text(key, v.span(), s),
            DeValue::Array(items) => {
                for item in items {
                    value(key, item, text);
                }
            }
            DeValue::Table(table) => {
                for (k, item) in table {
                    let key = if key.is_empty() {
                        k.get_ref().to_string()
                    } else {
                        format!("{key}.{}", k.get_ref())
                    };
                    text(&key, k.span(), k.get_ref());
                    value(&key, item, text);
                }
            }
            _ => {}
        }
    }
    if let Ok(doc) = DeTable::parse(source) {
        let whole = Spanned::new(doc.span(), DeValue::Table(doc.into_inner()));
        value("", &whole, text);
    }
}

/// Ids are ASCII codes (letters, digits, `-`, `_`, `.`): they are typed at a shell and in CSV.
fn check_code_syntax(id: &Spanned<String>, key: &str, places: &PlanPlaces, out: &mut Vec<Finding>) {
    let value = id.get_ref();
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !ok {
        out.push(Finding::error(
            Code::PlanInvalid,
            places.at(id.span(), key),
            Msg::BadId { id: value.clone() },
        ));
    }
}

pub fn parse_weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// TOML dates (`2021-01-15`, unquoted) into chrono dates. A date-time or a time is refused.
mod toml_date {
    use chrono::NaiveDate;
    use serde::Deserialize;
    use serde::de::{Deserializer, Error};
    use toml::value::Datetime;

    fn convert<E: Error>(value: Datetime) -> Result<NaiveDate, E> {
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                    .ok_or_else(|| E::custom(format!("{value} is not a date")))
            }
            _ => Err(E::custom(format!(
                "expected a date like 2021-01-15, found {value}"
            ))),
        }
    }

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        convert(Datetime::deserialize(d)?)
    }

    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Datetime>::deserialize(d)?
            .into_iter()
            .map(convert)
            .collect()
    }
}

/// The plan of the `minimal` test fixture, for unit tests.
#[cfg(test)]
pub(crate) fn minimal_fixture() -> Plan {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/minimal/plan.toml"
    ))
    .unwrap();
    Plan::parse(&text).plan.unwrap()
}

/// Where `year = …` of the `[plan]` table is written (the key is not spanned): its value's
/// start, else the start of the file.
fn year_span(source: &str) -> std::ops::Range<usize> {
    let mut in_plan = false;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_plan = t.starts_with("[plan]");
        } else if in_plan
            && let Some(rest) = t.strip_prefix("year")
            && rest.trim_start().starts_with('=')
        {
            let eq = line.find('=').unwrap_or(0);
            let value = eq + 1 + (line[eq + 1..].len() - line[eq + 1..].trim_start().len());
            return offset + value..offset + value;
        }
        offset += line.len();
    }
    0..0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_month_day_is_the_day_of_the_plans_year_under_its_scheme() {
        let mut plan = minimal_fixture();
        // nd09: the 2021 year runs 15/12/2020–14/12/2021.
        assert_eq!(month_day(&plan, "03-31"), Some(day(2021, 3, 31)));
        assert_eq!(month_day(&plan, "12-14"), Some(day(2021, 12, 14)));
        assert_eq!(month_day(&plan, "12-20"), Some(day(2020, 12, 20)));
        for bad in ["02-29", "31-03", "3-31", "03/31", "13-01", "", "03-3a"] {
            assert_eq!(month_day(&plan, bad), None, "{bad}");
        }
        plan.reporting.periods = Scheme::Calendar;
        assert_eq!(month_day(&plan, "12-20"), Some(day(2021, 12, 20)));
    }
}

#[cfg(test)]
mod control_tests {
    use super::*;

    fn minimal_source() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/minimal/plan.toml"
        ))
        .unwrap()
    }

    fn control_errors(source: &str) -> usize {
        Plan::parse(source)
            .findings
            .iter()
            .filter(|f| matches!(f.message, Msg::ControlChar { .. }))
            .count()
    }

    /// The second parse is skipped only where no string can hold a forbidden character: every
    /// way of writing one is still found, harmless escapes are not.
    #[test]
    fn every_way_of_writing_a_forbidden_character_is_found() {
        let source = minimal_source();
        assert_eq!(control_errors(&source), 0);
        let name = "name = \"Phạm Thị Cúc\"";
        assert!(source.contains(name));
        for (written, found) in [
            ("Phạm \\u001bThị", 1),
            ("Phạm \\U0000001bThị", 1),
            ("Phạm \\bThị", 1),
            ("Phạm \\fThị", 1),
            ("Phạm \u{202e}Thị", 1),
            ("Phạm \u{85}Thị", 1),
            ("Phạm \\\"Thị\\\"", 0),
            ("Phạm\\tThị\\nCúc", 0),
            ("Phạm \\\\u001b", 0),
        ] {
            let text = source.replace(name, &format!("name = \"{written}\""));
            assert_eq!(control_errors(&text), found, "{written}");
        }
    }
}
