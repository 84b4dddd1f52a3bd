//! Commendations (`records/commendations.csv`): a reward to an officer or a collective.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, opt, req};
use crate::records::{Records, RowRef};

pub const SPEC: Spec = Spec {
    name: "commendations",
    one: "commendation",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Khen thưởng",
    export_headers: EXPORT_HEADERS,
    reserve: super::no_room,
    id_prefix: "KT",
};

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("recipient", T::Recipient),
    req("form", T::Text),
    opt("reason", T::Text),
    opt("decision", T::Text),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày khen thưởng"),
    ("recipient", "Đối tượng khen thưởng"),
    ("form", "Hình thức khen thưởng"),
    ("reason", "Lý do khen thưởng"),
    ("decision", "Số quyết định"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày khen thưởng", "date"),
    ("Ngày quyết định", "date"),
    ("Người được khen", "recipient"),
    ("Đối tượng", "recipient"),
    ("Đối tượng khen thưởng", "recipient"),
    ("Tập thể, cá nhân", "recipient"),
    ("Cá nhân, tập thể", "recipient"),
    ("Họ và tên", "recipient"),
    ("Họ tên", "recipient"),
    ("Hình thức", "form"),
    ("Hình thức khen thưởng", "form"),
    ("Danh hiệu", "form"),
    ("Lý do", "reason"),
    ("Lý do khen thưởng", "reason"),
    ("Thành tích", "reason"),
    ("Quyết định", "decision"),
    ("Số quyết định", "decision"),
    ("Quyết định khen thưởng", "decision"),
    ("Ghi chú", "note"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Commendation {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    /// An officer id, or the name of a collective.
    pub recipient: String,
    pub form: String,
    pub reason: Option<String>,
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
        (recipient, _),
        (form, _),
        (reason, _),
        (decision, _),
        (note, _),
        ..,
    ] = &mut cells.values;
    let Some(date) = date.date() else {
        return Ok(());
    };
    records.commendations.push(Commendation {
        at,
        date,
        recipient: recipient.text(),
        form: form.text(),
        reason: reason.opt_text(),
        decision: decision.opt_text(),
        note: note.opt_text(),
    });
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Box::new((records.commendations.iter()).map(move |c| {
        vec![
            c.date.to_string(),
            c.recipient.clone(),
            c.form.clone(),
            s(&c.reason),
            s(&c.decision),
            s(&c.note),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.commendations.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.commendations.clear();
}
