//! A worksheet of an Excel (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`) or OpenDocument (`.ods`) file,
//! made into the same [`Table`] a CSV file gives, so that one path ([`super::decode::map_header`],
//! [`crate::entry::row`], the shared check) decodes both.
//!
//! The file is read by calamine. What a clerk's workbook has that a CSV file has not:
//! - title rows above the header ("SỔ THEO DÕI HỒ SƠ", "Từ ngày … đến ngày …", often merged
//!   across the columns: a merged cell holds its text in its first cell only, the others are
//!   empty). The header is the row, among the first [`HEADER_SEARCH`] rows that have a cell,
//!   whose cells name the most columns of the kind ([`find_header`]); rows above it are skipped.
//! - a row of column numbers under the header ("1 2 3 …" or "(1) (2) (3) …", as the one-stop
//!   book mẫu 06 prints it), skipped;
//! - typed cells: numbers, and dates, which Excel keeps as serial numbers (days since
//!   30/12/1899). A cell formatted as a date is read as that date; a bare number in a column of
//!   dates (a date cell whose format was lost) is read as a serial number too; text stays text,
//!   so "15/03/2021" is read as the CSV path reads it.
//!
//! The "line" of a row is its row number in the sheet, as Excel shows it.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use super::decode::{Table, map_header};
use crate::records::{ColType, Kind};
use crate::text::nfc;

/// How many rows that have a cell are looked at for the header.
pub const HEADER_SEARCH: usize = 30;

/// The file extensions read as workbooks rather than as CSV text.
const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Whether a file is read as a workbook: by its extension, or, for a file named otherwise, by
/// its first bytes (a zip archive, as `.xlsx` and `.ods` are, or an OLE2 compound file, as `.xls`
/// is). A CSV file never starts with either.
pub fn is_workbook(path: &Path, bytes: &[u8]) -> bool {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    by_name
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// A worksheet read into a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet's name.
    pub name: String,
    /// The header and the rows under it, with their row numbers in the sheet.
    pub table: Table,
    /// The row number of the header in the sheet.
    pub header_line: u64,
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    /// Not a workbook calamine can read (damaged, encrypted, another format): its message.
    Unreadable(String),
    /// `--sheet NAME` names no sheet of the workbook: the sheets it has.
    NoSuchSheet { name: String, sheets: Vec<String> },
    /// The sheet has no cell at all.
    Empty { sheet: String },
}

