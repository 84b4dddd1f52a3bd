//! Dossier ids: a million distinct texts, each looked up by the rows that name it.
//!
//! Looking up an id is the one step of reading a dossier file that cannot stay in cache: the
//! ids hash all over a table much larger than the cache. So the table is made to cost as few
//! memory loads as possible: one slot of eight bytes holds a 32-bit fingerprint of the hash
//! beside the id's number, slots are probed in line (the next slot is usually in the same cache
//! line), and the texts sit end to end in one buffer. A new id costs one load from the table;
//! a known one, that load and its text.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

#[derive(Debug, Clone)]
pub struct Ids {
    text: String,
    /// Where each id ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
    /// Empty (0), or a fingerprint (high half) and an id's number plus one (low half).
    slots: Vec<u64>,
    hasher: DefaultHashBuilder,
}

impl Ids {
    /// An empty table hashing with `hasher` (a hash computed once serves several tables).
    pub fn with_hasher(hasher: DefaultHashBuilder) -> Ids {
        Ids {
            text: String::new(),
            ends: Vec::new(),
            slots: Vec::new(),
            hasher,
        }
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
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let index = (slot as u32 - 1) as usize;
            let hash = self.hasher.hash_one(self.nth(index));
            let mut at = hash as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = Ids::fingerprint(hash) | (index as u64 + 1);
        }
    }

    fn fingerprint(hash: u64) -> u64 {
        // The high half of the hash (the slot comes from the low bits).
        hash & 0xFFFF_FFFF_0000_0000
    }

    /// The number of `id`, whose hash (with this table's hasher) is `hash`.
    pub fn get_hashed(&self, id: &str, hash: u64) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let print = Ids::fingerprint(hash);
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            let index = (slot as u32 - 1) as usize;
            if slot & 0xFFFF_FFFF_0000_0000 == print && self.nth(index) == id {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// The number of `id` (hash as for [`Ids::get_hashed`]), added when new; the flag says
    /// whether it was.
    pub fn add_hashed(&mut self, id: &str, hash: u64) -> (usize, bool) {
        if Ids::slots_for(self.len() + 1) > self.slots.len() {
            self.grow_to(Ids::slots_for(self.len() + 1) * 2);
        }
        let mask = self.slots.len() - 1;
        let print = Ids::fingerprint(hash);
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            let index = (slot as u32 - 1) as usize;
            if slot & 0xFFFF_FFFF_0000_0000 == print && self.nth(index) == id {
                return (index, false);
            }
            at = (at + 1) & mask;
        }
        let index = self.ends.len();
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
        self.slots[at] = print | (index as u64 + 1);
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
}
