//! Periods named relative to the as-of date: `last`, `current`, `next` (what a scripted run
//! writes instead of computing `nd09` boundaries itself).
//!
//! Pure: the scheme, the size, the word and the as-of date in, a [`Period`] out. The period
//! containing the as-of date is `current`; `last` is the one before it, `next` the one after.
//! The as-of day itself is not over, so on the last day of a period that period is still
//! `current`: under `nd09`, as of 14/03/2021 `quarter last` is Q4/2021's predecessor
//! Q4/2020 and `current` is Q1/2021; as of 15/03/2021 `last` is Q1/2021.

use chrono::NaiveDate;

use crate::period::{Period, Size};
use crate::scheme::Scheme;

/// Which period, relative to the one containing the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// The period before the current one: the latest that has ended.
    Last,
    /// The period containing the as-of date.
    Current,
    /// The period after the current one.
    Next,
}

impl Relative {
    /// Reads `last`, `current` or `next` (any case, surrounding spaces ignored; `previous` and
    /// `this` too). Anything else is not a relative period.
    pub fn parse(s: &str) -> Option<Relative> {
        match s.trim().to_ascii_lowercase().as_str() {
            "last" | "previous" | "prev" => Some(Relative::Last),
            "current" | "this" => Some(Relative::Current),
            "next" => Some(Relative::Next),
            _ => None,
        }
    }

    /// Reads a word that may name its size too, for commands that have no report kind to take
    /// it from (`rollup`): `last`, `last-quarter`, `current-half`, `last-year` (a `-` or `_`
    /// between). The size is `None` when the word alone was given.
    pub fn parse_sized(s: &str) -> Option<(Relative, Option<Size>)> {
        let t = s.trim();
        if let Some(word) = Relative::parse(t) {
            return Some((word, None));
        }
        let (word, size) = t.split_once(['-', '_'])?;
        let size = match size.trim().to_ascii_lowercase().as_str() {
            "quarter" => Size::Quarter,
            "half" => Size::Half,
            "year" => Size::Year,
            _ => return None,
        };
        Some((Relative::parse(word)?, Some(size)))
    }

    /// The period of `size` under `scheme` this word names as of `as_of`; `None` only at the
    /// ends of the representable date range.
    pub fn resolve(self, scheme: Scheme, size: Size, as_of: NaiveDate) -> Option<Period> {
        let current = Period::containing(scheme, size, as_of);
        // Nine months do not cover a year: after them `containing` gives the nine months
        // already over, which are then the last ones, and the current ones are next year's.
        let current = if current.contains(as_of) {
            current
        } else {
            current.next()?
        };
        match self {
            Relative::Last => current.prev(),
            Relative::Current => Some(current),
            Relative::Next => current.next(),
        }
    }
}

