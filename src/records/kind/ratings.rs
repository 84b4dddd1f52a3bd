//! Ratings (`records/ratings.csv`): an officer's year-end rating (xếp loại chất lượng cán bộ,
//! công chức, task 11 of the plan), one of the four levels of Nghị định 90/2020/NĐ-CP.
//!
//! One rating per officer and year: a second row for the same officer and year is a conflict
//! (E215); a rating changes by a correction (`kehoach amend rating …`), which keeps the first.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::findings::Code;
use crate::messages::Msg;
use crate::records::{Level, Records, RowRef};

pub const SPEC: Spec = Spec {
    name: "ratings",
    one: "rating",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Xếp loại cán bộ",
    export_headers: EXPORT_HEADERS,
    reserve: super::no_room,
    id_prefix: "XL",
};

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("officer", T::Officer),
    req("year", T::Count),
    req("level", code::<Level>()),
    opt("decision", T::Text),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày xếp loại"),
    ("officer", "Cán bộ, công chức"),
    ("year", "Năm đánh giá"),
    ("level", "Mức xếp loại"),
    ("decision", "Số quyết định"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày xếp loại", "date"),
    ("Ngày đánh giá", "date"),
    ("Cán bộ", "officer"),
    ("Cán bộ, công chức", "officer"),
    ("Họ và tên", "officer"),
    ("Họ tên", "officer"),
    ("Năm", "year"),
    ("Năm đánh giá", "year"),
    ("Xếp loại", "level"),
    ("Mức xếp loại", "level"),
    ("Kết quả xếp loại", "level"),
    ("Xếp loại chất lượng", "level"),
    ("Quyết định", "decision"),
    ("Số quyết định", "decision"),
    ("Quyết định xếp loại", "decision"),
    ("Ghi chú", "note"),
];

#[derive(Debug, Clone, Serialize)]
pub struct OfficerRating {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    /// The year rated.
    pub year: u32,
    pub level: Level,
    pub decision: Option<String>,
    pub note: Option<String>,
}

fn from_cells(
    cells: &mut Cells<'_>,
    _: &Refs<'_>,
    at: RowRef,
    records: &mut Records,
) -> Result<(), Reject> {
    let [
        (date, _),
        (officer, _),
        (year, year_col),
        (level, _),
        (decision, _),
        (note, _),
        ..,
    ] = &mut cells.values;
    let (Some(date), Some(year), Some(level)) = (date.date(), year.count(), level.code::<Level>())
    else {
        return Ok(());
    };
    // A year is rated at its end or early in the next (the nd09 year 2021 ends 14/12/2021;
    // a rating may be decided in January 2022), never before it or years later.
    let rated_on = date.year();
    if i64::from(year) != i64::from(rated_on) && i64::from(year) != i64::from(rated_on) - 1 {
        return Err(Reject {
            code: Code::BadValue,
            column: *year_col,
            msg: Msg::RatingYear { year, date },
        });
    }
    let officer = officer.text();
    if let Some(first) = (records.ratings.iter()).find(|r| r.officer == officer && r.year == year) {
        return Err(Reject {
            code: Code::DossierConflict,
            column: *year_col,
            msg: Msg::RatingTwice {
                officer,
                year,
                place: format!("{}:{}", records.file_name(first.at.file), first.at.line),
            },
        });
    }
    records.ratings.push(OfficerRating {
        at,
        date,
        officer,
        year,
        level,
        decision: decision.opt_text(),
        note: note.opt_text(),
    });
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Box::new((records.ratings.iter()).map(move |r| {
        vec![
            r.date.to_string(),
            r.officer.clone(),
            r.year.to_string(),
            r.level.code().to_string(),
            s(&r.decision),
            s(&r.note),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.ratings.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.ratings.clear();
}
