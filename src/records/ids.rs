//! Dossier ids: a million distinct texts, each looked up by the rows that name it.
//!
//! Looking up an id is the step of reading a dossier file that least stays in cache: a table
//! of a million ids is much larger than the cache, and a hash sends each id to a random place
//! in it. But one-stop dossier codes have a shape (TT 01/2018, Điều 19:
//! `<unit>-<YYMMDD>-<sequence in the day>`), and rows come roughly in the order dossiers are
//! received and returned. So an id that ends in digits is kept by its prefix and digit count
//! (a *group*: one unit's dossiers of one day) in a dense table indexed by the number its
//! digits make. The dossiers of a day sit side by side, the rows of a day touch a few cache
//! lines, and a lookup needs no comparison of texts: prefix, digit count and number give back
//! the text exactly.
//!
//! Other ids, numbers too large or too sparse for their group's table, and ids whose group
//! would be one of too many, go to a general hash table: slots of four bytes hold an 8-bit
//! fingerprint of the hash beside the id's number, probed in line. Past 16 million ids the
//! fingerprint gives its bits to the number. A group remembers whether an id of it went there,
//! and the table whether a group was refused: a coded id missing from its group's table is
//! hashed and looked for in the general table only then. An id's number is its place in order
//! of addition, whichever table holds it. Only the general table's ids are kept as text (end to
//! end in one buffer, at most 2 GiB): a group's id is made again from its prefix, digit count
//! and number when it is asked for, which saves a province's folder some 25 MB.
//!
//! Groups must pay for themselves. Ids that end in digits by chance would each make a group of
//! their own (a UUID `9e3779b1-d978-497b-a505-197561da3595` reads as the prefix `…197561da`
//! and the number 3595; five in eight UUIDs end in a digit), each with a table: a million of
//! them took 2 GB and nine times the floor's time. So a group's table begins as small as one
//! cache line, and past `FREE_GROUPS` groups a new one is made only while there are
//! `IDS_PER_GROUP` ids or more for each group so far; the ids of a group not made go to the
//! general table.
//!
//! A file of such other ids costs a cache miss an id in the general table: the reader has the
//! slot of the next row's id fetched while it reads a row ([`Ids::touch`]), so that the miss
//! overlaps the work, and the table grows at once to the size the reader expects
//! ([`Ids::reserve`]) once it is plain that the ids are not one-stop codes.

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

#[derive(Debug, Clone)]
pub struct Ids {
    /// The texts of the ids in the general table, end to end (a group's id is not kept as
    /// text: its prefix, digit count and number make it again). Bytes, as the ids are looked
    /// up: the reader hands over an id's bytes, checked to be printable ASCII
    /// (`control::row_problem`), with no UTF-8 check of its own (2.5 % of the samples of
    /// `check` on a million dossiers); every id added is UTF-8, [`Ids::nth`] gives it back as
    /// text.
    text: Vec<u8>,
    /// Per id, by number: where it is (see [`Entry`]).
    entries: Vec<Entry>,
    /// The general table: empty (0), or a fingerprint (high bits) and an id's number plus one
    /// (low bits).
    slots: Vec<u32>,
    /// How many ids the general table holds.
    general: usize,
    /// How many low bits of a slot hold the number: 24, or 32 (no fingerprint) for a table of
    /// more than 16 million ids.
    bits: u32,
    hasher: DefaultHashBuilder,
    groups: Groups,
}

/// Where an id is: in a group (the top bit set, then the group's number in 31 bits and the
/// number its digits make in 32), or in the general table (its text's start and end in
/// `text`, 32 and 31 bits).
#[derive(Debug, Clone, Copy)]
struct Entry(u64);

const IN_GROUP: u64 = 1 << 63;

impl Entry {
    fn grouped(group: usize, value: usize) -> Entry {
        Entry(IN_GROUP | (group as u64) << 32 | value as u64)
    }

    fn general(start: usize, end: usize) -> Entry {
        Entry((end as u64) << 32 | start as u64)
    }

