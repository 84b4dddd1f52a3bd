//! Reporting lapses (`records/lapses.csv`): a unit or an officer that did not make a report the
//! reporting regime asks of them, or made it wrongly (late, incomplete, wrong figures): task 10
//! of the plan, "các trường hợp không thực hiện hoặc thực hiện không đúng" chế độ thông tin báo
//! cáo, which Văn phòng - Thống kê sums up each quarter.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::findings::Code;
use crate::messages::Msg;
use crate::records::{Lapse, Records, RowRef};

pub const SPEC: Spec = Spec {
    name: "lapses",
    one: "lapse",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Vi phạm chế độ báo cáo",
    export_headers: EXPORT_HEADERS,
    reserve: super::no_room,
    id_prefix: "BC",
};

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    opt("unit", T::Text),
    opt("officer", T::Officer),
    req("report", T::Text),
    opt("period", T::Text),
    req("lapse", code::<Lapse>()),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày ghi nhận"),
    ("unit", "Bộ phận"),
    ("officer", "Cán bộ, công chức"),
    ("report", "Báo cáo"),
    ("period", "Kỳ báo cáo"),
    ("lapse", "Trường hợp"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày ghi nhận", "date"),
    ("Bộ phận", "unit"),
    ("Đơn vị", "unit"),
    ("Cán bộ", "officer"),
    ("Cán bộ, công chức", "officer"),
    ("Họ và tên", "officer"),
    ("Họ tên", "officer"),
    ("Báo cáo", "report"),
    ("Tên báo cáo", "report"),
    ("Kỳ báo cáo", "period"),
    ("Kỳ", "period"),
    ("Trường hợp", "lapse"),
    ("Hình thức vi phạm", "lapse"),
    ("Vi phạm", "lapse"),
    ("Ghi chú", "note"),
];

#[derive(Debug, Clone, Serialize)]
pub struct ReportingLapse {
    #[serde(skip)]
    pub at: RowRef,
    pub date: NaiveDate,
    /// A unit id of the plan, when the lapse is a unit's.
    pub unit: Option<String>,
    /// An officer id, when the lapse is an officer's (with or without their unit).
    pub officer: Option<String>,
    /// Which report: "Báo cáo kết quả giải quyết TTHC tháng 5/2021".
    pub report: String,
    /// The period it covers, as written: "Quý II/2021".
    pub period: Option<String>,
    pub lapse: Lapse,
    pub note: Option<String>,
}

fn from_cells(
    cells: &mut Cells<'_>,
    refs: &Refs<'_>,
    at: RowRef,
    records: &mut Records,
) -> Result<(), Reject> {
    let [
        (date, _),
        (unit, unit_col),
        (officer, officer_col),
        (report, _),
        (period, _),
        (lapse, _),
        (note, _),
        ..,
    ] = &mut cells.values;
    let (Some(date), Some(lapse)) = (date.date(), lapse.code::<Lapse>()) else {
        return Ok(());
    };
    let (unit, officer) = (unit.opt_text(), officer.opt_text());
    if let Some(id) = &unit
        && !(refs.plan.units.iter()).any(|u| u.id.get_ref() == id)
    {
        return Err(Reject {
            code: Code::UnknownOfficer,
            column: *unit_col,
            msg: Msg::UnknownUnit { id: id.clone() },
        });
    }
    if unit.is_none() && officer.is_none() {
        return Err(Reject {
            code: Code::MissingValue,
            column: (*unit_col).max(*officer_col),
            msg: Msg::LapseOfNobody,
        });
    }
    records.lapses.push(ReportingLapse {
        at,
        date,
        unit,
        officer,
        report: report.text(),
        period: period.opt_text(),
        lapse,
        note: note.opt_text(),
    });
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Box::new((records.lapses.iter()).map(move |l| {
        vec![
            l.date.to_string(),
            s(&l.unit),
            s(&l.officer),
            l.report.clone(),
            s(&l.period),
            l.lapse.code().to_string(),
            s(&l.note),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.lapses.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.lapses.clear();
}
