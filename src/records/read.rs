//! Streaming the record files: one pass per file, one reused buffer, every problem collected.
//!
//! Each file is split into rows by a [`Scanner`], whose cells borrow from its read buffer.
//! Cells are checked for UTF-8, trimmed, normalised to NFC, parsed by their column type and
//! checked against the plan (task, officer, deliverable and procedure ids), then handed to the
//! kind's file ([`super::kind`]) to become a record. Each problem becomes
//! a [`Finding`] with the file, the line and the column; the row is then skipped, and reading
//! goes on. A big dossier file is read in two parts on two threads ([`split`]), the first
//! after the files of the other kinds.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use std::borrow::Cow;

use super::dossier::{Dossiers, Fact, Problem};
use super::kind::{Cells, MAX_COLUMNS, Memoed, Shape, Touched, Value};
pub use super::refs::Refs;
use super::scan::{Row, Scanner};
use super::{ColType, Column, Kind, Records, RowRef};
use crate::findings::{Code, Finding, Location};
use crate::messages::Msg;
use crate::plan::Plan;
use crate::text;

mod split;

use split::SplitRead;
pub use split::Steal;

/// What [`load`] read, and every problem it found.
pub struct Loaded {
    pub records: Records,
    pub findings: Vec<Finding>,
}

/// The record files of a plan folder, in reading order: per kind, `records/<kind>.csv`, then
/// `records/<kind>/*.csv` sorted by name. Other `.csv` files and folders are reported.
/// Record files by kind, relative to the plan folder, and the findings about stray files.
pub type RecordFiles = (Vec<(Kind, PathBuf)>, Vec<Finding>);

pub fn record_files(dir: &Path) -> io::Result<RecordFiles> {
    let records = dir.join("records");
    let mut files = Vec::new();
    let mut findings = Vec::new();
    if !records.is_dir() {
        return Ok((files, findings));
    }
    let mut entries: Vec<_> = std::fs::read_dir(&records)?
        .collect::<io::Result<Vec<_>>>()?
        .into_iter()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for kind in Kind::ALL {
        let single = records.join(format!("{}.csv", kind.name()));
        if single.is_file() {
            files.push((
                kind,
                PathBuf::from("records").join(format!("{}.csv", kind.name())),
            ));
        }
        let folder = records.join(kind.name());
        if folder.is_dir() {
            let mut parts: Vec<PathBuf> = std::fs::read_dir(&folder)?
                .collect::<io::Result<Vec<_>>>()?
                .into_iter()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                .collect();
            parts.sort();
            for part in parts {
                let name = part.file_name().unwrap_or_default();
                files.push((kind, Path::new("records").join(kind.name()).join(name)));
            }
        }
    }
    for entry in entries {
        let name = entry.file_name().unwrap_or_default().to_string_lossy();
        let (stem, is_csv) = match name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), ext.eq_ignore_ascii_case("csv")),
            None => (name.to_string(), false),
        };
        let known = if entry.is_dir() {
            Kind::from_name(&name).is_some()
        } else {
            !is_csv || Kind::from_name(&stem).is_some()
        };
        if !known && !name.starts_with('.') {
            findings.push(Finding::new(
                Code::UnknownFile,
                Location::file(format!("records/{name}"), None, None),
                Msg::UnknownFile {
                    kinds: Kind::ALL.map(|k| k.name()).join(", "),
                },
            ));
        }
    }
    Ok((files, findings))
}

/// How [`load_with`] reads.
#[derive(Clone, Copy)]
pub struct LoadOptions<'a> {
    /// A first dossier file of at least this size is read in two parts on two threads (see
    /// [`split`]); smaller ones are read in turn. The result is the same.
    pub parallel_min_bytes: u64,
    /// A steal forced: one thread takes the far half of the other's part before that one is
    /// read, however little there is (normally the thread done first takes some only when
    /// megabytes are left): for the tests, which hold a read so split to the one-thread one.
    pub force_steal: Option<Steal>,
    /// Called once, with the record files, before any of them is read: work that reads them
    /// too may begin beside the load (the git side of a report's provenance, at the lowest
    /// priority: in the time the reading threads leave a core idle). Not called when the
    /// folder's records cannot be listed.
    pub files_known: Option<FilesHook<'a>>,
    /// Called once, with the record files, when the last of them has been read: what is left
    /// (putting a split read's parts together, the changes, the rules) takes one core, and
    /// work waiting for the other may start (the git side of a report's provenance goes on
    /// there at the usual priority). Not called when the load fails.
    pub files_read: Option<FilesHook<'a>>,
    /// Where the record files' pieces go as they are read (by their place in
    /// [`Records::files`]): a report's provenance digest is made of them
    /// ([`crate::pieces`]), so that it does not read the files again.
    pub pieces: Option<&'a crate::pieces::Found>,
}

/// What [`LoadOptions::files_known`] and [`LoadOptions::files_read`] call.
pub type FilesHook<'a> = &'a (dyn Fn(&[PathBuf]) + Sync);

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions {
            parallel_min_bytes: 8 << 20,
            force_steal: None,
            files_known: None,
            files_read: None,
            pieces: None,
        }
    }
}

/// Reads every record file of the folder. I/O errors (a file that cannot be opened) are the
/// caller's; everything wrong in the data is a finding.
pub fn load(dir: &Path, plan: &Plan) -> io::Result<Loaded> {
    load_with(dir, plan, LoadOptions::default())
}

/// Bytes read as if they followed a record file's own (an append not yet made): what a
/// command that appends checks the folder with before it writes ([`load_extra`]).
#[derive(Debug, Clone, Copy)]
pub struct Extra<'a> {
    /// The file, relative to the plan folder (`records/violations.csv`); it must exist.
    pub rel: &'a Path,
    pub bytes: &'a [u8],
}

/// [`load`], with `extra` read after the file it names: the folder as it would be after an
/// append, checked by the same code as `check`.
pub fn load_extra(dir: &Path, plan: &Plan, extra: Extra<'_>) -> io::Result<Loaded> {
    load_inner(dir, plan, LoadOptions::default(), Some(extra))
}

/// [`load`] with options; they change how fast, never what.
pub fn load_with(dir: &Path, plan: &Plan, options: LoadOptions<'_>) -> io::Result<Loaded> {
    load_inner(dir, plan, options, None)
}

