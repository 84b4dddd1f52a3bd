//! Dossiers (`records/dossiers.csv`): one-stop dossiers, each told by one or more rows.
//!
//! A row is not a record: it gives facts about the dossier named in its first column, which
//! the reader merges into the dossier store ([`crate::records::dossier`]); the reader's memo
//! parses each distinct cell of a column once, and [`Fact::set`] puts it in its place.

use super::{ColType as T, Column, Memoed, Rows, Shape, Spec, Touched, opt, req};
use crate::findings::{Code, Finding};
use crate::messages::Msg;
use crate::plan::Plan;
use crate::records::codes::{Coded, Codes};
use crate::records::dossier::Fact;
use crate::records::{DossierRef, DossierStatus, Kind, Records, Submission};
use crate::text::match_key;

pub const SPEC: Spec = Spec {
    name: "dossiers",
    one: "dossier",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: IGNORED,
    shape: Shape::Facts {
        finish,
        known_facts,
    },
    to_cells,
    title: "Hồ sơ thủ tục hành chính",
    export_headers: EXPORT_HEADERS,
    reserve,
    id_prefix: "",
};

/// Most dossiers have one or two rows: room for a dossier per 96 bytes.
fn reserve(records: &mut Records, bytes: u64) {
    records.dossiers.reserve(bytes as usize / 96);
}

const COLUMNS: &[Column] = &[
    req("id", T::Text),
    opt("procedure", T::Procedure),
    opt("field", T::Text),
    opt("received", T::Date),
    opt("due", T::Date),
    opt("returned", T::Date),
    opt(
        "status",
        T::Code(Codes::of::<DossierStatus>().none_for(STATES_WITHOUT_STATUS)),
    ),
    opt("officer", T::Officer),
    opt("late_reason", T::Text),
    opt("apology", T::Date),
    opt("rescheduled", T::Date),
    opt("note", T::Text),
    opt("channel", T::Code(Codes::of::<Submission>())),
    opt("supplement", T::Date),
    opt("refusal_reason", T::Text),
];

/// One-stop systems write the state of a dossier in words; only withdrawn and stopped are a
/// status here, the rest (returned, in progress, early, late) follows from the dates.
const STATES_WITHOUT_STATUS: &[&str] = &[
    "da tra ket qua",
    "da giai quyet",
    "hoan thanh",
    "dang xu ly",
    "dang giai quyet",
    "cho xu ly",
    "da tiep nhan",
    "moi tiep nhan",
    "tre han",
    "qua han",
    "som han",
    "truoc han",
    "dung han",
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("id", "Mã hồ sơ"),
    ("procedure", "Tên thủ tục"),
    ("field", "Lĩnh vực"),
    ("received", "Ngày tiếp nhận"),
    ("due", "Ngày hẹn trả"),
    ("returned", "Ngày trả kết quả"),
    ("status", "Trạng thái"),
    ("officer", "Cán bộ xử lý"),
    ("late_reason", "Lý do trễ hạn"),
    ("apology", "Ngày xin lỗi"),
    ("rescheduled", "Ngày hẹn lại"),
    ("note", "Ghi chú"),
    ("channel", "Hình thức nộp"),
    ("supplement", "Ngày yêu cầu bổ sung"),
    ("refusal_reason", "Lý do từ chối"),
];

