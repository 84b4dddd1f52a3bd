//! Provenance: what a report was built from. The commit HEAD names, whether plan.toml or
//! records/ differ from it, and a SHA-256 digest of exactly the plan and record files read.
//!
//! The digest covers, for each file in reading order (plan.toml, then the record files as
//! `check` reads them): its path relative to the plan folder with `/`, a zero byte, its length
//! as 8 bytes little-endian, then its bytes. So renaming, reordering or splitting files
//! changes it too. It is written `sha256:<64 hex digits>` wherever a report states it, and
//! `verify` finds it there.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;
use sha2::Digest as _;

use super::Repo;
use crate::messages::Lang;
use crate::messages::history::Say;

/// The provenance of a report (the `provenance` field of the report context).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Provenance {
    /// The commit HEAD named when the report was made (full id); `null` outside git or before
    /// the first commit.
    pub commit: Option<String>,
    /// The same, abbreviated as git prints it.
    pub short: Option<String>,
    /// Whether plan.toml or a record file differs from that commit (changed, added, removed);
    /// `null` outside git.
    pub dirty: Option<bool>,
    /// The files that differ, relative to the plan folder.
    pub changed: Vec<String>,
    /// `sha256:<hex>`: the digest of the plan and record bytes read.
    pub digest: String,
    /// The files digested, in order.
    pub files: Vec<String>,
    /// The sentence reports print: "Nguồn dữ liệu: commit 1a2b3c4, …; mã SHA-256 …".
    pub line: String,
}

/// The digest of files, framed as the module says, fed file by file.
pub struct Digest {
    hasher: sha2::Sha256,
}

impl Default for Digest {
    fn default() -> Self {
        Digest {
            hasher: sha2::Sha256::new(),
        }
    }
}

impl Digest {
    /// Starts a file of `len` bytes; its bytes follow with [`Digest::bytes`].
    pub fn file(&mut self, rel: &str, len: u64) {
        self.hasher.update(rel.as_bytes());
        self.hasher.update([0u8]);
        self.hasher.update(len.to_le_bytes());
    }

    pub fn bytes(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// A file of `len` bytes (as its metadata says, [`open_sized`]), read from `file` a buffer
    /// at a time and handed to `also` too: an error when it holds more or fewer bytes by the
    /// end (it changed while read). A province's file is never held whole.
    fn file_from(
        &mut self,
        file: &mut std::fs::File,
        rel: &str,
        len: u64,
        buf: &mut [u8],
        lang: Lang,
        mut also: impl FnMut(&[u8]),
    ) -> Result<()> {
        let reading = || crate::messages::doing(lang, crate::messages::Doing::Reading, rel);
        self.file(rel, len);
        let mut read = 0u64;
        loop {
            let n = file.read(buf).with_context(reading)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            self.bytes(&buf[..n]);
            also(&buf[..n]);
        }
        if read != len {
            anyhow::bail!("{}: {}", rel, Say::ChangedWhileRead.render(lang));
        }
        Ok(())
    }

    /// `sha256:<hex>`.
    pub fn finish(self) -> String {
        let hex: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("sha256:{hex}")
    }
}

/// How much of a file [`Digest::file_from`] reads at a time: the buffer stays in the cache
/// the hashing reads it from (a mebibyte does not, and was slower).
const DIGEST_BUFFER: usize = 64 << 10;

/// The file `rel` of the plan folder `dir`, opened, and its length.
fn open_sized(dir: &Path, rel: &str, lang: Lang) -> Result<(std::fs::File, u64)> {
    let reading = || crate::messages::doing(lang, crate::messages::Doing::Reading, rel);
    let file = std::fs::File::open(dir.join(rel)).with_context(reading)?;
    let len = file.metadata().with_context(reading)?.len();
    Ok((file, len))
}

/// plan.toml and the record files `check` reads, relative to the plan folder, in order.
pub fn folder_files(dir: &Path, lang: Lang) -> Result<Vec<String>> {
    let (files, _) = crate::records::read::record_files(dir).with_context(|| {
        crate::messages::doing(lang, crate::messages::Doing::Reading, "records")
    })?;
    let mut all = vec![crate::plan::PLAN_FILE.to_string()];
    all.extend(files.iter().map(|(_, rel)| slash(rel)));
    Ok(all)
}

fn slash(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// The provenance of the plan folder `dir` whose record files `records` (as
/// [`crate::records::Records::files`] lists them) were read: every file is read once, for
/// the digest and, where the index cannot vouch for it, for its blob id.
pub fn of_folder(dir: &Path, records: &[PathBuf], lang: Lang) -> Result<Provenance> {
    let mut files = vec![crate::plan::PLAN_FILE.to_string()];
    files.extend(records.iter().map(|p| slash(p)));
    let repo = Repo::discover(dir, lang);
    let head = match &repo {
        Some(repo) => repo.commit("HEAD")?,
        None => None,
    };
    let committed: Vec<super::TreeFile> = match (&repo, &head) {
        (Some(repo), Some(head)) => repo.tree_files(head.id)?,
        _ => Vec::new(),
    };
    let mut digest = Digest::default();
    let mut changed = Vec::new();
    let mut buf = vec![0u8; DIGEST_BUFFER];
    for rel in &files {
        let path = dir.join(rel);
        let (mut file, len) = open_sized(dir, rel, lang)?;
        // The blob id is computed only for a file the index cannot vouch for.
        let base = committed.iter().find(|f| f.rel == *rel);
        let mut blob = match (&repo, base) {
            (Some(repo), Some(base)) if !repo.index_says_unchanged(rel, base.id, &path) => {
                let mut h = <sha1::Sha1 as sha1::Digest>::new();
                sha1::Digest::update(&mut h, format!("blob {len}\0").as_bytes());
                Some(h)
            }
            _ => None,
        };
        digest.file_from(&mut file, rel, len, &mut buf, lang, |bytes| {
            if let Some(h) = &mut blob {
                sha1::Digest::update(h, bytes);
            }
        })?;
        if repo.is_some() && head.is_some() {
            let same = match (base, blob) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(base), Some(h)) => {
                    let id: [u8; 20] = sha1::Digest::finalize(h).into();
                    id.as_slice() == base.id.as_slice()
                }
            };
            if !same {
                changed.push(rel.clone());
            }
        }
    }
    // Committed files that are no longer read.
    for f in &committed {
        if !files.contains(&f.rel) {
            changed.push(f.rel.clone());
        }
    }
    changed.sort();
    let in_git = repo.is_some();
    let digest = digest.finish();
    let short = head.as_ref().map(|h| h.short.clone());
    Ok(Provenance {
        commit: head.as_ref().map(|h| h.id.to_string()),
        line: crate::messages::history::provenance_line(
            short.as_deref(),
            in_git,
            &changed,
            &digest,
        ),
        short,
        dirty: in_git.then(|| head.is_none() || !changed.is_empty()),
        changed,
        digest,
        files,
    })
}

