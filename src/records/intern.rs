//! Interned strings: each distinct string stored once, named by a small number.
//!
//! A province's folders hold millions of dossiers whose procedure, field and officer repeat a
//! few dozen values (dossier ids have their own table, [`super::ids`]). [`Strings`] keeps all text
//! in one growing buffer and a hash table of numbers over it, so a lookup by `&str` allocates
//! nothing and an entry costs its bytes plus about twenty.
//!
//! The table keeps 32 bits of each string's hash beside its number. Growing it then reads no
//! text (a folder whose every dossier row has a note of its own interns a million and more
//! strings: rehashing them from their texts, in no order, was a fifth of reading it), and a
//! lookup compares texts only when those bits agree.

use std::hash::BuildHasher;
use std::num::NonZeroU32;

use hashbrown::{DefaultHashBuilder, HashTable};

/// A string's number in its [`Strings`]. `Option<Sym>` is as small as `Sym`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The 0-based position, for indexing tables kept beside the strings.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

#[derive(Debug, Default, Clone)]
pub struct Strings {
    text: String,
    /// Byte range of each string in `text`.
    spans: Vec<(u32, u32)>,
    /// Per string: its number, and 32 bits of its text's hash ([`Strings::hash`]).
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
}

/// The table's hash of a string whose [`Strings::hash`] is `h`: all 64 bits depend on it (the
/// table takes a bucket from the low bits and a tag from the top seven).
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Strings {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Makes room for `n` more strings of about `bytes` bytes in all, so that growing the table
    /// (which hashes every string again) happens rarely or never.
    pub fn reserve(&mut self, n: usize, bytes: usize) {
        self.spans.reserve(n);
        self.text.reserve(bytes);
        self.table.reserve(n, |&(_, h)| spread(h));
    }

    /// 32 bits of the hash of `s`.
    fn hash(&self, s: &str) -> u32 {
        self.hasher.hash_one(s) as u32
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn span(&self, i: u32) -> &str {
        let (start, end) = self.spans[i as usize];
        &self.text[start as usize..end as usize]
    }

    /// The number of `s`, if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.find(s, self.hash(s))
    }

    /// [`Strings::get`], the hash of `s` being `h`.
    fn find(&self, s: &str, h: u32) -> Option<Sym> {
        self.table
            .find(spread(h), |&(i, hi)| hi == h && self.span(i) == s)
            .map(|&(i, _)| Sym(NonZeroU32::MIN.saturating_add(i)))
    }

    /// The number of `s`, interning it when new; the flag says whether it was new.
    pub fn intern(&mut self, s: &str) -> (Sym, bool) {
        let h = self.hash(s);
        if let Some(sym) = self.find(s, h) {
            return (sym, false);
        }
        let i = self.spans.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push((start, self.text.len() as u32));
        (self.table).insert_unique(spread(h), (i, h), |&(_, h)| spread(h));
        (Sym(NonZeroU32::MIN.saturating_add(i)), true)
    }

    /// The text of the `i`-th string interned (a [`Sym`]'s index).
    pub fn nth(&self, i: usize) -> &str {
        self.span(i as u32)
    }

    /// The text of a number from this table.
    pub fn resolve(&self, sym: Sym) -> &str {
        self.span(sym.index() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_lookups_find() {
        let mut s = Strings::default();
        let (a, new_a) = s.intern("Hộ tịch");
        let (b, new_b) = s.intern("Chứng thực");
        let (a2, new_a2) = s.intern("Hộ tịch");
        assert!(new_a && new_b && !new_a2);
        assert_eq!(a, a2);
        assert_ne!(a, b);
        assert_eq!(s.resolve(a), "Hộ tịch");
        assert_eq!(s.get("Chứng thực"), Some(b));
        assert_eq!(s.get("Đất đai"), None);
        assert_eq!((a.index(), b.index()), (0, 1));
        for i in 0..10_000 {
            s.intern(&format!("000.00.27.H42-210315-{i:04}"));
        }
        assert_eq!(s.len(), 10_002);
        assert_eq!(
            s.resolve(s.get("000.00.27.H42-210315-0042").unwrap()),
            "000.00.27.H42-210315-0042"
        );
    }

    /// Grown from empty through many doublings (from the hash bits the table keeps, not the
    /// texts), and once at a stroke by `reserve`, the table still finds every string, and
    /// only those.
    #[test]
    fn a_table_grown_many_times_finds_every_string_and_no_other() {
        let mut s = Strings::default();
        let note = |i: usize| format!("Đã nhận đủ giấy tờ, hẹn trả lần {i}");
        for i in 0..150_000 {
            assert_eq!(
                s.intern(&note(i)),
                (Sym(NonZeroU32::MIN.saturating_add(i as u32)), true)
            );
            if i == 100_000 {
                s.reserve(200_000, 10_000_000);
            }
        }
        for i in (0..150_000).rev() {
            let sym = s.get(&note(i)).expect("interned");
            assert_eq!((sym.index(), s.resolve(sym)), (i, note(i).as_str()));
            assert_eq!(s.intern(&note(i)), (sym, false));
        }
        assert_eq!(s.get(&note(150_000)), None);
        assert_eq!(s.get("Đã nhận đủ giấy tờ, hẹn trả lần"), None);
        assert_eq!(s.len(), 150_000);
    }
}
