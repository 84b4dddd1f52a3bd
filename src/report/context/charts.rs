//! The charts step of building a report's context: which figures of the rest of the context
//! are drawn, with what titles. The chart model and its drawing are in [`crate::report::charts`].

use super::{ReportContext, TrendRow};
use crate::report::charts::{Chart, Charts};
use crate::text::vi_letter;

/// The charts of a report, from the rest of its context.
pub fn build(r: &ReportContext) -> Charts {
    let period = lower_first(&r.period.label);
    let task_label = |i: usize, title: &str| {
        format!(
            "{}) {}",
            vi_letter(i as u64 + 1),
            title.trim_end_matches([':', '.', ' '])
        )
    };
    if let Some(officers) = &r.officers {
        let mut on_time = Chart::new(
            format!("Tỷ lệ hồ sơ giải quyết đúng hạn theo cán bộ, công chức, {period}"),
            "Cán bộ, công chức",
            "percent",
            vec!["Tỷ lệ đúng hạn".to_string()],
        );
        on_time.rows = officers
            .iter()
            .filter(|o| o.dossiers_resolved > 0)
            .map(|o| on_time.row(o.name.clone(), vec![o.on_time_rate]))
            .collect();
        let mut activities = Chart::new(
            format!("Số hoạt động tham gia theo cán bộ, công chức, {period}"),
            "Cán bộ, công chức",
            "count",
            vec!["Hoạt động".to_string()],
        );
        activities.rows = officers
            .iter()
            .map(|o| activities.row(o.name.clone(), vec![Some(o.activities as f64)]))
            .collect();
        return Charts {
            on_time_rate: on_time,
            activities,
        };
    }
    if let Some(trend) = &r.trend {
        let quarter = |q: &TrendRow| {
            if q.complete {
                q.period.short_label.clone()
            } else {
                format!("{} (chưa kết thúc)", q.period.short_label)
            }
        };
        let mut on_time = Chart::new(
            format!("Tỷ lệ hồ sơ giải quyết đúng hạn theo quý, {period}"),
            "Quý",
            "percent",
            vec!["Tỷ lệ đúng hạn".to_string()],
        );
        on_time.rows = trend
            .iter()
            .map(|q| on_time.row(quarter(q), vec![q.on_time_rate]))
            .collect();
        let mut activities = Chart::new(
            format!("Số hoạt động theo nhiệm vụ và theo quý, {period}"),
            "Nhiệm vụ",
            "count",
            trend.iter().map(quarter).collect(),
        );
        activities.rows = r
            .tasks
            .iter()
            .enumerate()
            .map(|(i, task)| {
                let values = trend
                    .iter()
                    .map(|q| {
                        let n = q
                            .activities_by_task
                            .iter()
                            .find(|c| c.task == task.id)
                            .map_or(0, |c| c.count);
                        Some(n as f64)
                    })
                    .collect();
                activities.row(task_label(i, &task.title), values)
            })
            .collect();
        return Charts {
            on_time_rate: on_time,
            activities,
        };
    }
    let mut on_time = Chart::new(
        format!("Tỷ lệ hồ sơ giải quyết đúng hạn theo lĩnh vực, {period}"),
        "Lĩnh vực",
        "percent",
        vec!["Tỷ lệ đúng hạn".to_string()],
    );
    on_time.rows = r
        .dossiers
        .by_field
        .iter()
        .filter(|f| f.counts.total > 0)
        .map(|f| on_time.row(f.name.clone(), vec![f.counts.on_time_rate]))
        .collect();
    if on_time.rows.len() > 1 {
        let all = on_time.row(
            "Chung các lĩnh vực".into(),
            vec![r.dossiers.overall.on_time_rate],
        );
        on_time.rows.push(all);
    }
    let mut activities = Chart::new(
        format!("Số hoạt động theo nhiệm vụ, {period}"),
        "Nhiệm vụ",
        "count",
        vec![r.period.short_label.clone()],
    );
    activities.rows = r
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            activities.row(
                task_label(i, &task.title),
                vec![Some(task.activities.total as f64)],
            )
        })
        .collect();
    Charts {
        on_time_rate: on_time,
        activities,
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