    /// `Ok((group, value))` or `Err((start, end))`.
    fn get(self) -> Result<(usize, usize), (usize, usize)> {
        let (high, low) = (
            (self.0 >> 32 & 0x7FFF_FFFF) as usize,
            self.0 as u32 as usize,
        );
        if self.0 & IN_GROUP != 0 {
            Ok((high, low))
        } else {
            Err((low, high))
        }
    }
}

/// Ids that end in digits, by prefix and digit count.
#[derive(Debug, Clone, Default)]
struct Groups {
    /// Per group, its prefix and digit count.
    keys: Vec<(Box<[u8]>, u8)>,
    /// Group numbers, hashed by their key.
    by_key: hashbrown::HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Per group, by the number its digits make: the id's number plus one, or 0.
    tables: Vec<Vec<u32>>,
    /// Per group, how many ids it holds.
    counts: Vec<u32>,
    /// Per group, the number its table starts at (a multiple of [`FIRST_SPAN`]): a sequence
    /// over the whole file instead of one per day puts a day's numbers side by side far from 0.
    bases: Vec<usize>,
    /// The group found last by [`Groups::find_or_add`]: rows of one day come together.
    last: usize,
    /// Per group, whether an id of it went to the general table (its number too large or too
    /// sparse for the group's table then).
    spilled: Vec<bool>,
    /// Whether an id that ends in digits went to the general table for want of a group (there
    /// were too many).
    refused: bool,
}

/// At most this many digits make a group's number.
const MAX_DIGITS: usize = 9;

/// A group's table moves down to a multiple of this for a smaller number, and may span this
/// many numbers more than eight times its ids.
const PAGE: usize = 4096;

/// A group's table starts at a multiple of this below its first number: as many numbers as fill
/// a cache line.
const FIRST_SPAN: usize = 16;

/// Groups made whatever their number, before [`IDS_PER_GROUP`] applies.
const FREE_GROUPS: usize = 1024;

/// Past [`FREE_GROUPS`], a new group needs this many ids for each group so far. One-stop codes
/// make a group per unit and day: hundreds of ids each.
const IDS_PER_GROUP: usize = 32;

/// An id that ends in digits: what comes before them, how many there are, and the number they
/// make. The prefix does not end in a digit, so an id has one such reading.
fn coded(b: &[u8]) -> Option<(&[u8], u8, usize)> {
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > MAX_DIGITS {
        return None;
    }
    let (prefix, tail) = b.split_at(b.len() - digits);
    let value = tail
        .iter()
        .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
    Some((prefix, digits as u8, value))
}

impl Groups {
    /// The group of a prefix and digit count, if there is one; group `near` is tried first.
    fn find(&self, prefix: &[u8], digits: u8, near: usize) -> Option<usize> {
        if let Some((p, d)) = self.keys.get(near)
            && *d == digits
            && super::same_bytes(p, prefix)
        {
            return Some(near);
        }
        let hash = self.hasher.hash_one((prefix, digits));
        self.by_key
            .find(hash, |&g| {
                let (p, d) = &self.keys[g as usize];
                *d == digits && **p == *prefix
            })
            .map(|&g| g as usize)
    }

    /// [`Groups::find`], making the group when new, and remembering it as the last one. `None`
    /// when the group is new and there are too many groups for the `ids` so far: the id is then
    /// not one of a group's.
    fn find_or_add(&mut self, prefix: &[u8], digits: u8, ids: usize) -> Option<usize> {
        let g = match self.find(prefix, digits, self.last) {
            Some(g) => g,
            None => {
                let groups = self.keys.len();
                if groups >= FREE_GROUPS && groups * IDS_PER_GROUP > ids {
                    return None;
                }
                let g = self.keys.len();
                self.keys.push((Box::from(prefix), digits));
                let (keys, hasher) = (&self.keys, &self.hasher);
                let hash = hasher.hash_one((prefix, digits));
                self.by_key.insert_unique(hash, g as u32, |&g| {
                    let (p, d) = &keys[g as usize];
                    hasher.hash_one((&**p, *d))
                });
                self.tables.push(Vec::new());
                self.counts.push(0);
                self.bases.push(0);
                self.spilled.push(false);
                g
            }
        };
        self.last = g;
        Some(g)
    }