/// Vietnamese headers of the one-stop book (mẫu 06) and of province exports (see
/// [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Mã hồ sơ", "id"),
    ("Số hồ sơ", "id"),
    ("Mã số hồ sơ", "id"),
    ("MaHoSo", "id"),
    ("SoHoSo", "id"),
    ("Tên thủ tục", "procedure"),
    ("Tên thủ tục hành chính", "procedure"),
    ("Thủ tục hành chính", "procedure"),
    ("Thủ tục", "procedure"),
    ("Tên TTHC", "procedure"),
    ("TTHC", "procedure"),
    ("TenThuTuc", "procedure"),
    ("Lĩnh vực", "field"),
    ("Tên lĩnh vực", "field"),
    ("TenLinhVuc", "field"),
    ("Ngày tiếp nhận", "received"),
    ("Ngày tiếp nhận hồ sơ", "received"),
    ("Ngày nhận", "received"),
    ("Ngày nhận hồ sơ", "received"),
    ("Nhận hồ sơ", "received"),
    ("NgayTiepNhan", "received"),
    ("NgayNhan", "received"),
    ("Ngày hẹn trả", "due"),
    ("Ngày hẹn trả kết quả", "due"),
    ("Hẹn trả kết quả", "due"),
    ("Hạn xử lý", "due"),
    ("Hạn trả", "due"),
    ("Hạn trả kết quả", "due"),
    ("Hạn giải quyết", "due"),
    ("NgayHenTra", "due"),
    ("HenTra", "due"),
    ("Ngày trả kết quả", "returned"),
    ("Ngày trả", "returned"),
    ("Trả kết quả", "returned"),
    ("Ngày kết thúc", "returned"),
    ("NgayKetThucXuLy", "returned"),
    ("NgayKetThuc", "returned"),
    ("NgayTraKetQua", "returned"),
    ("Trạng thái", "status"),
    ("Trạng thái hồ sơ", "status"),
    ("Tình trạng", "status"),
    ("Cán bộ xử lý", "officer"),
    ("Người xử lý", "officer"),
    ("Cán bộ tiếp nhận", "officer"),
    ("Người tiếp nhận", "officer"),
    ("Cán bộ thụ lý", "officer"),
    ("Cán bộ", "officer"),
    ("Người thụ lý", "officer"),
    ("CanBoXuLy", "officer"),
    ("Lý do trễ hạn", "late_reason"),
    ("Lý do quá hạn", "late_reason"),
    ("Nguyên nhân quá hạn", "late_reason"),
    ("Ngày xin lỗi", "apology"),
    ("Phiếu xin lỗi", "apology"),
    ("Ngày phát hành phiếu xin lỗi", "apology"),
    ("Văn bản xin lỗi", "apology"),
    ("Ngày hẹn lại", "rescheduled"),
    ("Hẹn lại ngày trả", "rescheduled"),
    ("Hẹn lại ngày trả kết quả", "rescheduled"),
    ("Ghi chú", "note"),
    ("Hình thức nộp", "channel"),
    ("Hình thức nộp hồ sơ", "channel"),
    ("Hình thức tiếp nhận", "channel"),
    ("Kênh tiếp nhận", "channel"),
    ("Kênh nộp hồ sơ", "channel"),
    ("Ngày yêu cầu bổ sung", "supplement"),
    ("Yêu cầu bổ sung", "supplement"),
    ("Yêu cầu bổ sung hồ sơ", "supplement"),
    ("Ngày yêu cầu bổ sung hồ sơ", "supplement"),
    ("Phiếu yêu cầu bổ sung", "supplement"),
    ("Lý do từ chối", "refusal_reason"),
    ("Lý do từ chối giải quyết", "refusal_reason"),
    ("Lý do từ chối tiếp nhận", "refusal_reason"),
];

/// Columns of the one-stop book (mẫu 06) that dossiers do not keep.
const IGNORED: &[&str] = &[
    "Số lượng hồ sơ",
    "Số lượng hồ sơ (bộ)",
    "SoLuong",
    "Cơ quan chủ trì giải quyết",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
];

impl Fact<'_> {
    /// The columns a fact's cells come from (the reader's dossier path iterates over this
    /// constant, which lets the compiler see its length).
    pub(crate) const COLUMNS: &'static [Column] = COLUMNS;

    /// Puts a cell of column `column` (its place in the schema; the id is set by the reader)
    /// into the fact, with `col`, its 1-based column in the file.
    #[inline]
    pub(crate) fn set(&mut self, column: usize, value: Memoed, col: u32) {
        match (column, value) {
            (1, Memoed::Text(s)) => self.procedure = Some((s, col)),
            (2, Memoed::Text(s)) => self.field = Some((s, col)),
            (3, Memoed::Date(d)) => self.received = Some((d, col)),
            (4, Memoed::Date(d)) => self.due = Some((d, col)),
            (5, Memoed::Date(d)) => self.returned = Some((d, col)),
            (6, Memoed::Code(i)) => {
                if let Some(s) = DossierStatus::from_index(i) {
                    self.status = Some((s, col));
                }
            }
            (7, Memoed::Text(s)) => self.officer = Some((s, col)),
            (8, Memoed::Text(s)) => self.late_reason = Some((s, col)),
            (9, Memoed::Date(d)) => self.apology = Some((d, col)),
            (10, Memoed::Date(d)) => self.rescheduled = Some((d, col)),
            (11, Memoed::Text(s)) => self.note = Some((s, col)),
            (12, Memoed::Code(i)) => {
                if let Some(c) = Submission::from_index(i) {
                    self.channel = Some((c, col));
                }
            }
            (13, Memoed::Date(d)) => self.supplement = Some((d, col)),
            (14, Memoed::Text(s)) => self.refusal_reason = Some((s, col)),
            _ => {}
        }
    }
}

/// Checks that need all of a dossier's rows: it was opened, and it has an end date if it has a
/// status. (Dates out of order are found while merging, by the row that completes the pair.)
/// With `only`, just the dossiers of those ids.
fn finish(records: &Records, only: Option<&Touched>, findings: &mut Vec<Finding>) {
    match only {
        // A province's million dossiers in spans taken in turn by two threads, the findings
        // (few) in the store's order.
        None => {
            let spans = records.dossiers.spans(64 * 1024);
            let found = crate::par::in_turn(&spans, 2, |span| {
                let mut found = Vec::new();
                judge(records, records.dossiers.iter_span(span), &mut found);
                found
            });
            findings.extend(found.into_iter().flatten());
        }
        // The dossiers of earlier files looked up by id (a scan per id would be quadratic in an
        // import), then those the new rows opened.
        Some(touched) => judge(
            records,
            (touched.ids.iter())
                .filter_map(|id| records.dossiers.get(id))
                .chain((records.dossiers.iter()).filter(|d| d.opened().file == touched.file)),
            findings,
        ),
    }
}

