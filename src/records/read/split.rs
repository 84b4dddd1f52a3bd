//! A big dossier file read in two parts on two threads, with the result of one thread.
//!
//! The second part is read on a thread of its own ([`SplitRead::read_second`]), the first on
//! the calling thread after the files of the other kinds ([`SplitRead::read_first`]), so that
//! the two threads have about as many bytes to read: the cut is put accordingly. Each part goes
//! into a store of its own; the second counts lines from the cut and shifts them once the first
//! knows how many lines it read. The second store is then put after the first
//! ([`SplitRead::put_together`]). A dossier named in both parts is kept in the first; the rows of
//! the second part that named it are read again and merged there, in file order, and the
//! findings their first merge raised are dropped (they were judged without the first part's
//! rows). So the dossiers, their order and the findings are exactly those of the one-thread
//! reader (tests/cli/scale.rs holds it to that).
//!
//! The cut is put after a line end. If that line end is inside a quoted cell (the second part
//! then started in the middle of a record), the first part's reader finds its last row ending
//! past the cut, reads on to the end alone, and the second thread's work is dropped.
//!
//! The per-row reader knows nothing of this but one hook: the reader of the second part is
//! given a [`MergeLog`], told where each dossier row it merged lies ([`HalfLog`]).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{FileReader, Header, MergeLog, Refs};
use crate::findings::Finding;
use crate::records::scan::Scanner;
use crate::records::{Kind, Records, RowRef};

/// A big dossier file, its header read and its cut chosen: ready to be read in two parts.
pub(super) struct SplitRead<'a, 'p> {
    refs: &'a Refs<'p>,
    file: u32,
    path: PathBuf,
    label: String,
    header: Header,
    cut: u64,
}

/// What the second part's reader hands back: its findings (lines counted from the cut), its
/// store, and where its merged rows lie.
pub(super) struct SecondPart {
    findings: Vec<Finding>,
    records: Records,
    log: HalfLog,
}

/// How the first part's reading ended.
pub(super) struct FirstPart {
    /// Whether the first part's last row ended at the cut (else it read on to the end alone).
    aligned: bool,
    /// Lines before the cut (the header's among them).
    lines: u64,
}

/// What the reader of the second part keeps for putting the parts together.
#[derive(Default)]
struct HalfLog {
    /// Where the part starts.
    from: u64,
    /// Per merged row: its dossier, its byte offset after `from`, and its line.
    rows: Vec<(u32, u32, u32)>,
    /// Per finding a merge raised: its index in the reader's findings, and its dossier.
    findings: Vec<(usize, u32)>,
}

impl MergeLog for HalfLog {
    fn merged(&mut self, dossier: usize, byte: u64, line: u64, raised: Range<usize>) {
        let dossier = dossier as u32;
        self.rows
            .push((dossier, (byte - self.from) as u32, line as u32));
        self.findings.extend(raised.map(|f| (f, dossier)));
    }
}

impl<'a, 'p> SplitRead<'a, 'p> {
    /// Reads the header and chooses the cut, so that the first part and `others` (the bytes of
    /// the files the calling thread reads first) are about half of all. `None` when the file is
    /// better read whole: no usable header (the whole read reports it), or no line to cut at.
    pub(super) fn prepare(
        refs: &'a Refs<'p>,
        file: u32,
        path: PathBuf,
        label: String,
        others: u64,
    ) -> io::Result<Option<SplitRead<'a, 'p>>> {
        let mut rows = Scanner::new(File::open(&path)?);
        // A header with problems is left to the whole read, which reports them.
        let mut quiet = Vec::new();
        let mut reader = FileReader::new(Kind::Dossiers, file, label.clone(), refs, &mut quiet);
        let Some(header) = reader.read_header(&mut rows) else {
            return Ok(None);
        };
        let data_start = rows.byte();
        drop(rows);
        let size = std::fs::metadata(&path)?.len();
        let data = size.saturating_sub(data_start);
        // About half of all the bytes to read for the second part (a little less: its reader
        // also logs each row, about a tenth more work per byte), but each part a quarter of
        // the file at least.
        let second = ((data + others) * 10 / 21).clamp(data / 4, data - data / 4);
        let cut = match line_start_after(&path, size - second)? {
            // Offsets in the second part must fit the row log's 32 bits.
            Some(cut) if size - cut < u64::from(u32::MAX) => cut,
            _ => return Ok(None),
        };
        Ok(Some(SplitRead {
            refs,
            file,
            path,
            label,
            header,
            cut,
        }))
    }

