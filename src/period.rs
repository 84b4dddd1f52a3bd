//! Reporting periods: the one place that knows where periods begin and end.
//!
//! A [`Period`] is a closed interval of dates `[start, end]` of a given [`Size`] (week, month,
//! quarter, half-year, nine months, year) under a [`Scheme`]:
//!
//! - [`Scheme::Nd09`], the data cut-off of Nghị định 09/2019/NĐ-CP: a period made of the calendar
//!   months `m1..=m2` of year N runs from the 15th of the month before `m1` to the 14th of `m2`.
//!   Quarter I of year N is 15/12/(N-1)–14/03/N, II 15/03–14/06, III 15/06–14/09, IV 15/09–14/12;
//!   half I is 15/12/(N-1)–14/06, half II 15/06–14/12; nine months 15/12/(N-1)–14/09; the year
//!   15/12/(N-1)–14/12/N; month M 15/(M-1)–14/M (month 1 is 15/12/(N-1)–14/01/N).
//! - [`Scheme::Calendar`]: calendar months, quarters, halves, nine months (01/01–30/09) and years.
//!
//! Weeks are ISO 8601 weeks (Monday to Sunday) under both schemes: `year` is the ISO week-year and
//! `index` the ISO week number. A week keeps the scheme it was built with, as a tag only; its
//! dates do not depend on it.
//!
//! `index` is the month (1–12), quarter (1–4), half (1–2) or ISO week (1–53) number, and 1 for a
//! year or nine months. `year` is the year the period is named after: under `nd09`, quarter I of
//! 2021 has `year` 2021 though it starts on 2020-12-15.
//!
//! This module also owns the names of periods: Vietnamese labels ([`Period::label`],
//! [`Period::short_label`]), English labels ([`Period::label_en`]), stable codes
//! ([`Period::code`], read back by [`Period::parse`]) and Roman numerals ([`roman`]).
//!
//! Nothing here panics. Constructors that take an index return `None` when it is out of range
//! or the dates are beyond what [`NaiveDate`] can represent; [`Period::year`],
//! [`Period::nine_months`] and [`Period::containing`] always succeed, cutting periods at the
//! ends of that range (about ±262,000 years, far from any real plan).

use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::lang::Lang;
use crate::scheme::{Every, Scheme};

/// The size of a period. Serialized in snake case: `week`, `month`, `quarter`, `half`,
/// `nine_months`, `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// An ISO week, Monday to Sunday.
    Week,
    /// A month (under `nd09`: 15th of the previous month to the 14th).
    Month,
    /// A quarter.
    Quarter,
    /// A half-year.
    Half,
    /// The first nine months of a year (not in ND 09 itself; some provinces add it).
    NineMonths,
    /// A whole year.
    Year,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 6] = [
        Size::Week,
        Size::Month,
        Size::Quarter,
        Size::Half,
        Size::NineMonths,
        Size::Year,
    ];

    /// The name used in plan files and JSON: `week`, `month`, `quarter`, `half`, `nine_months`,
    /// `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Week => "week",
            Size::Month => "month",
            Size::Quarter => "quarter",
            Size::Half => "half",
            Size::NineMonths => "nine_months",
            Size::Year => "year",
        }
    }

    /// Reads a size name: `week`, `month`, `quarter`, `half`, `year` (also `nine_months`),
    /// ignoring ASCII case and surrounding spaces.
    pub fn parse(s: &str) -> Result<Size, PeriodError> {
        let t = s.trim();
        Size::ALL
            .into_iter()
            .find(|size| size.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| PeriodError::UnknownSize(s.to_string()))
    }

    /// The largest `index` of a period of this size in a year, or `None` for weeks (52 or 53,
    /// depending on the ISO year).
    fn per_year(self) -> Option<u32> {
        match self {
            Size::Week => None,
            Size::Month => Some(12),
            Size::Quarter => Some(4),
            Size::Half => Some(2),
            Size::NineMonths | Size::Year => Some(1),
        }
    }

    /// The largest `index` of a period of this size in (ISO) year `year`.
    fn last_index(self, year: i32) -> u32 {
        self.per_year().unwrap_or_else(|| last_iso_week(year))
    }

    /// The calendar months `(first, last)` that period `index` of this size is made of, or
    /// `None` for weeks and out-of-range indexes.
    fn months(self, index: u32) -> Option<(u32, u32)> {
        if index < 1 || index > self.per_year()? {
            return None;
        }
        Some(match self {
            Size::Week => return None,
            Size::Month => (index, index),
            Size::Quarter => (3 * index - 2, 3 * index),
            Size::Half => (6 * index - 5, 6 * index),
            Size::NineMonths => (1, 9),
            Size::Year => (1, 12),
        })
    }

    /// The index of the period of this size that contains calendar month `month` (1–12).
    /// For nine months (which does not cover the whole year) and years, always 1.
    fn index_of_month(self, month: u32) -> u32 {
        match self {
            Size::Week | Size::NineMonths | Size::Year => 1,
            Size::Month => month,
            Size::Quarter => month.div_ceil(3),
            Size::Half => month.div_ceil(6),
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Every> for Size {
    fn from(every: Every) -> Size {
        match every {
            Every::Week => Size::Week,
            Every::Month => Size::Month,
            Every::Quarter => Size::Quarter,
            Every::Half => Size::Half,
            Every::Year => Size::Year,
        }
    }
}

/// Why a period or size could not be read. The messages are English and say what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// Nothing but spaces.
    Empty,
    /// Not of any accepted shape; holds the input.
    Syntax(String),
    /// A quarter number other than 1 to 4.
    Quarter(u32),
    /// A half number other than 1 or 2.
    Half(u32),
    /// A month number other than 1 to 12.
    Month(u32),
    /// A week number that the ISO year does not have.
    Week {
        /// The ISO year asked for.
        year: i32,
        /// The week asked for.
        week: u32,
        /// The last week of that year, 52 or 53.
        last: u32,
    },
    /// A period whose dates [`NaiveDate`] cannot represent.
    OutOfRange(String),
    /// Not a size name; holds the input.
    UnknownSize(String),
}

const ACCEPTED: &str = "use 2021, 2021-H1, 2021-Q3, 2021-03 or 2021-W07";

/// In English; [`PeriodError::render`] says it in the user's language.
impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodError::Empty => write!(f, "no period given: {ACCEPTED}"),
            PeriodError::Syntax(s) => write!(f, "'{s}' is not a period: {ACCEPTED}"),
            PeriodError::Quarter(q) => write!(f, "quarter must be 1 to 4, got {q}"),
            PeriodError::Half(h) => write!(f, "half must be 1 or 2, got {h}"),
            PeriodError::Month(m) => write!(f, "month must be 1 to 12, got {m}"),
            PeriodError::Week { year, week, last } => {
                write!(f, "week must be 1 to {last} in {year}, got {week}")
            }
            PeriodError::OutOfRange(s) => write!(f, "'{s}' is out of the supported date range"),
            PeriodError::UnknownSize(s) => write!(
                f,
                "'{s}' is not a period size: use week, month, quarter, half or year"
            ),
        }
    }
}