/// The periods of `size` within the plan's `year` under `scheme` that have ended by `as_of`
/// (whose last day is before it: the as-of day itself is not over), in order.
pub fn ended_in_year(scheme: Scheme, size: Size, year: i32, as_of: NaiveDate) -> Vec<Period> {
    Period::periods_in(scheme, size, &Period::year(scheme, year))
        .into_iter()
        .filter(|p| p.end < as_of)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn code(word: &str, scheme: Scheme, size: Size, as_of: NaiveDate) -> String {
        Relative::parse(word)
            .unwrap()
            .resolve(scheme, size, as_of)
            .unwrap()
            .code()
    }

    #[test]
    fn words() {
        assert_eq!(Relative::parse(" Last "), Some(Relative::Last));
        assert_eq!(Relative::parse("CURRENT"), Some(Relative::Current));
        assert_eq!(Relative::parse("next"), Some(Relative::Next));
        assert_eq!(Relative::parse("2021-Q1"), None);
        assert_eq!(Relative::parse("lastt"), None);
        assert_eq!(Relative::parse(""), None);
    }

    #[test]
    fn sized_words() {
        assert_eq!(Relative::parse_sized("last"), Some((Relative::Last, None)));
        assert_eq!(
            Relative::parse_sized("last-quarter"),
            Some((Relative::Last, Some(Size::Quarter)))
        );
        assert_eq!(
            Relative::parse_sized("Current_Half"),
            Some((Relative::Current, Some(Size::Half)))
        );
        assert_eq!(
            Relative::parse_sized("next-year"),
            Some((Relative::Next, Some(Size::Year)))
        );
        assert_eq!(Relative::parse_sized("last-month"), None);
        assert_eq!(Relative::parse_sized("2021-Q3"), None);
        assert_eq!(Relative::parse_sized("-quarter"), None);
    }

    #[test]
    fn nd09_quarters_turn_on_the_15th() {
        let (s, q) = (Scheme::Nd09, Size::Quarter);
        // 14/03 is the last day of quarter I: it is still current.
        assert_eq!(code("last", s, q, d(2021, 3, 14)), "2020-Q4");
        assert_eq!(code("current", s, q, d(2021, 3, 14)), "2021-Q1");
        assert_eq!(code("next", s, q, d(2021, 3, 14)), "2021-Q2");
        // 15/03 starts quarter II.
        assert_eq!(code("last", s, q, d(2021, 3, 15)), "2021-Q1");
        assert_eq!(code("current", s, q, d(2021, 3, 15)), "2021-Q2");
        assert_eq!(code("next", s, q, d(2021, 3, 15)), "2021-Q3");
        // 15/12 belongs to the next year's quarter I.
        assert_eq!(code("current", s, q, d(2021, 12, 14)), "2021-Q4");
        assert_eq!(code("current", s, q, d(2021, 12, 15)), "2022-Q1");
        assert_eq!(code("last", s, q, d(2021, 12, 15)), "2021-Q4");
        assert_eq!(code("next", s, q, d(2021, 12, 15)), "2022-Q2");
    }

    #[test]
    fn calendar_quarters_turn_on_the_1st() {
        let (s, q) = (Scheme::Calendar, Size::Quarter);
        assert_eq!(code("last", s, q, d(2021, 3, 31)), "2020-Q4");
        assert_eq!(code("current", s, q, d(2021, 3, 31)), "2021-Q1");
        assert_eq!(code("last", s, q, d(2021, 4, 1)), "2021-Q1");
        assert_eq!(code("last", s, q, d(2021, 1, 1)), "2020-Q4");
        assert_eq!(code("next", s, q, d(2021, 12, 31)), "2022-Q1");
    }

    #[test]
    fn years_halves_and_months() {
        assert_eq!(
            code("current", Scheme::Nd09, Size::Year, d(2021, 12, 14)),
            "2021"
        );
        assert_eq!(
            code("current", Scheme::Nd09, Size::Year, d(2021, 12, 15)),
            "2022"
        );
        assert_eq!(
            code("last", Scheme::Nd09, Size::Year, d(2021, 12, 15)),
            "2021"
        );
        assert_eq!(
            code("last", Scheme::Calendar, Size::Year, d(2021, 12, 31)),
            "2020"
        );
        assert_eq!(
            code("last", Scheme::Nd09, Size::Half, d(2021, 6, 14)),
            "2020-H2"
        );
        assert_eq!(
            code("last", Scheme::Nd09, Size::Half, d(2021, 6, 15)),
            "2021-H1"
        );
        assert_eq!(
            code("last", Scheme::Nd09, Size::Month, d(2021, 1, 14)),
            "2020-12"
        );
        assert_eq!(
            code("last", Scheme::Nd09, Size::Month, d(2021, 1, 15)),
            "2021-01"
        );
        assert_eq!(
            code("last", Scheme::Calendar, Size::Month, d(2021, 3, 1)),
            "2021-02"
        );
        assert_eq!(
            code("next", Scheme::Calendar, Size::Month, d(2021, 12, 1)),
            "2022-01"
        );
    }

    #[test]
    fn nine_months_after_they_are_over() {
        let nm = Size::NineMonths;
        // Within the nine months: they are current.
        assert_eq!(code("current", Scheme::Nd09, nm, d(2021, 9, 14)), "2021-9M");
        assert_eq!(code("last", Scheme::Nd09, nm, d(2021, 9, 14)), "2020-9M");
        // After them: the ones just over are last.
        assert_eq!(code("last", Scheme::Nd09, nm, d(2021, 9, 15)), "2021-9M");
        assert_eq!(
            code("last", Scheme::Calendar, nm, d(2021, 10, 1)),
            "2021-9M"
        );
    }

    #[test]
    fn ended_periods_of_the_plan_year() {
        let codes = |size, as_of| -> Vec<String> {
            ended_in_year(Scheme::Nd09, size, 2021, as_of)
                .iter()
                .map(Period::code)
                .collect()
        };
        assert!(codes(Size::Quarter, d(2021, 3, 14)).is_empty());
        assert_eq!(codes(Size::Quarter, d(2021, 3, 15)), ["2021-Q1"]);
        assert_eq!(codes(Size::Half, d(2021, 9, 1)), ["2021-H1"]);
        assert!(codes(Size::Year, d(2021, 12, 14)).is_empty());
        assert_eq!(codes(Size::Year, d(2021, 12, 15)), ["2021"]);
        assert_eq!(
            codes(Size::Quarter, d(2023, 1, 1)),
            ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
        );
        let calendar: Vec<String> =
            ended_in_year(Scheme::Calendar, Size::Quarter, 2021, d(2021, 7, 1))
                .iter()
                .map(Period::code)
                .collect();
        assert_eq!(calendar, ["2021-Q1", "2021-Q2"]);
    }
}