/// [`finish`] for these dossiers.
fn judge<'r>(
    records: &Records,
    dossiers: impl Iterator<Item = DossierRef<'r>>,
    findings: &mut Vec<Finding>,
) {
    let place = |at, column: &str| records.location(Kind::Dossiers, at, column);
    for d in dossiers {
        let mut missing = Vec::new();
        if d.procedure.is_none() {
            missing.push("procedure");
        }
        if d.received.is_none() {
            missing.push("received");
        }
        if d.due.is_none() {
            missing.push("due");
        }
        if !missing.is_empty() {
            findings.push(Finding::new(
                Code::DossierIncomplete,
                place(d.opened(), missing[0]),
                Msg::DossierIncomplete {
                    id: d.id().to_string(),
                    missing,
                },
            ));
        }
        if d.status == Some(DossierStatus::Refused) && d.refusal_reason().is_none() {
            findings.push(Finding::new(
                Code::MissingValue,
                place(d.returned_at(), "refusal_reason"),
                Msg::RefusedWithoutReason {
                    id: d.id().to_string(),
                },
            ));
        }
        if let (Some(status), None) = (d.status, d.returned) {
            findings.push(Finding::new(
                Code::MissingValue,
                place(d.opened(), "returned"),
                Msg::StatusWithoutEnd {
                    id: d.id().to_string(),
                    status: status.code(),
                },
            ));
        }
    }
}

/// One row per dossier, in the order of the row that first named it, with every fact its rows
/// gave (its notes joined).
fn to_cells(records: &Records) -> Rows<'_> {
    let mut all: Vec<_> = records.dossiers.iter().collect();
    all.sort_by_key(|x| x.opened());
    Box::new(all.into_iter().map(|x| cells(&x)))
}

/// A dossier's facts as cells in schema order (a row of [`to_cells`]).
pub(crate) fn cells(x: &DossierRef<'_>) -> Vec<String> {
    let o = |o: Option<&str>| o.unwrap_or_default().to_string();
    let od = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    {
        {
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
                x.channel.map(|c| c.code().to_string()).unwrap_or_default(),
                od(x.supplement),
                o(x.refusal_reason()),
            ]
        }
    }
}

/// The facts of an imported dossier row already recorded, as bits: equal facts are known;
/// new ones are not, nor different ones (so that the shared check reports the conflict).
/// `None` when the dossier is not known.
fn known_facts<'c>(plan: &Plan, records: &Records, cell: &dyn Fn(usize) -> &'c str) -> Option<u64> {
    let known = records.dossiers.get(cell(0).trim())?;
    Some(
        (1..COLUMNS.len().min(64))
            .filter(|&i| {
                let cell = cell(i);
                !cell.is_empty() && known_fact(plan, &known, i, cell)
            })
            .fold(0, |mask, i| mask | 1 << i),
    )
}

/// Whether the dossier already has `cell` (as written by `import`: codes, ids, ISO dates) in
/// column `i`. Text is compared by [`match_key`] (case, spacing and tone placement do not
/// matter); a note already in the dossier's notes is not new either.
fn known_fact(plan: &Plan, known: &DossierRef<'_>, i: usize, cell: &str) -> bool {
    let text = |ours: Option<&str>| {
        ours.is_some_and(|ours| ours == cell || match_key(ours) == match_key(cell))
    };
    let date = |ours: Option<chrono::NaiveDate>| ours.is_some_and(|d| is_iso(d, cell));
    match COLUMNS.get(i).map(|c| c.name) {
        Some("procedure") => text(known.procedure()),
        Some("field") => text(known.field().or_else(|| {
            (known.procedure())
                .and_then(|p| plan.procedure(p))
                .map(|p| p.field.as_str())
        })),
        Some("received") => date(known.received),
        Some("due") => date(known.due),
        Some("returned") => date(known.returned),
        Some("status") => known.status.is_some_and(|s| s.code() == cell),
        Some("officer") => known.officer() == Some(cell),
        Some("late_reason") => text(known.late_reason()),
        Some("apology") => date(known.apology),
        Some("rescheduled") => date(known.rescheduled),
        Some("note") => (known.note()).is_some_and(|n| match_key(n).contains(&match_key(cell))),
        Some("channel") => known.channel.is_some_and(|c| c.code() == cell),
        Some("supplement") => date(known.supplement),
        Some("refusal_reason") => text(known.refusal_reason()),
        _ => false,
    }
}

/// Whether `cell` is `date` written as ISO (`2021-03-01`), as the date's `to_string` writes it.
fn is_iso(date: chrono::NaiveDate, cell: &str) -> bool {
    let b = cell.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            chrono::NaiveDate::from_ymd_opt(y as i32, m, d) == Some(date)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fact_columns_are_where_set_puts_them() {
        let names: Vec<_> = COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "id",
                "procedure",
                "field",
                "received",
                "due",
                "returned",
                "status",
                "officer",
                "late_reason",
                "apology",
                "rescheduled",
                "note",
                "channel",
                "supplement",
                "refusal_reason"
            ]
        );
    }
}
