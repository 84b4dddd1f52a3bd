//! Characters no text of kehoach's may hold unseen (issue 14): control characters (C0 but tab
//! and line ends, DEL, C1), the non-characters U+FFFE and U+FFFF, and the bidi overrides and
//! isolates that make text read differently from how it is stored.

/// Whether `c` may not appear in a cell. Newlines and carriage returns are allowed: a quoted
/// cell may hold several lines (Alt+Enter in Excel); outputs escape them.
pub fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{fffe}' | '\u{ffff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `bytes` may hold a forbidden character: a quick test over every byte (the compiler
/// makes it a vector loop) that lets almost every cell through without decoding it.
pub fn suspicious(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |any, &b| {
        any | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xe2)
            | (b == 0xef)
    })
}

/// Whether a long text (a whole plan.toml) holds a forbidden character: exact, and unlike
/// [`find`] it does not decode the text when typographic quotes or dashes, which share a lead
/// byte with the bidi overrides, pass [`suspicious`]. It looks only after each such lead byte.
pub fn holds(s: &str) -> bool {
    let bytes = s.as_bytes();
    let c0 = bytes.iter().fold(false, |any, &b| {
        any | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f)
    });
    // C1 (C2 80–9F), the bidi overrides and isolates (E2 80 AA–AE, E2 81 A6–A9), U+FFFE and
    // U+FFFF (EF BF BE–BF); none of those lead bytes is ever a continuation byte.
    c0 || memchr::memchr3_iter(0xc2, 0xe2, 0xef, bytes).any(|i| {
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match bytes[i] {
            0xc2 => (0x80..=0x9f).contains(&next(1)),
            0xe2 => match next(1) {
                0x80 => (0xaa..=0xae).contains(&next(2)),
                0x81 => (0xa6..=0xa9).contains(&next(2)),
                _ => false,
            },
            _ => next(1) == 0xbf && matches!(next(2), 0xbe | 0xbf),
        }
    })
}

/// The first forbidden character of `s`: its 1-based position and the character.
pub fn find(s: &str) -> Option<(usize, char)> {
    if !suspicious(s.as_bytes()) {
        return None;
    }
    s.chars()
        .enumerate()
        .find(|(_, c)| forbidden(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `c` as users can read it: `U+001B`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `s` with every forbidden character written as `<U+XXXX>`: for a terminal, which must never
/// receive a raw control character.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if find(s).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if forbidden(c) {
            out.push_str(&format!("<{}>", code_point(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forbidden_characters_and_only_them() {
        for c in [
            '\u{0}', '\u{1b}', '\u{7}', '\u{7f}', '\u{85}', '\u{9b}', '\u{fffe}', '\u{ffff}',
            '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            let s = format!("Họp {c} giao ban");
            assert_eq!(find(&s), Some((5, c)), "{c:?}");
        }
        for s in [
            "Họp giao ban\tlần 2\r\ndòng hai",
            "Nguyễn Khánh Hòa – “Chủ tịch” € ©",
            "\u{feff}id",
            "",
        ] {
            assert_eq!(find(s), None, "{s:?}");
        }
        assert_eq!(visible("a\u{1b}[31mb"), "a<U+001B>[31mb");
    }

    /// [`holds`] agrees with the character test on every character of the planes the forbidden
    /// ones live in, alone and between Vietnamese letters and typographic quotes.
    #[test]
    fn holds_is_exact() {
        for cp in (0..0x3000).chain(0xf000..0x10000) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for s in [c.to_string(), format!("Hồ{c}sơ"), format!("“{c}”")] {
                assert_eq!(holds(&s), s.chars().any(forbidden), "{s:?}");
            }
        }
    }
}
