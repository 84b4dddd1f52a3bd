//! Writing for Excel: workbooks (rust_xlsxwriter) of titled tables, and CSV cells Excel opens
//! safely.
//!
//! **Formula-like text.** Excel evaluates a cell typed or opened as `=…`, `+…`, `-…` or `@…`
//! (and a cell starting with a tab or a carriage return can hide one), so text from the
//! records (a summary, a reason, a name a citizen gave) could run as a formula in the clerk's
//! Excel ("CSV injection"). Every Excel-bound output neutralises such text:
//! - in a workbook the cell is a text cell (never a formula) with Excel's quote-prefix style,
//!   the same as typing `'` in front: it shows and reads back unchanged, and stays text when
//!   edited ([`Book`]);
//! - in CSV a `'` is put in front of it ([`csv_cell`]), as OWASP advises; `kehoach import`
//!   takes that `'` off again ([`unquote`]), so an export imports back as it was.
//!
//! A plain number ("-5", "+84 912") is left alone: Excel reads it as a number, not a formula.

use std::borrow::Cow;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// Whether Excel would take this text for a formula (or a formula hidden behind a tab or a
/// carriage return).
pub fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err()
}

/// A CSV cell for Excel: formula-like text behind a `'`, anything else as it is.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The cell [`csv_cell`] neutralised, as it was: the `'` in front of formula-like text taken
/// off. Other cells, and a `'` before anything else, stay as they are.
pub fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => s,
    }
}

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    /// A count.
    Int(i64),
    Date(NaiveDate),
    /// A rate in percent (97.5 for 97,5 %), shown with two decimals; none when its denominator
    /// was 0.
    Percent(Option<f64>),
    Empty,
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Value<'static> {
        Value::Text(Cow::Owned(s))
    }
}

impl From<u64> for Value<'_> {
    fn from(n: u64) -> Value<'static> {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Value<'_> {
    fn from(n: usize) -> Value<'static> {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<NaiveDate> for Value<'_> {
    fn from(d: NaiveDate) -> Value<'static> {
        Value::Date(d)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Value<'a> {
        v.map_or(Value::Empty, Into::into)
    }
}

/// A sheet of more rows than this is kept on disk row by row while it is made.
const BIG_SHEET: usize = 10_000;

/// The widest a column gets, in characters; longer text wraps.
const MAX_WIDTH: f64 = 60.0;

/// A workbook of tables, one sheet each, each with a title and lines under it on top, a bold
/// header row that stays in view (frozen), columns as wide as their text.
pub struct Book {
    book: Workbook,
    title: Format,
    subtitle: Format,
    header: Format,
    text: Format,
    quoted: Format,
    int: Format,
    date: Format,
    percent: Format,
    names: Vec<String>,
}

