//! Records: the daily CSV files under `records/` (PRODUCT.md §4).
//!
//! This module owns the record model and the ASCII codes with their Vietnamese labels; each
//! kind (its record type, columns, and how a row becomes a record) has a file of its own under
//! [`kind`]. [`read`] streams the files and collects every problem;
//! [`dossier`] merges the facts of one dossier spread over several rows. All CSV reading and
//! writing is set up here: [`scan`] splits record files (with csv-core set as `csv_reader` sets
//! the csv crate, and tested against it), `csv_reader`/`csv_writer` serve appends.

pub mod append;
pub mod codes;
pub mod control;
pub mod dossier;
pub mod ids;
pub mod intern;
pub mod journal;
pub mod kind;
pub mod read;
pub mod refs;
pub mod scan;

use std::path::PathBuf;

use serde::Serialize;

pub use codes::{
    Action, ActivityKind, Channel, DossierStatus, Fulfilment, Lapse, Level, Rating, Submission,
};
pub use dossier::{Dossier, DossierRef, Dossiers};
pub use kind::activities::{Activity, ActivityTexts};
pub use kind::commendations::Commendation;
pub use kind::commitments::Commitment;
pub use kind::feedback::{Feedback, FeedbackTexts};
pub use kind::lapses::ReportingLapse;
pub use kind::ratings::OfficerRating;
pub use kind::violations::Violation;
pub use kind::{ColType, Column, Kind};
pub use read::{Loaded, load};

/// Where a record came from: an index into [`Records::files`] and a 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RowRef {
    pub file: u32,
    pub line: u32,
}

/// Texts end to end in one allocation, and where each ends.
pub(crate) fn pack<const N: usize>(parts: [&str; N]) -> (Box<str>, [u32; N]) {
    let mut texts = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    let mut ends = [0; N];
    for (end, part) in ends.iter_mut().zip(parts) {
        texts.push_str(part);
        *end = texts.len() as u32;
    }
    (texts.into_boxed_str(), ends)
}

/// Text `i` of those [`pack`] put end to end.
pub(crate) fn part<'a>(texts: &'a str, ends: &[u32], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &texts[start..ends[i] as usize]
}

/// Everything read from `records/`.
#[derive(Debug, Default)]
pub struct Records {
    /// Paths relative to the plan folder, indexed by [`RowRef::file`].
    pub files: Vec<PathBuf>,
    /// Per file, for each column of its kind's schema, the 0-based column in the file.
    pub headers: Vec<Vec<Option<usize>>>,
    /// Data rows read per kind (header rows excluded).
    pub rows: [u64; Kind::COUNT],
    pub activities: Vec<Activity>,
    pub dossiers: Dossiers,
    pub violations: Vec<Violation>,
    pub commendations: Vec<Commendation>,
    pub feedback: Vec<Feedback>,
    pub commitments: Vec<Commitment>,
    pub ratings: Vec<OfficerRating>,
    pub lapses: Vec<ReportingLapse>,
    /// Per kind, the ids given in the `id` column of rows that are records (not changes), and
    /// where: what a change's `ref` may name besides `file:line`.
    pub ids: [std::collections::HashMap<Box<str>, RowRef>; Kind::COUNT],
    /// The change rows read (fill, correct, void; docs/records.md), in reading order. The lists
    /// above hold the current state: [`read::load`] has applied these.
    pub changes: Vec<Change>,
}

/// How a change row changes the record it names (the `change` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeHow {
    /// Sets facts that were empty; a set fact it gives must be the same (else E215).
    Fill,
    /// Replaces the facts it gives, for the reason it gives.
    Correct,
    /// Removes the record from every count and list, for the reason it gives.
    Void,
}

impl ChangeHow {
    pub const ALL: [(&'static str, ChangeHow); 3] = [
        ("fill", ChangeHow::Fill),
        ("correct", ChangeHow::Correct),
        ("void", ChangeHow::Void),
    ];

    pub fn parse(s: &str) -> Option<ChangeHow> {
        let s = s.trim();
        (ChangeHow::ALL.into_iter())
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|(_, how)| how)
    }