    /// Whether an id that ends in digits, of group `group` here (`None`: of a group this table
    /// does not have), may be in the general table: only if such ids went there. Otherwise a
    /// coded id not in its group's table is not here at all, and is neither hashed nor looked
    /// for (on the dossiers of a day that the other part of a split read holds, half a million
    /// lookups).
    fn spilled(&self, group: Option<usize>) -> bool {
        self.refused || group.is_some_and(|g| self.spilled[g])
    }

    /// What the slot of number `value` in group `g` holds (the id's number plus one), if not 0.
    fn get(&self, g: usize, value: usize) -> Option<usize> {
        let i = value.checked_sub(self.bases[g])?;
        self.tables[g]
            .get(i)
            .filter(|&&slot| slot != 0)
            .map(|&slot| slot as usize)
    }

    /// The slot of number `value` in group `g`, grown to hold it unless the table would be
    /// too sparse: a span of [`PAGE`] numbers, or eight times the group's ids, past where the
    /// table starts: a multiple of [`FIRST_SPAN`] below the first number it is given (0 for a
    /// sequence per day). It moves down for a smaller number within that room, to a multiple of
    /// [`PAGE`].
    fn slot_for(&mut self, g: usize, value: usize) -> Option<&mut u32> {
        let room = (self.counts[g] as usize * 8).max(PAGE) + PAGE;
        let table = &mut self.tables[g];
        if table.is_empty() {
            self.bases[g] = value - value % FIRST_SPAN;
        }
        let base = self.bases[g];
        if value < base {
            let lower = value - value % PAGE;
            let shift = base - lower;
            if shift + table.len() > room {
                return None;
            }
            table.splice(0..0, std::iter::repeat_n(0, shift));
            self.bases[g] = lower;
        }
        let i = value - self.bases[g];
        if i >= table.len() {
            if i >= room {
                return None;
            }
            table.resize((i + 1).next_power_of_two().min(room), 0);
        }
        Some(&mut table[i])
    }
}

impl Ids {
    /// An empty table hashing the ids of its general table with `hasher`.
    pub fn with_hasher(hasher: DefaultHashBuilder) -> Ids {
        Ids::with_bits(hasher, 24)
    }

    fn with_bits(hasher: DefaultHashBuilder, bits: u32) -> Ids {
        Ids {
            text: Vec::new(),
            entries: Vec::new(),
            slots: Vec::new(),
            general: 0,
            bits,
            hasher,
            groups: Groups::default(),
        }
    }

    /// Whether one more id would not fit in the number bits beside a fingerprint.
    fn numbers_full(&self) -> bool {
        self.bits < 32 && self.len() + 1 >= 1 << self.bits
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `i`-th id added.
    pub fn nth(&self, i: usize) -> Cow<'_, str> {
        match self.entries[i].get() {
            Ok((group, value)) => {
                let (prefix, digits) = &self.groups.keys[group];
                let mut id = String::with_capacity(prefix.len() + usize::from(*digits));
                id.push_str(std::str::from_utf8(prefix).unwrap_or_default());
                push_padded(&mut id, value, usize::from(*digits));
                Cow::Owned(id)
            }
            Err((start, end)) => String::from_utf8_lossy(&self.text[start..end]),
        }
    }

    /// The bytes of the `i`-th id, which is in the general table.
    fn general_text(&self, i: usize) -> &[u8] {
        match self.entries[i].get() {
            Err((start, end)) => &self.text[start..end],
            Ok(_) => &[],
        }
    }

    /// The number in this table of the id numbered `i` in `other`, looked up as
    /// [`Ids::get_near`] does (a coded id by its group, with no text at all).
    pub fn find_of(&self, other: &Ids, i: usize, near: &mut usize) -> Option<usize> {
        match other.entries[i].get() {
            Ok((group, value)) => {
                let (prefix, digits) = &other.groups.keys[group];
                let g = self.groups.find(prefix, *digits, *near);
                if let Some(g) = g {
                    *near = g;
                    if let Some(slot) = self.groups.get(g, value) {
                        return Some(slot - 1);
                    }
                }
                // A number too large for its group here may be in the general table.
                if self.general == 0 || !self.groups.spilled(g) {
                    return None;
                }
                let id = other.nth(i);
                self.get_general(id.as_bytes(), self.hash(id.as_bytes()))
            }
            Err((start, end)) => {
                let id = &other.text[start..end];
                self.get_near(id, || self.hash(id), near)
            }
        }
    }

