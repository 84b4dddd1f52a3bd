//! One-stop dossiers (hồ sơ TTHC): facts spread over rows, merged into one dossier each.
//!
//! A dossier is opened by a row with its procedure, received and due dates; later rows with the
//! same id fill what was empty (returned, status, late reason, apology, rescheduled). Editing the
//! first row in place is equally valid. A row that changes a value already set is an error:
//! timeliness is judged against the original due date, even when a new date was promised.
//! Facts are merged whatever the order of rows, so files merged by git (`merge=union`) still read.
//!
//! The store is compact, for millions of dossiers: dates are 4 bytes, texts (procedure, field,
//! officer, reasons, notes) are interned ([`Strings`]) and ids have a table of their own
//! ([`Ids`]), so a dossier takes 52 bytes and merging a row allocates nothing unless it brings
//! a new text. A big file read in two parts makes a store of two parts ([`Dossiers::join`]).

use std::borrow::Cow;
use std::ops::Deref;

use chrono::NaiveDate;

use super::ids::Ids;
use super::intern::{Strings, Sym};
use super::{DossierStatus, RowRef, Submission};

/// A dossier after all its rows are merged. Texts are numbers in the [`Dossiers`] store; read
/// them through a [`DossierRef`]. The late reason and the note, which few dossiers have, are
/// kept beside the list (`Extra`), so that the dossiers that have none do not pay for them.
#[derive(Debug, Clone, Default)]
pub struct Dossier {
    pub procedure: Option<Sym>,
    pub field: Option<Sym>,
    pub officer: Option<Sym>,
    pub received: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub returned: Option<NaiveDate>,
    pub apology: Option<NaiveDate>,
    pub rescheduled: Option<NaiveDate>,
    pub status: Option<DossierStatus>,
    /// How it was submitted: in person, by post, online.
    pub channel: Option<Submission>,
    /// The day a request for more papers was issued (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
    pub supplement: Option<NaiveDate>,
    /// Whether a late reason was given (the reason itself: [`DossierRef::late_reason`]).
    pub has_late_reason: bool,
    /// The first row that names this dossier, and the row that set `returned` (where a late
    /// return is pointed at): lines, then files (a folder has far fewer than 65,536 record
    /// files), packed so that a dossier takes 52 bytes.
    lines: [u32; 2],
    files: [u16; 2],
}

impl Dossier {
    fn new(opened: RowRef) -> Dossier {
        let mut d = Dossier::default();
        d.set_row(0, opened);
        d
    }

    fn set_row(&mut self, i: usize, at: RowRef) {
        self.lines[i] = at.line;
        self.files[i] = u16::try_from(at.file).unwrap_or(u16::MAX);
    }

    fn row(&self, i: usize) -> RowRef {
        RowRef {
            file: u32::from(self.files[i]),
            line: self.lines[i],
        }
    }

    /// The first row that names this dossier.
    pub fn opened(&self) -> RowRef {
        self.row(0)
    }

    /// The row that set `returned`; the first row while none has (a finding about how the
    /// dossier ended, such as a refusal without a reason, is then pointed at where it began,
    /// never at a place that is no row).
    pub fn returned_at(&self) -> RowRef {
        if self.returned.is_some() {
            self.row(1)
        } else {
            self.opened()
        }
    }

    /// Whether it ended without a result (withdrawn, stopped or refused).
    pub fn without_result(&self) -> bool {
        self.status.is_some()
    }

    /// The date its timeliness is judged against, or `None` while its clock is stopped.
    ///
    /// A request for more papers issued by the due date stops the clock: the days the citizen
    /// takes to bring them are not the office's (Nghị định 61/2018/NĐ-CP, Điều 16; the request
    /// is made once, on mẫu 02 of Thông tư 01/2018/TT-VPCP; see docs/records.md). When the
    /// papers come back the office gives a new appointment, recorded as `rescheduled`, and the
    /// dossier is judged against it; without one, it is never late. An apology letter says
    /// the office itself was late: the due date stands.
    pub fn judged_due(&self) -> Option<NaiveDate> {
        let due = self.due?;
        match self.supplement {
            Some(s) if s <= due && self.apology.is_none() => self.rescheduled,
            _ => Some(due),
        }
    }

    /// Where it stands at `t`: ended by then (with a result: early, on time or late against
    /// [`Dossier::judged_due`], on time while the clock is stopped; or without one), or still
    /// pending (overdue once the date judged against is past). An end recorded after `t` is not
    /// known yet at `t`. `None` without a received or a due date, or when received after `t`.
    /// The reports' statistics count by it, and the Parquet export writes it beside the facts.
    #[inline]
    pub fn outcome_at(&self, t: NaiveDate) -> Option<Outcome> {
        let (Some(received), Some(due)) = (self.received, self.due) else {
            return None;
        };
        if received > t {
            return None;
        }
        let ended = self.returned.filter(|&r| r <= t);
        Some(match (ended, self.judged_due()) {
            (Some(_), _) if self.status.is_some() => {
                Outcome::WithoutResult(self.status.unwrap_or(DossierStatus::Stopped))
            }
            (Some(r), Some(judged)) if r < judged => Outcome::Early,
            (Some(r), Some(judged)) if r == judged => Outcome::OnTime,
            (Some(_), Some(_)) => Outcome::Late,
            (Some(r), None) if r < due => Outcome::Early,
            (Some(_), None) => Outcome::OnTime,
            (None, Some(judged)) if judged < t => Outcome::PendingOverdue,
            (None, _) => Outcome::PendingInTime,
        })
    }
}

