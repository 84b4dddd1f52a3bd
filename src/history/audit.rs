//! The audit `check` runs in a git work tree: every record file against its committed version.
//!
//! Committed rows stay byte-identical and in place: new rows go after them. A file is first
//! compared without reading it (the index's stat data), then by the blob id of its first bytes
//! (the committed rows, unchanged, with rows appended after them); only a file whose committed
//! part changed is read line by line and aligned with the committed version, and each row
//! changed, removed or moved is reported with the commit that added it.
//!
//! The audit also knows which rows are new since the base commit: `check --since REV` keeps
//! only the findings at those rows, and a day whose one-stop sequence numbers got new rows is
//! checked for gaps.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::Result;

use super::{CommitInfo, Prefix, Repo, blame};
use crate::findings::{Code, Finding, Location, Severity};
use crate::folder::Folder;
use crate::messages::Msg;
use crate::messages::history::{Added, HistoryMsg, Skipped};
use crate::records::Kind;

/// What `check` asks of the history.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The commit the committed rows are taken from (`HEAD` when `None`).
    pub base: Option<String>,
    /// Keep only what rows added since the base cause.
    pub since: bool,
}

/// The rows of a working file that the base commit does not have.
#[derive(Debug, Clone)]
enum NewRows {
    /// From this line on (rows appended after the committed ones).
    From(u64),
    /// These lines.
    Lines(HashSet<u64>),
}

impl NewRows {
    fn has(&self, line: u64) -> bool {
        match self {
            NewRows::From(first) => line >= *first,
            NewRows::Lines(lines) => lines.contains(&line),
        }
    }

    fn any(&self, total: u64) -> bool {
        match self {
            NewRows::From(first) => *first <= total,
            NewRows::Lines(lines) => !lines.is_empty(),
        }
    }
}

/// The audit of a folder against a commit.
struct Audit {
    findings: Vec<Finding>,
    /// Per record file read (relative path with `/`), its new rows and how many lines it has.
    new_rows: HashMap<String, (NewRows, u64)>,
    plan_changed: bool,
}

/// Adds the history's findings to `all` (the folder's data and work findings): the audit's
/// errors, gaps in new one-stop sequence numbers, conflict markers in place of ragged rows;
/// outside git one info line. With `since`, keeps only what the new rows cause.
pub fn apply(
    dir: &Path,
    folder: &Folder,
    all: &mut Vec<Finding>,
    options: &Options,
    lang: crate::messages::Lang,
) -> Result<()> {
    prepare(dir, folder, options, lang)?.apply(dir, all);
    Ok(())
}

/// What the history adds to `check`'s findings ([`apply`] in two steps): found from the folder
/// ([`prepare`], which reads the dossier store for the gaps in new sequence numbers), then
/// applied to the findings ([`Audited::apply`]) once they are all made, the store freed by then.
pub struct Audited {
    /// Why there is no audit (outside git, no commit, nothing committed).
    skipped: Option<Finding>,
    audit: Option<Audit>,
    since: bool,
}

/// [`apply`]'s first step: the audit of the folder against the base commit, if there is one.
pub fn prepare(
    dir: &Path,
    folder: &Folder,
    options: &Options,
    lang: crate::messages::Lang,
) -> Result<Audited> {
    let skip = |why| Audited {
        skipped: Some(skipped(why)),
        audit: None,
        since: options.since,
    };
    let Some(repo) = Repo::discover(dir, lang) else {
        return Ok(skip(Skipped::NotGit));
    };
    let rev = options.base.as_deref().unwrap_or("HEAD");
    let Some(base) = repo.commit(rev)? else {
        return Ok(skip(Skipped::NoCommit));
    };
    // A folder the commit does not have at all (untracked, or ignored like a generated one):
    // nothing is committed, so nothing to audit.
    if repo.tree_files(base.id)?.is_empty() {
        return Ok(skip(Skipped::NotTracked));
    }
    Ok(Audited {
        skipped: None,
        audit: Some(audit(&repo, &base, folder)?),
        since: options.since,
    })
}

impl Audited {
    /// [`apply`]'s second step: conflict markers in place of ragged rows, then the audit's
    /// findings (or the line saying why there is none) added to `all`.
    pub fn apply(self, dir: &Path, all: &mut Vec<Finding>) {
        conflict_markers(dir, all);
        all.extend(self.skipped);
        if let Some(audit) = self.audit {
            if self.since {
                all.retain(|f| audit.caused(f));
            }
            all.extend(audit.findings);
        }
    }
}

