//! Every message a finding can carry, in Vietnamese and in English: the one place for wording.
//!
//! Findings hold a [`Msg`] (structured data); the text is made only when printed, in the
//! language the user chose. Codes, ids and column names stay as they are in both languages.

pub mod export;
pub mod report;
pub mod rollup;

use chrono::NaiveDate;

use crate::dates::Dmy;
pub use crate::lang::Lang;
use crate::period::{Period, Size};

mod safety;
pub use safety::Safety;
pub mod history;

/// What was being done when an I/O error happened, said in the interface language.
#[derive(Debug, Clone, Copy)]
pub enum Doing {
    Reading,
    ReadingTemplate,
    Opening,
    Creating,
    Writing,
    Appending,
}

/// "reading records/x.csv" / "đọc records/x.csv": the context of an I/O error.
pub fn doing(lang: Lang, what: Doing, path: impl std::fmt::Display) -> String {
    let (vi, en) = match what {
        Doing::Reading => ("đọc", "reading"),
        Doing::ReadingTemplate => ("đọc mẫu báo cáo", "reading template"),
        Doing::Opening => ("mở", "opening"),
        Doing::Creating => ("tạo", "creating"),
        Doing::Writing => ("ghi", "writing"),
        Doing::Appending => ("ghi thêm vào", "appending to"),
    };
    format!("{} {path}", lang.pick(vi, en))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    // plan.toml
    Toml {
        detail: String,
    },
    SchemaVersion {
        found: u32,
        supported: u32,
    },
    DuplicateId {
        id: String,
    },
    UnknownUnit {
        id: String,
    },
    UnknownResponsible {
        id: String,
    },
    BadWeekday {
        value: String,
    },
    ZeroMinimum {
        task: String,
    },
    /// A header with more columns than any record file needs.
    TooManyColumns {
        found: usize,
        most: usize,
    },
    /// `[plan] year` outside the years kehoach handles.
    YearOutOfRange {
        year: i32,
    },
    BadId {
        id: String,
    },
    // record files
    InvalidUtf8,
    UnknownFile {
        kinds: String,
    },
    NoHeader,
    UnterminatedQuote,
    Io {
        detail: String,
    },
    DuplicateColumn {
        name: String,
    },
    UnknownColumn {
        name: String,
        kind: &'static str,
        allowed: String,
    },
    MissingColumn {
        name: &'static str,
    },
    RaggedRow {
        found: usize,
        expected: usize,
    },
    MissingValue {
        column: &'static str,
    },
    BadDate {
        column: &'static str,
        value: String,
    },
    BadNumber {
        column: &'static str,
        value: String,
    },
    UnknownCode {
        column: String,
        value: String,
        allowed: String,
    },
    UnknownTask {
        id: String,
    },
    UnknownOfficer {
        id: String,
    },
    UnknownDeliverable {
        id: String,
    },
    DeliverableOfOtherTask {
        id: String,
        task: String,
    },
    UnknownProcedure {
        id: String,
    },
    DossierConflict {
        id: String,
        column: &'static str,
        old: String,
        new: String,
    },
    DossierIncomplete {
        id: String,
        missing: Vec<&'static str>,
    },
    /// A fill that gives another value for a fact of a record already set (E215).
    RecordConflict {
        record: String,
        column: &'static str,
        old: String,
        new: String,
    },
    /// `amend`, `void`: no `--reason` given.
    AmendNoReason,
    /// `amend`: a flag that is no column of the kind.
    AmendUnknownFlag {
        flag: String,
        kind: &'static str,
        allowed: String,
    },
    /// `amend`: a flag without its value.
    AmendFlagWithoutValue {
        flag: String,
    },
    /// `amend`: no fact to correct.
    AmendNoFacts,
    /// `show`: the commit that added a row (when the folder is a git repository).
    ShowCommit {
        commit: String,
        author: String,
        date: String,
    },
    /// `show`: the heading of a record's current state.
    ShowState,
    /// `show`: the record was voided.
    ShowVoided,
    /// `show`: the heading of a record's history.
    ShowHistory,
    /// `show`: the row that wrote the record.
    ShowWritten {
        place: String,
    },
    /// `show`: a change row: where, how (fill, correct, void), the facts it gave, why.
    ShowChange {
        place: String,
        how: &'static str,
        facts: String,
        why: Option<String>,
    },
    /// A change row naming no record of its kind (E222).
    UnknownRecord {
        kind: &'static str,
        reference: String,
    },
    StatusWithoutEnd {
        id: String,
        status: &'static str,
    },
    RefusedWithoutReason {
        id: String,
    },
    DateBefore {
        what: &'static str,
        date: NaiveDate,
        other: &'static str,
        other_date: NaiveDate,
    },
    // work findings
    // import
    ImportUnknownHeader {
        header: String,
        kind: &'static str,
        columns: String,
    },
    ImportDuplicateHeader {
        header: String,
        column: &'static str,
        first: u64,
    },
    ImportBadTarget {
        source: String,
        target: String,
        kind: &'static str,
        columns: String,
    },
    ImportLossy {
        encoding: &'static str,
    },
    ImportSheetUnreadable {
        detail: String,
    },
    ImportSheetEmpty {
        sheet: String,
    },
    ImportNoSuchSheet {
        name: String,
        sheets: String,
    },
    ImportFromSheet {
        sheet: String,
        header_line: u64,
    },
    ImportAmbiguousProcedure {
        name: String,
        candidates: String,
    },
    ImportProcedureMapped {
        name: String,
        id: String,
        catalogue: String,
        rows: usize,
    },
    /// A procedure name that no entry of the plan's catalogue matches, kept as written.
    ImportProcedureUnlisted {
        name: String,
        rows: usize,
    },
    /// The names of that kind beyond those listed.
    ImportProceduresUnlistedMore {
        names: usize,
        rows: usize,
    },
    BinaryToTerminal {
        format: &'static str,
        example: &'static str,
    },
    ExportSeveralKinds,
    ExportRefused {
        errors: usize,
    },
    Exported {
        kind: &'static str,
        rows: usize,
    },
    // command messages: report
    DocxToTerminal,
    ReportRefused {
        errors: usize,
    },
    TemplateWithJson,
    PlanUnreadable,
    /// The context of a period that could not be read: "the period '2021-Q5'".
    ThePeriod {
        input: String,
    },
    NotAPeriodOf {
        input: String,
        size: Size,
    },
    /// A report asked for a period outside the plan's year.
    OutsidePlanYear {
        input: String,
        /// The period's code, as `last`/`current`/`next` resolved.
        period: String,
        plan_year: i32,
        start: NaiveDate,
        end: NaiveDate,
    },
    // command messages: deadlines
    PlanHasErrors,
    DataHasErrorsNote,
    NothingDue {
        days: u32,
    },
    OverdueHeading {
        count: usize,
    },
    DueHeading {
        days: u32,
        count: usize,
    },
    /// When an item falls due, from the as-of date: negative is late.
    DueIn {
        days: i64,
    },
    /// The task of an item, abbreviated: "[NV 3] ".
    TaskTag {
        task: String,
    },
    // command messages: check
    CheckSummary {
        activities: u64,
        dossier_rows: u64,
        dossiers: u64,
        violations: u64,
        commendations: u64,
        feedback: u64,
        commitments: u64,
        /// Said only when the folder has some (folders made before ratings say what they said).
        ratings: u64,
        /// Said only when the folder has some, as ratings.
        lapses: u64,
        errors: usize,
        warnings: usize,
    },
    // command messages: finding the plan folder
    NoPlanIn {
        dir: String,
    },
    NoPlanFound {
        cwd: String,
    },
    ReadingCurrentDir,
    /// `reports due` on data with errors.
    ReportsDueRefused,
    InitPlanExists {
        dir: String,
    },
    InitDone {
        dir: String,
    },
    DeliverableOverdue {
        id: String,
        title: String,
        due: NaiveDate,
        days: i64,
    },
    DeliverableLate {
        id: String,
        title: String,
        due: NaiveDate,
        done: NaiveDate,
        days: i64,
    },
    ObligationMissed {
        period: Period,
        title: String,
        task: String,
        min: u32,
        found: u32,
    },
    // Named occurrences of a duty (`[[tasks.obligations.occurrences]]`): the plan's errors,
    // then the miss of one occurrence.
    /// `min` of the obligation beside its occurrences (each says its own).
    MinWithOccurrences {
        task: String,
    },
    /// `from` or `by` not a month-day ("03-31") of the plan's year.
    OccurrenceBadDay {
        value: String,
        year: i32,
    },
    OccurrenceReversed {
        name: String,
        from: NaiveDate,
        by: NaiveDate,
    },
    /// A window across two periods of the duty's size.
    OccurrenceAcross {
        name: String,
        from: NaiveDate,
        by: NaiveDate,
        every: crate::scheme::Every,
    },
    /// An occurrence whose window has closed without `min` matching activities in it.
    OccurrenceMissed {
        title: String,
        name: String,
        task: String,
        from: NaiveDate,
        by: NaiveDate,
        min: u32,
        found: u32,
    },
    EvidenceMissing {
        task: String,
        date: NaiveDate,
        summary: String,
    },
    CommitmentMissing {
        officer: String,
        name: String,
        due: NaiveDate,
        late: Option<NaiveDate>,
    },
    RepeatViolation {
        officer: String,
        name: String,
        first: NaiveDate,
        year: i32,
    },
    // Officers' year-end rating (task 11): ratings.csv and the commitments judged.
    /// A rating's year that its date cannot rate (E220).
    RatingYear {
        year: u32,
        date: NaiveDate,
    },
    /// A second rating of an officer for a year (E215).
    RatingTwice {
        officer: String,
        year: u32,
        place: String,
    },
    /// A reporting lapse (lapses.csv) that names neither a unit nor an officer (E209).
    LapseOfNobody,
    /// An officer not rated by the plan's date (W320).
    RatingMissing {
        officer: String,
        name: String,
        year: i32,
        due: NaiveDate,
    },
    /// An officer's commitments not judged met or not by the rating's date (W321).
    CommitmentsUnjudged {
        officer: String,
        name: String,
        count: usize,
        due: NaiveDate,
    },
    /// An officer disciplined in the year rated above "Không hoàn thành nhiệm vụ" (W322).
    RatingAboveDiscipline {
        officer: String,
        name: String,
        year: i32,
        level: crate::records::codes::Level,
        /// The strongest action taken.
        action: crate::records::codes::Action,
        date: NaiveDate,
    },
    DossierOverdue {
        id: crate::text::Short,
        procedure: std::sync::Arc<str>,
        due: NaiveDate,
        workdays: u32,
    },
    LateWithoutReason {
        id: crate::text::Short,
        procedure: std::sync::Arc<str>,
        due: NaiveDate,
        returned: NaiveDate,
    },
    LateWithoutApology {
        id: crate::text::Short,
        procedure: std::sync::Arc<str>,
        due: NaiveDate,
    },

    // add, dossier, import: what the commands say (not findings)
    /// A dossier step for a dossier never opened.
    DossierNotOpened {
        id: String,
    },
    /// `dossier open` without `--due` for a procedure outside the catalogue.
    DueNotComputable {
        procedure: String,
    },
    /// The heading of the rows `--dry-run` shows.
    DryRunWouldAppend {
        file: String,
    },
    /// An append that first added the newline the file lacked.
    NewlineAdded {
        file: String,
        line: u64,
    },
    /// An append refused: the file's header lacks a column the row fills.
    AppendMissingColumn {
        file: String,
        column: String,
    },
    /// An append refused: the file's header cannot be read.
    AppendBadHeader {
        file: String,
    },
    /// After any refusal of `add`, `dossier` or `import`.
    NothingWritten,
    /// An imported row already recorded.
    ImportSkipped,
    /// The rows an import adds, said as runs of source lines (too many to list one by one):
    /// `to` is the record file and the line of the first row, `None` for a dry run.
    ImportRows {
        rows: usize,
        source: String,
        runs: Vec<(u64, u64)>,
        to: Option<(String, u64)>,
    },
    /// The rows an import skips as already present, said as runs of source lines.
    ImportSkippedRows {
        rows: usize,
        source: String,
        runs: Vec<(u64, u64)>,
    },
    /// A cell holds a control character, a non-character or a bidi override (E222).
    ControlChar {
        column: &'static str,
        code_point: String,
        at: usize,
    },
    /// A dossier id that is not printable ASCII (E220).
    IdNotAscii {
        value: String,
    },
    /// What an import did.
    ImportDone {
        added: usize,
        file: String,
        source: String,
        kind: &'static str,
        /// How the file was read: [`Msg::ImportEncoding`] or [`Msg::ImportFromSheet`], in words.
        read_as: String,
        skipped: usize,
    },
    /// How a text file was read, for [`Msg::ImportDone`].
    ImportEncoding {
        encoding: &'static str,
    },
    /// What an import would do (`--dry-run`).
    ImportDryRun {
        added: usize,
        file: String,
        skipped: usize,
    },
    /// The folder's history (git): the audit's findings.
    History(history::HistoryMsg),
}

