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
        if !id.iter().all(|b| (0x21..=0x7e).contains(b)) {
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
