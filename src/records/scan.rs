//! Splitting a record file into rows, fast, with the csv crate's results and true line numbers.
//!
//! Almost every line of a record file is a whole record with no quote, or with quotes only around
//! whole cells (`a,"b, c",d`): for those the scanner finds the line's end and its commas in one
//! pass, sixteen bytes at a time, and hands out cells that borrow from its read buffer. Any other
//! record (a quote inside a cell, a line break in a quoted cell, a bare `\r`) is parsed by
//! `csv-core`, the state machine under the csv crate, with the same settings as
//! [`super::csv_reader`]: so the cells are the csv crate's cells whatever the input (a generated
//! corpus in the tests checks it). Blank lines are skipped.
//!
//! Each row carries the line its first byte is on, counting every `\n` before it (the csv
//! crate's positions are those of the end of the previous record, which is a line early for
//! files with CRLF line ends, as Excel writes them). A last record that ends inside a quoted
//! cell (the rest of the file was swallowed by a quote never closed) says where that quote is.

use std::io::{self, Read, Seek, SeekFrom};

use memchr::memchr_iter;

/// How much of the file is read at once.
const CHUNK: usize = 256 * 1024;

/// The unit of [`Scanner`]'s clean-byte marks (64 of them cover a [`CHUNK`]).
const BLOCK: usize = 4096;

/// Reads rows from a byte stream.
pub struct Scanner<R> {
    src: R,
    buf: Vec<u8>,
    /// Where unread input starts in `buf`, and where it ends.
    pos: usize,
    end: usize,
    eof: bool,
    /// The line and the byte offset (in the whole file) of `buf[pos]`.
    line: u64,
    byte: u64,
    core: csv_core::Reader,
    /// Cells of a record parsed by `core`, and where each ends.
    scratch: Vec<u8>,
    ends: Vec<usize>,
    /// Cells of the row handed out: byte ranges in `buf` or in `scratch`.
    bounds: Vec<(usize, usize)>,
    /// No row starts at or past this byte offset ([`Scanner::stop_at`]).
    stop: u64,
    /// The most bytes one read asks for.
    read_size: usize,
    /// Bit k: `buf[k * BLOCK..(k + 1) * BLOCK]` (as far as it is filled) holds no byte
    /// [`crate::controls::suspicious`] looks for. The buffer is tested block by block after each
    /// read (long vector loops), and a row within clean blocks needs no test of its own; a stray
    /// character (a BOM, a bidi mark) spoils one block, not the rest. Blocks past the 64th are
    /// never clean.
    clean: u64,
}

/// One record: its cells, the line it starts on and its byte offset in the file.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub line: u64,
    pub byte: u64,
    data: &'a [u8],
    bounds: &'a [(usize, usize)],
    /// For a last record that ends inside a quoted cell: the line and column of that quote.
    pub unclosed_quote: Option<(u64, u64)>,
    /// The row's bytes are known to hold no byte [`crate::controls::suspicious`] looks for (so
    /// no forbidden character); `false` says only that they were not tested.
    pub clean: bool,
    /// The bytes read after the row, as far as the buffer holds them: the next row begins
    /// there (or a blank line), for a reader that wants to look ahead.
    pub after: &'a [u8],
}

impl<'a> Row<'a> {
    /// A row of cells laid out in `data` at `bounds`.
    pub fn new(line: u64, data: &'a [u8], bounds: &'a [(usize, usize)]) -> Row<'a> {
        Row {
            line,
            byte: 0,
            data,
            bounds,
            unclosed_quote: None,
            clean: false,
            after: &[],
        }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.bounds.get(i).map(|&(s, e)| &self.data[s..e])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let data = self.data;
        self.bounds.iter().map(move |&(s, e)| &data[s..e])
    }

    /// The row's bytes from its first cell's start to its last cell's end: every cell, with
    /// what lies between them (delimiters, quotes); empty when the row has no cells.
    pub fn span(&self) -> &'a [u8] {
        match (self.bounds.first(), self.bounds.last()) {
            (Some(&(start, _)), Some(&(_, end))) => self.data.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The row's bytes from its first cell's start to its last cell's end, checked for UTF-8
    /// in one go; `None` when they are not UTF-8 (or the row has no cells). One check of a
    /// line costs much less than one per cell, and `simdutf8` checks a line of 64 bytes or
    /// more 32 bytes at a time (shorter ones as `std::str::from_utf8` does).
    pub fn text(&self) -> Option<RowText<'a>> {
        let (&(start, _), &(_, end)) = (self.bounds.first()?, self.bounds.last()?);
        let text = simdutf8::basic::from_utf8(self.data.get(start..end)?).ok()?;
        Some(RowText {
            text,
            start,
            bounds: self.bounds,
        })
    }
}