/// A duty's period in an English sentence: "one quarter".
fn every_en(every: crate::scheme::Every) -> &'static str {
    use crate::scheme::Every;
    match every {
        Every::Week => "week",
        Every::Month => "month",
        Every::Quarter => "quarter",
        Every::Half => "half-year",
        Every::Year => "year",
    }
}

/// The same in Vietnamese: "cùng một quý".
fn every_vi(every: crate::scheme::Every) -> &'static str {
    use crate::scheme::Every;
    match every {
        Every::Week => "tuần",
        Every::Month => "tháng",
        Every::Quarter => "quý",
        Every::Half => "kỳ 6 tháng",
        Every::Year => "năm",
    }
}

impl Msg {
    /// The plan task a work finding concerns, when it names one.
    pub fn task(&self) -> Option<&str> {
        match self {
            Msg::ObligationMissed { task, .. }
            | Msg::OccurrenceMissed { task, .. }
            | Msg::EvidenceMissing { task, .. } => Some(task),
            _ => None,
        }
    }

    /// The message in `lang`. A value quoted from the data never brings a raw control
    /// character along (it would reach the terminal): it is written `<U+001B>`.
    pub fn render(&self, lang: Lang) -> String {
        let text = match lang {
            Lang::Vi => self.vi(),
            Lang::En => self.en(),
        };
        match crate::controls::visible(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(clean) => clean,
        }
    }

