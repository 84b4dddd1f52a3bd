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
}