fn skipped(why: Skipped) -> Finding {
    Finding::new(
        Code::AuditSkipped,
        Location::file("records", None, None),
        Msg::History(HistoryMsg::AuditSkipped { why }),
    )
}

impl Audited {
    /// Whether a finding of `code` at `line` of record file `file` is kept by
    /// [`Audited::apply`]: with `since`, only one about a new row.
    pub fn keeps(&self, code: Code, file: &str, line: u64) -> bool {
        match &self.audit {
            Some(audit) if self.since => audit.caused_at(file, Some(line), code.severity()),
            _ => true,
        }
    }
}

impl Audit {
    /// Whether a finding is about a new row (or about plan.toml, changed since the base).
    fn caused(&self, f: &Finding) -> bool {
        self.caused_at(&f.location.file, f.location.line, f.severity())
    }

    /// [`Audit::caused`] for a finding of `severity` at `line` of `file`.
    fn caused_at(&self, file: &str, line: Option<u64>, severity: Severity) -> bool {
        if file == crate::plan::PLAN_FILE {
            return self.plan_changed;
        }
        match (self.new_rows.get(file), line) {
            (Some((rows, _)), Some(line)) => rows.has(line),
            (Some((rows, total)), None) => rows.any(*total),
            // A file-level finding about something not read (a stray file): when it is new.
            (None, _) => severity != Severity::Info,
        }
    }
}

