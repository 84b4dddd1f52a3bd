//! Turning a file a Vietnamese office produced into clean rows with our column names.
//!
//! Offices hand over CSV exports from Excel and from the province's one-stop system. They come
//! in several encodings (VIETNAM.md §6): UTF-8 with or without a BOM, UTF-16LE ("Unicode text",
//! tab-separated), or Windows-1258 (the ANSI code page of Vietnamese Windows, which writes most
//! tone marks as separate combining characters). Their separator follows the Windows list
//! separator (`,`, `;` or a tab), and their headers are Vietnamese, as the one-stop book
//! (Sổ theo dõi hồ sơ, mẫu 06 TT 01/2018) and the province systems write them.
//!
//! Three steps, each pure and usable alone:
//! - [`decode`]: bytes → NFC text, with the encoding that was detected;
//! - [`read_table`]: text → header and trimmed rows, with the source line of every row;
//! - [`map_header`]: source header → our column names for a [`Kind`], or an error per problem.
//!
//! Nothing here prints or panics, whatever the input. Legacy TCVN3 and VNI files are not
//! detected here: they decode as Windows-1258 gibberish.

use std::borrow::Cow;
use std::fmt;

use crate::findings::Code;
use crate::messages::{Lang, Msg};
use crate::records::Kind;
use crate::text::{fold, nfc};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 with the byte order mark Excel writes ("CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian, with or without a byte order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big endian, with or without a byte order mark.
    Utf16Be,
    /// The ANSI code page of Vietnamese Windows, the fallback when nothing else fits.
    Windows1258,
}

impl Encoding {
    /// A short name for messages: `UTF-8`, `UTF-8 BOM`, `UTF-16LE`, `UTF-16BE`, `windows-1258`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1258 => "windows-1258",
        }
    }
}

/// A file's text after [`decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text in NFC, without the byte order mark; line ends are kept as they were.
    pub text: String,
    /// The encoding the bytes were read in.
    pub encoding: Encoding,
    /// Some bytes were not valid in that encoding and became U+FFFD (a truncated UTF-16 file,
    /// a UTF-8 BOM followed by bytes of another encoding). The caller should warn: text was lost.
    pub lossy: bool,
}

/// Decodes the bytes of a file and normalises the text to NFC.
///
/// A byte order mark decides (EF BB BF → UTF-8, FF FE → UTF-16LE, FE FF → UTF-16BE) and is
/// removed. Without one: bytes shaped like UTF-16 (a zero byte in most code units, which ASCII
/// characters give) are UTF-16; else valid UTF-8 is UTF-8; else the bytes are Windows-1258,
/// which maps every byte, so decoding never fails.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (text, encoding, lossy) = decode_borrowed(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        lossy,
    }
}

/// [`decode`] without a copy when the bytes are UTF-8 in NFC already (what most exports are):
/// the text borrowed from `bytes`, the encoding and whether bytes were lost.
pub fn decode_borrowed(bytes: &[u8]) -> (Cow<'_, str>, Encoding, bool) {
    let (text, encoding, lossy) = decode_raw(bytes);
    let text = match nfc(&text) {
        Cow::Owned(normalised) => Cow::Owned(normalised),
        Cow::Borrowed(_) => text,
    };
    (text, encoding, lossy)
}

/// The bytes as text in the encoding found, not yet in NFC.
fn decode_raw(bytes: &[u8]) -> (Cow<'_, str>, Encoding, bool) {
    let (text, encoding, lossy): (Cow<'_, str>, Encoding, bool) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            let (text, lossy) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
            (text, Encoding::Utf8Bom, lossy)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            let (text, lossy) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
            (text, Encoding::Utf16Le, lossy)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            let (text, lossy) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
            (text, Encoding::Utf16Be, lossy)
        } else if let Some(encoding) = utf16_without_bom(bytes) {
            let codec = match encoding {
                Encoding::Utf16Be => encoding_rs::UTF_16BE,
                _ => encoding_rs::UTF_16LE,
            };
            let (text, lossy) = codec.decode_without_bom_handling(bytes);
            (text, encoding, lossy)
        } else if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            (Cow::Borrowed(text), Encoding::Utf8, false)
        } else if truncated_utf8(bytes) {
            (String::from_utf8_lossy(bytes), Encoding::Utf8, true)
        } else {
            let (text, lossy) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
            (text, Encoding::Windows1258, lossy)
        };
    (text, encoding, lossy)
}

/// The bytes as text in the encoding found, and whether the text is surely NFC whatever piece
/// of it is taken ([`crate::text::surely_nfc`]; what [`Rows::with_nfc`] wants to know). A text
/// that is not is left as it is: [`Rows`] puts the cells that need it in NFC, one by one, on
/// the reading thread (a file with some NFD text took three times as long when all of it went
/// through the normaliser first, character by character).
pub fn decode_for_rows(bytes: &[u8]) -> (Cow<'_, str>, Encoding, bool, bool) {
    let (text, encoding, lossy) = decode_raw(bytes);
    let surely = surely_nfc(&text);
    (text, encoding, lossy, surely)
}

/// [`crate::text::surely_nfc`] of a big text, its two halves at once (cut at a line end: the
/// test looks at each character alone, so the halves say what the whole would).
fn surely_nfc(text: &str) -> bool {
    const BIG: usize = 1 << 20;
    let half = text.len() / 2;
    match memchr::memchr(b'\n', &text.as_bytes()[half..]) {
        Some(at) if text.len() >= BIG => {
            let (first, second) = text.split_at(half + at);
            let (a, b) = crate::par::join(
                || crate::text::surely_nfc(first),
                || crate::text::surely_nfc(second),
            );
            a && b
        }
        _ => crate::text::surely_nfc(text),
    }
}

/// UTF-8 cut inside its last character (a copy that stopped short): valid up to the last few
/// bytes, which start a sequence that never ends. Read as UTF-8 with the tail replaced, rather
/// than the whole file as Windows-1258 gibberish.
fn truncated_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => false,
        Err(e) => e.error_len().is_none() && e.valid_up_to() > 0,
    }
}

