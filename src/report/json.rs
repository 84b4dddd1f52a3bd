//! `--format json`: the report context pretty-printed by serde_json, through the caller's
//! buffer.
//!
//! It used to be printed on two threads, cut in the tasks, when a province's year embedded every
//! activity and every finding (177 MB on issue 20's folder); bounded by the plan since then (a
//! few hundred kB whatever the data), one thread prints it as fast (`scripts/bench-shapes.sh`).

use std::io::{self, Write};

use super::context::ReportContext;

/// Writes the report, then a newline.
pub fn write(report: &ReportContext, w: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    w.write_all(b"\n")
}