fn audit(repo: &Repo, base: &CommitInfo, folder: &Folder) -> Result<Audit> {
    let committed = repo.record_files(base.id)?;
    let records = &folder.records;
    let mut audit = Audit {
        findings: Vec::new(),
        new_rows: HashMap::new(),
        plan_changed: match repo.blob_at(base.id, crate::plan::PLAN_FILE)? {
            Some(id) => !matches!(
                repo.starts_with_blob(crate::plan::PLAN_FILE, id)?,
                Some(Prefix::Same { .. })
            ),
            None => true,
        },
    };
    let mut added_ids: Vec<(String, String, u64)> = Vec::new();
    let mut moved = Moved::default();
    for (index, path) in records.files.iter().enumerate() {
        let rel = path.to_string_lossy().replace('\\', "/");
        let id_column = (Kind::Dossiers.columns().iter())
            .position(|c| c.name == "id")
            .and_then(|slot| records.headers.get(index)?.get(slot).copied().flatten());
        let is_dossiers = rel.starts_with("records/dossiers");
        let mut new_ids = |bytes: &[u8], first_line: u64, wanted: &dyn Fn(u64) -> bool| {
            if let (true, Some(column)) = (is_dossiers, id_column) {
                ids_of_rows(bytes, first_line, column, wanted, &rel, &mut added_ids);
            }
        };
        let Some(c) = committed.iter().find(|c| c.rel == rel) else {
            // A file the base does not have: every row is new.
            let bytes = super::read_file(&repo.dir.join(&rel))?;
            let total = blame::lines(&bytes).len() as u64;
            new_ids(&bytes, 1, &|line| line > 1);
            audit
                .new_rows
                .insert(rel.clone(), (NewRows::From(1), total));
            continue;
        };
        match repo.starts_with_blob(&rel, c.id)? {
            None => {}
            Some(Prefix::Same { .. }) => {
                audit
                    .new_rows
                    .insert(rel.clone(), (NewRows::From(u64::MAX), 0));
            }
            Some(Prefix::Extended { size, newlines }) => {
                // Only the appended part is read: its rows' lines count on from the committed.
                let (ends_in_newline, tail) = tail_after(&repo.dir.join(&rel), size)?;
                let committed_lines = newlines + u64::from(!ends_in_newline);
                new_ids(&tail, committed_lines + 1, &|_| true);
                let total = committed_lines + blame::lines(&tail).len() as u64;
                audit
                    .new_rows
                    .insert(rel.clone(), (NewRows::From(committed_lines + 1), total));
            }
            Some(Prefix::Differs) => {
                let old = repo.blob(c.id)?;
                let work = super::read_file(&repo.dir.join(&rel))?;
                // Rows are compared without the `\r` of a CRLF line end: git checks a file
                // out with CRLF that it keeps with LF (core.autocrlf, eol=crlf), and a row is
                // the same row either way. The lines as stored are what history is asked for.
                let bare = |bytes| -> Vec<&[u8]> {
                    (blame::lines(bytes).into_iter()).map(blame::bare).collect()
                };
                let stored = blame::lines(&old);
                let (old_lines, work_lines) = (bare(&old), bare(&work));
                let mut aligned = align(&old_lines, &work_lines);
                // A row gone from here to another file of its kind (a file split by month)
                // is still there.
                let mut kept = Vec::new();
                for issue in aligned.issues {
                    let row = old_lines[issue.old_line() as usize - 1];
                    if !matches!(issue, Issue::Removed { .. })
                        || !moved.took(repo, records, &committed, &rel, row)?
                    {
                        kept.push(issue);
                    }
                }
                aligned.issues = kept;
                let wanted: Vec<&[u8]> = aligned
                    .issues
                    .iter()
                    .map(|i| stored[i.old_line() as usize - 1])
                    .collect();
                let by = blame::added_by(repo, base.id, &rel, &wanted)?;
                for (issue, by) in aligned.issues.iter().zip(by) {
                    let added = match by {
                        Some(id) => Some(added_of(repo, id)?),
                        None => None,
                    };
                    audit
                        .findings
                        .push(issue.finding(&rel, &old_lines, &work_lines, added));
                }
                for &line in &aligned.inserted {
                    audit.findings.push(Finding::new(
                        Code::CommittedRowMoved,
                        Location::file(rel.clone(), Some(line), None),
                        Msg::History(HistoryMsg::RowInserted {
                            text: text(work_lines[line as usize - 1]),
                        }),
                    ));
                }
                let new: HashSet<u64> = aligned.new.iter().copied().collect();
                new_ids(&work, 1, &|line| new.contains(&line));
                audit
                    .new_rows
                    .insert(rel.clone(), (NewRows::Lines(new), work_lines.len() as u64));
            }
        }
    }
    for c in &committed {
        if !audit.new_rows.contains_key(&c.rel) && !repo.dir.join(&c.rel).is_file() {
            let blob = repo.blob(c.id)?;
            let lines = blame::lines(&blob);
            // Moved (`git mv`, split by month): its rows are in the kind's other files; any
            // that is not is a row removed, said as such.
            let mut gone = Vec::new();
            for (i, line) in lines.iter().enumerate().skip(1) {
                if !moved.took(repo, records, &committed, &c.rel, blame::bare(line))? {
                    gone.push(i);
                }
            }
            if lines.len() > 1 && gone.len() < lines.len() - 1 {
                let wanted: Vec<&[u8]> = gone.iter().map(|&i| lines[i]).collect();
                let by = blame::added_by(repo, base.id, &c.rel, &wanted)?;
                for (&i, by) in gone.iter().zip(by) {
                    audit.findings.push(Finding::new(
                        Code::CommittedRowRemoved,
                        Location::file(c.rel.clone(), None, None),
                        Msg::History(HistoryMsg::RowRemoved {
                            old_line: i as u64 + 1,
                            old: text(lines[i]),
                            added: by.map(|id| added_of(repo, id)).transpose()?,
                        }),
                    ));
                }
                continue;
            }
            let rows = lines.len().saturating_sub(1) as u64;
            audit.findings.push(Finding::new(
                Code::CommittedRowRemoved,
                Location::file(c.rel.clone(), None, None),
                Msg::History(HistoryMsg::FileRemoved {
                    rows,
                    commit: base.short.clone(),
                }),
            ));
        }
    }
    audit.findings.extend(gaps(&folder.records, &added_ids));
    Ok(audit)
}

/// Where a committed row gone from its file may have gone: per kind, the rows (without a CRLF's
/// `\r`) its working files hold beyond their committed ones, counted, so that each row added to
/// one file stands for one row gone from another. Read for a kind when a row of it is gone.
#[derive(Default)]
struct Moved {
    by_kind: HashMap<Kind, HashMap<Vec<u8>, usize>>,
}