/// A row's cells as text, from [`Row::text`].
#[derive(Debug, Clone, Copy)]
pub struct RowText<'a> {
    text: &'a str,
    /// Where `text` starts in the row's data.
    start: usize,
    bounds: &'a [(usize, usize)],
}

impl<'a> RowText<'a> {
    /// Cell `i`, exactly as `std::str::from_utf8(row.get(i))` would give it; `None` when that
    /// is not sure: no such cell, or a cell that does not start and end on a character
    /// boundary of the text (cells parsed out of quotes lie end to end, so a character may
    /// straddle two; the caller then checks the cell alone).
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let &(s, e) = self.bounds.get(i)?;
        // Before `start`, an offset wraps far past the text's end: `get` says `None`.
        self.text
            .get(s.wrapping_sub(self.start)..e.wrapping_sub(self.start))
    }
}

impl<R: Read> Scanner<R> {
    /// A scanner of a whole file.
    pub fn new(src: R) -> Scanner<R> {
        Scanner::starting_at(src, 0, 1)
    }

    /// A scanner of a whole file of about `size` bytes: its buffer no bigger than the file
    /// needs (a small file does not get, and clear, a buffer of [`CHUNK`] bytes; a province's
    /// rollup reads thousands). A file that grew meanwhile grows the buffer as a long row does.
    pub fn sized(src: R, size: u64) -> Scanner<R> {
        let capacity = usize::try_from(size).map_or(CHUNK, |n| n.saturating_add(1));
        Scanner::new_with(src, 0, 1, capacity.clamp(4096, CHUNK))
    }

    /// A scanner of a file from byte offset `byte` on, which is at line `line`; `src` must be
    /// there already. Rows and lines are counted from there.
    pub fn starting_at(src: R, byte: u64, line: u64) -> Scanner<R> {
        Scanner::new_with(src, byte, line, CHUNK)
    }

    fn new_with(src: R, byte: u64, line: u64, capacity: usize) -> Scanner<R> {
        Scanner {
            src,
            buf: vec![0; capacity],
            pos: 0,
            end: 0,
            eof: false,
            line,
            byte,
            core: csv_core::ReaderBuilder::new().build(),
            scratch: vec![0; 1024],
            ends: vec![0; 32],
            bounds: Vec::with_capacity(32),
            stop: u64::MAX,
            read_size: CHUNK,
            clean: 0,
        }
    }

    /// The line the scanner has reached.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The byte offset the scanner has reached: where the last row handed out ends, past its
    /// line end.
    pub fn byte(&self) -> u64 {
        self.byte
    }

    /// Hands out no row that starts at or past byte offset `stop` (nor skips blank lines past
    /// it): a reader of the first part of a file stops there. `u64::MAX` lifts the limit.
    pub fn stop_at(&mut self, stop: u64) {
        self.stop = stop;
    }

