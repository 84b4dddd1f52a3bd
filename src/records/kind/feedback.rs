//! Feedback (`records/feedback.csv`): what citizens said about the office, and when it was
//! answered.

use chrono::NaiveDate;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::findings::Code;
use crate::messages::Msg;
use crate::records::{Channel, Rating, Records, RowRef, pack, part};

pub const SPEC: Spec = Spec {
    name: "feedback",
    one: "feedback",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: IGNORED,
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Ý kiến tổ chức, công dân",
    export_headers: EXPORT_HEADERS,
    reserve,
    id_prefix: "GY",
};

/// Room for rows of at least 64 bytes.
fn reserve(records: &mut Records, bytes: u64) {
    records.feedback.reserve(bytes as usize / 64);
}

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("channel", code::<Channel>()),
    opt("rating", code::<Rating>()),
    opt("officer", T::Officer),
    opt("summary", T::Text),
    opt("handled", T::Date),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày tiếp nhận"),
    ("channel", "Kênh tiếp nhận"),
    ("rating", "Mức độ hài lòng"),
    ("officer", "Cán bộ liên quan"),
    ("summary", "Nội dung phản ánh"),
    ("handled", "Ngày xử lý"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày nhận", "date"),
    ("Ngày tiếp nhận", "date"),
    ("Ngày phản ánh", "date"),
    ("Ngày góp ý", "date"),
    ("Kênh", "channel"),
    ("Kênh tiếp nhận", "channel"),
    ("Hình thức", "channel"),
    ("Hình thức tiếp nhận", "channel"),
    ("Mức độ hài lòng", "rating"),
    ("Đánh giá", "rating"),
    ("Kết quả đánh giá", "rating"),
    ("Cán bộ", "officer"),
    ("Cán bộ liên quan", "officer"),
    ("Cán bộ được đánh giá", "officer"),
    ("Cán bộ bị phản ánh", "officer"),
    ("Nội dung", "summary"),
    ("Tóm tắt", "summary"),
    ("Nội dung phản ánh", "summary"),
    ("Nội dung góp ý", "summary"),
    ("Nội dung phản ánh, kiến nghị", "summary"),
    ("Ngày xử lý", "handled"),
    ("Ngày trả lời", "handled"),
    ("Ngày giải quyết", "handled"),
    ("Ghi chú", "note"),
];

/// Who gave the feedback: personal data, not kept.
const IGNORED: &[&str] = &[
    "Người phản ánh",
    "Người góp ý",
    "Họ tên người phản ánh",
    "Họ tên người góp ý",
];

/// A citizen's feedback. Its texts (officer, summary, note) sit end to end in one allocation,
/// as an activity's do.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub at: RowRef,
    pub date: NaiveDate,
    pub channel: Channel,
    pub rating: Option<Rating>,
    pub handled: Option<NaiveDate>,
    texts: Box<str>,
    /// Where the officer, the summary and the note end in `texts`.
    ends: [u32; 3],
}

/// The texts of a new [`Feedback`]: `None` or not empty.
#[derive(Debug, Default, Clone, Copy)]
pub struct FeedbackTexts<'a> {
    pub officer: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Feedback {
    pub fn new(
        at: RowRef,
        date: NaiveDate,
        channel: Channel,
        rating: Option<Rating>,
        handled: Option<NaiveDate>,
        t: FeedbackTexts<'_>,
    ) -> Feedback {
        let (texts, ends) = pack([t.officer, t.summary, t.note].map(Option::unwrap_or_default));
        Feedback {
            at,
            date,
            channel,
            rating,
            handled,
            texts,
            ends,
        }
    }

    fn optional(&self, i: usize) -> Option<&str> {
        Some(part(&self.texts, &self.ends, i)).filter(|s| !s.is_empty())
    }

    pub fn officer(&self) -> Option<&str> {
        self.optional(0)
    }

    pub fn summary(&self) -> Option<&str> {
        self.optional(1)
    }

    pub fn note(&self) -> Option<&str> {
        self.optional(2)
    }
}

/// Feedback from its cells; it cannot be handled before it came.
fn from_cells(
    cells: &mut Cells<'_>,
    _: &Refs<'_>,
    at: RowRef,
    records: &mut Records,
) -> Result<(), Reject> {
    let [
        (date, _),
        (channel, _),
        (rating, _),
        (officer, _),
        (summary, _),
        (handled, handled_col),
        (note, _),
        ..,
    ] = &mut cells.values;
    let handled = handled.date();
    let (Some(date), Some(channel)) = (date.date(), channel.code::<Channel>()) else {
        return Ok(());
    };
    if let Some(h) = handled
        && h < date
    {
        return Err(Reject {
            code: Code::DateOrder,
            column: *handled_col,
            msg: Msg::DateBefore {
                what: "handled",
                date: h,
                other: "date",
                other_date: date,
            },
        });
    }
    records.feedback.push(Feedback::new(
        at,
        date,
        channel,
        rating.code(),
        handled,
        FeedbackTexts {
            officer: officer.as_str(),
            summary: summary.as_str(),
            note: note.as_str(),
        },
    ));
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    Box::new((records.feedback.iter()).map(move |f| {
        vec![
            f.date.to_string(),
            f.channel.code().into(),
            f.rating.map(|r| r.code().to_string()).unwrap_or_default(),
            f.officer().unwrap_or_default().to_string(),
            f.summary().unwrap_or_default().to_string(),
            f.handled.map(|d| d.to_string()).unwrap_or_default(),
            f.note().unwrap_or_default().to_string(),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.feedback.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.feedback.clear();
}