fn load_inner(
    dir: &Path,
    plan: &Plan,
    options: LoadOptions<'_>,
    extra: Option<Extra<'_>>,
) -> io::Result<Loaded> {
    let refs = Refs::new(plan);
    let (files, mut findings) = record_files(dir)?;
    let mut records = Records {
        files: files.iter().map(|(_, rel)| rel.clone()).collect(),
        headers: vec![Vec::new(); files.len()],
        ..Records::default()
    };
    if let Some(call) = options.files_known {
        call(&records.files);
    }
    let label = |rel: &Path| rel.to_string_lossy().replace('\\', "/");
    // The first dossier file, when big, is read in two parts: the second on a thread of its
    // own from the start, the first on this thread once the files of the other kinds are read,
    // so that two threads share the work evenly (see [`split`]). Dossier files after it wait
    // for it: a dossier's rows merge in file order.
    let first_dossiers = files.iter().position(|(kind, _)| kind.is_facts());
    let big = match first_dossiers {
        Some(i)
            if std::fs::metadata(dir.join(&files[i].1))?.len() >= options.parallel_min_bytes
                && extra.is_none_or(|e| e.rel != files[i].1) =>
        {
            Some(i)
        }
        _ => None,
    };
    let mut others = 0;
    for (kind, rel) in &files {
        if !kind.is_facts() {
            let meta = std::fs::metadata(dir.join(rel))
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", label(rel))))?;
            others += meta.len();
        }
    }
    let split = match big {
        Some(i) => SplitRead::prepare(
            &refs,
            i as u32,
            dir.join(&files[i].1),
            label(&files[i].1),
            others,
            options.force_steal,
            options.pieces,
        )?
        .map(|split| (i, split)),
        None => None,
    };
    // The other kinds first (their rows do not depend on the dossiers), then the dossier files
    // in order.
    let numbered = || files.iter().enumerate();
    let other_kinds = numbered().filter(|(_, (kind, _))| !kind.is_facts());
    let dossier_files = numbered().filter(|(_, (kind, _))| kind.is_facts());
    let read = |(i, (kind, rel)): (usize, &(Kind, PathBuf)),
                records: &mut Records,
                findings: &mut Vec<Finding>| {
        // The error names the file, not just the folder.
        let file = File::open(dir.join(rel))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", label(rel))))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let after: &[u8] = match extra {
            Some(extra) if extra.rel == rel.as_path() => extra.bytes,
            _ => &[],
        };
        let pieces = options.pieces.map(|found| (found, i));
        let src = crate::pieces::Hashed::new(file, 0, pieces).chain(after);
        let size = size + after.len() as u64;
        records.headers[i] = read_file(
            src,
            size,
            *kind,
            i as u32,
            label(rel),
            &refs,
            records,
            findings,
        );
        io::Result::Ok(())
    };
    let files_read = |records: &Records| {
        if let Some(call) = options.files_read {
            call(&records.files);
        }
    };
    match split {
        None => {
            for file in other_kinds.chain(dossier_files) {
                read(file, &mut records, &mut findings)?;
            }
            files_read(&records);
        }
        Some((big, split)) => {
            let (first, second) = crate::par::join(
                || {
                    split.read_first(&mut records, &mut findings, |records, findings| {
                        for file in other_kinds {
                            read(file, records, findings)?;
                        }
                        Ok(())
                    })
                },
                || split.read_second(),
            );
            let first = first?;
            // With no other dossier file to read, every file is read now.
            let mut rest = dossier_files.filter(|(i, _)| *i != big).peekable();
            let all_read = rest.peek().is_none();
            if all_read {
                files_read(&records);
            }
            records.headers[big] =
                split.put_together(first, second, &mut records, &mut findings)?;
            for file in rest {
                read(file, &mut records, &mut findings)?;
            }
            if !all_read {
                files_read(&records);
            }
        }
    }
    apply_changes(&refs, &mut records, &mut findings);
    for kind in Kind::ALL {
        if let Shape::Facts { finish, .. } = kind.spec().shape {
            finish(&records, None, &mut findings);
        }
    }
    // In one order whatever the threads did.
    crate::findings::sort(&mut findings);
    Ok(Loaded { records, findings })
}

/// The records of `records.files[file]` and line, named `name:line` with `name` relative to
/// `records/` (or to the plan folder).
pub fn row_named(records: &Records, target: &str) -> Option<RowRef> {
    let (name, line) = target.rsplit_once(':')?;
    let line: u32 = line.trim().parse().ok()?;
    let name = name.trim().replace('\\', "/");
    let file = (records.files.iter()).position(|p| {
        let p = p.to_string_lossy().replace('\\', "/");
        p == name || p.strip_prefix("records/") == Some(name.as_str())
    })?;
    Some(RowRef {
        file: file as u32,
        line,
    })
}

/// Applies the change rows read ([`super::Change`]) to the records they name, so that the
/// lists of `records` hold the current state: facts filled and corrected, voided records gone.
/// A change that names no record is an error (E221); a fill that gives another value for a set
/// fact is E215, as for dossiers. Free when no file has change rows. A changed kind's records
/// are made again from their cells, through the same `from_cells` as when read.
pub fn apply_changes(refs: &Refs, records: &mut Records, findings: &mut Vec<Finding>) {
    if records.changes.is_empty() {
        return;
    }
    let changes = std::mem::take(&mut records.changes);
    let mut applied = Vec::with_capacity(changes.len());
    apply_dossier_changes(refs, records, &changes, &mut applied, findings);
    for kind in Kind::ALL {
        let Shape::Records { ats, clear, .. } = kind.spec().shape else {
            continue;
        };
        if !changes.iter().any(|c| c.kind == kind) {
            continue;
        }
        let mut rows: Vec<Vec<String>> = (kind.spec().to_cells)(records).collect();
        let places = ats(records);
        let index: std::collections::HashMap<RowRef, usize> =
            places.iter().enumerate().map(|(i, at)| (*at, i)).collect();
        let mut void = vec![false; rows.len()];
        let mut changed = vec![false; rows.len()];
        // Fills that give another value for a set fact: errors (E215) unless a later
        // correction of the record sets that fact.
        let mut conflicts: Vec<(usize, usize, Finding)> = Vec::new();
        let columns = kind.columns();
        for change in changes.iter().filter(|c| c.kind == kind) {
            let mut change = change.clone();
            let place = |c: &super::Change, column: Option<u64>| {
                Location::file(
                    records.file(c.at).to_string_lossy().replace('\\', "/"),
                    Some(u64::from(c.at.line)),
                    column,
                )
            };
            let named = (records.ids[kind as usize]
                .get(change.target.as_str())
                .copied())
            .or_else(|| row_named(records, &change.target));
            let Some(i) = named
                .and_then(|at| index.get(&at).copied())
                .filter(|i| !void[*i])
            else {
                findings.push(Finding::new(
                    Code::UnknownRecord,
                    place(&change, Some(u64::from(change.target_column))),
                    Msg::UnknownRecord {
                        kind: kind.name(),
                        reference: change.target.clone(),
                    },
                ));
                continue;
            };
            change.record = Some(places[i]);
            change.before = rows[i].clone();
            let row = &mut rows[i];
            match change.how {
                super::ChangeHow::Void => void[i] = true,
                super::ChangeHow::Correct => {
                    for (slot, _, value) in &change.cells {
                        row[*slot] = value.clone();
                        // A conflict this correction settles (two branches that wrote the
                        // same record differently) is no longer an error.
                        conflicts.retain(|(r, s, _)| (*r, *s) != (i, *slot));
                    }
                    changed[i] = true;
                }
                super::ChangeHow::Fill => {
                    for (slot, column, value) in &change.cells {
                        let old = &row[*slot];
                        if old.is_empty() {
                            row[*slot] = value.clone();
                            changed[i] = true;
                        } else if !same_cell(columns[*slot].ty, old, value) {
                            conflicts.push((
                                i,
                                *slot,
                                Finding::new(
                                    Code::DossierConflict,
                                    place(&change, Some(u64::from(*column))),
                                    Msg::RecordConflict {
                                        record: change.target.clone(),
                                        column: columns[*slot].name,
                                        old: old.clone(),
                                        new: value.clone(),
                                    },
                                ),
                            ));
                        }
                    }
                }
            }
            applied.push(change);
        }
        findings.extend(conflicts.into_iter().map(|(_, _, f)| f));
        if !void.contains(&true) && !changed.contains(&true) {
            continue;
        }
        // The kind's records made again, in the same order, each where it was read.
        let counted = records.rows;
        clear(records);
        let width = columns.len();
        let header = Header {
            slots: (0..width).map(Some).collect(),
            width,
            change: None,
        };
        let (mut data, mut bounds) = (Vec::new(), Vec::new());
        for ((cells, at), void) in rows.iter().zip(&places).zip(&void) {
            if *void {
                continue;
            }
            data.clear();
            bounds.clear();
            for cell in cells {
                bounds.push((data.len(), data.len() + cell.len()));
                data.extend_from_slice(cell.as_bytes());
            }
            let path = records.file(*at).to_string_lossy().replace('\\', "/");
            let mut reader = FileReader::new(kind, at.file, path, refs, findings);
            reader.row(
                &Row::new(u64::from(at.line), &data, &bounds),
                &header,
                records,
            );
        }
        records.rows = counted;
    }
    applied.sort_by_key(|c| c.at);
    records.changes = applied;
}

