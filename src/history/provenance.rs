//! Provenance: what a report was built from. The commit HEAD names, whether plan.toml or
//! records/ differ from it, and a SHA-256 digest of exactly the plan and record files read.
//!
//! The digest covers, for each file in reading order (plan.toml, then the record files as
//! `check` reads them): its path relative to the plan folder with `/`, a zero byte, its length
//! as 8 bytes little-endian, then the SHA-256 of each 16 KiB of its bytes in turn (the last
//! piece shorter, an empty file none: [`crate::pieces`]). So renaming, reordering or splitting
//! files changes it too. The pieces can be hashed by whichever thread reads them: a report
//! takes them from its load's own reads ([`crate::pieces::Found`]), so that the files are not
//! read a second time for it, and reads again only what the load did not hold whole. It is
//! written `sha256:<64 hex digits>` wherever a report states it, and `verify` finds it there.
//!
//! Reports made before the pieces (December 2026) state a digest framed alike but with each
//! file's bytes themselves in place of its pieces' digests ([`Scheme::Bytes`]): `verify`
//! knows both.

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

/// How a digest frames a file's bytes (the module says how).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// The SHA-256 of each of its pieces: what reports state.
    Pieces,
    /// Its bytes themselves: what reports made before the pieces state.
    Bytes,
}

/// The digest of files, framed as the module says, fed file by file.
#[derive(Clone)]
pub struct Digest {
    scheme: Scheme,
    hasher: sha2::Sha256,
    /// The pieces of the file under way, when its bytes are fed ([`Scheme::Pieces`]).
    run: Option<crate::pieces::Pieces>,
}

impl Digest {
    pub fn new(scheme: Scheme) -> Digest {
        Digest {
            scheme,
            hasher: sha2::Sha256::new(),
            run: None,
        }
    }

    /// Starts a file of `len` bytes; its bytes follow with [`Digest::bytes`], or its pieces'
    /// digests, hashed elsewhere, with [`Digest::piece`].
    pub fn file(&mut self, rel: &str, len: u64) {
        self.end_file();
        self.hasher.update(rel.as_bytes());
        self.hasher.update([0u8]);
        self.hasher.update(len.to_le_bytes());
        if self.scheme == Scheme::Pieces {
            self.run = Some(crate::pieces::Pieces::starting_at(0));
        }
    }

    /// The file's next bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        match &mut self.run {
            Some(run) => {
                run.update(bytes);
                for (_, piece) in run.take() {
                    self.hasher.update(piece);
                }
            }
            None => self.hasher.update(bytes),
        }
    }

    /// The file's next piece, hashed elsewhere ([`Scheme::Pieces`], and no bytes fed).
    pub fn piece(&mut self, piece: &crate::pieces::PieceDigest) {
        debug_assert!(self.run.as_ref().is_some_and(|run| run.at() == 0));
        self.hasher.update(piece);
    }

    /// The file under way is done: its last piece, shorter, too.
    fn end_file(&mut self) {
        if let Some(mut run) = self.run.take() {
            run.end();
            for (_, piece) in run.take() {
                self.hasher.update(piece);
            }
        }
    }

    /// `sha256:<hex>`.
    pub fn finish(mut self) -> String {
        self.end_file();
        let hex: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("sha256:{hex}")
    }
}

/// How much of a file [`FolderDigest::run`] reads at a time: the buffer stays in the cache
/// the hashing reads it from (a mebibyte does not, and was slower).
const DIGEST_BUFFER: usize = 64 << 10;

/// The file `rel` of the plan folder `dir`, opened, and its length: only a plain file of the
/// folder, as the load reads (never a FIFO, which would hang the digest, nor a link out of it).
fn open_sized(dir: &Path, rel: &str, lang: Lang) -> Result<(std::fs::File, u64)> {
    let reading = || crate::messages::doing(lang, crate::messages::Doing::Reading, rel);
    if let Err(refused) = crate::files::check(dir, &dir.join(rel)).with_context(reading)? {
        anyhow::bail!(
            "{}",
            crate::folder::refusal(rel.to_string(), refused).render(lang)
        );
    }
    let file = std::fs::File::open(dir.join(rel)).with_context(reading)?;
    let len = file.metadata().with_context(reading)?.len();
    Ok((file, len))
}