/// UTF-16 without a byte order mark: in a CSV most characters are ASCII (digits, separators,
/// line ends, the base letters of Vietnamese words), whose high byte is zero. Windows-1258 and
/// UTF-8 text never contain zero bytes, so a zero in at least a quarter of the code units, on
/// one side only, is UTF-16. This is checked before UTF-8 because zero bytes are valid UTF-8:
/// an all-ASCII UTF-16 file (codes, dates, `MaHoSo`) would otherwise pass as UTF-8.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let units = bytes.len() / 2;
    // No zero byte at all (every text file but UTF-16): found at memory speed.
    if units == 0 || memchr::memchr(0, bytes).is_none() {
        return None;
    }
    let (mut low_zero, mut high_zero) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        low_zero += usize::from(pair[0] == 0);
        high_zero += usize::from(pair[1] == 0);
    }
    if high_zero * 4 >= units && low_zero * 4 <= high_zero {
        Some(Encoding::Utf16Le)
    } else if low_zero * 4 >= units && high_zero * 4 <= low_zero {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The separators a file may use, in the order that breaks ties.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The separator of a CSV text: whichever of `,`, `;` and tab occurs most often in the header
/// line (the first line that is not blank), outside double-quoted cells.
///
/// A tie goes to `,`, or to `;` over a tab when `,` is not among the tied; no separator at all
/// (a one-column file) gives `,`. Only the header is looked at because data cells carry commas
/// (decimal numbers, addresses) that would outvote a `;` separator.
pub fn sniff_delimiter(text: &str) -> u8 {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    // The header line: the line of the first character that is not blank.
    let blank = |b: &u8| matches!(b, b'\n' | b'\r' | b' ' | b'\t');
    let first = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let start = bytes[..first]
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))
        .map_or(0, |i| i + 1);
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut field_start = true;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if in_quotes {
            if b == b'"' {
                if bytes.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        match b {
            b'\n' | b'\r' => break,
            b'"' if field_start => in_quotes = true,
            _ => {
                if let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[k] += 1;
                    field_start = true;
                    continue;
                }
            }
        }
        field_start = false;
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return b',';
    }
    // The first of DELIMITERS reaching the maximum: `,` wins ties, then `;`.
    DELIMITERS[counts.iter().position(|&c| c == best).unwrap_or(0)]
}

/// A CSV file read into cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The first row that has a non-empty cell, trimmed.
    pub header: Vec<String>,
    /// The other rows that have a non-empty cell: the 1-based line the row starts on in the
    /// source, and its cells, trimmed and in NFC. Rows keep their own length, which may differ
    /// from the header's (the caller reports such rows with their line).
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Why a text could not be read as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// The 1-based line of the problem.
    pub line: u64,
    /// The 1-based column (in characters) on that line, when known.
    pub column: Option<u64>,
    /// What is wrong.
    pub problem: TableProblem,
}

/// What is wrong with a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableProblem {
    /// No cell anywhere: no header row.
    Empty,
    /// A double-quoted cell opens at `line`/`column` and is never closed.
    UnterminatedQuote,
    /// The CSV reader failed (its message).
    Csv(String),
}

impl TableError {
    /// The finding's code and message (the line and column are the caller's to place).
    pub fn message(&self) -> (Code, Msg) {
        match &self.problem {
            TableProblem::Empty => (Code::NoHeader, Msg::NoHeader),
            TableProblem::UnterminatedQuote => (Code::CsvSyntax, Msg::UnterminatedQuote),
            TableProblem::Csv(detail) => (
                Code::CsvSyntax,
                Msg::Io {
                    detail: detail.clone(),
                },
            ),
        }
    }
}

/// In English, for a library caller; `import` prints [`TableError::message`] in the user's
/// language.
impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message().1.render(Lang::En))
    }
}

impl std::error::Error for TableError {}

/// Reads a decoded CSV text into a [`Table`]: [`Rows`], each row kept.
///
/// The separator is [`sniff_delimiter`]'s; line ends may be LF, CRLF or CR. Cells are trimmed
/// (Unicode whitespace, so the no-break spaces of Excel too) and put in NFC. Rows whose cells are
/// all empty (Excel leaves `;;;;` lines behind) are skipped, before the header too. Ragged rows
/// are kept as they are.
pub fn read_table(text: &str) -> Result<Table, TableError> {
    let mut rows = Rows::new(text)?;
    let mut table = Table {
        header: rows.header().to_vec(),
        rows: Vec::new(),
    };
    while let Some(row) = rows.next_row()? {
        let cells = (0..row.len()).map(|i| row.cell(i).to_string()).collect();
        table.rows.push((row.line(), cells));
    }
    Ok(table)
}

/// The rows of a decoded CSV text, one at a time, in one buffer reused from row to row: what
/// [`read_table`] keeps, without keeping it (`import` of a million rows holds one row at a time).
///
/// A line without a quote is split at its separators directly (what most lines of an export
/// are); any other record is parsed by `csv-core`, the state machine under the csv crate, with
/// the csv crate's default settings: the cells are the csv crate's cells whatever the input (a
/// test compares them on generated text). Cells borrow from the text when it is surely NFC
/// ([`crate::text::surely_nfc`]: then every piece of it is too), else are put in NFC one by one.
///
/// The csv crate reads a cell whose quote is never closed to the end of the file without
/// complaint, swallowing every row after it; that is an error here ([`Rows::new`]), at the line
/// and column of the opening quote, before any row is read.
pub struct Rows<'t> {
    text: &'t str,
    delimiter: u8,
    /// Where the unread text starts.
    pos: usize,
    core: csv_core::Reader,
    /// The cells `core` unescaped, and where each ends.
    scratch: Vec<u8>,
    scratch_ends: Vec<usize>,
    /// The text is in NFC whatever piece of it is taken.
    nfc: bool,
    lines: LineCounter,
    header: Vec<String>,
    header_line: u64,
    /// The current row's cells: byte ranges in the text (`in_text`) or in `cells`.
    cells: String,
    ranges: Vec<(usize, usize)>,
    in_text: bool,
    line: u64,
}

/// One row of [`Rows`]: its cells, trimmed and in NFC, and the line it starts on.
pub struct Row<'r> {
    base: &'r str,
    ranges: &'r [(usize, usize)],
    line: u64,
}

impl Row<'_> {
    /// The 1-based line of the source the row starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// How many cells the row has (it may differ from the header's count).
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether the row has no cell (never, for a row [`Rows`] gives).
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The `i`th cell (0-based); empty past the last.
    pub fn cell(&self, i: usize) -> &str {
        self.ranges
            .get(i)
            .and_then(|&(start, end)| self.base.get(start..end))
            .unwrap_or_default()
    }
}

