//! What a template renders: the report context as template data ([`Data`]) and the filters.
//! The templates themselves are loaded in [`super::templates`].
//!
//! Filters any template can use: `nd30_date` ("ngày 05 tháng 3 năm 2021"), `dmy` (05/03/2021),
//! `num` (1.234), `pct` (95,24%, 95,10%: always two decimals), `roman` (IV), `vi_letter` (1 → a, 5 → đ), `lower_first`,
//! `upper_first`, `svg_chart` (a chart of `charts` as inline SVG, see `charts.rs`).
//! The escaping of values printed into Markdown is [`escape_markdown`].

use anyhow::{Context as _, Result};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::context::ReportContext;
use crate::messages::Lang;
use crate::text::{group_thousands, vi_decimal, vi_letter};

/// The report context as template data: turned into Tera's values once, for as many templates
/// as a format renders.
pub struct Data(pub(super) tera::Context);

impl Data {
    /// Any serialisable context as template data (the rollup's).
    pub fn of_serializable(value: &impl serde::Serialize) -> Result<Data> {
        tera::Context::from_serialize(value)
            .map(Data)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// The report context as template data (bounded by the plan: at most 60 activities a task
    /// and 20 findings a code become values).
    pub fn of(lang: Lang, report: &ReportContext) -> Result<Data> {
        tera::Context::from_serialize(report)
            .map(Data)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context(
                lang.pick(
                    "chuyển dữ liệu báo cáo cho mẫu",
                    "turning the report context into template data",
                )
                .to_string(),
            )
    }
}

/// The escaping of every value printed into a Markdown (`.md`) template, wherever the template
/// puts it (a table cell, a list item, the start of a line, a paragraph):
/// - a line break (`\n`, `\r\n`, `\r`) is a space: a value never starts a line of its own;
/// - the characters Markdown reads as syntax inside a line (`\`, `|` that would end a table
///   cell, `*`, `_`, `~`, `` ` ``, `[`, `]`, `<` that would open raw HTML, `&` that would start
///   an entity) get a backslash, which CommonMark and GFM print as the character itself;
/// - at the value's start, what would make a heading, a list item, a quote or a rule at a line
///   start (`#`, `-`, `+`, `=`, `>`, `1.`, `1)`) gets a backslash too, and leading blanks
///   (an indented code block) are dropped;
/// - the characters no text may hold unseen ([`crate::controls::forbidden`]) are dropped.
pub fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let input = input.trim_start_matches([' ', '\t', '\n', '\r']);
    let mut text = String::with_capacity(input.len() + 8);
    let digits = input.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = (1..=9).contains(&digits)
        && matches!(input.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(
            input.as_bytes().get(digits + 1),
            None | Some(b' ' | b'\t' | b'\n' | b'\r')
        );
    let mut chars = input.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\r' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                text.push(' ');
            }
            '\n' => text.push(' '),
            '\\' | '|' | '*' | '_' | '~' | '`' | '[' | ']' | '<' | '&' => {
                text.push('\\');
                text.push(c);
            }
            '#' | '-' | '+' | '=' | '>' if i == 0 => {
                text.push('\\');
                text.push(c);
            }
            '.' | ')' if numbered && i == digits => {
                text.push('\\');
                text.push(c);
            }
            c if crate::controls::forbidden(c) => {}
            c => text.push(c),
        }
    }
    out.write_all(text.as_bytes())
}

fn date_arg(value: &Value) -> Option<chrono::NaiveDate> {
    value.as_str().and_then(crate::dates::parse)
}

/// A filter's input that must be a value: undefined (a misspelt field) is an error, so that a
/// typo in a template never prints an empty cell into an official report.
fn defined<'a>(v: &'a Value, filter: &str) -> TeraResult<&'a Value> {
    if v.is_undefined() {
        Err(tera::Error::message(format!(
            "the `{filter}` filter got an undefined value (a misspelt field?)"
        )))
    } else {
        Ok(v)
    }
}

fn wrong(filter: &str, wanted: &str, v: &Value) -> tera::Error {
    tera::Error::message(format!(
        "the `{filter}` filter wants {wanted}, got {} ({v})",
        v.name()
    ))
}

