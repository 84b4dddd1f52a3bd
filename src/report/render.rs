//! Rendering a report context through Tera templates.
//!
//! Built-in templates are embedded in the binary. A plan folder's `templates/` may replace any of
//! them by file name (and add templates of its own for `include`/`extends`); `--template FILE`
//! renders one file instead of the built-in main template. Autoescaping is on for `.html`,
//! `.htm` and `.xml` names only, so Markdown is written as is and HTML/XML escape every value
//! taken from records.
//!
//! Filters any template can use: `nd30_date` ("ngày 05 tháng 3 năm 2021"), `dmy` (05/03/2021),
//! `num` (1.234), `pct` (95,24%), `roman` (IV), `vi_letter` (1 → a, 5 → đ), `lower_first`,
//! `upper_first`, `svg_chart` (a chart of `charts` as inline SVG, see `charts.rs`).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::context::{ReportContext, TaskReport};
use crate::messages::{Doing, doing, ui};

/// The built-in templates, by name.
pub const BUILTINS: &[(&str, &str)] = &[
    ("heading.md", include_str!("templates/heading.md")),
    ("signature.md", include_str!("templates/signature.md")),
    ("base.md", include_str!("templates/base.md")),
    ("quarter.md", include_str!("templates/quarter.md")),
    ("half.md", include_str!("templates/half.md")),
    ("year.md", include_str!("templates/year.md")),
    ("officers.md", include_str!("templates/officers.md")),
    ("document.html", include_str!("templates/document.html")),
    ("base.html", include_str!("templates/base.html")),
    ("quarter.html", include_str!("templates/quarter.html")),
    ("half.html", include_str!("templates/half.html")),
    ("year.html", include_str!("templates/year.html")),
    ("officers.html", include_str!("templates/officers.html")),
];

/// The file names in a folder's `templates/` that are loaded as templates.
pub const TEMPLATE_EXTENSIONS: &[&str] =
    &[".md", ".html", ".htm", ".xml", ".rels", ".txt", ".tera"];

/// Where each template of a render came from, for error messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// `None` for a built-in.
    pub path: Option<PathBuf>,
}

/// A Tera instance with the built-ins, the folder's overrides and our filters.
pub struct Templates {
    tera: Tera,
    pub sources: Vec<Source>,
}