/// plan.toml and the record files `check` reads, relative to the plan folder, in order; an
/// error, as `check` gives it, when the folder holds one it may not read (a FIFO, a link out
/// of it), which the listing would otherwise leave out.
pub fn folder_files(dir: &Path, lang: Lang) -> Result<Vec<String>> {
    crate::folder::check_readable(dir, lang)?;
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
/// [`crate::records::Records::files`] lists them) were read, their pieces found by the load
/// in `found` (when it hashed them): every file is read once at most, for the digest (what the
/// load left of it) and, where the index cannot vouch for it, for its blob id.
pub fn of_folder(
    dir: &Path,
    records: &[PathBuf],
    lang: Lang,
    found: Option<&crate::pieces::Found>,
) -> Result<Provenance> {
    let reading = match found {
        Some(_) => Reading::BlobsOnly,
        None => Reading::All(Scheme::Pieces),
    };
    let mut work = FolderDigest::start(dir, records, lang, reading)?;
    work.run(|| false)?;
    work.finish(found)
}

/// What a [`FolderDigest`] reads files for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every file, for the digest (framed by the scheme) and, where needed, its blob id.
    All(Scheme),
    /// Only the files whose blob id is needed: the load hashed the record files' pieces
    /// ([`crate::pieces::Found`]), and [`FolderDigest::finish`] reads what it left.
    BlobsOnly,
}

/// [`of_folder`] as work that can stop between two buffers and go on later, on another thread:
/// a report runs it on a thread of its own beside the load and the counting, stops it when it
/// needs the provenance, and does the rest itself (or, refused, leaves it). What it has done
/// so far can also be taken over by another thread without waiting for the one doing it
/// ([`Handover`]).
pub struct FolderDigest {
    setup: std::sync::Arc<Setup>,
    progress: Progress,
    /// The file `progress.open` names, as opened by this thread (`None` for a file begun by
    /// the thread this work was taken from: opened again where it was left).
    file: Option<std::fs::File>,
    buf: Vec<u8>,
}

/// What a [`FolderDigest`] knows from the start.
struct Setup {
    dir: PathBuf,
    lang: Lang,
    reading: Reading,
    /// plan.toml, then the record files, relative to the plan folder with `/`.
    files: Vec<String>,
    /// Whether the folder is in a git work tree; the commit HEAD names, and its files.
    in_git: bool,
    head: Option<super::CommitInfo>,
    committed: Vec<super::TreeFile>,
    /// Per file of `files`: whether its blob id must be computed to tell whether it differs
    /// from HEAD's (the index cannot vouch for it), and then the size of its committed blob.
    /// Asked of the repository at the start, so that the work holds none (it stays on the
    /// thread that opened it).
    blob_needed: Vec<Option<u64>>,
}

/// How far a [`FolderDigest`] has come: all of it but the open file's handle, so that a copy
/// can be handed to another thread.
#[derive(Clone)]
struct Progress {
    digest: Digest,
    changed: Vec<String>,
    /// The next file of `files` to open.
    next: usize,
    /// The file being read, if one is.
    open: Option<OpenFile>,
}

/// A file [`FolderDigest`] has begun to read.
#[derive(Clone)]
struct OpenFile {
    /// Its place in `files`, its length as its metadata said, and the bytes read so far.
    at: usize,
    len: u64,
    read: u64,
    /// Its committed blob, and the blob id of its bytes so far when the index cannot vouch for
    /// it; and when it is longer than that blob, the blob id of its bytes with CRLF made LF.
    base: Option<usize>,
    blob: Option<sha1::Sha1>,
    lf: Option<LfBlob>,
}

/// A [`FolderDigest`] that one thread runs at the lowest priority, in time a core would
/// otherwise be idle, and another may take over at any moment: the first hands over a copy of
/// its progress after each buffer ([`FolderDigest::run_handing_over`]), the second goes on from
/// the last copy ([`Handover::take`]), and the first stops at its next buffer. The taker never
/// waits for the thread it takes from, which on a busy machine may not run for a while.
pub struct Handover {
    latest: std::sync::Mutex<Progress>,
    taken: std::sync::atomic::AtomicBool,
    setup: std::sync::Arc<Setup>,
}

