//! Violations (`records/violations.csv`): an officer's breach of discipline and its handling.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::records::{Action, Records, RowRef};

pub const SPEC: Spec = Spec {
    name: "violations",
    one: "violation",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Vi phạm",
    export_headers: EXPORT_HEADERS,
    reserve: super::no_room,
    id_prefix: "VP",
};

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("officer", T::Officer),
    req("description", T::Text),
    opt("task", T::Task),
    opt("action", code::<Action>()),
    opt("decision", T::Text),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày vi phạm"),
    ("officer", "Cán bộ vi phạm"),
    ("description", "Nội dung vi phạm"),
    ("task", "Nhiệm vụ"),
    ("action", "Hình thức xử lý"),
    ("decision", "Số quyết định"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày vi phạm", "date"),
    ("Ngày phát hiện", "date"),
    ("Cán bộ", "officer"),
    ("Cán bộ vi phạm", "officer"),
    ("Người vi phạm", "officer"),
    ("Họ và tên", "officer"),
    ("Họ tên", "officer"),
    ("Nội dung vi phạm", "description"),
    ("Hành vi vi phạm", "description"),
    ("Nội dung", "description"),
    ("Mô tả", "description"),
    ("Nhiệm vụ", "task"),
    ("Hình thức xử lý", "action"),
    ("Hình thức kỷ luật", "action"),
    ("Xử lý", "action"),
    ("Quyết định", "decision"),
    ("Số quyết định", "decision"),
    ("Quyết định xử lý", "decision"),
    ("Quyết định kỷ luật", "decision"),
    ("Ghi chú", "note"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    pub officer: String,
    pub description: String,
    pub task: Option<String>,
    pub action: Option<Action>,
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
        (description, _),
        (task, _),
        (action, _),
        (decision, _),
        (note, _),
        ..,
    ] = &mut cells.values;
    let Some(date) = date.date() else {
        return Ok(());
    };
    records.violations.push(Violation {
        at,
        date,
        officer: officer.text(),
        description: description.text(),
        task: task.opt_text(),
        action: action.code(),
        decision: decision.opt_text(),
        note: note.opt_text(),
    });
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Box::new((records.violations.iter()).map(move |v| {
        vec![
            v.date.to_string(),
            v.officer.clone(),
            v.description.clone(),
            s(&v.task),
            v.action.map(|a| a.code().to_string()).unwrap_or_default(),
            s(&v.decision),
            s(&v.note),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.violations.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.violations.clear();
}
