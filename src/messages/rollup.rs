//! The wording of `kehoach rollup`: why a member is left out, and what the command says.

use chrono::NaiveDate;

use super::Lang;
use crate::dates::dmy;
use crate::scheme::Scheme;

/// Why a member is left out of a rollup's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Nothing at the path given (or a pattern of rollup.toml that matches nothing).
    Missing,
    /// A folder without plan.toml.
    NoPlan,
    /// Could not be read, or is not a report context: the error, as said by the reader.
    Unreadable(String),
    /// A report other than quarter, half or year (an officers report).
    OtherKind(String),
    OtherScheme(Scheme),
    /// The member's report is of this other period.
    OtherPeriod(String),
    /// The member's plan is of this other year.
    OtherYear(i32),
    /// The member's report was judged at this other date (made before the period ended).
    OtherDate(NaiveDate),
    /// The member's data has this many errors (and --allow-errors was not given).
    DataErrors(u64),
    /// The same commune as a member already added up (from this source): its report sent
    /// twice, or its folder and its JSON both given.
    Duplicate(String),
}

fn scheme(s: Scheme) -> &'static str {
    match s {
        Scheme::Nd09 => "nd09",
        Scheme::Calendar => "calendar",
    }
}

impl Reason {
    /// The code in JSON: `missing`, `unreadable`, `other_period`, `other_scheme`, `data_errors`,
    /// `duplicate`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Missing => "missing",
            Reason::NoPlan | Reason::Unreadable(_) | Reason::OtherKind(_) => "unreadable",
            Reason::OtherScheme(_) => "other_scheme",
            Reason::OtherPeriod(_) | Reason::OtherYear(_) | Reason::OtherDate(_) => "other_period",
            Reason::DataErrors(_) => "data_errors",
            Reason::Duplicate(_) => "duplicate",
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::Missing, Lang::Vi) => "chưa có báo cáo (không thấy thư mục hay tệp)".into(),
            (Reason::Missing, Lang::En) => "no report (no folder or file there)".into(),
            (Reason::NoPlan, Lang::Vi) => "thư mục không có plan.toml".into(),
            (Reason::NoPlan, Lang::En) => "the folder has no plan.toml".into(),
            (Reason::Unreadable(e), Lang::Vi) => format!("không đọc được: {e}"),
            (Reason::Unreadable(e), Lang::En) => format!("could not be read: {e}"),
            (Reason::OtherKind(k), Lang::Vi) => {
                format!("là báo cáo loại {k}, không phải báo cáo quý, 6 tháng hay năm")
            }
            (Reason::OtherKind(k), Lang::En) => {
                format!("is a {k} report, not a quarter, half-year or year report")
            }
            (Reason::OtherScheme(s), Lang::Vi) => {
                format!("tính kỳ theo cách khác ({}), không cộng được", scheme(*s))
            }
            (Reason::OtherScheme(s), Lang::En) => {
                format!(
                    "uses another period scheme ({}): cannot be added",
                    scheme(*s)
                )
            }
            (Reason::OtherPeriod(p), Lang::Vi) => format!("là báo cáo của kỳ khác ({p})"),
            (Reason::OtherPeriod(p), Lang::En) => format!("is the report of another period ({p})"),
            (Reason::OtherYear(y), Lang::Vi) => format!("kế hoạch của năm khác ({y})"),
            (Reason::OtherYear(y), Lang::En) => format!("its plan is of another year ({y})"),
            (Reason::OtherDate(d), Lang::Vi) => format!(
                "số liệu chỉ tính đến ngày {} (lập trước khi kết thúc kỳ)",
                dmy(*d)
            ),
            (Reason::OtherDate(d), Lang::En) => format!(
                "its figures stop at {} (made before the period ended)",
                dmy(*d)
            ),
            (Reason::DataErrors(n), Lang::Vi) => {
                format!("dữ liệu có {n} lỗi chưa sửa (xem `kehoach check`)")
            }
            (Reason::DataErrors(n), Lang::En) => {
                format!("its data has {n} errors (see `kehoach check`)")
            }
            (Reason::Duplicate(first), Lang::Vi) => {
                format!("trùng xã với {first}, đã cộng một lần")
            }
            (Reason::Duplicate(first), Lang::En) => {
                format!("the same commune as {first}, already added once")
            }
        }
    }
}

/// `name (source): reason`: one line on standard error per member left out.
pub fn left_out_line(lang: Lang, name: &str, source: &str, reason: &str) -> String {
    let head = lang.pick("kehoach: bỏ ra khỏi tổng hợp", "kehoach: left out");
    if name == source {
        format!("{head}: {name}: {reason}")
    } else {
        format!("{head}: {name} ({source}): {reason}")
    }
}

/// The last line when members were left out: the report was still written.
pub fn left_out_summary(lang: Lang, left_out: usize, sources: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "kehoach: {left_out}/{sources} xã, phường không được tổng hợp (đã ghi rõ trong báo cáo); các xã, phường còn lại đã được tổng hợp."
        ),
        Lang::En => format!(
            "kehoach: {left_out} of {sources} communes left out (listed in the report); the others were consolidated."
        ),
    }
}

pub fn no_sources(lang: Lang) -> &'static str {
    lang.pick(
        "không có nguồn nào để tổng hợp: cho thư mục xã, tệp báo cáo JSON hoặc rollup.toml",
        "nothing to consolidate: give commune folders, JSON reports or a rollup.toml",
    )
}

pub fn wrong_size(lang: Lang, period: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("'{period}' không phải kỳ quý, 6 tháng hay năm: ví dụ 2021-Q3, 2021-H1, 2021")
        }
        Lang::En => {
            format!("'{period}' is not a quarter, half-year or year: e.g. 2021-Q3, 2021-H1, 2021")
        }
    }
}

pub fn bad_period(lang: Lang, period: &str, error: &str) -> String {
    match lang {
        Lang::Vi => format!("kỳ báo cáo '{period}': {error}"),
        Lang::En => format!("the period '{period}': {error}"),
    }
}

pub fn binary_to_terminal(lang: Lang) -> &'static str {
    lang.pick(
        "tệp DOCX, XLSX là tệp nhị phân, không in ra màn hình: dùng -o TỆP hoặc chuyển hướng (> tong-hop.docx)",
        "a DOCX or XLSX is a binary file, not for the terminal: use -o FILE or redirect (> rollup.docx)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_code_and_both_languages() {
        let all = [
            Reason::Missing,
            Reason::NoPlan,
            Reason::Unreadable("x".into()),
            Reason::OtherKind("officers".into()),
            Reason::OtherScheme(Scheme::Calendar),
            Reason::OtherPeriod("2021-Q2".into()),
            Reason::OtherYear(2022),
            Reason::OtherDate(NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()),
            Reason::DataErrors(2),
            Reason::Duplicate("xa/son-hong".into()),
        ];
        for r in all {
            assert!(!r.code().is_empty());
            let (vi, en) = (r.render(Lang::Vi), r.render(Lang::En));
            assert_ne!(vi, en, "{r:?}");
            assert_eq!(vi, crate::text::nfc(&vi), "{r:?} not NFC");
        }
    }
}
