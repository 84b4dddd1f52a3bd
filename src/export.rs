//! The records of a kind as one table, for writing out to other tools (`kehoach export`).
//!
//! A row per record, in file order, the cells as the record files hold them (ISO dates, codes,
//! ids), in the kind's column order; a dossier is one row with every fact its rows gave (its
//! notes joined), in the order of the row that first named it. The formats write these tables:
//! CSV and XLSX for Excel users, with the one-stop book's Vietnamese headers ([`header_vi`]),
//! which `kehoach import` reads back to the same columns.

use std::borrow::Cow;

use anyhow::Result;
use chrono::NaiveDate;

use crate::records::{ColType, Column, Kind, Records};
use crate::spreadsheet::{self, Book, Value};

/// The records of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub kind: Kind,
    /// One row per record; cells in the order of `kind.columns()`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn columns(&self) -> &'static [Column] {
        self.kind.columns()
    }
}

/// The table of a kind's records.
pub fn table(kind: Kind, records: &Records) -> Table {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let o = |o: Option<&str>| o.unwrap_or_default().to_string();
    let d = |x: NaiveDate| x.to_string();
    let od = |x: Option<NaiveDate>| x.map(d).unwrap_or_default();
    let rows: Vec<Vec<String>> = match kind {
        Kind::Activities => records
            .activities
            .iter()
            .map(|a| {
                vec![
                    d(a.date),
                    a.task().to_string(),
                    a.kind.code().into(),
                    a.summary().to_string(),
                    a.officers().collect::<Vec<_>>().join(";"),
                    o(a.evidence()),
                    o(a.deliverable()),
                    a.participants.map(|n| n.to_string()).unwrap_or_default(),
                    o(a.note()),
                ]
            })
            .collect(),
        Kind::Dossiers => {
            let mut all: Vec<_> = records.dossiers.iter().collect();
            all.sort_by_key(|x| x.opened());
            all.into_iter()
                .map(|x| {
                    vec![
                        x.id().into_owned(),
                        o(x.procedure()),
                        o(x.field()),
                        od(x.received),
                        od(x.due),
                        od(x.returned),
                        x.status.map(|s| s.code().to_string()).unwrap_or_default(),
                        o(x.officer()),
                        o(x.late_reason()),
                        od(x.apology),
                        od(x.rescheduled),
                        o(x.note()),
                    ]
                })
                .collect()
        }
        Kind::Violations => records
            .violations
            .iter()
            .map(|v| {
                vec![
                    d(v.date),
                    v.officer.clone(),
                    v.description.clone(),
                    s(&v.task),
                    v.action.map(|a| a.code().to_string()).unwrap_or_default(),
                    s(&v.decision),
                    s(&v.note),
                ]
            })
            .collect(),
        Kind::Commendations => records
            .commendations
            .iter()
            .map(|c| {
                vec![
                    d(c.date),
                    c.recipient.clone(),
                    c.form.clone(),
                    s(&c.reason),
                    s(&c.decision),
                    s(&c.note),
                ]
            })
            .collect(),
        Kind::Feedback => records
            .feedback
            .iter()
            .map(|f| {
                vec![
                    d(f.date),
                    f.channel.code().into(),
                    f.rating.map(|r| r.code().to_string()).unwrap_or_default(),
                    o(f.officer()),
                    o(f.summary()),
                    od(f.handled),
                    o(f.note()),
                ]
            })
            .collect(),
        Kind::Commitments => records
            .commitments
            .iter()
            .map(|c| {
                vec![
                    d(c.date),
                    c.officer.clone(),
                    c.task.clone(),
                    c.commitment.clone(),
                ]
            })
            .collect(),
    };
    // A kind whose columns grew without this list: the row is padded, never misaligned.
    let width = kind.columns().len();
    let rows = rows
        .into_iter()
        .map(|mut r| {
            r.resize(width, String::new());
            r
        })
        .collect();
    Table { kind, rows }
}

