//! The folder's history, read through git with gix (pure Rust: the `git` program is never run).
//!
//! - [`provenance`]: what a report was built from (commit, dirty or clean, a SHA-256 digest of
//!   the bytes read), and `verify`.
//! - [`audit`]: committed rows stay byte-identical and in place; conflict markers; gaps in a
//!   day's one-stop sequence numbers; `check --since`.
//! - [`blame`]: which commit added a row, for the audit's findings and `kehoach log`.
//!
//! A committed file is compared with the working one without inflating it when it can be: the
//! index's stat data says "unchanged" at the cost of one `stat`, and otherwise the blob id of
//! the working file's first bytes (as many as the committed blob has) is computed and compared
//! with the committed id, so an unchanged prefix (rows appended since) costs one SHA-1 pass.

pub mod audit;
pub mod blame;
pub mod provenance;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use gix::bstr::ByteSlice as _;
use sha1::Digest as _;

use crate::messages::history::Say;
use crate::records::Kind;

/// A git repository whose work tree holds the plan folder.
pub struct Repo {
    pub repo: gix::Repository,
    /// The plan folder relative to the work tree: empty, or `a/b/` (with `/`).
    pub prefix: String,
    /// The plan folder.
    pub dir: PathBuf,
    /// The language of error messages.
    pub lang: crate::messages::Lang,
    /// The index, read once when first needed (`None`: there is none, or it cannot be read).
    index: std::cell::OnceCell<Option<gix::index::File>>,
}

/// A commit, resolved.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: gix::ObjectId,
    /// The abbreviated id, as git prints it.
    pub short: String,
    pub author: String,
    pub email: String,
    /// The author's date, in the author's time zone.
    pub date: chrono::DateTime<chrono::FixedOffset>,
    /// The first line of the message.
    pub subject: String,
}

/// The kind of the record file `rel` (`records/<kind>.csv`, `records/<kind>/<name>.csv`).
pub fn kind_of(rel: &str) -> Option<Kind> {
    let rest = rel.strip_prefix("records/")?;
    let name = rest
        .split_once('/')
        .map_or_else(|| rest.trim_end_matches(".csv"), |(dir, _)| dir);
    Kind::from_name(name)
}

/// A file of a committed tree: its path relative to the plan folder and its blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    pub rel: String,
    pub id: gix::ObjectId,
}

impl Repo {
    /// The repository whose work tree holds `dir`; `None` when `dir` is in no git work tree
    /// (or in a bare repository, which has no work tree).
    pub fn discover(dir: &Path, lang: crate::messages::Lang) -> Option<Repo> {
        // An empty path (KEHOACH_DIR set to nothing) is the current folder.
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let here = std::fs::canonicalize(dir).ok()?;
        let repo = gix::discover(&here).ok()?;
        let workdir = repo.workdir()?.to_path_buf();
        let workdir = std::fs::canonicalize(&workdir).unwrap_or(workdir);
        let rel = here.strip_prefix(&workdir).ok()?;
        let mut prefix = String::new();
        for part in rel.components() {
            prefix.push_str(&part.as_os_str().to_string_lossy());
            prefix.push('/');
        }
        Some(Repo {
            repo,
            prefix,
            dir: dir.to_path_buf(),
            lang,
            index: std::cell::OnceCell::new(),
        })
    }