/// [`apply_changes`] for dossiers, in reading order: a correction replaces the facts it gives
/// (and settles the conflicts, E215, that earlier rows raised on those facts of the dossier);
/// a void takes the dossier out of the store. A change naming no dossier (or a voided one) is
/// E221.
fn apply_dossier_changes(
    refs: &Refs,
    records: &mut Records,
    changes: &[super::Change],
    applied: &mut Vec<super::Change>,
    findings: &mut Vec<Finding>,
) {
    let kind = Kind::Dossiers;
    for change in changes.iter().filter(|c| c.kind == kind) {
        let mut change = change.clone();
        let label = records.file(change.at).to_string_lossy().replace('\\', "/");
        let line = u64::from(change.at.line);
        let found = (records.dossiers.get(&change.target))
            .map(|d| (d.opened(), super::kind::dossiers::cells(&d)));
        let Some((opened, before)) = found else {
            let at = Location::file(label, Some(line), Some(u64::from(change.target_column)));
            findings.push(Finding::new(
                Code::UnknownRecord,
                at,
                Msg::UnknownRecord {
                    kind: kind.name(),
                    reference: change.target.clone(),
                },
            ));
            continue;
        };
        change.record = Some(opened);
        change.before = before;
        match change.how {
            super::ChangeHow::Void => {
                records.dossiers.void(&change.target);
            }
            super::ChangeHow::Correct | super::ChangeHow::Fill => {
                let mut reader =
                    FileReader::new(kind, change.at.file, label.clone(), refs, findings);
                let mut fact = Fact {
                    id: std::borrow::Cow::Borrowed(change.target.as_bytes()),
                    ..Fact::default()
                };
                let mut ok = true;
                for (slot, col, value) in &change.cells {
                    let column = &Fact::COLUMNS[*slot];
                    let memo = match reader.value(value, *col as usize - 1, column, line, &mut ok) {
                        Value::Text(s) => Memoed::Text(records.dossiers.text(&s)),
                        Value::Date(d) => Memoed::Date(d),
                        Value::Code(i) => Memoed::Code(i),
                        _ => Memoed::Empty,
                    };
                    fact.set(*slot, memo, *col);
                }
                if !ok {
                    continue;
                }
                let problems = records.dossiers.correct(&fact, change.at);
                for problem in problems.unwrap_or_default() {
                    if let Problem::Before {
                        column,
                        what,
                        date,
                        received,
                    } = problem
                    {
                        reader.push(
                            Code::DateOrder,
                            line,
                            (column > 0).then_some(u64::from(column)),
                            Msg::DateBefore {
                                what,
                                date,
                                other: "received",
                                other_date: received,
                            },
                        );
                    }
                }
                // The conflicts earlier rows raised on the facts corrected are settled.
                let names: Vec<&str> = (change.cells.iter())
                    .map(|(slot, _, _)| Fact::COLUMNS[*slot].name)
                    .collect();
                let files = &records.files;
                findings.retain(|f| {
                    let Msg::DossierConflict { id, column, .. } = &f.message else {
                        return true;
                    };
                    let earlier = (files.iter())
                        .position(|p| p.to_string_lossy().replace('\\', "/") == *f.location.file)
                        .map(|file| RowRef {
                            file: file as u32,
                            line: f.location.line.unwrap_or(0) as u32,
                        })
                        .is_some_and(|at| at < change.at);
                    !(earlier && *id == change.target && names.contains(column))
                });
            }
        }
        applied.push(change);
    }
}

/// Whether two cells of a column say the same: dates compared as dates, the rest as written.
fn same_cell(ty: ColType, a: &str, b: &str) -> bool {
    match ty {
        ColType::Date => {
            crate::dates::parse(a).is_some() && crate::dates::parse(a) == crate::dates::parse(b)
        }
        _ => a == b,
    }
}

/// Reads one whole file of `kind` into `records`; returns the header's column slots.
#[allow(clippy::too_many_arguments)]
fn read_file(
    file: impl Read,
    size: u64,
    kind: Kind,
    index: u32,
    path: String,
    refs: &Refs,
    records: &mut Records,
    findings: &mut Vec<Finding>,
) -> Vec<Option<usize>> {
    // Room for the file's rows, so that the lists never double while full (for a moment, the
    // old and the new list would both be in memory).
    (kind.spec().reserve)(records, size);
    FileReader::new(kind, index, path, refs, findings).read(file, size, records)
}

/// New rows (cells in schema order, as they would be written) checked exactly as `check`
/// checks rows read from a file, against the records already loaded: the same cell parsing,
/// references, and for dossiers the same fact merge and date-order checks. The rows are added
/// to `records`; their findings say `file` and lines from `first_line` on.
pub fn check_new_rows(
    plan: &Plan,
    records: &mut Records,
    kind: Kind,
    rows: &[Vec<String>],
    file: &str,
    first_line: u64,
) -> Vec<Finding> {
    let ((), findings) = check_new_rows_with(plan, records, kind, file, |new| {
        for (i, cells) in rows.iter().enumerate() {
            new.row(first_line + i as u64, cells);
        }
    });
    findings
}

/// [`check_new_rows`] for rows made one at a time, each with its own line: `feed` is handed
/// the checker, sees the records with the rows so far added ([`NewRows::records`]) and gives
/// it each row ([`NewRows::row`]); nothing of a row is kept but what the records keep. The
/// checks that need a dossier's rows together run once, after `feed`: the work is linear.
/// Returns what `feed` returned and the findings.
pub fn check_new_rows_with<R>(
    plan: &Plan,
    records: &mut Records,
    kind: Kind,
    file: &str,
    feed: impl FnOnce(&mut NewRows<'_, '_, '_>) -> R,
) -> (R, Vec<Finding>) {
    let refs = Refs::new(plan);
    let mut findings = Vec::new();
    let file_index = records.files.len() as u32;
    records.files.push(PathBuf::from(file));
    let width = kind.columns().len();
    records.headers.push((0..width).map(Some).collect());
    let header = Header {
        slots: (0..width).map(Some).collect(),
        width,
        change: None,
    };
    let reader = FileReader::new(kind, file_index, file.to_string(), &refs, &mut findings);
    let any_earlier = !records.dossiers.is_empty();
    let mut new = NewRows {
        reader,
        header,
        records,
        earlier: Touched {
            file: file_index,
            ids: Vec::new(),
        },
        earlier_seen: hashbrown::HashSet::new(),
        any_earlier,
        data: Vec::new(),
        bounds: Vec::new(),
    };
    let fed = feed(&mut new);
    let NewRows {
        records, earlier, ..
    } = new;
    if let Shape::Facts { finish, .. } = kind.spec().shape {
        // Only the records these rows touch: the others were judged when they were loaded.
        finish(records, Some(&earlier), &mut findings);
    }
    (fed, findings)
}

/// The checker of [`check_new_rows_with`], handed to its `feed`.
pub struct NewRows<'c, 'a, 'p> {
    reader: FileReader<'a, 'p>,
    header: Header,
    records: &'c mut Records,
    earlier: Touched,
    earlier_seen: hashbrown::HashSet<String>,
    /// Whether the records held any dossier before these rows (else none is of an earlier
    /// file, and no row needs looking up for it).
    any_earlier: bool,
    /// The current row's cells, one after the other, and where each lies in `data`.
    data: Vec<u8>,
    bounds: Vec<(usize, usize)>,
}

