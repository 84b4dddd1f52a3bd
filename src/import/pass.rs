//! The one pass of `import` over a file's rows: each row read, mapped to our columns,
//! normalised ([`crate::entry::normalize`]), skipped when already present, checked against the
//! folder as `check` checks a row read from a file, given its id and encoded for the append;
//! then forgotten. No table of rows is ever held: an import of a million rows keeps the
//! source's text, the records (as `check` keeps them) and the bytes it will append.
//!
//! Nothing here prints or writes a file: the command appends the bytes, or nothing when any
//! row has an error.

use hashbrown::HashMap;

use super::decode::{self, Rows, TableError};
use crate::catalogue::Found;
use crate::entry::IdGiver;
use crate::findings::{Code, Finding, Location, Severity};
use crate::messages::Msg;
use crate::plan::Plan;
use crate::records::append::{AppendError, Encoder};
use crate::records::kind::Shape;
use crate::records::{ColType, Kind, Records};
use crate::text::{match_key, nfc};

/// At most this many rows added (or skipped) are listed one by one unless asked for
/// (`--verbose`); more are said as ranges of lines.
pub const LISTED: usize = 20;

/// Where the rows come from: a text file's rows read one at a time, or a workbook's sheet
/// (already a table: sheets are small).
pub enum Input<'t> {
    Text(Box<Rows<'t>>),
    Sheet(std::slice::Iter<'t, (u64, Vec<String>)>),
}

/// One row of an [`Input`].
enum Cells<'r> {
    Text(decode::Row<'r>),
    Sheet(&'r [String]),
}

impl Cells<'_> {
    fn len(&self) -> usize {
        match self {
            Cells::Text(row) => row.len(),
            Cells::Sheet(cells) => cells.len(),
        }
    }

    /// The `i`th cell, with the `'` an export puts before formula-like text taken off.
    fn get(&self, i: usize) -> &str {
        let cell = match self {
            Cells::Text(row) => row.cell(i),
            Cells::Sheet(cells) => cells.get(i).map_or("", String::as_str),
        };
        crate::spreadsheet::unquote(cell)
    }
}

impl Input<'_> {
    fn next(&mut self) -> Result<Option<(u64, Cells<'_>)>, TableError> {
        Ok(match self {
            Input::Text(rows) => rows.next_row()?.map(|row| (row.line(), Cells::Text(row))),
            Input::Sheet(rows) => rows
                .next()
                .map(|(line, cells)| (*line, Cells::Sheet(cells))),
        })
    }
}

/// What the pass is given besides the rows.
pub struct Setup<'a> {
    pub plan: &'a Plan,
    pub kind: Kind,
    /// The source file as the user named it (findings say it).
    pub source: &'a str,
    /// How many cells the header has (a row with another count is ragged).
    pub width: usize,
    /// For each source column, our column (`None`: ignored).
    pub mapping: &'a [Option<&'static str>],
    /// Where the rows go; `None` for a dry run (nothing encoded).
    pub encoder: Option<Encoder>,
    /// The ids of new rows.
    pub ids: IdGiver,
    /// Every row listed, however many.
    pub list_all: bool,
}

/// Lines of the source, as ranges of rows that follow each other (`2–5001, 5003–9000`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lines {
    /// How many rows.
    pub rows: usize,
    /// First and last line of each run of rows with no other row between them.
    pub runs: Vec<(u64, u64)>,
    /// Whether the last row given was one of these (the next extends its run).
    open: bool,
}

impl Lines {
    fn push(&mut self, line: u64) {
        self.rows += 1;
        match self.runs.last_mut() {
            Some((_, last)) if self.open => *last = line,
            _ => self.runs.push((line, line)),
        }
        self.open = true;
    }

    /// Another row came between.
    fn break_run(&mut self) {
        self.open = false;
    }
}

/// What the pass did.
pub struct Outcome {
    /// Errors and warnings found, at their place in the source (nothing may be written when
    /// one is an error).
    pub problems: Vec<Finding>,
    /// The rows to add, by their lines in the source.
    pub added: Lines,
    /// The rows already present, skipped.
    pub skipped: Lines,
    /// Rows added, one by one, as (source line, cells joined): all of them with `list_all`,
    /// else only while there are at most [`LISTED`].
    pub added_list: Vec<(u64, String)>,
    /// The same for the rows skipped: their source lines.
    pub skipped_list: Vec<u64>,
    /// The names read as a catalogue procedure: (as written, its id, its name, rows).
    pub mapped: Vec<(String, String, String, usize)>,
    /// The bytes to append (with [`Encoder::finish`]'s account), unless a dry run.
    pub encoder: Option<Encoder>,
}

/// A name read as a procedure of the catalogue, once per distinct cell.
enum Procedure {
    /// The cell as written into the records (an id, or what was typed when nothing matched).
    Cell(Box<str>),
    /// A name that differs from one catalogue entry only slightly: that entry's id (the
    /// position of the name in [`Outcome::mapped`]).
    Near(usize),
    /// A name several entries match: the candidates, in words.
    Ambiguous(String),
}

