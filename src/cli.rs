//! The command line, as clap types. No logic lives here: `cmd` resolves these once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::messages::Lang;

pub mod vi;

/// Keep a commune's yearly plan, its daily records and its reports in one folder.
///
/// The plan folder holds plan.toml and records/*.csv. It is found from -C/--dir, else the
/// KEHOACH_DIR environment variable, else by walking up from the current directory to the
/// first plan.toml.
///
/// Exit status: 0 fine (warnings allowed), 1 the data has errors (or warnings under
/// --strict), 2 could not run (bad arguments, no plan folder, I/O).
#[derive(Debug, Parser)]
#[command(name = "kehoach", version, max_term_width = 100)]
pub struct Cli {
    /// The plan folder (default: $KEHOACH_DIR, else the nearest folder upwards with plan.toml)
    #[arg(short = 'C', long = "dir", global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Judge deadlines as of this date (YYYY-MM-DD or DD/MM/YYYY; default: today)
    #[arg(long, global = true, value_name = "DATE", value_parser = |s: &str| parse_date(Lang::En, s))]
    pub as_of: Option<chrono::NaiveDate>,

    /// Language of messages: vi or en (default: $KEHOACH_LANG, else the locale, else vi)
    #[arg(long, global = true, value_name = "LANG", value_parser = |s: &str| parse_lang(Lang::En, s))]
    pub lang: Option<Lang>,