impl NewRows<'_, '_, '_> {
    /// The records, with the rows given so far added.
    pub fn records(&self) -> &Records {
        self.records
    }

    /// Checks one row (cells in schema order) found at `line`, and adds it to the records.
    pub fn row<S: AsRef<str>>(&mut self, line: u64, cells: &[S]) {
        let (mut data, mut bounds) = (
            std::mem::take(&mut self.data),
            std::mem::take(&mut self.bounds),
        );
        data.clear();
        bounds.clear();
        for cell in cells {
            let cell = cell.as_ref().as_bytes();
            bounds.push((data.len(), data.len() + cell.len()));
            data.extend_from_slice(cell);
        }
        self.row_in(line, &data, &bounds, false);
        (self.data, self.bounds) = (data, bounds);
    }

    /// [`NewRows::row`] of a row whose cells lie in `data` where `bounds` says; `clean`: none
    /// of its bytes is one the control-character test looks at
    /// ([`crate::controls::suspicious`] said so of a text the row lies in).
    pub fn row_in(&mut self, line: u64, data: &[u8], bounds: &[(usize, usize)], clean: bool) {
        if self.reader.kind.is_facts() && self.any_earlier {
            // A dossier of an earlier file gets its checks across rows again; those this
            // file opens are found by their first row (no list of a million ids kept).
            let id = bounds.first().map_or(&[][..], |&(a, b)| &data[a..b]);
            let id = std::str::from_utf8(id).unwrap_or_default().trim();
            if let Some(known) = self.records.dossiers.get(id)
                && known.opened().file != self.earlier.file
                && !self.earlier_seen.contains(id)
            {
                self.earlier_seen.insert(id.to_string());
                self.earlier.ids.push(id.to_string());
            }
        }
        let mut row = Row::new(line, data, bounds);
        row.clean = clean;
        self.reader.row(&row, &self.header, self.records);
    }
}

/// Reads one file of one kind into `records`.
struct FileReader<'a, 'p> {
    kind: Kind,
    file: u32,
    path: String,
    refs: &'a Refs<'p>,
    findings: &'a mut Vec<Finding>,
    memo: Memo,
    /// Told of every dossier row merged (the split read's one hook, see [`split`]).
    log: Option<&'a mut dyn MergeLog>,
}

/// The one hook of the split read ([`split`]) in the per-row reader: told of every dossier row
/// merged, where it lies and which findings its merge raised.
trait MergeLog {
    /// The row starting at byte `byte` of the file, on `line`, was merged into dossier
    /// `dossier` (its position in its part of the store); its merge raised the reader's
    /// findings `raised`.
    fn merged(&mut self, dossier: usize, byte: u64, line: u64, raised: std::ops::Range<usize>);
}

/// A header: for each column of the kind's schema, its index in the file.
struct Header {
    slots: Vec<Option<usize>>,
    width: usize,
    /// For each of [`super::CHANGE_COLUMNS`], its index in the file; `None` when the file has
    /// none of them (its rows are then records, read as before: nothing to pay for them).
    change: Option<[Option<usize>; 4]>,
}

impl<'a, 'p> FileReader<'a, 'p> {
    /// A reader of one file of `kind`, the `file`th of the records, named `path` in findings.
    fn new(
        kind: Kind,
        file: u32,
        path: String,
        refs: &'a Refs<'p>,
        findings: &'a mut Vec<Finding>,
    ) -> FileReader<'a, 'p> {
        FileReader {
            kind,
            file,
            path,
            refs,
            findings,
            memo: Memo::default(),
            log: None,
        }
    }

    /// This reader, telling `log` of every dossier row it merges.
    fn with_log(self, log: &'a mut dyn MergeLog) -> FileReader<'a, 'p> {
        FileReader {
            log: Some(log),
            ..self
        }
    }

    fn at(&self, line: u64, column: Option<u64>) -> Location {
        Location::file(self.path.clone(), Some(line), column)
    }

    fn push(&mut self, code: Code, line: u64, column: Option<u64>, msg: Msg) {
        let at = self.at(line, column);
        self.findings.push(Finding::new(code, at, msg));
    }

    /// The finding for a `change` cell that is not fill, correct or void (records and dossiers).
    fn unknown_change(&mut self, line: u64, col: u32, value: String) {
        self.push(
            Code::UnknownCode,
            line,
            Some(u64::from(col)),
            Msg::UnknownCode {
                column: "change".into(),
                value,
                allowed: "fill, correct, void".into(),
            },
        );
    }

    /// Reads the file; returns the header's column slots (empty when the header was unusable).
    fn read<R: Read>(&mut self, src: R, size: u64, records: &mut Records) -> Vec<Option<usize>> {
        let mut rows = Scanner::sized(src, size);
        let Some(header) = self.read_header(&mut rows) else {
            return Vec::new();
        };
        self.read_rows(&mut rows, &header, records, true);
        header.slots
    }

    /// Reads and maps the header row; `None` (with findings) when there is none usable.
    fn read_header<R: Read>(&mut self, rows: &mut Scanner<R>) -> Option<Header> {
        match rows.next_row() {
            Ok(Some(row)) => self.header(&row),
            Ok(None) => {
                self.push(Code::NoHeader, 1, None, Msg::NoHeader);
                None
            }
            Err(err) => {
                self.io_error(1, &err);
                None
            }
        }
    }

    /// Reads the rows after the header, up to the scanner's stop. Reading errors are reported
    /// only when `report_io`.
    fn read_rows<R: Read>(
        &mut self,
        rows: &mut Scanner<R>,
        header: &Header,
        records: &mut Records,
        report_io: bool,
    ) {
        // Dossier ids hashed into a table much larger than the cache: the next row's first
        // cell is touched as each row is read, when it is the id.
        let touch_ids = self.kind == Kind::Dossiers && header.slots[0] == Some(0);
        loop {
            match rows.next_row() {
                Ok(Some(row)) => {
                    if touch_ids && records.dossiers.hashed() {
                        touch_first_cell(row.after, &records.dossiers);
                    }
                    if let Some((line, column)) = row.unclosed_quote {
                        if report_io {
                            self.push(Code::CsvSyntax, line, Some(column), Msg::UnterminatedQuote);
                        }
                        continue;
                    }
                    self.row(&row, header, records);
                }
                Ok(None) => return,
                Err(err) => {
                    if report_io {
                        self.io_error(rows.line(), &err);
                    }
                    return;
                }
            }
        }
    }

    fn io_error(&mut self, line: u64, err: &io::Error) {
        self.push(
            Code::CsvSyntax,
            line,
            None,
            Msg::Io {
                detail: err.to_string(),
            },
        );
    }

