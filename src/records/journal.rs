//! The undo journal of appends: an append that cannot be half-done.
//!
//! Before the first byte of an append goes to `records/<kind>.csv`, the file's length is written
//! to `records/.<kind>.csv.journal` and synced to disk. The rows are then written and synced,
//! and the journal removed. On a write error the file is cut back to that length at once. If the
//! process is killed in between, the journal stays: the next command to open the folder finds
//! it, takes the file's lock (so that it never undoes a live writer's work), cuts the file back
//! and says so. A journal cut off before its last line means nothing was appended yet.
//!
//! An import into a file with no rows writes a new file beside it instead
//! (`records/.kehoach-<kind>.csv-XXXXXX.tmp`, [`super::append::Spool`]); one a killed import
//! left is removed the same way, under the lock, and said.
//!
//! While a writer holds a record file's lock, `records/.<kind>.csv.holder` says who it is, so
//! that a second writer waiting for the lock can tell the user whom it waits for.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "kehoach journal 1";
const JOURNAL: &str = ".journal";
const HOLDER: &str = ".holder";

/// `records/.<name>.journal` for `records/<name>`.
pub fn journal_path(file: &Path) -> PathBuf {
    beside(file, JOURNAL)
}

/// `records/.<name>.holder` for `records/<name>`.
pub fn holder_path(file: &Path) -> PathBuf {
    beside(file, HOLDER)
}

fn beside(file: &Path, suffix: &str) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!(".{name}{suffix}"))
}

/// A journal on disk: the append it guards may be under way.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Records that `file` is `length` bytes long, durably, before anything is appended to it.
    pub fn begin(file: &Path, length: u64) -> io::Result<Journal> {
        let path = journal_path(file);
        let mut j = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        write!(j, "{MAGIC}\nlength {length}\nend\n")?;
        j.sync_all()?;
        sync_dir(&path);
        Ok(Journal { path })
    }

    /// The append is whole and on disk: forget the length.
    pub fn commit(self) -> io::Result<()> {
        std::fs::remove_file(&self.path)?;
        sync_dir(&self.path);
        Ok(())
    }
}

/// The length a journal recorded, if the journal was written whole.
fn read_length(path: &Path) -> io::Result<Option<u64>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Ok(None);
    }
    let length = lines
        .next()
        .and_then(|l| l.strip_prefix("length "))
        .and_then(|n| n.parse::<u64>().ok());
    Ok(length.filter(|_| lines.next() == Some("end")))
}

/// What the next command put right after a killed writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// A cut-off append removed: the record file `file` (relative to the plan folder) is
    /// `length` bytes long again, as before it; `removed` bytes of it are gone.
    CutBack {
        file: String,
        length: u64,
        removed: u64,
    },
    /// The new file of an import into `file` when it had no rows, killed before it took the
    /// file's place ([`super::append::Spool`]): removed, `bytes` long. The record file itself
    /// was never touched.
    Discarded { file: String, bytes: u64 },
}