impl Handover {
    /// The work as far as it was handed over; its first holder stops at its next buffer.
    pub fn take(&self) -> FolderDigest {
        self.taken.store(true, std::sync::atomic::Ordering::Relaxed);
        let progress = match self.latest.lock() {
            Ok(latest) => latest.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        FolderDigest::resume(std::sync::Arc::clone(&self.setup), progress)
    }
}

/// The blob id of bytes fed a buffer at a time as git's clean filter stores a text file that
/// a checkout wrote with CRLF line ends (`core.autocrlf`, git for Windows' default; `eol=crlf`):
/// every `\r\n` made `\n`. The blob's size must be known at the start (git's header comes
/// first): it is the committed blob's, and [`LfBlob::id`] gives nothing when the bytes do not
/// come to it.
#[derive(Clone)]
struct LfBlob {
    hasher: sha1::Sha1,
    size: u64,
    len: u64,
    /// The last buffer ended in a `\r`, held back until the next byte is known.
    cr: bool,
}

impl LfBlob {
    fn new(size: u64) -> LfBlob {
        let mut hasher = <sha1::Sha1 as sha1::Digest>::new();
        sha1::Digest::update(&mut hasher, format!("blob {size}\0").as_bytes());
        LfBlob {
            hasher,
            size,
            len: 0,
            cr: false,
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        sha1::Digest::update(&mut self.hasher, bytes);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        if std::mem::take(&mut self.cr) && bytes.first() != Some(&b'\n') {
            self.put(b"\r");
        }
        while let Some(at) = memchr::memchr(b'\r', bytes) {
            self.put(&bytes[..at]);
            match bytes.get(at + 1) {
                Some(b'\n') => {}
                Some(_) => self.put(b"\r"),
                None => self.cr = true,
            }
            bytes = &bytes[at + 1..];
        }
        self.put(bytes);
    }

    /// The blob id, if the bytes came to the blob's size.
    fn id(mut self) -> Option<[u8; 20]> {
        if std::mem::take(&mut self.cr) {
            self.put(b"\r");
        }
        (self.len == self.size).then(|| sha1::Digest::finalize(self.hasher).into())
    }
}

impl FolderDigest {
    /// Finds the repository and what HEAD holds: nothing is read yet.
    pub fn start(
        dir: &Path,
        records: &[PathBuf],
        lang: Lang,
        reading: Reading,
    ) -> Result<FolderDigest> {
        let mut files = vec![crate::plan::PLAN_FILE.to_string()];
        files.extend(records.iter().map(|p| slash(p)));
        FolderDigest::of(dir, files, Repo::discover(dir, lang), lang, reading)
    }

    /// The digest of `files` (relative to `dir`, with `/`), and what `repo` says of them.
    fn of(
        dir: &Path,
        files: Vec<String>,
        repo: Option<Repo>,
        lang: Lang,
        reading: Reading,
    ) -> Result<FolderDigest> {
        let head = match &repo {
            Some(repo) => repo.commit("HEAD")?,
            None => None,
        };
        let committed: Vec<super::TreeFile> = match (&repo, &head) {
            (Some(repo), Some(head)) => repo.tree_files(head.id)?,
            _ => Vec::new(),
        };
        let blob_needed = (files.iter())
            .map(
                |rel| match (&repo, committed.iter().find(|f| f.rel == *rel)) {
                    (Some(repo), Some(base))
                        if !repo.index_says_unchanged(rel, base.id, &dir.join(rel)) =>
                    {
                        Some(repo.blob_size(base.id))
                    }
                    _ => None,
                },
            )
            .map(Option::transpose)
            .collect::<Result<_>>()?;
        let setup = Setup {
            dir: dir.to_path_buf(),
            lang,
            reading,
            files,
            in_git: repo.is_some(),
            head,
            committed,
            blob_needed,
        };
        let scheme = match reading {
            Reading::All(scheme) => scheme,
            Reading::BlobsOnly => Scheme::Pieces,
        };
        let progress = Progress {
            digest: Digest::new(scheme),
            changed: Vec::new(),
            next: 0,
            open: None,
        };
        Ok(FolderDigest::resume(std::sync::Arc::new(setup), progress))
    }

    /// The work from `progress` on, on this thread (a file it names open is opened again).
    fn resume(setup: std::sync::Arc<Setup>, progress: Progress) -> FolderDigest {
        FolderDigest {
            setup,
            progress,
            file: None,
            buf: vec![0u8; DIGEST_BUFFER],
        }
    }

    /// What another thread may take this work over from, once it is run with
    /// [`FolderDigest::run_handing_over`]: as yet, nothing done.
    pub fn handover(&self) -> Handover {
        Handover {
            latest: std::sync::Mutex::new(self.progress.clone()),
            taken: std::sync::atomic::AtomicBool::new(false),
            setup: std::sync::Arc::clone(&self.setup),
        }
    }

    /// Reads on, a buffer at a time, until every file is digested (`true`) or `stop` says so,
    /// asked before each buffer (`false`: [`FolderDigest::run`] goes on from there). An error
    /// when a file cannot be read or changed its length while read.
    pub fn run(&mut self, stop: impl Fn() -> bool) -> Result<bool> {
        self.run_with(|_| !stop())
    }

    /// [`FolderDigest::run`], handing a copy of the progress over to `to` after each buffer,
    /// until it is taken there ([`Handover::take`]) or `stop` says so.
    pub fn run_handing_over(&mut self, to: &Handover, stop: impl Fn() -> bool) -> Result<bool> {
        self.run_with(|progress| {
            if stop() || to.taken.load(std::sync::atomic::Ordering::Relaxed) {
                return false;
            }
            if let Ok(mut latest) = to.latest.lock() {
                latest.clone_from(progress);
            }
            true
        })
    }