impl Moved {
    /// Whether `row`, gone from the committed file `rel`, was added to a file of its kind (and
    /// is then taken: it stands for no other).
    fn took(
        &mut self,
        repo: &Repo,
        records: &crate::records::Records,
        committed: &[super::TreeFile],
        rel: &str,
        row: &[u8],
    ) -> Result<bool> {
        let Some(kind) = super::kind_of(rel) else {
            return Ok(false);
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = self.by_kind.entry(kind) {
            let mut added: HashMap<Vec<u8>, usize> = HashMap::new();
            for path in &records.files {
                let rel = path.to_string_lossy().replace('\\', "/");
                if super::kind_of(&rel) != Some(kind) {
                    continue;
                }
                // This file's rows less its committed ones.
                let work = super::read_file(&repo.dir.join(path))?;
                let mut here: HashMap<&[u8], usize> = HashMap::new();
                for line in blame::lines(&work) {
                    *here.entry(blame::bare(line)).or_default() += 1;
                }
                let old = match committed.iter().find(|c| c.rel == rel) {
                    Some(c) => repo.blob(c.id)?,
                    None => Vec::new(),
                };
                for line in blame::lines(&old) {
                    if let Some(n) = here.get_mut(blame::bare(line)) {
                        *n = n.saturating_sub(1);
                    }
                }
                for (line, n) in here {
                    *added.entry(line.to_vec()).or_default() += n;
                }
            }
            slot.insert(added);
        }
        Ok(
            match self.by_kind.get_mut(&kind).and_then(|a| a.get_mut(row)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            },
        )
    }
}

/// The rows of a file after its first `size` bytes (the committed ones), and whether those
/// ended in a line end. When they did not, the first line end after them closes the last
/// committed row (an append adds it), and the rows start after it.
fn tail_after(path: &Path, size: u64) -> Result<(bool, Vec<u8>)> {
    use std::io::{Read as _, Seek as _};
    let mut file = std::fs::File::open(path)?;
    file.seek(std::io::SeekFrom::Start(size.saturating_sub(1)))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    if size == 0 {
        return Ok((true, bytes));
    }
    let ends = bytes.first() == Some(&b'\n');
    let start = if ends {
        1
    } else {
        memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1)
    };
    Ok((ends, bytes.split_off(start)))
}

fn added_of(repo: &Repo, id: gix::ObjectId) -> Result<Added> {
    let info = repo.info(id)?;
    Ok(Added {
        commit: info.short,
        author: info.author,
        date: info.date.date_naive(),
    })
}

fn text(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    s.strip_suffix('\r').unwrap_or(&s).to_string()
}

/// The ids of the rows of `bytes` (lines numbered from `first_line`) that `wanted` keeps.
fn ids_of_rows(
    bytes: &[u8],
    first_line: u64,
    column: usize,
    wanted: &dyn Fn(u64) -> bool,
    rel: &str,
    out: &mut Vec<(String, String, u64)>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut at_lines = crate::records::RecordLines::new(bytes);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => continue,
        }
        let start = record.position().map_or(0, csv::Position::byte);
        let Ok(line) = at_lines.line_of(start) else {
            break;
        };
        let line = first_line + line - 1;
        if !wanted(line) {
            continue;
        }
        if let Some(id) = record.get(column).and_then(|c| std::str::from_utf8(c).ok()) {
            out.push((id.trim().to_string(), rel.to_string(), line));
        }
    }
}

/// Gaps in the one-stop sequence numbers (`<unit>-<YYMMDD>-<sequence>`) of the days that got
/// new rows: the numbers below the highest new one that no row has, as one warning per day at
/// its first new row.
fn gaps(records: &crate::records::Records, added: &[(String, String, u64)]) -> Vec<Finding> {
    // Per day (the id without its sequence, and the number of digits): the highest new number
    // and the first new row.
    let mut days: BTreeMap<(String, usize), (u64, String, u64)> = BTreeMap::new();
    for (id, rel, line) in added {
        let Some((day, digits, seq)) = split_code(id) else {
            continue;
        };
        let entry = days
            .entry((day.to_string(), digits))
            .or_insert((0, rel.clone(), *line));
        entry.0 = entry.0.max(seq);
        if (rel, *line) < (&entry.1, entry.2) {
            (entry.1, entry.2) = (rel.clone(), *line);
        }
    }
    let mut out = Vec::new();
    for ((day, digits), (max, rel, line)) in days {
        let absent: Vec<u64> = (1..max)
            .filter(|n| {
                records
                    .dossiers
                    .get(&format!("{day}{n:0digits$}"))
                    .is_none()
            })
            .collect();
        // Runs of numbers as ranges: 0002, 0005–0009.
        let mut missing: Vec<String> = Vec::new();
        let mut k = 0;
        while k < absent.len() {
            let start = absent[k];
            while k + 1 < absent.len() && absent[k + 1] == absent[k] + 1 {
                k += 1;
            }
            missing.push(if absent[k] == start {
                format!("{start:0digits$}")
            } else {
                format!("{start:0digits$}–{:0digits$}", absent[k])
            });
            k += 1;
        }
        if missing.is_empty() {
            continue;
        }
        let date = day
            .trim_end_matches('-')
            .rsplit('-')
            .next()
            .and_then(|d| chrono::NaiveDate::parse_from_str(&format!("20{d}"), "%Y%m%d").ok());
        out.push(Finding::new(
            Code::SequenceGap,
            Location::file(rel, Some(line), None),
            Msg::History(HistoryMsg::SequenceGap {
                day: day.trim_end_matches('-').to_string(),
                date,
                missing,
            }),
        ));
    }
    out
}

