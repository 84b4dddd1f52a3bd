//! Activities (`records/activities.csv`): something done under a task of the plan.

use chrono::NaiveDate;

use super::{Cells, ColType as T, Column, Refs, Reject, Rows, Shape, Spec, code, opt, req};
use crate::findings::Code;
use crate::messages::Msg;
use crate::records::{ActivityKind, Records, RowRef, pack, part};

pub const SPEC: Spec = Spec {
    name: "activities",
    one: "activity",
    columns: COLUMNS,
    headers: HEADERS,
    ignored: &[],
    shape: Shape::Records {
        from_cells,
        ats,
        clear,
    },
    to_cells,
    title: "Hoạt động",
    export_headers: EXPORT_HEADERS,
    reserve,
    id_prefix: "HD",
};

/// Room for rows of at least 64 bytes.
fn reserve(records: &mut Records, bytes: u64) {
    records.activities.reserve(bytes as usize / 64);
}

const COLUMNS: &[Column] = &[
    req("date", T::Date),
    req("task", T::Task),
    req("kind", code::<ActivityKind>()),
    req("summary", T::Text),
    opt("officers", T::Officers),
    opt("evidence", T::Text),
    opt("deliverable", T::Deliverable),
    opt("participants", T::Count),
    opt("note", T::Text),
];

/// The headers `export` writes (see [`Spec::export_headers`]).
const EXPORT_HEADERS: &[(&str, &str)] = &[
    ("date", "Ngày thực hiện"),
    ("task", "Nhiệm vụ"),
    ("kind", "Loại hoạt động"),
    ("summary", "Nội dung hoạt động"),
    ("officers", "Người thực hiện"),
    ("evidence", "Hồ sơ lưu"),
    ("deliverable", "Sản phẩm"),
    ("participants", "Số người tham dự"),
    ("note", "Ghi chú"),
];

/// Vietnamese headers (see [`Spec::headers`]).
const HEADERS: &[(&str, &str)] = &[
    ("Ngày", "date"),
    ("Ngày thực hiện", "date"),
    ("Ngày tổ chức", "date"),
    ("Thời gian", "date"),
    ("Nhiệm vụ", "task"),
    ("Mã nhiệm vụ", "task"),
    ("Loại hoạt động", "kind"),
    ("Loại", "kind"),
    ("Hình thức", "kind"),
    ("Nội dung", "summary"),
    ("Tóm tắt", "summary"),
    ("Nội dung hoạt động", "summary"),
    ("Người thực hiện", "officers"),
    ("Cán bộ", "officers"),
    ("Cán bộ thực hiện", "officers"),
    ("Người phụ trách", "officers"),
    ("Hồ sơ lưu", "evidence"),
    ("Minh chứng", "evidence"),
    ("Biên bản", "evidence"),
    ("Sản phẩm", "deliverable"),
    ("Sản phẩm đầu ra", "deliverable"),
    ("Số người tham dự", "participants"),
    ("Số người tham gia", "participants"),
    ("Thành phần", "participants"),
    ("Ghi chú", "note"),
];

/// An activity. Its texts (task, summary, officers, evidence, deliverable, note) sit end to end
/// in one allocation: a province's year has a hundred thousand of these, and a `String` each
/// would take four times the memory.
#[derive(Debug, Clone)]
pub struct Activity {
    pub at: RowRef,
    pub date: NaiveDate,
    pub kind: ActivityKind,
    pub participants: Option<u32>,
    texts: Box<str>,
    /// Where each of the six texts ends in `texts` (officers joined by `;`).
    ends: [u32; 6],
}

/// The texts of a new [`Activity`].
#[derive(Debug, Default, Clone, Copy)]
pub struct ActivityTexts<'a> {
    pub task: &'a str,
    pub summary: &'a str,
    /// The officers' ids joined by `;`.
    pub officers: &'a str,
    pub evidence: Option<&'a str>,
    pub deliverable: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Activity {
    pub fn new(
        at: RowRef,
        date: NaiveDate,
        kind: ActivityKind,
        participants: Option<u32>,
        t: ActivityTexts<'_>,
    ) -> Activity {
        let (texts, ends) = pack([
            t.task,
            t.summary,
            t.officers,
            t.evidence.unwrap_or_default(),
            t.deliverable.unwrap_or_default(),
            t.note.unwrap_or_default(),
        ]);
        Activity {
            at,
            date,
            kind,
            participants,
            texts,
            ends,
        }
    }

    fn part(&self, i: usize) -> &str {
        part(&self.texts, &self.ends, i)
    }

    fn optional(&self, i: usize) -> Option<&str> {
        Some(self.part(i)).filter(|s| !s.is_empty())
    }

    pub fn task(&self) -> &str {
        self.part(0)
    }

    pub fn summary(&self) -> &str {
        self.part(1)
    }

    /// The officers' ids, in the order written.
    pub fn officers(&self) -> impl Iterator<Item = &str> + Clone {
        self.part(2).split(';').filter(|s| !s.is_empty())
    }

    pub fn evidence(&self) -> Option<&str> {
        self.optional(3)
    }

    pub fn deliverable(&self) -> Option<&str> {
        self.optional(4)
    }

    pub fn note(&self) -> Option<&str> {
        self.optional(5)
    }
}

/// An activity from its cells; its deliverable must be one of its task's.
fn from_cells(
    cells: &mut Cells<'_>,
    refs: &Refs<'_>,
    at: RowRef,
    records: &mut Records,
) -> Result<(), Reject> {
    let [
        (date, _),
        (task, _),
        (kind, _),
        (summary, _),
        (officers, _),
        (evidence, _),
        (deliverable, deliverable_col),
        (participants, _),
        (note, _),
        ..,
    ] = &mut cells.values;
    let (Some(date), Some(kind)) = (date.date(), kind.code::<ActivityKind>()) else {
        return Ok(());
    };
    let task = task.as_str().unwrap_or_default();
    if let Some(id) = deliverable.as_str() {
        let owner = refs.deliverable_task(id).unwrap_or_default();
        if owner != task {
            return Err(Reject {
                code: Code::UnknownDeliverable,
                column: *deliverable_col,
                msg: Msg::DeliverableOfOtherTask {
                    id: id.to_string(),
                    task: owner.into(),
                },
            });
        }
    }
    records.activities.push(Activity::new(
        at,
        date,
        kind,
        participants.count(),
        ActivityTexts {
            task,
            summary: summary.as_str().unwrap_or_default(),
            officers: officers.as_str().unwrap_or_default(),
            evidence: evidence.as_str(),
            deliverable: deliverable.as_str(),
            note: note.as_str(),
        },
    ));
    Ok(())
}

fn to_cells(records: &Records) -> Rows<'_> {
    Box::new((records.activities.iter()).map(move |a| {
        vec![
            a.date.to_string(),
            a.task().to_string(),
            a.kind.code().into(),
            a.summary().to_string(),
            a.officers().collect::<Vec<_>>().join(";"),
            a.evidence().unwrap_or_default().to_string(),
            a.deliverable().unwrap_or_default().to_string(),
            a.participants.map(|n| n.to_string()).unwrap_or_default(),
            a.note().unwrap_or_default().to_string(),
        ]
    }))
}

fn ats(records: &Records) -> Vec<RowRef> {
    records.activities.iter().map(|r| r.at).collect()
}

fn clear(records: &mut Records) {
    records.activities.clear();
}