/// Reads a worksheet of a workbook (the first, or the one named `wanted`, compared without
/// case, diacritics or spacing) into a [`Table`] for `kind`; `custom` are the `--map` pairs,
/// which count when the header is looked for.
pub fn read(
    bytes: &[u8],
    wanted: Option<&str>,
    kind: Kind,
    custom: &[(String, String)],
) -> Result<Sheet, SheetError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let sheets = book.sheet_names();
    let name = match wanted {
        None => sheets.first().cloned(),
        Some(w) => {
            // The exact name first, then one that differs in case, diacritics or spacing.
            let key = crate::text::fold(w);
            sheets
                .iter()
                .find(|s| s.as_str() == w)
                .or_else(|| sheets.iter().find(|s| crate::text::fold(s) == key))
                .cloned()
        }
    };
    let Some(name) = name else {
        return Err(match wanted {
            Some(w) => SheetError::NoSuchSheet {
                name: w.to_string(),
                sheets,
            },
            None => SheetError::Empty {
                sheet: String::new(),
            },
        });
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    // Rows as (row number in the sheet, cells); the range starts at its first used cell.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let grid: Vec<(u64, Vec<Cell>)> = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            // Columns left of the range's start are empty: keep them, so that a column's
            // position is the same in every row and in messages.
            let mut cells = vec![Cell::Text(String::new()); first_col as usize];
            cells.extend(row.iter().map(Cell::of));
            (u64::from(first_row) + i as u64 + 1, cells)
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect();
    let Some(at) = find_header(&grid, kind, custom) else {
        return Err(SheetError::Empty { sheet: name });
    };
    let (header_line, header_cells) = &grid[at];
    let header: Vec<String> = header_cells.iter().map(Cell::text).collect();
    // The columns that hold dates, when the header maps: their bare numbers are serial dates.
    let date_columns: Vec<bool> = match map_header(kind, &header, custom) {
        Ok(mapping) => mapping
            .iter()
            .map(|c| {
                c.and_then(|c| kind.column(c))
                    .is_some_and(|c| matches!(c.ty, ColType::Date))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let mut rest = &grid[at + 1..];
    if let Some((_, first)) = rest.first()
        && is_column_numbers(first)
    {
        rest = &rest[1..];
    }
    let rows = rest
        .iter()
        .map(|(line, cells)| {
            let mut cells: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, cell)| match (cell, date_columns.get(i)) {
                    (Cell::Number(n), Some(true)) => {
                        serial_date(*n).map_or_else(|| cell.text(), |d| d.to_string())
                    }
                    _ => cell.text(),
                })
                .collect();
            // A row ends at its last cell with something in it, as a CSV line from Excel does
            // not: keep the header's width so that only rows wider than it are ragged.
            while cells.len() > header.len() && cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            cells.resize(cells.len().max(header.len()), String::new());
            (*line, cells)
        })
        .collect();
    let mut header = header;
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    Ok(Sheet {
        name,
        table: Table { header, rows },
        header_line: *header_line,
    })
}

/// A cell as this module needs it: text, or a number that may be a serial date.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn of(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::Text(String::new()),
            Data::String(s) => Cell::Text(nfc(s.trim()).into_owned()),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
            // A cell formatted as a date: the date, with its time of day when it has one (the
            // date parser drops it).
            Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
                Some(t) if t.time() == chrono::NaiveTime::MIN => Cell::Text(t.date().to_string()),
                Some(t) => Cell::Text(t.format("%Y-%m-%d %H:%M").to_string()),
                None => Cell::Number(dt.as_f64()),
            },
            Data::DateTime(dt) => Cell::Number(dt.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.trim().to_string()),
            Data::Error(e) => Cell::Text(e.to_string()),
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Cell::Text(s) if s.is_empty())
    }

    /// The cell as CSV would hold it: a whole number without a decimal point.
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// The date of an Excel serial number in the 1900 date system (the default of Excel and
/// LibreOffice): day 1 is 01/01/1900, and Excel counts a 29/02/1900 that never was, so from day
/// 61 on (01/03/1900) the days run from 30/12/1899. A time of day (the fraction) is dropped.
/// Numbers outside Excel's dates (before day 1, after 31/12/9999) are not dates.
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let epoch = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

/// The index in `grid` of the header row: among the first [`HEADER_SEARCH`] rows, the one whose
/// cells name the most columns of the kind (ours, the Vietnamese headers, the ones ignored on
/// purpose, `--map`); the first of them on a tie. A title row names none. When no row names
/// any, the first row, whose unknown headers the caller then reports.
fn find_header(
    grid: &[(u64, Vec<Cell>)],
    kind: Kind,
    custom: &[(String, String)],
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, cells)) in grid.iter().take(HEADER_SEARCH).enumerate() {
        let score = known_headers(cells, kind, custom);
        if score > 0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    match best {
        Some((i, _)) => Some(i),
        None => (!grid.is_empty()).then_some(0),
    }
}

/// How many cells of a row are headers [`map_header`] knows for `kind`.
fn known_headers(cells: &[Cell], kind: Kind, custom: &[(String, String)]) -> usize {
    let header: Vec<String> = cells
        .iter()
        .map(|c| match c {
            Cell::Text(s) => s.clone(),
            // A number is never a header.
            Cell::Number(_) => String::new(),
        })
        .collect();
    let filled = header.iter().filter(|h| !h.is_empty()).count();
    let unknown = match map_header(kind, &header, custom) {
        Ok(_) => 0,
        Err(errors) => errors
            .iter()
            .filter(|e| matches!(e.problem, super::decode::HeaderProblem::Unknown { .. }))
            .count(),
    };
    filled.saturating_sub(unknown)
}

