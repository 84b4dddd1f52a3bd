//! Vietnamese text helpers: NFC normalisation, matching keys, and tone-mark placement.
//!
//! Records are stored as the user wrote them, in NFC. Comparisons (labels, officer names, import
//! de-duplication) go through keys: [`fold`] drops case and diacritics entirely, [`match_key`]
//! keeps the diacritics but unifies the two tone placements (hòa/hoà, thủy/thuỷ) that NFC keeps
//! apart.
//!
//! Numbers are written the Vietnamese way: [`group_thousands`] (1.234), [`vi_decimal`] (95,24),
//! and the points of a list are lettered by [`vi_letter`] (a, b, … đ).

use std::borrow::Cow;
use std::fmt;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A short text kept inline, without an allocation of its own, up to [`Short::INLINE`] bytes
/// (a dossier code is 25); a longer one is boxed. A province's 300,000 dossier findings each
/// name a dossier: so they cost no allocation each.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Short {
    Inline { len: u8, bytes: [u8; Short::INLINE] },
    Boxed(Box<str>),
}

impl Short {
    pub const INLINE: usize = 30;

    pub fn as_str(&self) -> &str {
        match self {
            // Only ever filled from a `&str`, cut nowhere but at its end.
            Short::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            Short::Boxed(s) => s,
        }
    }
}

impl From<&str> for Short {
    fn from(s: &str) -> Short {
        if s.len() <= Short::INLINE {
            let mut bytes = [0; Short::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Short::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Short::Boxed(s.into())
        }
    }
}

impl From<String> for Short {
    fn from(s: String) -> Short {
        Short::from(s.as_str())
    }
}

impl std::ops::Deref for Short {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The text in NFC, borrowing when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if surely_nfc(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Whether every character is one that NFC leaves alone whatever surrounds it: below U+0300
/// (ASCII, Latin-1, Latin Extended-A and B: đ, ơ, ư, ă), Latin Extended Additional
/// (U+1E00–U+1EFF: ạ, ế, ộ, ữ, every precomposed Vietnamese vowel with its tone) and the
/// dashes, quotes and ellipsis of U+2010–U+203F. Vietnamese text typed in NFC is all of these,
/// and this check is much faster than the character-by-character quick check, which decides
/// the rest.
///
/// In UTF-8 (which `s` is), the characters below U+0300 are the bytes under 0xCC: ASCII,
/// continuation bytes, and the leads 0xC2..=0xCB of two-byte characters. So only the bytes
/// from 0xCC up, each the lead of a character, are looked at, found eight bytes at a time.
pub fn surely_nfc(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let b = s.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let word = word_at(b, at);
        // The high bit of each byte from 0xCC up: high bit set, and the low seven bits plus
        // 0x34 reach 0x80 (never past a byte: 0x7F + 0x34 < 0x100).
        let mut leads = ((word & LOW7) + ONES * 0x34) & word & HIGH;
        while leads != 0 {
            let i = at + leads.trailing_zeros() as usize / 8;
            leads &= leads - 1;
            let ok = match b[i] {
                0xE1 => matches!(b.get(i + 1), Some(0xB8..=0xBB)),
                0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x90..=0xBF)),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        at += 8;
    }
    true
}

/// The eight bytes of `b` from `at` as a little-endian word, zeros for those past its end
/// (`at` < `b.len()`).
fn word_at(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
        // The last eight bytes, shifted down past those before `at`.
        None if b.len() >= 8 => {
            let last = u64::from_le_bytes(b[b.len() - 8..].try_into().unwrap_or_default());
            last >> (8 * (at + 8 - b.len()))
        }
        None => b[at..]
            .iter()
            .rev()
            .fold(0, |word, &x| word << 8 | u64::from(x)),
    }
}

/// `s.trim()`, quicker when there is nothing to trim: a text that starts and ends with a
/// printable ASCII character (no whitespace is one of those) comes back as it is.
pub fn trim(s: &str) -> &str {
    let printable = |b: Option<&u8>| matches!(b, Some(b'!'..=b'~'));
    let b = s.as_bytes();
    if b.is_empty() || (printable(b.first()) && printable(b.last())) {
        s
    } else {
        s.trim()
    }
}

/// Lower case, no diacritics, `đ` as `d`, inner whitespace collapsed: "Khiển Trách" → "khien trach".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().nfd() {
        if is_combining(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// A key for comparing names: NFC, lower case, tone marks of `oa`, `oe`, `uy` moved to one
/// canonical place (the second vowel, the "new" style) when no final consonant follows.
pub fn match_key(s: &str) -> String {
    let lower: String = fold_space(s).to_lowercase();
    lower
        .split(' ')
        .map(canonical_tone)
        .collect::<Vec<_>>()
        .join(" ")
}

fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Moves the tone of a syllable ending in `oa`, `oe` or `uy` (no final consonant) to the last
/// vowel: "hòa" → "hoà", "thủy" → "thuỷ". Other syllables come back unchanged (in NFC).
fn canonical_tone(word: &str) -> String {
    let decomposed: Vec<char> = word.nfd().collect();
    let tone_at = decomposed.iter().position(|c| TONES.contains(c));
    let Some(tone_at) = tone_at else {
        return word.nfc().collect();
    };
    let tone = decomposed[tone_at];
    let mut base: Vec<char> = decomposed.clone();
    base.remove(tone_at);
    let letters: String = base.iter().filter(|c| !is_combining(**c)).collect();
    let ends = ["oa", "oe", "uy"];
    if ends.iter().any(|e| letters.ends_with(e)) && !letters.ends_with("quy") {
        // Put the tone after the final vowel (and after any modifier it carries).
        base.push(tone);
        return base.into_iter().nfc().collect();
    }
    word.nfc().collect()
}

/// 1-based line and column (in characters) of a byte offset in a text's bytes.
pub fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    // With memchr: `check` places dozens of findings in a plan.toml of tens of kilobytes.
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// Where the lines of a text start, found once: the line and column of many places in one
/// text, each by a binary search (counting the newlines before each place anew would make
/// placing a finding per officer of a 200,000-officer plan quadratic).
pub struct Lines<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|p| p + 1));
        Lines { bytes, starts }
    }

    /// The same as [`line_col`] of the text.
    pub fn line_col(&self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&self.bytes[start..offset])
            .chars()
            .count() as u64
            + 1;
        (line as u64, column)
    }
}