    fn en(&self) -> String {
        match self {
            Msg::History(m) => m.render(Lang::En),
            Msg::Toml { detail } => format!("plan.toml cannot be read as a plan: {detail}"),
            Msg::SchemaVersion { found, supported } => {
                format!("schema {found} is not supported: this kehoach reads schema {supported}")
            }
            Msg::DuplicateId { id } => format!("id '{id}' is used twice"),
            Msg::UnknownUnit { id } => format!("unknown unit '{id}': it is not in [[units]]"),
            Msg::UnknownResponsible { id } => {
                format!(
                    "unknown unit or officer '{id}': it is in neither [[units]] nor [[officers]]"
                )
            }
            Msg::BadWeekday { value } => {
                format!("'{value}' is not a weekday: use mon, tue, wed, thu, fri, sat, sun")
            }
            Msg::ZeroMinimum { task } => {
                format!("obligation of task {task}: min must be at least 1")
            }
            Msg::YearOutOfRange { year } => {
                format!("year {year} is out of range: a plan's year is between 2000 and 2100")
            }
            Msg::TooManyColumns { found, most } => format!(
                "the header has {found} columns, more than the {most} a record file may have: the file is not read"
            ),
            Msg::BadId { id } => {
                format!("id '{id}' must be an ASCII code: letters, digits, '-', '_' or '.'")
            }
            Msg::InvalidUtf8 => {
                "not valid UTF-8: save the file as UTF-8 (kehoach import converts other encodings)"
                    .into()
            }
            Msg::UnknownFile { kinds } => {
                format!("not a record file: record files are named after their kind ({kinds})")
            }
            Msg::NoHeader => "the file is empty: the first row must name the columns".into(),
            Msg::UnterminatedQuote => "a quoted cell is never closed: a '\"' is missing".into(),
            Msg::Io { detail } => format!("cannot read the file: {detail}"),
            Msg::DuplicateColumn { name } => format!("column '{name}' appears twice in the header"),
            Msg::UnknownColumn {
                name,
                kind,
                allowed,
            } => {
                format!("unknown column '{name}' for {kind}; columns are: {allowed}")
            }
            Msg::MissingColumn { name } => {
                format!("required column '{name}' is missing from the header")
            }
            Msg::RaggedRow { found, expected } => {
                format!("row has {found} cells but the header has {expected}")
            }
            Msg::MissingValue { column } => format!("{column} is required but empty"),
            Msg::BadDate { column, value } => {
                format!("{column} date {value} is not a date (use 2021-03-05 or 05/03/2021)")
            }
            Msg::BadNumber { column, value } => format!("{column} '{value}' is not a whole number"),
            Msg::UnknownCode {
                column,
                value,
                allowed,
            } => {
                format!("unknown {column} '{value}'; expected one of: {allowed}")
            }
            Msg::UnknownTask { id } => format!("unknown task '{id}': the plan has no such task"),
            Msg::UnknownOfficer { id } => {
                format!("unknown officer '{id}': not on the plan's roster")
            }
            Msg::UnknownDeliverable { id } => {
                format!("unknown deliverable '{id}': the plan has no such deliverable")
            }
            Msg::DeliverableOfOtherTask { id, task } => {
                format!("deliverable '{id}' belongs to task {task}, not to this row's task")
            }
            Msg::UnknownProcedure { id } => {
                format!("unknown procedure '{id}': not in the plan's [[procedures]]")
            }
            Msg::DossierConflict {
                id,
                column,
                old,
                new,
            } => format!(
                "dossier {id}: {column} is already {old}; a later row cannot change it to {new}"
            ),
            Msg::RecordConflict {
                record,
                column,
                old,
                new,
            } => format!(
                "record {record}: {column} is already {old}; a later row cannot change it to \
                 {new} unless it is a correction (change=correct, with why)"
            ),
            Msg::AmendNoReason => {
                "--reason is required: who changes the record, and why (kept in the row's `why`)"
                    .into()
            }
            Msg::AmendUnknownFlag {
                flag,
                kind,
                allowed,
            } => format!("{flag} is not a column of {kind}: use {allowed}"),
            Msg::AmendFlagWithoutValue { flag } => format!("{flag} needs a value"),
            Msg::AmendNoFacts => {
                "name the facts that replace the record's, as --COLUMN VALUE (the columns of \
                 `kehoach add KIND`)"
                    .into()
            }
            Msg::ShowCommit {
                commit,
                author,
                date,
            } => format!("commit {commit}, {author}, {date}"),
            Msg::ShowState => "Current state:".into(),
            Msg::ShowVoided => "Voided: in no count or list.".into(),
            Msg::ShowHistory => "History:".into(),
            Msg::ShowWritten { place } => format!("{place}: recorded"),
            Msg::ShowChange {
                place,
                how,
                facts,
                why,
            } => {
                let how = match *how {
                    "fill" => "filled",
                    "correct" => "corrected",
                    _ => "voided",
                };
                let mut line = format!("{place}: {how}");
                if !facts.is_empty() {
                    line += &format!(" {facts}");
                }
                if let Some(why) = why {
                    line += &format!(" (why: {why})");
                }
                line
            }
            Msg::UnknownRecord { kind, reference } => format!(
                "no {kind} record is named {reference} (an id, or file:line under records/), \
                 or it was voided"
            ),
            Msg::DossierIncomplete { id, missing } => {
                format!("dossier {id} has no row giving its {}", missing.join(", "))
            }
            Msg::StatusWithoutEnd { id, status } => {
                format!("dossier {id} is {status} but has no returned date (the day it ended)")
            }
            Msg::RefusedWithoutReason { id } => format!(
                "dossier {id} is refused but gives no reason (refusal_reason): the refusal form states why"
            ),
            Msg::ImportUnknownHeader {
                header,
                kind,
                columns,
            } => format!(
                "unknown column '{header}' for {kind}; name it with --map \"{header}=<column>\" (columns: {columns}) or ignore it with --map \"{header}=\""
            ),
            Msg::ImportDuplicateHeader {
                header,
                column,
                first,
            } => format!(
                "'{header}' gives {column}, which column {first} already gives; keep one, e.g. ignore this one with --map \"{header}=\""
            ),
            Msg::ImportBadTarget {
                source,
                target,
                kind,
                columns,
            } => format!(
                "--map \"{source}={target}\": '{target}' is not a column of {kind} (columns: {columns})"
            ),
            Msg::ImportLossy { encoding } => format!(
                "some bytes are not valid {encoding} and were replaced: the file may be damaged or in another encoding (TCVN3, VNI): convert it to UTF-8 first"
            ),
            Msg::ImportSheetUnreadable { detail } => format!(
                "the file cannot be read as a workbook (xlsx, xls, ods): {detail}; open it in Excel or LibreOffice and save it again, or save it as CSV"
            ),
            Msg::ImportSheetEmpty { sheet } => {
                format!("sheet '{sheet}' is empty: it has no header row")
            }
            Msg::ImportNoSuchSheet { name, sheets } => {
                format!("the workbook has no sheet '{name}'; its sheets: {sheets}")
            }
            Msg::ImportFromSheet { sheet, header_line } => {
                format!("sheet '{sheet}', header on row {header_line}")
            }
            Msg::ImportAmbiguousProcedure { name, candidates } => format!(
                "procedure '{name}' could be any of: {candidates}; write its catalogue id or its full name"
            ),
            Msg::ImportProcedureMapped {
                name,
                id,
                catalogue,
                rows,
            } => format!("procedure '{name}' read as {id} \"{catalogue}\" ({rows} rows)"),
            Msg::ImportProcedureUnlisted { name, rows } => format!(
                "procedure '{name}' is not in plan.toml's [[procedures]]: kept as written ({rows} rows)"
            ),
            Msg::ImportProceduresUnlistedMore { names, rows } => format!(
                "… and {names} more procedure names not in [[procedures]], kept as written ({rows} rows; --verbose lists them)"
            ),
            Msg::BinaryToTerminal { format, example } => format!(
                "{format} is a binary file, not for the terminal: use -o FILE (e.g. -o {example}) or redirect (> {example})"
            ),
            Msg::ExportSeveralKinds => "CSV of several kinds is one file per kind: give a folder with -o DIR, or name one kind".into(),
            Msg::ExportRefused { errors } => format!(
                "kehoach: the data has {errors} errors: nothing exported. Fix them first (see `kehoach check`)."
            ),
            Msg::Exported { kind, rows } => format!("exported {rows} rows of {kind}"),
            Msg::DocxToTerminal => "a DOCX is a binary file, not for the terminal: use -o FILE (e.g. -o report.docx) or redirect (> report.docx)".into(),
            Msg::ReportRefused { errors } => format!(
                "kehoach: the data has {errors} errors: no report written. Fix them (see `kehoach check`), or pass --allow-errors to write it with a note."
            ),
            Msg::TemplateWithJson => "--template applies to templated formats (md): --format json prints the report context, no template".into(),
            Msg::PlanUnreadable => "plan.toml could not be read".into(),
            Msg::ThePeriod { input } => format!("the period '{input}'"),
            Msg::NotAPeriodOf { input, size } => format!(
                "'{input}' is not a {} period: e.g. {}",
                match size {
                    Size::Quarter => "quarter",
                    Size::Half => "half",
                    Size::Month => "month",
                    _ => "year",
                },
                period_example(*size)
            ),
            Msg::OutsidePlanYear {
                input,
                period,
                plan_year,
                start,
                end,
            } => format!(
                "{} is outside the plan's year {plan_year} ({} to {}): a plan reports only on its own year",
                named(input, period),
                crate::dates::dmy(*start),
                crate::dates::dmy(*end)
            ),
            Msg::PlanHasErrors => "plan.toml has errors: fix them first".into(),
            Msg::DataHasErrorsNote => {
                "Note: the data has errors; run `kehoach check` to see them.".into()
            }
            Msg::NothingDue { days: 0 } => "Nothing overdue and nothing due today.".into(),
            Msg::NothingDue { days: 1 } => "Nothing overdue and nothing due by tomorrow.".into(),
            Msg::NothingDue { days } => {
                format!("Nothing overdue and nothing due in the next {days} days.")
            }
            Msg::OverdueHeading { count } => format!("Overdue ({count})"),
            Msg::DueHeading { days: 0, count } => format!("Due today ({count})"),
            Msg::DueHeading { days: 1, count } => format!("Due by tomorrow ({count})"),
            Msg::DueHeading { days, count } => format!("Due in the next {days} days ({count})"),
            Msg::DueIn { days: -1 } => "1 day late".into(),
            Msg::DueIn { days } if *days < 0 => format!("{} days late", -days),
            Msg::DueIn { days: 0 } => "today".into(),
            Msg::DueIn { days: 1 } => "in 1 day".into(),
            Msg::DueIn { days } => format!("in {days} days"),
            Msg::TaskTag { task } => format!("[task {task}] "),
            Msg::CheckSummary {
                activities,
                dossier_rows,
                dossiers,
                violations,
                commendations,
                feedback,
                commitments,
                ratings,
                lapses,
                errors,
                warnings,
            } => {
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                let mut ratings = match ratings {
                    0 => String::new(),
                    n => format!(", {n} rating{}", if *n == 1 { "" } else { "s" }),
                };
                if *lapses > 0 {
                    ratings += &format!(
                        ", {lapses} reporting lapse{}",
                        if *lapses == 1 { "" } else { "s" }
                    );
                }
                format!(
                    "Read {activities} activities, {dossier_rows} dossier rows ({dossiers} dossiers), {violations} violations, {commendations} commendations, {feedback} feedback, {commitments} commitments{ratings}: {errors} error{}, {warnings} warning{}.",
                    plural(*errors),
                    plural(*warnings)
                )
            }
            Msg::NoPlanIn { dir } => format!("no plan.toml in {dir}"),
            Msg::NoPlanFound { cwd } => format!(
                "no plan.toml in {cwd} or any parent folder; use -C DIR or set KEHOACH_DIR"
            ),
            Msg::ReadingCurrentDir => "reading the current directory".into(),
            Msg::InitPlanExists { dir } => format!("{dir} already has a plan.toml: nothing overwritten"),
            Msg::InitDone { dir } => format!(
                "Created the plan folder {dir}: edit plan.toml (see docs/plan.md), then run `kehoach -C {dir} check`.\nKeep it in git: git init {dir} && git -C {dir} add . && git -C {dir} commit -m \"New plan\""
            ),
            Msg::ReportsDueRefused => "the data has errors: no report written. Fix them (see `kehoach check`), or pass --allow-errors.".into(),
            Msg::DeliverableOverdue {
                id,
                title,
                due,
                days,
            } => format!(
                "deliverable {id} \"{title}\" was due {} and is not done: {days} days overdue",
                Dmy(*due)
            ),
            Msg::DeliverableLate {
                id,
                title,
                due,
                done,
                days,
            } => format!(
                "deliverable {id} \"{title}\" was done {}, {days} days after its due date {}",
                Dmy(*done),
                Dmy(*due)
            ),
            Msg::ObligationMissed {
                period,
                title,
                task,
                min,
                found,
            } => format!(
                "{}: \"{title}\" (task {task}) missed: {found} of the {min} required",
                period.label_en()
            ),
            Msg::MinWithOccurrences { task } => format!(
                "obligation of task {task}: with occurrences, each occurrence gives its own min, not the obligation"
            ),
            Msg::OccurrenceBadDay { value, year } => format!(
                "'{value}' is not a month and day of the plan's year {year}: write it as \"03-31\""
            ),
            Msg::OccurrenceReversed { name, from, by } => format!(
                "occurrence \"{name}\": its window starts {} after it ends {}",
                Dmy(*from),
                Dmy(*by)
            ),
            Msg::OccurrenceAcross {
                name,
                from,
                by,
                every,
            } => format!(
                "occurrence \"{name}\": its window {}-{} must lie within one {} of the duty",
                Dmy(*from),
                Dmy(*by),
                every_en(*every)
            ),
            Msg::OccurrenceMissed {
                title,
                name,
                task,
                from,
                by,
                min,
                found,
            } => format!(
                "\"{name}\" of \"{title}\" (task {task}) not done between {} and {}: {found} of the {min} required",
                Dmy(*from),
                Dmy(*by)
            ),
            Msg::EvidenceMissing {
                task,
                date,
                summary,
            } => format!(
                "activity of {} under task {task} (\"{summary}\") names no record kept (evidence)",
                Dmy(*date)
            ),
            Msg::CommitmentMissing {
                officer,
                name,
                due,
                late: None,
            } => format!(
                "{name} ({officer}) has registered no commitment (due {})",
                Dmy(*due)
            ),
            Msg::CommitmentMissing {
                officer,
                name,
                due,
                late: Some(late),
            } => format!(
                "{name} ({officer}) registered commitments late, on {} (due {})",
                Dmy(*late),
                Dmy(*due)
            ),
            Msg::RepeatViolation {
                officer,
                name,
                first,
                year,
            } => format!(
                "{name} ({officer}): second violation in {year} (the first on {}): a repeat, to be handled strictly",
                Dmy(*first)
            ),
            Msg::RatingYear { year, date } => format!(
                "year {year} cannot be rated on {}: a year is rated at its end or early in the next",
                Dmy(*date)
            ),
            Msg::RatingTwice {
                officer,
                year,
                place,
            } => format!(
                "{officer} was already rated for {year} at {place}: change a rating with `kehoach amend rating`, not a second row"
            ),
            Msg::LapseOfNobody => {
                "a reporting lapse names the unit or the officer who failed to report: unit and officer are both empty".into()
            }
            Msg::RatingMissing {
                officer,
                name,
                year,
                due,
            } => format!(
                "{name} ({officer}) has no year-end rating for {year} (due {})",
                Dmy(*due)
            ),
            Msg::CommitmentsUnjudged {
                officer,
                name,
                count,
                due,
            } => format!(
                "{name} ({officer}): {count} registered commitment{} not judged met or not met (due {})",
                if *count == 1 { "" } else { "s" },
                Dmy(*due)
            ),
            Msg::RatingAboveDiscipline {
                officer,
                name,
                year,
                level,
                action,
                date,
            } => format!(
                "{name} ({officer}) is rated \"{}\" for {year} though disciplined ({}, violation of {}): an officer disciplined in the year rated is to be rated \"duties not performed\"",
                level.label_en(),
                action.label_en(),
                Dmy(*date)
            ),
            Msg::DossierOverdue {
                id,
                procedure,
                due,
                workdays,
            } => format!(
                "dossier {id} ({procedure}) is still open {workdays} working days after its due date {}",
                Dmy(*due)
            ),
            Msg::LateWithoutReason {
                id,
                procedure,
                due,
                returned,
            } => format!(
                "dossier {id} ({procedure}) was returned {}, after its due date {}, with no late_reason",
                Dmy(*returned),
                Dmy(*due)
            ),
            Msg::LateWithoutApology { id, procedure, due } => format!(
                "dossier {id} ({procedure}) is late (due {}) and no apology letter is recorded",
                Dmy(*due)
            ),
            Msg::DateBefore {
                what,
                date,
                other,
                other_date,
            } => format!(
                "{what} {} is before {other} {}",
                Dmy(*date),
                Dmy(*other_date)
            ),
            Msg::DossierNotOpened { id } => {
                format!("no dossier {id}: open it first with `kehoach dossier open`")
            }
            Msg::DueNotComputable { procedure } => format!(
                "procedure '{procedure}' is not in the [[procedures]] catalogue, so its due date cannot be computed: give --due"
            ),
            Msg::DryRunWouldAppend { file } => {
                format!("Dry run, nothing written. Would append to {file}:")
            }
            Msg::NewlineAdded { file, line } => format!(
                "Note: {file} did not end with a newline; one was added first. Its old last line ({line}) may be cut short: check it."
            ),
            Msg::AppendMissingColumn { file, column } => format!(
                "{file} has no column '{column}' in its header: add the column to the file, or leave the value out"
            ),
            Msg::AppendBadHeader { file } => {
                format!("cannot read the header of {file}: run `kehoach check`")
            }
            Msg::NothingWritten => "nothing written: the records are unchanged.".into(),
            Msg::ImportSkipped => "already present, skipped".into(),
            Msg::ImportRows { rows, source, runs, to } => {
                let runs = line_runs(runs, "and", "more");
                match to {
                    Some((file, first)) => format!(
                        "{rows} rows of {source} (lines {runs}) → {file}:{first}–{} (--verbose lists each row)",
                        first + *rows as u64 - 1
                    ),
                    None => format!(
                        "{rows} rows of {source} (lines {runs}) would be added (--verbose lists each row)"
                    ),
                }
            }
            Msg::ImportSkippedRows { rows, source, runs } => format!(
                "{rows} rows of {source} already present, skipped (lines {})",
                line_runs(runs, "and", "more")
            ),
            Msg::ControlChar {
                column,
                code_point,
                at,
            } => {
                let column = if column.is_empty() { String::new() } else { format!("column {column}: ") };
                format!(
                    "{column}character {code_point} (at character {at} of the cell) is a control character, a non-character or a bidi override: it shows as nothing or changes how the text reads; remove it"
                )
            }
            Msg::IdNotAscii { value } => format!(
                "dossier id '{value}' is not printable ASCII: ids are letters, digits and signs such as - . / (a hidden character would make a second dossier that looks the same)"
            ),
            Msg::ImportDone {
                added,
                file,
                source,
                kind,
                read_as,
                skipped,
            } => format!(
                "Imported {added} rows into {file} ({source} ({kind}), {read_as}); skipped {skipped} already present."
            ),
            Msg::ImportEncoding { encoding } => format!("encoding {encoding}"),
            Msg::ImportDryRun {
                added,
                file,
                skipped,
            } => format!(
                "Dry run, nothing written: would import {added} rows into {file}; {skipped} already present."
            ),
        }
    }