impl<'t> Rows<'t> {
    /// Starts reading `text`: finds the separator and reads the header (the first row with a
    /// non-empty cell). An unclosed quote anywhere, or no header, is an error.
    pub fn new(text: &'t str) -> Result<Rows<'t>, TableError> {
        Rows::with_nfc(text, crate::text::surely_nfc(text))
    }

    /// [`Rows::new`] for a text known to be surely NFC or not ([`decode_for_rows`]).
    pub fn with_nfc(text: &'t str, surely_nfc: bool) -> Result<Rows<'t>, TableError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let delimiter = sniff_delimiter(text);
        if let Some(at) = crate::records::unterminated_quote(text.as_bytes(), delimiter) {
            let (line, column) = line_column(text, at);
            return Err(TableError {
                line,
                column: Some(column),
                problem: TableProblem::UnterminatedQuote,
            });
        }
        // Configured here rather than through `records::csv_reader`, which has no separator:
        // the records under `records/` are always comma-separated, imports are not.
        let core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut rows = Rows {
            text,
            delimiter,
            pos: 0,
            core,
            scratch: vec![0; 1024],
            scratch_ends: vec![0; 64],
            nfc: surely_nfc,
            lines: LineCounter::default(),
            header: Vec::new(),
            header_line: 1,
            cells: String::new(),
            ranges: Vec::new(),
            in_text: false,
            line: 0,
        };
        if !rows.advance()? {
            return Err(TableError {
                line: 1,
                column: None,
                problem: TableProblem::Empty,
            });
        }
        rows.header = (0..rows.ranges.len())
            .map(|i| rows.current().cell(i).to_string())
            .collect();
        rows.header_line = rows.line;
        Ok(rows)
    }

    /// The header's cells, trimmed and in NFC.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The 1-based line the header starts on.
    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    /// The next row with a non-empty cell, `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, TableError> {
        Ok(if self.advance()? {
            Some(self.current())
        } else {
            None
        })
    }

    fn current(&self) -> Row<'_> {
        Row {
            base: if self.in_text { self.text } else { &self.cells },
            ranges: &self.ranges,
            line: self.line,
        }
    }

    /// Reads the next record with a non-empty cell; `false` at the end.
    fn advance(&mut self) -> Result<bool, TableError> {
        let bytes = self.text.as_bytes();
        loop {
            // Blank lines (and the `\n` of a `\r\n`) are no record.
            while self.pos < bytes.len() && matches!(bytes[self.pos], b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.pos >= bytes.len() {
                return Ok(false);
            }
            let start = self.pos;
            let end =
                memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            self.ranges.clear();
            if memchr::memchr(b'"', &bytes[start..end]).is_none() {
                // No quote: the cells are what lies between the separators.
                let mut cell = start;
                for at in memchr::memchr_iter(self.delimiter, &bytes[start..end]) {
                    self.ranges.push((cell, start + at));
                    cell = start + at + 1;
                }
                self.ranges.push((cell, end));
                self.pos = end;
                self.in_text = true;
            } else {
                self.parse_quoted(start)?;
                self.in_text = false;
            }
            self.finish_cells();
            // Rows whose cells are all empty (Excel leaves `;;;;` lines behind) carry nothing.
            if self.ranges.iter().all(|&(a, b)| a == b) {
                continue;
            }
            self.line = self.lines.line(self.text, start);
            return Ok(true);
        }
    }

    /// Parses the record at `start` with `csv-core` into `cells`, and the cells' ranges in it.
    fn parse_quoted(&mut self, start: usize) -> Result<(), TableError> {
        use csv_core::ReadRecordResult as R;
        let bytes = self.text.as_bytes();
        let (mut at, mut out, mut ends) = (start, 0, 0);
        loop {
            // An empty input tells `csv-core` the text has ended (which ends the record).
            let input = &bytes[at..];
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.scratch[out..],
                &mut self.scratch_ends[ends..],
            );
            at += nin;
            out += nout;
            ends += nend;
            match result {
                R::InputEmpty if input.is_empty() => break,
                R::InputEmpty => {}
                R::OutputFull => self.scratch.resize(self.scratch.len() * 2, 0),
                R::OutputEndsFull => self.scratch_ends.resize(self.scratch_ends.len() * 2, 0),
                R::Record | R::End => break,
            }
        }
        self.pos = at;
        // The cells are the text's bytes less quotes: UTF-8 still.
        let text = std::str::from_utf8(&self.scratch[..out]).map_err(|e| TableError {
            line: self.lines.line(self.text, start),
            column: None,
            problem: TableProblem::Csv(e.to_string()),
        })?;
        self.cells.clear();
        self.cells.push_str(text);
        let mut cell = 0;
        for &end in &self.scratch_ends[..ends] {
            self.ranges.push((cell, end));
            cell = end;
        }
        Ok(())
    }

    /// Trims the current row's cells, and puts them in NFC unless the text surely is: when a
    /// cell must change, every cell goes to the row's own buffer.
    fn finish_cells(&mut self) {
        let base: &str = if self.in_text { self.text } else { &self.cells };
        for range in &mut self.ranges {
            let cell = &base[range.0..range.1];
            let trimmed = crate::text::trim(cell);
            if trimmed.len() != cell.len() {
                let lead = cell.len() - cell.trim_start().len();
                *range = (range.0 + lead, range.0 + lead + trimmed.len());
            }
        }
        if self.nfc || (self.ranges.iter()).all(|&(a, b)| crate::text::surely_nfc(&base[a..b])) {
            return;
        }
        let mut cells = String::new();
        for range in &mut self.ranges {
            let cell = &base[range.0..range.1];
            let start = cells.len();
            cells.push_str(&nfc(cell));
            *range = (start, cells.len());
        }
        self.cells = cells;
        self.in_text = false;
    }
}

/// Turns the byte offsets of records, met in increasing order, into 1-based lines, counting
/// line ends only once over the text. A line ends at `\n`, `\r\n` or a lone `\r` (old Mac
/// files), as the `csv` crate ends records, so that lines stay right whatever the line ends (the
/// crate itself counts `\n` only).
#[derive(Default)]
struct LineCounter {
    /// Bytes before `at` are counted: `line` line starts among them (the text's start too).
    at: usize,
    line: u64,
}

impl LineCounter {
    /// The 1-based line holding the byte at `at` (not before the last one asked for).
    fn line(&mut self, text: &str, at: usize) -> u64 {
        let bytes = text.as_bytes();
        if self.line == 0 {
            self.line = 1;
        }
        let at = at.max(self.at);
        // A line starts after each `\n`, and after each `\r` not followed by `\n`.
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.at..at]) {
            let i = self.at + i;
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                self.line += 1;
            }
        }
        self.at = at;
        self.line
    }
}

/// The 1-based line and character column of the byte at `at` (for an error: counted once).
fn line_column(text: &str, at: usize) -> (u64, u64) {
    let line = LineCounter::default().line(text, at);
    let bytes = &text.as_bytes()[..at];
    let start = bytes
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let column = text.get(start..at).map_or(0, |s| s.chars().count() as u64);
    (line, column + 1)
}

/// Columns ignored on purpose, for every kind: row numbers, signatures, and the citizen's
/// personal data, which stays in the one-stop system.
const IGNORED: &[&str] = &[
    "STT",
    "TT",
    "Số TT",
    "Số thứ tự",
    "Ký nhận",
    "Ký tên",
    "Chủ hồ sơ",
    "Tên chủ hồ sơ",
    "ChuHoSo",
    "Tên tổ chức, cá nhân",
    "Tên cá nhân, tổ chức",
    "Tổ chức, cá nhân",
    "Người nộp",
    "Người nộp hồ sơ",
    "NguoiNop",
    "Địa chỉ",
    "Địa chỉ chủ hồ sơ",
    "Địa chỉ, số điện thoại",
    "DiaChi",
    "Số điện thoại",
    "Điện thoại",
    "SoDienThoai",
    "Email",
    "Số CMND",
    "Số CCCD",
    "Số định danh",
];