    /// The commit `rev` names (`HEAD`, a branch, `main~2`, an id); `None` for `HEAD` in a
    /// repository without commits yet.
    pub fn commit(&self, rev: &str) -> Result<Option<CommitInfo>> {
        if rev == "HEAD" {
            let mut head = self.repo.head().map_err(|e| anyhow!("{e}"))?;
            if head.is_unborn() {
                return Ok(None);
            }
            let commit = head.peel_to_commit().map_err(|e| anyhow!("{e}"))?;
            return self.info(commit.id).map(Some);
        }
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| self.unknown(rev))?;
        let commit = id
            .object()
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| self.unknown(rev))?;
        self.info(commit.id).map(Some)
    }

    fn unknown(&self, rev: &str) -> String {
        Say::UnknownRev {
            rev: rev.to_string(),
        }
        .render(self.lang)
    }

    /// Author, date and subject of a commit.
    pub fn info(&self, id: gix::ObjectId) -> Result<CommitInfo> {
        let commit = self.repo.find_commit(id).map_err(|e| anyhow!("{e}"))?;
        let author = commit.author().map_err(|e| anyhow!("{e}"))?;
        let time = author.time().map_err(|e| anyhow!("{e}"))?;
        let offset = chrono::FixedOffset::east_opt(time.offset)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
        let date = chrono::DateTime::from_timestamp(time.seconds, 0)
            .unwrap_or_default()
            .with_timezone(&offset);
        let subject = commit
            .message_raw_sloppy()
            .lines()
            .next()
            .map(|l| l.to_str_lossy().trim().to_string())
            .unwrap_or_default();
        let short = commit.id().shorten_or_id().to_string();
        Ok(CommitInfo {
            id,
            short,
            author: author.name.to_str_lossy().trim().to_string(),
            email: author.email.to_str_lossy().trim().to_string(),
            date,
            subject,
        })
    }

    /// The ids of a commit's parents.
    pub fn parents(&self, id: gix::ObjectId) -> Result<Vec<gix::ObjectId>> {
        let commit = self.repo.find_commit(id).map_err(|e| anyhow!("{e}"))?;
        Ok(commit.parent_ids().map(|p| p.detach()).collect())
    }

    /// The blob id of `rel` (relative to the plan folder) in a commit's tree.
    pub fn blob_at(&self, commit: gix::ObjectId, rel: &str) -> Result<Option<gix::ObjectId>> {
        let commit = self.repo.find_commit(commit).map_err(|e| anyhow!("{e}"))?;
        let tree = commit.tree().map_err(|e| anyhow!("{e}"))?;
        let path = format!("{}{rel}", self.prefix);
        let entry = tree
            .lookup_entry(path.split('/').map(|p| p.as_bytes()))
            .map_err(|e| anyhow!("{e}"))?;
        Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
    }

    /// A blob's bytes.
    pub fn blob(&self, id: gix::ObjectId) -> Result<Vec<u8>> {
        let mut blob = self.repo.find_blob(id).map_err(|e| anyhow!("{e}"))?;
        Ok(blob.take_data())
    }

    /// A blob's size, read from its header (nothing is inflated).
    pub fn blob_size(&self, id: gix::ObjectId) -> Result<u64> {
        Ok(self
            .repo
            .find_header(id)
            .map_err(|e| anyhow!("{e}"))?
            .size())
    }

    /// plan.toml and the record files of a commit, in the order `check` reads them (plan.toml
    /// first, then per kind `records/<kind>.csv` and `records/<kind>/*.csv` by name).
    pub fn tree_files(&self, commit: gix::ObjectId) -> Result<Vec<TreeFile>> {
        let mut files = Vec::new();
        if let Some(id) = self.blob_at(commit, crate::plan::PLAN_FILE)? {
            files.push(TreeFile {
                rel: crate::plan::PLAN_FILE.to_string(),
                id,
            });
        }
        files.extend(self.record_files(commit)?);
        Ok(files)
    }

    /// The record files of a commit, in reading order.
    pub fn record_files(&self, commit: gix::ObjectId) -> Result<Vec<TreeFile>> {
        let commit = self.repo.find_commit(commit).map_err(|e| anyhow!("{e}"))?;
        let tree = commit.tree().map_err(|e| anyhow!("{e}"))?;
        let path = format!("{}records", self.prefix);
        let Some(entry) = tree
            .lookup_entry(path.split('/').map(|p| p.as_bytes()))
            .map_err(|e| anyhow!("{e}"))?
            .filter(|e| e.mode().is_tree())
        else {
            return Ok(Vec::new());
        };
        let listing = |id: gix::ObjectId| -> Result<Vec<(String, bool, gix::ObjectId)>> {
            let tree = self.repo.find_tree(id).map_err(|e| anyhow!("{e}"))?;
            let mut out = Vec::new();
            for e in tree.iter() {
                let e = e.map_err(|e| anyhow!("{e}"))?;
                out.push((
                    e.filename().to_str_lossy().into_owned(),
                    e.mode().is_tree(),
                    e.object_id(),
                ));
            }
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(out)
        };
        let top = listing(entry.object_id())?;
        let mut files = Vec::new();
        for kind in Kind::ALL {
            let single = format!("{}.csv", kind.name());
            if let Some((_, _, id)) = top.iter().find(|(n, dir, _)| !dir && *n == single) {
                files.push(TreeFile {
                    rel: format!("records/{single}"),
                    id: *id,
                });
            }
            if let Some((_, _, id)) = top.iter().find(|(n, dir, _)| *dir && n == kind.name()) {
                for (name, dir, id) in listing(*id)? {
                    let csv = name
                        .rsplit_once('.')
                        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("csv"));
                    if !dir && csv {
                        files.push(TreeFile {
                            rel: format!("records/{}/{name}", kind.name()),
                            id,
                        });
                    }
                }
            }
        }
        Ok(files)
    }

    /// Whether the working file `rel` starts with exactly the committed blob `id` (and how long
    /// the blob is): first the index's stat data (one `stat`, nothing read), else the blob id of
    /// the file's first bytes. `None` when the file is missing.
    pub fn starts_with_blob(&self, rel: &str, id: gix::ObjectId) -> Result<Option<Prefix>> {
        let path = self.dir.join(rel);
        let Ok(meta) = std::fs::metadata(&path) else {
            return Ok(None);
        };
        if self.index_says_unchanged(rel, id, &path) {
            return Ok(Some(Prefix::Same { size: meta.len() }));
        }
        let size = self.blob_size(id)?;
        if meta.len() < size {
            return Ok(Some(Prefix::Differs));
        }
        let file = std::fs::File::open(&path)?;
        let (got, newlines) = blob_id_of_prefix(file, size)?;
        Ok(Some(if got.as_slice() == id.as_slice() {
            if meta.len() == size {
                Prefix::Same { size }
            } else {
                Prefix::Extended { size, newlines }
            }
        } else {
            Prefix::Differs
        }))
    }

    /// The index has `rel` with blob `id`, and the file's stat data match the entry's (and the
    /// entry is not racily clean): the file is that blob, as `git status` concludes.
    pub fn index_says_unchanged(&self, rel: &str, id: gix::ObjectId, path: &Path) -> bool {
        let Some(index) = self
            .index
            .get_or_init(|| self.repo.open_index().ok())
            .as_ref()
        else {
            return false;
        };
        let full = format!("{}{rel}", self.prefix);
        let Some(entry) = index.entry_by_path(full.as_bytes().as_bstr()) else {
            return false;
        };
        if entry.id != id {
            return false;
        }
        let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(path) else {
            return false;
        };
        let Ok(stat) = gix::index::entry::Stat::from_fs(&meta) else {
            return false;
        };
        let options = gix::index::entry::stat::Options {
            use_nsec: true,
            ..Default::default()
        };
        entry.stat.matches(&stat, options) && !entry.stat.is_racy(index.timestamp(), options)
    }
}

