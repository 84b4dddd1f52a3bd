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
//! Bytes are not all the same work (the other kinds' messy text costs twice a dossier row's on
//! some folders, and a busy machine slows one thread more than the other: on a virtual machine
//! whose host takes freed memory back, the fresh pages one thread's tables grow into may take
//! ten times as long to come), so the thread that ends first should not wait. When the second
//! thread is done and megabytes of the first part are left, it takes their far half
//! ([`SplitRead::steal`]): the first part's reader, which looks at its limit every [`STRIDE`]
//! bytes, stops there, and the taken part is read into a store of its own and put between the
//! two, as the second part is after the first. A steal that begins inside a quoted cell is
//! dropped as a bad cut is (the first part's reader reads on to the cut); a taken part whose
//! last row runs past the cut reads on to the end, and the second part is dropped. The other
//! way round likewise: when the first part is done and megabytes of the second are left, the
//! calling thread takes their far half ([`SplitRead::steal_back`]), which the second part's
//! reader, looking at its own limit every stride, leaves; the taken part is put after the
//! second (dropped if its start was inside a record: the second part's reader reads on to the
//! end). Only one steal is made, either way.
//!
//! The per-row reader knows nothing of this but one hook: the reader of the second part is
//! given a [`MergeLog`], told where each dossier row it merged lies ([`HalfLog`]).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

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
    /// How far the first part's reader has come, and where it is to stop.
    progress: Mutex<Progress>,
    /// Told when the second thread has decided whether to steal.
    decided: Condvar,
    /// A steal forced (for the tests): the reader it takes from waits for it.
    forced: Option<Steal>,
    /// Where the parts' readers leave the file's pieces ([`crate::pieces`]).
    pieces: Option<&'a crate::pieces::Found>,
}

/// Which thread takes the far half of the other's part, forced: for the tests, which hold a
/// read so split to the one-thread one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steal {
    /// The second thread takes the far half of the first part, however little there is,
    /// before the first part's reader starts it.
    FirstPart,
    /// The calling thread takes the far half of the second part, however little there is,
    /// before the second part's reader starts it.
    SecondPart,
}

/// What the two threads share while the parts are read (see [`SplitRead::steal`] and
/// [`SplitRead::steal_back`]): per part, by [`Steal`] (the part a steal takes from).
struct Progress([Watched; 2]);

/// How far the reader of a part has come, as the thread that may take from it sees it.
struct Watched {
    /// The reader is past every row before this byte.
    at: u64,
    /// Where it stops: its part's end (the cut for the first part, `u64::MAX` for the second),
    /// or where the other thread took the rest.
    limit: u64,
    /// The reader has stopped (nothing is left to take).
    done: bool,
    /// The other thread has stolen or decided not to.
    decided: bool,
}

impl Progress {
    fn of(&mut self, side: Steal) -> &mut Watched {
        &mut self.0[side as usize]
    }
}

/// The first part's reader looks at its limit every so many bytes; a steal starts at least two
/// of these ahead of it.
const STRIDE: u64 = 512 << 10;

/// Less than this left of the first part is not worth taking.
const STEAL_MIN: u64 = 2 << 20;

/// What the second thread hands back: the second part and, when it took the rest of the first
/// part, that too. (The second part's far end, when the calling thread took it, is
/// [`FirstPart::tail`].)
pub(super) struct SecondPart {
    last: Part,
    middle: Option<Part>,
}

/// A part read by the second thread into a store of its own: its findings (lines counted from
/// its start), its store, where its merged rows lie, how many lines it read, and whether its
/// last row ended where it was to stop (else it read on to the end of the file).
struct Part {
    findings: Vec<Finding>,
    records: Records,
    log: HalfLog,
    lines: u64,
    aligned: bool,
    /// The second part: where it stopped, when the calling thread took the rest of it.
    stolen: Option<u64>,
}