impl PeriodError {
    /// The error in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => Vi(self).to_string(),
            Lang::En => self.to_string(),
        }
    }
}

/// A [`PeriodError`] said in Vietnamese.
struct Vi<'a>(&'a PeriodError);

impl fmt::Display for Vi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DUNG: &str = "viết 2021, 2021-H1, 2021-Q3, 2021-03 hoặc 2021-W07";
        match self.0 {
            PeriodError::Empty => write!(f, "chưa ghi kỳ: {DUNG}"),
            PeriodError::Syntax(s) => write!(f, "'{s}' không phải kỳ: {DUNG}"),
            PeriodError::Quarter(q) => write!(f, "quý phải từ 1 đến 4, không phải {q}"),
            PeriodError::Half(h) => write!(f, "6 tháng phải là 1 hoặc 2, không phải {h}"),
            PeriodError::Month(m) => write!(f, "tháng phải từ 1 đến 12, không phải {m}"),
            PeriodError::Week { year, week, last } => {
                write!(
                    f,
                    "năm {year} có tuần từ 1 đến {last}, không có tuần {week}"
                )
            }
            PeriodError::OutOfRange(s) => write!(f, "'{s}' nằm ngoài khoảng ngày hỗ trợ"),
            PeriodError::UnknownSize(s) => write!(
                f,
                "'{s}' không phải loại kỳ: dùng week, month, quarter, half hoặc year"
            ),
        }
    }
}

impl std::error::Error for PeriodError {}

/// A reporting period: the closed date interval `[start, end]`.
///
/// Build one with [`Period::new`], [`Period::year`], [`Period::quarter`], [`Period::half`],
/// [`Period::month`], [`Period::nine_months`], [`Period::iso_week`], [`Period::containing`] or
/// [`Period::parse`]; the fields are public for reading.
///
/// Serialized (by hand) as an object:
/// `{"code": "2021-Q1", "label": "Quý I năm 2021", "start": "2020-12-15", "end": "2021-03-14",
/// "scheme": "nd09", "size": "quarter"}`, dates in ISO 8601.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// How period edges are drawn.
    pub scheme: Scheme,
    /// Week, month, quarter, half, nine months or year.
    pub size: Size,
    /// The year the period is named after (for weeks, the ISO week-year).
    pub year: i32,
    /// Month, quarter, half or week number; 1 for a year or nine months.
    pub index: u32,
    /// First day, included.
    pub start: NaiveDate,
    /// Last day, included.
    pub end: NaiveDate,
}

// `Scheme` does not implement `Hash`, so hash its discriminant; consistent with the derived `Eq`.
impl Hash for Period {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(&self.scheme).hash(state);
        self.size.hash(state);
        self.year.hash(state);
        self.index.hash(state);
        self.start.hash(state);
        self.end.hash(state);
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Period", 6)?;
        s.serialize_field("code", &self.code())?;
        s.serialize_field("label", &self.label())?;
        s.serialize_field("start", &self.start)?;
        s.serialize_field("end", &self.end)?;
        s.serialize_field("scheme", &self.scheme)?;
        s.serialize_field("size", &self.size)?;
        s.end()
    }
}

