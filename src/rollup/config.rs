//! `rollup.toml`: the consolidating body's own document fields and the communes it consolidates
//! (documented key by key in docs/rollup.md).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scheme::Scheme;

pub const FILE: &str = "rollup.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The consolidating body, as the Nghị định 30 header names it: "Sở Nội vụ tỉnh Hà Tĩnh".
    pub authority: Option<String>,
    /// The level above it: "Ủy ban nhân dân tỉnh Hà Tĩnh".
    pub parent_authority: Option<String>,
    /// The place of the date line: "Hà Tĩnh".
    pub place: Option<String>,
    /// "Số: …/BC-SNV".
    pub symbol: Option<String>,
    /// The trích yếu, when the default does not suit.
    pub title: Option<String>,
    /// The period scheme the consolidation is of (default `nd09`).
    pub periods: Option<Scheme>,
    /// "Kính gửi:" (the body the consolidated report is addressed to).
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Nơi nhận.
    #[serde(default)]
    pub recipients: Vec<String>,
    pub signer: Option<Signer>,
    /// Paths or glob patterns, relative to rollup.toml: commune folders and JSON reports.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Communes by name, each with where its folder or report is to be found: a commune whose
    /// source is not there is listed as missing, by this name.
    #[serde(default)]
    pub communes: Vec<Commune>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub authority_line: String,
    pub title: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commune {
    pub name: String,
    pub source: String,
}

impl Config {
    /// Reads rollup.toml. The error names the file, the line and the column.
    pub fn load(lang: crate::messages::Lang, path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "{}: {e}",
                crate::messages::doing(lang, crate::messages::Doing::Reading, path.display())
            )
        })?;
        Config::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let at = e
                .span()
                .map(|s| crate::text::line_col(text.as_bytes(), s.start));
            let message = e.message().trim_end().to_string();
            match at {
                Some((line, col)) => format!("{line}:{col}: {message}"),
                None => message,
            }
        })
    }
}

/// Where a source is, relative to rollup.toml's folder.
pub fn resolve(base: &Path, source: &str) -> PathBuf {
    let p = Path::new(source);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_keys() {
        let c = Config::parse(
            r#"
authority = "Sở Nội vụ tỉnh Hà Tĩnh"
place = "Hà Tĩnh"
periods = "calendar"
recipients = ["UBND tỉnh", "Lưu: VT"]
sources = ["xa/*"]
[signer]
authority_line = "KT. GIÁM ĐỐC"
title = "PHÓ GIÁM ĐỐC"
name = "Trần Văn A"
[[communes]]
name = "Xã Sơn Hồng"
source = "bao-cao/son-hong.json"
"#,
        )
        .unwrap();
        assert_eq!(c.authority.as_deref(), Some("Sở Nội vụ tỉnh Hà Tĩnh"));
        assert_eq!(c.periods, Some(Scheme::Calendar));
        assert_eq!(c.sources, ["xa/*"]);
        assert_eq!(c.communes[0].name, "Xã Sơn Hồng");
        assert_eq!(c.signer.unwrap().title, "PHÓ GIÁM ĐỐC");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line_and_column() {
        let e = Config::parse("place = \"Hà Tĩnh\"\nsigner_name = \"x\"\n").unwrap_err();
        assert!(e.starts_with("2:1: "), "{e}");
        assert!(e.contains("signer_name"), "{e}");
    }
}