    /// Reads on while `go_on`, told the progress so far before each buffer, says so.
    fn run_with(&mut self, mut go_on: impl FnMut(&Progress) -> bool) -> Result<bool> {
        let lang = self.setup.lang;
        loop {
            if !go_on(&self.progress) {
                return Ok(false);
            }
            let Some(open) = &mut self.progress.open else {
                if self.progress.next == self.setup.files.len() {
                    return Ok(true);
                }
                let at = self.progress.next;
                if self.setup.reading == Reading::BlobsOnly && self.setup.blob_needed[at].is_none()
                {
                    // Nothing to read it for: whether it differs from HEAD is known already.
                    self.progress.next += 1;
                    let base = self
                        .setup
                        .committed
                        .iter()
                        .position(|f| f.rel == self.setup.files[at]);
                    self.file_done(OpenFile {
                        at,
                        len: 0,
                        read: 0,
                        base,
                        blob: None,
                        lf: None,
                    });
                    continue;
                }
                let (open, file) = self.open_next()?;
                if self.setup.reading == Reading::BlobsOnly
                    && open.blob.is_none()
                    && open.lf.is_none()
                {
                    // Shorter than its committed blob: it differs, with no need to read it.
                    self.file_done(open);
                    continue;
                }
                self.progress.open = Some(open);
                self.file = Some(file);
                continue;
            };
            let rel = &self.setup.files[open.at];
            let reading = || crate::messages::doing(lang, crate::messages::Doing::Reading, rel);
            let file = match &mut self.file {
                Some(file) => file,
                // Begun by the thread this work was taken from: opened again where it was left,
                // if it still has the length it had then.
                None => {
                    let (mut file, len) = open_sized(&self.setup.dir, rel, lang)?;
                    if len != open.len {
                        anyhow::bail!("{}: {}", rel, Say::ChangedWhileRead.render(lang));
                    }
                    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(open.read))
                        .with_context(reading)?;
                    self.file.insert(file)
                }
            };
            let n = file.read(&mut self.buf).with_context(reading)?;
            if n > 0 {
                open.read += n as u64;
                if self.setup.reading != Reading::BlobsOnly {
                    self.progress.digest.bytes(&self.buf[..n]);
                }
                if let Some(h) = &mut open.blob {
                    sha1::Digest::update(h, &self.buf[..n]);
                }
                if let Some(lf) = &mut open.lf {
                    lf.update(&self.buf[..n]);
                }
                continue;
            }
            if open.read != open.len {
                anyhow::bail!("{}: {}", rel, Say::ChangedWhileRead.render(lang));
            }
            self.file = None;
            if let Some(open) = self.progress.open.take() {
                self.file_done(open);
            }
        }
    }

    /// Opens the next file and begins its digest (and its blob id, when the index cannot
    /// vouch for it).
    fn open_next(&mut self) -> Result<(OpenFile, std::fs::File)> {
        let setup = &self.setup;
        let at = self.progress.next;
        self.progress.next += 1;
        let rel = &setup.files[at];
        let (file, len) = open_sized(&setup.dir, rel, setup.lang)?;
        self.progress.digest.file(rel, len);
        let base = setup.committed.iter().position(|f| f.rel == *rel);
        // A blob id names the size: only a file of the committed blob's size can be it as it
        // is, and a checkout with CRLF line ends is longer than the blob it came from. A file
        // shorter than the blob differs from it, and is not read for it.
        let blob = setup.blob_needed[at].filter(|&size| len == size).map(|_| {
            let mut h = <sha1::Sha1 as sha1::Digest>::new();
            sha1::Digest::update(&mut h, format!("blob {len}\0").as_bytes());
            h
        });
        let lf = setup.blob_needed[at]
            .filter(|&size| len > size)
            .map(LfBlob::new);
        let open = OpenFile {
            at,
            len,
            read: 0,
            base,
            blob,
            lf,
        };
        Ok((open, file))
    }

    /// Whether a file read to its end differs from HEAD's.
    fn file_done(&mut self, open: OpenFile) {
        let setup = &self.setup;
        if !setup.in_git || setup.head.is_none() {
            return;
        }
        let same = match (open.base, setup.blob_needed[open.at]) {
            (None, _) => false,
            // The index vouches for it.
            (Some(_), None) => true,
            (Some(base), Some(_)) => {
                let committed = setup.committed[base].id.as_slice();
                let id = |h: sha1::Sha1| -> [u8; 20] { sha1::Digest::finalize(h).into() };
                open.blob.is_some_and(|h| id(h) == committed)
                    || open
                        .lf
                        .and_then(LfBlob::id)
                        .is_some_and(|id| id == committed)
            }
        };
        if !same {
            self.progress.changed.push(setup.files[open.at].clone());
        }
    }