impl Book {
    /// A new workbook; `created` is written as its creation date (so that the same data
    /// gives the same file), `title` as its title property.
    pub fn new(title: &str, created: NaiveDate) -> Book {
        let mut book = Workbook::new();
        let mut properties = DocProperties::new().set_title(title);
        if let Some(when) = excel_date(created) {
            properties = properties.set_creation_datetime(&when);
        }
        book.set_properties(&properties);
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Book {
            book,
            title: base.clone().set_bold().set_font_size(14),
            subtitle: base.clone().set_italic(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            text: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            quoted: cell
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_quote_prefix(),
            int: cell
                .clone()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Top),
            date: cell
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Top),
            percent: cell.set_num_format("0.00%").set_align(FormatAlign::Top),
            names: Vec::new(),
        }
    }

    /// Adds a sheet: `title` in its first row, `lines` under it, a blank row, then the
    /// `header` (frozen) and the rows. Returns the 0-based row of the header.
    pub fn table<'v>(
        &mut self,
        name: &str,
        title: &str,
        lines: &[String],
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<Value<'v>>>,
    ) -> Result<u32> {
        let name = self.sheet_name(name);
        let rows = rows.into_iter();
        // A big sheet (an export of a province's dossiers) goes row by row to a temporary file
        // once the next row is begun, not kept as cells: a million dossiers take 350 MB, not
        // 3.8 GB. Texts stay in the shared table Excel itself writes (a sheet of inline texts
        // would take half that, and some readers take them less kindly). A report's sheets are
        // small: kept in memory, they need no temporary file.
        let sheet = if rows.size_hint().0 > BIG_SHEET {
            self.book.add_worksheet_with_low_memory()?
        } else {
            self.book.add_worksheet()
        };
        sheet.set_name(&name)?;
        let formats = Formats {
            text: &self.text,
            quoted: &self.quoted,
            int: &self.int,
            date: &self.date,
            percent: &self.percent,
        };
        // The title and the lines under it are the report's own words, never formula-like;
        // they overflow to the right, over the empty cells beside them.
        text_cell(sheet, 0, 0, title, &self.title, &self.quoted)?;
        for (i, line) in lines.iter().enumerate() {
            text_cell(sheet, 1 + i as u32, 0, line, &self.subtitle, &self.quoted)?;
        }
        let top = 2 + lines.len() as u32;
        // A header wraps rather than widen its column beyond 24 characters.
        let mut widths: Vec<f64> = header.iter().map(|h| width_of(h).min(24.0)).collect();
        for (c, h) in header.iter().enumerate() {
            text_cell(sheet, top, c as u16, h, &self.header, &self.quoted)?;
        }
        let mut r = top;
        for row in rows {
            r += 1;
            for (c, value) in row.iter().enumerate() {
                let w = formats.write(sheet, r, c as u16, value)?;
                if c >= widths.len() {
                    widths.resize(c + 1, 0.0);
                }
                widths[c] = widths[c].max(w);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (w + 2.0).clamp(6.0, MAX_WIDTH))?;
        }
        sheet.set_freeze_panes(top + 1, 0)?;
        Ok(top)
    }

    /// Keeps a big sheet's rows, while it is made, in `dir` (beside the file being written)
    /// rather than in the system's temporary folder, which is often memory (tmpfs) and small.
    pub fn keep_rows_in(&mut self, dir: &std::path::Path) -> Result<()> {
        self.book.set_tempdir(dir)?;
        Ok(())
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not used yet.
    fn sheet_name(&mut self, name: &str) -> String {
        let clean: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
            .take(31)
            .collect();
        let mut candidate = clean.clone();
        let mut n = 2;
        while self
            .names
            .iter()
            .any(|u| u.to_lowercase() == candidate.to_lowercase())
        {
            let suffix = format!(" ({n})");
            candidate = clean
                .chars()
                .take(31 - suffix.chars().count())
                .chain(suffix.chars())
                .collect();
            n += 1;
        }
        self.names.push(candidate.clone());
        candidate
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        Ok(self.book.save_to_buffer()?)
    }
}

struct Formats<'f> {
    text: &'f Format,
    quoted: &'f Format,
    int: &'f Format,
    date: &'f Format,
    percent: &'f Format,
}

impl Formats<'_> {
    /// Writes a cell; returns the width its content needs, in characters.
    fn write(&self, sheet: &mut Worksheet, r: u32, c: u16, value: &Value<'_>) -> Result<f64> {
        Ok(match value {
            Value::Text(s) => {
                text_cell(sheet, r, c, s, self.text, self.quoted)?;
                width_of(s)
            }
            Value::Int(n) => {
                sheet.write_number_with_format(r, c, *n as f64, self.int)?;
                n.to_string().len() as f64 * 1.2
            }
            Value::Date(d) => {
                match excel_date(*d) {
                    Some(x) => sheet.write_datetime_with_format(r, c, &x, self.date)?,
                    None => sheet.write_string_with_format(r, c, d.to_string(), self.text)?,
                };
                10.0
            }
            Value::Percent(Some(p)) => {
                sheet.write_number_with_format(r, c, p / 100.0, self.percent)?;
                7.0
            }
            Value::Percent(None) | Value::Empty => {
                sheet.write_blank(r, c, self.text)?;
                0.0
            }
        })
    }
}