    /// Reads more input, keeping `buf[keep..end]` (moved to the front). Returns how far the
    /// kept bytes moved back.
    fn fill(&mut self, keep: usize) -> io::Result<usize> {
        if keep > 0 {
            self.buf.copy_within(keep..self.end, 0);
            self.end -= keep;
            self.pos -= keep;
            // The blocks' bytes moved: tested again below from the start.
            self.clean = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let to = self.buf.len().min(self.end + self.read_size);
        loop {
            match self.src.read(&mut self.buf[self.end..to]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    self.mark_clean(self.end - n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            return Ok(keep);
        }
    }

    /// Tests the blocks that bytes from `from` on were read into, each as far as it is filled
    /// (see `clean`); the marks of the blocks before stay.
    fn mark_clean(&mut self, from: usize) {
        let first = from / BLOCK;
        for k in first..self.end.div_ceil(BLOCK).min(64) {
            let block = &self.buf[k * BLOCK..self.end.min((k + 1) * BLOCK)];
            if crate::controls::suspicious(block) {
                self.clean &= !(1 << k);
            } else {
                self.clean |= 1 << k;
            }
        }
    }

    /// Whether `buf[start..end]` lies in clean blocks.
    fn is_clean(&self, start: usize, end: usize) -> bool {
        if end <= start {
            return true;
        }
        let (first, last) = (start / BLOCK, (end - 1) / BLOCK);
        if last >= 64 {
            return false;
        }
        let blocks = (u64::MAX >> (63 - last)) & (u64::MAX << first);
        self.clean & blocks == blocks
    }

    /// Moves past `n` bytes of input, counting the lines they end.
    fn advance(&mut self, n: usize) {
        self.line += memchr_iter(b'\n', &self.buf[self.pos..self.pos + n]).count() as u64;
        self.byte += n as u64;
        self.pos += n;
    }

    /// The next row, or `None` at the end of the input.
    pub fn next_row(&mut self) -> io::Result<Option<Row<'_>>> {
        loop {
            // Blank lines (and the `\n` of a `\r\n` that ended the last record) hold no record.
            while self.pos < self.end
                && self.byte < self.stop
                && matches!(self.buf[self.pos], b'\n' | b'\r')
            {
                self.line += u64::from(self.buf[self.pos] == b'\n');
                self.byte += 1;
                self.pos += 1;
            }
            if self.byte >= self.stop {
                return Ok(None);
            }
            if self.pos == self.end {
                if self.eof {
                    return Ok(None);
                }
                self.fill(self.pos)?;
                continue;
            }
            let start = self.pos;
            let Some(found) = plain_line(&self.buf[..self.end], start, self.eof, &mut self.bounds)
            else {
                // The line goes on past the buffer: read on (the buffer grows for a long one).
                self.fill(self.pos)?;
                continue;
            };
            // Cells wholly in quotes, none with a quote or a line break inside (an address
            // with a comma, say): still a plain line, cells between the quotes.
            let plain = found.plain
                || split_quoted(&self.buf[start..found.body_end], start, &mut self.bounds);
            if !plain {
                return self.parse_record();
            }
            let (line, byte) = (self.line, self.byte);
            self.line += u64::from(found.newline);
            let used = found.stop - start + usize::from(found.newline);
            self.byte += used as u64;
            self.pos += used;
            return Ok(Some(Row {
                line,
                byte,
                data: &self.buf,
                bounds: &self.bounds,
                unclosed_quote: None,
                clean: self.is_clean(start, found.body_end),
                after: &self.buf[self.pos..self.end],
            }));
        }
    }

    /// Parses the record at `pos` with csv-core (quotes, bare `\r`), reading on as needed.
    fn parse_record(&mut self) -> io::Result<Option<Row<'_>>> {
        use csv_core::ReadRecordResult::*;
        self.core.reset();
        let (line, byte) = (self.line, self.byte);
        // `pos` stays at the record's start until it is whole, so its raw bytes stay in `buf`.
        let mut at = self.pos;
        let (mut out, mut nends) = (0, 0);
        loop {
            let input = if at == self.end && self.eof {
                &[][..]
            } else {
                &self.buf[at..self.end]
            };
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.scratch[out..], &mut self.ends[nends..]);
            at += nin;
            out += nout;
            nends += nend;
            match result {
                InputEmpty => {
                    if !self.eof {
                        at -= self.fill(self.pos)?;
                    }
                }
                OutputFull => {
                    let n = self.scratch.len() * 2;
                    self.scratch.resize(n, 0);
                }
                OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                Record => break,
                End => return Ok(None),
            }
        }
        let raw_len = at - self.pos;
        let unclosed_quote = if at == self.end && self.eof {
            let raw = &self.buf[self.pos..at];
            super::unterminated_quote(raw, b',').map(|i| {
                let (lines, column) = crate::text::line_col(raw, i);
                (line + lines - 1, column)
            })
        } else {
            None
        };
        let clean = self.is_clean(self.pos, at);
        self.advance(raw_len);
        self.bounds.clear();
        let mut cell = 0;
        for &e in &self.ends[..nends] {
            self.bounds.push((cell, e));
            cell = e;
        }
        Ok(Some(Row {
            line,
            byte,
            data: &self.scratch,
            bounds: &self.bounds,
            unclosed_quote,
            clean,
            after: &self.buf[self.pos..self.end],
        }))
    }
}