/// A date filter: ISO text in, text out; `null` gives an empty string.
fn date_filter(
    name: &'static str,
    f: fn(chrono::NaiveDate) -> String,
) -> impl Fn(&Value, Kwargs, &State) -> TeraResult<String> {
    move |v: &Value, _: Kwargs, _: &State| {
        let v = defined(v, name)?;
        if v.is_none() {
            return Ok(String::new());
        }
        date_arg(v)
            .map(f)
            .ok_or_else(|| wrong(name, "a date like 2021-03-05", v))
    }
}

/// Registers the filters every template can use (see the module's head).
pub fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "nd30_date",
        date_filter("nd30_date", crate::dates::document_date),
    );
    tera.register_filter("dmy", date_filter("dmy", crate::dates::dmy));
    tera.register_filter(
        "num",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            let v = defined(v, "num")?;
            if let Some(n) = v.as_i128() {
                Ok(if n < 0 {
                    format!("-{}", group_thousands(n.unsigned_abs() as u64))
                } else {
                    group_thousands(n as u64)
                })
            } else if let Some(x) = v.as_f64() {
                Ok(vi_decimal(x))
            } else if v.is_none() {
                Ok("–".to_string())
            } else {
                Err(wrong("num", "a number", v))
            }
        },
    );
    tera.register_filter(
        "pct",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            let v = defined(v, "pct")?;
            match v.as_f64() {
                Some(x) => Ok(crate::text::vi_percent(x)),
                // A rate with nothing to divide by (no dossier resolved) is null: a dash.
                None if v.is_none() => Ok("–".to_string()),
                None => Err(wrong("pct", "a number", v)),
            }
        },
    );
    tera.register_filter(
        "roman",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            let v = defined(v, "roman")?;
            v.as_i128()
                .map(|n| crate::period::roman(n.clamp(0, 4000) as u32))
                .ok_or_else(|| wrong("roman", "a whole number", v))
        },
    );
    tera.register_filter(
        "vi_letter",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            let v = defined(v, "vi_letter")?;
            v.as_i128()
                .map(|n| vi_letter(n.max(0) as u64))
                .ok_or_else(|| wrong("vi_letter", "a whole number", v))
        },
    );
    tera.register_filter("upper_first", |v: &str, _: Kwargs, _: &State| {
        let mut chars = v.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
            None => String::new(),
        }
    });
    tera.register_filter("lower_first", |v: &str, _: Kwargs, _: &State| {
        let mut chars = v.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect::<String>(),
            None => String::new(),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        let mut out = Vec::new();
        escape_markdown(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn markdown_syntax_in_values_is_escaped() {
        assert_eq!(md("a | b"), "a \\| b");
        assert_eq!(md("dòng một\n## I. giả"), "dòng một ## I. giả");
        assert_eq!(md("a\r\n- b\rc"), "a - b c");
        assert_eq!(md("## I. giả"), "\\## I. giả");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("> q"), "\\> q");
        assert_eq!(md("1. một"), "1\\. một");
        assert_eq!(md("12) hai"), "12\\) hai");
        assert_eq!(md("    code"), "code");
        assert_eq!(md("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(
            md("&amp; *b* _i_ `c` [l](u) ~~s~~ \\"),
            "\\&amp; \\*b\\* \\_i\\_ \\`c\\` \\[l\\](u) \\~\\~s\\~\\~ \\\\"
        );
        assert_eq!(md("a\u{1b}[31mb"), "a\\[31mb");
        // What is not syntax stays as it is: numbers, dates, Vietnamese text, a dash mid-line.
        for s in [
            "1.234",
            "95,24%",
            "05/03/2021",
            "Nguyễn Văn A – Chủ tịch",
            "-",
            "3 - 4",
            "=1+1 b",
        ] {
            let expected = if s.starts_with(['-', '=']) {
                format!("\\{s}")
            } else {
                s.to_string()
            };
            assert_eq!(md(s), expected, "{s:?}");
        }
    }
}
