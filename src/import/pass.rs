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
use crate::records::append::{AppendError, Encoder, count_special};
use crate::records::kind::Shape;
use crate::records::read::NewRows;
use crate::records::{ColType, Column, Kind, Records};
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

    /// Whether the cells are in NFC already (a text's rows are: [`decode::Rows`]).
    fn in_nfc(&self) -> bool {
        matches!(self, Cells::Text(_))
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
    /// The procedure names read as a catalogue entry, and those kept as written.
    pub names: Names,
    /// The bytes to append (with [`Encoder::finish`]'s account), unless a dry run.
    pub encoder: Option<Encoder>,
}

/// A name read as a procedure of the catalogue, once per distinct cell.
enum Procedure {
    /// The cell as written into the records (an id, or what was typed when nothing matched).
    Cell(Box<str>),
    /// A name that differs from one catalogue entry only slightly: that entry's id (the
    /// position of the name in [`Names::mapped`]).
    Near(usize),
    /// A name no catalogue entry matches, kept as written (its position in
    /// [`Names::unlisted`]).
    Unlisted(usize),
    /// A name several entries match: the candidates, in words.
    Ambiguous(String),
}

/// What `import` says of the procedure names it read, each once, in the order first read.
#[derive(Debug, Default)]
pub struct Names {
    /// Names read as a catalogue entry: (as written, its id, its name, rows).
    pub mapped: Vec<(String, String, String, usize)>,
    /// Names that no entry of a non-empty catalogue matches, kept as written: (as kept, rows).
    /// (Ids the catalogue lacks are errors, said by the check; a plan with no catalogue keeps
    /// every name, and nothing is said of them.)
    pub unlisted: Vec<(String, usize)>,
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
        encoder,
        ids,
        list_all,
    } = setup;
    let columns = kind.columns();
    // For each of our columns, the source column that gives it.
    let slots: Vec<Option<usize>> = columns
        .iter()
        .map(|c| mapping.iter().position(|m| *m == Some(c.name)))
        .collect();
    // A row is written as it is read when nothing the check does changes it (it gives no
    // ids; a dossier row that repeats a known fact is encoded again, without it).
    let plain = columns.len() > 1
        && !ids.gives()
        && encoder.as_ref().is_some_and(|e| e.is_plain(columns.len()));
    let reader = Reader {
        plan,
        columns,
        source,
        width,
        slots: &slots,
        memo: vec![HashMap::new(); columns.len()],
        lasts: vec![(String::new(), String::new()); columns.len()],
        procedures: HashMap::new(),
        names: Names::default(),
        problems: Vec::new(),
    };
    let mut taker = Taker {
        plan,
        plain,
        kind,
        seen: existing_keys(kind, records),
        key: String::new(),
        added: Lines::default(),
        skipped: Lines::default(),
        added_list: Vec::new(),
        skipped_list: Vec::new(),
        row: vec![String::new(); columns.len()],
        encoder,
        ids,
        list_all,
    };
    // The rows are read and normalised on a thread of their own while those before them are
    // checked and encoded on this one: the two halves of the work take about as long.
    let (read, found) =
        crate::records::read::check_new_rows_with(plan, records, kind, source, |new| {
            let (read, taken) = crate::par::pipe(
                4,
                |send| reader.read(&mut input, send),
                |batches| {
                    batches
                        .map(|batch| taker.take(&batch, new))
                        .find(Result::is_err)
                        .unwrap_or(Ok(()))
                },
            );
            read.map(|read| (read, taken))
        });
    let ((names, mut problems), taken) = read?;
    if let Err(e) = taken {
        return Ok(Err(e));
    }
    let Taker {
        added,
        skipped,
        added_list,
        skipped_list,
        encoder,
        ..
    } = taker;
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
        names,
        encoder,
    }))
}