    /// Colour: auto (when writing to a terminal and NO_COLOR is not set), always, never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the plan and every record; print each problem as file:line:col: CODE message
    #[command(
        after_help = "Examples:\n  kehoach check\n  kehoach check --as-of 2021-12-31 --format json"
    )]
    Check(CheckArgs),

    /// List what is overdue and what falls due within the next N days
    #[command(
        after_help = "Examples:\n  kehoach deadlines\n  kehoach deadlines --as-of 2021-12-01 --days 14 --format json\n  kehoach deadlines --officer tp1 --fail-on overdue\n  kehoach deadlines --format ics > han.ics"
    )]
    Deadlines(DeadlinesArgs),

    /// Write a report: quarterly, half-year, year-end, or per officer
    #[command(
        after_help = "Examples:\n  kehoach report quarter 2021-Q3\n  kehoach report quarter last --format docx -o bao-cao-quy.docx\n  kehoach report year 2021 --format json -o bao-cao-2021.json\n  kehoach report officers 2021 --as-of 2021-12-14"
    )]
    Report(ReportArgs),

    /// Consolidate many communes' reports of a period into one (folders, JSON reports, rollup.toml)
    #[command(
        after_help = "Examples:\n  kehoach rollup 2021-Q3 xa/son-hong xa/son-tay bao-cao/son-lam.json\n  kehoach rollup 2021 tong-hop/rollup.toml --format docx -o tong-hop-2021.docx"
    )]
    Rollup(RollupArgs),

    /// Record one row: an activity, a dossier fact, a violation, a commendation, feedback, a commitment
    #[command(
        after_help = "Examples:\n  kehoach add activity --date 05/03/2021 --task 9 --kind \"tiếp công dân\" --summary \"Tiếp công dân định kỳ\" --officers ct\n  kehoach add violation --officer vp2 --description \"Đi làm muộn\" --action \"nhắc nhở\" --dry-run"
    )]
    Add(AddArgs),

    /// Follow a one-stop dossier: open it, record its return, withdrawal, stop or apology letter
    #[command(
        after_help = "Examples:\n  kehoach dossier open --id 000.00.27.H42-210315-0001 --procedure \"Đăng ký khai sinh\" --received 15/03/2021 --officer tp1\n  kehoach dossier return 000.00.27.H42-210315-0001 --date 16/03/2021"
    )]
    Dossier(DossierArgs),

    /// Add many rows from an Excel or CSV file (one-stop exports), all or nothing
    #[command(
        after_help = "Examples:\n  kehoach import dossiers so-theo-doi-ho-so.csv\n  kehoach import dossiers so-theo-doi-ho-so.xlsx --sheet \"Quý 1\"\n  kehoach import dossiers xuat-tu-mot-cua.csv --map \"Số biên nhận=id\" --dry-run"
    )]
    Import(ImportArgs),

    /// Reports for scripts: write every report that has fallen due into a folder
    #[command(subcommand)]
    Reports(ReportsCommand),

    /// Write the records out for Excel users or other tools: CSV or an Excel workbook
    #[command(
        after_help = "Examples:\n  kehoach export dossiers > ho-so.csv\n  kehoach export --format xlsx -o so-lieu-2021.xlsx\n  kehoach export activities feedback --format csv -o xuat/"
    )]
    Export(ExportArgs),
    /// Tell whether a report was made from the data in the folder (or in a commit)
    #[command(
        after_help = "Examples:\n  kehoach verify bao-cao-quy-IV.md\n  kehoach verify bao-cao-quy-IV.docx --rev main"
    )]
    Verify(VerifyArgs),

    /// Which commit added each row (author, date): of one record, or of the folder
    #[command(
        after_help = "Examples:\n  kehoach log\n  kehoach log --period 2021-Q3\n  kehoach log dossiers 000.00.27.H42-210315-0001\n  kehoach log activities 12"
    )]
    Log(LogArgs),

    /// Install a git pre-commit hook that runs `kehoach check --since HEAD`
    #[command(after_help = "Example:\n  kehoach hook install")]
    Hook(HookArgs),

    /// Show a record's current state and its history: the row that wrote it and each change
    #[command(
        after_help = "Examples:\n  kehoach show violation VP-2021-0007\n  kehoach show activity activities.csv:57"
    )]
    Show(ShowArgs),

    /// Correct a record by appending a row: the facts given replace its values, for the reason given
    #[command(
        after_help = "Examples:\n  kehoach amend violation VP-2021-0007 --officer vp3 --reason \"Chị Lan, VP: ghi nhầm cán bộ\"\n  kehoach amend activity activities.csv:57 --evidence \"Biên bản 07/BB-UBND\" --reason \"bổ sung số biên bản\"\n  kehoach amend dossier 000.00.27.H42-210315-0001 --received 15/03/2021 --reason \"nhập nhầm ngày nhận\""
    )]
    Amend(AmendArgs),

    /// Void a record by appending a row: it leaves every count and list, for the reason given
    #[command(
        after_help = "Examples:\n  kehoach void violation violations.csv:2 --reason \"Ghi trùng với sổ tháng 3\"\n  kehoach void dossier 000.00.27.H42-210315-0001 --reason \"Mở trùng trên hai máy\""
    )]
    Void(VoidArgs),

    /// Violations: record the decision on a pending violation
    #[command(subcommand)]
    Violation(ViolationCommand),

    /// Citizen feedback: record the day it was answered
    #[command(subcommand)]
    Feedback(FeedbackCommand),

    /// Create a new plan folder: a commented plan.toml, empty record files, .gitattributes
    #[command(after_help = "Example:\n  kehoach init ke-hoach-2026")]
    Init(InitArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell)
    #[command(
        after_help = "Examples:\n  kehoach completions bash > ~/.local/share/bash-completion/completions/kehoach\n  kehoach completions zsh > ~/.zfunc/_kehoach"
    )]
    Completions(CompletionsArgs),

    /// Print the manual page (roff), generated from this command line
    #[command(
        after_help = "Examples:\n  kehoach man > kehoach.1 && man ./kehoach.1\n  kehoach --lang en man | man -l -\n  kehoach man dossier open | man -l -"
    )]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print: check, report, add activity, … (default: kehoach's own)
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,

    /// Exit with status 1 on warnings too
    #[arg(long)]
    pub strict: bool,

    /// Audit committed rows against this commit instead of HEAD (in a git work tree)
    #[arg(long, value_name = "REV")]
    pub audit_base: Option<String>,

    /// Report only what rows added since REV cause (a branch's review, a pre-commit hook)
    #[arg(long, value_name = "REV", conflicts_with = "audit_base")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The report: .md, .html, .docx or .json, as kehoach wrote it
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,

    /// Compare with the data of this commit instead of the folder as it is now
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The kind of record: activities, dossiers, violations, commendations, feedback, commitments, ratings, lapses
    #[arg(value_name = "KIND", requires = "reference")]
    pub kind: Option<String>,

    /// Which record: a dossier's code, or a record's id; for other kinds also the row's line
    /// in records/KIND.csv (or FILE:LINE)
    #[arg(value_name = "REF")]
    pub reference: Option<String>,

    /// Only commits whose date falls in this period (2021-Q3, 2021-03, 2021)
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write .git/hooks/pre-commit: it runs `kehoach check --since HEAD` before each commit
    Install {
        /// Replace a pre-commit hook that kehoach did not write
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// How many days ahead to look
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub days: u32,

    /// Output format: text, json, or ics (an iCalendar file a phone or Outlook imports)
    #[arg(long, value_enum, default_value = "text")]
    pub format: DeadlinesFormat,

    /// Exit with status 1 when something is overdue (overdue), or when anything is overdue or
    /// falls due within --days (soon)
    #[arg(long, value_enum, value_name = "WHEN")]
    pub fail_on: Option<FailOn>,

    /// Only what this officer must do (id or name)
    #[arg(long, value_name = "OFFICER")]
    pub officer: Option<String>,

    /// Only the items of this task
    #[arg(long, value_name = "TASK")]
    pub task: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeadlinesFormat {
    Text,
    Json,
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Overdue,
    Soon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKindArg {
    /// A quarter: 2021-Q1 … 2021-Q4
    Quarter,
    /// A half-year: 2021-H1, 2021-H2
    Half,
    /// A year: 2021
    Year,
    /// One row per officer, for emulation and rating (a year, or any period)
    Officers,
    /// A month's one-stop statistics: 2021-06 (the month's dossiers, as provinces count them)
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, for git and reading
    Md,
    /// The report context as JSON (the interface for your own tools and templates)
    Json,
    /// The official document (Nghị định 30/2020) as one self-contained HTML file, to read or print
    Html,
    /// The official document (Nghị định 30/2020) as a Word file (binary: use -o FILE or a pipe)
    Docx,
    /// Each table of the report as a sheet of an Excel workbook (binary: use -o FILE or a pipe)
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report
    #[arg(value_enum)]
    pub kind: ReportKindArg,

    /// The period: 2021-Q3, 2021-H1, 2021, 2021-06 (under the plan's period scheme), or last, current,
    /// next (the one before, containing or after the --as-of date)
    #[arg(value_name = "PERIOD")]
    pub period: String,

    /// Output format
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,

    /// Write to FILE instead of standard output (- is standard output; never the folder's own files)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Render this template file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,

    /// Write the report even if the data has errors (the report then says so)
    #[arg(long)]
    pub allow_errors: bool,

    /// The report's number, when the văn thư has given it (default: left blank)
    #[arg(long, value_name = "N")]
    pub number: Option<String>,
}

#[derive(Debug, Args)]
pub struct RollupArgs {
    /// The period: 2021-Q3, 2021-H1, 2021, or last, current (quarters), last-half, last-year
    /// (under rollup.toml's period scheme, default nd09)
    #[arg(value_name = "PERIOD")]
    pub period: String,

    /// Commune folders, JSON reports (report … --format json) and rollup.toml files
    #[arg(value_name = "SOURCES", required = true)]
    pub sources: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,

    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Add up communes whose data has errors too (they are still named)
    #[arg(long)]
    pub allow_errors: bool,

    /// The report's number, when the văn thư has given it (default: left blank)
    #[arg(long, value_name = "N")]
    pub number: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(subcommand)]
    pub what: AddKind,

    /// Show the row that would be written, and write nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
}

/// One subcommand per kind, one flag per column (named as the column): `add` reads them by
/// name through serde, for every kind alike.
#[derive(Debug, Subcommand, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddKind {
    /// Something done under a task (records/activities.csv)
    #[command(
        visible_alias = "activities",
        after_help = "Examples:\n  kehoach add activity --task 9 --kind reception --summary \"Tiếp công dân định kỳ\" --officers ct --evidence \"Sổ tiếp công dân, trang 12\"\n  kehoach add activity --date 10/12/2021 --task 2 --kind \"đánh giá\" --summary \"Hội nghị đánh giá Bộ phận một cửa\" --deliverable 2-bao-cao --evidence \"Báo cáo số 112/BC-UBND\""
    )]
    Activity(ActivityRow),
    /// A fact about a one-stop dossier (records/dossiers.csv); `kehoach dossier` says it in plain words
    #[command(
        visible_alias = "dossiers",
        after_help = "Example:\n  kehoach add dossier --id 000.00.27.H42-210315-0001 --procedure ht-khai-sinh --received 15/03/2021 --due 16/03/2021 --officer tp1"
    )]
    Dossier(DossierRow),
    /// A violation and its handling (records/violations.csv)
    #[command(
        visible_alias = "violations",
        after_help = "Example:\n  kehoach add violation --date 22/03/2021 --officer vp2 --description \"Đi làm muộn\" --action \"nhắc nhở\""
    )]
    Violation(ViolationRow),
    /// A commendation (records/commendations.csv)
    #[command(
        visible_alias = "commendations",
        after_help = "Example:\n  kehoach add commendation --recipient tp1 --form \"Giấy khen của Chủ tịch UBND xã\" --decision \"Quyết định số 55/QĐ-UBND ngày 05/07/2021\""
    )]
    Commendation(CommendationRow),
    /// Citizen feedback (records/feedback.csv)
    #[command(
        after_help = "Example:\n  kehoach add feedback --channel \"phiếu góp ý\" --rating \"hài lòng\" --officer vp2 --summary \"Hướng dẫn tận tình\""
    )]
    Feedback(FeedbackRow),
    /// An officer's registered commitment (records/commitments.csv)
    #[command(
        visible_alias = "commitments",
        after_help = "Example:\n  kehoach add commitment --date 18/01/2021 --officer ct --task 9 --commitment \"Tiếp công dân định kỳ mỗi tuần\""
    )]
    Commitment(CommitmentRow),
    /// An officer's year-end rating (records/ratings.csv)
    #[command(
        visible_alias = "ratings",
        after_help = "Example:\n  kehoach add rating --date 06/12/2021 --officer vp1 --year 2021 --level \"hoàn thành tốt nhiệm vụ\" --decision \"Quyết định số 95/QĐ-UBND ngày 06/12/2021\""
    )]
    Rating(RatingRow),
    /// A unit or officer that did not report, or reported wrongly (records/lapses.csv)
    #[command(
        visible_alias = "lapses",
        after_help = "Example:\n  kehoach add lapse --date 12/07/2021 --unit dc-nn --report \"Báo cáo kết quả giải quyết hồ sơ đất đai 6 tháng đầu năm 2021\" --lapse \"không báo cáo\""
    )]
    Lapse(LapseRow),
}