/// Writes text as a text cell, with the quote-prefix format when Excel would take it for a
/// formula.
fn text_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    s: &str,
    plain: &Format,
    quoted: &Format,
) -> Result<()> {
    let format = if formula_like(s) { quoted } else { plain };
    sheet.write_string_with_format(r, c, s, format)?;
    Ok(())
}

/// The width text needs, in characters of the default font: Vietnamese letters (NFC, one
/// character each, whatever their marks) count one, capitals a little more; a long text wraps,
/// so its longest line beyond [`MAX_WIDTH`] does not count.
fn width_of(s: &str) -> f64 {
    s.lines()
        .map(|line| {
            line.chars()
                .map(|c| if c.is_uppercase() { 1.25 } else { 1.05 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// A date as Excel's, when Excel has it (years 1900 to 9999).
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_sheet_made_row_by_row_on_disk_reads_back_as_a_small_one_does() {
        use calamine::{Data, Reader};
        let day = NaiveDate::from_ymd_opt(2021, 3, 5).unwrap();
        for n in [3, BIG_SHEET + 5] {
            let mut book = Book::new("UBND xã Sơn Hồng", day);
            let rows = (0..n).map(|i| {
                vec![
                    Value::Text(Cow::Owned(format!("hồ sơ {i}"))),
                    Value::Int(i as i64),
                    Value::Date(day),
                    Value::Text(Cow::Borrowed("=1+1")),
                ]
            });
            let top = book
                .table(
                    "Hồ sơ",
                    "Hồ sơ",
                    &["dòng".into()],
                    &["a", "b", "c", "d"],
                    rows,
                )
                .unwrap();
            let bytes = book.finish().unwrap();
            let mut read =
                calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let sheet = read.worksheet_range("Hồ sơ").unwrap();
            assert_eq!(sheet.height(), top as usize + 1 + n, "{n}");
            let last = top + n as u32;
            assert_eq!(
                sheet.get_value((last, 0)),
                Some(&Data::String(format!("hồ sơ {}", n - 1)))
            );
            assert_eq!(
                sheet.get_value((last, 1)),
                Some(&Data::Float((n - 1) as f64))
            );
            assert!(matches!(
                sheet.get_value((last, 2)),
                Some(Data::DateTime(_))
            ));
            assert_eq!(
                sheet.get_value((last, 3)),
                Some(&Data::String("=1+1".into()))
            );
        }
    }

    #[test]
    fn formula_like_text_is_neutralised_and_comes_back() {
        for s in [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\t=x",
            "\r=x",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(formula_like(s), "{s:?}");
            let q = csv_cell(s);
            assert_eq!(q, format!("'{s}"));
            assert_eq!(unquote(&q), s);
        }
        for s in ["-5", "+84", "-1.5", "Tiếp công dân", "", "a=b", "'=x'"] {
            assert!(!formula_like(s), "{s:?}");
            assert_eq!(csv_cell(s), s);
        }
        // A `'` before anything else is the text's own.
        assert_eq!(unquote("'Ngõ 5"), "'Ngõ 5");
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let mut book = Book::new("t", NaiveDate::from_ymd_opt(2021, 12, 31).unwrap());
        assert_eq!(book.sheet_name("Theo lĩnh vực"), "Theo lĩnh vực");
        assert_eq!(book.sheet_name("theo lĩnh vực"), "theo lĩnh vực (2)");
        assert_eq!(book.sheet_name("a/b:c"), "a-b-c");
        let long = "Kết quả giải quyết thủ tục hành chính theo lĩnh vực";
        let name = book.sheet_name(long);
        assert_eq!(name.chars().count(), 31);
    }
}