    /// The provenance, once [`FolderDigest::run`] has said it is done; read with
    /// [`Reading::BlobsOnly`], its digest made of the pieces the load `found`, and of those
    /// it left (or all, without it), read here.
    pub fn finish(self, found: Option<&crate::pieces::Found>) -> Result<Provenance> {
        let Progress {
            digest,
            mut changed,
            ..
        } = self.progress;
        let setup = &self.setup;
        let digest = match setup.reading {
            Reading::All(_) => digest.finish(),
            Reading::BlobsOnly => digest_of_pieces(setup, found)?,
        };
        // Committed files that are no longer read.
        for f in &setup.committed {
            if !setup.files.contains(&f.rel) {
                changed.push(f.rel.clone());
            }
        }
        changed.sort();
        let head = setup.head.as_ref();
        let short = head.map(|h| h.short.clone());
        Ok(Provenance {
            commit: head.map(|h| h.id.to_string()),
            line: crate::messages::history::provenance_line(
                short.as_deref(),
                setup.in_git,
                &changed,
                &digest,
            ),
            short,
            dirty: setup.in_git.then(|| head.is_none() || !changed.is_empty()),
            changed,
            digest,
            files: setup.files.clone(),
        })
    }
}

/// The digest of `setup`'s files made of the pieces the load found of the record files, and of
/// the pieces it left (plan.toml's among them), read here: a file whose length is not the one
/// the load met the end at changed meanwhile, and is an error.
fn digest_of_pieces(setup: &Setup, found: Option<&crate::pieces::Found>) -> Result<String> {
    use crate::pieces::{PIECE, count};
    use std::os::unix::fs::FileExt as _;
    let lang = setup.lang;
    let mut digest = Digest::new(Scheme::Pieces);
    let mut buf = Vec::new();
    for (at, rel) in setup.files.iter().enumerate() {
        let reading = || crate::messages::doing(lang, crate::messages::Doing::Reading, rel);
        let changed = || anyhow::anyhow!("{}: {}", rel, Say::ChangedWhileRead.render(lang));
        // plan.toml is not among the load's record files.
        let known = match (at.checked_sub(1), found) {
            (Some(record), Some(found)) => found.file(record),
            _ => crate::pieces::FileFound::default(),
        };
        let (file, len) = open_sized(&setup.dir, rel, lang)?;
        if known.end.is_some_and(|end| end != len) {
            return Err(changed());
        }
        digest.file(rel, len);
        for k in 0..count(len) {
            if let Some(piece) = known.pieces.get(&k) {
                digest.piece(piece);
                continue;
            }
            let from = k * PIECE;
            buf.resize((len - from).min(PIECE) as usize, 0);
            file.read_exact_at(&mut buf, from)
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::UnexpectedEof => changed(),
                    _ => anyhow::Error::new(e).context(reading()),
                })?;
            digest.piece(&crate::pieces::digest(&buf));
        }
    }
    Ok(digest.finish())
}

/// The digest of the plan folder as it is now, framed by `scheme`.
pub fn digest_of_folder(dir: &Path, lang: Lang, scheme: Scheme) -> Result<String> {
    let files = folder_files(dir, lang)?;
    let mut work = FolderDigest::of(dir, files, None, lang, Reading::All(scheme))?;
    work.run(|| false)?;
    Ok(work.finish(None)?.digest)
}

/// The digests of the plan folder as a commit has it, framed by each scheme in turn (the
/// blobs read once): its files as stored, or (`crlf`) as a checkout with CRLF line ends writes
/// them (`core.autocrlf`, `eol=crlf`: git for Windows' default), every line end not already one
/// made `\r\n`.
pub fn digests_of_commit<const N: usize>(
    repo: &Repo,
    commit: gix::ObjectId,
    crlf: bool,
    schemes: [Scheme; N],
) -> Result<[String; N]> {
    let mut digests = schemes.map(Digest::new);
    for f in repo.tree_files(commit)? {
        let stored = repo.blob(f.id)?;
        let bytes = if crlf {
            with_crlf(&stored)
        } else {
            std::borrow::Cow::Borrowed(&stored[..])
        };
        for digest in &mut digests {
            digest.file(&f.rel, bytes.len() as u64);
            digest.bytes(&bytes);
        }
    }
    Ok(digests.map(Digest::finish))
}