impl fmt::Display for Period {
    /// Writes the [code](Period::code), e.g. `2021-Q1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// The day `day` of month `month` of `year`, or of the month before when `before` is set.
fn day_of(year: i32, month: u32, day: u32, before: bool) -> Option<NaiveDate> {
    let (y, m) = if !before {
        (year, month)
    } else if month == 1 {
        (year.checked_sub(1)?, 12)
    } else {
        (year, month - 1)
    };
    NaiveDate::from_ymd_opt(y, m, day)
}

/// The last day of a calendar month.
fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    (28..=31)
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

/// First and last day of the non-week period, each `None` if out of range.
fn edges(
    scheme: Scheme,
    year: i32,
    first: u32,
    last: u32,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match scheme {
        Scheme::Nd09 => (day_of(year, first, 15, true), day_of(year, last, 14, false)),
        Scheme::Calendar => (day_of(year, first, 1, false), last_day(year, last)),
    }
}

/// 1 June of `year`, which lies in the year and nine months named `year` under both schemes;
/// years beyond the representable range are brought to its first or last year.
fn mid_year(year: i32) -> NaiveDate {
    let year = year.clamp(NaiveDate::MIN.year(), NaiveDate::MAX.year());
    NaiveDate::from_ymd_opt(year, 6, 1).unwrap_or(NaiveDate::MAX)
}

/// The last ISO week number of an ISO year: 52 or 53.
fn last_iso_week(year: i32) -> u32 {
    if NaiveDate::from_isoywd_opt(year, 53, Weekday::Mon).is_some() {
        53
    } else {
        52
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// Period `index` of `size` in `year` under `scheme`, or `None` if the index is out of range
    /// (month 1–12, quarter 1–4, half 1–2, week 1–52 or 53, year and nine months 1) or its dates
    /// cannot be represented.
    pub fn new(scheme: Scheme, size: Size, year: i32, index: u32) -> Option<Period> {
        let (start, end) = if size == Size::Week {
            let start = NaiveDate::from_isoywd_opt(year, index, Weekday::Mon)?;
            let end = NaiveDate::from_isoywd_opt(year, index, Weekday::Sun)?;
            (start, end)
        } else {
            let (first, last) = size.months(index)?;
            let (start, end) = edges(scheme, year, first, last);
            (start?, end?)
        };
        Some(Period {
            scheme,
            size,
            year,
            index,
            start,
            end,
        })
    }

    /// The year `year`: under `nd09` 15/12/(year-1)–14/12/year, else 01/01–31/12.
    ///
    /// Always succeeds: a year beyond what [`NaiveDate`] represents (about ±262,000) gives the
    /// first or last year it can represent, cut at [`NaiveDate::MIN`] or [`NaiveDate::MAX`].
    pub fn year(scheme: Scheme, year: i32) -> Period {
        Period::containing(scheme, Size::Year, mid_year(year))
    }

    /// Quarter `quarter` (1–4) of `year`.
    pub fn quarter(scheme: Scheme, year: i32, quarter: u32) -> Option<Period> {
        Period::new(scheme, Size::Quarter, year, quarter)
    }

    /// Half `half` (1: first six months, 2: last six) of `year`.
    pub fn half(scheme: Scheme, year: i32, half: u32) -> Option<Period> {
        Period::new(scheme, Size::Half, year, half)
    }

    /// Month `month` (1–12) of `year`.
    pub fn month(scheme: Scheme, year: i32, month: u32) -> Option<Period> {
        Period::new(scheme, Size::Month, year, month)
    }

    /// The first nine months of `year`: under `nd09` 15/12/(year-1)–14/09, else 01/01–30/09.
    /// Always succeeds, like [`Period::year`].
    pub fn nine_months(scheme: Scheme, year: i32) -> Period {
        Period::containing(scheme, Size::NineMonths, mid_year(year))
    }

    /// ISO week `week` of ISO year `year`, Monday to Sunday, tagged with the default scheme
    /// (`nd09`); `None` if the year has no such week (week 53 exists in some years only).
    /// Use [`Period::new`] with [`Size::Week`] to tag another scheme.
    pub fn iso_week(year: i32, week: u32) -> Option<Period> {
        Period::new(Scheme::default(), Size::Week, year, week)
    }

    /// The period of `size` under `scheme` that contains `date`.
    ///
    /// Under `nd09` a date on or after the 15th belongs to the next month's period: the `nd09`
    /// quarter containing 2021-03-15 is Q2/2021, and 2021-12-15 is in Q1/2022 and year 2022.
    ///
    /// Nine months do not cover a whole year: for a date after the nine months of its year
    /// (from 15/09 under `nd09`, from 01/10 under `calendar`) this returns those nine months,
    /// which do not contain the date; check [`Period::contains`] if that matters.
    ///
    /// Never fails: within a few days of the ends of [`NaiveDate`]'s range, the period is cut
    /// at [`NaiveDate::MIN`] or [`NaiveDate::MAX`].
    pub fn containing(scheme: Scheme, size: Size, date: NaiveDate) -> Period {
        let (year, index, start, end) = if size == Size::Week {
            let w = date.iso_week();
            (
                w.year(),
                w.week(),
                NaiveDate::from_isoywd_opt(w.year(), w.week(), Weekday::Mon),
                NaiveDate::from_isoywd_opt(w.year(), w.week(), Weekday::Sun),
            )
        } else {
            let (mut year, mut month) = (date.year(), date.month());
            if scheme == Scheme::Nd09 && date.day() >= 15 {
                if month == 12 {
                    // `date.year()` is far from `i32::MAX`, so this cannot overflow.
                    year += 1;
                    month = 1;
                } else {
                    month += 1;
                }
            }
            let index = size.index_of_month(month);
            let (first, last) = size.months(index).unwrap_or((month, month));
            let (start, end) = edges(scheme, year, first, last);
            (year, index, start, end)
        };
        Period {
            scheme,
            size,
            year,
            index,
            // Only the ends of the representable range can fail here.
            start: start.unwrap_or(NaiveDate::MIN),
            end: end.unwrap_or(NaiveDate::MAX),
        }
    }

    /// Whether `date` lies in `[start, end]`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The number of days in the period, both ends included.
    pub fn days(&self) -> u32 {
        let n = (self.end - self.start).num_days() + 1;
        u32::try_from(n).unwrap_or(0)
    }

    /// The period of the same scheme and size that follows this one (Q4/2021 → Q1/2022, week
    /// 2020-W53 → 2021-W01, nine months 2021 → nine months 2022); `None` beyond the date range.
    pub fn next(&self) -> Option<Period> {
        if self.index >= self.size.last_index(self.year) {
            Period::new(self.scheme, self.size, self.year.checked_add(1)?, 1)
        } else {
            Period::new(self.scheme, self.size, self.year, self.index + 1)
        }
    }

    /// The period of the same scheme and size before this one (Q1/2022 → Q4/2021, week
    /// 2021-W01 → 2020-W53); `None` beyond the date range.
    pub fn prev(&self) -> Option<Period> {
        if self.index <= 1 {
            let year = self.year.checked_sub(1)?;
            Period::new(self.scheme, self.size, year, self.size.last_index(year))
        } else {
            Period::new(self.scheme, self.size, self.year, self.index - 1)
        }
    }

    /// Every period of `size` under `scheme` that falls within `outer`, in order.
    ///
    /// For months, quarters, halves, nine months and years: the periods whose whole range
    /// `[start, end]` lies within `outer` (`nd09` year 2021 holds 12 `nd09` months, the first
    /// 2020-12-15..2021-01-14; a calendar year holds no `nd09` quarter I).
    ///
    /// For weeks the rule is different, since weeks do not line up with months: the ISO weeks
    /// whose **Sunday** (last day) lies within `outer`. Such a week overlaps `outer` and starts
    /// at most 6 days before `outer.start`; a week that starts within `outer` but ends after
    /// it belongs to the next period. So consecutive periods that tile time (the quarters of a
    /// year, successive years) share no week, and every week is counted exactly once. Example:
    /// the weeks of `nd09` year 2021 (2020-12-15..2021-12-14) are 2020-W51 (2020-12-14..20)
    /// through 2021-W49 (2021-12-06..12); 2021-W50 (2021-12-13..19) goes to `nd09` year 2022.
    pub fn periods_in(scheme: Scheme, size: Size, outer: &Period) -> Vec<Period> {
        let mut out = Vec::new();
        // The first candidate ends on or after `outer.start`: for weeks, the week containing
        // it (whose Sunday is the first one on or after it).
        let mut current = Some(Period::containing(scheme, size, outer.start));
        while let Some(p) = current {
            // Later candidates end later still.
            if p.end > outer.end {
                break;
            }
            if size == Size::Week || p.start >= outer.start {
                out.push(p);
            }
            current = p.next();
        }
        out
    }

    /// The Vietnamese full label: "Tuần 07/2021", "Tháng 3 năm 2021", "Quý I năm 2021",
    /// "6 tháng đầu năm 2021", "6 tháng cuối năm 2021", "9 tháng năm 2021", "Năm 2021".
    pub fn label(&self) -> String {
        let y = self.year;
        match self.size {
            Size::Week => format!("Tuần {:02}/{y}", self.index),
            Size::Month => format!("Tháng {} năm {y}", self.index),
            Size::Quarter => format!("Quý {} năm {y}", roman(self.index)),
            Size::Half | Size::NineMonths | Size::Year => self.short_label(),
        }
    }

    /// The Vietnamese short label: "Tuần 07/2021", "Tháng 3/2021", "Quý I/2021",
    /// "6 tháng đầu năm 2021", "6 tháng cuối năm 2021", "9 tháng năm 2021", "Năm 2021".
    /// Labels are capitalised; callers lowercase the first letter inside a sentence.
    pub fn short_label(&self) -> String {
        let y = self.year;
        match self.size {
            Size::Week => format!("Tuần {:02}/{y}", self.index),
            Size::Month => format!("Tháng {}/{y}", self.index),
            Size::Quarter => format!("Quý {}/{y}", roman(self.index)),
            Size::Half if self.index == 1 => format!("6 tháng đầu năm {y}"),
            Size::Half => format!("6 tháng cuối năm {y}"),
            Size::NineMonths => format!("9 tháng năm {y}"),
            Size::Year => format!("Năm {y}"),
        }
    }

    /// The English label: "Week 07/2021", "March 2021", "Q1 2021", "H1 2021",
    /// "9 months 2021", "Year 2021".
    pub fn label_en(&self) -> String {
        let y = self.year;
        match self.size {
            Size::Week => format!("Week {:02}/{y}", self.index),
            Size::Month => match self
                .index
                .checked_sub(1)
                .and_then(|i| MONTHS_EN.get(i as usize))
            {
                Some(name) => format!("{name} {y}"),
                None => format!("Month {} {y}", self.index),
            },
            Size::Quarter => format!("Q{} {y}", self.index),
            Size::Half => format!("H{} {y}", self.index),
            Size::NineMonths => format!("9 months {y}"),
            Size::Year => format!("Year {y}"),
        }
    }

    /// The stable code, read back by [`Period::parse`]: "2021-W07", "2021-03", "2021-Q1",
    /// "2021-H2", "2021-9M", "2021". The year has at least four digits.
    pub fn code(&self) -> String {
        let y = self.year;
        match self.size {
            Size::Week => format!("{y:04}-W{:02}", self.index),
            Size::Month => format!("{y:04}-{:02}", self.index),
            Size::Quarter => format!("{y:04}-Q{}", self.index),
            Size::Half => format!("{y:04}-H{}", self.index),
            Size::NineMonths => format!("{y:04}-9M"),
            Size::Year => format!("{y:04}"),
        }
    }

    /// Reads a period code under `scheme`: `2021` (year), `2021-H1`/`2021-H2` (half),
    /// `2021-9M` (nine months), `2021-Q1`..`2021-Q4` (quarter), `2021-03` or `2021-3` (month),
    /// `2021-W07` or `2021W07` (ISO week). Letters may be either case, the dash may be left out
    /// before a letter (`2021Q1`), and surrounding spaces are ignored. The year is four digits.
    pub fn parse(scheme: Scheme, s: &str) -> Result<Period, PeriodError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(PeriodError::Empty);
        }
        let syntax = || PeriodError::Syntax(t.to_string());
        let bytes = t.as_bytes();
        if bytes.len() < 4 || !bytes[..4].iter().all(u8::is_ascii_digit) {
            return Err(syntax());
        }
        // The first four bytes are ASCII digits, so slicing at 4 is on a char boundary.
        let year: i32 = t[..4].parse().map_err(|_| syntax())?;
        let rest = &t[4..];
        let out_of_range = || PeriodError::OutOfRange(t.to_string());
        if rest.is_empty() {
            return Ok(Period::year(scheme, year));
        }
        let (dashed, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let number = |digits: &str| -> Result<u32, PeriodError> {
            if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(syntax());
            }
            digits.parse().map_err(|_| syntax())
        };
        let mut chars = rest.chars();
        let (size, index) = match chars.next().map(|c| c.to_ascii_uppercase()) {
            Some('Q') => {
                let q = number(chars.as_str())?;
                if !(1..=4).contains(&q) {
                    return Err(PeriodError::Quarter(q));
                }
                (Size::Quarter, q)
            }
            Some('H') => {
                let h = number(chars.as_str())?;
                if !(1..=2).contains(&h) {
                    return Err(PeriodError::Half(h));
                }
                (Size::Half, h)
            }
            Some('W') => {
                let w = number(chars.as_str())?;
                let last = last_iso_week(year);
                if w < 1 || w > last {
                    return Err(PeriodError::Week {
                        year,
                        week: w,
                        last,
                    });
                }
                (Size::Week, w)
            }
            Some(_) if dashed && rest.eq_ignore_ascii_case("9m") => (Size::NineMonths, 1),
            Some(c) if dashed && c.is_ascii_digit() => {
                let m = number(rest)?;
                if !(1..=12).contains(&m) {
                    return Err(PeriodError::Month(m));
                }
                (Size::Month, m)
            }
            _ => return Err(syntax()),
        };
        Period::new(scheme, size, year, index).ok_or_else(out_of_range)
    }
}