    fn vi(&self) -> String {
        match self {
            Msg::History(m) => m.render(Lang::Vi),
            Msg::Toml { detail } => {
                let what = if detail.starts_with("unknown field") {
                    "có khóa không thuộc lược đồ kế hoạch (gõ sai tên?)"
                } else if detail.starts_with("missing field") {
                    "thiếu khóa bắt buộc"
                } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") || detail.starts_with("unknown variant") {
                    "giá trị sai kiểu hoặc không hợp lệ"
                } else {
                    "sai cú pháp TOML"
                };
                format!("plan.toml {what}: {detail}")
            }
            Msg::SchemaVersion { found, supported } => {
                format!("không hỗ trợ schema {found}: bản kehoach này đọc schema {supported}")
            }
            Msg::DuplicateId { id } => format!("mã '{id}' bị dùng hai lần"),
            Msg::UnknownUnit { id } => format!("không có bộ phận '{id}' trong [[units]]"),
            Msg::UnknownResponsible { id } => {
                format!("không có bộ phận hay cán bộ '{id}' trong [[units]] hoặc [[officers]]")
            }
            Msg::BadWeekday { value } => {
                format!("'{value}' không phải thứ trong tuần: dùng mon, tue, wed, thu, fri, sat, sun")
            }
            Msg::ZeroMinimum { task } => {
                format!("nghĩa vụ của nhiệm vụ {task}: min phải từ 1 trở lên")
            }
            Msg::YearOutOfRange { year } => {
                format!("năm {year} nằm ngoài phạm vi: năm của kế hoạch phải từ 2000 đến 2100")
            }
            Msg::TooManyColumns { found, most } => format!(
                "dòng tiêu đề có {found} cột, nhiều hơn mức {most} cột cho phép của một tệp dữ liệu: không đọc tệp này"
            ),
            Msg::BadId { id } => {
                format!("mã '{id}' phải là mã ASCII: chữ, số, '-', '_' hoặc '.'")
            }
            Msg::InvalidUtf8 => "không phải UTF-8 hợp lệ: hãy lưu tệp dạng UTF-8 (lệnh kehoach import chuyển được các bảng mã khác)".into(),
            Msg::UnknownFile { kinds } => {
                format!("không phải tệp dữ liệu: tệp dữ liệu đặt tên theo loại ({kinds})")
            }
            Msg::NoHeader => "tệp rỗng: dòng đầu tiên phải là tên các cột".into(),
            Msg::UnterminatedQuote => "một ô mở ngoặc kép nhưng không đóng: thiếu dấu '\"'".into(),
            Msg::Io { detail } => format!("không đọc được tệp: {detail}"),
            Msg::DuplicateColumn { name } => format!("cột '{name}' xuất hiện hai lần ở dòng tiêu đề"),
            Msg::UnknownColumn { name, kind, allowed } => {
                format!("cột '{name}' không có trong {kind}; các cột là: {allowed}")
            }
            Msg::MissingColumn { name } => format!("thiếu cột bắt buộc '{name}' ở dòng tiêu đề"),
            Msg::RaggedRow { found, expected } => {
                format!("dòng có {found} ô nhưng dòng tiêu đề có {expected} cột")
            }
            Msg::MissingValue { column } => format!("{column} là bắt buộc nhưng đang để trống"),
            Msg::BadDate { column, value } => {
                format!("cột {column}: {value} không phải ngày hợp lệ (viết 2021-03-05 hoặc 05/03/2021)")
            }
            Msg::BadNumber { column, value } => format!("{column} '{value}' không phải số nguyên"),
            Msg::UnknownCode { column, value, allowed } => {
                format!("{column} '{value}' không hợp lệ; chỉ nhận: {allowed}")
            }
            Msg::UnknownTask { id } => format!("không có nhiệm vụ '{id}' trong kế hoạch"),
            Msg::UnknownOfficer { id } => format!("không có cán bộ '{id}' trong danh sách cán bộ của kế hoạch"),
            Msg::UnknownDeliverable { id } => {
                format!("không có sản phẩm '{id}' trong kế hoạch")
            }
            Msg::DeliverableOfOtherTask { id, task } => {
                format!("sản phẩm '{id}' thuộc nhiệm vụ {task}, không thuộc nhiệm vụ của dòng này")
            }
            Msg::UnknownProcedure { id } => {
                format!("không có thủ tục '{id}' trong [[procedures]] của kế hoạch")
            }
            Msg::DossierConflict { id, column, old, new } => format!(
                "hồ sơ {id}: {column} đã là {old}; dòng sau không được đổi thành {new}"
            ),
            Msg::RecordConflict {
                record,
                column,
                old,
                new,
            } => format!(
                "bản ghi {record}: {column} đã là {old}; dòng sau chỉ được đổi thành {new} \
                 khi là dòng đính chính (change=correct, ghi why)"
            ),
            Msg::AmendNoReason => {
                "thiếu --reason: ai sửa bản ghi và vì sao (ghi vào cột why của dòng)".into()
            }
            Msg::AmendUnknownFlag {
                flag,
                kind,
                allowed,
            } => format!("{flag} không phải cột của {kind}: dùng {allowed}"),
            Msg::AmendFlagWithoutValue { flag } => format!("{flag} cần một giá trị"),
            Msg::AmendNoFacts => {
                "hãy nêu các thông tin thay thế, dạng --CỘT GIÁ_TRỊ (các cột như của \
                 `kehoach add KIND`)"
                    .into()
            }
            Msg::ShowCommit {
                commit,
                author,
                date,
            } => format!("commit {commit}, {author}, ngày {date}"),
            Msg::ShowState => "Hiện trạng:".into(),
            Msg::ShowVoided => "Đã hủy: không tính vào số liệu, danh sách nào.".into(),
            Msg::ShowHistory => "Lịch sử:".into(),
            Msg::ShowWritten { place } => format!("{place}: ghi lần đầu"),
            Msg::ShowChange {
                place,
                how,
                facts,
                why,
            } => {
                let how = match *how {
                    "fill" => "bổ sung",
                    "correct" => "đính chính",
                    _ => "hủy",
                };
                let mut line = format!("{place}: {how}");
                if !facts.is_empty() {
                    line += &format!(" {facts}");
                }
                if let Some(why) = why {
                    line += &format!(" (lý do: {why})");
                }
                line
            }
            Msg::UnknownRecord { kind, reference } => format!(
                "không có bản ghi {kind} nào mang tên {reference} (mã, hoặc tệp:dòng trong \
                 records/), hoặc bản ghi đã bị hủy"
            ),
            Msg::DossierIncomplete { id, missing } => format!(
                "hồ sơ {id} không có dòng nào ghi {}",
                missing.join(", ")
            ),
            Msg::StatusWithoutEnd { id, status } => {
                format!("hồ sơ {id} có trạng thái {status} nhưng thiếu ngày kết thúc (returned)")
            }
            Msg::RefusedWithoutReason { id } => format!(
                "hồ sơ {id} bị từ chối nhưng không ghi lý do (refusal_reason): phiếu từ chối phải nêu rõ lý do"
            ),
            Msg::ImportUnknownHeader { header, kind, columns } => format!(
                "cột '{header}' không có trong {kind}; gán cho một cột bằng --map \"{header}=<cột>\" (các cột: {columns}) hoặc bỏ qua bằng --map \"{header}=\""
            ),
            Msg::ImportDuplicateHeader { header, column, first } => format!(
                "'{header}' cũng là cột {column}, đã có ở cột {first}; giữ một cột, ví dụ bỏ cột này bằng --map \"{header}=\""
            ),
            Msg::ImportBadTarget { source, target, kind, columns } => format!(
                "--map \"{source}={target}\": '{target}' không phải cột của {kind} (các cột: {columns})"
            ),
            Msg::ImportLossy { encoding } => format!(
                "có byte không hợp lệ theo bảng mã {encoding} và đã bị thay thế: tệp có thể hỏng hoặc dùng bảng mã khác (TCVN3, VNI): hãy chuyển sang UTF-8 trước"
            ),
            Msg::ImportSheetUnreadable { detail } => format!(
                "không đọc được tệp như một bảng tính (xlsx, xls, ods): {detail}; hãy mở bằng Excel hoặc LibreOffice rồi lưu lại, hoặc lưu thành CSV"
            ),
            Msg::ImportSheetEmpty { sheet } => {
                format!("trang tính '{sheet}' trống: không có dòng tiêu đề")
            }
            Msg::ImportNoSuchSheet { name, sheets } => {
                format!("bảng tính không có trang '{name}'; các trang hiện có: {sheets}")
            }
            Msg::ImportFromSheet { sheet, header_line } => {
                format!("trang tính '{sheet}', dòng tiêu đề là dòng {header_line}")
            }
            Msg::ImportAmbiguousProcedure { name, candidates } => format!(
                "thủ tục '{name}' có thể là một trong các thủ tục: {candidates}; hãy ghi mã thủ tục hoặc tên đầy đủ"
            ),
            Msg::ImportProcedureMapped { name, id, catalogue, rows } => format!(
                "thủ tục '{name}' được hiểu là {id} “{catalogue}” ({rows} dòng)"
            ),
            Msg::ImportProcedureUnlisted { name, rows } => format!(
                "thủ tục '{name}' không có trong danh mục [[procedures]] của plan.toml: giữ nguyên như đã ghi ({rows} dòng)"
            ),
            Msg::ImportProceduresUnlistedMore { names, rows } => format!(
                "… và {names} tên thủ tục khác không có trong danh mục [[procedures]], giữ nguyên như đã ghi ({rows} dòng; --verbose để liệt kê)"
            ),
            Msg::BinaryToTerminal { format, example } => format!(
                "tệp {format} là tệp nhị phân, không in ra màn hình: dùng -o TỆP (ví dụ -o {example}) hoặc chuyển hướng (> {example})"
            ),
            Msg::ExportSeveralKinds => "xuất CSV nhiều loại dữ liệu thì mỗi loại một tệp: hãy chỉ thư mục bằng -o THƯ_MỤC, hoặc chỉ một loại".into(),
            Msg::ExportRefused { errors } => format!(
                "kehoach: dữ liệu có {errors} lỗi: không xuất gì. Hãy sửa lỗi trước (xem `kehoach check`)."
            ),
            Msg::Exported { kind, rows } => format!("đã xuất {rows} dòng {kind}"),
            Msg::DocxToTerminal => "tệp DOCX là tệp nhị phân, không in ra màn hình: dùng -o TỆP (ví dụ -o bao-cao.docx) hoặc chuyển hướng (> bao-cao.docx)".into(),
            Msg::ReportRefused { errors } => format!(
                "kehoach: dữ liệu có {errors} lỗi: không lập báo cáo. Sửa lỗi (xem `kehoach check`), hoặc dùng --allow-errors để vẫn lập báo cáo có ghi chú."
            ),
            Msg::TemplateWithJson => "--template chỉ dùng cho báo cáo theo mẫu (md): --format json in dữ liệu báo cáo, không dùng mẫu".into(),
            Msg::PlanUnreadable => "không đọc được plan.toml".into(),
            Msg::ThePeriod { input } => format!("kỳ báo cáo '{input}'"),
            Msg::NotAPeriodOf { input, size } => format!(
                "'{input}' không phải kỳ {}: ví dụ {}",
                match size {
                    Size::Quarter => "quý",
                    Size::Half => "6 tháng",
                    Size::Month => "tháng",
                    _ => "năm",
                },
                period_example(*size)
            ),
            Msg::OutsidePlanYear {
                input,
                period,
                plan_year,
                start,
                end,
            } => format!(
                "{} nằm ngoài năm {plan_year} của kế hoạch (từ ngày {} đến ngày {}): kế hoạch chỉ báo cáo về năm của nó",
                named(input, period),
                crate::dates::dmy(*start),
                crate::dates::dmy(*end)
            ),
            Msg::PlanHasErrors => "plan.toml có lỗi: sửa rồi chạy lại".into(),
            Msg::DataHasErrorsNote => "Lưu ý: dữ liệu có lỗi, chạy `kehoach check` để xem.".into(),
            Msg::NothingDue { days: 0 } => "Không có việc quá hạn hay đến hạn hôm nay.".into(),
            Msg::NothingDue { days: 1 } => {
                "Không có việc quá hạn hay đến hạn đến hết ngày mai.".into()
            }
            Msg::NothingDue { days } => {
                format!("Không có việc quá hạn hay đến hạn trong {days} ngày tới.")
            }
            Msg::OverdueHeading { count } => format!("Quá hạn ({count})"),
            Msg::DueHeading { days: 0, count } => format!("Đến hạn hôm nay ({count})"),
            Msg::DueHeading { days: 1, count } => format!("Đến hạn đến hết ngày mai ({count})"),
            Msg::DueHeading { days, count } => format!("Đến hạn trong {days} ngày tới ({count})"),
            Msg::DueIn { days } if *days < 0 => format!("quá {} ngày", -days),
            Msg::DueIn { days: 0 } => "hôm nay".into(),
            Msg::DueIn { days } => format!("còn {days} ngày"),
            Msg::TaskTag { task } => format!("[NV {task}] "),
            Msg::CheckSummary { activities, dossier_rows, dossiers, violations, commendations, feedback, commitments, ratings, lapses, errors, warnings } => {
                let n = |n: &u64| crate::text::group_thousands(*n);
                let mut ratings = match ratings {
                    0 => String::new(),
                    r => format!(", {} kết quả xếp loại", n(r)),
                };
                if *lapses > 0 {
                    ratings += &format!(", {} trường hợp vi phạm chế độ báo cáo", n(lapses));
                }
                format!(
                    "Đã đọc {} hoạt động, {} dòng hồ sơ ({} hồ sơ), {} vi phạm, {} khen thưởng, {} góp ý, {} nội dung cam kết{ratings}: {errors} lỗi, {warnings} cảnh báo.",
                    n(activities), n(dossier_rows), n(dossiers), n(violations), n(commendations), n(feedback), n(commitments)
                )
            }
            Msg::NoPlanIn { dir } => format!("không có plan.toml trong thư mục {dir}"),
            Msg::NoPlanFound { cwd } => format!(
                "không tìm thấy plan.toml ở {cwd} hay thư mục cha nào; dùng -C THƯ_MỤC hoặc đặt KEHOACH_DIR"
            ),
            Msg::ReadingCurrentDir => "đọc thư mục hiện tại".into(),
            Msg::InitPlanExists { dir } => format!("{dir} đã có plan.toml: không ghi đè"),
            Msg::InitDone { dir } => format!(
                "Đã tạo thư mục kế hoạch {dir}: sửa plan.toml (xem docs/plan.md), rồi chạy `kehoach -C {dir} check`.\nNên đưa vào git: git init {dir} && git -C {dir} add . && git -C {dir} commit -m \"Kế hoạch mới\""
            ),
            Msg::ReportsDueRefused => "dữ liệu có lỗi: không lập báo cáo. Sửa lỗi (xem `kehoach check`), hoặc dùng --allow-errors.".into(),
            Msg::DeliverableOverdue { id, title, due, days } => format!(
                "sản phẩm {id} “{title}” đến hạn {} nhưng chưa hoàn thành: quá hạn {days} ngày",
                Dmy(*due)
            ),
            Msg::DeliverableLate { id, title, due, done, days } => format!(
                "sản phẩm {id} “{title}” hoàn thành ngày {}, chậm {days} ngày so với hạn {}",
                Dmy(*done),
                Dmy(*due)
            ),
            Msg::ObligationMissed { period, title, task, min, found } => format!(
                "{}: không thực hiện đủ “{title}” (nhiệm vụ {task}): có {found}/{min} lần",
                period.label()
            ),
            Msg::MinWithOccurrences { task } => format!(
                "nghĩa vụ của nhiệm vụ {task}: khi đã liệt kê các lần thực hiện (occurrences), số lần tối thiểu ghi ở từng lần, không ghi min cho cả nghĩa vụ"
            ),
            Msg::OccurrenceBadDay { value, year } => format!(
                "“{value}” không phải tháng-ngày trong năm kế hoạch {year}: viết dạng \"03-31\""
            ),
            Msg::OccurrenceReversed { name, from, by } => format!(
                "lần thực hiện “{name}”: ngày bắt đầu {} sau ngày kết thúc {}",
                Dmy(*from),
                Dmy(*by)
            ),
            Msg::OccurrenceAcross { name, from, by, every } => format!(
                "lần thực hiện “{name}”: thời hạn {}–{} phải nằm trong cùng một {} của nghĩa vụ",
                Dmy(*from),
                Dmy(*by),
                every_vi(*every)
            ),
            Msg::OccurrenceMissed { title, name, task, from, by, min, found } => format!(
                "không thực hiện đủ “{name}” của “{title}” (nhiệm vụ {task}) trong thời hạn từ {} đến {}: có {found}/{min} lần",
                Dmy(*from),
                Dmy(*by)
            ),
            Msg::EvidenceMissing { task, date, summary } => format!(
                "hoạt động ngày {} thuộc nhiệm vụ {task} (“{summary}”) không ghi hồ sơ lưu (evidence)",
                Dmy(*date)
            ),
            Msg::CommitmentMissing { officer, name, due, late: None } => format!(
                "{name} ({officer}) chưa đăng ký cam kết (hạn {})",
                Dmy(*due)
            ),
            Msg::CommitmentMissing { officer, name, due, late: Some(late) } => format!(
                "{name} ({officer}) đăng ký cam kết muộn, ngày {} (hạn {})",
                Dmy(*late),
                Dmy(*due)
            ),
            Msg::RepeatViolation { officer, name, first, year } => format!(
                "{name} ({officer}) vi phạm lần thứ hai trong năm {year} (lần đầu ngày {}): tái phạm, phải xử lý nghiêm",
                Dmy(*first)
            ),
            Msg::RatingYear { year, date } => format!(
                "không thể xếp loại năm {year} vào ngày {}: việc xếp loại làm vào cuối năm được đánh giá hoặc đầu năm sau",
                Dmy(*date)
            ),
            Msg::RatingTwice { officer, year, place } => format!(
                "{officer} đã được xếp loại năm {year} tại {place}: muốn sửa kết quả xếp loại thì dùng `kehoach amend rating`, không ghi thêm dòng thứ hai"
            ),
            Msg::LapseOfNobody => {
                "trường hợp vi phạm chế độ báo cáo phải ghi bộ phận hoặc cán bộ không thực hiện: cả unit và officer đều đang để trống".into()
            }
            Msg::RatingMissing { officer, name, year, due } => format!(
                "{name} ({officer}) chưa được đánh giá, xếp loại năm {year} (hạn {})",
                Dmy(*due)
            ),
            Msg::CommitmentsUnjudged { officer, name, count, due } => format!(
                "{name} ({officer}): {count} nội dung đã đăng ký, cam kết chưa được đánh giá có thực hiện hay không (hạn {})",
                Dmy(*due)
            ),
            Msg::RatingAboveDiscipline { officer, name, year, level, action, date } => format!(
                "{name} ({officer}) bị xử lý kỷ luật ({}, vi phạm ngày {}) nhưng được xếp loại năm {year} là “{}”: cán bộ, công chức bị xử lý kỷ luật trong năm đánh giá thì xếp loại không hoàn thành nhiệm vụ",
                action.label().to_lowercase(),
                Dmy(*date),
                level.label()
            ),
            Msg::DossierOverdue { id, procedure, due, workdays } => format!(
                "hồ sơ {id} ({procedure}) quá hạn {workdays} ngày làm việc (hẹn trả {}), chưa giải quyết xong",
                Dmy(*due)
            ),
            Msg::LateWithoutReason { id, procedure, due, returned } => format!(
                "hồ sơ {id} ({procedure}) trả kết quả ngày {}, sau ngày hẹn trả {}, nhưng không ghi lý do trễ hạn (late_reason)",
                Dmy(*returned),
                Dmy(*due)
            ),
            Msg::LateWithoutApology { id, procedure, due } => format!(
                "hồ sơ {id} ({procedure}) trễ hạn (hẹn trả {}) nhưng chưa có văn bản xin lỗi (apology)",
                Dmy(*due)
            ),
            Msg::DateBefore { what, date, other, other_date } => format!(
                "{what} {} trước {other} {}",
                Dmy(*date),
                Dmy(*other_date)
            ),
            Msg::DossierNotOpened { id } => format!(
                "không có hồ sơ {id}: tiếp nhận hồ sơ trước bằng `kehoach dossier open`"
            ),
            Msg::DueNotComputable { procedure } => format!(
                "thủ tục '{procedure}' không có trong danh mục [[procedures]] nên không tính được ngày hẹn trả: ghi --due"
            ),
            Msg::DryRunWouldAppend { file } => {
                format!("Thử (--dry-run), chưa ghi gì. Sẽ thêm vào {file}:")
            }
            Msg::NewlineAdded { file, line } => format!(
                "Lưu ý: {file} không kết thúc bằng dấu xuống dòng; đã thêm trước khi ghi. Dòng cuối cũ (dòng {line}) có thể bị dở dang: hãy kiểm tra."
            ),
            Msg::AppendMissingColumn { file, column } => format!(
                "{file} không có cột '{column}' ở dòng tiêu đề: thêm cột đó vào tệp, hoặc bỏ giá trị này"
            ),
            Msg::AppendBadHeader { file } => {
                format!("không đọc được dòng tiêu đề của {file}: chạy `kehoach check`")
            }
            Msg::NothingWritten => "không ghi gì: dữ liệu giữ nguyên.".into(),
            Msg::ImportSkipped => "đã có, bỏ qua".into(),
            Msg::ImportRows { rows, source, runs, to } => {
                let runs = line_runs(runs, "và", "đoạn khác");
                match to {
                    Some((file, first)) => format!(
                        "{rows} dòng của {source} (dòng {runs}) → {file}:{first}–{} (--verbose để liệt kê từng dòng)",
                        first + *rows as u64 - 1
                    ),
                    None => format!(
                        "{rows} dòng của {source} (dòng {runs}) sẽ được thêm (--verbose để liệt kê từng dòng)"
                    ),
                }
            }
            Msg::ImportSkippedRows { rows, source, runs } => format!(
                "{rows} dòng của {source} đã có, bỏ qua (dòng {})",
                line_runs(runs, "và", "đoạn khác")
            ),
            Msg::ControlChar {
                column,
                code_point,
                at,
            } => {
                let column = if column.is_empty() { String::new() } else { format!("cột {column}: ") };
                format!(
                    "{column}ký tự {code_point} (ở ký tự thứ {at} của ô) là ký tự điều khiển, ký tự không hợp lệ hoặc ký tự đảo chiều văn bản: nó không hiện ra hoặc làm văn bản đọc khác đi; hãy xóa nó"
                )
            }
            Msg::IdNotAscii { value } => format!(
                "mã hồ sơ '{value}' không chỉ gồm ký tự ASCII in được: mã chỉ gồm chữ, số và các dấu như - . / (một ký tự ẩn sẽ tạo ra hồ sơ thứ hai trông giống hệt)"
            ),
            Msg::ImportDone { added, file, source, kind, read_as, skipped } => format!(
                "Đã nhập {added} dòng vào {file} ({source} ({kind}), {read_as}); bỏ qua {skipped} dòng đã có."
            ),
            Msg::ImportEncoding { encoding } => format!("bảng mã {encoding}"),
            Msg::ImportDryRun { added, file, skipped } => format!(
                "Thử (--dry-run), chưa ghi gì: sẽ nhập {added} dòng vào {file}; bỏ qua {skipped} dòng đã có."
            ),
        }
    }
}