/// `000.00.27.H42-210315-0004` → (`000.00.27.H42-210315-`, 4 digits, 4): a one-stop code, whose
/// part before the sequence ends in a six-digit day.
fn split_code(id: &str) -> Option<(&str, usize, u64)> {
    let (head, seq) = id.rsplit_once('-')?;
    let (_, day) = head.rsplit_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(seq) || seq.len() > 9 || day.len() != 6 || !digits(day) {
        return None;
    }
    Some((&id[..=head.len()], seq.len(), seq.parse().ok()?))
}

/// Conflict markers git leaves in a file (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`) read as
/// rows with the wrong number of cells: those findings become the conflict code, with a hint.
pub fn conflict_markers(dir: &Path, all: &mut [Finding]) {
    let files: HashSet<String> = all
        .iter()
        .filter(|f| f.code == Code::RaggedRow && f.location.line.is_some())
        .map(|f| f.location.file.to_string())
        .collect();
    for file in files {
        let Ok(bytes) = super::read_file(&dir.join(&file)) else {
            continue;
        };
        let lines = blame::lines(&bytes);
        for f in all.iter_mut().filter(|f| {
            f.code == Code::RaggedRow && *f.location.file == *file && f.location.line.is_some()
        }) {
            let Some(line) = f.location.line.and_then(|l| lines.get(l as usize - 1)) else {
                continue;
            };
            let marker = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
                .into_iter()
                .find(|m| {
                    line.starts_with(m.as_bytes())
                        && line.get(7).is_none_or(|&b| b == b' ' || b == b'\r')
                });
            if let Some(marker) = marker {
                f.code = Code::ConflictMarker;
                f.location.column = None;
                f.message = Msg::History(HistoryMsg::ConflictMarker {
                    marker: marker.to_string(),
                });
            }
        }
    }
}

/// A committed row that is not where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Issue {
    /// Line `old_line` of the commit is now `line`, with other text.
    Changed { old_line: u64, line: u64 },
    /// Line `old_line` of the commit is gone; it stood before line `line` now.
    Removed { old_line: u64, line: u64 },
    /// Line `old_line` of the commit is now line `line`, out of its order.
    Moved { old_line: u64, line: u64 },
}

impl Issue {
    fn old_line(&self) -> u64 {
        match self {
            Issue::Changed { old_line, .. }
            | Issue::Removed { old_line, .. }
            | Issue::Moved { old_line, .. } => *old_line,
        }
    }

    fn finding(&self, rel: &str, old: &[&[u8]], work: &[&[u8]], added: Option<Added>) -> Finding {
        let old_text = text(old[self.old_line() as usize - 1]);
        let (code, line, msg) = match *self {
            Issue::Changed { old_line, line } => (
                Code::CommittedRowChanged,
                line,
                HistoryMsg::RowChanged {
                    old_line,
                    old: old_text,
                    new: text(work[line as usize - 1]),
                    added,
                },
            ),
            Issue::Removed { old_line, line } => (
                Code::CommittedRowRemoved,
                line,
                HistoryMsg::RowRemoved {
                    old_line,
                    old: old_text,
                    added,
                },
            ),
            Issue::Moved { old_line, line } => (
                Code::CommittedRowMoved,
                line,
                HistoryMsg::RowMoved {
                    old_line,
                    old: old_text,
                    added,
                },
            ),
        };
        Finding::new(
            code,
            Location::file(rel.to_string(), Some(line), None),
            Msg::History(msg),
        )
    }
}

/// A committed version aligned with the working one.
#[derive(Debug, Default)]
struct Aligned {
    issues: Vec<Issue>,
    /// New lines (1-based) standing among the committed rows.
    inserted: Vec<u64>,
    /// Every line of the working file (1-based) that is not a committed row in place.
    new: Vec<u64>,
}