/// A row that numbers the columns under the header: its cells, left to right, are 1, 2, 3 …
/// (as numbers, or as text "1", "(1)"), at least two of them, nothing else.
fn is_column_numbers(cells: &[Cell]) -> bool {
    let numbers: Option<Vec<i64>> = cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| match c {
            Cell::Number(n) if n.fract() == 0.0 => Some(*n as i64),
            Cell::Number(_) => None,
            Cell::Text(s) => s
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .parse()
                .ok(),
        })
        .collect();
    numbers.is_some_and(|n| n.len() >= 2 && n.iter().enumerate().all(|(i, &v)| v == i as i64 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_are_excel_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(serial_date(1.0), d(1900, 1, 1));
        assert_eq!(serial_date(59.0), d(1900, 2, 28));
        // Day 60 is Excel's 29/02/1900, which never was; day 61 is 01/03/1900.
        assert_eq!(serial_date(61.0), d(1900, 3, 1));
        assert_eq!(serial_date(44256.0), d(2021, 3, 1));
        assert_eq!(serial_date(44256.75), d(2021, 3, 1));
        assert_eq!(serial_date(2_958_465.0), d(9999, 12, 31));
        assert_eq!(serial_date(0.0), None);
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(serial_date(2_958_466.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn the_header_is_found_under_title_rows() {
        let grid = vec![
            (1, vec![t("SỔ THEO DÕI HỒ SƠ"), t(""), t("")]),
            (
                2,
                vec![t("Từ ngày 01/03/2021 đến ngày 31/03/2021"), t(""), t("")],
            ),
            (4, vec![t("STT"), t("Mã hồ sơ"), t("Ngày tiếp nhận")]),
            (5, vec![Cell::Number(1.0), t("X"), Cell::Number(44256.0)]),
        ];
        assert_eq!(find_header(&grid, Kind::Dossiers, &[]), Some(2));
        // A title that happens to be a header word does not win over the real header.
        let grid = vec![
            (1, vec![t("Ghi chú")]),
            (2, vec![t("Mã hồ sơ"), t("Ghi chú")]),
        ];
        assert_eq!(find_header(&grid, Kind::Dossiers, &[]), Some(1));
        // No known header at all: the first row, to be reported.
        let grid = vec![(3, vec![t("Màu bìa")]), (4, vec![t("xanh")])];
        assert_eq!(find_header(&grid, Kind::Dossiers, &[]), Some(0));
        // --map makes a header known.
        let custom = vec![("Số biên nhận".to_string(), "id".to_string())];
        let grid = vec![(1, vec![t("Báo cáo")]), (2, vec![t("Số biên nhận")])];
        assert_eq!(find_header(&grid, Kind::Dossiers, &custom), Some(1));
    }

    #[test]
    fn a_row_of_column_numbers_is_recognised() {
        let n = Cell::Number;
        assert!(is_column_numbers(&[n(1.0), n(2.0), n(3.0)]));
        assert!(is_column_numbers(&[t("(1)"), t("(2)"), t("")]));
        assert!(!is_column_numbers(&[n(1.0)]));
        assert!(!is_column_numbers(&[n(1.0), t("X"), n(3.0)]));
        assert!(!is_column_numbers(&[n(2.0), n(3.0)]));
    }

    #[test]
    fn what_is_not_a_workbook_is_an_error_not_a_panic() {
        for bytes in [&b""[..], b"PK\x03\x04garbage", b"Ma ho so;Ngay\n1;2\n"] {
            assert!(matches!(
                read(bytes, None, Kind::Dossiers, &[]),
                Err(SheetError::Unreadable(_))
            ));
        }
    }
}
