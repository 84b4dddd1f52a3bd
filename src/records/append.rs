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
        let started = std::time::Instant::now();
        let mut waiting = Some(waiting);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
            if started.elapsed() >= std::time::Duration::from_secs(1)
                && let Some(say) = waiting.take()
            {
                say(super::journal::read_holder(path));
                file.lock()?;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
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
        let existing = read_all(&mut self.file)?;
        compose(&existing, kind, rows)
    }

    /// The file's bytes as they are.
    pub fn contents(&mut self) -> io::Result<Vec<u8>> {
        read_all(&mut self.file)
    }
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
    let existing = read_all(file)?;
    let (buffer, done) = compose(&existing, kind, rows)?;
    // The length first, durably; then one write of everything, to disk before the lock goes.
    let before = existing.len() as u64;
    let journal = super::journal::Journal::begin(path, before)?;
    if let Err(e) = file.write_all(&buffer).and_then(|()| file.sync_data()) {
        // Cut back now; if even that fails, the journal stays for the next command to finish.
        file.set_len(before)?;
        file.sync_all()?;
        journal.commit()?;
        return Err(AppendError::RolledBack(e));
    }
    journal.commit()?;
    Ok(done)
}

fn read_all(file: &mut File) -> io::Result<Vec<u8>> {
    let mut existing = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut existing)?;
    Ok(existing)
}

/// The bytes an append of `rows` to a file holding `existing` writes after them (a newline
/// the file lacks, a header for a new file, the rows), and what it will have done.
fn compose(
    existing: &[u8],
    kind: Kind,
    rows: &[Vec<String>],
) -> Result<(Vec<u8>, Appended), AppendError> {
    let names = names(kind);
    let columns = kind.columns();
    let mut out = Vec::new();
    let (order, wrote_header) = if existing.iter().all(u8::is_ascii_whitespace) {
        // A new file names the change columns too when the rows give them.
        let width = if rows.iter().any(|r| r.len() > columns.len()) {
            names.len()
        } else {
            columns.len()
        };
        let mut w = super::csv_writer(&mut out);
        w.write_record(&names[..width]).map_err(csv_io)?;
        w.flush()?;
        drop(w);
        ((0..width).map(Some).collect::<Vec<_>>(), true)
    } else {
        (header_order(existing, kind)?, false)
    };
    // A file that does not end in a newline gets one before the new rows.
    let fixed_newline = !wrote_header && existing.last().is_some_and(|&b| b != b'\n');
    let mut text = Vec::new();
    {
        let mut w = super::csv_writer(&mut text);
        for row in rows {
            let mut record = Vec::with_capacity(order.len());
            for slot in &order {
                record.push(slot.map_or("", |i| row.get(i).map_or("", String::as_str)));
            }
            for (i, value) in row.iter().enumerate() {
                if !value.is_empty() && !order.contains(&Some(i)) {
                    return Err(AppendError::MissingColumn { column: names[i] });
                }
            }
            w.write_record(&record).map_err(csv_io)?;
        }
        w.flush()?;
    }
    let mut buffer = Vec::with_capacity(out.len() + text.len() + 1);
    if fixed_newline {
        buffer.push(b'\n');
    }
    buffer.extend_from_slice(&out);
    buffer.extend_from_slice(&text);
    let lines_before = if wrote_header {
        // The header goes after whatever blank lines the file had.
        count_lines(existing) + 1
    } else {
        count_lines(existing) + u64::from(fixed_newline)
    };
    let done = Appended {
        first_line: lines_before + 1,
        text: String::from_utf8_lossy(&text).into_owned(),
        fixed_newline,
        wrote_header,
    };
    Ok((buffer, done))
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
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

/// The names of the columns the header of `existing` (a record file's bytes) has, trimmed;
/// empty when it has no header.
pub fn header_names(existing: &[u8]) -> Vec<String> {
    let mut rdr = super::csv_reader(existing);
    let mut header = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut header).unwrap_or(false) {
        return Vec::new();
    }
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

fn csv_io(e: csv::Error) -> io::Error {
    io::Error::other(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "officer,date,commitment,task\r\nct,2021-01-18,A,9\nvp1,2021-01-19,B,1\n"
        );
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
}