/// What an interactive prompt of `add` or `dossier open` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptField {
    Date,
    Task,
    ActivityKind,
    Summary,
    Officer,
    Description,
    Recipient,
    Form,
    Channel,
    Commitment,
    Procedure,
}

/// The sentences of the commands a scripted run relies on (`deadlines --fail-on`, its
/// filters and calendar, `reports due`), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    /// `--fail-on overdue` failed.
    Overdue {
        count: usize,
    },
    /// `--fail-on soon` failed.
    DueSoon {
        count: usize,
        days: u32,
    },
    UnknownOfficer {
        raw: String,
    },
    UnknownTask {
        raw: String,
    },
    /// The name of the deadlines calendar.
    CalendarName {
        plan: String,
    },
    /// `reports due`: a report that could not be written (the others are still written).
    ReportFailed {
        path: String,
        error: String,
    },
    /// `reports due`: the plan asks for no report.
    NoReportsAsked,
    /// Interactive entry: the label of a prompt.
    Prompt {
        field: PromptField,
    },
    /// Interactive entry: the keys.
    PromptHelp,
    /// Interactive entry: Esc or Ctrl-C.
    Cancelled,
    /// A loose name that fits several things.
    Ambiguous {
        typed: String,
        candidates: Vec<(String, String)>,
    },
    /// `dossier open` without --id, and no unit code to make one with.
    NoUnitCode,
    /// `dossier open` without --id, and a reception date that is not a date.
    NoDayForCode {
        received: String,
    },
    /// `dossier open`: the code given to the new dossier.
    DossierCode {
        id: String,
    },
    /// A required option left out.
    Missing {
        option: String,
    },
}

