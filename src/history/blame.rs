//! Which commit added a row: the history of one file walked back from a commit, a row at a
//! time as text (rows are whole lines; a row is "added" by the commit whose version of the
//! file has it while none of its parents' versions do).
//!
//! Commits are taken newest first; a row present in a parent's version is handed to that
//! parent, so a row moved, merged from a branch or re-added is followed to where it first
//! appeared on the way back. A record file's version is all the files of its kind: a row moved
//! to another of them (`git mv records/dossiers.csv records/dossiers/2021.csv`, a file split
//! by month) is the row its first commit added, not one the move added. A commit that leaves
//! them as its parent had them hands every row on without reading anything.
//!
//! A row is compared without the `\r` of a CRLF line end: git checks a file out with CRLF that
//! it keeps with LF (`core.autocrlf`, git for Windows' default; `eol=crlf`), and a row of such a
//! checkout is the row its commit added.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::BuildHasher as _;

use anyhow::Result;

use super::Repo;

/// The lines of some bytes, without their `\n` (a `\r` before it stays: it is a byte of the row).
pub fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        out.pop();
    }
    out
}

/// A row without the `\r` of a CRLF line end: the same row either way (a checkout with
/// `core.autocrlf`, a file saved again by Excel).
pub fn bare(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// For each of `rows` (lines of the file `rel`), the commit that added it; `None` for a row
/// `start` does not have.
pub fn added_by(
    repo: &Repo,
    start: gix::ObjectId,
    rel: &str,
    rows: &[&[u8]],
) -> Result<Vec<Option<gix::ObjectId>>> {
    let mut walk = Walk {
        repo,
        rel,
        kind: super::kind_of(rel),
        hasher: hashbrown::DefaultHashBuilder::default(),
        sets: HashMap::new(),
        blobs: HashMap::new(),
    };
    let keys: Vec<u64> = rows.iter().map(|r| walk.key(r)).collect();
    let mut result = vec![None; rows.len()];
    // Rows `start` has in any file of their kind (a file moved but not yet committed too).
    let start_blobs = walk.blobs_of(start)?;
    let (first, _) = walk.partition(&start_blobs, (0..rows.len()).collect(), &keys)?;
    let mut pending: HashMap<gix::ObjectId, Vec<usize>> = HashMap::new();
    let mut queue = BinaryHeap::new();
    let time = |id: gix::ObjectId| -> Result<i64> { Ok(repo.info(id)?.date.timestamp()) };
    pending.insert(start, first);
    queue.push((time(start)?, start));
    while let Some((_, commit)) = queue.pop() {
        let Some(mut left) = pending.remove(&commit) else {
            continue;
        };
        let blobs = walk.blobs_of(commit)?;
        for parent in repo.parents(commit)? {
            if left.is_empty() {
                break;
            }
            let parent_blobs = walk.blobs_of(parent)?;
            if parent_blobs.is_empty() {
                continue;
            }
            let handed: Vec<usize> = if parent_blobs == blobs {
                std::mem::take(&mut left)
            } else {
                let (handed, kept) = walk.partition(&parent_blobs, left, &keys)?;
                left = kept;
                handed
            };
            if !handed.is_empty() {
                let slot = pending.entry(parent).or_default();
                let was_empty = slot.is_empty();
                slot.extend(handed);
                if was_empty {
                    queue.push((time(parent)?, parent));
                }
            }
        }
        for i in left {
            result[i] = Some(commit);
        }
    }
    Ok(result)
}

/// The walk's caches: per commit the blobs of the file's kind (or of the file, when it is no
/// record file), per blob the hashes of its lines.
struct Walk<'r> {
    repo: &'r Repo,
    rel: &'r str,
    kind: Option<crate::records::Kind>,
    hasher: hashbrown::DefaultHashBuilder,
    sets: HashMap<gix::ObjectId, HashSet<u64>>,
    blobs: HashMap<gix::ObjectId, Vec<gix::ObjectId>>,
}

impl Walk<'_> {
    /// What a row is compared by: the hash of its bytes without a CRLF's `\r`.
    fn key(&self, row: &[u8]) -> u64 {
        self.hasher.hash_one(bare(row))
    }

    /// The blobs a commit holds of the file's kind (sorted), or of the file.
    fn blobs_of(&mut self, commit: gix::ObjectId) -> Result<Vec<gix::ObjectId>> {
        if let Some(b) = self.blobs.get(&commit) {
            return Ok(b.clone());
        }
        let mut b: Vec<gix::ObjectId> = match self.kind {
            Some(kind) => (self.repo.record_files(commit)?.into_iter())
                .filter(|f| super::kind_of(&f.rel) == Some(kind))
                .map(|f| f.id)
                .collect(),
            None => self.repo.blob_at(commit, self.rel)?.into_iter().collect(),
        };
        b.sort_unstable();
        b.dedup();
        self.blobs.insert(commit, b.clone());
        Ok(b)
    }

    /// `rows` split into those one of `blobs` has and the others.
    fn partition(
        &mut self,
        blobs: &[gix::ObjectId],
        rows: Vec<usize>,
        keys: &[u64],
    ) -> Result<(Vec<usize>, Vec<usize>)> {
        for &blob in blobs {
            self.load(blob)?;
        }
        let sets: Vec<&HashSet<u64>> = blobs.iter().map(|b| &self.sets[b]).collect();
        Ok(rows
            .into_iter()
            .partition(|&i| sets.iter().any(|set| set.contains(&keys[i]))))
    }

    fn load(&mut self, blob: gix::ObjectId) -> Result<()> {
        if !self.sets.contains_key(&blob) {
            let bytes = self.repo.blob(blob)?;
            let set = lines(&bytes).iter().map(|l| self.key(l)).collect();
            self.sets.insert(blob, set);
        }
        Ok(())
    }
}