/// Where a dossier stands at a date ([`Dossier::outcome_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Early,
    OnTime,
    Late,
    /// Ended without a result: withdrawn, stopped or refused.
    WithoutResult(DossierStatus),
    PendingInTime,
    PendingOverdue,
}

impl Outcome {
    /// Its code in exports: `early`, `on_time`, `late`, the status (`withdrawn`, `stopped`,
    /// `refused`), `pending_in_time`, `pending_overdue`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Early => "early",
            Outcome::OnTime => "on_time",
            Outcome::Late => "late",
            Outcome::WithoutResult(status) => status.code(),
            Outcome::PendingInTime => "pending_in_time",
            Outcome::PendingOverdue => "pending_overdue",
        }
    }
}

/// The texts few dossiers have.
#[derive(Debug, Clone, Copy, Default)]
struct Extra {
    late_reason: Option<Sym>,
    note: Option<Sym>,
    refusal_reason: Option<Sym>,
}

/// A dossier with its texts.
#[derive(Debug, Clone, Copy)]
pub struct DossierRef<'a> {
    dossier: &'a Dossier,
    shard: &'a Shard,
    texts: &'a Strings,
    index: usize,
}

impl<'a> Deref for DossierRef<'a> {
    type Target = Dossier;

    fn deref(&self) -> &Dossier {
        self.dossier
    }
}

impl<'a> DossierRef<'a> {
    fn text(&self, sym: Option<Sym>) -> Option<&'a str> {
        sym.map(|s| self.texts.resolve(s))
    }

    /// The dossier's id (made again from its parts for a one-stop code, see `Ids`).
    pub fn id(&self) -> Cow<'a, str> {
        self.shard.ids.nth(self.index)
    }

    fn extra(&self) -> Extra {
        self.shard
            .extras
            .get(&(self.index as u32))
            .copied()
            .unwrap_or_default()
    }

    /// A procedure id of the plan's catalogue, or a procedure name as the one-stop book
    /// writes it.
    pub fn procedure(&self) -> Option<&'a str> {
        self.text(self.dossier.procedure)
    }

    pub fn field(&self) -> Option<&'a str> {
        self.text(self.dossier.field)
    }

    pub fn officer(&self) -> Option<&'a str> {
        self.text(self.dossier.officer)
    }

    pub fn late_reason(&self) -> Option<&'a str> {
        self.text(self.extra().late_reason)
    }

    pub fn note(&self) -> Option<&'a str> {
        self.text(self.extra().note)
    }

    /// Why it was refused (Phiếu từ chối tiếp nhận giải quyết hồ sơ).
    pub fn refusal_reason(&self) -> Option<&'a str> {
        self.text(self.extra().refusal_reason)
    }
}

/// One row's facts about a dossier, each with its 1-based column. The id is borrowed from the
/// row; other texts are interned in the store first ([`Dossiers::text`]).
#[derive(Debug, Default)]
pub struct Fact<'a> {
    /// The id's bytes: a `&str`'s, or a cell's checked to be printable ASCII ([`Ids::add`]).
    pub id: Cow<'a, [u8]>,
    pub procedure: Option<(Sym, u32)>,
    pub field: Option<(Sym, u32)>,
    pub received: Option<(NaiveDate, u32)>,
    pub due: Option<(NaiveDate, u32)>,
    pub returned: Option<(NaiveDate, u32)>,
    pub status: Option<(DossierStatus, u32)>,
    pub officer: Option<(Sym, u32)>,
    pub late_reason: Option<(Sym, u32)>,
    pub apology: Option<(NaiveDate, u32)>,
    pub rescheduled: Option<(NaiveDate, u32)>,
    pub note: Option<(Sym, u32)>,
    pub channel: Option<(Submission, u32)>,
    pub supplement: Option<(NaiveDate, u32)>,
    pub refusal_reason: Option<(Sym, u32)>,
}

/// What is wrong with a row's facts, against what the dossier already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The row changes a value already set.
    Conflict {
        column: u32,
        name: &'static str,
        old: String,
        new: String,
    },
    /// A date before the received date (`what` is the column holding it).
    Before {
        column: u32,
        what: &'static str,
        date: NaiveDate,
        received: NaiveDate,
    },
}

/// All dossiers, in one part or in several: the parts of a big file read on several threads,
/// each holding the dossiers first named in its stretch of rows, in the order of the file. A
/// dossier named in two parts is kept by the first; the later part's copy is retired
/// ([`Dossiers::retire_repeats`]) once the rows it got are merged into the first again.
/// Texts other than ids (procedure, field, officer, reasons, notes) are interned once for the
/// whole store.
#[derive(Debug, Clone)]
pub struct Dossiers {
    shards: Vec<Shard>,
    texts: Strings,
}

impl Default for Dossiers {
    fn default() -> Self {
        Dossiers {
            shards: vec![Shard::new()],
            texts: Strings::default(),
        }
    }
}

impl Dossiers {
    /// How many parts the store has.
    pub fn part_count(&self) -> usize {
        self.shards.len()
    }

