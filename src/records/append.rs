//! Appending rows to a record file without ever losing data (PRODUCT.md §10).
//!
//! The file is opened for appending and locked exclusively (`File::lock`) for the whole
//! operation, so two clerks adding at once both land, whole and in turn. Under the lock: the
//! header is written when the file is new or empty; the existing header decides the column
//! order; a missing newline at the end of the file is added first (a file saved by an editor, or
//! cut short by a crash, must not glue the new row onto its last line); then all the new rows go
//! out in one write, and the file is synced to disk before the lock is released.
//!
//! The write cannot be half-done: the file's length goes to an undo journal first (see
//! [`super::journal`]); a failed write is cut back at once, a killed one by the next command.
//!
//! An import into a file that has no rows yet (a new folder's first import of a year's
//! one-stop book: a million rows) goes another way, to the same end: its rows are written, while
//! they are checked, into a new file beside the record file ([`Spool`]), synced to disk as they
//! go, and that file is renamed over the record file once every row has passed. Nobody sees a
//! row before then (the new file is hidden and unnamed in the folder); an import that fails or
//! is killed leaves the record file as it was, and the next command removes what it had
//! written. The rows' sync then costs nothing after the check, where an append must sync them
//! all at the end.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::Kind;

/// What an append did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The 1-based line of the first row written.
    pub first_line: u64,
    /// The bytes written for the rows, as they are in the file.
    pub text: String,
    /// Whether the file lacked a final newline (its last line may be a cut-off row).
    pub fixed_newline: bool,
    /// Whether the header was written (new or empty file).
    pub wrote_header: bool,
}

/// Why an append was refused before anything was written.
#[derive(Debug)]
pub enum AppendError {
    Io(io::Error),
    /// The file's header lacks a column the rows have a value for.
    MissingColumn {
        column: &'static str,
    },
    /// The file's header could not be read as a header.
    BadHeader,
    /// The write failed; the file was cut back to what it was (nothing of it is left).
    RolledBack(io::Error),
}

impl From<io::Error> for AppendError {
    fn from(e: io::Error) -> Self {
        AppendError::Io(e)
    }
}

/// A record file opened for appending and locked exclusively until dropped. Hold it while
/// checking new rows against the folder, so that nobody appends in between.
pub struct Locked {
    file: File,
    path: PathBuf,
}

impl Locked {
    /// Opens (creating it and its folder if needed) and locks `path`; waits for other holders.
    pub fn open(path: &Path) -> io::Result<Locked> {
        Locked::open_as(path, "kehoach", |_| {})
    }

