//! Records: the daily CSV files under `records/` (PRODUCT.md §4).
//!
//! This module owns the record model, the column schema of every kind and the ASCII codes with
//! their Vietnamese labels. [`read`] streams the files and collects every problem;
//! [`dossier`] merges the facts of one dossier spread over several rows. All CSV reading and
//! writing is set up here: [`scan`] splits record files (with csv-core set as `csv_reader` sets
//! the csv crate, and tested against it), `csv_reader`/`csv_writer` serve appends.

pub mod append;
pub mod codes;
pub mod dossier;
pub mod ids;
pub mod intern;
pub mod read;
pub mod scan;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

pub use codes::{Action, ActivityKind, Channel, DossierStatus, Rating};
pub use dossier::{Dossier, DossierRef, Dossiers};
pub use read::{Loaded, load};

/// The kinds of record, one CSV file (or folder of files) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Activities,
    Dossiers,
    Violations,
    Commendations,
    Feedback,
    Commitments,
}

/// What a column holds, which decides how a cell is parsed and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Date,
    Text,
    Task,
    Officer,
    Officers,
    Deliverable,
    Count,
    ActivityKind,
    Action,
    Channel,
    Rating,
    Status,
    Procedure,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub ty: ColType,
}

const fn req(name: &'static str, ty: ColType) -> Column {
    Column {
        name,
        required: true,
        ty,
    }
}

const fn opt(name: &'static str, ty: ColType) -> Column {
    Column {
        name,
        required: false,
        ty,
    }
}

use ColType as T;

const ACTIVITIES: &[Column] = &[
    req("date", T::Date),
    req("task", T::Task),
    req("kind", T::ActivityKind),
    req("summary", T::Text),
    opt("officers", T::Officers),
    opt("evidence", T::Text),
    opt("deliverable", T::Deliverable),
    opt("participants", T::Count),
    opt("note", T::Text),
];

const DOSSIERS: &[Column] = &[
    req("id", T::Text),
    opt("procedure", T::Procedure),
    opt("field", T::Text),
    opt("received", T::Date),
    opt("due", T::Date),
    opt("returned", T::Date),
    opt("status", T::Status),
    opt("officer", T::Officer),
    opt("late_reason", T::Text),
    opt("apology", T::Date),
    opt("rescheduled", T::Date),
    opt("note", T::Text),
];

const VIOLATIONS: &[Column] = &[
    req("date", T::Date),
    req("officer", T::Officer),
    req("description", T::Text),
    opt("task", T::Task),
    opt("action", T::Action),
    opt("decision", T::Text),
    opt("note", T::Text),
];

const COMMENDATIONS: &[Column] = &[
    req("date", T::Date),
    req("recipient", T::Text),
    req("form", T::Text),
    opt("reason", T::Text),
    opt("decision", T::Text),
    opt("note", T::Text),
];

const FEEDBACK: &[Column] = &[
    req("date", T::Date),
    req("channel", T::Channel),
    opt("rating", T::Rating),
    opt("officer", T::Officer),
    opt("summary", T::Text),
    opt("handled", T::Date),
    opt("note", T::Text),
];

const COMMITMENTS: &[Column] = &[
    req("date", T::Date),
    req("officer", T::Officer),
    req("task", T::Task),
    req("commitment", T::Text),
];

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Activities,
        Kind::Dossiers,
        Kind::Violations,
        Kind::Commendations,
        Kind::Feedback,
        Kind::Commitments,
    ];

    /// The file stem under `records/`: `records/<name>.csv` and `records/<name>/*.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Activities => "activities",
            Kind::Dossiers => "dossiers",
            Kind::Violations => "violations",
            Kind::Commendations => "commendations",
            Kind::Feedback => "feedback",
            Kind::Commitments => "commitments",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Activities => ACTIVITIES,
            Kind::Dossiers => DOSSIERS,
            Kind::Violations => VIOLATIONS,
            Kind::Commendations => COMMENDATIONS,
            Kind::Feedback => FEEDBACK,
            Kind::Commitments => COMMITMENTS,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }
}

/// Where a record came from: an index into [`Records::files`] and a 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RowRef {
    pub file: u32,
    pub line: u32,
}

/// An activity. Its texts (task, summary, officers, evidence, deliverable, note) sit end to end
/// in one allocation: a province's year has a hundred thousand of these, and a `String` each
/// would take four times the memory.
#[derive(Debug, Clone)]
pub struct Activity {
    pub at: RowRef,
    pub date: NaiveDate,
    pub kind: ActivityKind,
    pub participants: Option<u32>,
    texts: Box<str>,
    /// Where each of the six texts ends in `texts` (officers joined by `;`).
    ends: [u32; 6],
}