/// A run of rows read and normalised, handed from the reading thread to the checking one.
#[derive(Default)]
struct Batch {
    /// Each row's line, and for a whole row its place among them (else the reader said its
    /// problem).
    rows: Vec<(u64, Option<usize>)>,
    /// The whole rows, each its cells in our columns' order joined by commas, and a line end.
    text: String,
    /// Where each cell lies in `text`, one row's after another.
    bounds: Vec<(usize, usize)>,
}

impl Batch {
    /// Rows a batch holds: enough that handing it over costs nothing beside the rows' work.
    const ROWS: usize = 1024;

    /// Where the cells of the `w`th whole row lie, `width` of them.
    fn bounds(&self, w: usize, width: usize) -> &[(usize, usize)] {
        &self.bounds[w * width..(w + 1) * width]
    }

    /// The `w`th whole row as a file with our columns in order has it, its line end left out,
    /// when its line of `text` is that: when its only commas are those between its cells.
    fn encoded(&self, w: usize, width: usize) -> Option<&[u8]> {
        let bounds = self.bounds(w, width);
        let (start, end) = (bounds.first()?.0, bounds.last()?.1);
        let line = &self.text.as_bytes()[start..end];
        (count_special(line) == (width - 1, false)).then_some(line)
    }
}

/// The checking half of the pass: each row checked against the records (which get it), given
/// its id and encoded for the append, or skipped when already present.
struct Taker<'a> {
    plan: &'a Plan,
    /// Whether a row's cells joined by commas may be what the append writes (the file's
    /// columns are ours and no id is given).
    plain: bool,
    kind: Kind,
    /// The rows of a kind other than dossiers already present ([`row_key`]).
    seen: hashbrown::HashSet<String>,
    key: String,
    added: Lines,
    skipped: Lines,
    added_list: Vec<(u64, String)>,
    skipped_list: Vec<u64>,
    /// A row's cells, when the check must have them as strings.
    row: Vec<String>,
    encoder: Option<Encoder>,
    ids: IdGiver,
    list_all: bool,
}

impl Taker<'_> {
    /// Takes every row of `batch`; stops at a row the encoder refuses (nothing may be written).
    fn take(&mut self, batch: &Batch, new: &mut NewRows<'_, '_, '_>) -> Result<(), AppendError> {
        let width = self.row.len();
        let mut cells: Vec<&str> = Vec::with_capacity(width);
        // No byte of the batch is one the control-character test looks at: its rows need no
        // test of their own (one vector loop over the batch instead of one per row).
        let clean = !crate::controls::suspicious(batch.text.as_bytes());
        for &(line, whole) in &batch.rows {
            let Some(w) = whole else {
                self.added.break_run();
                self.skipped.break_run();
                continue;
            };
            let bounds = batch.bounds(w, width);
            let cell = |c: usize| &batch.text[bounds[c].0..bounds[c].1];
            // Already present: a row equal to a record, or a row of a known dossier with no new
            // fact. `known`: the cells of facts the dossier has already.
            let (present, known) = match self.kind.spec().shape {
                Shape::Facts { known_facts, .. } => {
                    match known_facts(self.plan, new.records(), &cell) {
                        None => (false, 0),
                        Some(known) => {
                            let new_cell = |i: usize| known & 1 << i == 0 && !cell(i).is_empty();
                            (!(1..width).any(new_cell), known)
                        }
                    }
                }
                Shape::Records { .. } => {
                    row_key(self.kind, (0..width).map(cell), &mut self.key);
                    let seen = self.seen.contains(&self.key) || !self.seen.insert(self.key.clone());
                    (seen, 0)
                }
            };
            if present {
                self.skipped.push(line);
                self.added.break_run();
                if self.list_all || self.skipped_list.len() <= LISTED {
                    self.skipped_list.push(line);
                }
                continue;
            }
            if known == 0 && !self.ids.gives() {
                // The row as read: checked from the batch's text, written as it was encoded.
                new.row_in(line, batch.text.as_bytes(), bounds, clean);
                if let Some(encoder) = self.encoder.as_mut() {
                    let encoded = self.plain.then(|| batch.encoded(w, width)).flatten();
                    match encoded {
                        Some(line) => encoder.push_plain(line, width),
                        None => {
                            cells.clear();
                            cells.extend((0..width).map(cell));
                            encoder.row(&cells)?;
                        }
                    }
                }
                self.added(line, (0..width).map(cell));
                continue;
            }
            // Without the facts already known, and with an id.
            for (i, out) in self.row.iter_mut().enumerate() {
                out.clear();
                if known & 1 << i == 0 {
                    out.push_str(cell(i));
                }
            }
            new.row(line, &self.row);
            self.ids.give(new.records(), &mut self.row);
            if let Some(encoder) = self.encoder.as_mut() {
                encoder.row(&self.row)?;
            }
            let row = std::mem::take(&mut self.row);
            self.added(line, row.iter().map(String::as_str));
            self.row = row;
            self.row.truncate(width);
        }
        Ok(())
    }

    /// The row at `line`, of these cells, is added.
    fn added<'c>(&mut self, line: u64, cells: impl Iterator<Item = &'c str>) {
        self.added.push(line);
        self.skipped.break_run();
        if self.list_all || self.added_list.len() <= LISTED {
            self.added_list
                .push((line, cells.collect::<Vec<_>>().join(",")));
        }
    }
}

