//! Commitments (`records/commitments.csv`): what an officer registered to do for a task, and
//! whether it was met, as judged at the year-end rating (task 11): `met` and `judged`, written
//! by a later row that fills them (`kehoach commitment judge`), or in the row itself.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::findings::Code;
use crate::messages::Msg;
use crate::records::{Fulfilment, Records, RowRef};

pub const SPEC: Spec = Spec {
    name: "commitments",
    one: "commitment",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Cam kết",
    export_headers: EXPORT_HEADERS,
    reserve: super::no_room,
    id_prefix: "CK",
};

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("officer", T::Officer),
    req("task", T::Task),
    req("commitment", T::Text),
    opt("met", code::<Fulfilment>()),
    opt("judged", T::Date),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày cam kết"),
    ("officer", "Người cam kết"),
    ("task", "Nhiệm vụ"),
    ("commitment", "Nội dung cam kết"),
    ("met", "Kết quả thực hiện"),
    ("judged", "Ngày đánh giá"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày đăng ký", "date"),
    ("Ngày cam kết", "date"),
    ("Cán bộ", "officer"),
    ("Người cam kết", "officer"),
    ("Họ và tên", "officer"),
    ("Họ tên", "officer"),
    ("Nhiệm vụ", "task"),
    ("Nội dung cam kết", "commitment"),
    ("Cam kết", "commitment"),
    ("Nội dung đăng ký", "commitment"),
    ("Kết quả thực hiện", "met"),
    ("Kết quả", "met"),
    ("Đánh giá", "met"),
    ("Ngày đánh giá", "judged"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    pub task: String,
    pub commitment: String,
    /// Whether it was met, as judged on `judged`.
    pub met: Option<Fulfilment>,
    pub judged: Option<NaiveDate>,
}

impl Commitment {
    /// The judgement known on `day`: none before the day it was judged.
    pub fn met_by(&self, day: NaiveDate) -> Option<Fulfilment> {
        self.met.filter(|_| self.judged.is_some_and(|j| j <= day))
    }
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
        (task, _),
        (commitment, _),
        (met, met_col),
        (judged, judged_col),
        ..,
    ] = &mut cells.values;
    let Some(date) = date.date() else {
        return Ok(());
    };
    let (met, judged) = (met.code::<Fulfilment>(), judged.date());
    // A judgement has both its outcome and its day: reports made before that day do not
    // show it.
    match (met, judged) {
        (Some(_), None) => {
            return Err(Reject {
                code: Code::MissingValue,
                column: *met_col,
                msg: Msg::MissingValue { column: "judged" },
            });
        }
        (None, Some(_)) => {
            return Err(Reject {
                code: Code::MissingValue,
                column: *judged_col,
                msg: Msg::MissingValue { column: "met" },
            });
        }
        (_, Some(j)) if j < date => {
            return Err(Reject {
                code: Code::DateOrder,
                column: *judged_col,
                msg: Msg::DateBefore {
                    what: "judged",
                    date: j,
                    other: "date",
                    other_date: date,
                },
            });
        }
        _ => {}
    }
    records.commitments.push(Commitment {
        at,
        date,
        officer: officer.text(),
        task: task.text(),
        commitment: commitment.text(),
        met,
        judged,
    });
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    Box::new((records.commitments.iter()).map(move |c| {
        vec![
            c.date.to_string(),
            c.officer.clone(),
            c.task.clone(),
            c.commitment.clone(),
            c.met.map(|m| m.code().to_string()).unwrap_or_default(),
            c.judged.map(|d| d.to_string()).unwrap_or_default(),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.commitments.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.commitments.clear();
}