    /// Maps the header row to the schema. `None` when the header has errors (rows are then not
    /// read: their columns would be guesses).
    fn header(&mut self, row: &Row) -> Option<Header> {
        // A header of millions of columns would give millions of findings: refused whole.
        const MOST_COLUMNS: usize = 1_000;
        if row.len() > MOST_COLUMNS {
            self.push(
                Code::CsvSyntax,
                row.line,
                None,
                Msg::TooManyColumns {
                    found: row.len(),
                    most: MOST_COLUMNS,
                },
            );
            return None;
        }
        let columns = self.kind.columns();
        let mut slots = vec![None; columns.len()];
        let mut change: [Option<usize>; 4] = [None; 4];
        let mut ok = true;
        let line = row.line;
        for (i, raw) in row.iter().enumerate() {
            let col = Some(i as u64 + 1);
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let Ok(name) = std::str::from_utf8(raw) else {
                self.push(Code::Encoding, line, col, Msg::InvalidUtf8);
                ok = false;
                continue;
            };
            let name = name.trim();
            // A kind's own column of the same name would win (none has one today).
            let change_slot = (super::CHANGE_COLUMNS.iter())
                .position(|c| c.eq_ignore_ascii_case(name))
                .filter(|&c| {
                    self.kind.column(name).is_none()
                        && self
                            .kind
                            .change_columns()
                            .contains(&super::CHANGE_COLUMNS[c])
                });
            if let Some(c) = change_slot {
                if change[c].is_some() {
                    self.push(
                        Code::DuplicateColumn,
                        line,
                        col,
                        Msg::DuplicateColumn { name: name.into() },
                    );
                    ok = false;
                }
                change[c] = Some(i);
                continue;
            }
            match columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name))
            {
                Some(slot) if slots[slot].is_some() => {
                    self.push(
                        Code::DuplicateColumn,
                        line,
                        col,
                        Msg::DuplicateColumn { name: name.into() },
                    );
                    ok = false;
                }
                Some(slot) => slots[slot] = Some(i),
                None => {
                    self.push(
                        Code::UnknownColumn,
                        line,
                        col,
                        Msg::UnknownColumn {
                            name: name.into(),
                            kind: self.kind.name(),
                            allowed: (columns.iter().map(|c| c.name))
                                .chain(self.kind.change_columns().iter().copied())
                                .collect::<Vec<_>>()
                                .join(", "),
                        },
                    );
                    ok = false;
                }
            }
        }
        for (column, slot) in columns.iter().zip(&slots) {
            if column.required && slot.is_none() {
                self.push(
                    Code::MissingColumn,
                    line,
                    None,
                    Msg::MissingColumn { name: column.name },
                );
                ok = false;
            }
        }
        ok.then_some(Header {
            slots,
            width: row.len(),
            change: change.iter().any(Option::is_some).then_some(change),
        })
    }

    fn row(&mut self, row: &Row, header: &Header, records: &mut Records) {
        let line = row.line;
        // Rows with every cell empty (Excel leaves them behind) carry nothing.
        if row.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            return;
        }
        records.rows[self.kind as usize] += 1;
        if row.len() != header.width {
            self.push(
                Code::RaggedRow,
                line,
                None,
                Msg::RaggedRow {
                    found: row.len(),
                    expected: header.width,
                },
            );
            return;
        }
        // Hidden and control characters: the row is refused whole (see `control`).
        if let Some((column, msg)) = super::control::row_problem(self.kind, row, &header.slots) {
            let code = match msg {
                Msg::IdNotAscii { .. } => Code::BadValue,
                _ => Code::ControlChar,
            };
            self.push(code, line, Some(column), msg);
            return;
        }
        let at = RowRef {
            file: self.file,
            line: line as u32,
        };
        let from_cells = match self.kind.spec().shape {
            Shape::Facts { .. } => {
                if let Some(change) = &header.change
                    && self.dossier_change(row, change, header, at, records)
                {
                    return;
                }
                return self.dossier(row, header, at, records);
            }
            Shape::Records { from_cells, .. } => from_cells,
        };
        if let Some(change) = &header.change
            && self.change_row(row, header, change, at, records)
        {
            return;
        }
        let mut ok = true;
        let mut cells = Cells {
            values: Default::default(),
        };
        // The row checked for UTF-8 once; a cell it cannot vouch for is checked alone.
        let text = row.text();
        for ((column, slot), out) in self
            .kind
            .columns()
            .iter()
            .zip(&header.slots)
            .zip(cells.values.iter_mut())
        {
            let value = match slot {
                Some(i) => match text.and_then(|t| t.get(*i)) {
                    // An empty optional cell, as most notes are: nothing to check.
                    Some("") if !column.required => Value::Empty,
                    Some(s) => self.value(s, *i, column, line, &mut ok),
                    None => self.cell(row, *i, column, line, &mut ok),
                },
                None => Value::Empty,
            };
            *out = (value, slot.map_or(0, |i| i as u32 + 1));
        }
        if !ok {
            return;
        }
        if let Err(why) = from_cells(&mut cells, self.refs, at, records) {
            let column = (why.column > 0).then_some(u64::from(why.column));
            self.push(why.code, line, column, why.msg);
        }
    }

    /// A row of a file with change columns: `true` when it is a change (kept in
    /// `records.changes`, applied once every file is read), `false` when it is a record, to be
    /// read as any other (its id, if it gives one, noted in `records.ids`). A row whose `id` an
    /// earlier record of the kind has, with no `change`, fills that record (the dossier rule).
    fn change_row(
        &mut self,
        row: &Row,
        header: &Header,
        change: &[Option<usize>; 4],
        at: RowRef,
        records: &mut Records,
    ) -> bool {
        let line = row.line;
        let text = |me: &mut Self, c: usize| -> Option<(String, u32)> {
            let i = change[c]?;
            let raw = row.get(i).unwrap_or_default();
            let Ok(s) = std::str::from_utf8(raw) else {
                me.push(Code::Encoding, line, Some(i as u64 + 1), Msg::InvalidUtf8);
                return Some((String::new(), i as u32 + 1));
            };
            let s = text::trim(s);
            (!s.is_empty()).then(|| (text::nfc(s).into_owned(), i as u32 + 1))
        };
        let id = text(self, 0);
        let how = text(self, 1);
        let target = text(self, 2);
        let reason = text(self, 3);
        let how = match how {
            Some((how, col)) => match super::ChangeHow::parse(&how) {
                Some(h) => h,
                None => {
                    self.unknown_change(line, col, how);
                    return true;
                }
            },
            None => {
                let Some((id, _)) = &id else {
                    return false;
                };
                let ids = &mut records.ids[self.kind as usize];
                if !ids.contains_key(id.as_str()) {
                    ids.insert(id.as_str().into(), at);
                    return false;
                }
                super::ChangeHow::Fill
            }
        };
        let Some((target, target_column)) = target.or(id) else {
            self.push(
                Code::MissingValue,
                line,
                change[2].map(|i| i as u64 + 1),
                Msg::MissingValue { column: "ref" },
            );
            return true;
        };
        if how != super::ChangeHow::Fill && reason.is_none() {
            self.push(
                Code::MissingValue,
                line,
                change[3].map(|i| i as u64 + 1),
                Msg::MissingValue { column: "why" },
            );
            return true;
        }
        // The facts given, each checked as a record's cell is (an empty cell gives nothing).
        let mut ok = true;
        let mut cells = Vec::new();
        for (slot, (column, i)) in self.kind.columns().iter().zip(&header.slots).enumerate() {
            let Some(i) = *i else { continue };
            let raw = row.get(i).unwrap_or_default();
            let Ok(s) = std::str::from_utf8(raw) else {
                self.push(Code::Encoding, line, Some(i as u64 + 1), Msg::InvalidUtf8);
                ok = false;
                continue;
            };
            let s = text::trim(s);
            if s.is_empty() {
                continue;
            }
            let optional = Column {
                required: false,
                ..*column
            };
            if !matches!(self.value(s, i, &optional, line, &mut ok), Value::Empty) {
                cells.push((slot, i as u32 + 1, text::nfc(s).into_owned()));
            }
        }
        if ok {
            records.changes.push(super::Change {
                kind: self.kind,
                how,
                target,
                at,
                target_column,
                cells,
                reason: reason.map(|(r, _)| r),
                record: None,
                before: Vec::new(),
            });
        }
        true
    }

    /// A row of a dossier file with change columns: `true` when it corrects or voids the
    /// dossier its `id` names (kept in `records.changes`, applied once every file is read, see
    /// [`apply_changes`]), `false` when it is an ordinary row (no `change`, or `fill`: the
    /// dossier rule), to be merged as any other.
    fn dossier_change(
        &mut self,
        row: &Row,
        change: &[Option<usize>; 4],
        header: &Header,
        at: RowRef,
        records: &mut Records,
    ) -> bool {
        let line = row.line;
        let cell = |c: usize| -> Option<(String, u32)> {
            let i = change[c]?;
            let s = std::str::from_utf8(row.get(i).unwrap_or_default()).unwrap_or_default();
            let s = text::trim(s);
            (!s.is_empty()).then(|| (text::nfc(s).into_owned(), i as u32 + 1))
        };
        let Some((how, col)) = cell(1) else {
            return false;
        };
        let how = match super::ChangeHow::parse(&how) {
            Some(super::ChangeHow::Fill) => return false,
            Some(how) => how,
            None => {
                self.unknown_change(line, col, how);
                return true;
            }
        };
        let reason = cell(3);
        if reason.is_none() {
            self.push(
                Code::MissingValue,
                line,
                change[3].map(|i| i as u64 + 1),
                Msg::MissingValue { column: "why" },
            );
            return true;
        }
        let Some((mut cells, target_column)) = self.facts_cells(row, header, line) else {
            return true;
        };
        let (_, (_, target)) = cells.remove(0);
        records.changes.push(super::Change {
            kind: self.kind,
            how,
            target,
            at,
            target_column,
            cells: cells
                .into_iter()
                .map(|(slot, (col, s))| (slot, col, s))
                .collect(),
            reason: reason.map(|(r, _)| r),
            record: None,
            before: Vec::new(),
        });
        true
    }

    /// The non-empty cells of a dossier change row, each checked as a dossier's cell is, as
    /// (slot, (file column, text)), the id first; and the id's file column. `None` (with
    /// findings) when a cell is wrong or there is no id.
    #[allow(clippy::type_complexity)]
    fn facts_cells(
        &mut self,
        row: &Row,
        header: &Header,
        line: u64,
    ) -> Option<(Vec<(usize, (u32, String))>, u32)> {
        let mut ok = true;
        let mut cells = Vec::new();
        let mut id_column = 0;
        for (slot, (column, i)) in self.kind.columns().iter().zip(&header.slots).enumerate() {
            let Some(i) = *i else { continue };
            let raw = row.get(i).unwrap_or_default();
            let Ok(s) = std::str::from_utf8(raw) else {
                self.push(Code::Encoding, line, Some(i as u64 + 1), Msg::InvalidUtf8);
                ok = false;
                continue;
            };
            let s = text::trim(s);
            if slot == 0 {
                id_column = i as u32 + 1;
            }
            if s.is_empty() && slot > 0 {
                continue;
            }
            let value = self.value(s, i, column, line, &mut ok);
            if !matches!(value, Value::Empty) {
                cells.push((slot, (i as u32 + 1, text::nfc(s).into_owned())));
            }
        }
        (ok && cells.first().is_some_and(|(slot, _)| *slot == 0)).then_some((cells, id_column))
    }

    /// Parses one cell by its column type. Problems are pushed and clear `ok`.
    fn cell<'r>(
        &mut self,
        row: &Row<'r>,
        i: usize,
        column: &Column,
        line: u64,
        ok: &mut bool,
    ) -> Value<'r> {
        let raw = row.get(i).unwrap_or_default();
        let Ok(s) = std::str::from_utf8(raw) else {
            self.push(Code::Encoding, line, Some(i as u64 + 1), Msg::InvalidUtf8);
            *ok = false;
            return Value::Empty;
        };
        self.value(s, i, column, line, ok)
    }

    /// Parses cell `i`, known to be `s` in UTF-8, by its column type: [`FileReader::cell`]
    /// after the UTF-8 check.
    fn value<'r>(
        &mut self,
        s: &'r str,
        i: usize,
        column: &Column,
        line: u64,
        ok: &mut bool,
    ) -> Value<'r> {
        let col = Some(i as u64 + 1);
        let s = text::trim(s);
        if s.is_empty() {
            if column.required {
                self.push(
                    Code::MissingValue,
                    line,
                    col,
                    Msg::MissingValue {
                        column: column.name,
                    },
                );
                *ok = false;
            }
            return Value::Empty;
        }
        let mut bad = |me: &mut Self, code: Code, msg: Msg| {
            me.push(code, line, col, msg);
            *ok = false;
            Value::Empty
        };
        let refs = self.refs;
        match column.ty {
            ColType::Date => match parse_date(s, i) {
                Some(d) => Value::Date(d),
                None => bad(
                    self,
                    Code::BadDate,
                    Msg::BadDate {
                        column: column.name,
                        value: s.into(),
                    },
                ),
            },
            ColType::Text | ColType::Recipient => Value::Text(text::nfc(s)),
            ColType::Task => {
                if refs.tasks.contains(s) {
                    Value::Text(Cow::Borrowed(s))
                } else {
                    bad(self, Code::UnknownTask, Msg::UnknownTask { id: s.into() })
                }
            }
            ColType::Officer => {
                if refs.officers.contains(s) {
                    Value::Text(Cow::Borrowed(s))
                } else {
                    bad(
                        self,
                        Code::UnknownOfficer,
                        Msg::UnknownOfficer { id: s.into() },
                    )
                }
            }
            ColType::Officers => {
                // The ids between semicolons, trimmed, the empty ones left out, joined by `;`:
                // the cell itself when it is written so, as it nearly always is.
                let mut plain = true;
                let mut from = 0;
                for part in s.as_bytes().split(|&b| b == b';') {
                    let raw = &s[from..from + part.len()];
                    from += part.len() + 1;
                    let id = text::trim(raw);
                    plain &= !id.is_empty() && id.len() == raw.len();
                    if !id.is_empty() && !refs.officers.contains(id) {
                        return bad(
                            self,
                            Code::UnknownOfficer,
                            Msg::UnknownOfficer { id: id.into() },
                        );
                    }
                }
                if plain {
                    Value::Text(Cow::Borrowed(s))
                } else {
                    let ids: Vec<&str> = s
                        .split(';')
                        .map(text::trim)
                        .filter(|id| !id.is_empty())
                        .collect();
                    Value::Text(Cow::Owned(ids.join(";")))
                }
            }
            ColType::Deliverable => {
                if refs.deliverable_task(s).is_some() {
                    Value::Text(Cow::Borrowed(s))
                } else {
                    bad(
                        self,
                        Code::UnknownDeliverable,
                        Msg::UnknownDeliverable { id: s.into() },
                    )
                }
            }
            ColType::Count => match s.parse::<u32>() {
                Ok(n) => Value::Count(n),
                Err(_) => bad(
                    self,
                    Code::BadNumber,
                    Msg::BadNumber {
                        column: column.name,
                        value: s.into(),
                    },
                ),
            },
            ColType::Code(codes) => match (codes.parse)(s) {
                Some(i) => Value::Code(i),
                None => bad(
                    self,
                    Code::UnknownCode,
                    Msg::UnknownCode {
                        column: column.name.into(),
                        value: s.into(),
                        allowed: codes.allowed(),
                    },
                ),
            },
            ColType::Procedure => {
                if refs.procedures.contains(s) {
                    return Value::Text(Cow::Borrowed(s));
                }
                if super::refs::looks_like_procedure_id(s) && !refs.procedures.is_empty() {
                    return bad(
                        self,
                        Code::UnknownProcedure,
                        Msg::UnknownProcedure { id: s.into() },
                    );
                }
                // A procedure name as the one-stop book writes it: map it to the catalogue when
                // it names a catalogue entry, keep it as written otherwise.
                let key = text::match_key(s);
                match refs.procedure_names.iter().find(|(name, _)| *name == key) {
                    Some((_, id)) => Value::Text(Cow::Owned(id.to_string())),
                    None => Value::Text(text::nfc(s)),
                }
            }
        }
    }

    /// A dossier row: its cells checked as [`FileReader::cell`] checks them (each distinct cell
    /// of a column once, through the memo), then merged into the dossier.
    fn dossier(&mut self, row: &Row, header: &Header, at: RowRef, records: &mut Records) {
        let line = row.line;
        let columns = Fact::COLUMNS;
        let mut ok = true;
        let mut fact = Fact::default();
        if let Some(i) = header.slots[0] {
            // `control::row_problem` has made sure that the id, trimmed, is printable ASCII
            // (in `FileReader::row`, or, for a row the split read merges again, when it was
            // first read): text that needs no NFC check and that `text::trim` would trim
            // alike, taken as bytes (ASCII is UTF-8: no call to check it, a million times).
            // An empty id goes the general way, which says it is missing.
            let raw = row.get(i).unwrap_or_default().trim_ascii();
            if !raw.is_empty() && raw.is_ascii() {
                fact.id = Cow::Borrowed(raw);
            } else {
                match self.cell(row, i, &columns[0], line, &mut ok) {
                    Value::Text(id) => fact.id = bytes_of(id),
                    _ => return,
                }
            }
        }
        for (c, column) in columns.iter().enumerate().skip(1) {
            let Some(i) = header.slots[c] else { continue };
            let raw = row.get(i).unwrap_or_default();
            if raw.is_empty() {
                // Every column but the id may be empty.
                continue;
            }
            let value = match self.memo.get(c, raw) {
                Some(value) => value,
                None => {
                    let before = self.findings.len();
                    let value = match self.cell(row, i, column, line, &mut ok) {
                        Value::Text(s) => Memoed::Text(records.dossiers.text(&s)),
                        Value::Date(d) => Memoed::Date(d),
                        Value::Code(i) => Memoed::Code(i),
                        _ => Memoed::Empty,
                    };
                    if self.findings.len() == before {
                        self.memo.put(c, raw, value);
                    }
                    value
                }
            };
            fact.set(c, value, i as u32 + 1);
        }
        if !ok {
            return;
        }
        let merged = records.dossiers.merge_at(&fact, at);
        let (index, findings_before) = (merged.index, self.findings.len());
        for problem in merged.problems {
            match problem {
                Problem::Conflict {
                    column,
                    name,
                    old,
                    new,
                } => self.push(
                    Code::DossierConflict,
                    line,
                    Some(u64::from(column)),
                    Msg::DossierConflict {
                        id: String::from_utf8_lossy(&fact.id).into_owned(),
                        column: name,
                        old,
                        new,
                    },
                ),
                Problem::Before {
                    column,
                    what,
                    date,
                    received,
                } => self.push(
                    Code::DateOrder,
                    line,
                    (column > 0).then_some(u64::from(column)),
                    Msg::DateBefore {
                        what,
                        date,
                        other: "received",
                        other_date: received,
                    },
                ),
            }
        }
        let raised = findings_before..self.findings.len();
        if let Some(log) = &mut self.log {
            log.merged(index, row.byte, line, raised);
        }
    }
}