    /// Reads the second part into a store of its own (for a thread of its own).
    pub(super) fn read_second(&self) -> io::Result<SecondPart> {
        let size = std::fs::metadata(&self.path)?.len();
        let mut findings = Vec::new();
        let mut log = HalfLog {
            from: self.cut,
            ..HalfLog::default()
        };
        let mut records = Records::default();
        records
            .dossiers
            .reserve(size.saturating_sub(self.cut) as usize / 96);
        let mut reader = FileReader::new(
            Kind::Dossiers,
            self.file,
            self.label.clone(),
            self.refs,
            &mut findings,
        )
        .with_log(&mut log);
        let mut src = File::open(&self.path)?;
        src.seek(SeekFrom::Start(self.cut))?;
        let mut rows = Scanner::starting_at(src, self.cut, 1);
        reader.read_rows(&mut rows, &self.header, &mut records, true);
        Ok(SecondPart {
            findings,
            records,
            log,
        })
    }

    /// Reads the first part into `records`, whose dossier store is empty; past the cut, to the
    /// end, when the cut turns out to be inside a record.
    pub(super) fn read_first(
        &self,
        records: &mut Records,
        findings: &mut Vec<Finding>,
    ) -> io::Result<FirstPart> {
        let mut reader = FileReader::new(
            Kind::Dossiers,
            self.file,
            self.label.clone(),
            self.refs,
            findings,
        );
        let size = std::fs::metadata(&self.path)?.len();
        records.dossiers.reserve(self.cut.min(size) as usize / 96);
        let mut rows = Scanner::new(File::open(&self.path)?);
        rows.next_row()?;
        rows.stop_at(self.cut);
        reader.read_rows(&mut rows, &self.header, records, true);
        let aligned = rows.byte() == self.cut;
        if !aligned {
            // The cut was inside a record: read on alone; the second part is dropped.
            rows.stop_at(u64::MAX);
            reader.read_rows(&mut rows, &self.header, records, true);
        }
        Ok(FirstPart {
            aligned,
            lines: rows.line() - 1,
        })
    }

    /// Puts the second part after the first (read into `records`), as the one-thread reader
    /// would have read them. Returns the header's column slots.
    pub(super) fn put_together(
        self,
        first: FirstPart,
        second: io::Result<SecondPart>,
        records: &mut Records,
        findings: &mut Vec<Finding>,
    ) -> io::Result<Vec<Option<usize>>> {
        let SplitRead {
            refs,
            file,
            path,
            label,
            header,
            cut,
        } = self;
        if !first.aligned {
            return Ok(header.slots);
        }
        let SecondPart {
            findings: mut found,
            records: second,
            log,
        } = second?;
        let kind = Kind::Dossiers;
        let lines_before = first.lines;
        let shift = u32::try_from(lines_before).unwrap_or(u32::MAX);
        for f in &mut found {
            if let Some(line) = &mut f.location.line {
                *line += lines_before;
            }
        }
        records.rows[kind as usize] += second.rows[kind as usize];
        // Its correction and void rows, after the first part's (applied once all is read).
        records
            .changes
            .extend(second.changes.iter().cloned().map(|mut c| {
                c.at.line += shift;
                c
            }));
        records.dossiers.join(second.dossiers, shift);
        let retired = records.dossiers.retire_repeats();
        // The second part's merge findings about dossiers of the first part are judged again.
        let mut judged_again = vec![false; found.len()];
        for &(finding, dossier) in &log.findings {
            judged_again[finding] = retired[dossier as usize];
        }
        let mut keep = judged_again.iter().map(|again| !again);
        found.retain(|_| keep.next().unwrap_or(true));
        findings.extend(found);
        // Their rows, merged again in file order; far apart rows cost a small read each.
        let mut reader = FileReader::new(kind, file, label, refs, findings);
        let mut rows = Scanner::new(File::open(&path)?);
        for &(dossier, offset, line) in &log.rows {
            if !retired[dossier as usize] {
                continue;
            }
            rows.jump(
                cut + u64::from(offset),
                u64::from(line) + lines_before,
                16 * 1024,
            )?;
            if let Some(row) = rows.next_row()? {
                let at = RowRef {
                    file,
                    line: row.line as u32,
                };
                reader.dossier(&row, &header, at, records);
            }
        }
        Ok(header.slots)
    }
}

/// The offset of the first line that starts at or after byte `at` of the file (just after a
/// `\n`), or `None` when no line does.
fn line_start_after(path: &Path, at: u64) -> io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(at.saturating_sub(1)))?;
    let mut buf = vec![0; 64 * 1024];
    let mut pos = at.saturating_sub(1);
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(k) = memchr::memchr(b'\n', &buf[..n]) {
            let start = pos + k as u64 + 1;
            return Ok((start < file.metadata()?.len()).then_some(start));
        }
        pos += n as u64;
    }
}
