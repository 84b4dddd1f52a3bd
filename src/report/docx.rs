//! The Word document (`--format docx`): WordprocessingML parts rendered through Tera templates,
//! packaged here into the ZIP container Word and LibreOffice open.
//!
//! Each XML part is a template a plan folder's `templates/` can replace by file name, like the
//! Markdown and HTML ones; names end in `.xml`, so every value is escaped. The package layout,
//! the content types and the relationships are fixed here:
//!
//! | part | template |
//! |---|---|
//! | `word/document.xml` | `<kind>.docx.xml` (`quarter`, `half`, `year`, `officers`, `month`), which extend `base.docx.xml` and `document.docx.xml` |
//! | `word/styles.xml` | `styles.docx.xml` |
//! | `word/settings.xml` | `settings.docx.xml` |
//! | `word/fontTable.xml` | `fontTable.docx.xml` |
//! | `word/header1.xml` | `header1.docx.xml`: the page number, top centre, pages 2 on |
//! | `word/header2.xml` | `header2.docx.xml`: the first page's header, empty |
//! | `docProps/core.xml` | `core.docx.xml` |
//! | `docProps/app.xml` | `app.docx.xml` |
//!
//! `components.docx.xml` holds the Tera components (paragraphs, table cells) the others use.
//!
//! The same input gives the same bytes: every entry carries the fixed DOS date 1980-01-01 (or
//! `SOURCE_DATE_EPOCH`, when the caller passes it) and the document's own dates, core
//! properties included, come from the report context, never from the clock.

use std::io::{Cursor, Write};

use anyhow::{Context as _, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The built-in templates of the DOCX parts, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "components.docx.xml",
        include_str!("templates/docx/components.docx.xml"),
    ),
    (
        "document.docx.xml",
        include_str!("templates/docx/document.docx.xml"),
    ),
    (
        "base.docx.xml",
        include_str!("templates/docx/base.docx.xml"),
    ),
    (
        "quarter.docx.xml",
        include_str!("templates/docx/quarter.docx.xml"),
    ),
    (
        "half.docx.xml",
        include_str!("templates/docx/half.docx.xml"),
    ),
    (
        "year.docx.xml",
        include_str!("templates/docx/year.docx.xml"),
    ),
    (
        "officers.docx.xml",
        include_str!("templates/docx/officers.docx.xml"),
    ),
    (
        "month.docx.xml",
        include_str!("templates/docx/month.docx.xml"),
    ),
    (
        "rollup.docx.xml",
        include_str!("templates/docx/rollup.docx.xml"),
    ),
    (
        "styles.docx.xml",
        include_str!("templates/docx/styles.docx.xml"),
    ),
    (
        "settings.docx.xml",
        include_str!("templates/docx/settings.docx.xml"),
    ),
    (
        "fontTable.docx.xml",
        include_str!("templates/docx/fontTable.docx.xml"),
    ),
    (
        "header1.docx.xml",
        include_str!("templates/docx/header1.docx.xml"),
    ),
    (
        "header2.docx.xml",
        include_str!("templates/docx/header2.docx.xml"),
    ),
    (
        "core.docx.xml",
        include_str!("templates/docx/core.docx.xml"),
    ),
    ("app.docx.xml", include_str!("templates/docx/app.docx.xml")),
];

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>
"#;

/// The relationships of word/document.xml. `document.docx.xml` refers to the headers by these
/// ids (`rIdHeader1`, `rIdHeader2`).
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
<Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>
</Relationships>
"#;

/// Renders every part with `render` (a template's name in, the part out) and packages them.
/// `main` is the template of word/document.xml. `stamp` dates the package's entries
/// (`SOURCE_DATE_EPOCH`, when set); without it they carry 1980-01-01 00:00.
pub fn package(
    main: &str,
    stamp: Option<chrono::DateTime<chrono::Utc>>,
    render: impl Fn(&str) -> Result<String>,
) -> Result<Vec<u8>> {
    let parts: [(&str, String); 11] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", render("core.docx.xml")?),
        ("docProps/app.xml", render("app.docx.xml")?),
        ("word/document.xml", render(main)?),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", render("styles.docx.xml")?),
        ("word/settings.xml", render("settings.docx.xml")?),
        ("word/fontTable.xml", render("fontTable.docx.xml")?),
        ("word/header1.xml", render("header1.docx.xml")?),
        ("word/header2.xml", render("header2.docx.xml")?),
    ];
    zip(&parts, entry_time(stamp)).context("packaging the DOCX")
}

/// A ZIP entry time (DOS time: 1980 to 2107, even seconds, no time zone) for `stamp`, in UTC;
/// 1980-01-01 00:00 without one or outside that range.
fn entry_time(stamp: Option<chrono::DateTime<chrono::Utc>>) -> DateTime {
    use chrono::{Datelike as _, Timelike as _};
    stamp
        .and_then(|t| {
            let (y, mo, d) = (u16::try_from(t.year()).ok()?, t.month(), t.day());
            DateTime::from_date_and_time(
                y,
                mo as u8,
                d as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default()
}

/// The ZIP container: deflated entries in the given order, all dated `time`.
fn zip(parts: &[(&str, String)], time: DateTime) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        writer.start_file(*name, options)?;
        writer.write_all(text.as_bytes())?;
    }
    Ok(writer.finish()?.into_inner())
}

/// The escaping of every value printed into an `.html`, `.htm` or `.xml` template: the five
/// markup characters as entities, and the characters no text may hold unseen
/// ([`crate::controls::forbidden`], among them every control character XML 1.0 forbids) dropped:
/// a stray one in a record would otherwise make Word refuse the whole document.
pub fn escape_markup(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut start = 0;
    for (i, c) in input.char_indices() {
        let entity: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            '\'' => b"&#39;",
            // C0 controls and U+FFFE/U+FFFF are not characters of XML 1.0 (a document with
            // them does not open); C1 controls and bidi overrides would act unseen.
            c if crate::controls::forbidden(c) => b"",
            _ => continue,
        };
        out.write_all(&input.as_bytes()[start..i])?;
        out.write_all(entity)?;
        start = i + c.len_utf8();
    }
    out.write_all(&input.as_bytes()[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        escape_markup(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn markup_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escaped("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escaped("a\u{1}b\tc\nđ"), "ab\tc\nđ");
        assert_eq!(escaped("a\u{fffe}\u{9b}\u{202e}b"), "ab");
        assert_eq!(escaped("Sơn Hồng"), "Sơn Hồng");
    }

    #[test]
    fn the_package_is_the_same_every_time() {
        let parts = [("a.xml", "<a/>".to_string()), ("b/c.xml", "<c/>".into())];
        let t = DateTime::default();
        assert_eq!(zip(&parts, t).unwrap(), zip(&parts, t).unwrap());
    }

    #[test]
    fn entry_times_follow_the_stamp_within_dos_range() {
        let at = |secs| chrono::DateTime::from_timestamp(secs, 0);
        assert_eq!(entry_time(None), DateTime::default());
        // 2022-01-01 00:00:00 UTC.
        let t = entry_time(at(1_640_995_200));
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2022, 1, 1, 0));
        // Before 1980 a DOS time cannot say it.
        assert_eq!(entry_time(at(0)), DateTime::default());
    }
}