    /// How a report's annex names it: "Bổ sung", "Đính chính", "Hủy" (as `show` says it).
    pub fn label(self) -> &'static str {
        match self {
            ChangeHow::Fill => "Bổ sung",
            ChangeHow::Correct => "Đính chính",
            ChangeHow::Void => "Hủy",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ChangeHow::Fill => "fill",
            ChangeHow::Correct => "correct",
            ChangeHow::Void => "void",
        }
    }
}

/// A change row: which record it names, how it changes it, the facts it gives and why.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub how: ChangeHow,
    /// The record named, as written: its id, or `file:line` (the file under `records/`).
    pub target: String,
    #[serde(skip)]
    pub at: RowRef,
    /// The 1-based file column `target` was read from.
    #[serde(skip)]
    pub target_column: u32,
    /// The facts given: (the column's index in the kind's schema, its 1-based file column,
    /// the cell as written, trimmed, in NFC).
    pub cells: Vec<(usize, u32, String)>,
    pub reason: Option<String>,
    /// The row where the record named was found (set when the change was applied).
    #[serde(skip)]
    pub record: Option<RowRef>,
    /// The record's cells (schema order) just before this change (set when it was applied):
    /// the values a correction replaced, and the date of a voided record.
    #[serde(skip)]
    pub before: Vec<String>,
}

/// The columns of a record file that say how a row changes a record ([`Change`]), besides
/// the kind's own columns; every kind but dossiers (whose first column already names the
/// dossier) may have them, all optional. (`why`, not `reason`: commendations have a `reason`.)
pub const CHANGE_COLUMNS: [&str; 4] = ["id", "change", "ref", "why"];

impl Records {
    pub fn rows(&self, kind: Kind) -> u64 {
        self.rows[kind as usize]
    }

    pub fn file(&self, at: RowRef) -> &std::path::Path {
        &self.files[at.file as usize]
    }

    /// The place of a cell: file, line, and the file's column of `column` (when it has one).
    pub fn location(&self, kind: Kind, at: RowRef, column: &str) -> crate::findings::Location {
        let file = self.file_name(at.file);
        self.location_in(file.into(), kind, at, column)
    }

    /// A record file's name as findings write it (`records/dossiers.csv`).
    pub(crate) fn file_name(&self, file: u32) -> String {
        self.files
            .get(file as usize)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default()
    }

    /// Places in the record files for many findings, each file's name made once and shared.
    pub fn locator(&self) -> Locator<'_> {
        Locator {
            records: self,
            names: Vec::new(),
        }
    }

    fn location_in(
        &self,
        file: std::sync::Arc<str>,
        kind: Kind,
        at: RowRef,
        column: &str,
    ) -> crate::findings::Location {
        let col = self.column_number(kind, at.file, column);
        crate::findings::Location::file(file, Some(u64::from(at.line)), col)
    }

    /// The 1-based column of `column` in record file `file` of `kind`, when the file has it.
    fn column_number(&self, kind: Kind, file: u32, column: &str) -> Option<u64> {
        let slot = kind.columns().iter().position(|c| c.name == column)?;
        let i = (self.headers.get(file as usize)?.get(slot).copied()).flatten()?;
        Some(i as u64 + 1)
    }
}

/// [`Records::location`] for many findings: each file's name made once, then shared.
pub struct Locator<'r> {
    records: &'r Records,
    names: Vec<Option<std::sync::Arc<str>>>,
}

impl Locator<'_> {
    pub fn location(&mut self, kind: Kind, at: RowRef, column: &str) -> crate::findings::Location {
        let name = self.name(at.file).clone();
        self.records.location_in(name, kind, at, column)
    }

    /// The name of record file `file`, as findings write it (made once, then shared).
    pub fn name(&mut self, file: u32) -> &std::sync::Arc<str> {
        let i = file as usize;
        if self.names.len() <= i {
            self.names.resize(i + 1, None);
        }
        let records = self.records;
        self.names[i].get_or_insert_with(|| records.file_name(file).into())
    }

    /// [`Records::column_number`].
    pub fn column(&self, kind: Kind, file: u32, column: &str) -> Option<u64> {
        self.records.column_number(kind, file, column)
    }
}