/// Distinct cells normalised once per column: dates, codes, officers, tasks and procedures
/// repeat all through a big file. Bounded, so that a column of distinct values costs nothing.
const MEMO_MOST: usize = 4096;

/// Reads every row of `input` and checks it against `records`, which get the rows added.
/// Stops at an encoding error (a value for a column the record file lacks): nothing may be
/// written then.
pub fn run(
    setup: Setup<'_>,
    records: &mut Records,
    mut input: Input<'_>,
) -> Result<Result<Outcome, AppendError>, TableError> {
    let Setup {
        plan,
        kind,
        source,
        width,
        mapping,
        mut encoder,
        mut ids,
        list_all,
    } = setup;
    let columns = kind.columns();
    // For each of our columns, the source column that gives it.
    let slots: Vec<Option<usize>> = columns
        .iter()
        .map(|c| mapping.iter().position(|m| *m == Some(c.name)))
        .collect();
    let mut memo: Vec<HashMap<Box<str>, Box<str>>> = vec![HashMap::new(); columns.len()];
    let mut lasts: Vec<(String, String)> = vec![(String::new(), String::new()); columns.len()];
    let mut procedures: HashMap<Box<str>, Procedure> = HashMap::new();
    let mut mapped: Vec<(String, String, String, usize)> = Vec::new();
    let mut seen = existing_keys(kind, records);
    let mut key = String::new();
    let mut problems = Vec::new();
    let (mut added, mut skipped) = (Lines::default(), Lines::default());
    let (mut added_list, mut skipped_list) = (Vec::new(), Vec::new());
    let at =
        |line: u64, column: Option<u64>| Location::file(source.to_string(), Some(line), column);
    let mut row: Vec<String> = vec![String::new(); columns.len()];
    let mut failed: Option<AppendError> = None;

    let (read, found) =
        crate::records::read::check_new_rows_with(plan, records, kind, source, |new| {
            'rows: loop {
                let (line, cells) = match input.next() {
                    Ok(Some(next)) => next,
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(e),
                };
                if cells.len() != width {
                    problems.push(Finding::new(
                        Code::RaggedRow,
                        at(line, None),
                        Msg::RaggedRow {
                            found: cells.len(),
                            expected: width,
                        },
                    ));
                    added.break_run();
                    skipped.break_run();
                    continue;
                }
                for (c, ((column, slot), out)) in
                    columns.iter().zip(&slots).zip(row.iter_mut()).enumerate()
                {
                    out.clear();
                    let Some(i) = *slot else { continue };
                    let raw = crate::text::trim(cells.get(i));
                    if raw.is_empty() {
                        continue;
                    }
                    match column.ty {
                        // Free text: as typed, in NFC (the reader gives it so already).
                        ColType::Text | ColType::Count | ColType::Deliverable => {
                            out.push_str(&nfc(raw));
                        }
                        // A procedure under a slightly different name: the catalogue's id
                        // when the match is unique (said after), an error listing the
                        // candidates when it is not.
                        ColType::Procedure => {
                            if !procedures.contains_key(raw) {
                                let found = procedure(plan, raw, &mut mapped);
                                procedures.insert(raw.into(), found);
                            }
                            match &procedures[raw] {
                                Procedure::Cell(cell) => out.push_str(cell),
                                Procedure::Near(at) => {
                                    mapped[*at].3 += 1;
                                    out.push_str(&mapped[*at].1);
                                }
                                Procedure::Ambiguous(candidates) => {
                                    problems.push(Finding::new(
                                        Code::UnknownProcedure,
                                        Location::file(
                                            source.to_string(),
                                            Some(line),
                                            Some(i as u64 + 1),
                                        ),
                                        Msg::ImportAmbiguousProcedure {
                                            name: raw.to_string(),
                                            candidates: candidates.clone(),
                                        },
                                    ));
                                    added.break_run();
                                    skipped.break_run();
                                    continue 'rows;
                                }
                            }
                        }
                        _ => {
                            // The cell above is often the same (a day's dossiers, one officer).
                            let (last_raw, last) = &mut lasts[c];
                            if last_raw != raw {
                                let memo = &mut memo[c];
                                last.clear();
                                match memo.get(raw) {
                                    Some(value) => last.push_str(value),
                                    None => {
                                        let value = crate::entry::normalize(plan, column, raw);
                                        last.push_str(&value);
                                        if memo.len() < MEMO_MOST {
                                            memo.insert(raw.into(), value.into());
                                        }
                                    }
                                }
                                last_raw.clear();
                                last_raw.push_str(raw);
                            }
                            out.push_str(last);
                        }
                    }
                }
                // Already present: a row equal to a record, or a dossier row with no new fact.
                let present = match kind.spec().shape {
                    Shape::Facts { new_facts, .. } => !new_facts(plan, new.records(), &mut row),
                    Shape::Records { .. } => {
                        row_key(kind, &row, &mut key);
                        seen.contains(key.as_str()) || !seen.insert(key.clone())
                    }
                };
                if present {
                    skipped.push(line);
                    added.break_run();
                    if list_all || skipped_list.len() <= LISTED {
                        skipped_list.push(line);
                    }
                    continue;
                }
                new.row(line, &row);
                ids.give(new.records(), &mut row);
                if let Some(encoder) = encoder.as_mut()
                    && let Err(e) = encoder.row(&row)
                {
                    failed = Some(e);
                    return Ok(());
                }
                added.push(line);
                skipped.break_run();
                if list_all || added_list.len() <= LISTED {
                    added_list.push((line, row.join(",")));
                }
                row.truncate(columns.len());
            }
        });
    read?;
    if let Some(e) = failed {
        return Ok(Err(e));
    }
    // The check points at our column; the clerk looks for the file's column.
    problems.extend(
        found
            .into_iter()
            .filter(|f| f.severity() == Severity::Error)
            .map(|mut f| {
                f.location.column = f.location.column.and_then(|c| {
                    let ours = columns.get(usize::try_from(c).ok()? - 1)?.name;
                    let at = mapping.iter().position(|m| *m == Some(ours))?;
                    Some(at as u64 + 1)
                });
                f
            }),
    );
    Ok(Ok(Outcome {
        problems,
        added,
        skipped,
        added_list,
        skipped_list,
        mapped,
        encoder,
    }))
}

