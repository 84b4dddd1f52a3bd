//! Charts: the figures a reader would rather look at than read, kept as plain data in the report
//! context (`charts.on_time_rate`, `charts.activities`) and drawn as inline SVG by the
//! `svg_chart` filter (`{{ charts.on_time_rate | svg_chart }}`).
//!
//! The data is the same for every format: the HTML templates draw it, the DOCX templates set it
//! out as small tables, `--format json` prints it. Every text in the SVG (labels may come from
//! records, e.g. a dossier's field) is escaped here; numbers are written the Vietnamese way
//! (95,24%; 1.234). Which figures make the charts of a report is a step of building its
//! context ([`super::context`]).

use serde::{Deserialize, Serialize};
use tera::{Kwargs, State, Tera, Value};

use crate::text::{group_thousands, vi_decimal, vi_percent};

/// The charts of one report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Charts {
    /// The dossier on-time rate: per quarter in the year report, per officer in the officers
    /// report, per field (and all fields together) in the quarter and half-year reports.
    pub on_time_rate: Chart,
    /// Activities recorded per task: one bar per quarter for each task in the year report (the
    /// four quarters side by side), one bar per task in the quarter and half-year reports, one
    /// per officer in the officers report.
    pub activities: Chart,
}

/// One chart: rows of bars, one bar per series in each row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// "Tỷ lệ hồ sơ giải quyết đúng hạn theo lĩnh vực, quý III năm 2021".
    pub title: String,
    /// The heading of the label column when the chart is set out as a table: "Lĩnh vực",
    /// "Quý", "Nhiệm vụ", "Cán bộ, công chức".
    pub category: String,
    /// `percent` (values from 0 to 100) or `count`.
    pub unit: String,
    /// The series in legend order, one bar of each row per series: ["Quý I/2021", …].
    pub series: Vec<String>,
    pub rows: Vec<ChartRow>,
}

/// One row of a chart: its label and one value per series.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartRow {
    pub label: String,
    /// One value per series; `null` where there is nothing to measure (no dossier resolved).
    pub values: Vec<Option<f64>>,
    /// The values as the report writes them: "95,24%", "12", "–".
    pub texts: Vec<String>,
}

impl Chart {
    /// A chart with no rows yet; `unit` is `percent` or `count`.
    pub fn new(title: String, category: &str, unit: &str, series: Vec<String>) -> Chart {
        Chart {
            title,
            category: category.into(),
            unit: unit.into(),
            series,
            rows: Vec::new(),
        }
    }

    /// A row of this chart, its values written as the chart writes them.
    pub fn row(&self, label: String, values: Vec<Option<f64>>) -> ChartRow {
        let texts = values.iter().map(|v| self.format(*v)).collect();
        ChartRow {
            label,
            values,
            texts,
        }
    }

    /// A value as the report writes it.
    pub fn format(&self, value: Option<f64>) -> String {
        match value {
            None => "–".into(),
            Some(x) if self.unit == "percent" => vi_percent(x),
            Some(x) if x >= 0.0 && x.fract() == 0.0 => group_thousands(x as u64),
            Some(x) => vi_decimal(x),
        }
    }
}

/// Registers the `svg_chart` filter: a chart of the context in, inline SVG out (empty for a
/// chart without rows). The output is marked safe: every text in it is escaped here.
pub fn register(tera: &mut Tera) {
    tera.register_filter(
        "svg_chart",
        |v: &Value, _: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let chart = Chart::deserialize(v.clone())
                .map_err(|e| tera::Error::message(format!("svg_chart: not a chart ({e})")))?;
            Ok(Value::safe_string(&svg(&chart)))
        },
    );
}

/// Fills of the series, dark to light, so that they stay apart when printed in grey.
const FILLS: [&str; 6] = [
    "#1f3f6e", "#4a78b5", "#93b4dd", "#d3e0f0", "#6b6b6b", "#b0b0b0",
];

const WIDTH: f64 = 680.0;
const LABEL_RIGHT: f64 = 300.0;
const BAR_LEFT: f64 = 308.0;
const BAR_SPAN: f64 = 320.0;
const LABEL_CHARS: usize = 40;