impl<R: Read + Seek> Scanner<R> {
    /// Moves to byte offset `byte`, which starts a record at line `line`, for a reader of rows
    /// here and there: within what is read already it only moves; farther, it seeks, and from
    /// then on reads at most `read_size` bytes at a time (rows far apart then cost a small read
    /// each, not a whole chunk).
    pub fn jump(&mut self, byte: u64, line: u64, read_size: usize) -> io::Result<()> {
        let first = self.byte - self.pos as u64;
        if (first..=first + self.end as u64).contains(&byte) {
            self.pos = (byte - first) as usize;
        } else {
            self.src.seek(SeekFrom::Start(byte))?;
            (self.pos, self.end, self.eof, self.clean) = (0, 0, false, 0);
            self.read_size = read_size.max(1);
        }
        self.byte = byte;
        self.line = line;
        Ok(())
    }
}

/// How far [`plain_line`] goes into a line before it makes sure the line's end is in the
/// buffer.
const LONG_LINE: usize = 4096;
const _: () = assert!(LONG_LINE.is_multiple_of(16));

/// The line that begins at `start` in `buf`, as [`plain_line`] found it.
#[derive(Debug, PartialEq)]
struct Line {
    /// Where it stops: its line feed, or the end of the input.
    stop: usize,
    /// Whether a line feed ends it.
    newline: bool,
    /// Where its last cell ends: `stop`, or the `\r` of a `\r\n` right before it.
    body_end: usize,
    /// Whether it holds no quote and no other carriage return: its cells are then in the
    /// bounds, split at every comma.
    plain: bool,
}

/// The line at `start`: its end and, for a plain line (no quote, no carriage return but the
/// one of a `\r\n`), its cells, split at its commas into `bounds`. One pass, sixteen bytes at a
/// time ([`crate::os::csv_marks`]), finds the commas, the line's end and whether it is plain.
/// `None` when `buf` holds no line feed after `start` and more input may come (`eof` false);
/// at the end of the input the line ends with `buf`.
fn plain_line(
    buf: &[u8],
    start: usize,
    eof: bool,
    bounds: &mut Vec<(usize, usize)>,
) -> Option<Line> {
    bounds.clear();
    let mut cell = start;
    let mut at = start;
    // The first quote or carriage return.
    let mut special = usize::MAX;
    let (stop, newline) = loop {
        if at >= buf.len() {
            if !eof {
                return None;
            }
            break (buf.len(), false);
        }
        // A line longer than a page may not be whole in the buffer: a line's commas are
        // gathered once it is (each read of more input begins the line again), and until then
        // only its end is looked for, at memchr's speed.
        if at - start == LONG_LINE && !eof && memchr::memchr(b'\n', &buf[at..]).is_none() {
            return None;
        }
        let chunk = match buf.get(at..at + 16) {
            Some(chunk) => chunk.try_into().unwrap_or([0; 16]),
            // The last bytes, padded with zeros (neither a comma nor a line end).
            None => {
                let mut chunk = [0; 16];
                chunk[..buf.len() - at].copy_from_slice(&buf[at..]);
                chunk
            }
        };
        let [mut commas, newlines, mut specials] = crate::os::csv_marks(&chunk);
        if newlines != 0 {
            let before = (newlines & newlines.wrapping_neg()) - 1;
            commas &= before;
            specials &= before;
        }
        if specials != 0 && special == usize::MAX {
            special = at + specials.trailing_zeros() as usize;
        }
        while commas != 0 {
            let comma = at + commas.trailing_zeros() as usize;
            bounds.push((cell, comma));
            cell = comma + 1;
            commas &= commas - 1;
        }
        if newlines != 0 {
            break (at + newlines.trailing_zeros() as usize, true);
        }
        at += 16;
    };
    let body_end = if stop > start && buf[stop - 1] == b'\r' {
        stop - 1
    } else {
        stop
    };
    let plain = special >= body_end;
    if plain {
        bounds.push((cell, body_end));
    }
    Some(Line {
        stop,
        newline,
        body_end,
        plain,
    })
}