/// The texts of a new [`Activity`].
#[derive(Debug, Default, Clone, Copy)]
pub struct ActivityTexts<'a> {
    pub task: &'a str,
    pub summary: &'a str,
    /// The officers' ids joined by `;`.
    pub officers: &'a str,
    pub evidence: Option<&'a str>,
    pub deliverable: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Activity {
    pub fn new(
        at: RowRef,
        date: NaiveDate,
        kind: ActivityKind,
        participants: Option<u32>,
        t: ActivityTexts<'_>,
    ) -> Activity {
        let (texts, ends) = pack([
            t.task,
            t.summary,
            t.officers,
            t.evidence.unwrap_or_default(),
            t.deliverable.unwrap_or_default(),
            t.note.unwrap_or_default(),
        ]);
        Activity {
            at,
            date,
            kind,
            participants,
            texts,
            ends,
        }
    }

    fn part(&self, i: usize) -> &str {
        part(&self.texts, &self.ends, i)
    }

    fn optional(&self, i: usize) -> Option<&str> {
        Some(self.part(i)).filter(|s| !s.is_empty())
    }

    pub fn task(&self) -> &str {
        self.part(0)
    }

    pub fn summary(&self) -> &str {
        self.part(1)
    }

    /// The officers' ids, in the order written.
    pub fn officers(&self) -> impl Iterator<Item = &str> + Clone {
        self.part(2).split(';').filter(|s| !s.is_empty())
    }

    pub fn evidence(&self) -> Option<&str> {
        self.optional(3)
    }

    pub fn deliverable(&self) -> Option<&str> {
        self.optional(4)
    }

    pub fn note(&self) -> Option<&str> {
        self.optional(5)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    pub description: String,
    pub task: Option<String>,
    pub action: Option<Action>,
    pub decision: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Commendation {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    /// An officer id, or the name of a collective.
    pub recipient: String,
    pub form: String,
    pub reason: Option<String>,
    pub decision: Option<String>,
    pub note: Option<String>,
}

/// Texts end to end in one allocation, and where each ends.
fn pack<const N: usize>(parts: [&str; N]) -> (Box<str>, [u32; N]) {
    let mut texts = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    let mut ends = [0; N];
    for (end, part) in ends.iter_mut().zip(parts) {
        texts.push_str(part);
        *end = texts.len() as u32;
    }
    (texts.into_boxed_str(), ends)
}

/// Text `i` of those [`pack`] put end to end.
fn part<'a>(texts: &'a str, ends: &[u32], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &texts[start..ends[i] as usize]
}

/// A citizen's feedback. Its texts (officer, summary, note) sit end to end in one allocation,
/// as an activity's do.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub at: RowRef,
    pub date: NaiveDate,
    pub channel: Channel,
    pub rating: Option<Rating>,
    pub handled: Option<NaiveDate>,
    texts: Box<str>,
    /// Where the officer, the summary and the note end in `texts`.
    ends: [u32; 3],
}

/// The texts of a new [`Feedback`]: `None` or not empty.
#[derive(Debug, Default, Clone, Copy)]
pub struct FeedbackTexts<'a> {
    pub officer: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Feedback {
    pub fn new(
        at: RowRef,
        date: NaiveDate,
        channel: Channel,
        rating: Option<Rating>,
        handled: Option<NaiveDate>,
        t: FeedbackTexts<'_>,
    ) -> Feedback {
        let (texts, ends) = pack([t.officer, t.summary, t.note].map(Option::unwrap_or_default));
        Feedback {
            at,
            date,
            channel,
            rating,
            handled,
            texts,
            ends,
        }
    }

    fn optional(&self, i: usize) -> Option<&str> {
        Some(part(&self.texts, &self.ends, i)).filter(|s| !s.is_empty())
    }

    pub fn officer(&self) -> Option<&str> {
        self.optional(0)
    }

    pub fn summary(&self) -> Option<&str> {
        self.optional(1)
    }

    pub fn note(&self) -> Option<&str> {
        self.optional(2)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    pub task: String,
    pub commitment: String,
}

/// Everything read from `records/`.
#[derive(Debug, Default)]
pub struct Records {
    /// Paths relative to the plan folder, indexed by [`RowRef::file`].
    pub files: Vec<PathBuf>,
    /// Per file, for each column of its kind's schema, the 0-based column in the file.
    pub headers: Vec<Vec<Option<usize>>>,
    /// Data rows read per kind (header rows excluded).
    pub rows: [u64; 6],
    pub activities: Vec<Activity>,
    pub dossiers: Dossiers,
    pub violations: Vec<Violation>,
    pub commendations: Vec<Commendation>,
    pub feedback: Vec<Feedback>,
    pub commitments: Vec<Commitment>,
}

impl Records {
    pub fn rows(&self, kind: Kind) -> u64 {
        self.rows[kind as usize]
    }

    pub fn file(&self, at: RowRef) -> &std::path::Path {
        &self.files[at.file as usize]
    }

    /// The place of a cell: file, line, and the file's column of `column` (when it has one).
    pub fn location(&self, kind: Kind, at: RowRef, column: &str) -> crate::findings::Location {
        let slot = kind.columns().iter().position(|c| c.name == column);
        let col = slot
            .and_then(|s| {
                self.headers
                    .get(at.file as usize)?
                    .get(s)
                    .copied()
                    .flatten()
            })
            .map(|i| i as u64 + 1);
        let file = self
            .files
            .get(at.file as usize)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        crate::findings::Location::file(file, Some(u64::from(at.line)), col)
    }
}

/// The byte offset of a quote that opens a cell and is never closed, following the `csv`
/// crate's rules: a quote opens a cell only at its very start, `""` inside is a literal quote,
/// and a quote anywhere else is an ordinary character. (The crate itself reads such a cell to
/// the end of the file without complaint, swallowing every row after it.)
pub fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if open.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                open = None;
            }
            i += 1;
            continue;
        }
        field_start = match b {
            b'"' if field_start => {
                open = Some(i);
                false
            }
            b'\n' | b'\r' => true,
            b if b == delimiter => true,
            _ => false,
        };
        i += 1;
    }
    open
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

/// The one place CSV writers are configured: comma, `\n` line ends, quotes only where needed.
pub fn csv_writer<W: std::io::Write>(wtr: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(wtr)
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
