//! Commitments (`records/commitments.csv`): what an officer registered to do for a task.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Shape, Spec, req};
use crate::records::{Records, RowRef};

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
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày cam kết"),
    ("officer", "Người cam kết"),
    ("task", "Nhiệm vụ"),
    ("commitment", "Nội dung cam kết"),
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
];

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    pub task: String,
    pub commitment: String,
}

fn from_cells(
    cells: &mut Cells<'_>,
    _: &Refs<'_>,
    at: RowRef,
    records: &mut Records,
) -> Result<(), Reject> {
    let [(date, _), (officer, _), (task, _), (commitment, _), ..] = &mut cells.values;
    let Some(date) = date.date() else {
        return Ok(());
    };
    records.commitments.push(Commitment {
        at,
        date,
        officer: officer.text(),
        task: task.text(),
        commitment: commitment.text(),
    });
    Ok(())
}

fn to_cells(records: &Records) -> Vec<Vec<String>> {
    (records.commitments.iter())
        .map(|c| {
            vec![
                c.date.to_string(),
                c.officer.clone(),
                c.task.clone(),
                c.commitment.clone(),
            ]
        })
        .collect()
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.commitments.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.commitments.clear();
}