/// Puts back every record file an append left half-done (a journal beside it), under the
/// file's lock (waiting for a live append to end), and removes the new files killed imports
/// left, when the file's lock is free. Journals that never guarded a write are removed
/// silently.
pub fn recover(dir: &Path) -> io::Result<Vec<Restored>> {
    let records = dir.join("records");
    let mut restored = Vec::new();
    let entries = match std::fs::read_dir(&records) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(restored),
        Err(e) => return Err(e),
    };
    let (mut journals, mut spools) = (Vec::new(), Vec::new());
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(file) = name.strip_prefix('.').and_then(|n| n.strip_suffix(JOURNAL)) {
            journals.push(file.to_string());
        } else if let Some(file) = spooled(&name) {
            spools.push((file.to_string(), name));
        }
    }
    journals.sort();
    spools.sort();
    for name in journals {
        let file = records.join(&name);
        let journal = journal_path(&file);
        // Only a plain file of the folder is ever cut (the file checks report anything else).
        let plain = std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_file());
        if !plain {
            remove(&journal)?;
            continue;
        }
        let handle = OpenOptions::new().read(true).write(true).open(&file)?;
        // A live writer holds this lock until its journal is gone: wait for it.
        handle.lock()?;
        let Some(length) = (match read_length(&journal) {
            Ok(length) => length,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        }) else {
            // Cut off while being written: the append had not started.
            remove(&journal)?;
            continue;
        };
        let now = handle.metadata()?.len();
        if now > length {
            handle.set_len(length)?;
            handle.sync_all()?;
            restored.push(Restored::CutBack {
                file: format!("records/{name}"),
                length,
                removed: now - length,
            });
        }
        remove(&journal)?;
        let _ = handle.unlock();
    }
    for (name, spool) in spools {
        // A live import holds the record file's lock while its new file exists, and renames
        // or removes it before letting go: when the lock is free, what is still there is a
        // killed one's. When it is not, the new file may be a live import's: it is left (for
        // the next command), and this one goes on without waiting for the import to end. (The
        // lock of the file the name leads to now: if a new file took its place meanwhile, the
        // import that put it there is done.)
        let file = records.join(&name);
        let handle = std::fs::symlink_metadata(&file)
            .is_ok_and(|m| m.file_type().is_file())
            .then(|| OpenOptions::new().read(true).open(&file))
            .transpose()?;
        if let Some(handle) = &handle {
            match handle.try_lock_shared() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => continue,
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        let spool = records.join(&spool);
        let bytes = match std::fs::symlink_metadata(&spool) {
            Ok(meta) if meta.file_type().is_file() => meta.len(),
            Ok(_) => continue,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        remove(&spool)?;
        restored.push(Restored::Discarded {
            file: format!("records/{name}"),
            bytes,
        });
        // The lock goes with `handle`.
    }
    Ok(restored)
}

/// The name of an import's new file for record file `file` is `.kehoach-<file>-XXXXXX.tmp`
/// ([`super::append::Spool`]): this before the random part, [`SPOOL_SUFFIX`] after it.
pub(super) fn spool_prefix(file: &str) -> String {
    format!("{SPOOL_START}{file}-")
}

const SPOOL_START: &str = ".kehoach-";

pub(super) const SPOOL_SUFFIX: &str = ".tmp";

/// The record file whose import's new file is named `name` ([`spool_prefix`]), if it is one.
fn spooled(name: &str) -> Option<&str> {
    let inner = name.strip_prefix(SPOOL_START)?.strip_suffix(SPOOL_SUFFIX)?;
    let (file, random) = inner.rsplit_once('-')?;
    (file.ends_with(".csv") && !random.is_empty()).then_some(file)
}

fn remove(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            sync_dir(path);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes a file's creation or removal durable (best effort: not every system allows it).
fn sync_dir(path: &Path) {
    if let Some(parent) = path.parent()
        && let Ok(d) = File::open(parent)
    {
        let _ = d.sync_all();
    }
}

/// Says who holds a record file's lock: written when the lock is taken.
pub fn write_holder(file: &Path, who: &str) {
    // Only a courtesy for waiters: failing to write it changes nothing else.
    let _ = std::fs::write(
        holder_path(file),
        format!("{who} (pid {})\n", std::process::id()),
    );
}

/// Who holds a record file's lock, as its holder wrote it.
pub fn read_holder(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(holder_path(file)).ok()?;
    let line = text.lines().next()?.trim();
    // Written by kehoach, but printed to a terminal: printable characters only.
    let clean: String = line.chars().filter(|c| !c.is_control()).take(200).collect();
    (!clean.is_empty()).then_some(clean)
}

/// The lock is being released: nobody holds it any more.
pub fn clear_holder(file: &Path) {
    let _ = std::fs::remove_file(holder_path(file));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_left_behind_cuts_the_file_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("records/dossiers.csv");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "id\nA\n").unwrap();
        let journal = Journal::begin(&file, 5).unwrap();
        std::fs::write(&file, "id\nA\nB,torn").unwrap();
        std::mem::forget(journal);
        let restored = recover(dir.path()).unwrap();
        assert_eq!(
            restored,
            vec![Restored::CutBack {
                file: "records/dossiers.csv".into(),
                length: 5,
                removed: 6
            }]
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "id\nA\n");
        assert!(!journal_path(&file).exists());
        assert!(recover(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn a_journal_cut_off_itself_guarded_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("records/feedback.csv");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "date\n2021-01-01\n").unwrap();
        std::fs::write(journal_path(&file), "kehoach journal 1\nlength 5").unwrap();
        assert!(recover(dir.path()).unwrap().is_empty());
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "date\n2021-01-01\n"
        );
        assert!(!journal_path(&file).exists());
    }

    #[test]
    fn a_new_file_a_killed_import_left_is_removed_and_the_record_file_kept() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("records");
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(records.join("dossiers.csv"), "id\n").unwrap();
        std::fs::write(
            records.join(".kehoach-dossiers.csv-Ab12Cd.tmp"),
            "id\nA\nB,to",
        )
        .unwrap();
        // Not an import's: an output's temporary name, and a name without its random part.
        std::fs::write(records.join(".kehoach-Xy34Zw.tmp"), "x").unwrap();
        std::fs::write(records.join(".kehoach-dossiers.csv-.tmp"), "x").unwrap();
        assert_eq!(
            recover(dir.path()).unwrap(),
            vec![Restored::Discarded {
                file: "records/dossiers.csv".into(),
                bytes: 9
            }]
        );
        assert!(!records.join(".kehoach-dossiers.csv-Ab12Cd.tmp").exists());
        assert!(records.join(".kehoach-Xy34Zw.tmp").exists());
        assert!(records.join(".kehoach-dossiers.csv-.tmp").exists());
        assert_eq!(
            std::fs::read_to_string(records.join("dossiers.csv")).unwrap(),
            "id\n"
        );
        assert!(recover(dir.path()).unwrap().is_empty());
    }

    /// While a writer holds the record file's lock, a new file beside it may be a live
    /// import's: it is left, and nobody waits for the writer; once the lock is free it goes.
    #[test]
    fn a_new_file_beside_a_locked_record_file_is_left_to_its_writer() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("records");
        std::fs::create_dir_all(&records).unwrap();
        let file = records.join("dossiers.csv");
        std::fs::write(&file, "id\n").unwrap();
        let spool = records.join(".kehoach-dossiers.csv-Ab12Cd.tmp");
        std::fs::write(&spool, "id\nA\n").unwrap();
        // As a writer holds it (`append::Locked`): an exclusive lock on the record file.
        let writer = File::open(&file).unwrap();
        writer.lock().unwrap();
        assert!(recover(dir.path()).unwrap().is_empty());
        assert!(spool.exists());
        drop(writer);
        assert_eq!(recover(dir.path()).unwrap().len(), 1);
        assert!(!spool.exists());
    }
}