/// The Vietnamese header of a column, as the one-stop book and the office's own books write
/// it; `kehoach import` maps each back to its column (a test checks). A column without one
/// keeps its own name.
pub fn header_vi(kind: Kind, column: &str) -> &'static str {
    let found = match (kind, column) {
        (_, "date") => match kind {
            Kind::Violations => Some("Ngày vi phạm"),
            Kind::Commendations => Some("Ngày khen thưởng"),
            Kind::Feedback => Some("Ngày tiếp nhận"),
            Kind::Commitments => Some("Ngày cam kết"),
            _ => Some("Ngày thực hiện"),
        },
        (Kind::Activities, "task") | (Kind::Violations, "task") | (Kind::Commitments, "task") => {
            Some("Nhiệm vụ")
        }
        (Kind::Activities, "kind") => Some("Loại hoạt động"),
        (Kind::Activities, "summary") => Some("Nội dung hoạt động"),
        (Kind::Activities, "officers") => Some("Người thực hiện"),
        (Kind::Activities, "evidence") => Some("Hồ sơ lưu"),
        (Kind::Activities, "deliverable") => Some("Sản phẩm"),
        (Kind::Activities, "participants") => Some("Số người tham dự"),
        (Kind::Dossiers, "id") => Some("Mã hồ sơ"),
        (Kind::Dossiers, "procedure") => Some("Tên thủ tục"),
        (Kind::Dossiers, "field") => Some("Lĩnh vực"),
        (Kind::Dossiers, "received") => Some("Ngày tiếp nhận"),
        (Kind::Dossiers, "due") => Some("Ngày hẹn trả"),
        (Kind::Dossiers, "returned") => Some("Ngày trả kết quả"),
        (Kind::Dossiers, "status") => Some("Trạng thái"),
        (Kind::Dossiers, "officer") => Some("Cán bộ xử lý"),
        (Kind::Dossiers, "late_reason") => Some("Lý do trễ hạn"),
        (Kind::Dossiers, "apology") => Some("Ngày xin lỗi"),
        (Kind::Dossiers, "rescheduled") => Some("Ngày hẹn lại"),
        (Kind::Violations, "officer") => Some("Cán bộ vi phạm"),
        (Kind::Violations, "description") => Some("Nội dung vi phạm"),
        (Kind::Violations, "action") => Some("Hình thức xử lý"),
        (Kind::Violations | Kind::Commendations, "decision") => Some("Số quyết định"),
        (Kind::Commendations, "recipient") => Some("Đối tượng khen thưởng"),
        (Kind::Commendations, "form") => Some("Hình thức khen thưởng"),
        (Kind::Commendations, "reason") => Some("Lý do khen thưởng"),
        (Kind::Feedback, "channel") => Some("Kênh tiếp nhận"),
        (Kind::Feedback, "rating") => Some("Mức độ hài lòng"),
        (Kind::Feedback, "officer") => Some("Cán bộ liên quan"),
        (Kind::Feedback, "summary") => Some("Nội dung phản ánh"),
        (Kind::Feedback, "handled") => Some("Ngày xử lý"),
        (Kind::Commitments, "officer") => Some("Người cam kết"),
        (Kind::Commitments, "commitment") => Some("Nội dung cam kết"),
        (_, "note") => Some("Ghi chú"),
        _ => None,
    };
    found.unwrap_or_else(|| kind.column(column).map_or("", |c| c.name))
}

/// The Vietnamese title of a kind, for a sheet's name and title.
pub fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Activities => "Hoạt động",
        Kind::Dossiers => "Hồ sơ thủ tục hành chính",
        Kind::Violations => "Vi phạm",
        Kind::Commendations => "Khen thưởng",
        Kind::Feedback => "Ý kiến tổ chức, công dân",
        Kind::Commitments => "Cam kết",
    }
}

/// A table as CSV for Excel: a UTF-8 byte order mark (so that Excel reads the Vietnamese
/// letters right), the Vietnamese headers, CRLF line ends, formula-like text neutralised.
pub fn csv(table: &Table) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(
            table
                .columns()
                .iter()
                .map(|c| header_vi(table.kind, c.name)),
        )?;
        for row in &table.rows {
            w.write_record(
                row.iter()
                    .map(|cell| spreadsheet::csv_cell(cell).into_owned()),
            )?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Tables as a workbook, one sheet per kind: the kind's title and the office on top, then the
/// Vietnamese headers (frozen) and the rows; dates as dates, counts as numbers.
pub fn xlsx(tables: &[Table], office: &str, created: NaiveDate) -> Result<Vec<u8>> {
    let mut book = Book::new(office, created);
    for table in tables {
        let header: Vec<&str> = table
            .columns()
            .iter()
            .map(|c| header_vi(table.kind, c.name))
            .collect();
        let columns = table.columns();
        let rows = table.rows.iter().map(|row| {
            row.iter()
                .zip(columns)
                .map(|(cell, column)| typed(cell, column))
                .collect::<Vec<_>>()
        });
        book.table(
            kind_title(table.kind),
            kind_title(table.kind),
            &[format!(
                "{office}: {} bản ghi ({})",
                table.rows.len(),
                table.kind.name()
            )],
            &header,
            rows,
        )?;
    }
    book.finish()
}

/// A cell typed by its column: dates as dates, counts as numbers, the rest as text.
fn typed<'a>(cell: &'a str, column: &Column) -> Value<'a> {
    if cell.is_empty() {
        return Value::Empty;
    }
    match column.ty {
        ColType::Date => {
            crate::dates::parse(cell).map_or(Value::Text(Cow::Borrowed(cell)), Value::Date)
        }
        ColType::Count => cell
            .parse::<i64>()
            .map_or(Value::Text(Cow::Borrowed(cell)), Value::Int),
        _ => Value::Text(Cow::Borrowed(cell)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every header an export writes is read back by `import` as the column it came from.
    #[test]
    fn the_vietnamese_headers_import_back_to_their_columns() {
        for kind in [
            Kind::Activities,
            Kind::Dossiers,
            Kind::Violations,
            Kind::Commendations,
            Kind::Feedback,
            Kind::Commitments,
        ] {
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