/// The cells of a line whose quotes only wrap whole cells (`a,"b, c",d`), none holding a quote,
/// a line break or a carriage return: the ranges inside the quotes, offset by `base`. False
/// for any other line, which csv-core then reads.
///
/// One pass, eight bytes at a time: the commas and quotes of the line, in order, drive a
/// two-state machine (in a quoted cell or not). A carriage return anywhere is in a cell or
/// right after its closing quote, so the line is not one of these.
fn split_quoted(line: &[u8], base: usize, bounds: &mut Vec<(usize, usize)>) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `word` that is `b`, and perhaps of some bytes above one
    // that is (a borrow): those are looked at and let go.
    let hits = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x
    };
    bounds.clear();
    // Where the current cell starts, whether it is quoted, and the first byte not yet taken
    // (a comma right after a closing quote is taken with it).
    let (mut start, mut quoted, mut next) = (0, false, 0);
    let mut at = 0;
    while at < line.len() {
        // The last word is padded with zeros, which are neither commas nor quotes.
        let word = match line.get(at..at + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
            None => {
                let mut w = [0; 8];
                w[..line.len() - at].copy_from_slice(&line[at..]);
                u64::from_le_bytes(w)
            }
        };
        let mut found = (hits(word, b',') | hits(word, b'"') | hits(word, b'\r')) & HIGH;
        while found != 0 {
            let k = at + found.trailing_zeros() as usize / 8;
            found &= found - 1;
            if k < next {
                continue;
            }
            match (quoted, line[k]) {
                (_, b'\r') => return false,
                (true, b'"') => {
                    match line.get(k + 1) {
                        None => {
                            bounds.push((base + start + 1, base + k));
                            return true;
                        }
                        Some(b',') => bounds.push((base + start + 1, base + k)),
                        Some(_) => return false,
                    }
                    (start, quoted, next) = (k + 2, false, k + 2);
                }
                (false, b'"') if k == start => quoted = true,
                (false, b'"') => return false,
                (false, b',') => {
                    bounds.push((base + start, base + k));
                    start = k + 1;
                }
                _ => {}
            }
        }
        at += 8;
    }
    if quoted {
        return false;
    }
    // The last cell (empty when a comma ends the line).
    bounds.push((base + start, base + line.len()));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use memchr::memchr;

    /// Rows as (line, byte, cells), read through a reader that hands out `step` bytes at a time
    /// (so records cross the buffer's edges), with a tiny buffer.
    type Scanned = (u64, u64, Vec<Vec<u8>>, Option<(u64, u64)>);

    fn scan(input: &[u8], step: usize) -> Vec<Scanned> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut s = Scanner::new(Trickle(input, step));
        s.buf = vec![0; 4];
        let mut rows = Vec::new();
        while let Some(row) = s.next_row().unwrap() {
            rows.push((
                row.line,
                row.byte,
                row.iter().map(<[u8]>::to_vec).collect(),
                row.unclosed_quote,
            ));
        }
        rows
    }

    /// A file bigger than its size said (it grew after it was measured) is read whole.
    #[test]
    fn a_file_bigger_than_its_size_is_read_whole() {
        let input: Vec<u8> = (0..2000)
            .flat_map(|i| format!("{i},\"ô {i}\"\n").into_bytes())
            .collect();
        for size in [0, 10, input.len() as u64 - 1] {
            let mut s = Scanner::sized(&input[..], size);
            let mut rows = Vec::new();
            while let Some(row) = s.next_row().unwrap() {
                rows.push(row.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
            }
            assert_eq!(rows, csv_cells(&input), "size {size}");
        }
    }

    /// A row is marked clean only if none of its bytes is one the control-character test
    /// looks for, wherever the row lies among the buffer's blocks and reads; and most rows of
    /// a big file with a few bad ones are marked clean.
    #[test]
    fn rows_are_marked_clean_only_when_they_are() {
        let bad = ["\u{1b}[31m", "\u{202e}", "\u{85}", "\u{feff}", "“trích”"];
        let mut input = Vec::new();
        for i in 0..20_000 {
            let text = if i % 997 == 3 {
                bad[i % bad.len()]
            } else {
                "Họp giao ban"
            };
            let quoted = if i % 5 == 0 {
                format!("\"{text}, {i}\"")
            } else {
                text.into()
            };
            input.extend(format!("{i},{quoted},x\r\n").into_bytes());
        }
        for size in [input.len() as u64, 100] {
            let mut s = Scanner::sized(&input[..], size);
            let (mut rows, mut clean) = (0, 0);
            while let Some(row) = s.next_row().unwrap() {
                rows += 1;
                let suspicious = row.iter().any(crate::controls::suspicious);
                assert!(!(row.clean && suspicious), "line {}", row.line);
                clean += usize::from(row.clean);
            }
            assert_eq!(rows, 20_000);
            assert!(clean > 15_000, "{clean} clean rows, size {size}");
        }
    }

    /// The csv crate's records for the same input.
    fn csv_cells(input: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = super::super::csv_reader(input);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            out.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        out
    }

    /// Every row's cells are the csv crate's, its line is that of its first byte, and that
    /// byte starts a record (it is not a line end).
    fn agrees(input: &[u8]) {
        for step in [1, 7, usize::MAX] {
            let rows = scan(input, step);
            let cells: Vec<_> = rows.iter().map(|r| r.2.clone()).collect();
            assert_eq!(
                cells,
                csv_cells(input),
                "{:?} step {step}",
                String::from_utf8_lossy(input)
            );
            for (line, byte, _, _) in &rows {
                let before = &input[..*byte as usize];
                let lines = 1 + before.iter().filter(|&&b| b == b'\n').count() as u64;
                assert_eq!(*line, lines, "{:?}", String::from_utf8_lossy(input));
                assert!(!matches!(input[*byte as usize], b'\n' | b'\r'));
            }
        }
    }

    #[test]
    fn row_text_gives_each_cell_as_from_utf8_would() {
        fn check<'a>(data: &'a [u8], bounds: &'a [(usize, usize)]) -> Option<RowText<'a>> {
            let row = Row::new(1, data, bounds);
            let text = row.text();
            for i in 0..=bounds.len() {
                let alone = row.get(i).map(std::str::from_utf8);
                match text.and_then(|t| t.get(i)) {
                    Some(s) => assert_eq!(alone, Some(Ok(s)), "{data:?} {i}"),
                    // Not vouched for: a cell that is not UTF-8 on its own, or no cell.
                    None => assert!(text.is_none() || !matches!(alone, Some(Ok(_))), "{i}"),
                }
            }
            text
        }
        // A plain line: cells between commas.
        let line = "á,bé,\u{1EC7}".as_bytes();
        assert!(check(line, &[(0, 2), (3, 6), (7, 10)]).is_some());
        // Cells parsed out of quotes lie end to end: "á" cut in two is valid as a whole.
        let t = check("á".as_bytes(), &[(0, 1), (1, 2)]).unwrap();
        assert_eq!((t.get(0), t.get(1)), (None, None));
        assert_eq!(
            check("xá".as_bytes(), &[(0, 1), (1, 3)]).unwrap().get(1),
            Some("á")
        );
        // Not UTF-8: no text, each cell is checked alone.
        assert!(check(b"a,\xff,b", &[(0, 1), (2, 3), (4, 5)]).is_none());
        assert!(check(b"", &[]).is_none());
        assert_eq!(check(b"", &[(0, 0)]).unwrap().get(0), Some(""));
    }

    /// The first `split_quoted`, cell by cell with memchr: the one-pass one must say the same.
    fn split_quoted_by_cells(line: &[u8], base: usize, bounds: &mut Vec<(usize, usize)>) -> bool {
        bounds.clear();
        let mut at = 0;
        loop {
            let rest = &line[at..];
            let (cell, next) = if rest.first() == Some(&b'"') {
                let Some(close) = memchr(b'"', &rest[1..]) else {
                    return false;
                };
                let after = at + 1 + close + 1;
                if !matches!(line.get(after), None | Some(b',')) {
                    return false;
                }
                ((at + 1, at + 1 + close), after)
            } else {
                let end = memchr(b',', rest).map_or(line.len(), |k| at + k);
                ((at, end), end)
            };
            if line[cell.0..cell.1].contains(&b'\r')
                || (rest.first() != Some(&b'"') && line[cell.0..cell.1].contains(&b'"'))
            {
                return false;
            }
            bounds.push((base + cell.0, base + cell.1));
            if next >= line.len() {
                return true;
            }
            at = next + 1;
            if at == line.len() {
                bounds.push((base + at, base + at));
                return true;
            }
        }
    }

    #[test]
    fn split_quoted_agrees_with_the_cell_by_cell_split() {
        let agree = |line: &[u8]| {
            let (mut one, mut two) = (vec![(9, 9)], vec![(8, 8)]);
            let a = split_quoted(line, 5, &mut one);
            let b = split_quoted_by_cells(line, 5, &mut two);
            assert_eq!(a, b, "{:?}", String::from_utf8_lossy(line));
            if a {
                assert_eq!(one, two, "{:?}", String::from_utf8_lossy(line));
            }
        };
        for line in [
            &b""[..],
            b"\"\"",
            b"\"",
            b",",
            b"\",\"",
            b"a,\"b, c\",d",
            b"\"a\",",
            b"\"a\",,",
            b"\"a\"b",
            b"\"a\"\"b\"",
            b"a\"b",
            b"a,\"b\rc\",d",
            b"a\r,\"b\"",
            b"\"a\"\r",
            b"\"Xu\xe1\xbb\x91ng, \",2021-01-01,x,\"ab\"",
            b"2020-12-15,8,inspection,Ki\xe1\xbb\x83m tra,pct-kt;vp1,\"S\xe1\xbb\x95 theo d\xc3\xb5i, m\xe1\xbb\xa5c 197\",,,",
            b"0123456,\"89abcde\",\"ghij,klmnop\"",
            b"01234567\"9abcdef",
            b"0123456\"\"",
            b"0123456\"",
        ] {
            agree(line);
        }
        // Every line of up to 6 bytes over the bytes that matter (`-` and `#` follow `,` and
        // `"`: the word search may stop at them), and longer random ones.
        let alphabet: &[u8] = b"a,\"\r-#";
        for len in 0..=6u32 {
            for n in 0..6usize.pow(len) {
                let line: Vec<u8> = (0..len).map(|i| alphabet[n / 6usize.pow(i) % 6]).collect();
                agree(&line);
            }
        }
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let line: Vec<u8> = (0..len)
                .map(|i| {
                    let r = state.rotate_left(i as u32 * 5);
                    // Mostly letters, so that cells are long enough to cross words.
                    match r % 16 {
                        0..=2 => b',',
                        3 | 4 => b'"',
                        5 => b'\r',
                        6 => b'-',
                        7 => b'#',
                        _ => b'x',
                    }
                })
                .collect();
            agree(&line);
        }
    }

    /// What [`plain_line`] must find, a byte at a time, and for a plain line its cells.
    fn plain_line_bytewise(
        buf: &[u8],
        start: usize,
        eof: bool,
    ) -> Option<(Line, Vec<(usize, usize)>)> {
        let (stop, newline) = match buf[start..].iter().position(|&b| b == b'\n') {
            Some(k) => (start + k, true),
            None if eof => (buf.len(), false),
            None => return None,
        };
        let body_end = if stop > start && buf[stop - 1] == b'\r' {
            stop - 1
        } else {
            stop
        };
        let body = &buf[start..body_end];
        let plain = !body.iter().any(|&b| b == b'"' || b == b'\r');
        let mut cells = Vec::new();
        if plain {
            let mut cell = start;
            for (k, &b) in body.iter().enumerate() {
                if b == b',' {
                    cells.push((cell, start + k));
                    cell = start + k + 1;
                }
            }
            cells.push((cell, body_end));
        }
        let line = Line {
            stop,
            newline,
            body_end,
            plain,
        };
        Some((line, cells))
    }

    #[test]
    fn plain_line_agrees_with_a_byte_by_byte_look() {
        let alphabet: &[u8] = b"ab,\n\r\",,xyzw";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut bounds = vec![(7, 7)];
        for round in 0..40_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Lines around one and two 16-byte chunks, mostly plain, some with a quote, a
            // carriage return or a line feed anywhere.
            let len = (state % 50) as usize;
            let specials = round % 3 == 0;
            let buf: Vec<u8> = (0..len)
                .map(|i| {
                    let r = (state.rotate_left(i as u32 * 7) % 64) as usize;
                    match r {
                        0..=8 => alphabet[r % if specials { alphabet.len() } else { 3 }],
                        9..=14 => b',',
                        _ => b'a' + (r % 26) as u8,
                    }
                })
                .collect();
            let start = (state >> 40) as usize % (len + 1);
            for eof in [false, true] {
                let want = plain_line_bytewise(&buf, start, eof);
                let got = plain_line(&buf, start, eof, &mut bounds);
                let line = String::from_utf8_lossy(&buf[start..]);
                match (want, got) {
                    (None, None) => {}
                    (Some((want, cells)), Some(got)) => {
                        assert_eq!(got, want, "{line:?}");
                        if want.plain {
                            assert_eq!(bounds, cells, "{line:?}");
                        }
                    }
                    (want, got) => panic!("{line:?}: {want:?} against {got:?}"),
                }
            }
        }
    }

    #[test]
    fn csv_marks_agree_with_a_byte_by_byte_look() {
        let mut chunk = [0u8; 16];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for (i, b) in chunk.iter_mut().enumerate() {
                let r = state.rotate_left(i as u32 * 4) as u8;
                *b = match r % 8 {
                    0 => b',',
                    1 => b'\n',
                    2 => b'"',
                    3 => b'\r',
                    // The bytes a compare could mistake for those, and the rest.
                    4 => b',' ^ 0x80,
                    5 => r,
                    _ => b'a',
                };
            }
            assert_eq!(
                crate::os::csv_marks(&chunk),
                crate::os::csv_marks_bytewise(&chunk),
                "{chunk:?}"
            );
        }
    }

    #[test]
    fn plain_lines() {
        agrees(b"id,a,b\n1,x,y\n2,,\n");
        agrees(b"id,a,b\n1,x,y");
        agrees(b"one\n");
        agrees(b"");
        agrees(b"\n\n\n");
        agrees(b",\n,,\n");
        // Lines longer than LONG_LINE, read a few bytes at a time, whole, and at the end.
        let long = "a,".repeat(LONG_LINE);
        agrees(format!("{long}b\n{long}\r\n\"q\",{long}\nx,{long}").as_bytes());
    }

    #[test]
    fn a_long_line_is_split_once_its_end_is_in() {
        let mut line = "ab,".repeat(LONG_LINE).into_bytes();
        let mut bounds = Vec::new();
        // Not yet whole: nothing, and its commas not gathered.
        assert_eq!(plain_line(&line, 0, false, &mut bounds), None);
        assert!(bounds.len() < LONG_LINE / 3 + 1, "{}", bounds.len());
        // At the end of the input, or once its line feed is read: every cell.
        let got = plain_line(&line, 0, true, &mut bounds).unwrap();
        assert_eq!(
            (got.stop, got.plain, bounds.len()),
            (line.len(), true, LONG_LINE + 1)
        );
        line.extend_from_slice(b"c\nd");
        let got = plain_line(&line, 0, false, &mut bounds).unwrap();
        assert_eq!((got.stop, got.newline), (line.len() - 2, true));
        assert_eq!(bounds.len(), LONG_LINE + 1);
        assert_eq!(bounds[LONG_LINE], (line.len() - 3, line.len() - 2));
    }

    #[test]
    fn crlf_and_blank_lines_keep_true_line_numbers() {
        agrees(b"h\r\n\r\nx,y\r\nz\r\n");
        agrees(b"h\n\n\nx,y\nz\n");
        let rows = scan(b"h\r\n\r\nx,y\r\nz\r\n", usize::MAX);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 3, 4]);
        agrees(b"h\rx\r\ry\n");
        agrees(b"a,b\r");
        agrees(b" \nw\n");
    }

    #[test]
    fn quotes_go_through_csv_core() {
        agrees(b"a,\"b\nc\"\nd\n");
        agrees(b"a\n\"x\"y,z\nq");
        agrees(b"\"a,b\",\"c\"\"d\"\r\ne,f\r\n");
        agrees(b"x,\"\"\n\"\"\n");
        agrees(b"a,b\"c,d\ne\n");
        agrees(b"\"one\"\"\n\"\n two\n");
        agrees(b"a,\"b, c\",d\n\"\",\"x\"\n\"y\",\n,\"z\"\n");
        agrees(b"a,\"b\"c,d\n \"e\",f\n\"g\r\",h\n");
        let rows = scan(b"a,\"b\nc\"\nd\n", 2);
        assert_eq!((rows[1].0, rows[1].1), (3, 8));
    }

    #[test]
    fn an_unclosed_quote_is_found_at_its_place() {
        let input = b"h,i\n1,2\n3,\"four\n5,6\n";
        agrees(input);
        let rows = scan(input, 5);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].3, Some((3, 3)));
        assert_eq!(rows[1].3, None);
        // A closed quote at the very end is no problem.
        assert_eq!(scan(b"h\n\"x\"", 1)[1].3, None);
    }

    #[test]
    fn generated_inputs_agree_with_the_csv_crate() {
        // A small deterministic generator over the bytes that matter.
        let alphabet: &[u8] = b"ab,\"\r\n \xc3\xa1";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..3000 {
            let mut input = Vec::new();
            // Short inputs, and some long enough for lines over one and two 16-byte chunks.
            let len = (state % if round % 4 == 0 { 80 } else { 24 }) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                input.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            agrees(&input);
        }
    }
}
