//! Characters no record cell may hold (issue 14): control characters (C0 but tab and the line
//! ends a quoted cell may hold, DEL, C1), the non-characters U+FFFE and U+FFFF, and the bidi
//! overrides and isolates that make text read differently from how it is stored. They pass
//! unseen in Excel and then break outputs: raw ESC sequences on a terminal, an ill-formed
//! document.xml. And a dossier id must be printable ASCII: a zero-width space would make a
//! second dossier that looks like the first.

use crate::controls::{code_point, find, suspicious};
use crate::messages::Msg;
use crate::records::Kind;
use crate::records::scan::Row;

/// The first cell of a row that holds a forbidden character, or (for dossiers) an id that is
/// not printable ASCII: its 1-based CSV column and the message. `slots` maps the kind's columns
/// to the row's cells. A row with such a problem is not read further.
pub fn row_problem(kind: Kind, row: &Row, slots: &[Option<usize>]) -> Option<(u64, Msg)> {
    let name = |cell: usize| {
        slots
            .iter()
            .position(|s| *s == Some(cell))
            .and_then(|i| kind.columns().get(i))
            .map_or("", |c| c.name)
    };
    // One pass over the whole row (nearly every row is clean) before looking cell by cell.
    let cells = (!row.clean && suspicious(row.span())).then(|| row.iter().enumerate());
    for (i, cell) in cells.into_iter().flatten() {
        if !suspicious(cell) {
            continue;
        }
        // Not UTF-8: E201 says so when the cell is read.
        let Ok(s) = std::str::from_utf8(cell) else {
            continue;
        };
        if let Some((at, c)) = find(s) {
            return Some((
                i as u64 + 1,
                Msg::ControlChar {
                    column: name(i),
                    code_point: code_point(c),
                    at,
                },
            ));
        }
    }
    if kind == Kind::Dossiers
        && let Some(Some(i)) = slots.first()
        && let Some(id) = row.get(*i)
    {
        let id = id.trim_ascii();
        if !printable_ascii(id) {
            return Some((
                *i as u64 + 1,
                Msg::IdNotAscii {
                    value: String::from_utf8_lossy(id)
                        .chars()
                        .map(|c| {
                            if c.is_ascii_graphic() {
                                c.to_string()
                            } else {
                                format!("<{}>", code_point(c))
                            }
                        })
                        .collect(),
                },
            ));
        }
    }
    None
}

/// Whether every byte is printable ASCII (`!` to `~`), eight bytes at a time: no byte under
/// 0x21, and none that reaches 0x80 once one is added (0x7F, and every byte from 0x80 up). Each
/// test is exact for whether any byte of the word fails it (a borrow or a carry only runs on
/// from a byte that fails already). The last word overlaps the one before it.
fn printable_ascii(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let fails = |w: u64| (w.wrapping_sub(ONES * 0x21) & !w | w.wrapping_add(ONES) | w) & HIGH != 0;
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0xFF; 8]));
    if b.len() < 8 {
        return b.iter().all(u8::is_ascii_graphic);
    }
    let mut at = 0;
    while at + 8 < b.len() {
        if fails(word(at)) {
            return false;
        }
        at += 8;
    }
    !fails(word(b.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::printable_ascii;

    #[test]
    fn printable_ascii_is_the_byte_by_byte_answer() {
        let byte_by_byte = |b: &[u8]| b.iter().all(|c| (0x21..=0x7e).contains(c));
        let mut cases: Vec<Vec<u8>> = Vec::new();
        // Every byte value at every place of ids of 1 to 20 bytes.
        for len in 1..=20 {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut id = b"000.00.27.H42-210315"[..len].to_vec();
                    id[at] = c;
                    cases.push(id);
                }
            }
        }
        cases.push(Vec::new());
        cases.push("SH.DĐ-01".as_bytes().to_vec());
        let mut fails = 0;
        for id in &cases {
            assert_eq!(printable_ascii(id), byte_by_byte(id), "{id:?}");
            fails += usize::from(!byte_by_byte(id));
        }
        // Both answers were asked for.
        assert!(fails > 1000 && fails < cases.len());
    }
}