    /// [`Locked::open`] for a writer described as `who` (shown to anyone waiting for it); when
    /// another holds the lock for more than a second, `waiting` is told who (when known), once.
    pub fn open_as(
        path: &Path,
        who: &str,
        waiting: impl FnOnce(Option<String>),
    ) -> io::Result<Locked> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let started = std::time::Instant::now();
        let mut waiting = Some(waiting);
        let file = loop {
            // A symlink or a special file is never written through (the file checks say why).
            if let Ok(meta) = std::fs::symlink_metadata(path)
                && !meta.file_type().is_file()
            {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    crate::files::type_name(&meta.file_type()),
                ));
            }
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .open(path)?;
            loop {
                match file.try_lock() {
                    Ok(()) => break,
                    Err(std::fs::TryLockError::WouldBlock) => {}
                    Err(std::fs::TryLockError::Error(e)) => return Err(e),
                }
                // After a second (or once said, on a file opened again): say whom it waits
                // for, once, and wait.
                if waiting.is_none() || started.elapsed() >= std::time::Duration::from_secs(1) {
                    if let Some(say) = waiting.take() {
                        say(super::journal::read_holder(path));
                    }
                    file.lock()?;
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            // The holder we waited for may have put a new file in the old one's place (an
            // import into a file with no rows, [`Spool`]): this lock then guards a file that is
            // no longer the folder's. Open the one that is.
            if is_at(&file, path)? {
                break file;
            }
            let _ = file.unlock();
        };
        super::journal::write_holder(path, who);
        Ok(Locked {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Appends rows (cells in the kind's schema order). Empty cells of columns the file does not
    /// have are fine; a value for such a column is refused before anything is written.
    pub fn append(&mut self, kind: Kind, rows: &[Vec<String>]) -> Result<Appended, AppendError> {
        append_locked(&mut self.file, &self.path, kind, rows)
    }

    /// What [`Locked::append`] would write after the file's bytes, and what it would have
    /// done, writing nothing: to check the folder as it would be ([`crate::records::read`]'s
    /// `Extra`) before appending.
    pub fn pending(
        &mut self,
        kind: Kind,
        rows: &[Vec<String>],
    ) -> Result<(Vec<u8>, Appended), AppendError> {
        let existing = Existing::read(&mut self.file)?;
        compose(&existing, kind, rows)
    }

    /// An [`Encoder`] of rows to append to the file as it is (see [`Encoder::new`]). When the
    /// file has no rows yet, the encoder writes them into its replacement as it goes ([`Spool`]).
    /// `capacity`: about how many bytes the rows will take.
    pub fn encoder(
        &mut self,
        kind: Kind,
        wide: bool,
        capacity: usize,
    ) -> Result<Encoder, AppendError> {
        let existing = Existing::read(&mut self.file)?;
        if existing.rowless() {
            let permissions = self.file.metadata()?.permissions();
            // Where no new file can be made beside it (a folder the clerk may not write in, but
            // a file they may), the rows are appended as into any other file.
            if let Ok(spool) = Spool::beside(&self.path, &existing.head, permissions) {
                let mut encoder = Encoder::new(&existing, kind, wide, Spool::CHUNK)?;
                encoder.spool = Some(spool);
                return Ok(encoder);
            }
        }
        Encoder::new(&existing, kind, wide, capacity)
    }

    /// Appends what an [`Encoder`] of this file made, as [`Locked::append`] appends: all of
    /// it or, on any failure, nothing. (For a file with no rows: puts the new file in its place.)
    pub fn append_encoded(&mut self, encoder: Encoder) -> Result<(), AppendError> {
        let Encoder { out, spool, .. } = encoder;
        if let Some(spool) = spool {
            return spool.finish(out, &self.path);
        }
        let before = self.file.metadata()?.len();
        let written = write_guarded(&mut self.file, &self.path, before, &out);
        // A province's rows, freed beside what the command does next.
        crate::par::free_meanwhile(out);
        written
    }
}

/// Whether `file` is the file now at `path` (and not one renamed over since it was opened).
fn is_at(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt as _;
    let held = file.metadata()?;
    Ok(std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.dev() == held.dev() && m.ino() == held.ino()))
}

impl Drop for Locked {
    fn drop(&mut self) {
        super::journal::clear_holder(&self.path);
        // Closing the file releases the lock too; unlocking first keeps the order plain.
        let _ = self.file.unlock();
    }
}

/// Opens, locks, appends, unlocks.
pub fn append_rows(path: &Path, kind: Kind, rows: &[Vec<String>]) -> Result<Appended, AppendError> {
    Locked::open(path)?.append(kind, rows)
}

fn append_locked(
    file: &mut File,
    path: &Path,
    kind: Kind,
    rows: &[Vec<String>],
) -> Result<Appended, AppendError> {
    let existing = Existing::read(file)?;
    let (buffer, done) = compose(&existing, kind, rows)?;
    write_guarded(file, path, existing.len, &buffer)?;
    Ok(done)
}

/// Appends `buffer` to `file`, which is `before` bytes long: the length first, durably, to the
/// undo journal; then one write of everything, synced to disk before the lock goes; on a
/// failure the file is cut back to `before`.
fn write_guarded(
    file: &mut File,
    path: &Path,
    before: u64,
    buffer: &[u8],
) -> Result<(), AppendError> {
    let journal = super::journal::Journal::begin(path, before)?;
    if let Err(e) = file.write_all(buffer).and_then(|()| file.sync_data()) {
        // Cut back now; if even that fails, the journal stays for the next command to finish.
        file.set_len(before)?;
        file.sync_all()?;
        journal.commit()?;
        return Err(AppendError::RolledBack(e));
    }
    journal.commit()?;
    Ok(())
}

/// What an append must know of the file it goes after: whether the file holds anything but
/// blanks, its last byte, its first lines (the header), and how many lines and bytes it has.
/// Read through once in pieces: a province's dossier file (a hundred MB and more) is never
/// held whole for it.
#[derive(Debug, Clone)]
pub struct Existing {
    blank: bool,
    last: Option<u8>,
    /// The file's first bytes: [`Existing::HEAD`] of them, or more to reach its first line end.
    head: Vec<u8>,
    /// Whether `head` has a line end.
    head_ended: bool,
    lines: u64,
    len: u64,
}

impl Existing {
    /// Bytes read at a time, and kept of the file's start: a header with a quoted line end
    /// still lies whole in them.
    const HEAD: usize = 64 * 1024;

    /// The most kept of a file's start that has no line end.
    const MOST: usize = 1024 * 1024;

    /// The file from its start.
    pub fn read(file: &mut File) -> io::Result<Existing> {
        file.seek(SeekFrom::Start(0))?;
        let mut existing = Existing::of(b"");
        let mut buf = vec![0u8; Existing::HEAD];
        loop {
            match file.read(&mut buf) {
                Ok(0) => return Ok(existing),
                Ok(n) => existing.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The file at `path`; a file that cannot be read is taken as empty.
    pub fn read_path(path: &Path) -> Existing {
        File::open(path)
            .and_then(|mut file| Existing::read(&mut file))
            .unwrap_or_else(|_| Existing::of(b""))
    }

    /// Whether the file has no row: nothing but blanks, or its first line and blanks after it
    /// (all of it read into `head`).
    fn rowless(&self) -> bool {
        self.blank
            || (self.len == self.head.len() as u64
                && memchr::memchr(b'\n', &self.head)
                    .is_none_or(|end| self.head[end + 1..].iter().all(u8::is_ascii_whitespace)))
    }

    /// The line end rows appended to the file get: the one its first line ends with (`\r\n`
    /// in a file Excel saved, or a checkout with `core.autocrlf`), else `\n`. A file's rows
    /// then all end alike, whatever wrote them.
    fn line_end(&self) -> &'static [u8] {
        match memchr::memchr(b'\n', &self.head) {
            Some(end) if end > 0 && self.head[end - 1] == b'\r' => b"\r\n",
            _ => b"\n",
        }
    }

    /// The 1-based line the first row appended to the file goes on: after a header when the
    /// file has nothing but blank lines, after a line end when its last line lacks one.
    pub fn first_line(&self) -> u64 {
        if self.blank {
            self.lines + 2
        } else {
            self.lines + u64::from(self.last != Some(b'\n')) + 1
        }
    }

    /// A file of these bytes.
    pub fn of(bytes: &[u8]) -> Existing {
        let mut existing = Existing {
            blank: true,
            last: None,
            head: Vec::new(),
            head_ended: false,
            lines: 0,
            len: 0,
        };
        existing.feed(bytes);
        existing
    }

    fn feed(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        self.blank = self.blank && bytes.iter().all(u8::is_ascii_whitespace);
        self.last = Some(last);
        self.lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.len += bytes.len() as u64;
        // The first HEAD bytes, and on to the first line end if it lies further, up to MOST (a
        // first line longer than that is cut there: the header is read from what is kept).
        let want = if self.head_ended {
            Existing::HEAD
        } else {
            Existing::MOST
        };
        if self.head.len() < want {
            let room = Existing::HEAD.saturating_sub(self.head.len());
            let to_line_end = if self.head_ended {
                0
            } else {
                memchr::memchr(b'\n', bytes).map_or(usize::MAX, |i| i + 1)
            };
            let take = (room.max(to_line_end))
                .min(Existing::MOST - self.head.len())
                .min(bytes.len());
            self.head_ended |= memchr::memchr(b'\n', &bytes[..take]).is_some();
            self.head.extend_from_slice(&bytes[..take]);
        }
    }
}

/// The bytes an append of `rows` to a file holding `existing` writes after them (a newline
/// the file lacks, a header for a new file, the rows), and what it will have done.
fn compose(
    existing: &Existing,
    kind: Kind,
    rows: &[Vec<String>],
) -> Result<(Vec<u8>, Appended), AppendError> {
    // A new file names the change columns too when the rows give them.
    let wide = rows.iter().any(|r| r.len() > kind.columns().len());
    let mut encoder = Encoder::new(existing, kind, wide, 0)?;
    let start = encoder.out.len();
    for row in rows {
        encoder.row(row)?;
    }
    let (buffer, done) = encoder.finish();
    let done = Appended {
        text: String::from_utf8_lossy(&buffer[start..]).into_owned(),
        ..done
    };
    Ok((buffer, done))
}

/// The rows of an append encoded one at a time into one buffer, as [`Locked::append`] writes
/// them after a file's bytes: a newline the file lacks, a header for a new file, then each row
/// in the file's column order. For an import of a million rows, which are never all held as
/// cells: the caller checks a row, encodes it and forgets it, and appends the buffer once
/// ([`Locked::append_encoded`]).
pub struct Encoder {
    out: Vec<u8>,
    /// For each column of the file, the index of its value in a row.
    order: Vec<Option<usize>>,
    /// For each value of a row, whether the file has its column.
    kept: Vec<bool>,
    names: Vec<&'static str>,
    /// The line end each row gets ([`Existing::line_end`]).
    eol: &'static [u8],
    first_line: u64,
    fixed_newline: bool,
    wrote_header: bool,
    /// Where the bytes go as they come, for a file with no rows yet.
    spool: Option<Spool>,
}

impl Encoder {
    /// An encoder of rows to append to a file holding `existing`. A new (empty) file gets a
    /// header of the kind's columns, and of the change columns too when `wide`. `capacity`:
    /// about how many bytes the rows will take.
    pub fn new(
        existing: &Existing,
        kind: Kind,
        wide: bool,
        capacity: usize,
    ) -> Result<Encoder, AppendError> {
        let names = names(kind);
        let columns = kind.columns();
        let new_file = existing.blank;
        let eol = existing.line_end();
        // A file that does not end in a newline gets one before the new rows (after a `\r`,
        // only the `\n` that makes it a line end).
        let fixed_newline = !new_file && existing.last.is_some_and(|b| b != b'\n');
        let mut out = Vec::with_capacity(capacity.saturating_add(1024));
        if fixed_newline {
            out.extend_from_slice(if existing.last == Some(b'\r') {
                b"\n"
            } else {
                eol
            });
        }
        let order = if new_file {
            let width = if wide { names.len() } else { columns.len() };
            let mut w = super::csv_writer(&mut out);
            w.write_record(&names[..width])
                .map_err(super::csv_io_error)?;
            w.flush()?;
            drop(w);
            (0..width).map(Some).collect::<Vec<_>>()
        } else {
            header_order(&existing.head, kind)?
        };
        let kept = (0..names.len()).map(|i| order.contains(&Some(i))).collect();
        Ok(Encoder {
            out,
            order,
            kept,
            names,
            eol,
            first_line: existing.first_line(),
            fixed_newline,
            wrote_header: new_file,
            spool: None,
        })
    }

    /// The 1-based line the first row will be on.
    pub fn first_line(&self) -> u64 {
        self.first_line
    }

    /// Encodes one row (values in the kind's order, then its change columns). A value for a
    /// column the file does not have is refused (nothing of the row is encoded).
    pub fn row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<(), AppendError> {
        for (i, value) in row.iter().enumerate() {
            if !value.as_ref().is_empty() && !self.kept.get(i).copied().unwrap_or(false) {
                return Err(AppendError::MissingColumn {
                    column: self.names.get(i).copied().unwrap_or("?"),
                });
            }
        }
        let start = self.out.len();
        for (n, slot) in self.order.iter().enumerate() {
            let value = slot.and_then(|i| row.get(i)).map_or("", AsRef::as_ref);
            if n > 0 {
                self.out.push(b',');
            }
            write_field(&mut self.out, value.as_bytes());
        }
        if self.out.len() == start {
            // A record of one empty cell is written `""` (else it would be a blank line).
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.extend_from_slice(self.eol);
        self.spill();
        Ok(())
    }

    /// Hands what is encoded to the spool, if there is one, once there is a chunk of it.
    fn spill(&mut self) {
        if self.out.len() >= Spool::CHUNK
            && let Some(spool) = self.spool.as_mut()
        {
            spool.send(&mut self.out);
        }
    }

    /// Whether the file's columns are the kind's, in its order (then maybe the change columns):
    /// a row of `width` cells none of which needs quotes is then its cells joined by commas
    /// ([`Encoder::push_plain`]).
    pub fn is_plain(&self, width: usize) -> bool {
        self.order.len() >= width && self.order.iter().enumerate().all(|(k, s)| *s == Some(k))
    }

    /// Takes a row of a plain file ([`Encoder::is_plain`]) already encoded: its cells, none of
    /// which needs quotes, joined by commas; the columns after them left empty.
    pub fn push_plain(&mut self, line: &[u8], width: usize) {
        self.out.extend_from_slice(line);
        self.out
            .extend(std::iter::repeat_n(b',', self.order.len() - width));
        self.out.extend_from_slice(self.eol);
        self.spill();
    }

    /// The bytes to append, and what the append will have done (its `text` left empty).
    pub fn finish(self) -> (Vec<u8>, Appended) {
        let done = Appended {
            first_line: self.first_line,
            text: String::new(),
            fixed_newline: self.fixed_newline,
            wrote_header: self.wrote_header,
        };
        (self.out, done)
    }
}

/// The rows of an import into a file that has no rows yet, written as they are encoded into a
/// new file beside it (hidden: `records/.kehoach-<file>-XXXXXX.tmp`, made exclusively with an
/// unpredictable name), synced to disk as they go on a thread of their own, and renamed over
/// the record file when all is done ([`Spool::finish`]). Dropped unfinished, the new file is
/// removed; left by a killed process, the next command removes it
/// ([`super::journal::recover`]). The record file's lock is held throughout.
pub struct Spool {
    /// The new file's name, removed when dropped unless it was renamed.
    path: Option<tempfile::TempPath>,
    /// Chunks to write, to the writing thread; `None` once it has stopped.
    chunks: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    /// Chunks written, emptied, back from the writing thread to be filled again.
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
    /// Tells the writing thread to stop without syncing: the spool is dropped unfinished.
    abandon: std::sync::Arc<std::sync::atomic::AtomicBool>,
    writer: Option<crate::par::Background<io::Result<()>>>,
}

impl Spool {
    /// Bytes handed to the writing thread at a time.
    pub const CHUNK: usize = 1 << 20;

    /// Chunks waiting for the writing thread at most: a slow disk holds the import back there.
    const DEPTH: usize = 8;

    /// Bytes written between syncs: the disk works while the rows are checked, and little is
    /// left to sync at the end.
    const SYNC_EVERY: usize = 16 << 20;

    /// The file that replaces the record file at `record`: `head` (the record file's bytes: a
    /// header, or nothing) first, with the record file's `permissions`.
    fn beside(record: &Path, head: &[u8], permissions: std::fs::Permissions) -> io::Result<Spool> {
        let name = record
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let made = tempfile::Builder::new()
            .prefix(&super::journal::spool_prefix(&name))
            .suffix(super::journal::SPOOL_SUFFIX)
            .tempfile_in(crate::files::folder_of(record))?;
        let (mut file, path) = made.into_parts();
        file.set_permissions(permissions)?;
        file.write_all(head)?;
        let (chunks, to_write) = std::sync::mpsc::sync_channel::<Vec<u8>>(Spool::DEPTH);
        let (give_back, spare) = std::sync::mpsc::sync_channel(Spool::DEPTH + 2);
        let abandon = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = std::sync::Arc::clone(&abandon);
        let stopped = move || stop.load(std::sync::atomic::Ordering::Relaxed);
        let writer = crate::par::background(move || {
            let mut unsynced = 0;
            for mut chunk in to_write {
                if stopped() {
                    return Ok(());
                }
                file.write_all(&chunk)?;
                unsynced += chunk.len();
                if unsynced >= Spool::SYNC_EVERY {
                    file.sync_data()?;
                    unsynced = 0;
                }
                chunk.clear();
                let _ = give_back.try_send(chunk);
            }
            if stopped() {
                return Ok(());
            }
            file.sync_all()
        });
        Ok(Spool {
            path: Some(path),
            chunks: Some(chunks),
            spare,
            abandon,
            writer: Some(writer),
        })
    }

    /// Hands `out`'s bytes to the writing thread and leaves `out` empty (a chunk it wrote
    /// before, when there is one). If the thread has stopped on an error, the bytes are dropped:
    /// [`Spool::finish`] says the error.
    fn send(&mut self, out: &mut Vec<u8>) {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(Spool::CHUNK + (Spool::CHUNK >> 4)));
        let full = std::mem::replace(out, next);
        if let Some(chunks) = &self.chunks
            && chunks.send(full).is_err()
        {
            self.chunks = None;
        }
    }

    /// Writes `rest`, waits for every byte to be on disk, and renames the new file over the
    /// record file at `record`. On any failure the record file is as it was and the new file is
    /// gone.
    fn finish(mut self, mut rest: Vec<u8>, record: &Path) -> Result<(), AppendError> {
        if !rest.is_empty() {
            self.send(&mut rest);
        }
        self.chunks = None;
        let written = self
            .writer
            .take()
            .map_or(Ok(()), crate::par::Background::wait);
        // A chunk the thread refused (it had stopped) was dropped: its error is said here.
        written.map_err(AppendError::RolledBack)?;
        let path = self
            .path
            .take()
            .ok_or(AppendError::Io(io::ErrorKind::NotFound.into()))?;
        path.persist(record)
            .map_err(|e| AppendError::RolledBack(e.error))?;
        // The rename itself to disk.
        if let Ok(dir) = File::open(crate::files::folder_of(record)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // Unfinished: the thread stops at its next chunk, unsynced; the new file goes with
        // `path`.
        self.abandon
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.chunks = None;
        drop(self.writer.take());
    }
}

/// One cell as the csv crate writes it (its writer's settings in [`super::csv_writer`]): in
/// quotes, with quotes doubled, when it holds a comma, a quote or a line break; as it is else.
/// The same bytes, several times faster than the crate's writer, field by field.
fn write_field(out: &mut Vec<u8>, value: &[u8]) {
    if !needs_quotes(value) {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'"');
    for &b in value {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Whether `value` holds a comma, a quote or a line break.
fn needs_quotes(value: &[u8]) -> bool {
    count_special(value) != (0, false)
}

/// In `text`, how many commas, and whether any quote or line break: eight bytes at a time.
/// A row whose cells were joined by commas needs no quotes when the commas are those.
pub fn count_special(text: &[u8]) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // The high bit of each byte of `word` equal to `b`, and of no other.
    let equal = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        !((((x & LOW7) + LOW7) | x) | LOW7)
    };
    let mut words = text.chunks_exact(8);
    let (mut commas, mut other) = (0, 0);
    for w in words.by_ref() {
        let word = u64::from_le_bytes(w.try_into().unwrap_or_default());
        commas += equal(word, b',').count_ones() as usize;
        other |= equal(word, b'"') | equal(word, b'\n') | equal(word, b'\r');
    }
    for &b in words.remainder() {
        commas += usize::from(b == b',');
        other |= u64::from(matches!(b, b'"' | b'\n' | b'\r'));
    }
    (commas, other != 0)
}

/// For each column of the file's header, the index of that column in the kind's schema.
fn header_order(existing: &[u8], kind: Kind) -> Result<Vec<Option<usize>>, AppendError> {
    let mut rdr = super::csv_reader(existing);
    let mut header = csv::ByteRecord::new();
    if !rdr
        .read_byte_record(&mut header)
        .map_err(|_| AppendError::BadHeader)?
    {
        return Err(AppendError::BadHeader);
    }
    let names = names(kind);
    header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let name = std::str::from_utf8(raw)
                .map_err(|_| AppendError::BadHeader)?
                .trim();
            Ok(names.iter().position(|c| c.eq_ignore_ascii_case(name)))
        })
        .collect()
}

/// The columns a row to append may give, in its order: the kind's columns, then the columns
/// that say how a row changes a record ([`Kind::change_columns`]).
pub fn names(kind: Kind) -> Vec<&'static str> {
    (kind.columns().iter().map(|c| c.name))
        .chain(kind.change_columns().iter().copied())
        .collect()
}

/// The names of the columns the header of `existing` (a record file's bytes, or the file: only
/// its first record is read) has, trimmed; empty when it has no header.
pub fn header_names(existing: impl io::Read) -> Vec<String> {
    let mut rdr = super::csv_reader(existing);
    let mut header = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut header).unwrap_or(false) {
        return Vec::new();
    }
    super::column_names(&header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_bytes_are_counted_exactly_wherever_they_lie() {
        for text in [
            "",
            "a,b",
            ",,,,,,,,,",
            "abcdefgh,ijklmnop,q",
            "2021-03-01,ht-khai-sinh,,Nguyễn Văn A,",
            "một \"câu\" dài hơn tám byte",
            "x\r\ny",
            "\u{1}\u{2c}\u{ac}\u{2c}",
        ] {
            let commas = text.bytes().filter(|&b| b == b',').count();
            let other = text.bytes().any(|b| matches!(b, b'"' | b'\n' | b'\r'));
            assert_eq!(count_special(text.as_bytes()), (commas, other), "{text:?}");
            assert_eq!(
                needs_quotes(text.as_bytes()),
                commas > 0 || other,
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_file_read_in_pieces_says_what_the_whole_file_says() {
        let header = "id,procedure,field,received,due";
        let body: String = (0..20_000)
            .map(|i| format!("000.00.27.H42-210301-{i:05},ht-khai-sinh,,2021-03-01,2021-03-02\n"))
            .collect();
        let quoted = "\"i\nd\",\"procedure\"\n";
        let long_line = "x".repeat(Existing::HEAD * 3);
        for text in [
            String::new(),
            "\n \r\n\t".to_string(),
            format!("{header}\n"),
            format!("{header}\n{body}"),
            format!("\u{feff}{header}\r\n{body}000.00.27.H42-210301-99999,ht"),
            format!("{quoted}{body}"),
            format!("{long_line},id\n{body}"),
            long_line.clone(),
        ] {
            let bytes = text.as_bytes();
            let mut file = tempfile::tempfile().unwrap();
            file.write_all(bytes).unwrap();
            let read = Existing::read(&mut file).unwrap();
            let whole = Existing::of(bytes);
            let what = &text[..text.len().min(40)];
            for e in [&read, &whole] {
                assert_eq!(e.len, bytes.len() as u64, "{what:?}");
                assert_eq!(
                    e.lines,
                    bytes.iter().filter(|&&b| b == b'\n').count() as u64
                );
                assert_eq!(e.last, bytes.last().copied(), "{what:?}");
                assert_eq!(
                    e.blank,
                    bytes.iter().all(u8::is_ascii_whitespace),
                    "{what:?}"
                );
                // After the lines there are; a header first in a blank file, a line end first
                // after a last line without one.
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                let first = match (e.blank, bytes.last()) {
                    (true, _) => lines + 2,
                    (false, Some(b'\n')) => lines + 1,
                    (false, _) => lines + 2,
                };
                assert_eq!(e.first_line(), first, "{what:?}");
                // No row: blanks, or one line and blanks after it.
                let after_first = bytes
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(&[][..], |i| &bytes[i + 1..]);
                assert_eq!(
                    e.rowless(),
                    after_first.iter().all(u8::is_ascii_whitespace),
                    "{what:?}"
                );
                assert!(bytes.starts_with(&e.head), "{what:?}");
                let line_end = bytes
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| i + 1);
                assert_eq!(
                    e.head.len(),
                    line_end.max(Existing::HEAD).min(bytes.len()),
                    "{what:?}"
                );
                // The head holds the first record whole: the header reads as from the file.
                assert_eq!(
                    header_order(&e.head, Kind::Dossiers).ok(),
                    header_order(bytes, Kind::Dossiers).ok(),
                    "{what:?}"
                );
            }
            assert!(read.head.len() <= Existing::MOST, "{what:?}");
            assert!(
                read.head == whole.head,
                "{what:?}: {} and {} bytes",
                read.head.len(),
                whole.head.len()
            );
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn new_file_gets_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("commitments.csv");
        let done = append_rows(
            &path,
            Kind::Commitments,
            &[row(&["2021-01-18", "ct", "9", "Tiếp công dân, mỗi tuần"])],
        )
        .unwrap();
        assert!(done.wrote_header);
        assert_eq!(done.first_line, 2);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "date,officer,task,commitment,met,judged\n2021-01-18,ct,9,\"Tiếp công dân, mỗi tuần\",,\n"
        );
    }

    #[test]
    fn existing_column_order_is_kept_and_a_missing_newline_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("commitments.csv");
        std::fs::write(&path, "officer,date,commitment,task\r\nct,2021-01-18,A,9").unwrap();
        let done = append_rows(
            &path,
            Kind::Commitments,
            &[row(&["2021-01-19", "vp1", "1", "B"])],
        )
        .unwrap();
        assert!(done.fixed_newline);
        assert_eq!(done.first_line, 3);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "officer,date,commitment,task\r\nct,2021-01-18,A,9\r\nvp1,2021-01-19,B,1\r\n"
        );
    }

    #[test]
    fn cells_are_written_as_the_csv_crate_writes_them() {
        let values = [
            "",
            "a",
            "a,b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "x\r\n",
            " sp ",
            "Hòa, Thủy",
            "'=1+2",
            "tab\there",
            ",",
            "\"\"",
        ];
        for value in values {
            let mut ours = Vec::new();
            write_field(&mut ours, value.as_bytes());
            let mut theirs = Vec::new();
            let mut w = super::super::csv_writer(&mut theirs);
            w.write_record([value, "z"]).unwrap();
            w.flush().unwrap();
            drop(w);
            ours.extend_from_slice(b",z\n");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{value:?}"
            );
        }
        // Through an encoder, a row as `append` writes it.
        let kind = Kind::Commitments;
        let width = kind.columns().len();
        let mut row = row(&["2021-01-18", "ct", "9", "Tiếp công dân, \"mỗi\" tuần"]);
        row.resize(width, String::new());
        let mut encoder = Encoder::new(&Existing::of(b""), kind, false, 0).unwrap();
        encoder.row(&row).unwrap();
        let (bytes, done) = encoder.finish();
        let mut theirs = Vec::new();
        let mut w = super::super::csv_writer(&mut theirs);
        w.write_record(names(kind)[..width].iter()).unwrap();
        w.write_record(&row).unwrap();
        w.flush().unwrap();
        drop(w);
        assert_eq!(bytes, theirs);
        assert_eq!(done.first_line, 2);
    }

    #[test]
    fn a_value_for_a_column_the_file_lacks_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("activities.csv");
        std::fs::write(&path, "date,task,kind,summary\n").unwrap();
        let cells = row(&["2021-01-20", "1", "meeting", "Họp", "", "BB 1", "", "", ""]);
        match append_rows(&path, Kind::Activities, &[cells]) {
            Err(AppendError::MissingColumn { column }) => assert_eq!(column, "evidence"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "date,task,kind,summary\n"
        );
    }

    /// A writer that opened a record file, then waited for its lock while an import into it
    /// (it had no rows) put a new file in its place, writes into the new file: its row is not
    /// lost with the old one.
    #[test]
    fn a_writer_waiting_while_the_file_is_replaced_appends_to_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records/feedback.csv");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let header = "date,channel,rating,officer,summary,handled,note\n";
        std::fs::write(&path, header).unwrap();
        let mut import = Locked::open(&path).unwrap();
        let (told, waits) = std::sync::mpsc::channel();
        let clerk = std::thread::scope(|scope| {
            let clerk = scope.spawn(|| {
                // Opens the file (the one about to be replaced) and waits for its lock; said
                // after a second.
                let mut lock = Locked::open_as(&path, "clerk", |_| told.send(()).unwrap()).unwrap();
                lock.append(
                    Kind::Feedback,
                    &[row(&["2021-03-02", "hotline", "satisfied", "vp1", "b"])],
                )
                .unwrap()
            });
            waits.recv().unwrap();
            let mut encoder = import.encoder(Kind::Feedback, false, 0).unwrap();
            assert!(encoder.spool.is_some(), "a file with no rows is replaced");
            encoder
                .row(&row(&["2021-03-01", "hotline", "satisfied", "vp1", "a"]))
                .unwrap();
            import.append_encoded(encoder).unwrap();
            drop(import);
            clerk.join().unwrap()
        });
        assert_eq!(clerk.first_line, 3);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!(
                "{header}2021-03-01,hotline,satisfied,vp1,a,,\n2021-03-02,hotline,satisfied,vp1,b,,\n"
            )
        );
        // Nothing left beside it.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["feedback.csv"]);
    }
}
