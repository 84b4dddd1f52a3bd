//! Interned strings: each distinct string stored once, named by a small number.
//!
//! A province's folders hold millions of dossiers whose procedure, field and officer repeat a
//! few dozen values (dossier ids have their own table, [`super::ids`]). [`Strings`] keeps all text
//! in one growing buffer and an index-only hash table over it, so a lookup by `&str` allocates
//! nothing and an entry costs its bytes plus about a dozen.

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
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
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
        let (text, spans, hasher) = (&self.text, &self.spans, &self.hasher);
        self.table.reserve(n, |&j| {
            let (start, end) = spans[j as usize];
            hasher.hash_one(&text[start as usize..end as usize])
        });
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
        let hash = self.hasher.hash_one(s);
        self.table
            .find(hash, |&i| self.span(i) == s)
            .map(|&i| Sym(NonZeroU32::MIN.saturating_add(i)))
    }

    /// The number of `s`, interning it when new; the flag says whether it was new.
    pub fn intern(&mut self, s: &str) -> (Sym, bool) {
        let hash = self.hasher.hash_one(s);
        if let Some(&i) = self.table.find(hash, |&i| {
            let (start, end) = self.spans[i as usize];
            &self.text[start as usize..end as usize] == s
        }) {
            return (Sym(NonZeroU32::MIN.saturating_add(i)), false);
        }
        let i = self.spans.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push((start, self.text.len() as u32));
        let (text, spans, hasher) = (&self.text, &self.spans, &self.hasher);
        self.table.insert_unique(hash, i, |&j| {
            let (start, end) = spans[j as usize];
            hasher.hash_one(&text[start as usize..end as usize])
        });
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
}