/// How the first part's reading ended.
pub(super) struct FirstPart {
    /// Whether the first part's last row ended where it stopped (else it read on to the end
    /// alone).
    aligned: bool,
    /// Lines before where it stopped (the header's among them).
    lines: u64,
    /// Where it stopped, when the second thread took the rest of its part.
    stolen: Option<u64>,
    /// The far end of the second part, when this thread took it.
    tail: Option<Part>,
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
        forced: Option<Steal>,
        pieces: Option<&'a crate::pieces::Found>,
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
            progress: Mutex::new(Progress([(data_start, cut), (cut, u64::MAX)].map(
                |(at, limit)| Watched {
                    at,
                    limit,
                    done: false,
                    decided: false,
                },
            ))),
            decided: Condvar::new(),
            forced,
            pieces,
        }))
    }

    /// Reads the second part into a store of its own (for a thread of its own), a stride at a
    /// time, looking at its limit in between (the calling thread may take the rest); then,
    /// when enough of the first part is left, its far end too ([`SplitRead::steal`]).
    pub(super) fn read_second(&self) -> io::Result<SecondPart> {
        let last = self.read_part(self.cut, u64::MAX, true);
        let middle = self
            .steal()
            .map(|from| self.read_part(from, self.cut, false));
        Ok(SecondPart {
            last: last?,
            middle: middle.transpose()?,
        })
    }

    /// Takes the far half of what the first part's reader has left, when that is worth it:
    /// sets its limit to a line start at least two strides ahead of it, and returns that (none
    /// when the file cannot be read there: the first part's reader reads on). Says it has
    /// decided, either way.
    fn steal(&self) -> Option<u64> {
        self.take_far_half(Steal::FirstPart, true)
    }

    /// The mirror of [`SplitRead::steal`], for the calling thread once the first part is done:
    /// the far half of what the second part's reader has left. `wanted` false: decides not to
    /// (the first part ended otherwise than whole at the cut).
    fn steal_back(&self, wanted: bool) -> Option<u64> {
        self.take_far_half(Steal::SecondPart, wanted)
    }

    /// [`SplitRead::steal`] or [`SplitRead::steal_back`], by the part taken from.
    fn take_far_half(&self, side: Steal, wanted: bool) -> Option<u64> {
        // The first part ends at the cut, the second at the end of the file.
        let end = match side {
            Steal::FirstPart => self.cut,
            Steal::SecondPart => std::fs::metadata(&self.path).map_or(0, |m| m.len()),
        };
        let mut progress = self.lock();
        let w = progress.of(side);
        w.decided = true;
        // Forced, the reader taken from waits for this: it needs no margin.
        let (margin, min) = self.margins(side);
        let at = w.at;
        let left = end.saturating_sub(at + margin);
        let taken = if !wanted || w.done || left <= min {
            None
        } else {
            // Offsets in the taken part must fit the row log's 32 bits.
            let fits = |from: &u64| *from < end && end - from < u64::from(u32::MAX);
            line_start_after(&self.path, at + margin + left / 2)
                .ok()
                .flatten()
                .filter(fits)
        };
        if let Some(from) = taken {
            w.limit = from;
        }
        drop(progress);
        self.decided.notify_all();
        taken
    }

    /// How far ahead of the reader a steal of `side` starts, and how much must be left for
    /// one: two strides and some megabytes, nothing when the tests force it.
    fn margins(&self, side: Steal) -> (u64, u64) {
        if self.forced == Some(side) {
            (0, 0)
        } else {
            (2 * STRIDE, STEAL_MIN)
        }
    }

    /// Waits until the thread that may take from the part of `side` has decided, when the
    /// tests force that steal (so that it is taken before the part is read).
    fn wait_if_forced(&self, side: Steal) {
        if self.forced != Some(side) {
            return;
        }
        let mut progress = self.lock();
        while !progress.of(side).decided {
            progress =
                (self.decided.wait(progress)).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// The file, open at byte `at`, its pieces read whole left for the provenance digest.
    fn hashed(&self, file: File, at: u64) -> crate::pieces::Hashed<'a, File> {
        let into = self.pieces.map(|found| (found, self.file as usize));
        crate::pieces::Hashed::new(file, at, into)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        (self.progress.lock()).unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reads `from..to` (`to` a line start, or `u64::MAX`) into a store of its own; past `to`,
    /// to the end, when `to` turns out to be inside a record. `watched`: the second part, read a
    /// stride at a time and stopped where the calling thread took the rest
    /// ([`SplitRead::steal_back`]).
    fn read_part(&self, from: u64, to: u64, watched: bool) -> io::Result<Part> {
        let size = std::fs::metadata(&self.path)?.len();
        let mut findings = Vec::new();
        // Room for the dossiers expected (about 96 bytes each: their ids' table is made that
        // size), and for more rows than any file has (rows of a one-stop book take 60 bytes and
        // more): the row log, which grows by some 12 bytes a row, never has to double while full
        // (copying megabytes into new pages), and the room it leaves unused costs address
        // space, not memory.
        let bytes = to.min(size).saturating_sub(from) as usize;
        let mut log = HalfLog {
            from,
            rows: Vec::with_capacity(bytes / 48),
            ..HalfLog::default()
        };
        crate::os::advise(&log.rows);
        let mut records = Records::default();
        records.dossiers.reserve(bytes / 96);
        let mut reader = FileReader::new(
            Kind::Dossiers,
            self.file,
            self.label.clone(),
            self.refs,
            &mut findings,
        )
        .with_log(&mut log);
        let mut src = File::open(&self.path)?;
        src.seek(SeekFrom::Start(from))?;
        let src = self.hashed(src, from);
        let mut rows = Scanner::starting_at(src, from, 1);
        let mut stolen = None;
        let aligned = if watched {
            self.wait_if_forced(Steal::SecondPart);
            let stop = self.read_watched(&mut reader, &mut rows, &mut records, Steal::SecondPart);
            stolen = (stop != u64::MAX).then_some(stop);
            if stolen.is_some() && rows.byte() != stop {
                // The steal began inside a record: this part is read to the end after all, and
                // what was taken is dropped.
                stolen = None;
                read_until(&mut reader, &mut rows, &self.header, &mut records, u64::MAX);
            }
            true
        } else {
            read_until(&mut reader, &mut rows, &self.header, &mut records, to)
        };
        Ok(Part {
            findings,
            records,
            log,
            lines: rows.line() - 1,
            aligned,
            stolen,
        })
    }

    /// Reads the rows of the part of `side` a stride at a time up to its limit, which the other
    /// thread may lower meanwhile, saying how far it has come at each stride. Returns the limit
    /// it stopped at (`u64::MAX`: the second part's end).
    fn read_watched<R: Read>(
        &self,
        reader: &mut FileReader<'_, '_>,
        rows: &mut Scanner<R>,
        records: &mut Records,
        side: Steal,
    ) -> u64 {
        loop {
            let limit = {
                let mut progress = self.lock();
                let w = progress.of(side);
                w.at = rows.byte();
                if rows.byte() >= w.limit {
                    w.done = true;
                    return w.limit;
                }
                w.limit
            };
            let before = rows.byte();
            rows.stop_at(before.saturating_add(STRIDE).min(limit));
            reader.read_rows(rows, &self.header, records, true);
            if rows.byte() == before {
                // The file ended before the stop (or was cut short meanwhile).
                let mut progress = self.lock();
                let w = progress.of(side);
                w.done = true;
                return w.limit;
            }
        }
    }

    /// Reads the first part into `records`, whose dossier store is empty, a stride at a time,
    /// looking at its limit in between (the second thread may have taken the rest); past its
    /// stop, to the cut or to the end, when the stop turns out to be inside a record. Then,
    /// done first, whole and at the cut, the far half of what the second part's reader has
    /// left, if that is worth taking ([`SplitRead::steal_back`]).
    /// `before` is what the calling thread reads first (the files of the other kinds): were it
    /// to fail, the steal back is still decided, so that no reader waits for it.
    pub(super) fn read_first(
        &self,
        records: &mut Records,
        findings: &mut Vec<Finding>,
        before: impl FnOnce(&mut Records, &mut Vec<Finding>) -> io::Result<()>,
    ) -> io::Result<FirstPart> {
        let first =
            before(records, findings).and_then(|()| self.read_first_part(records, findings));
        let whole = (first.as_ref()).is_ok_and(|f| f.aligned && f.stolen.is_none());
        let taken = self.steal_back(whole);
        let mut first = first?;
        first.tail = taken
            .map(|from| self.read_part(from, u64::MAX, false))
            .transpose()?;
        Ok(first)
    }

    /// [`SplitRead::read_first`] but the steal.
    fn read_first_part(
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
        self.wait_if_forced(Steal::FirstPart);
        let mut rows = Scanner::new(self.hashed(File::open(&self.path)?, 0));
        rows.next_row()?;
        let stop = self.read_watched(&mut reader, &mut rows, records, Steal::FirstPart);
        let mut stolen = (stop < self.cut).then_some(stop);
        let mut aligned = rows.byte() == stop;
        if stolen.is_some() && !aligned {
            // The steal began inside a record: the first part is read to the cut after all
            // (and on, if the cut is inside a record too), and what was taken is dropped.
            stolen = None;
            aligned = read_until(&mut reader, &mut rows, &self.header, records, self.cut);
        } else if !aligned {
            // The cut was inside a record: read on alone; the second part is dropped.
            read_until(&mut reader, &mut rows, &self.header, records, u64::MAX);
        }
        Ok(FirstPart {
            aligned,
            lines: rows.line() - 1,
            stolen,
            tail: None,
        })
    }

    /// Puts the second thread's parts after the first (read into `records`), in file order, as
    /// the one-thread reader would have read them. Returns the header's column slots.
    pub(super) fn put_together(
        self,
        first: FirstPart,
        second: io::Result<SecondPart>,
        records: &mut Records,
        findings: &mut Vec<Finding>,
    ) -> io::Result<Vec<Option<usize>>> {
        if !first.aligned {
            return Ok(self.header.slots);
        }
        let SecondPart { last, middle } = second?;
        let mut lines_before = first.lines;
        // The rest of the first part, when the second thread took it (and it began at a row).
        let mut last_too = true;
        if first.stolen.is_some() {
            let middle = middle.ok_or_else(|| io::Error::other("a part taken was not read"))?;
            last_too = middle.aligned;
            let lines = middle.lines;
            self.put_after(middle, lines_before, records, findings)?;
            lines_before += lines;
        }
        if last_too {
            let (lines, stopped) = (last.lines, last.stolen);
            self.put_after(last, lines_before, records, findings)?;
            // The far end of the second part, when this thread took it (and it began at a row).
            if stopped.is_some() {
                let tail =
                    (first.tail).ok_or_else(|| io::Error::other("a part taken was not read"))?;
                self.put_after(tail, lines_before + lines, records, findings)?;
            }
        }
        Ok(self.header.slots)
    }

    /// Puts `part` after what `records` holds, which is `lines_before` lines of the file.
    fn put_after(
        &self,
        part: Part,
        lines_before: u64,
        records: &mut Records,
        findings: &mut Vec<Finding>,
    ) -> io::Result<()> {
        let Part {
            findings: mut found,
            records: second,
            log,
            ..
        } = part;
        let kind = Kind::Dossiers;
        let shift = u32::try_from(lines_before).unwrap_or(u32::MAX);
        for f in &mut found {
            if let Some(line) = &mut f.location.line {
                *line += lines_before;
            }
        }
        records.rows[kind as usize] += second.rows[kind as usize];
        // Its correction and void rows, after those before it (applied once all is read).
        records
            .changes
            .extend(second.changes.iter().cloned().map(|mut c| {
                c.at.line += shift;
                c
            }));
        records.dossiers.join(second.dossiers, shift);
        let retired = records.dossiers.retire_repeats();
        // The part's merge findings about dossiers of the parts before are judged again.
        let mut judged_again = vec![false; found.len()];
        for &(finding, dossier) in &log.findings {
            judged_again[finding] = retired[dossier as usize];
        }
        let mut keep = judged_again.iter().map(|again| !again);
        found.retain(|_| keep.next().unwrap_or(true));
        findings.extend(found);
        // Their rows, merged again in file order; far apart rows cost a small read each.
        let mut reader = FileReader::new(kind, self.file, self.label.clone(), self.refs, findings);
        let mut rows = Scanner::new(File::open(&self.path)?);
        for &(dossier, offset, line) in &log.rows {
            if !retired[dossier as usize] {
                continue;
            }
            rows.jump(
                log.from + u64::from(offset),
                u64::from(line) + lines_before,
                16 * 1024,
            )?;
            if let Some(row) = rows.next_row()? {
                let at = RowRef {
                    file: self.file,
                    line: row.line as u32,
                };
                reader.dossier(&row, &self.header, at, records);
            }
        }
        Ok(())
    }
}

/// Reads the rows that start before `to` (a line start, or `u64::MAX` for the end): whether
/// the last of them ended there. When it did not (`to` was inside a quoted cell), reads on to
/// the end: what follows `to` is then read here.
fn read_until<R: Read>(
    reader: &mut FileReader<'_, '_>,
    rows: &mut Scanner<R>,
    header: &Header,
    records: &mut Records,
    to: u64,
) -> bool {
    rows.stop_at(to);
    reader.read_rows(rows, header, records, true);
    let aligned = to == u64::MAX || rows.byte() == to;
    if !aligned {
        rows.stop_at(u64::MAX);
        reader.read_rows(rows, header, records, true);
    }
    aligned
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
