//! `report … --format xlsx`: each table of the report as a sheet of a workbook, for the clerk
//! who goes on in Excel (the province's forms, her own charts).
//!
//! Every sheet has the report's title in its first row and the period and the office under it,
//! then a frozen header row and the table: counts as numbers, dates as dates (dd/mm/yyyy), rates
//! as percentages (0.00%), columns as wide as their Vietnamese text. Text from the records that
//! Excel would take for a formula is neutralised ([`crate::spreadsheet`]). The sheets, in order:
//! the dossier statistics (Tổng hợp hồ sơ), by field, by procedure and by officer; the
//! activities, deliverables, violations, commendations and feedback of the period; the quarters
//! of a year report; the officers of an officers report; the shortcomings.

use anyhow::Result;

use super::context::{ReportContext, ReportKind};
use super::stats::{Counts, Keyed};
use crate::dates::Dmy;
use crate::plan::Plan;
use crate::spreadsheet::{Book, Value};

/// The workbook of a report.
pub fn write(plan: &Plan, report: &ReportContext<'_>) -> Result<Vec<u8>> {
    let doc = &report.document;
    let period = &report.period;
    let title = format!("{} {}", doc.doc_type, doc.title);
    let mut lines = vec![
        format!(
            "{}: {} (từ ngày {} đến ngày {})",
            doc.authority,
            period.label,
            Dmy(period.start),
            Dmy(period.end)
        ),
        format!(
            "Số liệu tính đến ngày {}{}",
            Dmy(report.generated.judged_at),
            if report.generated.provisional {
                " (bản tạm tính: kỳ báo cáo chưa kết thúc)"
            } else {
                ""
            }
        ),
    ];
    if report.generated.data_errors > 0 {
        lines.push(format!(
            "Lưu ý: dữ liệu còn {} lỗi chưa sửa; số liệu có thể chưa đầy đủ",
            report.generated.data_errors
        ));
    }
    let mut book = Book::new(&title, doc.date);
    let d = &report.dossiers;

    book.table(
        "Tổng hợp hồ sơ",
        &title,
        &lines,
        &["Chỉ tiêu", "Số hồ sơ"],
        summary_rows(&d.overall),
    )?;
    book.table(
        "Theo lĩnh vực",
        &title,
        &lines,
        &breakdown_header("Lĩnh vực", false),
        d.by_field.iter().map(|k| breakdown_row(k, false)),
    )?;
    book.table(
        "Theo thủ tục",
        &title,
        &lines,
        &breakdown_header("Tên thủ tục", true),
        d.by_procedure.iter().map(|k| breakdown_row(k, true)),
    )?;
    book.table(
        "Theo cán bộ",
        &title,
        &lines,
        &breakdown_header("Cán bộ", true),
        d.by_officer.iter().map(|k| breakdown_row(k, true)),
    )?;

    let officer = |id: &str| {
        plan.officer(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    let mut activities = Vec::new();
    let mut deliverables = Vec::new();
    for task in &report.tasks {
        for a in &task.activities.list {
            let a = a.activity;
            activities.push(vec![
                Value::from(task.id.as_str()),
                a.date.into(),
                a.kind.label().into(),
                a.summary().into(),
                a.officers()
                    .map(officer)
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
                a.evidence().into(),
                a.participants.map(u64::from).into(),
            ]);
        }
        for x in &task.deliverables {
            deliverables.push(vec![
                Value::from(task.id.as_str()),
                x.title.as_str().into(),
                x.due.into(),
                x.owner.as_deref().into(),
                x.status_label.into(),
                x.done_on.into(),
                x.evidence.as_deref().into(),
            ]);
        }
    }
    book.table(
        "Hoạt động",
        &title,
        &lines,
        &[
            "Nhiệm vụ",
            "Ngày",
            "Loại hoạt động",
            "Nội dung",
            "Người thực hiện",
            "Hồ sơ lưu",
            "Số người tham dự",
        ],
        activities,
    )?;
    book.table(
        "Sản phẩm",
        &title,
        &lines,
        &[
            "Nhiệm vụ",
            "Sản phẩm",
            "Hạn",
            "Người phụ trách",
            "Tình trạng",
            "Ngày hoàn thành",
            "Minh chứng",
        ],
        deliverables,
    )?;
    book.table(
        "Vi phạm",
        &title,
        &lines,
        &[
            "Ngày",
            "Cán bộ",
            "Nội dung vi phạm",
            "Hình thức xử lý",
            "Quyết định",
            "Tái phạm",
        ],
        report.violations.list.iter().map(|v| {
            vec![
                v.date.into(),
                v.officer_name.as_str().into(),
                v.description.as_str().into(),
                v.action_label.unwrap_or("Đang xem xét").into(),
                v.decision.as_deref().into(),
                if v.repeat { "Tái phạm" } else { "" }.into(),
            ]
        }),
    )?;
    book.table(
        "Khen thưởng",
        &title,
        &lines,
        &["Ngày", "Đối tượng", "Hình thức", "Lý do", "Quyết định"],
        report.commendations.list.iter().map(|c| {
            vec![
                c.date.into(),
                c.recipient_name.as_str().into(),
                c.form.as_str().into(),
                c.reason.as_deref().into(),
                c.decision.as_deref().into(),
            ]
        }),
    )?;
    let f = &report.feedback;
    let mut feedback = vec![vec![Value::from("Tổng số ý kiến"), f.total.into()]];
    for c in &f.by_channel {
        feedback.push(vec![format!("Kênh: {}", c.label).into(), c.count.into()]);
    }
    for r in &f.by_rating {
        feedback.push(vec![
            format!("Đánh giá: {}", r.label).into(),
            r.count.into(),
        ]);
    }
    feedback.push(vec!["Chưa đánh giá".into(), f.unrated.into()]);
    feedback.push(vec!["Đã trả lời, xử lý".into(), f.handled.into()]);
    feedback.push(vec!["Chưa trả lời, xử lý".into(), f.unhandled.into()]);
    feedback.push(vec![
        "Tỷ lệ hài lòng".into(),
        Value::Percent(f.satisfaction_rate),
    ]);
    book.table(
        "Ý kiến",
        &title,
        &lines,
        &["Chỉ tiêu", "Số lượng"],
        feedback,
    )?;
    if let Some(trend) = &report.trend {
        book.table(
            "Theo quý",
            &title,
            &lines,
            &[
                "Quý",
                "Hoạt động",
                "Hồ sơ tiếp nhận",
                "Đã giải quyết",
                "Tỷ lệ đúng hạn",
                "Quá hạn đang giải quyết",
                "Vi phạm",
                "Ý kiến",
            ],
            trend.iter().map(|q| {
                let label = if q.complete {
                    q.period.short_label.clone()
                } else {
                    format!("{} (chưa kết thúc)", q.period.short_label)
                };
                vec![
                    label.into(),
                    q.activities.into(),
                    q.dossiers_received.into(),
                    q.dossiers_resolved.into(),
                    Value::Percent(q.on_time_rate),
                    q.pending_overdue.into(),
                    q.violations.into(),
                    q.feedback.into(),
                ]
            }),
        )?;
    }
    if let (ReportKind::Officers, Some(officers)) = (report.kind, &report.officers) {
        book.table(
            "Cán bộ",
            &title,
            &lines,
            &[
                "Họ và tên",
                "Chức vụ",
                "Hoạt động",
                "Hồ sơ xử lý",
                "Đã giải quyết",
                "Quá hạn",
                "Tỷ lệ đúng hạn",
                "Vi phạm",
                "Hình thức xử lý cao nhất",
                "Khen thưởng",
                "Không xem xét thi đua",
            ],
            officers.iter().map(|o| {
                vec![
                    o.name.as_str().into(),
                    o.title.as_str().into(),
                    o.activities.into(),
                    o.dossiers_handled.into(),
                    o.dossiers_resolved.into(),
                    o.dossiers_late.into(),
                    Value::Percent(o.on_time_rate),
                    o.violations.len().into(),
                    o.strongest_action_label.into(),
                    o.commendations.len().into(),
                    if o.not_considered_for_emulation {
                        "Không xem xét"
                    } else {
                        ""
                    }
                    .into(),
                ]
            }),
        )?;
    }
    book.table(
        "Nguyên nhân trễ hạn",
        &title,
        &lines,
        &["Nguyên nhân trễ hạn", "Số hồ sơ"],
        d.late_reasons
            .iter()
            .map(|r| vec![Value::from(r.reason.as_str()), r.count.into()]),
    )?;
    book.table(
        "Tồn tại, hạn chế",
        &title,
        &lines,
        &["Tồn tại, hạn chế"],
        report
            .shortcomings
            .iter()
            .map(|s| vec![Value::from(s.as_str())]),
    )?;
    book.finish()
}

/// The statistics table as the report's section 2 lays it out (a rollup's too).
pub(crate) fn summary_rows(c: &Counts) -> Vec<Vec<Value<'static>>> {
    let row = |label: &'static str, n: u64| vec![Value::from(label), n.into()];
    vec![
        row("Tồn kỳ trước chuyển sang", c.carried_in),
        row("Tiếp nhận mới trong kỳ", c.received),
        row("Tổng số phải giải quyết", c.total),
        row("Đã giải quyết", c.resolved.total),
        row("– Trước hạn", c.resolved.early),
        row("– Đúng hạn", c.resolved.on_time),
        row("– Quá hạn", c.resolved.late),
        row("Rút hồ sơ, dừng giải quyết", c.ended_without_result),
        row("Đang giải quyết", c.pending.total),
        row("– Trong hạn", c.pending.in_time),
        row("– Quá hạn", c.pending.overdue),
        row("Trễ hạn không có lý do", c.late_without_reason),
        row("Trễ hạn chưa có văn bản xin lỗi", c.without_apology),
        vec![
            "Tỷ lệ giải quyết đúng hạn".into(),
            Value::Percent(c.on_time_rate),
        ],
        vec![
            "Tỷ lệ đúng hạn tính cả hồ sơ tồn".into(),
            Value::Percent(c.on_time_rate_backlog),
        ],
        row("Tiếp nhận mới: trực tiếp", c.received_by_channel.direct),
        row(
            "Tiếp nhận mới: qua dịch vụ bưu chính công ích",
            c.received_by_channel.postal,
        ),
        row("Tiếp nhận mới: trực tuyến", c.received_by_channel.online),
        row("– Trực tuyến toàn trình", c.received_by_channel.online_full),
        row(
            "– Trực tuyến một phần",
            c.received_by_channel.online_partial,
        ),
        row(
            "Tiếp nhận mới: chưa ghi hình thức nộp",
            c.received_by_channel.unknown,
        ),
        vec![
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến".into(),
            Value::Percent(c.online_share),
        ],
        row("Rút hồ sơ", c.withdrawn),
        row("Dừng giải quyết", c.stopped),
        row("Từ chối", c.refused),
        row(
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ đã phát hành",
            c.supplements,
        ),
        row("Văn bản xin lỗi đã phát hành", c.apologies),
    ]
}

fn breakdown_header(what: &'static str, with_key: bool) -> Vec<&'static str> {
    let mut h = Vec::new();
    if with_key {
        h.push("Mã");
    }
    h.extend([
        what,
        "Tồn kỳ trước",
        "Tiếp nhận mới",
        "Phải giải quyết",
        "Đã giải quyết",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Rút, dừng",
        "Đang giải quyết",
        "Trong hạn",
        "Quá hạn (đang giải quyết)",
        "Tỷ lệ đúng hạn",
    ]);
    h
}

fn breakdown_row(k: &Keyed, with_key: bool) -> Vec<Value<'_>> {
    let c = &k.counts;
    let mut row = Vec::new();
    if with_key {
        row.push(Value::from(k.key.as_str()));
    }
    row.extend([
        Value::from(k.name.as_str()),
        c.carried_in.into(),
        c.received.into(),
        c.total.into(),
        c.resolved.total.into(),
        c.resolved.early.into(),
        c.resolved.on_time.into(),
        c.resolved.late.into(),
        c.ended_without_result.into(),
        c.pending.total.into(),
        c.pending.in_time.into(),
        c.pending.overdue.into(),
        Value::Percent(c.on_time_rate),
    ]);
    row
}