#[derive(Debug, Args, serde::Serialize)]
pub struct ActivityRow {
    /// When (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// The plan's task id (required)
    #[arg(long)]
    pub task: Option<String>,
    /// dissemination, meeting, inspection, reception, … or the Vietnamese label (required)
    #[arg(long)]
    pub kind: Option<String>,
    /// What was done (required)
    #[arg(long)]
    pub summary: Option<String>,
    /// Who did it: ids or names, separated by ; or ,
    #[arg(long)]
    pub officers: Option<String>,
    /// The record kept: minutes, a decision number, a file
    #[arg(long)]
    pub evidence: Option<String>,
    /// The plan's deliverable id this activity completes
    #[arg(long)]
    pub deliverable: Option<String>,
    /// How many took part
    #[arg(long)]
    pub participants: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct DossierRow {
    /// The dossier's code, mã hồ sơ (required)
    #[arg(long)]
    pub id: Option<String>,
    /// Procedure id or name
    #[arg(long)]
    pub procedure: Option<String>,
    /// The field, lĩnh vực (default: the procedure's)
    #[arg(long)]
    pub field: Option<String>,
    /// Received on (ngày tiếp nhận)
    #[arg(long)]
    pub received: Option<String>,
    /// Due on (ngày hẹn trả)
    #[arg(long)]
    pub due: Option<String>,
    /// The day it ended: returned, withdrawn or stopped
    #[arg(long)]
    pub returned: Option<String>,
    /// withdrawn (rút hồ sơ), stopped (dừng giải quyết) or refused (từ chối)
    #[arg(long)]
    pub status: Option<String>,
    /// The officer handling it: id or name
    #[arg(long)]
    pub officer: Option<String>,
    /// Why it is late (lý do trễ hạn)
    #[arg(long)]
    pub late_reason: Option<String>,
    /// The date of the apology letter
    #[arg(long)]
    pub apology: Option<String>,
    /// The new date promised in the apology letter (or given when the papers asked for came
    /// back)
    #[arg(long)]
    pub rescheduled: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
    /// How it was submitted: direct, postal, online, online-full, online-partial (or "trực
    /// tiếp", "bưu chính", "trực tuyến toàn trình", …)
    #[arg(long)]
    pub channel: Option<String>,
    /// The day a request for more papers was issued (phiếu yêu cầu bổ sung)
    #[arg(long)]
    pub supplement: Option<String>,
    /// Why it was refused (lý do từ chối), with --status refused
    #[arg(long)]
    pub refusal_reason: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct ViolationRow {
    /// When (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// Who: id or name (required)
    #[arg(long)]
    pub officer: Option<String>,
    /// What happened (required)
    #[arg(long)]
    pub description: Option<String>,
    /// The task it concerns
    #[arg(long)]
    pub task: Option<String>,
    /// reminder, criticism, reprimand, warning, … or the Vietnamese label; empty while pending
    #[arg(long)]
    pub action: Option<String>,
    /// The decision's number and date
    #[arg(long)]
    pub decision: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct CommendationRow {
    /// When (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// An officer (id or name) or the name of a collective (required)
    #[arg(long)]
    pub recipient: Option<String>,
    /// "Giấy khen của Chủ tịch UBND xã", … (required)
    #[arg(long)]
    pub form: Option<String>,
    /// Why it is given
    #[arg(long)]
    pub reason: Option<String>,
    /// The decision's number and date
    #[arg(long)]
    pub decision: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct FeedbackRow {
    /// When it came (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// box, form, phone, in-person, online, or the Vietnamese label (required)
    #[arg(long)]
    pub channel: Option<String>,
    /// very-satisfied, satisfied, dissatisfied, or the Vietnamese label
    #[arg(long)]
    pub rating: Option<String>,
    /// The officer it is about: id or name
    #[arg(long)]
    pub officer: Option<String>,
    /// What was said
    #[arg(long)]
    pub summary: Option<String>,
    /// The date it was answered
    #[arg(long)]
    pub handled: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct CommitmentRow {
    /// Registered on (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// Who: id or name (required)
    #[arg(long)]
    pub officer: Option<String>,
    /// The task it serves (required)
    #[arg(long)]
    pub task: Option<String>,
    /// What they commit to (required)
    #[arg(long)]
    pub commitment: Option<String>,
    /// Whether it was met, judged at the year-end rating: met, not-met, or the Vietnamese
    /// label (with --judged)
    #[arg(long)]
    pub met: Option<String>,
    /// The day it was judged (with --met)
    #[arg(long)]
    pub judged: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct LapseRow {
    /// The day it was recorded (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// The unit that failed to report: its id in plan.toml (this or --officer)
    #[arg(long)]
    pub unit: Option<String>,
    /// The officer who failed to report: id or name (this or --unit)
    #[arg(long)]
    pub officer: Option<String>,
    /// Which report (required)
    #[arg(long)]
    pub report: Option<String>,
    /// The period it covers, as written: "Quý II/2021"
    #[arg(long)]
    pub period: Option<String>,
    /// missing, late, wrong, or the Vietnamese label (required)
    #[arg(long)]
    pub lapse: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args, serde::Serialize)]
pub struct RatingRow {
    /// The day of the rating (default: the --as-of date, i.e. today)
    #[arg(long)]
    pub date: Option<String>,
    /// Who: id or name (required)
    #[arg(long)]
    pub officer: Option<String>,
    /// The year rated (required)
    #[arg(long)]
    pub year: Option<String>,
    /// excellent, good, done, failed, or the Vietnamese level (required)
    #[arg(long)]
    pub level: Option<String>,
    /// The decision's number and date
    #[arg(long)]
    pub decision: Option<String>,
    /// A note, kept as written
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DossierArgs {
    #[command(subcommand)]
    pub step: DossierStep,

    /// Show the row that would be written, and write nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum DossierStep {
    /// Receive a dossier (tiếp nhận); its due date comes from the procedure catalogue and the
    /// working-day calendar unless --due gives it
    #[command(
        after_help = "Examples:\n  kehoach dossier open --procedure \"khai sinh\" --officer giang\n  kehoach dossier open --id 000.00.27.H42-210315-0001 --procedure \"Đăng ký khai sinh\" --received 15/03/2021 --officer tp1"
    )]
    Open {
        /// The dossier's code (mã hồ sơ; default: the next code of the day of reception under
        /// the plan's unit_code, printed)
        #[arg(long)]
        id: Option<String>,
        /// Procedure id or name, or words of the name ("khai sinh") (required)
        #[arg(long)]
        procedure: Option<String>,
        /// Received on (default, and --received alone: the --as-of date, i.e. today)
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        received: Option<String>,
        /// Due on (default: received + the procedure's working days)
        #[arg(long)]
        due: Option<String>,
        /// The officer handling it: id, name, given name or initials
        #[arg(long)]
        officer: Option<String>,
        /// The field, lĩnh vực (default: the procedure's)
        #[arg(long)]
        field: Option<String>,
        /// A note, kept as written
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that the result was returned (trả kết quả); give --late-reason when it is late
    #[command(
        after_help = "Examples:\n  kehoach dossier return 000.00.27.H42-210315-0001 --date 16/03/2021\n  kehoach dossier return 000.00.27.H42-210315-0002 --date 19/03/2021 --late-reason \"Chờ kết quả xác minh\""
    )]
    Return {
        /// The dossier's code (mã hồ sơ), or its tail if only one code ends so (0001: of today)
        id: String,
        /// The day it was returned (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// Why it is late (lý do trễ hạn)
        #[arg(long)]
        late_reason: Option<String>,
        /// A note, kept as written
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that the citizen withdrew the dossier (rút hồ sơ)
    #[command(
        after_help = "Example:\n  kehoach dossier withdraw 000.00.27.H42-210315-0001 --date 17/03/2021"
    )]
    Withdraw {
        /// The dossier's code (mã hồ sơ), or its tail if only one code ends so (0001: of today)
        id: String,
        /// The day it was withdrawn (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// A note, kept as written
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that handling was stopped (dừng giải quyết)
    #[command(
        after_help = "Example:\n  kehoach dossier stop 000.00.27.H42-210315-0001 --date 17/03/2021 --note \"Hồ sơ không đủ điều kiện\""
    )]
    Stop {
        /// The dossier's code (mã hồ sơ), or its tail if only one code ends so (0001: of today)
        id: String,
        /// The day handling stopped (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// A note, kept as written
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the apology letter for a late dossier (phiếu xin lỗi và hẹn lại ngày trả)
    #[command(
        after_help = "Example:\n  kehoach dossier apology 000.00.27.H42-210315-0001 --date 16/03/2021 --rescheduled 19/03/2021 --late-reason \"Chờ xác minh\""
    )]
    Apology {
        /// The dossier's code (mã hồ sơ), or its tail if only one code ends so (0001: of today)
        id: String,
        /// The letter's date (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// The new return date promised
        #[arg(long)]
        rescheduled: Option<String>,
        /// Why it is late
        #[arg(long)]
        late_reason: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds: activities, dossiers, violations, commendations, feedback, commitments, ratings, lapses
    #[arg(value_parser = |s: &str| parse_kind(Lang::En, s))]
    pub kind: crate::records::Kind,

    /// The file: a workbook (.xlsx, .xls, .ods), or CSV or text from Excel or a one-stop system
    /// (UTF-8, UTF-16, Windows-1258; separated by , ; or tab); - reads standard input
    pub file: PathBuf,

    /// The sheet of a workbook to read (default: the first)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Map a header of the file to a column: --map "Số biên nhận=id" (an empty column ignores it)
    #[arg(long, value_name = "HEADER=COLUMN")]
    pub map: Vec<String>,

    /// Check and show what would be added, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// List every row added and skipped (by default, past 20 rows only the runs of lines)
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Write every report whose period has ended (the plan's [reporting] reports, in its
    /// report_formats) that DIR does not hold yet; print the path of each file written
    #[command(
        after_help = "Examples:\n  kehoach reports due --out bao-cao\n  kehoach reports due --out bao-cao --dry-run"
    )]
    Due(ReportsDueArgs),
}

