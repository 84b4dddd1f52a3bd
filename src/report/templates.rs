//! The report templates: the built-in ones embedded in the binary, a plan folder's own, and the
//! Tera instance that renders them.
//!
//! A plan folder's `templates/` may replace any built-in by file name (and add templates of its
//! own for `include`/`extends`); `--template FILE` renders one file instead of the built-in main
//! template. Every value printed into an `.html`, `.htm` or `.xml` template is escaped as
//! markup ([`super::docx::escape_markup`]), into an `.md` one as Markdown
//! ([`super::render::escape_markdown`]: no `|` that ends a table cell, no line break, no line
//! start that makes a heading, a list or a quote, no raw HTML); other names (`.txt`, `.tera`)
//! are written as they are. The filters templates can use are
//! in [`super::render`], the DOCX parts and their escaping in [`super::docx`].

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use tera::Tera;

use super::render::Data;
use crate::messages::{Doing, Lang, doing};

/// The built-in templates, by name.
pub const BUILTINS: &[(&str, &str)] = &[
    ("heading.md", include_str!("templates/heading.md")),
    ("signature.md", include_str!("templates/signature.md")),
    // The dossier statistics table, one home for the period reports, the month and the rollup.
    (
        "dossier_table.md",
        include_str!("templates/dossier_table.md"),
    ),
    ("base.md", include_str!("templates/base.md")),
    ("quarter.md", include_str!("templates/quarter.md")),
    ("half.md", include_str!("templates/half.md")),
    ("year.md", include_str!("templates/year.md")),
    ("officers.md", include_str!("templates/officers.md")),
    ("month.md", include_str!("templates/month.md")),
    ("document.html", include_str!("templates/document.html")),
    (
        "dossier_table.html",
        include_str!("templates/dossier_table.html"),
    ),
    ("base.html", include_str!("templates/base.html")),
    ("quarter.html", include_str!("templates/quarter.html")),
    ("half.html", include_str!("templates/half.html")),
    ("year.html", include_str!("templates/year.html")),
    ("officers.html", include_str!("templates/officers.html")),
    ("month.html", include_str!("templates/month.html")),
    ("rollup.md", include_str!("templates/rollup.md")),
    ("rollup.html", include_str!("templates/rollup.html")),
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

/// Two Tera instances with the built-ins, the folder's overrides and our filters: `tera`
/// escapes values for markup (`.html`, `.htm`, `.xml`), `markdown` for Markdown (`.md`).
pub struct Templates {
    tera: Tera,
    markdown: Tera,
    pub sources: Vec<Source>,
}

impl Templates {
    /// Loads built-ins, then `dir/templates/*` (replacing built-ins of the same name), then the
    /// one-off template file under the name `custom.<ext>`.
    pub fn load(lang: Lang, dir: &Path, one_off: Option<&Path>) -> Result<Templates> {
        Templates::load_from(lang, Some(dir), one_off)
    }

    /// The built-in templates only (a rollup never uses a member's templates).
    pub fn builtin(lang: Lang) -> Result<Templates> {
        Templates::load_from(lang, None, None)
    }

    fn load_from(lang: Lang, dir: Option<&Path>, one_off: Option<&Path>) -> Result<Templates> {
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
        if let Some(user_dir) = dir.map(|d| d.join("templates")).filter(|d| d.is_dir()) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&user_dir)
                .with_context(|| doing(lang, Doing::Reading, user_dir.display()))?
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
                    .with_context(|| doing(lang, Doing::ReadingTemplate, path.display()))?;
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
        super::render::register_filters(&mut tera);
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
        // The same templates again, escaping for Markdown: a name may hold only one way.
        let mut markdown = tera.clone();
        markdown.set_escape_fn(super::render::escape_markdown);
        markdown.autoescape_on([".md"]);
        Ok(Templates {
            tera,
            markdown,
            sources: sources.into_iter().map(|(s, _)| s).collect(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders the named template with the report context as template data; an error is said
    /// in `lang`.
    pub fn render(&self, lang: Lang, name: &str, data: &Data) -> Result<String> {
        if !self.has(name) {
            bail!(
                "{} {name}",
                lang.pick("không có mẫu báo cáo tên", "no template named")
            );
        }
        let origin = self
            .sources
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.path.as_ref())
            .map_or_else(|| "built-in".to_string(), |p| p.display().to_string());
        let tera = if name.ends_with(".md") {
            &self.markdown
        } else {
            &self.tera
        };
        tera.render(name, &data.0)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| {
                format!(
                    "{} {name} ({origin})",
                    lang.pick("lập báo cáo theo mẫu", "rendering template")
                )
            })
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