    /// This store followed by the parts of `later`, their texts renumbered into this store's,
    /// and the lines of the rows they point at moved down by `lines` (a part read from the
    /// middle of a file counts lines from there).
    pub fn join(&mut self, later: Dossiers, lines: u32) {
        let renumber: Vec<Sym> = (0..later.texts.len())
            .map(|i| self.texts.intern(later.texts.nth(i)).0)
            .collect();
        let renumber = |sym: &mut Option<Sym>| {
            if let Some(s) = sym {
                *s = renumber[s.index()];
            }
        };
        for mut shard in later.shards {
            // One pass over the list (it is large).
            for d in &mut shard.list {
                renumber(&mut d.procedure);
                renumber(&mut d.field);
                renumber(&mut d.officer);
                for line in &mut d.lines {
                    // 0: no row (a dossier not returned has no return row).
                    if *line != 0 {
                        *line += lines;
                    }
                }
            }
            for e in shard.extras.values_mut() {
                // Every text an extra holds (named, so that a text added to `Extra` must be
                // added here: the refusal reason, forgotten, once kept the later part's
                // numbers and read as another text).
                let Extra {
                    late_reason,
                    note,
                    refusal_reason,
                } = e;
                for sym in [late_reason, note, refusal_reason] {
                    renumber(sym);
                }
            }
            self.shards.push(shard);
        }
    }

    /// Retires, in the last part, every dossier an earlier part holds too, and says which:
    /// by position in the last part. The rows that named them in the last part's stretch must
    /// then be merged again (into the earlier part, which [`Dossiers::merge_at`] finds).
    pub fn retire_repeats(&mut self) -> Vec<bool> {
        let Some((last, earlier)) = self.shards.split_last_mut() else {
            return Vec::new();
        };
        let n = last.list.len();
        let mut retired = vec![false; n];
        for shard in &*earlier {
            // The ids of the smaller of the two parts are looked up in the other (a piece the
            // split read took from the middle of the first part is small beside the last
            // part), in runs (ids of a day share their group), on two threads. An id of the
            // general table has its slot there touched `AHEAD` lookups before its own, so that
            // the cache misses of a run overlap (ids of another shape: the step's time 16 → 10
            // ms on (c) of the shape matrix, 26 → 17 ms on UUIDs).
            const AHEAD: usize = 16;
            let last_smaller = n <= shard.list.len();
            let (from, into) = if last_smaller {
                (&last.ids, &shard.ids)
            } else {
                (&shard.ids, &last.ids)
            };
            let find = |range: std::ops::Range<usize>| -> Vec<usize> {
                let mut near = usize::MAX;
                range
                    .filter_map(|i| {
                        into.touch_of(from, i + AHEAD);
                        let j = into.find_of(from, i, &mut near)?;
                        Some(if last_smaller { i } else { j })
                    })
                    .collect()
            };
            let m = from.len();
            let (first, second) = crate::par::join(|| find(0..m / 2), || find(m / 2..m));
            for i in first.into_iter().chain(second) {
                retired[i] = true;
            }
        }
        last.retire(&retired);
        retired
    }

    /// How many texts the store holds: every text [`Sym`] of its dossiers is below.
    pub fn text_count(&self) -> usize {
        self.texts.len()
    }

    /// Whether the ids being added go to a hash table ([`Ids::hashed`]): [`Dossiers::touch`]
    /// then pays.
    pub fn hashed(&self) -> bool {
        self.shards.last().is_some_and(|shard| shard.ids.hashed())
    }

    /// Touches where the id would be looked for ([`Ids::touch`]).
    pub fn touch(&self, id: &[u8]) {
        if let Some(shard) = self.shards.last() {
            shard.ids.touch(id);
        }
    }

    /// The number of a text (procedure, field, officer, reason, note), interned when new.
    pub fn text(&mut self, s: &str) -> Sym {
        self.texts.intern(s).0
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(Shard::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes room for about `n` more dossiers (in the last part, where new dossiers go).
    pub fn reserve(&mut self, n: usize) {
        if let Some(shard) = self.shards.last_mut() {
            shard.reserve(n);
        }
    }

    pub fn get(&self, id: &str) -> Option<DossierRef<'_>> {
        self.shards.iter().find_map(|shard| {
            shard
                .ids
                .get(id)
                .filter(|&i| !shard.is_retired(i))
                .map(|i| shard.at(i, &self.texts))
        })
    }

    /// Every dossier, in the order its id first appears in the rows.
    pub fn iter(&self) -> impl Iterator<Item = DossierRef<'_>> {
        (0..self.shards.len()).flat_map(|k| self.iter_part(k))
    }