/// 1234567 → "1.234.567".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// 95.238 → "95,24" (two decimals, decimal comma, thousands dots).
pub fn vi_decimal(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let cents = (rounded.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let mut s = String::new();
    if negative {
        s.push('-');
    }
    s.push_str(&group_thousands(whole));
    if frac != 0 {
        s.push(',');
        if frac.is_multiple_of(10) {
            s.push_str(&(frac / 10).to_string());
        } else {
            s.push_str(&format!("{frac:02}"));
        }
    }
    s
}

/// A rate as every report writes it, always with two decimals so that rates side by side
/// read alike: 95.1 → "95,10%", 100 → "100,00%", 94.913 → "94,91%".
pub fn vi_percent(x: f64) -> String {
    let cents = ((x * 100.0).round().abs()) as u64;
    let sign = if x < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{},{:02}%", group_thousands(cents / 100), cents % 100)
}

/// 1 → "a", 5 → "đ", 11 → "l": points of a Vietnamese list (the alphabet without f, j, w, z).
pub fn vi_letter(n: u64) -> String {
    const LETTERS: [&str; 25] = [
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s",
        "t", "u", "v", "x", "y", "aa", "bb",
    ];
    match n {
        1..=25 => LETTERS[(n - 1) as usize].to_string(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_always_has_two_decimals() {
        assert_eq!(vi_percent(95.1), "95,10%");
        assert_eq!(vi_percent(94.913), "94,91%");
        assert_eq!(vi_percent(100.0), "100,00%");
        assert_eq!(vi_percent(0.0), "0,00%");
        assert_eq!(vi_percent(1234.5), "1.234,50%");
    }

    #[test]
    fn line_and_column_of_an_offset() {
        let text = "ab\nđế x\n\nz".as_bytes();
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 3));
        assert_eq!(line_col(text, 3), (2, 1));
        // Columns count characters: đ and ế are two and three bytes.
        assert_eq!(line_col(text, 3 + "đế ".len()), (2, 4));
        assert_eq!(line_col(text, text.len() - 1), (4, 1));
        assert_eq!(line_col(text, 999), (4, 2));
    }

    #[test]
    fn the_fast_nfc_check_only_passes_characters_nfc_never_changes() {
        let ranges = [0x0..0x300u32, 0x1E00..0x1F00, 0x2010..0x2040];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(surely_nfc(&s), "{c:?}");
            assert_eq!(is_nfc_quick(s.chars()), IsNormalized::Yes, "{c:?}");
        }
        // Just outside: a combining mark, U+2000 (NFC maps it to U+2002), a Hangul syllable.
        for s in ["a\u{301}", "\u{2000}", "\u{2041}", "\u{1F00}", "한"] {
            assert!(!surely_nfc(s), "{s:?}");
        }
        assert!(surely_nfc("Nguyễn Khánh Hòa – “Đất đai”…"));
        assert_eq!(nfc("Hoa\u{300}"), "Hoà");
    }

    #[test]
    fn word_at_pads_with_zeros() {
        let b: Vec<u8> = (1..=20).collect();
        for len in 1..=b.len() {
            for at in 0..len {
                let mut w = [0; 8];
                let n = (len - at).min(8);
                w[..n].copy_from_slice(&b[at..at + n]);
                assert_eq!(word_at(&b[..len], at), u64::from_le_bytes(w), "{len} {at}");
            }
        }
    }

    #[test]
    fn trim_is_str_trim() {
        let ends = [
            "", "a", "~", "!", " ", "\t", "\n", "\r", "\x0B", "\x0C", "\x1F", "\x7F", "\u{85}",
            "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}",
            "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "á", "ờ", "đ",
        ];
        for a in ends {
            for z in ends {
                for mid in ["", "x y", " ", "\u{A0}"] {
                    let s = format!("{a}{mid}{z}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }

    /// The first `surely_nfc`, byte by byte: the one that skips ASCII words must agree.
    fn surely_nfc_bytewise(s: &str) -> bool {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                0x00..=0x7F => i += 1,
                0xC2..=0xCB => i += 2,
                0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => i += 3,
                0xE2 if b.get(i + 1) == Some(&0x80)
                    && matches!(b.get(i + 2), Some(0x90..=0xBF)) =>
                {
                    i += 3
                }
                _ => return false,
            }
        }
        true
    }

    #[test]
    fn surely_nfc_skips_ascii_words_the_same() {
        // Characters on both sides of each edge of the accepted ranges, at every offset in
        // an eight-byte word, between runs of ASCII of every length.
        let chars = [
            'a',
            '\u{7F}',
            '\u{80}',
            '\u{FF}',
            'đ',
            '\u{2FF}',
            '\u{300}',
            '\u{301}',
            '\u{7FF}',
            '\u{800}',
            '\u{1DFF}',
            '\u{1E00}',
            'ộ',
            '\u{1EFF}',
            '\u{1F00}',
            '\u{2000}',
            '\u{200F}',
            '\u{2010}',
            '…',
            '\u{203F}',
            '\u{2040}',
            '\u{2100}',
            '\u{3000}',
            '한',
            '\u{10000}',
            '\u{1F600}',
        ];
        for c in chars {
            for d in chars {
                for lead in 0..10 {
                    for gap in [0, 1, 7, 8, 9] {
                        for tail in [0, 1, 7, 8] {
                            let s = format!(
                                "{}{c}{}{d}{}",
                                "x".repeat(lead),
                                "y".repeat(gap),
                                "z".repeat(tail)
                            );
                            assert_eq!(surely_nfc(&s), surely_nfc_bytewise(&s), "{s:?}");
                        }
                    }
                }
            }
        }
        for s in [
            "",
            "a",
            "abcdefgh",
            "abcdefghi",
            "Kiểm tra việc chấp hành (lần 197)",
        ] {
            assert!(surely_nfc(s), "{s:?}");
        }
        assert!(!surely_nfc("Kiểm tra vie\u{302}\u{323}c"));
    }

    #[test]
    fn fold_drops_case_and_marks() {
        assert_eq!(fold("  Khiển   Trách "), "khien trach");
        assert_eq!(fold("Đăng ký"), "dang ky");
    }

    #[test]
    fn nfc_composes_decomposed_text() {
        let nfd: String = "Nguyễn Khánh Hòa".nfd().collect();
        assert_ne!(nfd, "Nguyễn Khánh Hòa");
        assert_eq!(nfc(&nfd), "Nguyễn Khánh Hòa");
    }

    #[test]
    fn tone_placements_match() {
        assert_eq!(match_key("Nguyễn Khánh Hòa"), match_key("Nguyễn Khánh Hoà"));
        assert_eq!(match_key("Thủy"), match_key("Thuỷ"));
        assert_eq!(match_key("khỏe"), match_key("khoẻ"));
        assert_ne!(match_key("Hòa"), match_key("Hóa"));
        // A final consonant keeps the mark where it is: "hoàng" has one place only.
        assert_eq!(match_key("Hoàng"), "hoàng");
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1234), "1.234");
        assert_eq!(group_thousands(1234567), "1.234.567");
        assert_eq!(vi_decimal(95.238), "95,24");
        assert_eq!(vi_decimal(100.0), "100");
        assert_eq!(vi_decimal(99.5), "99,5");
        assert_eq!(vi_decimal(1234.05), "1.234,05");
    }

    #[test]
    fn vietnamese_list_letters() {
        let letters: Vec<String> = (1..=11).map(vi_letter).collect();
        assert_eq!(
            letters,
            ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"]
        );
    }

    #[test]
    fn lines_place_as_line_col_does() {
        let text = "a\nbč\n\nđ e\r\nf".as_bytes();
        let lines = Lines::new(text);
        for offset in 0..=text.len() + 2 {
            if offset <= text.len() && std::str::from_utf8(&text[..offset]).is_err() {
                continue;
            }
            assert_eq!(lines.line_col(offset), line_col(text, offset), "{offset}");
        }
    }
}