/// The byte offset of a quote that opens a cell and is never closed, following the `csv`
/// crate's rules: a quote opens a cell only at its very start, `""` inside is a literal quote,
/// and a quote anywhere else is an ordinary character. (The crate itself reads such a cell to
/// the end of the file without complaint, swallowing every row after it.)
pub fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    // Only the quotes matter: they are found with `memchr`, and whether one starts a cell is
    // read from the byte before it (a file without quotes is passed over at memchr's speed).
    let mut quotes = memchr::memchr_iter(b'"', bytes);
    while let Some(at) = quotes.next() {
        let field_start =
            at == 0 || matches!(bytes[at - 1], b'\n' | b'\r') || bytes[at - 1] == delimiter;
        if !field_start {
            continue;
        }
        // Open: the next lone quote closes it; `""` is a literal quote.
        loop {
            let Some(q) = quotes.next() else {
                return Some(at);
            };
            if bytes.get(q + 1) == Some(&b'"') {
                quotes.next();
                continue;
            }
            break;
        }
    }
    None
}

/// The one place CSV readers are configured: headers on, ragged rows allowed (we report them
/// ourselves with their line), no trimming (we trim cells ourselves after UTF-8 checks).
pub fn csv_reader<R: std::io::Read>(rdr: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(rdr)
}

/// The lines CSV records start on, for the records of a [`csv_reader`] taken in file order.
/// The reader's own count ([`csv::Position::line`]) is that of where it began to look for a
/// record, which lags behind where the record begins: after a CRLF line end (the reader ends
/// the record at its `\r` and reads the `\n` with the next one) and after blank lines. So the
/// line is counted here from the record's first byte ([`csv::Position::byte`]), past any line
/// ends there, in a second look at the same bytes.
pub struct RecordLines<R> {
    source: R,
    at: u64,
    lines: u64,
}

impl<R: std::io::BufRead> RecordLines<R> {
    /// Lines of the bytes of `source`, which begins where the reader began.
    pub fn new(source: R) -> RecordLines<R> {
        RecordLines {
            source,
            at: 0,
            lines: 0,
        }
    }

    /// The 1-based line of the record the reader says begins at byte `start`: at or after
    /// that of the record asked for before.
    pub fn line_of(&mut self, start: u64) -> std::io::Result<u64> {
        let mut past_line_ends = false;
        loop {
            let buf = self.source.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let n = if self.at < start {
                buf.len()
                    .min(usize::try_from(start - self.at).unwrap_or(usize::MAX))
            } else {
                let ends = buf
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                past_line_ends = ends < buf.len();
                ends
            };
            self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            self.source.consume(n);
            self.at += n as u64;
            if past_line_ends {
                break;
            }
        }
        Ok(self.lines + 1)
    }
}

/// The one place CSV writers are configured: comma, `\n` line ends, quotes only where needed.
pub fn csv_writer<W: std::io::Write>(wtr: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(wtr)
}

/// A CSV reader's or writer's error as an I/O error: an I/O error stays the one it is (a closed
/// pipe stays one: `export | head` ends quietly), where the csv crate's own conversion would
/// make every error an "other" one.
pub fn csv_io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// The names of the columns a record file's header has, trimmed, in lower case, the first
/// without a byte order mark.
pub fn column_names(header: &csv::ByteRecord) -> Vec<String> {
    (header.iter().enumerate())
        .map(|(i, raw)| {
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            String::from_utf8_lossy(raw).trim().to_ascii_lowercase()
        })
        .collect()
}

/// Whether two short byte strings (cells, id prefixes) are equal: without a call to `memcmp`
/// for up to 32 bytes, by two or four overlapping words.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap_or([0; 4]));
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        // A one-stop code's prefix (`000.00.27.H42-210315-`) is about twenty bytes.
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_texts_come_back_whole() {
        let parts = ["", "Kiểm tra", "", "ct;vp1", "ờ", ""];
        let (texts, ends) = pack(parts);
        assert_eq!(&*texts, "Kiểm tract;vp1ờ");
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(part(&texts, &ends, i), *p);
        }
        let (texts, ends) = pack(["", ""]);
        assert_eq!((&*texts, ends), ("", [0, 0]));
    }

    #[test]
    fn equal_exactly_when_the_bytes_are() {
        let texts: Vec<Vec<u8>> = (0..40)
            .flat_map(|n| {
                let base: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
                let mut variants = vec![base.clone()];
                // The same length, one byte changed at each place.
                for i in 0..n {
                    let mut v = base.clone();
                    v[i] ^= 1;
                    variants.push(v);
                }
                variants
            })
            .collect();
        for a in &texts {
            for b in &texts {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