    /// The dossiers of part `k` (of [`Dossiers::part_count`]), in order: [`Dossiers::iter`]
    /// is the parts one after another.
    fn iter_part(&self, k: usize) -> impl Iterator<Item = DossierRef<'_>> {
        self.iter_positions(k, 0..usize::MAX)
    }

    /// The store cut in spans of about `size` dossiers, in order: [`Dossiers::iter_span`] of
    /// each, one after another, is [`Dossiers::iter`]; so a pass over millions of dossiers can
    /// take the spans on several threads (see [`crate::par::in_turn`]).
    pub fn spans(&self, size: usize) -> Vec<Span> {
        (self.shards.iter().enumerate())
            .flat_map(|(part, shard)| {
                crate::par::spans(shard.list.len(), size)
                    .map(move |positions| Span { part, positions })
            })
            .collect()
    }

    /// [`Dossiers::iter`], each dossier with its place: a number below [`Dossiers::places`],
    /// growing along the way, that [`Dossiers::late_reasons_at`] knows the dossier by.
    pub fn iter_placed(&self) -> impl Iterator<Item = (usize, DossierRef<'_>)> {
        let mut offset = 0;
        (0..self.shards.len()).flat_map(move |k| {
            let at = offset;
            offset += self.shards[k].list.len();
            self.iter_part(k).map(move |d| (at + d.index, d))
        })
    }

    /// How many places [`Dossiers::iter_placed`] numbers from (those of dossiers an earlier
    /// part holds, which it skips, among them).
    pub fn places(&self) -> usize {
        self.shards.iter().map(|shard| shard.list.len()).sum()
    }

    /// The late reasons of the dossiers whose places (see [`Dossiers::iter_placed`]) are set
    /// in `chosen`, one bit each, with their places, in no order: one pass over the texts
    /// few dossiers have (reasons, notes), where asking each chosen dossier for its reason
    /// ([`DossierRef::late_reason`]) looks in their hash table at random. On a million
    /// dossiers, 300,000 of them late with a reason, that was a tenth of the year report's CPU
    /// time, most of it on the thread the report waited for.
    pub fn late_reasons_at<'a>(
        &'a self,
        chosen: &'a [u64],
    ) -> impl Iterator<Item = (usize, Sym)> + 'a {
        let mut offset = 0;
        self.shards.iter().flat_map(move |shard| {
            let at = offset;
            offset += shard.list.len();
            shard.extras.iter().filter_map(move |(&i, extra)| {
                let place = at + i as usize;
                let set = chosen
                    .get(place / 64)
                    .is_some_and(|w| w >> (place % 64) & 1 == 1);
                Some((place, extra.late_reason.filter(|_| set)?))
            })
        })
    }

    /// The text of a number [`Dossiers::late_reasons_at`] gives.
    pub fn text_of(&self, sym: Sym) -> &str {
        self.texts.resolve(sym)
    }

    /// The dossiers of one span of [`Dossiers::spans`], in order.
    pub fn iter_span(&self, span: &Span) -> impl Iterator<Item = DossierRef<'_>> + use<'_> {
        self.iter_positions(span.part, span.positions.clone())
    }

    /// The dossiers of part `k` at positions `positions` (clamped to the part), in order.
    fn iter_positions(
        &self,
        k: usize,
        positions: std::ops::Range<usize>,
    ) -> impl Iterator<Item = DossierRef<'_>> {
        let shard = &self.shards[k];
        let end = positions.end.min(shard.list.len());
        (positions.start.min(end)..end)
            .filter(|&i| !shard.is_retired(i))
            .map(|i| shard.at(i, &self.texts))
    }

    /// Takes the dossier `id` out of the store (a void row, docs/records.md): it is in no
    /// count or list after. `false` when there is no such dossier.
    pub fn void(&mut self, id: &str) -> bool {
        for shard in &mut self.shards {
            if let Some(i) = shard.ids.get(id).filter(|&i| !shard.is_retired(i)) {
                shard.retire_one(i);
                return true;
            }
        }
        false
    }

    /// Replaces the facts `fact` gives of the dossier it names (a correction row at `at`,
    /// docs/records.md); the facts it leaves empty stay. Returns the dates the correction
    /// leaves before the received date. `None` when there is no such dossier.
    pub fn correct(&mut self, fact: &Fact<'_>, at: RowRef) -> Option<Vec<Problem>> {
        for shard in &mut self.shards {
            if let Some(i) = shard.ids.get(&fact.id).filter(|&i| !shard.is_retired(i)) {
                return Some(shard.correct(i, fact, at));
            }
        }
        None
    }

    /// Merges one row's facts into the dossier (see `Shard::merge`).
    pub fn merge(&mut self, fact: &Fact<'_>, at: RowRef) -> Vec<Problem> {
        self.merge_at(fact, at).problems
    }

    /// [`Dossiers::merge`], saying also where the dossier is in its part. A dossier an earlier
    /// part holds is merged there; a new one goes to the last part.
    pub fn merge_at(&mut self, fact: &Fact<'_>, at: RowRef) -> Merged {
        let (last, earlier) = self
            .shards
            .split_last_mut()
            .expect("a store has at least one part");
        for shard in earlier {
            if let Some(index) = shard.ids.get(&fact.id) {
                let problems = shard.merge_into(index, fact, at, &mut self.texts);
                return Merged { index, problems };
            }
        }
        let (index, new) = last.ids.add(&fact.id);
        let problems = if new {
            last.open(index, fact, at)
        } else {
            last.merge_into(index, fact, at, &mut self.texts)
        };
        Merged { index, problems }
    }
}

/// A stretch of the store: positions of one of its parts (see [`Dossiers::spans`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    part: usize,
    positions: std::ops::Range<usize>,
}

/// What merging a row did: the dossier's position in its part, and what the row got wrong.
#[derive(Debug)]
pub struct Merged {
    pub index: usize,
    pub problems: Vec<Problem>,
}