/// Aligns the committed lines with the working ones: each committed line is matched with the
/// first unclaimed working line of the same bytes; the longest run of matches in order stays
/// in place, other matches are moves; an unmatched committed line is a change when a new line
/// stands between its in-place neighbours, else a removal; new lines before the last committed
/// row in place are insertions.
fn align(old: &[&[u8]], work: &[&[u8]]) -> Aligned {
    let mut at: HashMap<&[u8], std::collections::VecDeque<usize>> = HashMap::new();
    for (j, line) in work.iter().enumerate() {
        at.entry(line).or_default().push_back(j);
    }
    let matched: Vec<Option<usize>> = old
        .iter()
        .map(|line| at.get_mut(line).and_then(|q| q.pop_front()))
        .collect();
    // The longest increasing run of matched positions (patience sorting).
    let pairs: Vec<(usize, usize)> = matched
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|j| (i, j)))
        .collect();
    let mut tails: Vec<usize> = Vec::new(); // index into pairs
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < j);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut in_place = vec![false; old.len()];
    let mut kept_work = vec![false; work.len()];
    let mut k = tails.last().copied();
    while let Some(i) = k {
        in_place[pairs[i].0] = true;
        kept_work[pairs[i].1] = true;
        k = prev[i];
    }
    let mut claimed = vec![false; work.len()];
    for m in matched.iter().flatten() {
        claimed[*m] = true;
    }
    let last_in_place = kept_work.iter().rposition(|&k| k);
    let mut out = Aligned::default();
    // Where each committed line's in-place neighbours stand in the working file.
    let mut before: Option<usize> = None;
    let mut paired = vec![false; work.len()];
    for (i, m) in matched.iter().enumerate() {
        if in_place[i] {
            before = *m;
            continue;
        }
        let old_line = i as u64 + 1;
        match m {
            Some(j) => out.issues.push(Issue::Moved {
                old_line,
                line: *j as u64 + 1,
            }),
            None => {
                let from = before.map_or(0, |b| b + 1);
                let until = (i + 1..old.len())
                    .find(|&n| in_place[n])
                    .and_then(|n| matched[n])
                    .unwrap_or(work.len());
                let candidate = (from..until).find(|&j| !claimed[j] && !paired[j]);
                match candidate {
                    Some(j) => {
                        paired[j] = true;
                        out.issues.push(Issue::Changed {
                            old_line,
                            line: j as u64 + 1,
                        });
                    }
                    None => out.issues.push(Issue::Removed {
                        old_line,
                        line: from as u64 + 1,
                    }),
                }
            }
        }
    }
    for j in 0..work.len() {
        if !kept_work[j] {
            out.new.push(j as u64 + 1);
            if !claimed[j] && !paired[j] && last_in_place.is_some_and(|last| j < last) {
                out.inserted.push(j as u64 + 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<&[u8]> {
        s.lines().map(str::as_bytes).collect()
    }

    #[test]
    fn appended_rows_are_new_and_nothing_is_wrong() {
        let a = align(&lines("h\na\nb"), &lines("h\na\nb\nc\nd"));
        assert!(a.issues.is_empty() && a.inserted.is_empty());
        assert_eq!(a.new, vec![4, 5]);
    }

    #[test]
    fn an_edit_a_removal_and_a_move_are_told_apart() {
        let old = lines("h\na\nb\nc\nd\ne");
        // b edited, d removed
        let a = align(&old, &lines("h\na\nB\nc\ne\nf"));
        assert_eq!(
            a.issues,
            vec![
                Issue::Changed {
                    old_line: 3,
                    line: 3
                },
                Issue::Removed {
                    old_line: 5,
                    line: 5
                },
            ]
        );
        assert_eq!(a.new, vec![3, 6]);
        // b moved to the end
        let a = align(&old, &lines("h\na\nc\nd\ne\nb"));
        assert_eq!(
            a.issues,
            vec![Issue::Moved {
                old_line: 3,
                line: 6
            }]
        );
        // a new row put among the committed ones
        let a = align(&old, &lines("h\na\nx\nb\nc\nd\ne"));
        assert!(a.issues.is_empty());
        assert_eq!(a.inserted, vec![3]);
    }

    #[test]
    fn one_stop_codes_split_into_day_and_sequence() {
        assert_eq!(
            split_code("000.00.27.H42-210315-0004"),
            Some(("000.00.27.H42-210315-", 4, 4))
        );
        assert_eq!(split_code("HS-2021-7"), None);
        assert_eq!(split_code("abc"), None);
    }
}