impl Say {
    /// The sentence in `lang`, with no raw control character from the data (written
    /// `<U+001B>`, as [`Msg::render`] writes it).
    pub fn render(&self, lang: Lang) -> String {
        crate::controls::visible(&self.text(lang)).into_owned()
    }

    fn text(&self, lang: Lang) -> String {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match (lang, self) {
            (Lang::Vi, Say::Overdue { count }) => format!("có {count} việc quá hạn"),
            (Lang::En, Say::Overdue { count }) => {
                let verb = if *count == 1 { "is" } else { "are" };
                format!("{} {verb} overdue", plural(*count, "item", "items"))
            }
            (Lang::Vi, Say::DueSoon { count, days: 0 }) => {
                format!("có {count} việc quá hạn hoặc đến hạn hôm nay")
            }
            (Lang::Vi, Say::DueSoon { count, days: 1 }) => {
                format!("có {count} việc quá hạn hoặc đến hạn đến hết ngày mai")
            }
            (Lang::Vi, Say::DueSoon { count, days }) => {
                format!("có {count} việc quá hạn hoặc đến hạn trong {days} ngày tới")
            }
            (Lang::En, Say::DueSoon { count, days: 0 }) => {
                format!("{} overdue or due today", plural(*count, "item", "items"))
            }
            (Lang::En, Say::DueSoon { count, days: 1 }) => {
                format!(
                    "{} overdue or due by tomorrow",
                    plural(*count, "item", "items")
                )
            }
            (Lang::En, Say::DueSoon { count, days }) => format!(
                "{} overdue or due in the next {}",
                plural(*count, "item", "items"),
                plural(*days as usize, "day", "days")
            ),
            (Lang::Vi, Say::UnknownOfficer { raw }) => {
                format!("không có cán bộ '{raw}' trong plan.toml")
            }
            (Lang::En, Say::UnknownOfficer { raw }) => {
                format!("no officer '{raw}' in plan.toml")
            }
            (Lang::Vi, Say::UnknownTask { raw }) => {
                format!("không có nhiệm vụ '{raw}' trong plan.toml")
            }
            (Lang::En, Say::UnknownTask { raw }) => format!("no task '{raw}' in plan.toml"),
            (Lang::Vi, Say::CalendarName { plan }) => format!("Thời hạn - {plan}"),
            (Lang::En, Say::CalendarName { plan }) => format!("Deadlines - {plan}"),
            (Lang::Vi, Say::ReportFailed { path, error }) => {
                format!("không lập được {path}: {error}")
            }
            (Lang::En, Say::ReportFailed { path, error }) => {
                format!("could not write {path}: {error}")
            }
            (Lang::Vi, Say::NoReportsAsked) => "plan.toml không yêu cầu báo cáo nào: thêm \
                 `reports = [\"quarter\", \"half\", \"year\"]` vào [reporting]"
                .to_string(),
            (_, Say::Prompt { field }) => {
                use PromptField as F;
                let (vi, en) = match field {
                    F::Date => ("Ngày", "Date"),
                    F::Task => ("Nhiệm vụ", "Task"),
                    F::ActivityKind => ("Loại hoạt động", "Kind of activity"),
                    F::Summary => ("Nội dung", "What was done"),
                    F::Officer => ("Cán bộ", "Officer"),
                    F::Description => ("Nội dung vi phạm", "What happened"),
                    F::Recipient => ("Cá nhân, tập thể được khen", "Recipient"),
                    F::Form => ("Hình thức khen thưởng", "Form of commendation"),
                    F::Channel => ("Kênh góp ý", "Channel"),
                    F::Commitment => ("Nội dung cam kết", "Commitment"),
                    F::Procedure => ("Thủ tục", "Procedure"),
                };
                lang.pick(vi, en).to_string()
            }
            (Lang::Vi, Say::PromptHelp) => {
                "Tab: gợi ý, ↑↓: chọn, Enter: xong, Esc: thôi".to_string()
            }
            (Lang::En, Say::PromptHelp) => {
                "Tab: complete, ↑↓: choose, Enter: accept, Esc: cancel".to_string()
            }
            (_, Say::Ambiguous { typed, candidates }) => {
                // A code's tail ("0003") can fit a code of every day of the year: the first
                // few are named, the rest counted.
                const NAMED: usize = 10;
                let mut list: Vec<String> = candidates
                    .iter()
                    .take(NAMED)
                    .map(|(id, name)| {
                        if name.is_empty() {
                            id.clone()
                        } else {
                            format!("{id} ({name})")
                        }
                    })
                    .collect();
                let more = candidates.len().saturating_sub(NAMED);
                if more > 0 {
                    list.push(match lang {
                        Lang::Vi => format!(
                            "… và {} mục khác",
                            crate::text::group_thousands(more as u64)
                        ),
                        Lang::En => format!("… and {more} more"),
                    });
                }
                match lang {
                    Lang::Vi => format!(
                        "'{typed}' có thể là: {}; ghi rõ hơn (mã hoặc tên đầy đủ)",
                        list.join(", ")
                    ),
                    Lang::En => format!(
                        "'{typed}' could be: {}; say which (its id or full name)",
                        list.join(", ")
                    ),
                }
            }
            (Lang::Vi, Say::NoUnitCode) => "không biết mã đơn vị để cấp mã hồ sơ: ghi unit_code \
                 trong [plan] của plan.toml (ví dụ \"000.00.27.H42\"), hoặc ghi --id"
                .to_string(),
            (Lang::En, Say::NoUnitCode) => "no unit code to make a dossier code with: set \
                 unit_code in [plan] of plan.toml (e.g. \"000.00.27.H42\"), or give --id"
                .to_string(),
            (Lang::Vi, Say::NoDayForCode { received }) => {
                format!(
                    "'{received}' không phải ngày nên không cấp được mã hồ sơ: sửa --received hoặc ghi --id"
                )
            }
            (Lang::En, Say::NoDayForCode { received }) => {
                format!(
                    "'{received}' is not a date, so no dossier code can be made: fix --received or give --id"
                )
            }
            (Lang::Vi, Say::Missing { option }) => format!("chưa ghi {option}, mục này bắt buộc"),
            (Lang::En, Say::Missing { option }) => format!("{option} is required"),
            (Lang::Vi, Say::DossierCode { id }) => format!("Mã hồ sơ: {id}"),
            (Lang::En, Say::DossierCode { id }) => format!("Dossier code: {id}"),
            (Lang::Vi, Say::Cancelled) => "đã thôi: không ghi gì".to_string(),
            (Lang::En, Say::Cancelled) => "cancelled: nothing written".to_string(),
            (Lang::En, Say::NoReportsAsked) => "plan.toml asks for no report: add \
                 `reports = [\"quarter\", \"half\", \"year\"]` to [reporting]"
                .to_string(),
        }
    }
}

/// The legal bases findings cite. They are citations of Vietnamese documents, the same in both
/// languages: the plan's own (its number, a task as the plan numbers it) come from plan.toml,
/// only the law is written here.
pub mod basis {
    /// A task of the plan: "Kế hoạch 06/KH-UBND, nhiệm vụ 3", or with the task's own `cite`
    /// ("mục II.8") for `cite`.
    pub fn plan_task(number: &str, task_id: &str, cite: Option<&str>) -> String {
        match cite {
            Some(cite) => format!("Kế hoạch {number}, {cite}"),
            None => format!("Kế hoạch {number}, nhiệm vụ {task_id}"),
        }
    }

    /// One-stop dossiers (W307, W308): the decree, then the plan's task for dossiers if any.
    pub fn one_stop(task: Option<String>) -> String {
        match task {
            Some(task) => format!("{ONE_STOP}; {task}"),
            None => ONE_STOP.to_string(),
        }
    }

    /// Nghị định 61/2018/NĐ-CP: the one-stop mechanism (cơ chế một cửa).
    const ONE_STOP: &str = "Nghị định 61/2018/NĐ-CP";

    /// An officer disciplined in the year rated (W322, the officers report): Nghị định 90/2020
    /// as amended by 48/2023 rates years up to 2025; Nghị định 335/2025 from 2026.
    pub fn discipline_rating(year: i32) -> &'static str {
        if year >= 2026 {
            "Nghị định 335/2025/NĐ-CP: công chức bị kỷ luật từ khiển trách trở lên trong năm do vi phạm liên quan đến thực thi công vụ được xếp loại không hoàn thành nhiệm vụ"
        } else {
            "Nghị định 90/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định 48/2023/NĐ-CP: cán bộ, công chức bị xử lý kỷ luật trong năm đánh giá thì xếp loại không hoàn thành nhiệm vụ"
        }
    }

    /// A late dossier without an apology letter (W309).
    pub const APOLOGY: &str = "Nghị định 61/2018/NĐ-CP; Thông tư 01/2018/TT-VPCP, mẫu 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả)";
}

/// A period of the size, as an example: "2021-Q3".
/// A period as the user named it, with its code when a word named it: "'last' (2020-Q4)".
/// Runs of lines as `2–5001, 5003, 5005–9000`: the first few, then how many more (`and 3
/// more`, `và 3 đoạn khác`).
fn line_runs(runs: &[(u64, u64)], and: &str, more: &str) -> String {
    const SHOWN: usize = 8;
    let mut text = (runs.iter().take(SHOWN))
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if runs.len() > SHOWN {
        text.push_str(&format!(" {and} {} {more}", runs.len() - SHOWN));
    }
    text
}

fn named(input: &str, period: &str) -> String {
    if input == period {
        format!("'{input}'")
    } else {
        format!("'{input}' ({period})")
    }
}