/// `bytes` with every `\n` not after a `\r` made `\r\n`.
fn with_crlf(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let bare = |i: usize| bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r');
    if !memchr::memchr_iter(b'\n', bytes).any(bare) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    for (i, &b) in bytes.iter().enumerate() {
        if bare(i) {
            out.push(b'\r');
        }
        out.push(b);
    }
    std::borrow::Cow::Owned(out)
}

/// The digest a report states (`sha256:` and 64 hex digits), read where the report states its
/// provenance, never from its data (a summary may quote a digest of its own): a JSON report's
/// `provenance.digest`; a DOCX's document identifier (`docProps/core.xml`); else the one the
/// provenance sentence names ("…mã SHA-256 của dữ liệu đã đọc: sha256:…"), in the text of a
/// Markdown or HTML report or a DOCX's body. A report of a template that prints the digest
/// alone, in none of these, is read for the first digest in it.
pub fn digest_in_report(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        let mut part = |name: &str| {
            let mut text = Vec::new();
            zip.by_name(name).ok()?.read_to_end(&mut text).ok()?;
            Some(text)
        };
        if let Some(core) = part("docProps/core.xml")
            && let Some(at) = memchr::memmem::find(&core, b"<dc:identifier>")
            && let Some(found) = digest_at(&core[at + "<dc:identifier>".len()..])
        {
            return Some(found);
        }
        return part("word/document.xml").and_then(|body| in_text(&body));
    }
    let text = bytes.trim_ascii_start();
    if text.starts_with(b"{")
        && let Ok(json) = serde_json::from_slice::<serde_json::Value>(text)
    {
        let digest = json.pointer("/provenance/digest")?.as_str()?;
        return digest_at(digest.as_bytes());
    }
    in_text(bytes)
}

/// The digest the provenance sentence names, else the first in `text`.
fn in_text(text: &[u8]) -> Option<String> {
    const SAID: &[u8] = crate::messages::history::DIGEST_SAID.as_bytes();
    memchr::memmem::find(text, SAID)
        .and_then(|at| digest_at(&text[at + SAID.len()..]))
        .or_else(|| find_digest(text))
}

/// `sha256:` and 64 lowercase hex digits at the start of `bytes`.
fn digest_at(bytes: &[u8]) -> Option<String> {
    let hex = bytes.strip_prefix(b"sha256:")?.get(..64)?;
    hex.iter()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        .then(|| format!("sha256:{}", String::from_utf8_lossy(hex)))
}

