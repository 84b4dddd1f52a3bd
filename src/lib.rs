//! kehoach: a commune's yearly plan as a folder under git.
//!
//! The plan is `plan.toml` ([`plan`]), the daily records are CSV files under `records/`
//! ([`records`]). Everything that judges the data is pure and takes the as-of date as an
//! argument; the commands in [`cmd`] are the only code that touches the terminal and the clock.
//!
//! - [`findings`] and [`messages`]: what `check` reports, and the one place for its wording.
//! - [`period`] and [`calendar`]: reporting periods (Nghị định 09/2019 or calendar) and working days.
//! - [`dates`] and [`text`]: Vietnamese dates, text (NFC, tone marks, matching keys) and numbers.
//! - [`par`]: the one place where threads are started; [`os`]: the one with `unsafe` code
//!   (huge pages for the big tables of a read, the lowest priority for a thread).
//! - [`code`], [`scheme`] and [`lang`]: leaves: the finding codes, the schemes of periods, the
//!   user's language (passed explicitly, never global).
//!
//! The modules stand on floors (docs/architecture.md); `tests/cli/architecture.rs` checks that
//! no import goes up a floor and none goes in a circle.

pub mod calendar;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod code;
pub mod controls;
pub mod dates;
pub mod deadlines;
pub mod entry;
pub mod export;
pub mod files;
pub mod findings;
pub mod folder;
pub mod history;
pub mod ics;
pub mod import;
pub mod lang;
pub mod lookup;
pub mod messages;
pub mod os;
pub mod output;
pub mod par;
pub mod period;
pub mod pieces;
pub mod plan;
pub mod records;
pub mod relative;
pub mod report;
pub mod rollup;
pub mod scheme;
pub mod spreadsheet;
pub mod text;

pub use cmd::run;

/// The Parquet and Arrow crates, for reading exports back (the tests do).
#[cfg(feature = "parquet")]
#[doc(hidden)]
pub use {arrow_array, parquet};

/// Whether an error comes from writing to a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