fn period_example(size: Size) -> &'static str {
    match size {
        Size::Quarter => "2021-Q3",
        Size::Half => "2021-H1",
        Size::Month => "2021-06",
        _ => "2021",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, day).unwrap()
    }

    /// One of every message. The match in `variant` has no wildcard: a new variant does not
    /// compile until it is listed there, and the test fails until it has a sample here.
    fn samples() -> Vec<Msg> {
        let s = |x: &str| x.to_string();
        let q = Period::quarter(crate::scheme::Scheme::Nd09, 2021, 2).unwrap();
        vec![
            Msg::Toml {
                detail: s("expected `=`"),
            },
            Msg::SchemaVersion {
                found: 2,
                supported: 1,
            },
            Msg::DuplicateId { id: s("vp1") },
            Msg::UnknownUnit { id: s("vp") },
            Msg::UnknownResponsible { id: s("xx") },
            Msg::BadWeekday { value: s("thu2") },
            Msg::ZeroMinimum { task: s("9") },
            Msg::YearOutOfRange { year: 99999 },
            Msg::TooManyColumns {
                found: 2_000_000,
                most: 1_000,
            },
            Msg::BadId {
                id: s("nhiệm vụ")
            },
            Msg::InvalidUtf8,
            Msg::UnknownFile {
                kinds: s("activities, dossiers"),
            },
            Msg::NoHeader,
            Msg::UnterminatedQuote,
            Msg::Io {
                detail: s("os error 2"),
            },
            Msg::DuplicateColumn { name: s("task") },
            Msg::UnknownColumn {
                name: s("colour"),
                kind: "activities",
                allowed: s("date, task"),
            },
            Msg::MissingColumn { name: "date" },
            Msg::RaggedRow {
                found: 4,
                expected: 9,
            },
            Msg::MissingValue { column: "summary" },
            Msg::BadDate {
                column: "due",
                value: s("31/02/2021"),
            },
            Msg::BadNumber {
                column: "participants",
                value: s("mười"),
            },
            Msg::UnknownCode {
                column: s("kind"),
                value: s("party"),
                allowed: s("meeting"),
            },
            Msg::UnknownTask { id: s("99") },
            Msg::UnknownOfficer { id: s("xyz") },
            Msg::UnknownDeliverable { id: s("2-xyz") },
            Msg::DeliverableOfOtherTask {
                id: s("2-bao-cao"),
                task: s("2"),
            },
            Msg::UnknownProcedure {
                id: s("ht-khai-snih"),
            },
            Msg::DossierConflict {
                id: s("D1"),
                column: "returned",
                old: s("21/01/2021"),
                new: s("22/01/2021"),
            },
            Msg::RecordConflict {
                record: s("VP-2021-0007"),
                column: "action",
                old: s("khien-trach"),
                new: s("canh-cao"),
            },
            Msg::UnknownRecord {
                kind: "violations",
                reference: s("violations.csv:57"),
            },
            Msg::AmendNoReason,
            Msg::AmendUnknownFlag {
                flag: s("--officerz"),
                kind: "violations",
                allowed: s("--date, --officer, --description"),
            },
            Msg::AmendFlagWithoutValue {
                flag: s("--action"),
            },
            Msg::AmendNoFacts,
            Msg::ShowCommit {
                commit: s("1a2b3c4"),
                author: s("Lê Thị Hoa"),
                date: s("2021-01-27"),
            },
            Msg::ShowState,
            Msg::ShowVoided,
            Msg::ShowHistory,
            Msg::ShowWritten {
                place: s("records/violations.csv:2"),
            },
            Msg::ShowChange {
                place: s("records/violations.csv:4"),
                how: "correct",
                facts: s("action=reprimand"),
                why: Some(s("ct: ghi nhầm")),
            },
            Msg::DossierIncomplete {
                id: s("D9"),
                missing: vec!["procedure", "received"],
            },
            Msg::StatusWithoutEnd {
                id: s("D1"),
                status: "withdrawn",
            },
            Msg::RefusedWithoutReason { id: s("D1") },
            Msg::DateBefore {
                what: "returned",
                date: d(1, 19),
                other: "received",
                other_date: d(1, 20),
            },
            Msg::ImportUnknownHeader {
                header: s("Màu bìa"),
                kind: "dossiers",
                columns: s("id"),
            },
            Msg::ImportDuplicateHeader {
                header: s("Ngày nhận"),
                column: "received",
                first: 4,
            },
            Msg::ImportBadTarget {
                source: s("Số"),
                target: s("so"),
                kind: "dossiers",
                columns: s("id"),
            },
            Msg::ImportLossy { encoding: "UTF-8" },
            Msg::DeliverableOverdue {
                id: s("2-bao-cao"),
                title: s("Báo cáo"),
                due: d(12, 15),
                days: 5,
            },
            Msg::DeliverableLate {
                id: s("5-phan-cong"),
                title: s("Quyết định"),
                due: d(1, 31),
                done: d(2, 5),
                days: 5,
            },
            Msg::ObligationMissed {
                period: q,
                title: s("Phổ biến"),
                task: s("1"),
                min: 1,
                found: 0,
            },
            Msg::MinWithOccurrences { task: s("7") },
            Msg::OccurrenceBadDay {
                value: s("31-03"),
                year: 2021,
            },
            Msg::OccurrenceReversed {
                name: s("Tổng kết thi đua cuối năm"),
                from: d(12, 1),
                by: d(3, 31),
            },
            Msg::OccurrenceAcross {
                name: s("Kiểm tra"),
                from: d(5, 1),
                by: d(7, 1),
                every: crate::scheme::Every::Half,
            },
            Msg::OccurrenceMissed {
                title: s("Phát động và tổng kết thi đua"),
                name: s("Phát động thi đua đầu năm"),
                task: s("7"),
                from: d(1, 1),
                by: d(3, 31),
                min: 1,
                found: 0,
            },
            Msg::EvidenceMissing {
                task: s("6"),
                date: d(7, 5),
                summary: s("Họp giao ban"),
            },
            Msg::CommitmentMissing {
                officer: s("dc2"),
                name: s("Đỗ Thị Lan"),
                due: d(1, 31),
                late: None,
            },
            Msg::CommitmentMissing {
                officer: s("vp2"),
                name: s("Hoàng Văn Dũng"),
                due: d(1, 31),
                late: Some(d(2, 22)),
            },
            Msg::RepeatViolation {
                officer: s("vp2"),
                name: s("Hoàng Văn Dũng"),
                first: d(3, 22),
                year: 2021,
            },
            Msg::RatingYear {
                year: 2019,
                date: d(12, 10),
            },
            Msg::RatingTwice {
                officer: s("vp1"),
                year: 2021,
                place: s("records/ratings.csv:3"),
            },
            Msg::LapseOfNobody,
            Msg::RatingMissing {
                officer: s("qs"),
                name: s("Trịnh Văn Quang"),
                year: 2021,
                due: d(12, 14),
            },
            Msg::CommitmentsUnjudged {
                officer: s("tp1"),
                name: s("Võ Thị Giang"),
                count: 2,
                due: d(12, 14),
            },
            Msg::RatingAboveDiscipline {
                officer: s("dc1"),
                name: s("Bùi Văn Khánh"),
                year: 2021,
                level: crate::records::codes::Level::Done,
                action: crate::records::codes::Action::Reprimand,
                date: d(5, 18),
            },
            Msg::DossierOverdue {
                id: "D1".into(),
                procedure: "Đăng ký khai sinh".into(),
                due: d(12, 2),
                workdays: 3,
            },
            Msg::LateWithoutReason {
                id: "D1".into(),
                procedure: "Đăng ký khai sinh".into(),
                due: d(3, 2),
                returned: d(3, 4),
            },
            Msg::LateWithoutApology {
                id: "D1".into(),
                procedure: "Đăng ký khai sinh".into(),
                due: d(3, 2),
            },
            Msg::ImportSheetUnreadable {
                detail: s("Cannot detect file format"),
            },
            Msg::ImportSheetEmpty { sheet: s("Sheet1") },
            Msg::ImportNoSuchSheet {
                name: s("Quý 1"),
                sheets: s("'Sheet1'"),
            },
            Msg::ImportFromSheet {
                sheet: s("Sổ"),
                header_line: 4,
            },
            Msg::ImportAmbiguousProcedure {
                name: s("nhan cha me con"),
                candidates: s("a"),
            },
            Msg::ImportProcedureMapped {
                name: s("Khai sinh"),
                id: s("ht-khai-sinh"),
                catalogue: s("Đăng ký khai sinh"),
                rows: 3,
            },
            Msg::ImportProcedureUnlisted {
                name: s("Chứng thực bản sao từ bản chính"),
                rows: 12,
            },
            Msg::ImportProceduresUnlistedMore { names: 4, rows: 31 },
            Msg::BinaryToTerminal {
                format: "XLSX",
                example: "bao-cao.xlsx",
            },
            Msg::ExportSeveralKinds,
            Msg::ExportRefused { errors: 2 },
            Msg::DocxToTerminal,
            Msg::ReportRefused { errors: 3 },
            Msg::TemplateWithJson,
            Msg::PlanUnreadable,
            Msg::ThePeriod {
                input: s("2021-Q5"),
            },
            Msg::NotAPeriodOf {
                input: s("2021"),
                size: Size::Quarter,
            },
            Msg::NotAPeriodOf {
                input: s("2021-Q3"),
                size: Size::Half,
            },
            Msg::OutsidePlanYear {
                input: s("last"),
                period: s("2020-Q4"),
                plan_year: 2021,
                start: NaiveDate::from_ymd_opt(2020, 12, 15).unwrap(),
                end: NaiveDate::from_ymd_opt(2021, 12, 14).unwrap(),
            },
            Msg::PlanHasErrors,
            Msg::DataHasErrorsNote,
            Msg::NothingDue { days: 0 },
            Msg::NothingDue { days: 1 },
            Msg::NothingDue { days: 30 },
            Msg::OverdueHeading { count: 2 },
            Msg::DueHeading { days: 0, count: 1 },
            Msg::DueHeading { days: 30, count: 4 },
            Msg::DueIn { days: -1 },
            Msg::DueIn { days: -12 },
            Msg::DueIn { days: 0 },
            Msg::DueIn { days: 1 },
            Msg::DueIn { days: 9 },
            Msg::TaskTag { task: s("3") },
            Msg::CheckSummary {
                activities: 1,
                dossier_rows: 2,
                dossiers: 1,
                violations: 0,
                commendations: 0,
                feedback: 0,
                commitments: 14,
                ratings: 14,
                lapses: 3,
                errors: 0,
                warnings: 1,
            },
            Msg::CheckSummary {
                activities: 1234,
                dossier_rows: 56,
                dossiers: 40,
                violations: 3,
                commendations: 2,
                feedback: 5,
                commitments: 1,
                ratings: 0,
                lapses: 0,
                errors: 1,
                warnings: 12,
            },
            Msg::NoPlanIn { dir: s("/tmp/x") },
            Msg::NoPlanFound { cwd: s("/tmp/x") },
            Msg::ReadingCurrentDir,
            Msg::ReportsDueRefused,
            Msg::InitPlanExists { dir: s("ke-hoach") },
            Msg::InitDone { dir: s("ke-hoach") },
            Msg::Exported {
                kind: "dossiers",
                rows: 3,
            },
            Msg::DossierNotOpened { id: s("D1") },
            Msg::DueNotComputable {
                procedure: s("Cấp phép"),
            },
            Msg::DryRunWouldAppend {
                file: s("records/violations.csv"),
            },
            Msg::NewlineAdded {
                file: s("records/violations.csv"),
                line: 7,
            },
            Msg::AppendMissingColumn {
                file: s("records/violations.csv"),
                column: s("note"),
            },
            Msg::AppendBadHeader {
                file: s("records/violations.csv"),
            },
            Msg::NothingWritten,
            Msg::ImportSkipped,
            Msg::ImportRows {
                rows: 999_990,
                source: s("so.csv"),
                runs: vec![(2, 500_001), (500_003, 1_000_000)],
                to: Some((s("records/dossiers.csv"), 2)),
            },
            Msg::ImportSkippedRows {
                rows: 10,
                source: s("so.csv"),
                runs: (1..=10).map(|i| (i * 3, i * 3)).collect(),
            },
            Msg::ControlChar {
                column: "summary",
                code_point: s("U+001B"),
                at: 5,
            },
            Msg::IdNotAscii {
                value: s("H42-210315-0001<U+200B>"),
            },
            Msg::ImportDone {
                added: 3,
                file: s("records/dossiers.csv"),
                source: s("so.csv"),
                kind: "dossiers",
                read_as: s("bảng mã UTF-8"),
                skipped: 1,
            },
            Msg::ImportEncoding { encoding: "UTF-8" },
            Msg::ImportDryRun {
                added: 3,
                file: s("records/dossiers.csv"),
                skipped: 1,
            },
            Msg::History(history::HistoryMsg::RowRemoved {
                old_line: 3,
                old: s("a,b"),
                added: None,
            }),
        ]
    }

    fn variant(m: &Msg) -> usize {
        match m {
            Msg::Toml { .. } => 0,
            Msg::SchemaVersion { .. } => 1,
            Msg::DuplicateId { .. } => 2,
            Msg::UnknownUnit { .. } => 3,
            Msg::UnknownResponsible { .. } => 4,
            Msg::BadWeekday { .. } => 5,
            Msg::ZeroMinimum { .. } => 6,
            Msg::BadId { .. } => 7,
            Msg::InvalidUtf8 => 8,
            Msg::UnknownFile { .. } => 9,
            Msg::NoHeader => 10,
            Msg::UnterminatedQuote => 11,
            Msg::Io { .. } => 12,
            Msg::DuplicateColumn { .. } => 13,
            Msg::UnknownColumn { .. } => 14,
            Msg::MissingColumn { .. } => 15,
            Msg::RaggedRow { .. } => 16,
            Msg::MissingValue { .. } => 17,
            Msg::BadDate { .. } => 18,
            Msg::BadNumber { .. } => 19,
            Msg::UnknownCode { .. } => 20,
            Msg::UnknownTask { .. } => 21,
            Msg::UnknownOfficer { .. } => 22,
            Msg::UnknownDeliverable { .. } => 23,
            Msg::DeliverableOfOtherTask { .. } => 24,
            Msg::UnknownProcedure { .. } => 25,
            Msg::DossierConflict { .. } => 26,
            Msg::DossierIncomplete { .. } => 27,
            Msg::StatusWithoutEnd { .. } => 28,
            Msg::DateBefore { .. } => 29,
            Msg::ImportUnknownHeader { .. } => 30,
            Msg::ImportDuplicateHeader { .. } => 31,
            Msg::ImportBadTarget { .. } => 32,
            Msg::ImportLossy { .. } => 33,
            Msg::DeliverableOverdue { .. } => 34,
            Msg::DeliverableLate { .. } => 35,
            Msg::ObligationMissed { .. } => 36,
            Msg::EvidenceMissing { .. } => 37,
            Msg::CommitmentMissing { .. } => 38,
            Msg::RepeatViolation { .. } => 39,
            Msg::DossierOverdue { .. } => 40,
            Msg::LateWithoutReason { .. } => 41,
            Msg::LateWithoutApology { .. } => 42,
            Msg::ImportSheetUnreadable { .. } => 43,
            Msg::ImportSheetEmpty { .. } => 44,
            Msg::ImportNoSuchSheet { .. } => 45,
            Msg::ImportFromSheet { .. } => 46,
            Msg::ImportAmbiguousProcedure { .. } => 47,
            Msg::ImportProcedureMapped { .. } => 48,
            Msg::BinaryToTerminal { .. } => 49,
            Msg::ExportSeveralKinds => 50,
            Msg::ExportRefused { .. } => 51,
            Msg::Exported { .. } => 52,
            Msg::DossierNotOpened { .. } => 53,
            Msg::DueNotComputable { .. } => 54,
            Msg::DryRunWouldAppend { .. } => 55,
            Msg::NewlineAdded { .. } => 56,
            Msg::AppendMissingColumn { .. } => 57,
            Msg::AppendBadHeader { .. } => 58,
            Msg::NothingWritten => 59,
            Msg::ImportSkipped => 60,
            Msg::ImportDone { .. } => 61,
            Msg::ImportDryRun { .. } => 62,
            Msg::ImportEncoding { .. } => 63,
            Msg::DocxToTerminal => 64,
            Msg::ReportRefused { .. } => 65,
            Msg::TemplateWithJson => 66,
            Msg::PlanUnreadable => 67,
            Msg::ThePeriod { .. } => 68,
            Msg::NotAPeriodOf { .. } => 69,
            Msg::PlanHasErrors => 70,
            Msg::DataHasErrorsNote => 71,
            Msg::NothingDue { .. } => 72,
            Msg::OverdueHeading { .. } => 73,
            Msg::DueHeading { .. } => 74,
            Msg::DueIn { .. } => 75,
            Msg::TaskTag { .. } => 76,
            Msg::CheckSummary { .. } => 77,
            Msg::NoPlanIn { .. } => 78,
            Msg::NoPlanFound { .. } => 79,
            Msg::ReadingCurrentDir => 80,
            Msg::ReportsDueRefused => 81,
            Msg::InitPlanExists { .. } => 82,
            Msg::InitDone { .. } => 83,
            Msg::RefusedWithoutReason { .. } => 84,
            Msg::RecordConflict { .. } => 85,
            Msg::UnknownRecord { .. } => 86,
            Msg::ShowState => 87,
            Msg::ShowVoided => 88,
            Msg::ShowHistory => 89,
            Msg::ShowWritten { .. } => 90,
            Msg::ShowChange { .. } => 91,
            Msg::OutsidePlanYear { .. } => 92,
            Msg::History(_) => 93,
            Msg::ControlChar { .. } => 94,
            Msg::IdNotAscii { .. } => 95,
            Msg::YearOutOfRange { .. } => 96,
            Msg::TooManyColumns { .. } => 97,
            Msg::AmendNoReason => 98,
            Msg::AmendUnknownFlag { .. } => 99,
            Msg::AmendFlagWithoutValue { .. } => 100,
            Msg::AmendNoFacts => 101,
            Msg::ShowCommit { .. } => 102,
            Msg::MinWithOccurrences { .. } => 103,
            Msg::OccurrenceBadDay { .. } => 104,
            Msg::OccurrenceReversed { .. } => 105,
            Msg::OccurrenceAcross { .. } => 106,
            Msg::OccurrenceMissed { .. } => 107,
            Msg::RatingYear { .. } => 108,
            Msg::RatingTwice { .. } => 109,
            Msg::RatingMissing { .. } => 110,
            Msg::CommitmentsUnjudged { .. } => 111,
            Msg::RatingAboveDiscipline { .. } => 112,
            Msg::LapseOfNobody => 113,
            Msg::ImportRows { .. } => 114,
            Msg::ImportSkippedRows { .. } => 115,
            Msg::ImportProcedureUnlisted { .. } => 116,
            Msg::ImportProceduresUnlistedMore { .. } => 117,
        }
    }

    /// What is left of a message once codes, ids, numbers, dates and quoted values are taken
    /// out: the words a translator writes.
    fn words(text: &str) -> String {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() > 2)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_message_has_vietnamese_and_english_text() {
        let samples = samples();
        let mut seen: Vec<usize> = samples.iter().map(variant).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen,
            (0..=117).collect::<Vec<_>>(),
            "a message without a sample"
        );
        for m in &samples {
            let (vi, en) = (m.render(Lang::Vi), m.render(Lang::En));
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{m:?}");
            assert_ne!(
                words(&vi),
                words(&en),
                "the same words in both languages: {m:?}\n{vi}"
            );
            // Vietnamese text has Vietnamese letters (an abbreviation may have none); English
            // has none of them.
            let abbreviation = matches!(m, Msg::TaskTag { .. });
            assert!(
                abbreviation
                    || vi
                        .chars()
                        .any(|c| "ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ".contains(c)),
                "{vi}"
            );
            let en_words = words(&en.replace(|c: char| !c.is_ascii(), " "));
            assert!(!en_words.is_empty(), "{en}");
            assert_eq!(
                crate::text::nfc(&vi),
                vi.as_str(),
                "Vietnamese text must be NFC"
            );
        }
    }

    /// One of every command sentence of [`Say`], with the same no-wildcard rule as [`Msg`].
    fn say_samples() -> Vec<Say> {
        vec![
            Say::Overdue { count: 1 },
            Say::Overdue { count: 3 },
            Say::DueSoon { count: 2, days: 1 },
            Say::DueSoon { count: 3, days: 0 },
            Say::DueSoon { count: 1, days: 30 },
            Say::UnknownOfficer { raw: "ct2".into() },
            Say::UnknownTask { raw: "99".into() },
            Say::CalendarName {
                plan: "06/KH-UBND".into(),
            },
            Say::ReportFailed {
                path: "bao-cao/quy-III.docx".into(),
                error: "os error 13".into(),
            },
            Say::NoReportsAsked,
            Say::Prompt {
                field: PromptField::Date,
            },
            Say::Prompt {
                field: PromptField::Procedure,
            },
            Say::PromptHelp,
            Say::Cancelled,
            Say::Ambiguous {
                typed: "Cúc".into(),
                candidates: vec![
                    ("vp1".into(), "Phạm Thị Cúc".into()),
                    ("vp2".into(), "Trần Văn Cúc".into()),
                ],
            },
            Say::NoUnitCode,
            Say::NoDayForCode {
                received: "31/02/2021".into(),
            },
            Say::DossierCode {
                id: "000.00.27.H42-210315-0001".into(),
            },
            Say::Missing {
                option: "--procedure".into(),
            },
        ]
    }

    fn say_variant(m: &Say) -> usize {
        match m {
            Say::Overdue { .. } => 0,
            Say::DueSoon { .. } => 1,
            Say::UnknownOfficer { .. } => 2,
            Say::UnknownTask { .. } => 3,
            Say::CalendarName { .. } => 4,
            Say::ReportFailed { .. } => 5,
            Say::NoReportsAsked => 6,
            Say::Prompt { .. } => 7,
            Say::PromptHelp => 8,
            Say::Cancelled => 9,
            Say::Ambiguous { .. } => 10,
            Say::NoUnitCode => 11,
            Say::NoDayForCode { .. } => 12,
            Say::DossierCode { .. } => 13,
            Say::Missing { .. } => 14,
        }
    }

    #[test]
    fn every_command_sentence_has_vietnamese_and_english_text() {
        let samples = say_samples();
        let mut seen: Vec<usize> = samples.iter().map(say_variant).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen,
            (0..=14).collect::<Vec<_>>(),
            "a sentence without a sample"
        );
        for m in &samples {
            let (vi, en) = (m.render(Lang::Vi), m.render(Lang::En));
            assert_ne!(
                words(&vi),
                words(&en),
                "the same words in both languages: {m:?}"
            );
            assert!(
                vi.chars()
                    .any(|c| "ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ".contains(c)),
                "{vi}"
            );
            assert!(
                !words(&en.replace(|c: char| !c.is_ascii(), " ")).is_empty(),
                "{en}"
            );
            assert_eq!(
                crate::text::nfc(&vi),
                vi.as_str(),
                "Vietnamese text must be NFC"
            );
        }
    }
}