impl Templates {
    /// Loads built-ins, then `dir/templates/*` (replacing built-ins of the same name), then the
    /// one-off template file under the name `custom.<ext>`.
    pub fn load(dir: &Path, one_off: Option<&Path>) -> Result<Templates> {
        let mut sources: Vec<(Source, String)> = BUILTINS
            .iter()
            .chain(super::docx::TEMPLATES)
            .map(|(name, text)| {
                (
                    Source {
                        name: (*name).to_string(),
                        path: None,
                    },
                    (*text).to_string(),
                )
            })
            .collect();
        let user_dir = dir.join("templates");
        if user_dir.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&user_dir)
                .with_context(|| doing(Doing::Reading, user_dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for path in files {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // Only template files: a reference .docx or a note kept beside them is not one.
                let is_template = TEMPLATE_EXTENSIONS
                    .iter()
                    .any(|ext| name.to_ascii_lowercase().ends_with(ext));
                if name.starts_with('.') || !is_template {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .with_context(|| doing(Doing::ReadingTemplate, path.display()))?;
                sources.retain(|(s, _)| s.name != name);
                sources.push((
                    Source {
                        name,
                        path: Some(path),
                    },
                    text,
                ));
            }
        }
        if let Some(path) = one_off {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_else(|| "md".into());
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading template {}", path.display()))?;
            sources.push((
                Source {
                    name: format!("custom.{ext}"),
                    path: Some(path.to_path_buf()),
                },
                text,
            ));
        }
        let mut tera = Tera::new();
        register_filters(&mut tera);
        super::charts::register(&mut tera);
        tera.set_escape_fn(super::docx::escape_markup);
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(s, text)| (s.name.clone(), text.clone())),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| describe_sources(&sources))?;
        Ok(Templates {
            tera,
            sources: sources.into_iter().map(|(s, _)| s).collect(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders the named template with the report context as template data.
    pub fn render(&self, name: &str, data: &Data) -> Result<String> {
        if !self.has(name) {
            bail!(
                "{} {name}",
                ui("không có mẫu báo cáo tên", "no template named")
            );
        }
        let origin = self
            .sources
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.path.as_ref())
            .map_or_else(|| "built-in".to_string(), |p| p.display().to_string());
        self.tera
            .render(name, &data.0)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| {
                format!(
                    "{} {name} ({origin})",
                    ui("lập báo cáo theo mẫu", "rendering template")
                )
            })
    }
}

/// The report context as template data: turned into Tera's values once, for as many templates
/// as a format renders.
pub struct Data(tera::Context);

impl Data {
    /// The tasks (with every activity of the period, most of the values) are turned into values
    /// on two threads: the second half on a thread of its own while this one does the rest.
    pub fn of(report: &ReportContext) -> Result<Data> {
        let tasks = &report.tasks;
        let weight = |t: &TaskReport| t.activities.total + 1;
        let all = tasks.iter().map(weight).sum::<usize>() + 2 * report.findings.len();
        let mut after = 0;
        let cut = tasks
            .iter()
            .rposition(|t| {
                after += weight(t);
                after >= all / 2
            })
            .unwrap_or(0);
        let values = |tasks: &[TaskReport]| {
            tasks
                .iter()
                .map(Value::try_from_serializable)
                .collect::<TeraResult<Vec<Value>>>()
        };
        let (data, second) = crate::par::join(
            || -> TeraResult<(tera::Context, Vec<Value>)> {
                let without_tasks = ReportContext {
                    tasks: Vec::new(),
                    ..report.clone()
                };
                Ok((
                    tera::Context::from_serialize(&without_tasks)?,
                    values(&tasks[..cut])?,
                ))
            },
            || values(&tasks[cut..]),
        );
        let data = data.and_then(|(mut data, mut values)| {
            values.extend(second?);
            data.insert_value("tasks", Value::from(values));
            Ok(data)
        });
        data.map(Data)
            .map_err(|e: tera::Error| anyhow::anyhow!("{e}"))
            .context(ui(
                "chuyển dữ liệu báo cáo cho mẫu",
                "turning the report context into template data",
            ))
    }
}

fn describe_sources(sources: &[(Source, String)]) -> String {
    let user: Vec<String> = sources
        .iter()
        .filter_map(|(s, _)| {
            s.path
                .as_ref()
                .map(|p| format!("{} ({})", s.name, p.display()))
        })
        .collect();
    if user.is_empty() {
        "loading the built-in templates".into()
    } else {
        format!("loading templates: {}", user.join(", "))
    }
}

fn date_arg(value: &Value) -> Option<chrono::NaiveDate> {
    value.as_str().and_then(crate::dates::parse)
}

/// 1234567 → "1.234.567".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// 95.238 → "95,24" (two decimals, decimal comma, thousands dots).
pub fn vi_decimal(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let cents = (rounded.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let mut s = String::new();
    if negative {
        s.push('-');
    }
    s.push_str(&group_thousands(whole));
    if frac != 0 {
        s.push(',');
        if frac.is_multiple_of(10) {
            s.push_str(&(frac / 10).to_string());
        } else {
            s.push_str(&format!("{frac:02}"));
        }
    }
    s
}

/// 1 → "a", 5 → "đ", 11 → "l": points of a Vietnamese list (the alphabet without f, j, w, z).
pub fn vi_letter(n: u64) -> String {
    const LETTERS: [&str; 25] = [
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s",
        "t", "u", "v", "x", "y", "aa", "bb",
    ];
    match n {
        1..=25 => LETTERS[(n - 1) as usize].to_string(),
        _ => n.to_string(),
    }
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

fn register_filters(tera: &mut Tera) {
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
                Some(x) => Ok(format!("{}%", vi_decimal(x))),
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

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1234), "1.234");
        assert_eq!(group_thousands(1234567), "1.234.567");
        assert_eq!(vi_decimal(95.238), "95,24");
        assert_eq!(vi_decimal(100.0), "100");
        assert_eq!(vi_decimal(99.5), "99,5");
        assert_eq!(vi_decimal(1234.05), "1.234,05");
    }

    #[test]
    fn vietnamese_list_letters() {
        let letters: Vec<String> = (1..=11).map(vi_letter).collect();
        assert_eq!(
            letters,
            ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"]
        );
    }
}