/// The digest of the plan folder as it is now.
pub fn digest_of_folder(dir: &Path, lang: Lang) -> Result<String> {
    let files = folder_files(dir, lang)?;
    let mut digest = Digest::default();
    let mut buf = vec![0u8; DIGEST_BUFFER];
    for rel in &files {
        let (mut file, len) = open_sized(dir, rel, lang)?;
        digest.file_from(&mut file, rel, len, &mut buf, lang, |_| ())?;
    }
    Ok(digest.finish())
}

/// The digest of the plan folder as a commit has it.
pub fn digest_of_commit(repo: &Repo, commit: gix::ObjectId) -> Result<String> {
    let mut digest = Digest::default();
    for f in repo.tree_files(commit)? {
        let bytes = repo.blob(f.id)?;
        digest.file(&f.rel, bytes.len() as u64);
        digest.bytes(&bytes);
    }
    Ok(digest.finish())
}

/// The digest a report states (`sha256:` and 64 hex digits): in the text of a Markdown, HTML
/// or JSON report, or in the parts of a DOCX (its document properties and body).
pub fn digest_in_report(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).ok()?;
            let mut text = Vec::new();
            part.read_to_end(&mut text).ok()?;
            if let Some(found) = find_digest(&text) {
                return Some(found);
            }
        }
        return None;
    }
    find_digest(bytes)
}

fn find_digest(bytes: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&bytes[from..], b"sha256:") {
        let start = from + at + "sha256:".len();
        let hex = bytes.get(start..start + 64)?;
        if hex
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        {
            return Some(format!("sha256:{}", String::from_utf8_lossy(hex)));
        }
        from = start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_frames_each_file() {
        let of = |files: &[(&str, &[u8])]| {
            let mut d = Digest::default();
            for (rel, bytes) in files {
                d.file(rel, bytes.len() as u64);
                d.bytes(bytes);
            }
            d.finish()
        };
        let a = of(&[("plan.toml", b"x"), ("records/a.csv", b"ab")]);
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64);
        // The same bytes cut differently between files, or under another name, differ.
        assert_ne!(a, of(&[("plan.toml", b"xa"), ("records/a.csv", b"b")]));
        assert_ne!(a, of(&[("plan.toml", b"x"), ("records/b.csv", b"ab")]));
        assert_eq!(a, of(&[("plan.toml", b"x"), ("records/a.csv", b"ab")]));
    }

    #[test]
    fn the_digest_is_found_in_a_report() {
        let hex = "ab".repeat(32);
        let text = format!("… sha256:zz and sha256:{hex} …");
        assert_eq!(
            digest_in_report(text.as_bytes()),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(digest_in_report(b"sha256:12"), None);
        assert_eq!(digest_in_report(b"no digest"), None);
    }
}