/// The Roman numeral for `n` (1 to 3999: "I" to "MMMCMXCIX"), as used for quarters ("Quý IV")
/// and report sections. Outside that range, where Roman numerals have no standard form, the
/// decimal digits ("0", "4000").
pub fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if !(1..=3999).contains(&n) {
        return n.to_string();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ND: Scheme = Scheme::Nd09;
    const CAL: Scheme = Scheme::Calendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn q(scheme: Scheme, y: i32, n: u32) -> Period {
        Period::quarter(scheme, y, n).unwrap()
    }

    fn span(p: &Period) -> (NaiveDate, NaiveDate) {
        (p.start, p.end)
    }

    // ---- nd09 edges ----

    #[test]
    fn nd09_quarters_of_2021() {
        assert_eq!(span(&q(ND, 2021, 1)), (d(2020, 12, 15), d(2021, 3, 14)));
        assert_eq!(span(&q(ND, 2021, 2)), (d(2021, 3, 15), d(2021, 6, 14)));
        assert_eq!(span(&q(ND, 2021, 3)), (d(2021, 6, 15), d(2021, 9, 14)));
        assert_eq!(span(&q(ND, 2021, 4)), (d(2021, 9, 15), d(2021, 12, 14)));
    }

    #[test]
    fn nd09_quarter_edges_both_sides() {
        let cases = [
            (d(2020, 12, 14), 2020, 4),
            (d(2020, 12, 15), 2021, 1),
            (d(2021, 3, 14), 2021, 1),
            (d(2021, 3, 15), 2021, 2),
            (d(2021, 6, 14), 2021, 2),
            (d(2021, 6, 15), 2021, 3),
            (d(2021, 9, 14), 2021, 3),
            (d(2021, 9, 15), 2021, 4),
            (d(2021, 12, 14), 2021, 4),
            (d(2021, 12, 15), 2022, 1),
        ];
        for (date, year, index) in cases {
            let p = Period::containing(ND, Size::Quarter, date);
            assert_eq!((p.year, p.index), (year, index), "{date}");
            assert_eq!(p, q(ND, year, index), "{date}");
            assert!(p.contains(date), "{date}");
            // The neighbours do not contain it.
            assert!(!p.prev().unwrap().contains(date), "{date}");
            assert!(!p.next().unwrap().contains(date), "{date}");
        }
    }

    #[test]
    fn nd09_containing_across_year_boundary() {
        let y = |date| Period::containing(ND, Size::Year, date);
        assert_eq!(y(d(2020, 12, 15)), Period::year(ND, 2021));
        assert_eq!(y(d(2020, 12, 14)), Period::year(ND, 2020));
        assert_eq!(y(d(2021, 12, 15)), Period::year(ND, 2022));
        assert_eq!(y(d(2021, 12, 14)).year, 2021);
        assert_eq!(y(d(2021, 12, 31)).year, 2022);
        assert_eq!(y(d(2021, 1, 1)).year, 2021);
        assert_eq!(
            span(&Period::year(ND, 2021)),
            (d(2020, 12, 15), d(2021, 12, 14))
        );
        assert_eq!(Period::year(ND, 2021).days(), 365);
    }

    #[test]
    fn nd09_halves() {
        let h1 = Period::half(ND, 2021, 1).unwrap();
        let h2 = Period::half(ND, 2021, 2).unwrap();
        assert_eq!(span(&h1), (d(2020, 12, 15), d(2021, 6, 14)));
        assert_eq!(span(&h2), (d(2021, 6, 15), d(2021, 12, 14)));
        assert_eq!(Period::containing(ND, Size::Half, d(2021, 6, 14)), h1);
        assert_eq!(Period::containing(ND, Size::Half, d(2021, 6, 15)), h2);
        assert_eq!(Period::containing(ND, Size::Half, d(2020, 12, 15)), h1);
        assert_eq!(
            Period::containing(ND, Size::Half, d(2021, 12, 15)),
            Period::half(ND, 2022, 1).unwrap()
        );
        assert!(Period::half(ND, 2021, 0).is_none());
        assert!(Period::half(ND, 2021, 3).is_none());
    }

    #[test]
    fn nd09_months() {
        let m1 = Period::month(ND, 2021, 1).unwrap();
        assert_eq!(span(&m1), (d(2020, 12, 15), d(2021, 1, 14)));
        let m3 = Period::month(ND, 2021, 3).unwrap();
        assert_eq!(span(&m3), (d(2021, 2, 15), d(2021, 3, 14)));
        let m12 = Period::month(ND, 2021, 12).unwrap();
        assert_eq!(span(&m12), (d(2021, 11, 15), d(2021, 12, 14)));
        assert_eq!(Period::containing(ND, Size::Month, d(2021, 3, 14)), m3);
        assert_eq!(Period::containing(ND, Size::Month, d(2021, 3, 15)).index, 4);
        assert_eq!(Period::containing(ND, Size::Month, d(2020, 12, 31)), m1);
        // nd09 March 2020 holds the leap day.
        assert_eq!(Period::month(ND, 2020, 3).unwrap().days(), 29);
        assert!(Period::month(ND, 2021, 0).is_none());
        assert!(Period::month(ND, 2021, 13).is_none());
    }

    #[test]
    fn nd09_nine_months() {
        let p = Period::nine_months(ND, 2021);
        assert_eq!(span(&p), (d(2020, 12, 15), d(2021, 9, 14)));
        assert_eq!(Period::containing(ND, Size::NineMonths, d(2021, 9, 14)), p);
        assert_eq!(Period::containing(ND, Size::NineMonths, d(2020, 12, 15)), p);
        // After the window: the nine months of the same nd09 year, which do not contain it.
        let after = Period::containing(ND, Size::NineMonths, d(2021, 9, 15));
        assert_eq!(after, p);
        assert!(!after.contains(d(2021, 9, 15)));
        assert_eq!(p.next().unwrap(), Period::nine_months(ND, 2022));
        assert_eq!(p.prev().unwrap(), Period::nine_months(ND, 2020));
    }

    // ---- calendar edges ----

    #[test]
    fn calendar_quarters_halves_years() {
        assert_eq!(span(&q(CAL, 2021, 1)), (d(2021, 1, 1), d(2021, 3, 31)));
        assert_eq!(q(CAL, 2021, 2).start, d(2021, 4, 1));
        assert_eq!(q(CAL, 2021, 2).end, d(2021, 6, 30));
        assert_eq!(span(&q(CAL, 2021, 3)), (d(2021, 7, 1), d(2021, 9, 30)));
        assert_eq!(span(&q(CAL, 2021, 4)), (d(2021, 10, 1), d(2021, 12, 31)));
        assert_eq!(Period::half(CAL, 2021, 2).unwrap().start, d(2021, 7, 1));
        assert_eq!(Period::half(CAL, 2021, 1).unwrap().end, d(2021, 6, 30));
        let y = Period::year(CAL, 2021);
        assert_eq!(span(&y), (d(2021, 1, 1), d(2021, 12, 31)));
        assert_eq!(Period::year(CAL, 2020).days(), 366);
        let nine = Period::nine_months(CAL, 2021);
        assert_eq!(span(&nine), (d(2021, 1, 1), d(2021, 9, 30)));
        for (date, index) in [
            (d(2021, 3, 31), 1),
            (d(2021, 4, 1), 2),
            (d(2021, 6, 30), 2),
            (d(2021, 7, 1), 3),
            (d(2021, 9, 30), 3),
            (d(2021, 10, 1), 4),
            (d(2021, 12, 31), 4),
        ] {
            let p = Period::containing(CAL, Size::Quarter, date);
            assert_eq!((p.year, p.index), (2021, index), "{date}");
        }
        assert_eq!(
            Period::containing(CAL, Size::Year, d(2021, 12, 31)).year,
            2021
        );
        assert_eq!(
            Period::containing(CAL, Size::Year, d(2021, 12, 15)).year,
            2021
        );
    }

    #[test]
    fn calendar_months_and_february() {
        assert_eq!(Period::month(CAL, 2020, 2).unwrap().end, d(2020, 2, 29));
        assert_eq!(Period::month(CAL, 2021, 2).unwrap().end, d(2021, 2, 28));
        assert_eq!(Period::month(CAL, 2021, 2).unwrap().days(), 28);
        assert_eq!(Period::month(CAL, 1900, 2).unwrap().end, d(1900, 2, 28));
        assert_eq!(Period::month(CAL, 2000, 2).unwrap().end, d(2000, 2, 29));
        for m in 1..=12 {
            let p = Period::month(CAL, 2021, m).unwrap();
            assert_eq!(p.start, d(2021, m, 1));
            assert_eq!(p.end.succ_opt().unwrap().day(), 1);
            assert_eq!(Period::containing(CAL, Size::Month, p.end), p);
        }
    }

    // ---- ISO weeks ----

    #[test]
    fn iso_weeks() {
        let w1 = Period::iso_week(2021, 1).unwrap();
        assert_eq!(span(&w1), (d(2021, 1, 4), d(2021, 1, 10)));
        assert_eq!(w1.start.weekday(), Weekday::Mon);
        assert_eq!(w1.days(), 7);
        let w = Period::containing(ND, Size::Week, d(2021, 1, 3));
        assert_eq!((w.year, w.index), (2020, 53));
        assert_eq!(span(&w), (d(2020, 12, 28), d(2021, 1, 3)));
        assert!(Period::iso_week(2021, 52).is_some());
        assert!(Period::iso_week(2021, 53).is_none());
        assert!(Period::iso_week(2020, 53).is_some());
        assert!(Period::iso_week(2021, 0).is_none());
        // Weeks are the same under both schemes.
        let c = Period::containing(CAL, Size::Week, d(2021, 2, 17));
        let n = Period::containing(ND, Size::Week, d(2021, 2, 17));
        assert_eq!(span(&c), span(&n));
        assert_eq!((c.year, c.index), (2021, 7));
        assert_eq!(c.scheme, CAL);
        assert_eq!(Period::new(CAL, Size::Week, 2021, 7), Some(c));
        // The ISO year of late-December days can be the next year.
        let late = Period::containing(CAL, Size::Week, d(2024, 12, 30));
        assert_eq!((late.year, late.index), (2025, 1));
    }

    // ---- next / prev ----

    #[test]
    fn next_prev_across_years() {
        let q4 = q(ND, 2021, 4);
        let q1 = q4.next().unwrap();
        assert_eq!(q1, q(ND, 2022, 1));
        assert_eq!(q1.start, d(2021, 12, 15));
        assert_eq!(q1.prev().unwrap(), q4);

        assert_eq!(q(CAL, 2021, 4).next().unwrap(), q(CAL, 2022, 1));
        assert_eq!(q(CAL, 2022, 1).prev().unwrap(), q(CAL, 2021, 4));

        for scheme in [ND, CAL] {
            let dec = Period::month(scheme, 2021, 12).unwrap();
            assert_eq!(dec.next(), Period::month(scheme, 2022, 1));
            assert_eq!(Period::month(scheme, 2022, 1).unwrap().prev(), Some(dec));
            let h2 = Period::half(scheme, 2021, 2).unwrap();
            assert_eq!(h2.next(), Period::half(scheme, 2022, 1));
            let y = Period::year(scheme, 2021);
            assert_eq!(y.next(), Some(Period::year(scheme, 2022)));
            assert_eq!(y.prev(), Some(Period::year(scheme, 2020)));
        }

        let w53 = Period::iso_week(2020, 53).unwrap();
        assert_eq!(w53.next(), Period::iso_week(2021, 1));
        assert_eq!(Period::iso_week(2021, 1).unwrap().prev(), Some(w53));
        let w52 = Period::iso_week(2021, 52).unwrap();
        assert_eq!(w52.next(), Period::iso_week(2022, 1));
        assert_eq!(Period::iso_week(2022, 1).unwrap().prev(), Some(w52));
    }

    #[test]
    fn consecutive_periods_tile_time() {
        for scheme in [ND, CAL] {
            for size in [
                Size::Week,
                Size::Month,
                Size::Quarter,
                Size::Half,
                Size::Year,
            ] {
                let mut p = Period::containing(scheme, size, d(2019, 11, 20));
                for _ in 0..60 {
                    let n = p.next().unwrap();
                    assert_eq!(p.end.succ_opt(), Some(n.start), "{scheme:?} {size} {p}");
                    assert_eq!(n.prev(), Some(p));
                    assert_eq!(Period::containing(scheme, size, n.start), n);
                    assert_eq!(Period::containing(scheme, size, n.end), n);
                    p = n;
                }
            }
        }
    }

    #[test]
    fn out_of_range_is_none_or_clamped_not_panic() {
        // Years beyond chrono's range give its first or last year.
        let top = Period::year(CAL, i32::MAX);
        assert_eq!((top.year, top.end), (NaiveDate::MAX.year(), NaiveDate::MAX));
        assert_eq!(Period::year(ND, i32::MAX).year, NaiveDate::MAX.year());
        let bottom = Period::year(CAL, i32::MIN);
        assert_eq!(
            (bottom.year, bottom.start),
            (NaiveDate::MIN.year(), NaiveDate::MIN)
        );
        assert!(Period::year(ND, i32::MIN).contains(NaiveDate::MIN));
        assert_eq!(
            Period::nine_months(ND, i32::MAX).year,
            NaiveDate::MAX.year()
        );
        assert!(Period::quarter(ND, i32::MAX, 1).is_none());
        assert!(Period::month(CAL, i32::MIN, 1).is_none());
        assert!(Period::iso_week(i32::MAX, 1).is_none());
        let last = Period::containing(ND, Size::Year, NaiveDate::MAX);
        assert!(last.contains(NaiveDate::MAX));
        assert!(last.next().is_none());
        let first = Period::containing(ND, Size::Quarter, NaiveDate::MIN);
        assert!(first.contains(NaiveDate::MIN));
        assert!(first.prev().is_none());
        let w = Period::containing(CAL, Size::Week, NaiveDate::MAX);
        assert!(w.contains(NaiveDate::MAX));
        let _ = w.next();
        let _ = Period::containing(CAL, Size::Week, NaiveDate::MIN).prev();
    }

    // ---- periods_in ----

    #[test]
    fn periods_in_nd09_year() {
        let y = Period::year(ND, 2021);
        let quarters = Period::periods_in(ND, Size::Quarter, &y);
        assert_eq!(
            quarters,
            (1..=4).map(|i| q(ND, 2021, i)).collect::<Vec<_>>()
        );
        let months = Period::periods_in(ND, Size::Month, &y);
        assert_eq!(months.len(), 12);
        assert_eq!(span(&months[0]), (d(2020, 12, 15), d(2021, 1, 14)));
        assert_eq!(months[11].end, d(2021, 12, 14));
        let halves = Period::periods_in(ND, Size::Half, &y);
        assert_eq!(halves.len(), 2);
        assert_eq!(Period::periods_in(ND, Size::Year, &y), vec![y]);
        assert_eq!(
            Period::periods_in(ND, Size::NineMonths, &y),
            vec![Period::nine_months(ND, 2021)]
        );
        assert!(Period::periods_in(ND, Size::Year, &q(ND, 2021, 1)).is_empty());
    }

    #[test]
    fn periods_in_weeks_end_within_outer() {
        let y = Period::year(ND, 2021);
        let weeks = Period::periods_in(ND, Size::Week, &y);
        let first = weeks[0];
        assert_eq!((first.year, first.index), (2020, 51));
        assert_eq!(span(&first), (d(2020, 12, 14), d(2020, 12, 20)));
        let last = weeks[weeks.len() - 1];
        assert_eq!((last.year, last.index), (2021, 49));
        assert_eq!(span(&last), (d(2021, 12, 6), d(2021, 12, 12)));
        assert_eq!(weeks.len(), 52);
        for pair in weeks.windows(2) {
            assert_eq!(pair[0].next(), Some(pair[1]));
        }
        // 2021-W50 (13..19 December) belongs to nd09 year 2022.
        let next = Period::periods_in(ND, Size::Week, &Period::year(ND, 2022));
        assert_eq!((next[0].year, next[0].index), (2021, 50));

        // The weeks of the quarters of a year partition the weeks of the year.
        let by_quarter: Vec<Period> = Period::periods_in(ND, Size::Quarter, &y)
            .iter()
            .flat_map(|q| Period::periods_in(ND, Size::Week, q))
            .collect();
        assert_eq!(by_quarter, weeks);

        // Calendar 2021 starts on a Friday: 2020-W53 ends on Sunday 3 January, so it is in.
        let cal = Period::periods_in(CAL, Size::Week, &Period::year(CAL, 2021));
        assert_eq!((cal[0].year, cal[0].index), (2020, 53));
        // ... and it ends on a Friday: 2021-W52 (27 December to 2 January) belongs to 2022.
        assert_eq!(cal.last().map(|w| (w.year, w.index)), Some((2021, 51)));
        assert_eq!(cal.len(), 52);
        // A single week holds itself; a single day that is not a Sunday holds no week.
        let w7 = Period::iso_week(2021, 7).unwrap();
        assert_eq!(Period::periods_in(ND, Size::Week, &w7), vec![w7]);
        let day = Period {
            start: d(2021, 2, 17),
            end: d(2021, 2, 17),
            ..w7
        };
        assert!(Period::periods_in(ND, Size::Week, &day).is_empty());
    }

    #[test]
    fn periods_in_mixed_schemes() {
        // Calendar months wholly inside nd09 year 2021: January to November.
        let y = Period::year(ND, 2021);
        let months = Period::periods_in(CAL, Size::Month, &y);
        assert_eq!(months.len(), 11);
        assert_eq!(months[0], Period::month(CAL, 2021, 1).unwrap());
        // Calendar year 2021 holds nd09 quarters II to IV only.
        let quarters = Period::periods_in(ND, Size::Quarter, &Period::year(CAL, 2021));
        assert_eq!(
            quarters.iter().map(|p| p.index).collect::<Vec<_>>(),
            [2, 3, 4]
        );
    }

    // ---- labels and codes ----

    #[test]
    fn vietnamese_labels() {
        assert_eq!(q(ND, 2021, 1).label(), "Quý I năm 2021");
        assert_eq!(q(ND, 2021, 4).label(), "Quý IV năm 2021");
        assert_eq!(q(ND, 2021, 2).short_label(), "Quý II/2021");
        let h1 = Period::half(ND, 2021, 1).unwrap();
        let h2 = Period::half(ND, 2021, 2).unwrap();
        assert_eq!(h1.label(), "6 tháng đầu năm 2021");
        assert_eq!(h2.label(), "6 tháng cuối năm 2021");
        assert_eq!(h1.short_label(), "6 tháng đầu năm 2021");
        assert_eq!(Period::nine_months(ND, 2021).label(), "9 tháng năm 2021");
        assert_eq!(Period::year(ND, 2021).label(), "Năm 2021");
        assert_eq!(Period::year(ND, 2021).short_label(), "Năm 2021");
        assert_eq!(
            Period::month(ND, 2021, 3).unwrap().label(),
            "Tháng 3 năm 2021"
        );
        assert_eq!(
            Period::month(ND, 2021, 12).unwrap().label(),
            "Tháng 12 năm 2021"
        );
        assert_eq!(
            Period::month(ND, 2021, 3).unwrap().short_label(),
            "Tháng 3/2021"
        );
        let w7 = Period::iso_week(2021, 7).unwrap();
        assert_eq!(w7.label(), "Tuần 07/2021");
        assert_eq!(w7.short_label(), "Tuần 07/2021");
        assert_eq!(Period::iso_week(2020, 53).unwrap().label(), "Tuần 53/2020");
    }

    #[test]
    fn labels_are_nfc() {
        use unicode_normalization::UnicodeNormalization;
        for p in [
            q(ND, 2021, 1),
            Period::half(ND, 2021, 1).unwrap(),
            Period::half(ND, 2021, 2).unwrap(),
            Period::nine_months(ND, 2021),
            Period::year(ND, 2021),
            Period::month(ND, 2021, 3).unwrap(),
            Period::iso_week(2021, 7).unwrap(),
        ] {
            for s in [p.label(), p.short_label()] {
                assert_eq!(s.nfc().collect::<String>(), s);
            }
        }
        // "Quý" with a precomposed ý (U+00FD).
        assert!(q(ND, 2021, 1).label().contains('\u{fd}'));
    }

    #[test]
    fn english_labels_and_codes() {
        let cases = [
            (q(ND, 2021, 1), "Q1 2021", "2021-Q1"),
            (Period::half(ND, 2021, 1).unwrap(), "H1 2021", "2021-H1"),
            (Period::half(ND, 2021, 2).unwrap(), "H2 2021", "2021-H2"),
            (Period::nine_months(ND, 2021), "9 months 2021", "2021-9M"),
            (Period::year(ND, 2021), "Year 2021", "2021"),
            (Period::month(ND, 2021, 3).unwrap(), "March 2021", "2021-03"),
            (
                Period::month(ND, 2021, 12).unwrap(),
                "December 2021",
                "2021-12",
            ),
            (
                Period::iso_week(2021, 7).unwrap(),
                "Week 07/2021",
                "2021-W07",
            ),
        ];
        for (p, en, code) in cases {
            assert_eq!(p.label_en(), en);
            assert_eq!(p.code(), code);
            assert_eq!(p.to_string(), code);
        }
    }

    #[test]
    fn codes_round_trip_for_every_size() {
        for scheme in [ND, CAL] {
            for size in Size::ALL {
                let mut p = Period::containing(scheme, size, d(2019, 12, 20));
                for _ in 0..60 {
                    assert_eq!(Period::parse(scheme, &p.code()), Ok(p), "{}", p.code());
                    p = p.next().unwrap();
                }
            }
        }
        assert_eq!(
            Period::parse(ND, "2020-W53"),
            Ok(Period::iso_week(2020, 53).unwrap())
        );
    }

    #[test]
    fn parse_accepts_variants() {
        let q1 = q(ND, 2021, 1);
        assert_eq!(Period::parse(ND, "2021-q1"), Ok(q1));
        assert_eq!(Period::parse(ND, "2021Q1"), Ok(q1));
        assert_eq!(Period::parse(ND, " 2021-Q1 "), Ok(q1));
        let w7 = Period::iso_week(2021, 7).unwrap();
        assert_eq!(Period::parse(ND, "2021W07"), Ok(w7));
        assert_eq!(Period::parse(ND, "2021-w7"), Ok(w7));
        assert_eq!(Period::parse(CAL, "2021-W07").map(|p| p.scheme), Ok(CAL));
        assert_eq!(
            Period::parse(ND, "2021-3"),
            Period::month(ND, 2021, 3).ok_or(PeriodError::Empty)
        );
        assert_eq!(
            Period::parse(ND, "2021-9m"),
            Ok(Period::nine_months(ND, 2021))
        );
        assert_eq!(Period::parse(CAL, "2021-H2").unwrap().start, d(2021, 7, 1));
        assert_eq!(Period::parse(ND, "2021-H2").unwrap().start, d(2021, 6, 15));
    }

    #[test]
    fn parse_rejects_bad_input() {
        let err = |s: &str| Period::parse(ND, s).unwrap_err();
        assert_eq!(err("2021-Q5"), PeriodError::Quarter(5));
        assert_eq!(err("2021-Q5").to_string(), "quarter must be 1 to 4, got 5");
        assert_eq!(err("2021-Q0"), PeriodError::Quarter(0));
        assert_eq!(err("2021-13"), PeriodError::Month(13));
        assert_eq!(err("2021-13").to_string(), "month must be 1 to 12, got 13");
        assert_eq!(err("2021-00"), PeriodError::Month(0));
        assert_eq!(
            err("2021-W54"),
            PeriodError::Week {
                year: 2021,
                week: 54,
                last: 52
            }
        );
        assert_eq!(
            err("2021-W53").to_string(),
            "week must be 1 to 52 in 2021, got 53"
        );
        assert_eq!(
            err("2021-W00").to_string(),
            "week must be 1 to 52 in 2021, got 0"
        );
        assert_eq!(err("2021-H3"), PeriodError::Half(3));
        assert_eq!(err("2021-H3").to_string(), "half must be 1 or 2, got 3");
        assert_eq!(
            err("2021-Q").to_string(),
            "'2021-Q' is not a period: use 2021, 2021-H1, 2021-Q3, 2021-03 or 2021-W07"
        );
        assert_eq!(err(""), PeriodError::Empty);
        assert_eq!(err("   "), PeriodError::Empty);
        for bad in [
            "abc",
            "2021-",
            "2021-Q1x",
            "2021-123",
            "12021",
            "202",
            "-2021",
            "2021-8M",
            "2021 Q1",
            "2021-X1",
            "2021--Q1",
            "2021-W+7",
            "Năm 2021",
            "2021-Q١",
            "٢٠٢١",
            "2021-03-01",
            "202103",
        ] {
            assert!(
                matches!(err(bad), PeriodError::Syntax(_)),
                "{bad}: {:?}",
                Period::parse(ND, bad)
            );
        }
        assert!(!err("abc").to_string().is_empty());
    }

    #[test]
    fn sizes() {
        assert_eq!(Size::parse("week"), Ok(Size::Week));
        assert_eq!(Size::parse("Month"), Ok(Size::Month));
        assert_eq!(Size::parse(" quarter "), Ok(Size::Quarter));
        assert_eq!(Size::parse("half"), Ok(Size::Half));
        assert_eq!(Size::parse("year"), Ok(Size::Year));
        assert_eq!(Size::parse("nine_months"), Ok(Size::NineMonths));
        assert_eq!(
            Size::parse("fortnight").unwrap_err().to_string(),
            "'fortnight' is not a period size: use week, month, quarter, half or year"
        );
        assert_eq!(Size::from(Every::Week), Size::Week);
        assert_eq!(Size::from(Every::Month), Size::Month);
        assert_eq!(Size::from(Every::Quarter), Size::Quarter);
        assert_eq!(Size::from(Every::Half), Size::Half);
        assert_eq!(Size::from(Every::Year), Size::Year);
        for size in Size::ALL {
            let json = serde_json::to_string(&size).unwrap();
            assert_eq!(json, format!("\"{size}\""));
            assert_eq!(serde_json::from_str::<Size>(&json).unwrap(), size);
        }
    }

    #[test]
    fn serialize_shape() {
        let v = serde_json::to_value(q(ND, 2021, 1)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "2021-Q1",
                "label": "Quý I năm 2021",
                "start": "2020-12-15",
                "end": "2021-03-14",
                "scheme": "nd09",
                "size": "quarter",
            })
        );
        let w = serde_json::to_value(Period::new(CAL, Size::Week, 2021, 7).unwrap()).unwrap();
        assert_eq!(w["scheme"], "calendar");
        assert_eq!(w["start"], "2021-02-15");
        assert_eq!(w["label"], "Tuần 07/2021");
    }

    #[test]
    fn hash_agrees_with_eq() {
        use std::collections::HashSet;
        let set: HashSet<Period> = [q(ND, 2021, 1), q(ND, 2021, 1), q(CAL, 2021, 1)]
            .into_iter()
            .collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn roman_numerals() {
        let cases = [
            (1, "I"),
            (2, "II"),
            (3, "III"),
            (4, "IV"),
            (5, "V"),
            (9, "IX"),
            (14, "XIV"),
            (40, "XL"),
            (90, "XC"),
            (400, "CD"),
            (1994, "MCMXCIV"),
            (2021, "MMXXI"),
            (3999, "MMMCMXCIX"),
        ];
        for (n, s) in cases {
            assert_eq!(roman(n), s);
        }
        assert_eq!(roman(0), "0");
        assert_eq!(roman(4000), "4000");
        assert_eq!(roman(u32::MAX), u32::MAX.to_string());
    }
}
