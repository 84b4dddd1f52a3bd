//! The records of a kind as one table, for writing out to other tools (`kehoach export`).
//!
//! A row per record, in file order, the cells as the record files hold them (ISO dates, codes,
//! ids), in the kind's column order; a dossier is one row with every fact its rows gave (its
//! notes joined), in the order of the row that first named it ([`crate::records::kind::Spec`]'s
//! `to_cells`, made one row at a time). The formats write these rows as they are made:
//! CSV and XLSX for Excel users, with the one-stop book's Vietnamese headers ([`header_vi`]),
//! which `kehoach import` reads back to the same columns.

#[cfg(feature = "parquet")]
pub mod parquet;

use std::borrow::Cow;

use anyhow::Result;
use chrono::NaiveDate;

use crate::records::{ColType, Column, Kind, Records};
use crate::spreadsheet::{self, Book, Value};

/// The Vietnamese header of a column, as the one-stop book and the office's own books write
/// it; `kehoach import` maps each back to its column (a test checks). A column without one
/// keeps its own name.
pub fn header_vi(kind: Kind, column: &'static str) -> &'static str {
    kind.export_header(column)
}

/// The Vietnamese title of a kind, for a sheet's name and title.
pub fn kind_title(kind: Kind) -> &'static str {
    kind.spec().title
}

/// The records of a kind as CSV for Excel, written to `out` row by row as they are made (a
/// province's million dossiers are never all held as cells): a UTF-8 byte order mark (so that
/// Excel reads the Vietnamese letters right), the Vietnamese headers, CRLF line ends,
/// formula-like text neutralised. Returns how many rows it wrote.
pub fn csv(kind: Kind, records: &Records, out: &mut dyn std::io::Write) -> std::io::Result<usize> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(kind.columns().iter().map(|c| header_vi(kind, c.name)))
        .map_err(crate::records::csv_io_error)?;
    let mut rows = 0;
    for row in (kind.spec().to_cells)(records) {
        for cell in &row {
            (w.write_field(spreadsheet::csv_cell(cell).as_bytes()))
                .map_err(crate::records::csv_io_error)?;
        }
        (w.write_record(std::iter::empty::<&[u8]>())).map_err(crate::records::csv_io_error)?;
        rows += 1;
    }
    w.flush()?;
    Ok(rows)
}

/// The records of `kinds` as a workbook, one sheet per kind: the kind's title and the office on
/// top, then the Vietnamese headers (frozen) and the rows, written as they are made (a big
/// sheet is kept row by row on disk, not as cells in memory: a province's million dossiers fit);
/// dates as dates, counts as numbers; a big sheet's rows are kept in `temp` while it is made,
/// when given (the output's folder). Returns the bytes and how many rows each kind had.
pub fn xlsx(
    kinds: &[Kind],
    records: &Records,
    office: &str,
    created: NaiveDate,
    temp: Option<&std::path::Path>,
) -> Result<(Vec<u8>, Vec<usize>)> {
    let mut book = Book::new(office, created);
    if let Some(dir) = temp {
        book.keep_rows_in(dir)?;
    }
    let mut counts = Vec::new();
    for &kind in kinds {
        let header: Vec<&str> = (kind.columns().iter())
            .map(|c| header_vi(kind, c.name))
            .collect();
        let columns = kind.columns();
        let rows = (kind.spec().to_cells)(records);
        let count = rows.len();
        book.table(
            kind_title(kind),
            kind_title(kind),
            &[format!("{office}: {count} bản ghi ({})", kind.name())],
            &header,
            rows.map(|row| {
                (row.into_iter().zip(columns))
                    .map(|(cell, column)| typed(cell, column))
                    .collect::<Vec<_>>()
            }),
        )?;
        counts.push(count);
    }
    Ok((book.finish()?, counts))
}

/// A cell typed by its column: dates as dates, counts as numbers, the rest as text.
fn typed(cell: String, column: &Column) -> Value<'static> {
    if cell.is_empty() {
        return Value::Empty;
    }
    match column.ty {
        ColType::Date => {
            crate::dates::parse(&cell).map_or(Value::Text(Cow::Owned(cell)), Value::Date)
        }
        ColType::Count => (cell.parse::<i64>()).map_or(Value::Text(Cow::Owned(cell)), Value::Int),
        _ => Value::Text(Cow::Owned(cell)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every header an export writes is read back by `import` as the column it came from.
    #[test]
    fn the_vietnamese_headers_import_back_to_their_columns() {
        for kind in Kind::ALL {
            let header: Vec<String> = kind
                .columns()
                .iter()
                .map(|c| header_vi(kind, c.name).to_string())
                .collect();
            let mapped = crate::import::decode::map_header(kind, &header, &[])
                .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
            let ours: Vec<Option<&str>> = kind.columns().iter().map(|c| Some(c.name)).collect();
            assert_eq!(mapped, ours, "{kind:?}");
        }
    }
}