#[derive(Debug, Args)]
pub struct ReportsDueArgs {
    /// The folder the reports go to (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Print the paths that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Write the reports even if the data has errors (each report then says so)
    #[arg(long)]
    pub allow_errors: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV for Excel: UTF-8 with a byte order mark, Vietnamese headers; one file per kind
    Csv,
    /// An Excel workbook, one sheet per kind (binary: use -o FILE or a pipe)
    Xlsx,
    /// Apache Parquet for DuckDB, Spark or Trino: the records normalised, one file per kind in
    /// a Hive layout under -o DIR (kind=…/commune=…/year=…/); every kind and the findings when
    /// no KIND is given (needs the cargo feature `parquet`)
    Parquet,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The kinds to write: activities, dossiers, violations, commendations, feedback,
    /// commitments, ratings, lapses (default: every kind)
    #[arg(value_parser = |s: &str| parse_kind(Lang::En, s), value_name = "KIND")]
    pub kinds: Vec<crate::records::Kind>,

    /// Output format
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,

    /// Write to FILE (for CSV of several kinds: a folder, one KIND.csv each) instead of
    /// standard output
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The kind of record: activity, dossier, violation, commendation, feedback, commitment, rating, lapse
    #[arg(value_parser = |s: &str| parse_kind(Lang::En, s), value_name = "KIND")]
    pub kind: crate::records::Kind,