/// Dossiers of one part, with their ids.
#[derive(Debug, Clone)]
struct Shard {
    /// Dossier ids; a dossier's position in `list` is its id's number.
    ids: Ids,
    list: Vec<Dossier>,
    /// By a dossier's position in `list`, the texts few dossiers have.
    extras: hashbrown::HashMap<u32, Extra>,
    /// By position, the dossiers an earlier part holds (one bit each; empty when none).
    retired: Vec<u64>,
    retired_count: usize,
}

impl Shard {
    fn new() -> Shard {
        Shard {
            ids: Ids::with_hasher(hashbrown::DefaultHashBuilder::default()),
            list: Vec::new(),
            extras: hashbrown::HashMap::new(),
            retired: Vec::new(),
            retired_count: 0,
        }
    }

    fn len(&self) -> usize {
        self.list.len() - self.retired_count
    }

    fn is_retired(&self, index: usize) -> bool {
        self.retired
            .get(index / 64)
            .is_some_and(|bits| bits >> (index % 64) & 1 == 1)
    }

    fn retire(&mut self, which: &[bool]) {
        self.retired = vec![0; which.len().div_ceil(64)];
        self.retired_count = 0;
        for (i, _) in which.iter().enumerate().filter(|(_, gone)| **gone) {
            self.retired[i / 64] |= 1 << (i % 64);
            self.retired_count += 1;
        }
    }

    /// Retires the dossier at `index` alone (a void), keeping the others retired.
    fn retire_one(&mut self, index: usize) {
        if self.is_retired(index) {
            return;
        }
        if self.retired.len() <= index / 64 {
            self.retired.resize(index / 64 + 1, 0);
        }
        self.retired[index / 64] |= 1 << (index % 64);
        self.retired_count += 1;
    }

    /// Replaces the facts `fact` gives of the dossier at `index` (see [`Dossiers::correct`]).
    fn correct(&mut self, index: usize, fact: &Fact<'_>, at: RowRef) -> Vec<Problem> {
        let d = &mut self.list[index];
        let put = |slot: &mut Option<Sym>, v: Option<(Sym, u32)>| {
            if let Some((v, _)) = v {
                *slot = Some(v);
            }
        };
        let put_date = |slot: &mut Option<NaiveDate>, v: Option<(NaiveDate, u32)>| {
            if let Some((v, _)) = v {
                *slot = Some(v);
            }
        };
        put(&mut d.procedure, fact.procedure);
        put(&mut d.field, fact.field);
        put(&mut d.officer, fact.officer);
        put_date(&mut d.received, fact.received);
        put_date(&mut d.due, fact.due);
        put_date(&mut d.returned, fact.returned);
        if fact.returned.is_some() {
            d.set_row(1, at);
        }
        put_date(&mut d.apology, fact.apology);
        put_date(&mut d.rescheduled, fact.rescheduled);
        put_date(&mut d.supplement, fact.supplement);
        if let Some((s, _)) = fact.status {
            d.status = Some(s);
        }
        if let Some((c, _)) = fact.channel {
            d.channel = Some(c);
        }
        if fact.late_reason.is_some() || fact.note.is_some() || fact.refusal_reason.is_some() {
            let extra = self.extras.entry(index as u32).or_default();
            put(&mut extra.late_reason, fact.late_reason);
            put(&mut extra.note, fact.note);
            put(&mut extra.refusal_reason, fact.refusal_reason);
            d.has_late_reason = extra.late_reason.is_some();
        }
        let mut problems = Vec::new();
        if let Some(received) = d.received {
            let given = |v: Option<(NaiveDate, u32)>| v.map_or(0, |(_, c)| c);
            let received_col = given(fact.received);
            for (what, value, col) in [
                ("due", d.due, given(fact.due)),
                ("returned", d.returned, given(fact.returned)),
            ] {
                if let Some(value) = value.filter(|&v| v < received)
                    && (col > 0 || received_col > 0)
                {
                    problems.push(Problem::Before {
                        column: if col > 0 { col } else { received_col },
                        what,
                        date: value,
                        received,
                    });
                }
            }
        }
        problems
    }

    /// Makes room for about `n` more dossiers.
    fn reserve(&mut self, n: usize) {
        self.ids.reserve(n);
        self.list.reserve(n);
        crate::os::advise(&self.list);
    }

    fn at<'a>(&'a self, index: usize, texts: &'a Strings) -> DossierRef<'a> {
        DossierRef {
            dossier: &self.list[index],
            shard: self,
            texts,
            index,
        }
    }