/// How a working file stands to its committed version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// Byte for byte the committed blob.
    Same { size: u64 },
    /// The committed blob (of `newlines` line ends), then more bytes (rows appended).
    Extended { size: u64, newlines: u64 },
    /// Something committed was changed.
    Differs,
}

/// The git blob id (SHA-1 of `blob <size>\0` and the bytes) of the first `size` bytes of a
/// reader, and how many line ends they hold (counted in the same pass). RustCrypto's SHA-1 (with the CPU's SHA instructions where it has them), not gix's
/// collision-detecting one: this compares a file with a known id, it does not store objects.
pub fn blob_id_of_prefix(
    mut read: impl std::io::Read,
    size: u64,
) -> std::io::Result<([u8; 20], u64)> {
    let mut hasher = sha1::Sha1::new();
    hasher.update(format!("blob {size}\0").as_bytes());
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size;
    let mut newlines = 0;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = read.read(&mut buf[..want])?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        hasher.update(&buf[..n]);
        newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        left -= n as u64;
    }
    Ok((hasher.finalize().into(), newlines))
}

/// The git blob id of some bytes.
pub fn blob_id(bytes: &[u8]) -> [u8; 20] {
    blob_id_of_prefix(bytes, bytes.len() as u64)
        .expect("reading from memory")
        .0
}

/// Reads a whole file (used where the bytes are needed anyway).
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        let hex: String = blob_id(b"hello\n")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
        // The empty blob.
        let hex: String = blob_id(b"").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        // A prefix of a longer reader.
        assert_eq!(
            blob_id_of_prefix(&b"hello\nworld\n"[..], 6).unwrap(),
            (blob_id(b"hello\n"), 1)
        );
        assert!(blob_id_of_prefix(&b"hel"[..], 6).is_err());
    }
}
