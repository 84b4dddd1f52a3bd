//! Which commit added a row: the history of one file walked back from a commit, a row at a
//! time as text (rows are whole lines; a row is "added" by the commit whose version of the
//! file has it while none of its parents' versions do).
//!
//! Commits are taken newest first; a row present in a parent's version is handed to that
//! parent, so a row moved, merged from a branch or re-added is followed to where it first
//! appeared on the way back. A commit that leaves the file as its parent had it hands every
//! row on without reading anything.
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

/// For each of `rows` (lines of the file `rel` as commit `start` has it), the commit that
/// added it; `None` for a row `start` does not have.
pub fn added_by(
    repo: &Repo,
    start: gix::ObjectId,
    rel: &str,
    rows: &[&[u8]],
) -> Result<Vec<Option<gix::ObjectId>>> {
    let mut walk = Walk {
        repo,
        rel,
        hasher: hashbrown::DefaultHashBuilder::default(),
        sets: HashMap::new(),
        blobs: HashMap::new(),
    };
    let keys: Vec<u64> = rows.iter().map(|r| walk.key(r)).collect();
    let mut result = vec![None; rows.len()];
    let Some(start_blob) = walk.blob_of(start)? else {
        return Ok(result);
    };
    let present = walk.set_of(start_blob)?;
    let first: Vec<usize> = (0..rows.len())
        .filter(|&i| present.contains(&keys[i]))
        .collect();
    let mut pending: HashMap<gix::ObjectId, Vec<usize>> = HashMap::new();
    let mut queue = BinaryHeap::new();
    let time = |id: gix::ObjectId| -> Result<i64> { Ok(repo.info(id)?.date.timestamp()) };
    pending.insert(start, first);
    queue.push((time(start)?, start));
    while let Some((_, commit)) = queue.pop() {
        let Some(mut left) = pending.remove(&commit) else {
            continue;
        };
        let blob = walk.blob_of(commit)?;
        for parent in repo.parents(commit)? {
            if left.is_empty() {
                break;
            }
            let Some(parent_blob) = walk.blob_of(parent)? else {
                continue;
            };
            let handed: Vec<usize> = if Some(parent_blob) == blob {
                std::mem::take(&mut left)
            } else {
                let set = walk.set_of(parent_blob)?;
                let (handed, kept) = left.iter().partition(|&&i| set.contains(&keys[i]));
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

/// The walk's caches: per commit the file's blob, per blob the hashes of its lines.
struct Walk<'r> {
    repo: &'r Repo,
    rel: &'r str,
    hasher: hashbrown::DefaultHashBuilder,
    sets: HashMap<gix::ObjectId, HashSet<u64>>,
    blobs: HashMap<gix::ObjectId, Option<gix::ObjectId>>,
}

impl Walk<'_> {
    /// What a row is compared by: the hash of its bytes without a CRLF's `\r`.
    fn key(&self, row: &[u8]) -> u64 {
        self.hasher.hash_one(row.strip_suffix(b"\r").unwrap_or(row))
    }

    fn blob_of(&mut self, commit: gix::ObjectId) -> Result<Option<gix::ObjectId>> {
        if let Some(b) = self.blobs.get(&commit) {
            return Ok(*b);
        }
        let b = self.repo.blob_at(commit, self.rel)?;
        self.blobs.insert(commit, b);
        Ok(b)
    }

    fn set_of(&mut self, blob: gix::ObjectId) -> Result<&HashSet<u64>> {
        if !self.sets.contains_key(&blob) {
            let bytes = self.repo.blob(blob)?;
            let set = lines(&bytes).iter().map(|l| self.key(l)).collect();
            self.sets.insert(blob, set);
        }
        Ok(&self.sets[&blob])
    }
}
