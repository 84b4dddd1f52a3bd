//! The sentences of the official reports a Chairman signs (Vietnamese only: reports are
//! documents of a Vietnamese commune). Names, never the tool's ids: "Đỗ Thị Lan", not
//! "Đỗ Thị Lan (dc2)"; the ids stay in the data (`findings`, JSON).

use chrono::NaiveDate;

use crate::dates::Dmy;
use crate::records::codes::ActivityKind;
use crate::text::group_thousands;

/// "Tồn tại, hạn chế": an officer who has registered no commitment.
pub fn commitment_missing(name: &str, due: NaiveDate) -> String {
    format!(
        "{name} chưa đăng ký nội dung thực hiện, cam kết (hạn {}).",
        Dmy(due)
    )
}

/// "Tồn tại, hạn chế": an officer who registered the commitments late.
pub fn commitment_late(name: &str, on: NaiveDate, due: NaiveDate) -> String {
    format!(
        "{name} đăng ký nội dung thực hiện, cam kết muộn (ngày {}, hạn {}).",
        Dmy(on),
        Dmy(due)
    )
}

/// "Tồn tại, hạn chế": an officer's second violation in the year.
pub fn repeat_violation(name: &str, first: NaiveDate, year: i32) -> String {
    format!(
        "{name} vi phạm lần thứ hai trong năm {year} (lần đầu ngày {}), là trường hợp tái phạm phải xử lý nghiêm.",
        Dmy(first)
    )
}

/// Routine activities of one kind summed up: "Tiếp công dân: 50 buổi, 110 lượt công dân";
/// "Hội nghị, cuộc họp: 12 lần, 240 lượt người tham dự".
pub fn routine(kind: ActivityKind, count: usize, participants: u64) -> String {
    let (times, people) = match kind {
        ActivityKind::Reception => ("buổi", "lượt công dân"),
        _ => ("lần", "lượt người tham dự"),
    };
    let mut text = format!(
        "{}: {} {times}",
        kind.label(),
        group_thousands(count as u64)
    );
    if participants > 0 {
        text.push_str(&format!(", {} {people}", group_thousands(participants)));
    }
    text
}