/// What a procedure cell becomes ([`crate::entry::procedure`], and the near names said).
fn procedure(
    plan: &Plan,
    raw: &str,
    mapped: &mut Vec<(String, String, String, usize)>,
) -> Procedure {
    match crate::catalogue::find(plan, raw) {
        Found::Near(p) => {
            mapped.push((raw.to_string(), p.id.get_ref().clone(), p.name.clone(), 0));
            Procedure::Near(mapped.len() - 1)
        }
        Found::Ambiguous(candidates) => Procedure::Ambiguous(
            candidates
                .iter()
                .map(|p| format!("{} \"{}\"", p.id.get_ref(), p.name))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Found::Exact(p) => Procedure::Cell(p.id.get_ref().as_str().into()),
        Found::None => Procedure::Cell(nfc(raw).into()),
    }
}

/// What identifies a row of a kind other than dossiers, for skipping rows already present,
/// written into `key`: each cell's length and the cell, text compared by [`match_key`] (case,
/// spacing and tone placement do not matter), the rest trimmed.
fn row_key(kind: Kind, row: &[String], key: &mut String) {
    use std::fmt::Write as _;
    key.clear();
    for (c, v) in kind.columns().iter().zip(row) {
        let part = if c.ty.is_text() {
            std::borrow::Cow::Owned(match_key(v))
        } else {
            std::borrow::Cow::Borrowed(v.trim())
        };
        let _ = write!(key, "{}:", part.len());
        key.push_str(&part);
    }
}

/// The keys of the rows already recorded (none for a kind whose rows are facts: those are
/// compared fact by fact).
fn existing_keys(kind: Kind, records: &Records) -> hashbrown::HashSet<String> {
    let mut keys = hashbrown::HashSet::new();
    if let Shape::Records { .. } = kind.spec().shape {
        for row in (kind.spec().to_cells)(records) {
            let mut key = String::new();
            row_key(kind, &row, &mut key);
            keys.insert(key);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_runs_of_rows_that_follow_each_other() {
        let mut lines = Lines::default();
        for line in [2, 3, 4] {
            lines.push(line);
        }
        lines.break_run();
        lines.push(9);
        lines.push(12);
        assert_eq!(lines.rows, 5);
        assert_eq!(lines.runs, vec![(2, 4), (9, 12)]);
    }

    #[test]
    fn keys_of_rows_compare_text_loosely_and_cannot_run_into_each_other() {
        let (mut a, mut b) = (String::new(), String::new());
        let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let kind = Kind::Feedback;
        let width = kind.columns().len();
        let mut one = row(&["2021-03-01", "hotline", "satisfied", "vp1", "Khen  Hòa"]);
        let mut two = row(&["2021-03-01", "hotline", "satisfied", "vp1", "khen hoà"]);
        one.resize(width, String::new());
        two.resize(width, String::new());
        row_key(kind, &one, &mut a);
        row_key(kind, &two, &mut b);
        assert_eq!(a, b);
        // Without the lengths, "vp1" then "khen" would be "vp1k" then "hen".
        let mut three = two.clone();
        two[4] = "khen".into();
        three[3] = "vp1k".into();
        three[4] = "hen".into();
        row_key(kind, &two, &mut a);
        row_key(kind, &three, &mut b);
        assert_ne!(a, b);
    }
}