    /// [`Ids::touch`] for the id numbered `i` in `other`, when it is in the general table there
    /// (a coded id is looked up by its group, in a table that ids of a day share).
    pub fn touch_of(&self, other: &Ids, i: usize) {
        if let Some(Err((start, end))) = other.entries.get(i).map(|e| e.get()) {
            self.touch(&other.text[start..end]);
        }
    }

    /// Makes room for `n` more ids. (The general table grows when it must: with one-stop codes
    /// it stays nearly empty. Once [`Ids::PLAINLY_GENERAL`] ids are in it, it grows at once to
    /// hold all that are expected, where growing step by step would hash and place every id
    /// again at each step: 8-10 % of reading a million ids of another shape.)
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve(n);
        crate::os::advise(&self.entries);
    }

    /// How many ids in the general table show that the ids are not one-stop codes.
    const PLAINLY_GENERAL: usize = 4096;

    /// Slots for `n` ids: at most three quarters full, a power of two.
    fn slots_for(n: usize) -> usize {
        (n + n / 3 + 1).next_power_of_two().max(16)
    }

    fn grow_to(&mut self, size: usize) {
        self.slots = crate::os::zeroed(size);
        if self.numbers_full() {
            self.bits = 32;
        }
        let mask = size - 1;
        // The ids in the order of their numbers: the entries and the texts are then read front
        // to back, where the old table's order sent each read to a random place in both (two
        // cache misses an id, a million ids rehashed about 1.3 times each on the way).
        for index in 0..self.entries.len() {
            let Err((start, end)) = self.entries[index].get() else {
                continue;
            };
            let hash = self.hash(&self.text[start..end]);
            let mut at = hash as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = self.fingerprint(hash) | (index as u32 + 1);
        }
    }

    /// The slot bits above the number: the top bits of the hash (the slot's place comes from
    /// the low ones).
    fn fingerprint(&self, hash: u64) -> u32 {
        if self.bits == 32 {
            0
        } else {
            ((hash >> (32 + self.bits)) as u32) << self.bits
        }
    }

    fn number(slot: u32, bits: u32) -> usize {
        let mask = if bits == 32 {
            u32::MAX
        } else {
            (1 << bits) - 1
        };
        ((slot & mask) - 1) as usize
    }

    /// The number of the slot's id when the slot's fingerprint is `print` and the id is `id`.
    fn matches(&self, slot: u32, print: u32, id: &[u8]) -> Option<usize> {
        let index = Ids::number(slot, self.bits);
        let high = if self.bits == 32 {
            0
        } else {
            slot >> self.bits << self.bits
        };
        (high == print && super::same_bytes(self.general_text(index), id)).then_some(index)
    }

    /// Probes the general table for `id`: `Ok(number)` when it is there, `Err(slot)` with the
    /// empty slot where it would go. The table must have a slot.
    fn probe(&self, id: &[u8], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let print = self.fingerprint(hash);
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return Err(at);
            }
            if let Some(index) = self.matches(slot, print, id) {
                return Ok(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// The number of `id` in the general table.
    fn get_general(&self, id: &[u8], hash: u64) -> Option<usize> {
        if self.general == 0 {
            return None;
        }
        self.probe(id, hash).ok()
    }

    /// The number of `id`, as if its hash were `hash`: the tests force collisions with it.
    #[cfg(test)]
    fn get_hashed(&self, id: &str, hash: u64) -> Option<usize> {
        let mut near = usize::MAX;
        self.get_near(id.as_bytes(), || hash, &mut near)
    }

    /// [`Ids::get`] for ids looked up in a run, one after another: `near` remembers
    /// the group of the last one, which ids received on the same day share. `hash` is called
    /// only if the general table must be looked in.
    pub fn get_near(
        &self,
        id: &[u8],
        hash: impl FnOnce() -> u64,
        near: &mut usize,
    ) -> Option<usize> {
        if let Some((prefix, digits, value)) = coded(id) {
            let g = self.groups.find(prefix, digits, *near);
            if let Some(g) = g {
                *near = g;
                if let Some(slot) = self.groups.get(g, value) {
                    return Some(slot - 1);
                }
            }
            if !self.groups.spilled(g) {
                return None;
            }
        }
        if self.general == 0 {
            return None;
        }
        self.get_general(id, hash())
    }

    /// The hash of an id's bytes: the general table's, for the reader's touch ahead (raw cells)
    /// and the lookups (texts) alike.
    fn hash(&self, id: &[u8]) -> u64 {
        self.hasher.hash_one(id)
    }

    /// Whether ids are looked up in the general table enough for [`Ids::touch`] to be worth it.
    pub fn hashed(&self) -> bool {
        self.general >= Ids::PLAINLY_GENERAL
    }

    /// Asks for the slot of the general table where `id` would be looked for first to be
    /// brought into the cache ([`crate::os::prefetch`]), and goes on: the reader asks it for
    /// the next row's id, whose miss then overlaps the reading of this row. (The reader once
    /// read the slots of the next 16 rows' ids together, every 16 rows, and waited for the
    /// last of them: on a million ids of another shape, 6 % of `check`'s samples waiting, and
    /// 4 % more in finding those rows' ids ahead of the scanner.)
    pub fn touch(&self, id: &[u8]) {
        // An id that ends in digits may be a group's too (a dense table): touched all the
        // same, as ids whose digits are chance (UUIDs) are not.
        if self.slots.is_empty() || id.is_empty() {
            return;
        }
        let at = self.hash(id) as usize & (self.slots.len() - 1);
        crate::os::prefetch(&self.slots[at]);
    }

    /// [`Ids::add`] as if the id's hash were `hash`: the tests force collisions with it.
    #[cfg(test)]
    fn add_hashed(&mut self, id: &str, hash: u64) -> (usize, bool) {
        self.add_with(id.as_bytes(), Some(hash))
    }

    /// The number of `id`, added when new; the flag says whether it was. The id is hashed only
    /// if it must be: a one-stop code is placed by its group, not by a hash.
    ///
    /// `id` must be UTF-8: a `&str`, or the bytes of one.
    pub fn add(&mut self, id: impl AsRef<[u8]>) -> (usize, bool) {
        self.add_with(id.as_ref(), None)
    }

    /// The number of `id`, hashing it itself if it must.
    pub fn get(&self, id: impl AsRef<[u8]>) -> Option<usize> {
        let id = id.as_ref();
        let mut near = usize::MAX;
        self.get_near(id, || self.hash(id), &mut near)
    }

    fn add_with(&mut self, id: &[u8], hash: Option<u64>) -> (usize, bool) {
        let hash = |me: &Ids| hash.unwrap_or_else(|| me.hash(id));
        if let Some((prefix, digits, value)) = coded(id) {
            let Some(g) = self.groups.find_or_add(prefix, digits, self.entries.len()) else {
                self.groups.refused = true;
                return self.add_general(id, hash(self));
            };
            let index = self.entries.len();
            let Some(&mut slot) = self.groups.slot_for(g, value) else {
                self.groups.spilled[g] = true;
                return self.add_general(id, hash(self));
            };
            if slot != 0 {
                return (slot as usize - 1, false);
            }
            // It may have gone to the general table while its number was too large for the
            // group's table (which has grown since), if any id of the group did.
            if self.groups.spilled(Some(g))
                && let Some(found) = self.get_general(id, hash(self))
            {
                return (found, false);
            }
            if let Some(slot) = self.groups.slot_for(g, value) {
                *slot = index as u32 + 1;
            }
            self.groups.counts[g] += 1;
            self.entries.push(Entry::grouped(g, value));
            return (index, true);
        }
        let hash = hash(self);
        self.add_general(id, hash)
    }

    /// [`Ids::add_hashed`] in the general table.
    fn add_general(&mut self, id: &[u8], hash: u64) -> (usize, bool) {
        if self.numbers_full() || Ids::slots_for(self.general + 1) > self.slots.len() {
            let mut size = Ids::slots_for(self.general + 1) * 2;
            if self.general >= Ids::PLAINLY_GENERAL {
                // What the reader expects: the room it made for the entries, and for their
                // texts as long as those so far (at most 64 bytes each: the room then stays
                // under the file's size, whatever its first ids; and only if it can be had).
                let expected = self.entries.capacity();
                size = size.max(Ids::slots_for(expected));
                let more = expected.saturating_sub(self.entries.len());
                let each = self.text.len().div_ceil(self.general.max(1)).min(64);
                if self.text.try_reserve(more * each).is_ok() {
                    crate::os::advise(&self.text);
                }
            }
            self.grow_to(size);
        }
        let at = match self.probe(id, hash) {
            Ok(index) => return (index, false),
            Err(at) => at,
        };
        let print = self.fingerprint(hash);
        let index = self.entries.len();
        let start = self.text.len();
        self.text.extend_from_slice(id);
        self.entries.push(Entry::general(start, self.text.len()));
        self.slots[at] = print | (index as u32 + 1);
        self.general += 1;
        (index, true)
    }
}

/// `value` in decimal, zero-padded to `width` digits, onto `out`: a coded id's number, for
/// each of a province's lapses and rows written out, without the formatting machinery.
fn push_padded(out: &mut String, value: usize, width: usize) {
    let mut digits = [b'0'; 20];
    let (mut v, mut at) = (value, digits.len());
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in digits.len() - at..width {
        out.push('0');
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_as_format_pads_them() {
        for (value, width) in [
            (0, 0),
            (0, 4),
            (7, 4),
            (1234, 4),
            (12345, 4),
            (usize::MAX, 3),
        ] {
            let mut out = String::from("H42-");
            push_padded(&mut out, value, width);
            assert_eq!(out, format!("H42-{value:0width$}"));
        }
    }

    #[test]
    fn ids_are_found_again_through_growth_and_collisions() {
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        for i in 0..20_000 {
            assert_eq!(ids.add(format!("000.00.27.H42-210315-{i:05}")), (i, true));
        }
        assert_eq!(ids.len(), 20_000);
        for i in (0..20_000).step_by(7) {
            let id = format!("000.00.27.H42-210315-{i:05}");
            assert_eq!(ids.add(&id), (i, false));
            let hash = ids.hash(id.as_bytes());
            assert_eq!(ids.get_hashed(&id, hash), Some(i));
            assert_eq!(ids.nth(i), id);
        }
        let hash = ids.hash(b"H42-absent");
        assert_eq!(ids.get_hashed("H42-absent", hash), None);
        // Every id in one probe run: the fingerprint and the text still tell them apart.
        let mut same = Ids::with_hasher(DefaultHashBuilder::default());
        for (i, id) in ["a", "b", "", "ab"].iter().enumerate() {
            assert_eq!(same.add_hashed(id, 42), (i, true));
        }
        assert_eq!(same.get_hashed("ab", 42), Some(3));
        assert_eq!(same.get_hashed("", 42), Some(2));
        assert_eq!(same.get_hashed("c", 42), None);
        // Growing with equal hashes rehashes them with the real hasher: all still found by add.
        for i in 0..40 {
            same.add(format!("x{i}y"));
        }
        assert_eq!(same.add("a"), (0, false));
    }

    #[test]
    fn a_sequence_over_the_whole_file_is_kept_in_its_days_tables_not_hashed() {
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        // Day after day, 3,000 numbers each, from 500,000 on; a few of each day come late,
        // and one day also has a number below its first page.
        let id = |day: usize, n: usize| format!("000.00.27.H42-2103{day:02}-{n:06}");
        let mut all = Vec::new();
        for day in 1..=20 {
            for k in 0..3000 {
                all.push(id(day, 500_000 + day * 3000 + k));
            }
        }
        all.push(id(5, 500_000 + 5 * 3000 - 5000));
        for (i, x) in all.iter().enumerate() {
            assert_eq!(ids.add(x), (i, true), "{x}");
        }
        assert_eq!(ids.general, 0);
        for (i, x) in all.iter().enumerate() {
            assert_eq!(ids.get(x), Some(i), "{x}");
            assert_eq!(ids.nth(i), *x);
            assert_eq!(ids.add(x), (i, false));
        }
        // Far below or above a day's numbers: the general table, found all the same.
        let far = id(7, 5);
        assert_eq!(ids.add(&far), (all.len(), true));
        assert_eq!(ids.general, 1);
        assert_eq!(ids.get(&far), Some(all.len()));
        assert_eq!(ids.get(id(7, 6)), None);
    }

    #[test]
    fn coded_ids_read_one_way() {
        assert_eq!(
            coded(b"000.00.27.H42-210315-0042"),
            Some((&b"000.00.27.H42-210315-"[..], 4, 42))
        );
        assert_eq!(coded(b"7"), Some((&b""[..], 1, 7)));
        assert_eq!(coded(b"A-0"), Some((&b"A-"[..], 1, 0)));
        assert_eq!(coded(b"HS-1234567890"), None);
        assert_eq!(coded(b"HS-12a"), None);
        assert_eq!(coded(b""), None);
    }

    #[test]
    fn every_shape_of_id_agrees_with_a_hash_map() {
        // Coded ids of many days with gaps, leading zeros that make other ids ("01" is not
        // "1" nor "001"), numbers too large or too sparse for their group, ids without digits,
        // and ids that differ only in their prefix.
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        let mut reference: hashbrown::HashMap<String, usize> = hashbrown::HashMap::new();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..60_000 {
            let r = next();
            let id = match r % 10 {
                0..=5 => format!("H42-2103{:02}-{:04}", r % 9, (r >> 8) % 3000),
                6 => format!("H42-2103{:02}-{}", r % 9, (r >> 8) % 3000),
                7 => format!("X{}-{:09}", r % 3, (r >> 8) % 1_000_000_000),
                8 => format!("tên-{}", ["a", "b", "đ"][(r % 3) as usize]),
                // Ids whose digits at the end are chance, each its own prefix: past the free
                // groups, some in a group and some in the general table, met again in both.
                9 if r & 0x100 == 0 => format!("{:x}", (r >> 9) % 5000 * 0x9E37_79B9),
                _ => format!("{}", (r >> 8) % 50),
            };
            let expected = reference.len();
            let want = *reference.entry(id.clone()).or_insert(expected);
            assert_eq!(ids.add(&id), (want, want == expected), "{id} at {round}");
        }
        assert_eq!(ids.len(), reference.len());
        for (id, &n) in &reference {
            let hash = ids.hash(id.as_bytes());
            assert_eq!(ids.get_hashed(id, hash), Some(n), "{id}");
            assert_eq!(ids.nth(n), id.as_str());
        }
        for absent in [
            "H42-210301-9999",
            "H42-210399-0001",
            "X9-000000001",
            "tên-c",
            "H42-",
        ] {
            let hash = ids.hash(absent.as_bytes());
            assert_eq!(ids.get_hashed(absent, hash), None, "{absent}");
        }
        // Looked up from another table, as the split read's parts are: one that holds every
        // third of them in another order, and ids of the same shapes, most not in the first.
        let mut names: Vec<&str> = reference.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut other = Ids::with_hasher(DefaultHashBuilder::default());
        let absent = (0..3000).map(|k| format!("H42-2103{:02}-{:04}", k % 12, 2990 + k % 20));
        let absent: Vec<String> = absent
            .chain((0..500).map(|k| format!("X{k}-{k:09}")))
            .collect();
        for id in names
            .iter()
            .step_by(3)
            .copied()
            .chain(absent.iter().map(String::as_str))
        {
            other.add(id);
        }
        let mut near = usize::MAX;
        for i in 0..other.len() {
            let id = other.nth(i);
            let want = reference.get(&*id).copied();
            assert_eq!(ids.find_of(&other, i, &mut near), want, "{id}");
        }
    }

    #[test]
    fn ids_of_another_shape_grow_the_general_table_once_to_what_is_expected() {
        // Letters only (no digits at the end: no group), in no order (as hashed codes are).
        let id = |i: usize| {
            let mut n = i.wrapping_mul(0x9E37_79B9) & 0xFF_FFFF;
            let mut id = String::from("SH.DD-");
            for _ in 0..6 {
                id.push(char::from(b'A' + (n % 26) as u8));
                n /= 26;
            }
            id
        };
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        ids.reserve(100_000);
        let mut sizes = Vec::new();
        for i in 0..100_000 {
            assert_eq!(ids.add(id(i)), (i, true));
            if sizes.last() != Some(&ids.slots.len()) {
                sizes.push(ids.slots.len());
            }
        }
        // Step by step up to the sign, then at once to what a hundred thousand need.
        assert_eq!(ids.general, 100_000);
        assert_eq!(sizes.last(), Some(&Ids::slots_for(100_000)));
        assert!(sizes.iter().rev().nth(1) < Some(&Ids::slots_for(Ids::PLAINLY_GENERAL * 2)));
        for i in (0..100_000).step_by(13) {
            assert_eq!(ids.get(id(i)), Some(i));
        }
        // One-stop codes make no general table at all, however many are expected.
        let mut coded = Ids::with_hasher(DefaultHashBuilder::default());
        coded.reserve(100_000);
        for i in 0..20_000 {
            coded.add(format!(
                "000.00.27.H42-2103{:02}-{:04}",
                i / 1000 + 1,
                i % 1000
            ));
        }
        assert!(coded.slots.is_empty());
    }

    #[test]
    fn ids_whose_digits_are_chance_make_few_groups_and_small_tables() {
        // UUIDs: about five in eight end in a digit, each after a prefix of its own. Each was a
        // group with a table of up to 4,096 numbers (a million took 2 GB).
        let uuid = |i: u64| {
            let (a, b) = (
                i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                (i ^ 0x5555).wrapping_mul(0xBF58_476D_1CE4_E5B9),
            );
            format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                a >> 32,
                a >> 16 & 0xFFFF,
                a & 0xFFF,
                b >> 48,
                b & 0xFFFF_FFFF_FFFF
            )
        };
        let n = 100_000;
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        ids.reserve(n);
        for i in 0..n {
            assert_eq!(ids.add(uuid(i as u64)), (i, true));
        }
        let groups = ids.groups.keys.len();
        let ending_in_digits = (0..n as u64)
            .filter(|&i| uuid(i).ends_with(|c: char| c.is_ascii_digit()))
            .count();
        assert!(ending_in_digits > n / 2, "{ending_in_digits}");
        assert!(groups <= FREE_GROUPS + n / IDS_PER_GROUP, "{groups} groups");
        assert!(ids.general >= n - groups);
        let numbers: usize = ids.groups.tables.iter().map(Vec::len).sum();
        assert!(
            numbers <= groups * FIRST_SPAN,
            "{numbers} numbers in {groups} tables"
        );
        for i in (0..n).step_by(7) {
            assert_eq!(ids.get(uuid(i as u64)), Some(i));
            assert_eq!(ids.add(uuid(i as u64)), (i, false));
            assert_eq!(ids.nth(i), uuid(i as u64));
        }
        // A day of one-stop codes after them still makes its group (once there are
        // IDS_PER_GROUP ids for each group again), and every code is found.
        let code = |k: usize| format!("000.00.27.H42-210315-{k:04}");
        let first = ids.len();
        for k in 0..1000 {
            assert_eq!(ids.add(code(k)), (first + k, true));
        }
        let g = (ids.groups.find(b"000.00.27.H42-210315-", 4, usize::MAX)).expect("its group");
        assert!(ids.groups.counts[g] >= 900, "{}", ids.groups.counts[g]);
        for k in 0..1000 {
            assert_eq!(ids.get(code(k)), Some(first + k));
        }
    }

    #[test]
    fn past_the_numbers_a_fingerprint_leaves_room_for_the_table_goes_on() {
        // Four bits of number beside the fingerprint: the 16th id widens the slots.
        let mut ids = Ids::with_bits(DefaultHashBuilder::default(), 4);
        for i in 0..100 {
            assert_eq!(ids.add(format!("id-{i}-x")), (i, true));
            if i == 14 {
                assert_eq!(ids.bits, 4);
            }
        }
        assert_eq!(ids.bits, 32);
        for i in 0..100 {
            assert_eq!(ids.add(format!("id-{i}-x")), (i, false));
        }
    }
}