/// The reading half of the pass: each row of the source mapped to our columns and normalised,
/// each distinct cell once; what cannot be a row (a ragged one, an ambiguous procedure) said.
struct Reader<'a> {
    plan: &'a Plan,
    columns: &'static [Column],
    source: &'a str,
    width: usize,
    slots: &'a [Option<usize>],
    memo: Vec<HashMap<Box<str>, Box<str>>>,
    /// For each column, the last cell and what it became.
    lasts: Vec<(String, String)>,
    procedures: HashMap<Box<str>, Procedure>,
    /// What is said of the procedure names ([`Outcome::names`]).
    names: Names,
    problems: Vec<Finding>,
}

impl Reader<'_> {
    /// Reads every row of `input`, handing them to `send` in batches; stops early when `send`
    /// takes no more. Returns what is said of the procedure names, and the problems found.
    fn read(
        mut self,
        input: &mut Input<'_>,
        send: &mut dyn FnMut(Batch) -> bool,
    ) -> Result<(Names, Vec<Finding>), TableError> {
        let mut batch = Batch::default();
        let width = self.columns.len();
        while let Some((line, cells)) = input.next()? {
            let w = batch.bounds.len() / width.max(1);
            let whole = self.row(line, &cells, &mut batch).then_some(w);
            batch.rows.push((line, whole));
            if batch.rows.len() == Batch::ROWS && !send(std::mem::take(&mut batch)) {
                return Ok((self.names, self.problems));
            }
        }
        if !batch.rows.is_empty() {
            send(batch);
        }
        Ok((self.names, self.problems))
    }

    /// One row's cells, normalised, onto `batch`; `false` (and nothing added) when it cannot be
    /// a row.
    fn row(&mut self, line: u64, cells: &Cells<'_>, batch: &mut Batch) -> bool {
        let source = self.source;
        if cells.len() != self.width {
            self.problems.push(Finding::new(
                Code::RaggedRow,
                Location::file(source.to_string(), Some(line), None),
                Msg::RaggedRow {
                    found: cells.len(),
                    expected: self.width,
                },
            ));
            return false;
        }
        let (text_before, bounds_before) = (batch.text.len(), batch.bounds.len());
        for (c, (column, slot)) in self.columns.iter().zip(self.slots).enumerate() {
            let start = batch.text.len();
            let out = &mut batch.text;
            if let Some(i) = *slot {
                let raw = crate::text::trim(cells.get(i));
                if !raw.is_empty() && !self.cell(c, column, (i, raw, cells.in_nfc()), line, out) {
                    batch.text.truncate(text_before);
                    batch.bounds.truncate(bounds_before);
                    return false;
                }
            }
            batch.bounds.push((start, batch.text.len()));
            batch.text.push(',');
        }
        // The last cell's comma is the line's end.
        batch.text.pop();
        batch.text.push('\n');
        true
    }

    /// One cell (`raw`, of source column `i`, in NFC or not, for our column `c`), normalised
    /// onto `out`; `false` when it makes its row no row (the problem said).
    fn cell(
        &mut self,
        c: usize,
        column: &Column,
        (i, raw, in_nfc): (usize, &str, bool),
        line: u64,
        out: &mut String,
    ) -> bool {
        let plan = self.plan;
        match column.ty {
            // Free text: as typed, in NFC.
            ColType::Text | ColType::Count | ColType::Deliverable if in_nfc => out.push_str(raw),
            ColType::Text | ColType::Count | ColType::Deliverable => out.push_str(&nfc(raw)),
            // A procedure under a slightly different name: the catalogue's id when the match is
            // unique (said after), an error listing the candidates when it is not.
            ColType::Procedure => {
                if !self.procedures.contains_key(raw) {
                    let found = procedure(plan, raw, &mut self.names);
                    self.procedures.insert(raw.into(), found);
                }
                match &self.procedures[raw] {
                    Procedure::Cell(cell) => out.push_str(cell),
                    Procedure::Near(at) => {
                        let (_, id, _, rows) = &mut self.names.mapped[*at];
                        *rows += 1;
                        out.push_str(id);
                    }
                    Procedure::Unlisted(at) => {
                        let (kept, rows) = &mut self.names.unlisted[*at];
                        *rows += 1;
                        out.push_str(kept);
                    }
                    Procedure::Ambiguous(candidates) => {
                        self.problems.push(Finding::new(
                            Code::UnknownProcedure,
                            Location::file(self.source.to_string(), Some(line), Some(i as u64 + 1)),
                            Msg::ImportAmbiguousProcedure {
                                name: raw.to_string(),
                                candidates: candidates.clone(),
                            },
                        ));
                        return false;
                    }
                }
            }
            _ => {
                // The cell above is often the same (a day's dossiers, one officer).
                let (last_raw, last) = &mut self.lasts[c];
                if last_raw != raw {
                    let memo = &mut self.memo[c];
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
        true
    }
}

/// What a procedure cell becomes ([`crate::entry::procedure`], and the near names said).
fn procedure(plan: &Plan, raw: &str, names: &mut Names) -> Procedure {
    match crate::catalogue::find(plan, raw) {
        Found::Near(p) => {
            let mapped = &mut names.mapped;
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
        Found::None
            if !plan.procedures.is_empty()
                && !crate::records::refs::looks_like_procedure_id(raw) =>
        {
            names.unlisted.push((nfc(raw).into_owned(), 0));
            Procedure::Unlisted(names.unlisted.len() - 1)
        }
        Found::None => Procedure::Cell(nfc(raw).into()),
    }
}

/// What identifies a row of a kind other than dossiers, for skipping rows already present,
/// written into `key`: each cell's length and the cell, text compared by [`match_key`] (case,
/// spacing and tone placement do not matter), the rest trimmed.
fn row_key<'c>(kind: Kind, row: impl IntoIterator<Item = &'c str>, key: &mut String) {
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
            row_key(kind, row.iter().map(String::as_str), &mut key);
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
        row_key(kind, one.iter().map(String::as_str), &mut a);
        row_key(kind, two.iter().map(String::as_str), &mut b);
        assert_eq!(a, b);
        // Without the lengths, "vp1" then "khen" would be "vp1k" then "hen".
        let mut three = two.clone();
        two[4] = "khen".into();
        three[3] = "vp1k".into();
        three[4] = "hen".into();
        row_key(kind, two.iter().map(String::as_str), &mut a);
        row_key(kind, three.iter().map(String::as_str), &mut b);
        assert_ne!(a, b);
    }
}
