//! The command line, as clap types. No logic lives here: `cmd` resolves these once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,

    /// Language of messages: vi or en (default: $KEHOACH_LANG, else the locale, else vi)
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<crate::messages::Lang>,

    #[command(subcommand)]
    pub command: Command,
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
        after_help = "Examples:\n  kehoach deadlines\n  kehoach deadlines --as-of 2021-12-01 --days 14 --format json"
    )]
    Deadlines(DeadlinesArgs),

    /// Write a report: quarterly, half-year, year-end, or per officer
    #[command(
        after_help = "Examples:\n  kehoach report quarter 2021-Q3\n  kehoach report year 2021 --format json -o bao-cao-2021.json\n  kehoach report officers 2021 --as-of 2021-12-14"
    )]
    Report(ReportArgs),
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
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// How many days ahead to look
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub days: u32,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
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
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report
    #[arg(value_enum)]
    pub kind: ReportKindArg,

    /// The period: 2021-Q3, 2021-H1, 2021 (under the plan's period scheme)
    #[arg(value_name = "PERIOD")]
    pub period: String,

    /// Output format
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,

    /// Write to FILE instead of standard output
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

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::dates::parse(s.trim())
        .ok_or_else(|| format!("'{s}' is not a date: use YYYY-MM-DD or DD/MM/YYYY"))
}

fn parse_lang(s: &str) -> Result<crate::messages::Lang, String> {
    match s {
        "vi" => Ok(crate::messages::Lang::Vi),
        "en" => Ok(crate::messages::Lang::En),
        _ => Err(format!("'{s}' is not a language: use vi or en")),
    }
}