/// The first digest anywhere in `bytes`.
fn find_digest(bytes: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&bytes[from..], b"sha256:") {
        if let Some(found) = digest_at(&bytes[from + at..]) {
            return Some(found);
        }
        from += at + "sha256:".len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crlf_checkout_has_the_blob_id_of_its_lf_bytes_however_it_is_cut() {
        let stored = b"a,b\nc\rd\n\ne\r";
        let checkout = b"a,b\r\nc\rd\r\n\r\ne\r";
        let want = super::super::blob_id(stored);
        for cut in 0..=checkout.len() {
            let mut lf = LfBlob::new(stored.len() as u64);
            lf.update(&checkout[..cut]);
            lf.update(&checkout[cut..]);
            assert_eq!(lf.id(), Some(want), "cut at {cut}");
        }
        // Bytes that do not come to the committed size, or differ, give no match.
        let mut lf = LfBlob::new(stored.len() as u64);
        lf.update(b"a,b\r\n");
        assert_eq!(lf.id(), None);
        let mut lf = LfBlob::new(stored.len() as u64);
        lf.update(b"a,B\r\nc\rd\r\n\r\ne\r");
        assert_ne!(lf.id(), Some(want));
    }

    #[test]
    fn a_crlf_checkout_ends_every_line_with_cr_lf_once() {
        assert_eq!(&*with_crlf(b"a\nb\r\nc\n\n"), b"a\r\nb\r\nc\r\n\r\n");
        assert_eq!(&*with_crlf(b"\nx"), b"\r\nx");
        assert!(matches!(
            with_crlf(b"a\r\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            with_crlf(b"no line end"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// The digest of `files` (name, bytes) as `scheme` frames them, the bytes fed in steps
    /// of `step`.
    fn framed(scheme: Scheme, files: &[(&str, &[u8])], step: usize) -> String {
        let mut d = Digest::new(scheme);
        for (rel, bytes) in files {
            d.file(rel, bytes.len() as u64);
            for part in bytes.chunks(step) {
                d.bytes(part);
            }
        }
        d.finish()
    }

    #[test]
    fn the_digest_frames_each_file() {
        for scheme in [Scheme::Pieces, Scheme::Bytes] {
            let of = |files: &[(&str, &[u8])]| framed(scheme, files, 1);
            let a = of(&[("plan.toml", b"x"), ("records/a.csv", b"ab")]);
            assert!(a.starts_with("sha256:") && a.len() == 7 + 64);
            // The same bytes cut differently between files, or under another name, differ.
            assert_ne!(a, of(&[("plan.toml", b"xa"), ("records/a.csv", b"b")]));
            assert_ne!(a, of(&[("plan.toml", b"x"), ("records/b.csv", b"ab")]));
            assert_eq!(a, of(&[("plan.toml", b"x"), ("records/a.csv", b"ab")]));
            assert_ne!(
                a,
                of(&[("plan.toml", b"x"), ("records/a.csv", b"ab"), ("c", b"")])
            );
        }
    }

    /// The digest as the module says it, worked out here from its words: per file, its path, a
    /// zero byte and its length, then the SHA-256 of each 16 KiB (the last piece shorter), or
    /// (before the pieces) its bytes.
    #[test]
    fn the_digest_is_what_the_module_says() {
        let big: Vec<u8> = (0..(5 << 13) + 3).map(|i| (i % 253) as u8).collect();
        let files: [(&str, &[u8]); 4] = [
            ("plan.toml", b"[plan]\n"),
            ("records/empty.csv", b""),
            ("records/big.csv", &big),
            ("records/one.csv", &big[..1 << 14]),
        ];
        let hex = |h: sha2::Sha256| -> String {
            let bytes = h.finalize();
            format!(
                "sha256:{}",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            )
        };
        let (mut pieces, mut bytes) = (sha2::Sha256::new(), sha2::Sha256::new());
        for (rel, content) in files {
            for h in [&mut pieces, &mut bytes] {
                h.update(rel.as_bytes());
                h.update([0]);
                h.update((content.len() as u64).to_le_bytes());
            }
            for piece in content.chunks(1 << 14) {
                pieces.update(sha2::Sha256::digest(piece));
            }
            bytes.update(content);
        }
        // The big file has three pieces, the last a half and three bytes.
        assert_eq!(big.chunks(1 << 14).count(), 3);
        for step in [1 << 14, 1 << 15, 65_536, 100_003, 7] {
            assert_eq!(framed(Scheme::Pieces, &files, step), hex(pieces.clone()));
            assert_eq!(framed(Scheme::Bytes, &files, step), hex(bytes.clone()));
        }
    }

    /// A plan folder whose records/activities.csv takes three digest buffers and a bit, then
    /// the record files `others` (name, bytes); and its record files in that order.
    fn folder_with_a_big_file(others: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("records")).unwrap();
        std::fs::write(dir.path().join("plan.toml"), "[plan]\n").unwrap();
        let big: Vec<u8> = (0..3 * DIGEST_BUFFER + 17)
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(dir.path().join("records/activities.csv"), &big).unwrap();
        let mut records = vec![PathBuf::from("records/activities.csv")];
        for (name, bytes) in others {
            let rel = format!("records/{name}.csv");
            std::fs::write(dir.path().join(&rel), bytes).unwrap();
            records.push(PathBuf::from(rel));
        }
        (dir, records)
    }

    /// Stopped after any number of buffers and run on (on another thread, as a report does),
    /// the work gives what it gives in one go; so does a folder file by file
    /// ([`digest_of_folder`]).
    #[test]
    fn a_digest_stopped_and_run_on_is_the_same() {
        // Three buffers and a bit, then an empty file, then a small one.
        let (dir, records) =
            folder_with_a_big_file(&[("dossiers", b""), ("violations", b"id\n1\n")]);
        let whole = of_folder(dir.path(), &records, Lang::En, None).unwrap();
        for after in 0..8 {
            let mut work =
                FolderDigest::start(dir.path(), &records, Lang::En, Reading::All(Scheme::Pieces))
                    .unwrap();
            let asked = std::cell::Cell::new(0);
            let done = work
                .run(|| {
                    asked.set(asked.get() + 1);
                    asked.get() > after
                })
                .unwrap();
            assert!(!done, "stopped after {after}");
            let work = std::thread::spawn(move || {
                assert!(work.run(|| false).unwrap());
                work.finish(None).unwrap()
            })
            .join()
            .unwrap();
            assert_eq!(work, whole, "stopped after {after}");
        }
        let names = ["activities", "dossiers", "violations"].map(|n| format!("records/{n}.csv"));
        assert!(whole.files[0] == "plan.toml" && whole.files[1..] == names);
        assert_eq!(
            whole.digest,
            digest_of_folder(dir.path(), Lang::En, Scheme::Pieces).unwrap()
        );
    }

    /// Taken over after any number of buffers ([`Handover::take`]), even while the thread it
    /// is taken from goes on, the work gives what it gives in one go: the taker goes on from
    /// the last buffer handed over, opening a file begun there again where it was left; and
    /// the thread taken from stops at its next buffer.
    #[test]
    fn a_digest_taken_over_is_the_same() {
        let (dir, records) = folder_with_a_big_file(&[("violations", b"id\n1\n")]);
        let whole = of_folder(dir.path(), &records, Lang::En, None).unwrap();
        for after in 0..9 {
            let mut first =
                FolderDigest::start(dir.path(), &records, Lang::En, Reading::All(Scheme::Pieces))
                    .unwrap();
            let handover = first.handover();
            let asked = std::cell::Cell::new(0);
            // The first thread is not stopped: it hands over `after` buffers, then one more is
            // read, and the work is taken over before that one is handed over.
            let taken = std::cell::RefCell::new(None);
            let done = first
                .run_handing_over(&handover, || {
                    asked.set(asked.get() + 1);
                    if asked.get() == after + 2 {
                        *taken.borrow_mut() = Some(handover.take());
                    }
                    false
                })
                .unwrap();
            let mut second = match taken.into_inner() {
                Some(work) => {
                    assert!(!done, "taken after {after}, yet it ran on to the end");
                    work
                }
                // All done before it could be taken.
                None => {
                    assert!(done);
                    handover.take()
                }
            };
            assert!(second.run(|| false).unwrap());
            assert_eq!(second.finish(None).unwrap(), whole, "taken after {after}");
        }
        // A file begun by the first thread that changes length before the second opens it
        // again is an error, as it is when it changes while one thread reads it.
        let mut first =
            FolderDigest::start(dir.path(), &records, Lang::En, Reading::All(Scheme::Pieces))
                .unwrap();
        let handover = first.handover();
        let asked = std::cell::Cell::new(0);
        first
            .run_handing_over(&handover, || {
                asked.set(asked.get() + 1);
                // plan.toml opened, read and closed; activities.csv opened and two buffers
                // read, the first handed over.
                asked.get() > 6
            })
            .unwrap();
        std::fs::write(dir.path().join("records/activities.csv"), [b'x'; 100]).unwrap();
        let err = handover.take().run(|| false).unwrap_err().to_string();
        assert!(err.contains("records/activities.csv"), "{err}");
    }

    /// The digest of a report is made of the pieces its load hashed and of those it left, read
    /// here; a record file whose length is no longer the one the load read it to (a row
    /// appended meanwhile) is an error, not a digest of other bytes than the counts'.
    #[test]
    fn the_pieces_of_the_load_and_those_read_here_make_one_digest() {
        let (dir, records) = folder_with_a_big_file(&[("violations", b"id\n1\n")]);
        let found = crate::pieces::Found::default();
        // The load read the big file from its second piece on (the first is read here), and
        // the small one whole.
        for (i, from) in [(0, crate::pieces::PIECE), (1, 0)] {
            let mut file = std::fs::File::open(dir.path().join(&records[i])).unwrap();
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(from)).unwrap();
            let mut r = crate::pieces::Hashed::new(file, from, Some((&found, i)));
            std::io::copy(&mut r, &mut std::io::sink()).unwrap();
        }
        let whole = of_folder(dir.path(), &records, Lang::En, None).unwrap();
        let made = of_folder(dir.path(), &records, Lang::En, Some(&found)).unwrap();
        assert_eq!(made, whole);
        let path = dir.path().join("records/violations.csv");
        std::fs::write(&path, "id\n1\n2\n").unwrap();
        let err = of_folder(dir.path(), &records, Lang::En, Some(&found)).unwrap_err();
        assert!(err.to_string().contains("records/violations.csv"), "{err}");
    }

    /// A FIFO among the record files is refused, not opened (which would wait for a writer
    /// for ever): `verify` digests a folder no load has checked (its listing alone would leave
    /// the FIFO out, and state a digest of other files than `check` would read).
    #[test]
    #[cfg(unix)]
    fn a_fifo_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("records")).unwrap();
        std::fs::write(dir.path().join("plan.toml"), "[plan]\n").unwrap();
        let fifo = dir.path().join("records/feedback.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // No mkfifo here: nothing to test.
        }
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let records = [PathBuf::from("records/feedback.csv")];
            let _ = tx.send((
                of_folder(&path, &records, Lang::En, None).map_err(|e| e.to_string()),
                digest_of_folder(&path, Lang::En, Scheme::Pieces).map_err(|e| e.to_string()),
            ));
        });
        let (digest, verify) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the digest waited on the FIFO");
        // The report's digest, and `verify`'s, which refuses the folder as `check` does.
        for err in [digest.unwrap_err(), verify.unwrap_err()] {
            assert!(
                err.contains("records/feedback.csv") && err.contains("FIFO"),
                "{err}"
            );
        }
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
