//! iCalendar (RFC 5545) text: the content lines of a calendar of all-day events, as phones,
//! Outlook and Thunderbird import them.
//!
//! Pure and byte-stable: the caller gives every value, the time stamp included. Lines end in
//! CRLF, are folded at 75 octets (never inside a UTF-8 character; continuation lines start
//! with one space) and TEXT values are escaped (`\\`, `\;`, `\,`, `\n`; other control
//! characters, which RFC 5545 forbids in TEXT, are dropped).

use chrono::{DateTime, NaiveDate, Utc};

/// One all-day event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Unique and stable across runs: the same item gets the same UID, so importing the file
    /// again updates events instead of doubling them.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
    pub categories: Vec<String>,
}

/// A whole calendar: `name` is its display name (X-WR-CALNAME), `stamp` the DTSTAMP of every
/// event (the time the calendar was made).
pub fn calendar(name: &str, prodid: &str, stamp: DateTime<Utc>, events: &[Event]) -> String {
    let mut out = String::new();
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{}", text(prodid)));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", text(name)));
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", text(&e.uid)));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")));
        if let Some(next) = e.date.succ_opt() {
            line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        }
        line(&format!("SUMMARY:{}", text(&e.summary)));
        if !e.description.is_empty() {
            line(&format!("DESCRIPTION:{}", text(&e.description)));
        }
        if !e.categories.is_empty() {
            let cats: Vec<String> = e.categories.iter().map(|c| text(c)).collect();
            line(&format!("CATEGORIES:{}", cats.join(",")));
        }
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// A TEXT value escaped (RFC 5545 §3.3.11).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line is longer than 75 octets before its CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut room = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > room {
            out.push_str("\r\n ");
            // The leading space counts: 74 octets of content on a continuation line.
            room = 74;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// A stable 64-bit FNV-1a hash, as 16 hex digits: the same input gives the same UID on every
/// machine and in every version (unlike the standard library's hashers).
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne\r\u{7}"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(text("Sơn Hồng"), "Sơn Hồng");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "Đăng ký khai sinh ".repeat(12));
        fold_into(&mut out, &long);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.last(), Some(&""));
        assert!(lines.len() > 3);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} is {} octets", l.len());
            if i > 0 && !l.is_empty() {
                assert!(l.starts_with(' '));
            }
        }
        // Unfolding gives the line back.
        assert_eq!(out.replace("\r\n ", "").trim_end_matches("\r\n"), long);
        // Exactly 75 octets: not folded.
        let mut out = String::new();
        fold_into(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
        assert_eq!(stable_hash(&["a"]), stable_hash(&["a"]));
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
    }
}