    /// The record: its id (a dossier's code), or its place FILE:LINE under records/ (violations.csv:57)
    #[arg(value_name = "REF")]
    pub reference: String,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// The kind of record: activity, dossier, violation, commendation, feedback, commitment, rating, lapse
    #[arg(value_parser = |s: &str| parse_kind(Lang::En, s), value_name = "KIND")]
    pub kind: crate::records::Kind,

    /// The record: its id (a dossier's code), or its place FILE:LINE under records/ (violations.csv:57)
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Who corrects it and why (required), kept in the row's `why` column
    #[arg(long)]
    pub reason: Option<String>,

    /// Show the row that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The facts that replace the record's: --COLUMN VALUE for each, the columns of `kehoach add KIND`
    #[arg(
        value_name = "--COLUMN VALUE",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub facts: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The kind of record: activity, dossier, violation, commendation, feedback, commitment, rating, lapse
    #[arg(value_parser = |s: &str| parse_kind(Lang::En, s), value_name = "KIND")]
    pub kind: crate::records::Kind,

    /// The record: its id (a dossier's code), or its place FILE:LINE under records/ (violations.csv:57)
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Who voids it and why (required), kept in the row's `why` column
    #[arg(long)]
    pub reason: String,

    /// Show the row that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum ViolationCommand {
    /// Record the decision on a pending violation: its action and decision fill the empty ones
    #[command(
        after_help = "Example:\n  kehoach violation decide VP-2021-0007 --action \"khiển trách\" --decision \"Quyết định số 12/QĐ-UBND\" --date 04/06/2021"
    )]
    Decide {
        /// The violation: its id, or its place FILE:LINE under records/ (violations.csv:5)
        #[arg(value_name = "REF")]
        reference: String,
        /// reminder, criticism, reprimand, warning, … or the Vietnamese label (required)
        #[arg(long)]
        action: String,
        /// The decision's number (its date is added from --date)
        #[arg(long)]
        decision: Option<String>,
        /// The decision's date (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// Show the row that would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Record the day a feedback was answered (its `handled` date)
    #[command(after_help = "Example:\n  kehoach feedback answer GY-2021-0003 --date 12/04/2021")]
    Answer {
        /// The feedback: its id, or its place FILE:LINE under records/ (feedback.csv:12)
        #[arg(value_name = "REF")]
        reference: String,
        /// The day it was answered (default: the --as-of date, i.e. today)
        #[arg(long)]
        date: Option<String>,
        /// Show the row that would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist, but must not hold a plan.toml)
    pub dir: PathBuf,
}

fn parse_kind(lang: Lang, s: &str) -> Result<crate::records::Kind, String> {
    let s = s.trim().to_ascii_lowercase();
    crate::records::Kind::from_word(&s).ok_or_else(|| match lang {
        Lang::Vi => format!("'{s}' không phải loại bản ghi: dùng activities, dossiers, violations, commendations, feedback, commitments, ratings hoặc lapses"),
        Lang::En => format!("'{s}' is not a kind: use activities, dossiers, violations, commendations, feedback, commitments, ratings or lapses"),
    })
}

fn parse_date(lang: Lang, s: &str) -> Result<chrono::NaiveDate, String> {
    crate::dates::parse(s.trim()).ok_or_else(|| match lang {
        Lang::Vi => format!("'{s}' không phải ngày: viết YYYY-MM-DD hoặc DD/MM/YYYY"),
        Lang::En => format!("'{s}' is not a date: use YYYY-MM-DD or DD/MM/YYYY"),
    })
}

fn parse_lang(lang: Lang, s: &str) -> Result<Lang, String> {
    match s {
        "vi" => Ok(Lang::Vi),
        "en" => Ok(Lang::En),
        _ => Err(match lang {
            Lang::Vi => format!("'{s}' không phải ngôn ngữ: dùng vi hoặc en"),
            Lang::En => format!("'{s}' is not a language: use vi or en"),
        }),
    }
}

/// The command line definition (in English) whose own argument errors (a bad date, language or
/// record kind) are said in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    // In place (`mut_args`, `mut_subcommands`), so that the order of arguments (and so of
    // positionals) and of subcommands stays.
    Cli::command()
        .mut_args(move |a| match a.get_id().as_str() {
            "as_of" => a.value_parser(move |s: &str| parse_date(lang, s)),
            "lang" => a.value_parser(move |s: &str| parse_lang(lang, s)),
            _ => a,
        })
        .mut_subcommands(move |sub| match sub.get_name() {
            "import" => sub.mut_args(move |a| match a.get_id().as_str() {
                "kind" => a.value_parser(move |s: &str| parse_kind(lang, s)),
                _ => a,
            }),
            "export" => sub.mut_args(move |a| match a.get_id().as_str() {
                "kinds" => a.value_parser(move |s: &str| parse_kind(lang, s)),
                _ => a,
            }),
            _ => sub,
        })
}

/// The language chosen before the command line is parsed (so that `--help` and argument errors
/// come in it): `--lang`, else `KEHOACH_LANG`, else the locale, else Vietnamese.
pub fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut flag = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            flag = parse_lang(Lang::En, value).ok();
        } else if arg == "--lang" {
            flag = it.next().and_then(|v| parse_lang(Lang::En, &v).ok());
        }
    }
    Lang::resolve(flag, |name| std::env::var(name).ok())
}

/// Parses the command line in the user's language. `Err` carries the exit code after clap's
/// help, version or error text has been printed (help and version: 0; errors: 2).
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, std::process::ExitCode> {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;
    let lang = early_lang(&args);
    let matches = match vi::command(lang).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            return Err(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    std::process::ExitCode::SUCCESS
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    std::process::ExitCode::from(2)
                }
                _ => {
                    match lang {
                        Lang::Vi => eprintln!("{}", vi::error(&e)),
                        Lang::En => {
                            let _ = e.print();
                        }
                    }
                    std::process::ExitCode::from(2)
                }
            });
        }
    };
    Cli::from_arg_matches(&matches).map_err(|e| {
        let _ = e.print();
        std::process::ExitCode::from(2)
    })
}