    /// Merges one row's facts into the dossier at `index`. Returns what the row got wrong:
    /// values it tried to change, dates before the received date.
    /// A new dossier, opened by `fact`: what [`Shard::merge_into`] makes of a row that names
    /// a dossier for the first time (nothing to conflict with), in one go. The only problems
    /// are dates before the received date.
    fn open(&mut self, index: usize, fact: &Fact<'_>, at: RowRef) -> Vec<Problem> {
        // A dossier's place in the list is its id's number.
        debug_assert_eq!(index, self.list.len());
        let value = |v: Option<(NaiveDate, u32)>| v.map(|(d, _)| d);
        let mut d = Dossier {
            procedure: fact.procedure.map(|(s, _)| s),
            field: fact.field.map(|(s, _)| s),
            officer: fact.officer.map(|(s, _)| s),
            received: value(fact.received),
            due: value(fact.due),
            returned: value(fact.returned),
            apology: value(fact.apology),
            rescheduled: value(fact.rescheduled),
            status: fact.status.map(|(s, _)| s),
            channel: fact.channel.map(|(c, _)| c),
            supplement: value(fact.supplement),
            has_late_reason: fact.late_reason.is_some(),
            ..Dossier::new(at)
        };
        if d.returned.is_some() {
            d.set_row(1, at);
        }
        if fact.late_reason.is_some() || fact.note.is_some() || fact.refusal_reason.is_some() {
            self.extras.insert(
                index as u32,
                Extra {
                    late_reason: fact.late_reason.map(|(s, _)| s),
                    note: fact.note.map(|(s, _)| s),
                    refusal_reason: fact.refusal_reason.map(|(s, _)| s),
                },
            );
        }
        let mut problems = Vec::new();
        if let Some(received) = d.received {
            for (what, date) in [("due", fact.due), ("returned", fact.returned)] {
                if let Some((date, column)) = date.filter(|&(v, _)| v < received) {
                    problems.push(Problem::Before {
                        column,
                        what,
                        date,
                        received,
                    });
                }
            }
        }
        self.list.push(d);
        problems
    }