/// The chart as an SVG element for inline use in HTML (no namespace declaration needed there):
/// horizontal bars, one group per row, the series side by side, values written after each bar.
pub fn svg(chart: &Chart) -> String {
    if chart.rows.is_empty() {
        return String::new();
    }
    let series = chart.series.len().max(1);
    let bar = if series == 1 { 20.0 } else { 10.0 };
    let group = series as f64 * bar + 8.0;
    let legend = if series > 1 { 28.0 } else { 0.0 };
    let top = legend + 6.0;
    let plot_h = group * chart.rows.len() as f64;
    let height = top + plot_h + 26.0;
    let percent = chart.unit == "percent";
    let max = if percent {
        100.0
    } else {
        nice_max(
            chart
                .rows
                .iter()
                .flat_map(|r| r.values.iter().flatten())
                .fold(0.0_f64, |a, &b| a.max(b)),
        )
    };
    let ticks: Vec<f64> = if percent {
        vec![0.0, 25.0, 50.0, 75.0, 100.0]
    } else {
        let step = tick_step(max);
        (0..)
            .map(|i| i as f64 * step)
            .take_while(|t| *t <= max + 1e-9)
            .collect()
    };
    let x = |v: f64| BAR_LEFT + (v.clamp(0.0, max) / max) * BAR_SPAN;
    let mut s = String::new();
    s.push_str(&format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\" font-family=\"'Times New Roman', 'Liberation Serif', Times, serif\" font-size=\"15\">",
        esc(&chart.title)
    ));
    s.push_str(&format!("<title>{}</title>", esc(&chart.title)));
    if series > 1 {
        // Centred over the chart; text widths estimated at 7.5 units a character.
        let item = |name: &String| 18.0 + 7.5 * name.chars().count() as f64 + 16.0;
        let total: f64 = chart.series.iter().map(item).sum::<f64>() - 16.0;
        let mut lx = ((WIDTH - total) / 2.0).max(0.0);
        for (i, name) in chart.series.iter().enumerate() {
            s.push_str(&format!(
                "<rect x=\"{lx:.1}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"#1f3f6e\" stroke-width=\"0.5\"/><text x=\"{:.1}\" y=\"18\">{}</text>",
                FILLS[i % FILLS.len()],
                lx + 18.0,
                esc(name)
            ));
            lx += item(name);
        }
    }
    // Grid and axis labels.
    for t in &ticks {
        let gx = x(*t);
        s.push_str(&format!(
            "<line x1=\"{gx:.1}\" y1=\"{top}\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"0.6\"/>",
            top + plot_h,
            if *t == 0.0 { "#000" } else { "#c8c8c8" }
        ));
        let label = if percent {
            format!("{}%", vi_decimal(*t))
        } else {
            group_thousands(*t as u64)
        };
        s.push_str(&format!(
            "<text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\">{}</text>",
            top + plot_h + 18.0,
            esc(&label)
        ));
    }
    for (i, row) in chart.rows.iter().enumerate() {
        let gy = top + group * i as f64 + 4.0;
        s.push_str(&format!("<g><title>{}</title>", esc(&row.label)));
        s.push_str(&format!(
            "<text x=\"{LABEL_RIGHT}\" y=\"{:.1}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>",
            gy + series as f64 * bar / 2.0,
            esc(&truncate(&row.label, LABEL_CHARS))
        ));
        for k in 0..series {
            let by = gy + k as f64 * bar;
            let value = row.values.get(k).copied().flatten();
            let text = row
                .texts
                .get(k)
                .cloned()
                .unwrap_or_else(|| chart.format(value));
            let end = match value {
                Some(v) => {
                    let w = x(v) - BAR_LEFT;
                    if w > 0.0 {
                        s.push_str(&format!(
                            "<rect x=\"{BAR_LEFT}\" y=\"{by:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#1f3f6e\" stroke-width=\"0.4\"/>",
                            bar - 1.0,
                            FILLS[k % FILLS.len()]
                        ));
                    }
                    BAR_LEFT + w
                }
                None => BAR_LEFT,
            };
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"central\" font-size=\"{}\">{}</text>",
                end + 4.0,
                by + (bar - 1.0) / 2.0,
                if series == 1 { 14 } else { 10 },
                esc(&text)
            ));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `v` (at least 1).
fn nice_max(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let mut base = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * base >= v {
                return m * base;
            }
        }
        base *= 10.0;
    }
}

/// A whole step giving at most six ticks from 0 to `max`.
fn tick_step(max: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if max / (m * step) <= 5.0 {
                return m * step;
            }
        }
        step *= 10.0;
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Escapes text for XML and HTML alike.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(unit: &str, series: &[&str], rows: &[(&str, &[Option<f64>])]) -> Chart {
        let mut c = Chart::new(
            "Biểu đồ <thử>".into(),
            "Lĩnh vực",
            unit,
            series.iter().map(|s| s.to_string()).collect(),
        );
        c.rows = rows
            .iter()
            .map(|(l, v)| c.row(l.to_string(), v.to_vec()))
            .collect();
        c
    }

    #[test]
    fn values_are_written_the_vietnamese_way() {
        let c = chart(
            "percent",
            &["Tỷ lệ"],
            &[("Hộ tịch", &[Some(95.238)]), ("Đất đai", &[None])],
        );
        assert_eq!(c.rows[0].texts, ["95,24%"]);
        assert_eq!(c.rows[1].texts, ["–"]);
        let svg = svg(&c);
        assert!(svg.contains(">95,24%<"), "{svg}");
        assert!(svg.contains(">100%<"));
        let c = chart("count", &["Quý I"], &[("a", &[Some(1234.0)])]);
        assert_eq!(c.rows[0].texts, ["1.234"]);
    }

    #[test]
    fn every_text_is_escaped() {
        let c = chart(
            "count",
            &["<b>Quý</b>", "Quý II"],
            &[("<script>alert(1)</script> & co", &[Some(3.0), Some(1.0)])],
        );
        let svg = svg(&c);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(svg.contains("Biểu đồ &lt;thử&gt;"));
    }

    #[test]
    fn an_empty_chart_draws_nothing() {
        assert_eq!(svg(&Chart::default()), "");
    }

    #[test]
    fn axes_are_round() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(100.0), 100.0);
        assert_eq!(tick_step(5.0), 1.0);
        assert_eq!(tick_step(20.0), 5.0);
        assert_eq!(tick_step(50.0), 10.0);
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abcdefgh", 5), "abcd…");
    }
}
