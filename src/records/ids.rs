//! Dossier ids: a million distinct texts, each looked up by the rows that name it.
//!
//! Looking up an id is the one step of reading a dossier file that cannot stay in cache: the
//! ids hash all over a table much larger than the cache. So the table is made to cost as few
//! memory loads as possible: one slot of four bytes holds an 8-bit fingerprint of the hash
//! beside the id's number, slots are probed in line (the next slot is usually in the same cache
//! line), and the texts sit end to end in one buffer. A new id costs one load from the table;
//! a known one, that load and its text. Past 16 million ids the fingerprint gives its bits to
//! the number.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

#[derive(Debug, Clone)]
pub struct Ids {
    text: String,
    /// Where each id ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
    /// Empty (0), or a fingerprint (high bits) and an id's number plus one (low bits).
    slots: Vec<u32>,
    /// How many low bits of a slot hold the number: 24, or 32 (no fingerprint) for a table of
    /// more than 16 million ids.
    bits: u32,
    hasher: DefaultHashBuilder,
}

impl Ids {
    /// An empty table hashing with `hasher` (a hash computed once serves several tables).
    pub fn with_hasher(hasher: DefaultHashBuilder) -> Ids {
        Ids::with_bits(hasher, 24)
    }

    fn with_bits(hasher: DefaultHashBuilder, bits: u32) -> Ids {
        Ids {
            text: String::new(),
            ends: Vec::new(),
            slots: Vec::new(),
            bits,
            hasher,
        }
    }

    /// Whether one more id would not fit in the number bits beside a fingerprint.
    fn numbers_full(&self) -> bool {
        self.bits < 32 && self.len() + 1 >= 1 << self.bits
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th id added.
    pub fn nth(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Makes room for `n` more ids of `bytes` bytes in all, so that the table does not grow
    /// (growing places every id again).
    pub fn reserve(&mut self, n: usize, bytes: usize) {
        self.text.reserve(bytes);
        self.ends.reserve(n);
        let want = Ids::slots_for(self.len() + n);
        if want > self.slots.len() {
            self.grow_to(want);
        }
    }

    /// Slots for `n` ids: at most three quarters full, a power of two.
    fn slots_for(n: usize) -> usize {
        (n + n / 3 + 1).next_power_of_two().max(16)
    }

    fn grow_to(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let old_bits = self.bits;
        if self.numbers_full() {
            self.bits = 32;
        }
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let index = Ids::number(slot, old_bits);
            let hash = self.hasher.hash_one(self.nth(index));
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
    fn matches(&self, slot: u32, print: u32, id: &str) -> Option<usize> {
        let index = Ids::number(slot, self.bits);
        let high = if self.bits == 32 {
            0
        } else {
            slot >> self.bits << self.bits
        };
        (high == print && self.nth(index) == id).then_some(index)
    }

    /// Probes for `id`: `Ok(number)` when it is in the table, `Err(slot)` with the empty slot
    /// where it would go. The table must have a slot.
    fn probe(&self, id: &str, hash: u64) -> Result<usize, usize> {
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

    /// The number of `id`, whose hash (with this table's hasher) is `hash`.
    pub fn get_hashed(&self, id: &str, hash: u64) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(id, hash).ok()
    }

    /// The number of `id` (hash as for [`Ids::get_hashed`]), added when new; the flag says
    /// whether it was.
    pub fn add_hashed(&mut self, id: &str, hash: u64) -> (usize, bool) {
        if self.numbers_full() || Ids::slots_for(self.len() + 1) > self.slots.len() {
            self.grow_to(Ids::slots_for(self.len() + 1) * 2);
        }
        let at = match self.probe(id, hash) {
            Ok(index) => return (index, false),
            Err(at) => at,
        };
        let print = self.fingerprint(hash);
        let index = self.ends.len();
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
        self.slots[at] = print | (index as u32 + 1);
        (index, true)
    }

    /// [`Ids::add_hashed`], hashing `id` itself.
    pub fn add(&mut self, id: &str) -> (usize, bool) {
        let hash = self.hasher.hash_one(id);
        self.add_hashed(id, hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_again_through_growth_and_collisions() {
        let mut ids = Ids::with_hasher(DefaultHashBuilder::default());
        for i in 0..20_000 {
            assert_eq!(ids.add(&format!("000.00.27.H42-210315-{i:05}")), (i, true));
        }
        assert_eq!(ids.len(), 20_000);
        for i in (0..20_000).step_by(7) {
            let id = format!("000.00.27.H42-210315-{i:05}");
            assert_eq!(ids.add(&id), (i, false));
            let hash = ids.hasher.hash_one(id.as_str());
            assert_eq!(ids.get_hashed(&id, hash), Some(i));
            assert_eq!(ids.nth(i), id);
        }
        let hash = ids.hasher.hash_one("H42-absent");
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
            same.add(&format!("x{i}"));
        }
        assert_eq!(same.add("a"), (0, false));
    }

    #[test]
    fn past_the_numbers_a_fingerprint_leaves_room_for_the_table_goes_on() {
        // Four bits of number beside the fingerprint: the 16th id widens the slots.
        let mut ids = Ids::with_bits(DefaultHashBuilder::default(), 4);
        for i in 0..100 {
            assert_eq!(ids.add(&format!("id-{i}")), (i, true));
            if i == 14 {
                assert_eq!(ids.bits, 4);
            }
        }
        assert_eq!(ids.bits, 32);
        for i in 0..100 {
            assert_eq!(ids.add(&format!("id-{i}")), (i, false));
        }
    }
}
