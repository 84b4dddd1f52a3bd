//! `rollup … --format xlsx`: the consolidated tables as sheets of a workbook, as
//! `report … --format xlsx` does for one commune ([`crate::spreadsheet`]): the dossier totals,
//! by field, the late reasons, one row per commune ranked, the other sums, and the communes
//! left out.

use anyhow::Result;

use super::RollupContext;
use crate::dates::Dmy;
use crate::spreadsheet::{Book, Value};

/// The workbook of a rollup.
pub fn write(r: &RollupContext) -> Result<Vec<u8>> {
    let doc = &r.document;
    let title = format!("{} {}", doc.doc_type, doc.title);
    let mut lines = vec![
        format!(
            "{}: {} (từ ngày {} đến ngày {})",
            doc.authority,
            r.period.label,
            Dmy(r.period.start),
            Dmy(r.period.end)
        ),
        format!(
            "Tổng hợp {}/{} xã, phường; số liệu tính đến ngày {}{}",
            r.communes.consolidated,
            r.communes.sources,
            Dmy(r.generated.judged_at),
            if r.generated.provisional {
                " (bản tạm tính: kỳ báo cáo chưa kết thúc)"
            } else {
                ""
            }
        ),
    ];
    if r.generated.data_errors > 0 {
        lines.push(format!(
            "Lưu ý: số liệu của một số xã, phường còn {} lỗi chưa sửa",
            r.generated.data_errors
        ));
    }
    let mut book = Book::new(&title, doc.date);
    book.table(
        "Tổng hợp hồ sơ",
        &title,
        &lines,
        &["Chỉ tiêu", "Số hồ sơ"],
        crate::report::xlsx::summary_rows(&r.dossiers.overall),
    )?;
    book.table(
        "Theo lĩnh vực",
        &title,
        &lines,
        &[
            "Lĩnh vực",
            "Phải giải quyết",
            "Đã giải quyết",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Đang giải quyết",
            "Tỷ lệ đúng hạn",
        ],
        r.dossiers.by_field.iter().map(|f| {
            let c = &f.counts;
            vec![
                Value::from(f.name.as_str()),
                c.total.into(),
                c.resolved.total.into(),
                c.resolved.early.into(),
                c.resolved.on_time.into(),
                c.resolved.late.into(),
                c.pending.total.into(),
                Value::Percent(c.on_time_rate),
            ]
        }),
    )?;
    book.table(
        "Nguyên nhân trễ hạn",
        &title,
        &lines,
        &["Nguyên nhân trễ hạn", "Số hồ sơ"],
        r.dossiers
            .late_reasons
            .iter()
            .map(|x| vec![Value::from(x.reason.as_str()), x.count.into()]),
    )?;
    book.table(
        "Từng xã, phường",
        &title,
        &lines,
        &[
            "TT",
            "Xã, phường",
            "Tiếp nhận mới",
            "Đã giải quyết",
            "Tỷ lệ đúng hạn",
            "Trễ hạn",
            "Vi phạm",
            "Kỳ nhiệm vụ chưa thực hiện",
            "Lỗi dữ liệu",
        ],
        r.members.iter().map(|m| {
            vec![
                (m.rank as u64).into(),
                Value::from(m.name.as_str()),
                m.received.into(),
                m.resolved.into(),
                Value::Percent(m.on_time_rate),
                m.overdue.into(),
                m.violations.into(),
                m.missed_duties.into(),
                m.data_errors.into(),
            ]
        }),
    )?;
    let count = |label: &'static str, n: u64| vec![Value::from(label), n.into()];
    let mut other = vec![
        count("Vi phạm", r.violations.total),
        count("– Bị xử lý kỷ luật", r.violations.formal_discipline),
        count("– Tái phạm", r.violations.repeats),
        count("– Đang xem xét xử lý", r.violations.pending),
    ];
    other.extend(
        r.violations
            .by_action
            .iter()
            .map(|k| vec![Value::from(format!("– {}", k.label)), k.count.into()]),
    );
    other.extend([
        count("Khen thưởng", r.commendations.total),
        count("Ý kiến của tổ chức, công dân", r.feedback.total),
        count("– Đã trả lời", r.feedback.handled),
        count("– Chưa trả lời", r.feedback.unhandled),
        vec![
            "– Tỷ lệ hài lòng".into(),
            Value::Percent(r.feedback.satisfaction_rate),
        ],
        count("Kỳ nhiệm vụ định kỳ đã thực hiện", r.duties.met),
        count("Kỳ nhiệm vụ định kỳ chưa thực hiện", r.duties.missed),
        count("Kỳ nhiệm vụ định kỳ chưa kết thúc", r.duties.open),
        count("Kỳ không có ngày làm việc", r.duties.waived),
    ]);
    book.table(
        "Vi phạm, khen thưởng, góp ý",
        &title,
        &lines,
        &["Chỉ tiêu", "Số lượng"],
        other,
    )?;
    book.table(
        "Chưa tổng hợp",
        &title,
        &lines,
        &["Xã, phường", "Nguồn", "Lý do"],
        r.left_out.iter().map(|l| {
            vec![
                Value::from(l.name.as_str()),
                Value::from(l.source.as_str()),
                Value::from(l.reason_text.as_str()),
            ]
        }),
    )?;
    book.finish()
}
