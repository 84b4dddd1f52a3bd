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

/// "Tồn tại, hạn chế": an officer not rated by the plan's date (W320).
pub fn rating_missing(name: &str, year: i32, due: NaiveDate) -> String {
    format!(
        "{name} chưa được đánh giá, xếp loại chất lượng năm {year} (hạn {}).",
        Dmy(due)
    )
}

/// "Tồn tại, hạn chế": an officer's commitments not judged by the rating's date (W321).
pub fn commitments_unjudged(name: &str, count: usize, due: NaiveDate) -> String {
    format!(
        "{name} có {count} nội dung đã đăng ký, cam kết chưa được đánh giá kết quả thực hiện (hạn {}).",
        Dmy(due)
    )
}

/// "Tồn tại, hạn chế": an officer disciplined in the year rated above "Không hoàn thành
/// nhiệm vụ" (W322).
pub fn rating_above_discipline(
    name: &str,
    year: i32,
    level: &str,
    action: &str,
    date: NaiveDate,
) -> String {
    format!(
        "{name} bị xử lý kỷ luật bằng hình thức {} (vi phạm ngày {}) nhưng được xếp loại năm {year} là “{level}”, trái với quy định xếp loại không hoàn thành nhiệm vụ đối với cán bộ, công chức bị xử lý kỷ luật trong năm đánh giá.",
        action.to_lowercase(),
        Dmy(date)
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

/// An occurrence's window: "từ 01/12/2021 đến 14/12/2021".
pub fn window(from: NaiveDate, by: NaiveDate) -> String {
    format!("từ {} đến {}", Dmy(from), Dmy(by))
}

/// Where a named occurrence of a duty stands at T (see `report::context::OccurrenceInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceSays {
    /// Done `min` times: on these days.
    Done,
    /// Its window is over and it was done fewer times than asked.
    Missed,
    /// Its window has not begun at T.
    NotYet,
    /// Its window is running at T.
    Running,
    /// Its window has no working day.
    Waived,
}

/// A named occurrence of a duty in a report: "Phát động thi đua đầu năm (từ 01/01/2021 đến
/// 31/03/2021): đã thực hiện ngày 20/01/2021, 16/03/2021"; "Tổng kết thi đua cuối năm (từ
/// 01/12/2021 đến 14/12/2021): chưa đến hạn".
pub fn occurrence(
    name: &str,
    (from, by): (NaiveDate, NaiveDate),
    says: OccurrenceSays,
    dates: &[NaiveDate],
    min: u32,
) -> String {
    let days = dates
        .iter()
        .map(|d| Dmy(*d).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let done = dates.len();
    let status = match says {
        OccurrenceSays::Done => format!("đã thực hiện ngày {days}"),
        OccurrenceSays::Missed if done == 0 => "không thực hiện trong thời hạn".to_string(),
        OccurrenceSays::Missed => {
            format!("chỉ thực hiện {done}/{min} lần trong thời hạn (ngày {days})")
        }
        OccurrenceSays::NotYet => "chưa đến hạn".to_string(),
        OccurrenceSays::Running if done == 0 => {
            format!("đang trong thời hạn, chưa thực hiện (hạn {})", Dmy(by))
        }
        OccurrenceSays::Running => format!(
            "đang trong thời hạn, đã thực hiện {done}/{min} lần (ngày {days}; hạn {})",
            Dmy(by)
        ),
        OccurrenceSays::Waived => "thời hạn không có ngày làm việc, không tính".to_string(),
    };
    format!("{name} ({}): {status}", window(from, by))
}

/// "Tồn tại, hạn chế": a named occurrence of a duty not done in its window (closed: "không",
/// not "chưa", which would say it may still be done), or done fewer times than required.
pub fn occurrence_missed(
    title: &str,
    task: &str,
    name: &str,
    (from, by): (NaiveDate, NaiveDate),
    (found, min): (u32, u32),
) -> String {
    let done = match found {
        0 => "không được thực hiện".to_string(),
        _ => format!("chỉ thực hiện {found}/{min} lần"),
    };
    format!(
        "“{title}” (nhiệm vụ {task}): {} {done} trong thời hạn {}.",
        lower_first(name),
        window(from, by)
    )
}

/// "Tổng kết …" → "tổng kết …" (inside a sentence).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed window: not done at all is "không được thực hiện" (never "chưa", not yet);
    /// done too few times says how many of how many.
    #[test]
    fn a_missed_occurrence_says_whether_it_was_done_at_all() {
        let d = |m, d| NaiveDate::from_ymd_opt(2021, m, d).unwrap();
        let said = |found| {
            occurrence_missed(
                "Phát động thi đua",
                "7",
                "Tổng kết thi đua cuối năm",
                (d(12, 1), d(12, 14)),
                (found, 2),
            )
        };
        assert_eq!(
            said(0),
            "“Phát động thi đua” (nhiệm vụ 7): tổng kết thi đua cuối năm không được thực hiện trong thời hạn từ 01/12/2021 đến 14/12/2021."
        );
        assert_eq!(
            said(1),
            "“Phát động thi đua” (nhiệm vụ 7): tổng kết thi đua cuối năm chỉ thực hiện 1/2 lần trong thời hạn từ 01/12/2021 đến 14/12/2021."
        );
    }
}