    fn merge_into(
        &mut self,
        index: usize,
        fact: &Fact<'_>,
        at: RowRef,
        texts: &mut Strings,
    ) -> Vec<Problem> {
        let d = &mut self.list[index];
        let mut extra =
            if fact.late_reason.is_some() || fact.note.is_some() || fact.refusal_reason.is_some() {
                Some(self.extras.entry(index as u32).or_default())
            } else {
                None
            };
        let mut problems = Vec::new();
        let mut text = |slot: &mut Option<Sym>, value: Option<(Sym, u32)>, name: &'static str| {
            let Some((value, column)) = value else { return };
            match *slot {
                None => *slot = Some(value),
                Some(old) if old == value => {}
                Some(old) => problems.push(Problem::Conflict {
                    column,
                    name,
                    old: texts.resolve(old).to_string(),
                    new: texts.resolve(value).to_string(),
                }),
            }
        };
        text(&mut d.procedure, fact.procedure, "procedure");
        text(&mut d.field, fact.field, "field");
        text(&mut d.officer, fact.officer, "officer");
        if let Some(extra) = &mut extra {
            text(&mut extra.late_reason, fact.late_reason, "late_reason");
            text(
                &mut extra.refusal_reason,
                fact.refusal_reason,
                "refusal_reason",
            );
            d.has_late_reason = extra.late_reason.is_some();
        }
        // Notes are commentary, not facts: a later, different note is added to the others.
        if let (Some((note, _)), Some(extra)) = (fact.note, &mut extra) {
            match extra.note {
                None => extra.note = Some(note),
                Some(old) if old == note => {}
                Some(old) => {
                    let joined = format!("{}; {}", texts.resolve(old), texts.resolve(note));
                    extra.note = Some(texts.intern(&joined).0);
                }
            }
        }
        let mut date =
            |slot: &mut Option<NaiveDate>, value: Option<(NaiveDate, u32)>, name: &'static str| {
                let Some((value, column)) = value else {
                    return false;
                };
                match *slot {
                    None => {
                        *slot = Some(value);
                        true
                    }
                    Some(old) if old == value => false,
                    Some(old) => {
                        problems.push(Problem::Conflict {
                            column,
                            name,
                            old: crate::dates::dmy(old),
                            new: crate::dates::dmy(value),
                        });
                        false
                    }
                }
            };
        let set_received = date(&mut d.received, fact.received, "received");
        let set_due = date(&mut d.due, fact.due, "due");
        let set_returned = date(&mut d.returned, fact.returned, "returned");
        if set_returned {
            d.set_row(1, at);
        }
        date(&mut d.apology, fact.apology, "apology");
        date(&mut d.rescheduled, fact.rescheduled, "rescheduled");
        date(&mut d.supplement, fact.supplement, "supplement");
        if let Some((channel, column)) = fact.channel {
            match d.channel {
                None => d.channel = Some(channel),
                Some(old) if old == channel => {}
                // The level of an online submission, given later, completes it.
                Some(Submission::Online) if channel.is_online() => d.channel = Some(channel),
                Some(old) => problems.push(Problem::Conflict {
                    column,
                    name: "channel",
                    old: old.code().to_string(),
                    new: channel.code().to_string(),
                }),
            }
        }
        if let Some((status, column)) = fact.status {
            match d.status {
                None => d.status = Some(status),
                Some(old) if old == status => {}
                Some(old) => problems.push(Problem::Conflict {
                    column,
                    name: "status",
                    old: old.code().to_string(),
                    new: status.code().to_string(),
                }),
            }
        }
        // Dates before the received date, found by the row that completes the pair: the
        // column is the one this row set (the later date, or the received date).
        if let Some(received) = d.received {
            let received_col = fact.received.map_or(0, |(_, c)| c);
            for (what, value, set, col) in [
                ("due", d.due, set_due, fact.due.map_or(0, |(_, c)| c)),
                (
                    "returned",
                    d.returned,
                    set_returned,
                    fact.returned.map_or(0, |(_, c)| c),
                ),
            ] {
                if let Some(value) = value.filter(|&v| v < received)
                    && (set || set_received)
                {
                    problems.push(Problem::Before {
                        column: if set { col } else { received_col },
                        what,
                        date: value,
                        received,
                    });
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2021, m, day)
    }

    /// A dossier received on 01/03, due 02/03, ended on `returned`.
    fn dossier(returned: Option<NaiveDate>, status: Option<DossierStatus>) -> Dossier {
        let mut x = Dossier::default();
        (x.received, x.due, x.returned, x.status) = (d(3, 1), d(3, 2), returned, status);
        x
    }

    #[test]
    fn the_outcome_is_judged_at_t_as_the_reports_judge_it() {
        let t = d(3, 14).unwrap();
        let at = |x: &Dossier| x.outcome_at(t).map(|o| o.code());
        assert_eq!(at(&dossier(d(3, 1), None)), Some("early"));
        assert_eq!(at(&dossier(d(3, 2), None)), Some("on_time"));
        assert_eq!(at(&dossier(d(3, 5), None)), Some("late"));
        let withdrawn = dossier(d(3, 5), Some(DossierStatus::Withdrawn));
        assert_eq!(at(&withdrawn), Some("withdrawn"));
        // A return after T is not known at T.
        assert_eq!(at(&dossier(d(3, 20), None)), Some("pending_overdue"));
        let mut open = dossier(None, None);
        open.due = d(3, 14);
        assert_eq!(at(&open), Some("pending_in_time"));
        open.received = None;
        assert_eq!(at(&open), None);
        // Received after T: not known at T either.
        open.received = d(3, 20);
        assert_eq!(at(&open), None);
    }

    /// A request for more papers by the due date stops the clock: the dossier is judged against
    /// the new appointment (`rescheduled`), never late without one, as in the reports; an
    /// apology letter says the office was late, and the due date stands.
    #[test]
    fn a_request_for_more_papers_moves_the_date_judged_against() {
        let t = d(3, 14).unwrap();
        let mut x = dossier(d(3, 5), None);
        x.supplement = d(3, 2);
        let at = |x: &Dossier| x.outcome_at(t).map(|o| o.code());
        assert_eq!(at(&x), Some("on_time"));
        x.rescheduled = d(3, 6);
        assert_eq!(at(&x), Some("early"));
        x.rescheduled = d(3, 4);
        assert_eq!(at(&x), Some("late"));
        x.apology = d(3, 3);
        x.rescheduled = d(3, 6);
        assert_eq!(at(&x), Some("late"));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(line: u32) -> RowRef {
        RowRef { file: 0, line }
    }

    #[test]
    fn a_dossier_takes_52_bytes() {
        assert_eq!(std::mem::size_of::<Dossier>(), 52);
    }

    #[test]
    fn a_request_for_more_papers_stops_the_clock() {
        let base = Dossier {
            received: Some(date(2021, 3, 1)),
            due: Some(date(2021, 3, 5)),
            ..Dossier::default()
        };
        assert_eq!(base.judged_due(), Some(date(2021, 3, 5)));
        // Requested by the due date: stopped, until a new appointment is given.
        let asked = Dossier {
            supplement: Some(date(2021, 3, 5)),
            ..base.clone()
        };
        assert_eq!(asked.judged_due(), None);
        let reappointed = Dossier {
            rescheduled: Some(date(2021, 3, 12)),
            ..asked.clone()
        };
        assert_eq!(reappointed.judged_due(), Some(date(2021, 3, 12)));
        // Requested after the due date: too late to stop anything.
        let late_ask = Dossier {
            supplement: Some(date(2021, 3, 8)),
            ..base.clone()
        };
        assert_eq!(late_ask.judged_due(), Some(date(2021, 3, 5)));
        // An apology says the office was late: the due date stands.
        let apologised = Dossier {
            apology: Some(date(2021, 3, 5)),
            ..reappointed
        };
        assert_eq!(apologised.judged_due(), Some(date(2021, 3, 5)));
    }

    #[test]
    fn later_rows_fill_empty_facts() {
        let mut ds = Dossiers::default();
        let open = Fact {
            id: b"A"[..].into(),
            procedure: Some((ds.text("ht-khai-sinh"), 2)),
            received: Some((date(2021, 3, 1), 4)),
            due: Some((date(2021, 3, 2), 5)),
            ..Fact::default()
        };
        assert!(ds.merge(&open, at(2)).is_empty());
        let close = Fact {
            id: b"A"[..].into(),
            returned: Some((date(2021, 3, 2), 6)),
            note: Some((ds.text("Trả qua bưu điện"), 12)),
            ..Fact::default()
        };
        assert!(ds.merge(&close, at(9)).is_empty());
        let d = ds.get("A").unwrap();
        assert_eq!(d.returned, Some(date(2021, 3, 2)));
        assert_eq!(d.opened(), at(2));
        assert_eq!(d.id(), "A");
        assert_eq!(d.procedure(), Some("ht-khai-sinh"));
        assert_eq!(d.note(), Some("Trả qua bưu điện"));
    }

    #[test]
    fn repeating_a_value_is_fine_changing_it_is_not() {
        let mut ds = Dossiers::default();
        let row = |returned| Fact {
            id: b"A"[..].into(),
            returned: Some((returned, 6)),
            ..Fact::default()
        };
        assert!(ds.merge(&row(date(2021, 3, 2)), at(2)).is_empty());
        assert!(ds.merge(&row(date(2021, 3, 2)), at(3)).is_empty());
        assert_eq!(
            ds.merge(&row(date(2021, 3, 5)), at(4)),
            vec![Problem::Conflict {
                column: 6,
                name: "returned",
                old: "02/03/2021".into(),
                new: "05/03/2021".into()
            }]
        );
        assert_eq!(ds.get("A").unwrap().returned, Some(date(2021, 3, 2)));
    }

    #[test]
    fn a_new_dossier_is_opened_as_a_merge_would_fill_it() {
        // The same row opening a dossier (Shard::open), and merged into one an empty row
        // opened first (Shard::merge_into): the same problems, the same dossier.
        let mut rows = Vec::new();
        for (received, due, returned) in [
            (Some((3, 1)), Some((3, 5)), None),
            (Some((3, 5)), Some((3, 1)), Some((3, 2))),
            (None, Some((3, 1)), Some((3, 2))),
            (Some((3, 5)), None, Some((3, 9))),
            (Some((3, 5)), Some((3, 5)), Some((3, 5))),
        ] {
            for (reason, note) in [(None, None), (Some("Chờ"), None), (None, Some("ghi"))] {
                rows.push((received, due, returned, reason, note));
            }
        }
        for (received, due, returned, reason, note) in rows {
            let mut opened = Dossiers::default();
            let mut merged = Dossiers::default();
            let make = |ds: &mut Dossiers| {
                let mut text = |s: &str| ds.text(s);
                Fact {
                    id: b"A"[..].into(),
                    procedure: Some((text("ht-khai-sinh"), 2)),
                    officer: Some((text("vp1"), 8)),
                    received: received.map(|(m, d)| (date(2021, m, d), 4)),
                    due: due.map(|(m, d)| (date(2021, m, d), 5)),
                    returned: returned.map(|(m, d)| (date(2021, m, d), 6)),
                    status: returned.map(|_| (DossierStatus::Withdrawn, 7)),
                    late_reason: reason.map(|r| (text(r), 9)),
                    apology: Some((date(2021, 3, 3), 10)),
                    note: note.map(|n| (text(n), 12)),
                    ..Fact::default()
                }
            };
            let fact = make(&mut opened);
            let problems = opened.merge(&fact, at(2));
            let fact = make(&mut merged);
            merged.merge(
                &Fact {
                    id: b"A"[..].into(),
                    ..Fact::default()
                },
                at(2),
            );
            assert_eq!(problems, merged.merge(&fact, at(2)));
            let show = |ds: &Dossiers| {
                let d = ds.get("A").unwrap();
                format!(
                    "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                    d.procedure(),
                    d.field(),
                    d.officer(),
                    d.received,
                    d.due,
                    d.returned,
                    d.apology,
                    d.rescheduled,
                    d.status,
                    d.late_reason(),
                    d.note(),
                    d.opened(),
                    d.returned_at(),
                    d.has_late_reason
                )
            };
            assert_eq!(show(&opened), show(&merged));
        }
    }

    #[test]
    fn a_date_before_reception_is_found_whatever_the_row_order() {
        let mut ds = Dossiers::default();
        let returned = Fact {
            id: b"A"[..].into(),
            returned: Some((date(2021, 2, 27), 6)),
            ..Fact::default()
        };
        assert!(ds.merge(&returned, at(2)).is_empty());
        let opened = Fact {
            id: b"A"[..].into(),
            received: Some((date(2021, 3, 1), 4)),
            due: Some((date(2021, 3, 2), 5)),
            ..Fact::default()
        };
        assert_eq!(
            ds.merge(&opened, at(3)),
            vec![Problem::Before {
                column: 4,
                what: "returned",
                date: date(2021, 2, 27),
                received: date(2021, 3, 1)
            }]
        );
    }

    #[test]
    fn the_spans_of_a_store_in_parts_go_through_it_in_order_without_the_retired() {
        let store = |ids: std::ops::Range<u32>| {
            let mut ds = Dossiers::default();
            for i in ids {
                let fact = Fact {
                    id: format!("D{i}").into_bytes().into(),
                    ..Fact::default()
                };
                ds.merge(&fact, at(i + 2));
            }
            ds
        };
        // Two parts: D0..D10, then D5..D25 (D5..D9 again: retired from the second part).
        let mut ds = store(0..10);
        ds.join(store(5..25), 0);
        ds.retire_repeats();
        assert_eq!(ds.part_count(), 2);
        let all: Vec<String> = ds.iter().map(|d| d.id().into_owned()).collect();
        assert_eq!(all.len(), 25);
        for size in [1, 3, 7, 20, 1000] {
            let spans = ds.spans(size);
            // Every span of one part and at most `size` positions long.
            assert!(spans.iter().all(|s| s.positions.len() <= size));
            let by_spans: Vec<String> = spans
                .iter()
                .flat_map(|s| ds.iter_span(s))
                .map(|d| d.id().into_owned())
                .collect();
            assert_eq!(by_spans, all, "spans of {size}");
        }
        assert_eq!(ds.spans(7).len(), 2 + 3);
        // An empty store still has one (empty) span.
        let empty = Dossiers::default();
        assert_eq!(empty.spans(8).len(), 1);
        assert_eq!(empty.iter_span(&empty.spans(8)[0]).count(), 0);
    }
}