/// A text's bytes, borrowed or owned as the text was.
fn bytes_of(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// [`crate::dates::parse`], remembering per column (`i` % 4) the last date of ten bytes
/// (`2021-03-05`) a thread parsed: record files are mostly in date order, so a date cell is
/// nearly always the one above it.
fn parse_date(s: &str, i: usize) -> Option<NaiveDate> {
    use std::cell::Cell;
    type Last = Cell<([u8; 10], Option<NaiveDate>)>;
    thread_local! {
        static LAST: [Last; 4] = const { [const { Cell::new(([0; 10], None)) }; 4] };
    }
    let Ok(key) = <[u8; 10]>::try_from(s.as_bytes()) else {
        return crate::dates::parse(s);
    };
    LAST.with(|last| {
        let last = &last[i % 4];
        let (k, date) = last.get();
        if k == key && date.is_some() {
            return date;
        }
        let date = crate::dates::parse(s);
        last.set((key, date));
        date
    })
}

/// Cells already read, per column. A dossier file repeats a few dozen procedures, fields,
/// officers and dates over millions of rows, so each distinct cell is checked (and its text
/// interned) about once. Two-way set associative: a cell's set is picked from a few of its
/// bytes and holds the last two cells that mapped to it, the one used last first (with one way,
/// two common procedure names that share a set pushed each other out on every change: shape
/// (d) of the matrix). Only cells that were read without a finding are kept, so a cell found
/// here is exactly what [`FileReader::cell`] would make of it. The slots are made when the first
/// cell is kept: only a reader of dossiers keeps any.
#[derive(Default)]
struct Memo {
    slots: Vec<(Vec<u8>, Memoed)>,
}

/// Sets per column: room for a year's dates or more (a file not in date order, sorted by
/// procedure or officer, meets them in any order; with 128 sets such a file read its dates
/// again and again: `check` 13 % slower).
const MEMO_SETS: usize = 512;
const _: () = assert!(MEMO_SETS.is_power_of_two());

/// Cells per set.
const MEMO_WAYS: usize = 2;

/// Touches the dossier id that begins `ahead`, the next row ([`Dossiers::touch`]): its place
/// in the id table is on its way into the cache while this row is read. (Its first cell as it
/// stands: a quoted id, or a blank line, only touches a place that is not looked at.)
fn touch_first_cell(ahead: &[u8], dossiers: &Dossiers) {
    // Most ids end within the first sixteen bytes, which one look at them finds.
    let [commas, newlines, _] = crate::os::csv_marks(ahead.first_chunk().unwrap_or(&[0; 16]));
    let end = match commas | newlines {
        0 => ahead.iter().position(|&b| b == b',' || b == b'\n'),
        ends => Some(ends.trailing_zeros() as usize),
    };
    dossiers.touch(&ahead[..end.unwrap_or(ahead.len())]);
}

impl Memo {
    /// The first slot of the cell's set.
    fn set(column: usize, raw: &[u8]) -> usize {
        let n = raw.len();
        // The first and the last eight bytes (for a date, the year and month, then the month
        // and day), or the bytes there are, and the length.
        let key = if n >= 8 {
            let word = |at: usize| u64::from_le_bytes(raw[at..at + 8].try_into().unwrap_or([0; 8]));
            word(0) ^ word(n - 8).rotate_left(29) ^ n as u64
        } else {
            raw.iter().fold(n as u64, |k, &b| k << 8 | u64::from(b))
        };
        let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_SETS.trailing_zeros());
        (column * MEMO_SETS + hash as usize) * MEMO_WAYS
    }

    fn get(&mut self, column: usize, raw: &[u8]) -> Option<Memoed> {
        // An empty key is an unused slot; an empty cell is cheap anyway.
        if raw.is_empty() || self.slots.is_empty() {
            return None;
        }
        let at = Memo::set(column, raw);
        let (key, value) = &self.slots[at];
        if super::same_bytes(key, raw) {
            return Some(*value);
        }
        let (key, value) = &self.slots[at + 1];
        if super::same_bytes(key, raw) {
            let value = *value;
            // Used last: first in its set.
            self.slots.swap(at, at + 1);
            return Some(value);
        }
        None
    }

    /// Keeps the cell first in its set; the one used least recently goes.
    fn put(&mut self, column: usize, raw: &[u8], value: Memoed) {
        if self.slots.is_empty() {
            self.slots = vec![(Vec::new(), Memoed::Empty); MAX_COLUMNS * MEMO_SETS * MEMO_WAYS];
        }
        let at = Memo::set(column, raw);
        self.slots.swap(at, at + 1);
        let (key, slot) = &mut self.slots[at];
        key.clear();
        key.extend_from_slice(raw);
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file not in date order meets a year's dates in any order: nearly all of them stay in
    /// the memo (with 128 sets, at most 256 could).
    #[test]
    fn a_years_dates_stay_in_the_memo() {
        let days: Vec<NaiveDate> = (0..365)
            .map(|i| NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(i))
            .collect();
        let cell = |d: &NaiveDate| d.format("%Y-%m-%d").to_string().into_bytes();
        let mut memo = Memo::default();
        for d in &days {
            memo.put(3, &cell(d), Memoed::Date(*d));
        }
        let kept = days
            .iter()
            .filter(|d| matches!(memo.get(3, &cell(d)), Some(Memoed::Date(k)) if k == **d))
            .count();
        assert!(kept >= 330, "{kept} of 365");
    }

    #[test]
    fn two_cells_of_one_memo_set_both_stay() {
        // Two cells that share a set (with one way, two procedure names of shape (d) that
        // shared one pushed each other out on every change of procedure).
        let a = "Thay đổi, cải chính, bổ sung thông tin hộ tịch".as_bytes();
        let same_set = |skip: usize| {
            (0..100_000)
                .map(|i| format!("Chứng thực bản sao số {i}").into_bytes())
                .filter(|t| Memo::set(1, t) == Memo::set(1, a))
                .nth(skip)
                .expect("a cell of the same set")
        };
        let b = &same_set(0)[..];
        let date = |d| Memoed::Date(NaiveDate::from_ymd_opt(2021, 3, d).unwrap());
        use chrono::Datelike;
        let mut memo = Memo::default();
        memo.put(1, a, date(1));
        memo.put(1, b, date(2));
        assert!(matches!(memo.get(1, a), Some(Memoed::Date(d)) if d.day() == 1));
        assert!(matches!(memo.get(1, b), Some(Memoed::Date(d)) if d.day() == 2));
        // A third cell of the set pushes out the one used least recently (a, read before b).
        let third = same_set(1);
        memo.put(1, &third, date(3));
        assert!(memo.get(1, a).is_none());
        assert!(memo.get(1, b).is_some());
        assert!(memo.get(1, &third).is_some());
    }

    use crate::records::Rating;

    fn plan() -> Plan {
        crate::plan::minimal_fixture()
    }

    /// One activity row with this officers cell: the officers kept, and the findings' codes.
    fn officers(cell: &str) -> (Vec<String>, Vec<Code>) {
        let plan = plan();
        let mut records = Records::default();
        let row: Vec<String> = ["2021-01-05", "1", "meeting", "Họp", cell, "", "", "", ""]
            .map(String::from)
            .into();
        let found = check_new_rows(&plan, &mut records, Kind::Activities, &[row], "a.csv", 2);
        let kept = records
            .activities
            .iter()
            .flat_map(|a| a.officers().map(String::from))
            .collect();
        (kept, found.iter().map(|f| f.code).collect())
    }

    #[test]
    fn feedback_keeps_its_texts_trimmed_in_nfc_and_none_when_empty() {
        let plan = plan();
        let mut records = Records::default();
        let rows: Vec<Vec<String>> = [
            [
                "2021-01-05",
                "form",
                "satisfied",
                " vp1 ",
                "Ho\u{300}a ",
                "2021-01-06",
                "",
            ],
            ["2021-01-05", "box", "", "", "", "", " ghi chú"],
            ["2021-01-05", "box", "", "ct", "Tốt", "", "Đủ"],
        ]
        .map(|r| r.map(String::from).into())
        .into();
        let found = check_new_rows(&plan, &mut records, Kind::Feedback, &rows, "f.csv", 2);
        assert!(found.is_empty(), "{found:?}");
        let texts: Vec<_> = records
            .feedback
            .iter()
            .map(|f| (f.officer(), f.summary(), f.note()))
            .collect();
        assert_eq!(
            texts,
            [
                (Some("vp1"), Some("H\u{F2}a"), None),
                (None, None, Some("ghi chú")),
                (Some("ct"), Some("Tốt"), Some("Đủ")),
            ]
        );
        assert_eq!(records.feedback[0].rating, Some(Rating::Satisfied));
        assert_eq!(records.feedback[1].handled, None);
    }

    #[test]
    fn parse_date_remembers_but_says_what_dates_parse_says() {
        let cells = [
            "2021-03-05",
            "2021-03-05",
            "05/03/2021",
            "2021-02-30",
            "2021-02-30",
            "2021-03-05",
            "2021-3-5",
            "",
            "2021-03-06",
            "abcdefghij",
            "2021-03-06",
        ];
        for i in [0, 1, 5] {
            for s in cells.iter().chain(cells.iter().rev()) {
                assert_eq!(parse_date(s, i), crate::dates::parse(s), "{s:?} {i}");
            }
        }
    }

    #[test]
    fn the_officers_cell_keeps_the_ids_trimmed_and_without_empty_ones() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for cell in [
            "ct;vp1",
            " ct ; vp1 ",
            "ct;;vp1",
            ";ct;vp1;",
            "\u{A0}ct\u{3000};\tvp1",
        ] {
            assert_eq!(officers(cell), (ids(&["ct", "vp1"]), vec![]), "{cell:?}");
        }
        assert_eq!(officers("vp1"), (ids(&["vp1"]), vec![]));
        for cell in ["", ";", " ; ; "] {
            assert_eq!(officers(cell), (vec![], vec![]), "{cell:?}");
        }
        // The first unknown id is reported, and the row is left out.
        assert_eq!(
            officers("ct;nobody;x"),
            (vec![], vec![Code::UnknownOfficer])
        );
        assert_eq!(officers("ct; Vp1"), (vec![], vec![Code::UnknownOfficer]));
    }

    /// A row of every cell filled, per kind.
    fn full_row(kind: Kind) -> &'static [&'static str] {
        match kind {
            Kind::Activities => &[
                "2021-03-05",
                "2",
                "assessment",
                "Hội nghị đánh giá",
                "ct;vp1",
                "Biên bản số 3",
                "2-bao-cao",
                "25",
                "Ghi chú",
            ],
            Kind::Violations => &[
                "2021-03-05",
                "vp1",
                "Đi làm muộn",
                "9",
                "reprimand",
                "Quyết định số 5",
                "Ghi chú",
            ],
            Kind::Commendations => &[
                "2021-03-05",
                "vp1",
                "Giấy khen",
                "Hoàn thành xuất sắc",
                "Quyết định số 6",
                "Ghi chú",
            ],
            Kind::Feedback => &[
                "2021-03-05",
                "form",
                "satisfied",
                "vp1",
                "Hướng dẫn tận tình",
                "2021-03-06",
                "Ghi chú",
            ],
            Kind::Commitments => &[
                "2021-03-05",
                "ct",
                "9",
                "Tiếp công dân mỗi tuần",
                "met",
                "2021-12-10",
            ],
            Kind::Lapses => &[
                "2021-07-12",
                "lanh-dao",
                "vp1",
                "Báo cáo 6 tháng",
                "6 tháng đầu năm 2021",
                "late",
                "Ghi chú",
            ],
            Kind::Ratings => &[
                "2021-12-10",
                "vp1",
                "2021",
                "good",
                "Quyết định số 95/QĐ-UBND",
                "Ghi chú",
            ],
            Kind::Dossiers => &[
                "000.00.27.H42-210315-0001",
                "ht-khai-sinh",
                "Hộ tịch",
                "2021-03-15",
                "2021-03-16",
                "2021-03-18",
                "withdrawn",
                "vp1",
                "Thiếu giấy tờ",
                "2021-03-16",
                "2021-03-18",
                "Ghi chú",
                "online-full",
                "2021-03-16",
                "Không thuộc thẩm quyền",
            ],
        }
    }

    /// `to_cells` gives back the row `from_cells` read, cell for cell, for every kind: the two
    /// agree on the columns and their order.
    #[test]
    fn to_cells_gives_back_the_row_from_cells_read() {
        let plan = crate::plan::minimal_fixture();
        for kind in Kind::ALL {
            let to_cells = kind.spec().to_cells;
            let row: Vec<String> = full_row(kind).iter().map(|c| c.to_string()).collect();
            assert_eq!(row.len(), kind.columns().len(), "{kind:?}");
            let mut records = Records::default();
            let found = check_new_rows(
                &plan,
                &mut records,
                kind,
                std::slice::from_ref(&row),
                "x.csv",
                2,
            );
            assert!(found.is_empty(), "{kind:?}: {found:?}");
            assert_eq!(to_cells(&records).collect::<Vec<_>>(), [row], "{kind:?}");
        }
    }
}