/// The headers ignored on purpose for `kind`: those of every kind, then the kind's own.
fn ignored_headers(kind: Kind) -> impl Iterator<Item = &'static str> {
    IGNORED.iter().chain(kind.spec().ignored).copied()
}

/// Vietnamese headers of `kind`: (header as written, our column).
fn vietnamese_headers(kind: Kind) -> &'static [(&'static str, &'static str)] {
    kind.spec().headers
}

/// The comparison key of a header: [`fold`] (no case, no diacritics, `đ` as `d`), then letters
/// and digits only, so "Ngày  tiếp nhận:", "ngay tiep nhan" and "NgayTiepNhan" agree, and so do
/// "late_reason" and "Late reason".
fn key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A problem with a source header, at a 1-based source column when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    /// The 1-based column of the source header; `None` for a column missing from the header or
    /// a `--map` pair that names no source column.
    pub column: Option<u64>,
    /// What is wrong.
    pub problem: HeaderProblem,
}

/// What is wrong with a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// A header that is none of ours, not a known Vietnamese header and not ignored on purpose.
    Unknown { header: String, kind: Kind },
    /// A second source column for a column already given by the source column `first`.
    Duplicate {
        header: String,
        column: &'static str,
        first: u64,
    },
    /// A required column of the kind that no source column gives.
    Missing { column: &'static str },
    /// A `--map` pair whose target is not a column of the kind.
    BadTarget {
        source: String,
        target: String,
        kind: Kind,
    },
}

fn column_list(kind: Kind) -> String {
    kind.columns()
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl HeaderError {
    /// The finding's code and message (the place is the caller's: the source file, the header's
    /// line and [`HeaderError::column`]).
    pub fn message(&self) -> (Code, Msg) {
        match &self.problem {
            HeaderProblem::Unknown { header, kind } => (
                Code::UnknownColumn,
                Msg::ImportUnknownHeader {
                    header: header.clone(),
                    kind: kind.name(),
                    columns: column_list(*kind),
                },
            ),
            HeaderProblem::Duplicate {
                header,
                column,
                first,
            } => (
                Code::DuplicateColumn,
                Msg::ImportDuplicateHeader {
                    header: header.clone(),
                    column,
                    first: *first,
                },
            ),
            HeaderProblem::Missing { column } => {
                (Code::MissingColumn, Msg::MissingColumn { name: column })
            }
            HeaderProblem::BadTarget {
                source,
                target,
                kind,
            } => (
                Code::BadValue,
                Msg::ImportBadTarget {
                    source: source.clone(),
                    target: target.clone(),
                    kind: kind.name(),
                    columns: column_list(*kind),
                },
            ),
        }
    }
}

/// In English, for a library caller; `import` prints [`HeaderError::message`] in the user's
/// language.
impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(column) = self.column {
            write!(f, "column {column}: ")?;
        }
        f.write_str(&self.message().1.render(Lang::En))
    }
}

impl std::error::Error for HeaderError {}

/// Maps a source header to our columns of `kind`: for each source column, the name of our
/// column (`Some("received")`) or `None` when it is ignored.
///
/// A source header is matched, in this order, against:
/// 1. `custom` pairs (source header, our column), from `--map "Ngày nhận=received"`; an empty
///    target (`--map "Cột X="`) ignores that column;
/// 2. our column names ("received", "late_reason", any case);
/// 3. the Vietnamese headers of the one-stop book and of province exports ("Ngày tiếp nhận",
///    "NgayTiepNhan"), then the columns ignored on purpose ("STT", the citizen's name, address
///    and phone).
///
/// Headers are compared without case, diacritics, spacing or punctuation. An empty header cell
/// (Excel's trailing empty columns) is ignored.
///
/// Every problem is returned, sorted by source column: an unknown header, two source columns
/// giving the same column, a required column of the kind missing, a `--map` target that is not
/// a column of the kind.
pub fn map_header(
    kind: Kind,
    header: &[String],
    custom: &[(String, String)],
) -> Result<Vec<Option<&'static str>>, Vec<HeaderError>> {
    let columns = kind.columns();
    let mut errors = Vec::new();

    // Resolve the custom pairs once: (source key, Some(our column) | None to ignore). A pair
    // with a bad target keeps its source so that the column gets that one error, not two.
    let mut custom_keys: Vec<(String, Option<&'static str>)> = Vec::new();
    let mut bad_sources: Vec<String> = Vec::new();
    for (source, target) in custom {
        let target_key = key(target);
        let resolved = if target.trim().is_empty() {
            Some(None)
        } else {
            columns
                .iter()
                .find(|c| key(c.name) == target_key)
                .map(|c| Some(c.name))
        };
        match resolved {
            Some(resolved) => custom_keys.push((key(source), resolved)),
            None => {
                let source_key = key(source);
                bad_sources.push(source_key.clone());
                let column = header
                    .iter()
                    .position(|h| key(h) == source_key)
                    .map(|i| i as u64 + 1);
                errors.push(HeaderError {
                    column,
                    problem: HeaderProblem::BadTarget {
                        source: source.trim().to_string(),
                        target: target.trim().to_string(),
                        kind,
                    },
                });
            }
        }
    }

    let vietnamese = vietnamese_headers(kind);
    let mut mapped: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    // For each of our columns, the 1-based source column that gives it.
    let mut given: Vec<Option<u64>> = vec![None; columns.len()];
    for (i, raw) in header.iter().enumerate() {
        let at = i as u64 + 1;
        let name = raw.trim();
        if name.is_empty() {
            mapped.push(None);
            continue;
        }
        let k = key(name);
        if bad_sources.contains(&k) {
            mapped.push(None);
            continue;
        }
        let target: Option<Option<&'static str>> = custom_keys
            .iter()
            .find(|(source, _)| *source == k)
            .map(|(_, target)| *target)
            .or_else(|| {
                columns
                    .iter()
                    .find(|c| key(c.name) == k)
                    .map(|c| Some(c.name))
            })
            .or_else(|| {
                vietnamese
                    .iter()
                    .find(|(vi, _)| key(vi) == k)
                    .map(|(_, ours)| Some(*ours))
            })
            .or_else(|| ignored_headers(kind).any(|h| key(h) == k).then_some(None));
        let Some(target) = target else {
            errors.push(HeaderError {
                column: Some(at),
                problem: HeaderProblem::Unknown {
                    header: name.to_string(),
                    kind,
                },
            });
            mapped.push(None);
            continue;
        };
        // Resolve to the schema's own &'static str (and check the table's targets exist).
        let slot = target.and_then(|t| columns.iter().position(|c| c.name == t));
        if let Some(slot) = slot {
            if let Some(first) = given[slot] {
                errors.push(HeaderError {
                    column: Some(at),
                    problem: HeaderProblem::Duplicate {
                        header: name.to_string(),
                        column: columns[slot].name,
                        first,
                    },
                });
                mapped.push(None);
                continue;
            }
            given[slot] = Some(at);
        }
        mapped.push(slot.map(|s| columns[s].name));
    }

    for (column, given) in columns.iter().zip(&given) {
        if column.required && given.is_none() {
            errors.push(HeaderError {
                column: None,
                problem: HeaderProblem::Missing {
                    column: column.name,
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(mapped)
    } else {
        // Source columns first, in order; then what has no source column.
        errors.sort_by_key(|e| e.column.unwrap_or(u64::MAX));
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    const HEADER: [&str; 6] = [
        "Mã hồ sơ",
        "Tên thủ tục",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Cán bộ xử lý",
        "Ghi chú",
    ];

    const ROWS: [[&str; 6]; 3] = [
        [
            "H56.22-210305-0001",
            "Đăng ký khai sinh",
            "05/03/2021",
            "05/03/2021",
            "Lê Thị Hòa",
            "",
        ],
        [
            "H56.22-210308-0002",
            "Chứng thực bản sao",
            "08/03/2021",
            "09/03/2021",
            "Trần Văn Thủy",
            "Trả qua bưu điện, đã ký nhận",
        ],
        [
            "H56.22-210310-0003",
            "Đăng ký kết hôn",
            "10/03/2021",
            "15/03/2021",
            "Lê Thị Hòa",
            "Hẹn lại 17/03/2021",
        ],
    ];

    fn expected() -> Table {
        Table {
            header: HEADER.iter().map(|s| s.to_string()).collect(),
            rows: ROWS
                .iter()
                .enumerate()
                .map(|(i, row)| (i as u64 + 2, row.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    /// The fixture as CSV text, written by the csv crate (quoting only where needed).
    fn csv_text(delimiter: u8, terminator: csv::Terminator) -> String {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(terminator)
            .from_writer(Vec::new());
        w.write_record(HEADER).unwrap();
        for row in ROWS {
            w.write_record(row).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// The text as Windows writes it in code page 1258: base letters keep their circumflex,
    /// breve and horn (â, ă, ơ…), tone marks become separate combining characters.
    fn cp1258_form(text: &str) -> String {
        const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let mut out = String::new();
        let mut cluster = String::new();
        let mut tones = String::new();
        for c in text.nfd() {
            if TONES.contains(&c) {
                tones.push(c);
            } else if ('\u{300}'..='\u{36f}').contains(&c) {
                cluster.push(c);
            } else {
                out.extend(cluster.nfc());
                out.push_str(&tones);
                cluster.clear();
                tones.clear();
                cluster.push(c);
            }
        }
        out.extend(cluster.nfc());
        out.push_str(&tones);
        out
    }

    /// The fixture in Windows-1258, `;`-separated, CRLF, written byte by byte: tone marks as
    /// combining bytes (0xCC grave, 0xEC acute, 0xD2 hook, 0xDE tilde, 0xF2 dot below) after
    /// their vowel, precomposed letters where the code page has them (à 0xE0, á 0xE1, ú 0xFA,
    /// â 0xE2, ă 0xE3, ê 0xEA, ô 0xF4, ơ 0xF5, ư 0xFD, Đ 0xD0, đ 0xF0).
    const CP1258_BY_HAND: &[u8] = b"Ma\xDE h\xF4\xCC s\xF5;T\xEAn thu\xD2 tu\xF2c;\
Ng\xE0y ti\xEA\xECp nh\xE2\xF2n;Ng\xE0y he\xF2n tra\xD2;C\xE1n b\xF4\xF2 x\xFD\xD2 ly\xEC;Ghi ch\xFA\r\n\
H56.22-210305-0001;\xD0\xE3ng ky\xEC khai sinh;05/03/2021;05/03/2021;L\xEA Thi\xF2 Ho\xCCa;\r\n\
H56.22-210308-0002;Ch\xFD\xECng th\xFD\xF2c ba\xD2n sao;08/03/2021;09/03/2021;\
Tr\xE2\xCCn V\xE3n Thu\xD2y;Tra\xD2 qua b\xFDu \xF0i\xEA\xF2n, \xF0a\xDE ky\xEC nh\xE2\xF2n\r\n\
H56.22-210310-0003;\xD0\xE3ng ky\xEC k\xEA\xECt h\xF4n;10/03/2021;15/03/2021;\
L\xEA Thi\xF2 Ho\xCCa;He\xF2n la\xF2i 17/03/2021\r\n";

    fn table_of(bytes: &[u8], encoding: Encoding) -> Table {
        let decoded = decode(bytes);
        assert_eq!(decoded.encoding, encoding);
        assert!(!decoded.lossy);
        assert!(
            matches!(nfc(&decoded.text), Cow::Borrowed(_)),
            "decode gives NFC"
        );
        read_table(&decoded.text).unwrap()
    }

    #[test]
    fn every_encoding_gives_the_same_table() {
        let crlf = csv::Terminator::CRLF;
        let lf = csv::Terminator::Any(b'\n');

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(csv_text(b';', crlf).as_bytes());
        assert_eq!(table_of(&bom, Encoding::Utf8Bom), expected());

        let plain = csv_text(b',', lf);
        assert!(plain.contains("\"Trả qua bưu điện, đã ký nhận\""));
        assert_eq!(table_of(plain.as_bytes(), Encoding::Utf8), expected());

        // NFC text has no Windows-1258 byte for ò, ủ, ý…: encoding_rs would write "&#242;".
        let (_, _, unmappable) = encoding_rs::WINDOWS_1258.encode("Hòa");
        assert!(unmappable);
        let cp1258_text = cp1258_form(&csv_text(b';', crlf));
        assert!(cp1258_text.contains("Ho\u{300}a") && cp1258_text.contains("Thu\u{309}y"));
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&cp1258_text);
        assert!(!unmappable);
        assert_eq!(table_of(&encoded, Encoding::Windows1258), expected());
        assert_eq!(table_of(CP1258_BY_HAND, Encoding::Windows1258), expected());

        let tsv = csv_text(b'\t', crlf);
        let mut utf16 = b"\xFF\xFE".to_vec();
        utf16.extend(utf16le(&tsv));
        assert_eq!(table_of(&utf16, Encoding::Utf16Le), expected());
        assert_eq!(table_of(&utf16le(&tsv), Encoding::Utf16Le), expected());

        let nfd: String = csv_text(b',', lf).nfd().collect();
        assert_ne!(nfd, csv_text(b',', lf));
        assert_eq!(table_of(nfd.as_bytes(), Encoding::Utf8), expected());
    }

    #[test]
    fn decode_strips_boms_and_keeps_line_ends() {
        let d = decode(b"\xEF\xBB\xBFa;b\r\n1;2\r\n");
        assert_eq!(d.text, "a;b\r\n1;2\r\n");
        assert_eq!(d.encoding, Encoding::Utf8Bom);

        let mut be = b"\xFE\xFF".to_vec();
        be.extend("Hòa\n".encode_utf16().flat_map(u16::to_be_bytes));
        let d = decode(&be);
        assert_eq!((d.text.as_str(), d.encoding), ("Hòa\n", Encoding::Utf16Be));

        // UTF-16LE without a BOM and only ASCII is valid UTF-8 (NUL bytes), yet UTF-16.
        let d = decode(&utf16le("MaHoSo\tNgayTiepNhan\r\n"));
        assert_eq!(d.text, "MaHoSo\tNgayTiepNhan\r\n");
        assert_eq!(d.encoding, Encoding::Utf16Le);

        let d = decode(b"");
        assert_eq!((d.text.as_str(), d.encoding), ("", Encoding::Utf8));
    }

    #[test]
    fn decode_reports_lost_bytes() {
        // A UTF-8 BOM followed by Windows-1258 bytes, and a UTF-16 file cut in the middle.
        let d = decode(b"\xEF\xBB\xBFHo\xCCa");
        assert!(d.lossy);
        assert_eq!(d.text, "Ho\u{FFFD}a");
        assert!(decode(b"\xFF\xFEa\x00b").lossy);
        assert!(!decode("Hòa".as_bytes()).lossy);
        // UTF-8 cut inside its last character stays UTF-8.
        let cut = &"Mã hồ sơ,Hòa".as_bytes()[..15];
        let d = decode(cut);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.lossy),
            ("Mã hồ sơ,H\u{FFFD}", Encoding::Utf8, true)
        );
    }

    #[test]
    fn cp1258_tones_compose_to_nfc() {
        let d = decode(b"Ho\xCCa Thu\xD2y \xD0\xE3ng ky\xEC Ma\xDE Thi\xF2");
        assert_eq!(d.encoding, Encoding::Windows1258);
        assert_eq!(d.text, "Hòa Thủy Đăng ký Mã Thị");
        assert_eq!(d.text, nfc(&d.text));
    }

    #[test]
    fn sniffing_looks_at_the_header_only_and_outside_quotes() {
        let text = "\"Tên tổ chức, cá nhân\";\"Địa chỉ, số điện thoại\";Mã hồ sơ\n\
                    \"Nguyễn Văn A, B\";1,5;H56\n";
        assert_eq!(sniff_delimiter(text), b';');
        // Commas in the data rows do not count.
        assert_eq!(sniff_delimiter("a;b;c\n1,5,2,5,3,5,4\n"), b';');
        assert_eq!(sniff_delimiter("Mã hồ sơ\tNgày nhận\tGhi chú\r\n"), b'\t');
        assert_eq!(sniff_delimiter("\r\n\n  \na,b\tc\n"), b',');
        // Ties go to ',', then ';'; nothing gives ','.
        assert_eq!(sniff_delimiter("a,b;c\n"), b',');
        assert_eq!(sniff_delimiter("a;b\tc\n"), b';');
        assert_eq!(sniff_delimiter("Mã hồ sơ\n"), b',');
        assert_eq!(sniff_delimiter(""), b',');
        // A header cell spanning lines inside quotes is still the header.
        assert_eq!(sniff_delimiter("\"Ghi\nchú\";a;b\nx,y,z,w\n"), b';');
        // A quote inside a cell is an ordinary character.
        assert_eq!(sniff_delimiter("Số \"A\";b;c,d\n"), b';');
    }

    #[test]
    fn rows_keep_their_source_lines() {
        let text = "\n\n;;;\nMã hồ sơ;Ghi chú\n\nA1;\"hai\ndòng\"\n ; \nA2;x\r\n\r\nA3;y";
        let t = read_table(text).unwrap();
        assert_eq!(t.header, ["Mã hồ sơ", "Ghi chú"]);
        let lines: Vec<u64> = t.rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [6, 9, 11]);
        assert_eq!(t.rows[0].1, ["A1", "hai\ndòng"]);

        // Old Mac line ends.
        let t = read_table("a,b\r1,2\r\r3,4\r").unwrap();
        assert_eq!(
            t.rows,
            [
                (2, vec!["1".into(), "2".into()]),
                (4, vec!["3".into(), "4".into()])
            ]
        );
    }

    #[test]
    fn ragged_rows_are_kept_and_cells_trimmed() {
        let t = read_table("a,b,c\n 1 ,\u{a0}2\u{a0}\n1,2,3,4\n\" q \",,\n").unwrap();
        assert_eq!(
            t.rows,
            [
                (2, vec!["1".to_string(), "2".to_string()]),
                (3, vec!["1".into(), "2".into(), "3".into(), "4".into()]),
                (4, vec!["q".into(), "".into(), "".into()]),
            ]
        );
    }

    #[test]
    fn empty_text_has_no_header() {
        for text in ["", "\n\r\n", ",,,\n , ,\n", ";;\r\n", "\u{feff}"] {
            let err = read_table(text).unwrap_err();
            assert_eq!(err.problem, TableProblem::Empty, "{text:?}");
        }
        let t = read_table("id\n").unwrap();
        assert_eq!((t.header.len(), t.rows.len()), (1, 0));
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_its_line() {
        let text = "Mã hồ sơ,Ghi chú\nA1,ok\nA2,\"never closed\nA3,x\nA4,y\n";
        let err = read_table(text).unwrap_err();
        assert_eq!(err.problem, TableProblem::UnterminatedQuote);
        assert_eq!((err.line, err.column), (3, Some(4)));
        assert!(err.to_string().starts_with("line 3, column 4: "));

        // Quotes that close, escaped quotes and quotes inside cells are fine.
        let t = read_table("a;b\r\n\"x \"\"y\"\"\";z\"w\r\n\"\";\"multi\r\nline\"\r\n").unwrap();
        assert_eq!(
            t.rows[0],
            (2, vec!["x \"y\"".to_string(), "z\"w".to_string()])
        );
        assert_eq!(
            t.rows[1],
            (3, vec!["".to_string(), "multi\r\nline".to_string()])
        );

        // With `;` as separator, a quote after a comma is not at the start of a cell.
        let t = read_table("a;b\nx,\"y;z\n").unwrap();
        assert_eq!(t.rows[0].1, ["x,\"y", "z"]);

        // In the header, with a Vietnamese column before it.
        let err = read_table("Ngày;\"Ghi chú\n1;2\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, Some(6)));
    }

    /// A small deterministic generator for byte strings (no extra dependency).
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        // Biased towards the bytes that matter to CSV and encodings.
        let special = b"\"\r\n,;\t\0\xEF\xBB\xBF\xFF\xFE\xCC\xEC\xD2 ";
        for round in 0..2000 {
            let len = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if r.is_multiple_of(3) {
                        special[(r >> 8) as usize % special.len()]
                    } else {
                        (r >> 16) as u8
                    }
                })
                .collect();
            let decoded = decode(&bytes);
            assert_eq!(decoded.text, nfc(&decoded.text), "round {round}");
            let _ = sniff_delimiter(&decoded.text);
            if let Ok(table) = read_table(&decoded.text) {
                let _ = map_header(Kind::Dossiers, &table.header, &[]);
                assert!(table.rows.iter().all(|(line, _)| *line >= 1));
            }
        }
    }

    /// What the csv crate makes of a text (the reader [`Rows`] stands for): header and rows
    /// with their lines, cells trimmed and in NFC, rows of empty cells left out.
    fn csv_crate_table(text: &str) -> Table {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sniff_delimiter(text))
            .from_reader(text.as_bytes());
        // The line of a byte: line starts after `\n` and after a `\r` not followed by `\n`.
        let bytes = text.as_bytes();
        let line_of = |at: usize| {
            1 + (0..at)
                .filter(|&i| {
                    bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                })
                .count() as u64
        };
        let mut table = Table::default();
        let mut header = None;
        for record in reader.records() {
            let record = record.unwrap();
            let cells: Vec<String> = record.iter().map(|c| nfc(c.trim()).into_owned()).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let mut at = record.position().unwrap().byte() as usize;
            while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                at += 1;
            }
            match header {
                None => header = Some(cells),
                Some(_) => table.rows.push((line_of(at), cells)),
            }
        }
        table.header = header.unwrap_or_default();
        table
    }

    #[test]
    fn rows_are_the_csv_crates_cells_on_their_lines() {
        let mut rng = XorShift(0x5EED_CE11);
        let pieces = [
            "a",
            "bc",
            " ",
            "\u{a0}",
            ",",
            ";",
            "\t",
            "\"",
            "\"\"",
            "\n",
            "\r",
            "\r\n",
            "Hòa",
            "o\u{0301}",
            "x y",
        ];
        let mut compared = 0;
        for round in 0..5000 {
            let len = (rng.next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(rng.next() >> 7) as usize % pieces.len()])
                .collect();
            let Ok(ours) = read_table(&text) else {
                continue;
            };
            compared += 1;
            assert_eq!(ours, csv_crate_table(&text), "round {round}: {text:?}");
        }
        assert!(compared > 1000, "{compared}");
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn map(kind: Kind, names: &[&str]) -> Result<Vec<Option<&'static str>>, Vec<HeaderError>> {
        map_header(kind, &strings(names), &[])
    }

    #[test]
    fn the_one_stop_book_maps_to_dossier_columns() {
        let header = [
            "STT",
            "Mã hồ sơ",
            "Tên thủ tục",
            "Lĩnh vực",
            "Chủ hồ sơ",
            "Tên tổ chức, cá nhân",
            "Địa chỉ",
            "Số điện thoại",
            "Ngày tiếp nhận",
            "Ngày hẹn trả kết quả",
            "Ngày trả kết quả",
            "Trạng thái",
            "Cán bộ xử lý",
            "Lý do trễ hạn",
            "Ngày phát hành phiếu xin lỗi",
            "Hẹn lại ngày trả",
            "Ký nhận",
            "Ghi chú",
        ];
        assert_eq!(
            map(Kind::Dossiers, &header).unwrap(),
            [
                None,
                Some("id"),
                Some("procedure"),
                Some("field"),
                None,
                None,
                None,
                None,
                Some("received"),
                Some("due"),
                Some("returned"),
                Some("status"),
                Some("officer"),
                Some("late_reason"),
                Some("apology"),
                Some("rescheduled"),
                None,
                Some("note"),
            ]
        );
        let province = [
            "MaHoSo",
            "TenThuTuc",
            "TenLinhVuc",
            "ChuHoSo",
            "SoDienThoai",
            "NgayTiepNhan",
            "NgayHenTra",
            "NgayKetThucXuLy",
            "CanBoXuLy",
        ];
        assert_eq!(
            map(Kind::Dossiers, &province).unwrap(),
            [
                Some("id"),
                Some("procedure"),
                Some("field"),
                None,
                None,
                Some("received"),
                Some("due"),
                Some("returned"),
                Some("officer"),
            ]
        );
        let brief = [
            "Số hồ sơ",
            "Thủ tục hành chính",
            "Ngày nhận",
            "Hạn xử lý",
            "Ngày kết thúc",
            "Tình trạng",
            "Lý do quá hạn",
            "Phiếu xin lỗi",
            "Ngày hẹn lại",
        ];
        assert_eq!(
            map(Kind::Dossiers, &brief).unwrap(),
            [
                Some("id"),
                Some("procedure"),
                Some("received"),
                Some("due"),
                Some("returned"),
                Some("status"),
                Some("late_reason"),
                Some("apology"),
                Some("rescheduled"),
            ]
        );
        // Other books' short headers.
        assert_eq!(
            map(Kind::Dossiers, &["Mã hồ sơ", "Hạn trả", "Cán bộ"]).unwrap(),
            [Some("id"), Some("due"), Some("officer")]
        );
        assert_eq!(
            map(
                Kind::Dossiers,
                &["Số hồ sơ", "Hạn trả kết quả", "Người thụ lý"]
            )
            .unwrap(),
            [Some("id"), Some("due"), Some("officer")]
        );
    }

    #[test]
    fn headers_match_in_any_case_and_without_diacritics() {
        let nfd: String = "Ngày tiếp nhận".nfd().collect();
        for h in [
            "ngay tiep nhan",
            "NGÀY TIẾP NHẬN",
            "  Ngày   tiếp  nhận ",
            "Ngày tiếp nhận:",
            "NgayTiepNhan",
            nfd.as_str(),
        ] {
            assert_eq!(
                map(Kind::Dossiers, &["ma ho so", h]).unwrap(),
                [Some("id"), Some("received")],
                "{h:?}"
            );
        }
        assert_eq!(
            map(
                Kind::Dossiers,
                &["ID", "Received", "LATE_REASON", "Late reason "]
            )
            .unwrap_err()
            .len(),
            1,
            "late_reason twice"
        );
        assert_eq!(
            map(Kind::Dossiers, &["ID", "Received", "late_reason", ""]).unwrap(),
            [Some("id"), Some("received"), Some("late_reason"), None]
        );
    }

    #[test]
    fn every_kind_takes_its_own_column_names_and_vietnamese_headers() {
        for kind in Kind::ALL {
            let names: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
            let mapped = map(kind, &names).unwrap();
            assert_eq!(mapped, names.iter().map(|n| Some(*n)).collect::<Vec<_>>());
        }
        assert_eq!(
            map(
                Kind::Activities,
                &[
                    "Ngày",
                    "Nhiệm vụ",
                    "Loại hoạt động",
                    "Nội dung",
                    "Người thực hiện",
                    "Minh chứng",
                    "Sản phẩm",
                    "Số người tham dự",
                    "Ghi chú"
                ]
            )
            .unwrap(),
            [
                Some("date"),
                Some("task"),
                Some("kind"),
                Some("summary"),
                Some("officers"),
                Some("evidence"),
                Some("deliverable"),
                Some("participants"),
                Some("note"),
            ]
        );
        assert_eq!(
            map(
                Kind::Feedback,
                &[
                    "Ngày",
                    "Kênh",
                    "Mức độ hài lòng",
                    "Nội dung",
                    "Ngày trả lời",
                    "Người phản ánh"
                ]
            )
            .unwrap(),
            [
                Some("date"),
                Some("channel"),
                Some("rating"),
                Some("summary"),
                Some("handled"),
                None,
            ]
        );
        assert_eq!(
            map(
                Kind::Commitments,
                &["Ngày", "Cán bộ", "Nhiệm vụ", "Nội dung cam kết"]
            )
            .unwrap(),
            [
                Some("date"),
                Some("officer"),
                Some("task"),
                Some("commitment")
            ]
        );
        assert_eq!(
            map(
                Kind::Violations,
                &[
                    "Ngày",
                    "Cán bộ",
                    "Nội dung vi phạm",
                    "Hình thức xử lý",
                    "Số quyết định"
                ]
            )
            .unwrap(),
            [
                Some("date"),
                Some("officer"),
                Some("description"),
                Some("action"),
                Some("decision"),
            ]
        );
        assert_eq!(
            map(
                Kind::Commendations,
                &[
                    "Ngày",
                    "Cá nhân, tập thể",
                    "Hình thức khen thưởng",
                    "Thành tích"
                ]
            )
            .unwrap(),
            [
                Some("date"),
                Some("recipient"),
                Some("form"),
                Some("reason")
            ]
        );
    }

    #[test]
    fn the_tables_are_consistent() {
        for kind in Kind::ALL {
            let columns = kind.columns();
            let mut seen: Vec<(String, Option<&str>)> = columns
                .iter()
                .map(|c| (key(c.name), Some(c.name)))
                .collect();
            let aliases = vietnamese_headers(kind).iter().map(|(vi, ours)| {
                assert!(kind.column(ours).is_some(), "{kind:?}: {ours}");
                (key(vi), Some(*ours))
            });
            let ignored = ignored_headers(kind).map(|h| (key(h), None));
            for (k, target) in aliases.chain(ignored).collect::<Vec<_>>() {
                assert!(!k.is_empty());
                if let Some((_, other)) = seen.iter().find(|(s, _)| *s == k) {
                    assert_eq!(*other, target, "{kind:?}: '{k}' is ambiguous");
                }
                seen.push((k, target));
            }
        }
    }

    #[test]
    fn custom_pairs_come_first() {
        let header = strings(&["Mã hồ sơ", "Ngày hẹn trả", "Cột riêng", "Ngày nhận HS"]);
        let custom = [
            ("Ngày hẹn trả".to_string(), "rescheduled".to_string()),
            ("cot rieng".to_string(), "".to_string()),
            ("Ngày nhận HS".to_string(), " Received ".to_string()),
        ];
        assert_eq!(
            map_header(Kind::Dossiers, &header, &custom).unwrap(),
            [Some("id"), Some("rescheduled"), None, Some("received")]
        );

        let bad = [("Ngày nhận HS".to_string(), "recieved".to_string())];
        let errors = map_header(Kind::Dossiers, &header, &bad).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].column, Some(3));
        assert!(matches!(errors[0].problem, HeaderProblem::Unknown { .. }));
        assert_eq!(errors[1].column, Some(4));
        assert!(matches!(
            &errors[1].problem,
            HeaderProblem::BadTarget { target, .. } if target == "recieved"
        ));
    }

    #[test]
    fn an_unknown_header_is_an_error_at_its_column() {
        let errors = map(
            Kind::Dossiers,
            &["Mã hồ sơ", "Ngày tiếp nhận", "Ngày nhận hs"],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, Some(3));
        assert_eq!(
            errors[0].problem,
            HeaderProblem::Unknown {
                header: "Ngày nhận hs".into(),
                kind: Kind::Dossiers
            }
        );
        let message = errors[0].to_string();
        assert!(message.starts_with("column 3: unknown column 'Ngày nhận hs'"));
        assert!(
            message.contains("--map \"Ngày nhận hs=<column>\""),
            "{message}"
        );
        // "Ngày" alone is an activity date, not a dossier column.
        assert!(map(Kind::Dossiers, &["Mã hồ sơ", "Ngày"]).is_err());
    }

    #[test]
    fn two_sources_for_one_column_is_an_error() {
        let errors = map(Kind::Dossiers, &["Mã hồ sơ", "Ngày hẹn trả", "Hạn xử lý"]).unwrap_err();
        assert_eq!(
            errors,
            [HeaderError {
                column: Some(3),
                problem: HeaderProblem::Duplicate {
                    header: "Hạn xử lý".into(),
                    column: "due",
                    first: 2,
                },
            }]
        );
        assert!(errors[0].to_string().contains("--map \"Hạn xử lý=\""));
        // Ignoring one of them resolves it.
        let custom = [("Hạn xử lý".to_string(), String::new())];
        assert_eq!(
            map_header(
                Kind::Dossiers,
                &strings(&["Mã hồ sơ", "Ngày hẹn trả", "Hạn xử lý"]),
                &custom
            )
            .unwrap(),
            [Some("id"), Some("due"), None]
        );
    }

    #[test]
    fn required_columns_must_be_there() {
        let errors = map(Kind::Activities, &["Ngày", "Nhiệm vụ", "Nội dung"]).unwrap_err();
        assert_eq!(
            errors,
            [HeaderError {
                column: None,
                problem: HeaderProblem::Missing { column: "kind" },
            }]
        );
        // Dossiers need only the id; every other column may come later.
        assert!(map(Kind::Dossiers, &["Mã hồ sơ"]).is_ok());
        let errors = map(Kind::Dossiers, &["STT", "Tên thủ tục", "Bogus"]).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].column, Some(3));
        assert_eq!(errors[1].problem, HeaderProblem::Missing { column: "id" });
    }
}
