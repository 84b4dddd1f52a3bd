//! Working days: which dates an office works, and counting in working days.
//!
//! A [`WorkCalendar`] is a weekly rule (the working weekdays, normally Monday to Friday) amended
//! by dated exceptions:
//!
//! - holidays (ngày nghỉ lễ, Tết), which are never working days;
//! - extra working days (ngày làm bù), weekend days worked in exchange for a holiday, which are
//!   working days whatever the weekly rule says.
//!
//! A date listed both as a holiday and as an extra working day is a holiday.
//!
//! All operations are total: they never panic and never loop without bound, even for a calendar
//! with no working day at all or counts that run past the end of [`NaiveDate`]'s range. The cost
//! of each operation grows with the number of listed dates, not with the span of time covered.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The working-day calendar of an office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Working weekdays, indexed by [`Weekday::num_days_from_monday`].
    workdays: [bool; 7],
    /// Dates that are not working days.
    holidays: BTreeSet<NaiveDate>,
    /// Dates that are working days unless also holidays.
    extra_workdays: BTreeSet<NaiveDate>,
}

impl Default for WorkCalendar {
    /// Monday to Friday, no holidays.
    fn default() -> Self {
        use Weekday::*;
        WorkCalendar::new(&[Mon, Tue, Wed, Thu, Fri], &[], &[])
    }
}

impl WorkCalendar {
    /// A calendar working on `workdays` each week, except on `holidays`, plus on
    /// `extra_workdays`. Repeated entries are harmless.
    pub fn new(workdays: &[Weekday], holidays: &[NaiveDate], extra_workdays: &[NaiveDate]) -> Self {
        let mut days = [false; 7];
        for d in workdays {
            days[d.num_days_from_monday() as usize] = true;
        }
        WorkCalendar {
            workdays: days,
            holidays: holidays.iter().copied().collect(),
            extra_workdays: extra_workdays.iter().copied().collect(),
        }
    }

    /// Whether `d` is a working day: never on a holiday; always on an extra working day that is
    /// not a holiday; otherwise when its weekday is a working weekday.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            false
        } else {
            self.extra_workdays.contains(&d) || self.weekly(d)
        }
    }

    /// The working day reached by counting `n` working days from `from`:
    ///
    /// - `n = 0`: `from` itself if it is a working day, else the first working day after it;
    /// - `n ≥ 1`: the `n`-th working day strictly after `from` (whether or not `from` is a
    ///   working day). With a Monday-to-Friday week, 1 working day after Friday is Monday, and
    ///   so is 1 working day after Saturday.
    ///
    /// When there is no such day (the calendar runs out of working days, having no working
    /// weekday and no extra working day left, or the answer lies beyond [`NaiveDate::MAX`]),
    /// returns `from` plus `n` calendar days, or [`NaiveDate::MAX`] if that does not exist.
    pub fn add_workdays(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let found = if n == 0 {
            self.nth_on_or_after(from, 1)
        } else {
            from.succ_opt()
                .and_then(|d| self.nth_on_or_after(d, u64::from(n)))
        };
        found.unwrap_or_else(|| {
            from.checked_add_days(Days::new(u64::from(n)))
                .unwrap_or(NaiveDate::MAX)
        })
    }

    /// The number of working days in `(a, b]`: after `a`, up to and including `b`. Zero when
    /// `b <= a`. Saturates at `u32::MAX` (which no real date range reaches).
    pub fn workdays_between(&self, a: NaiveDate, b: NaiveDate) -> u32 {
        match a.succ_opt() {
            Some(first) => u32::try_from(self.count(first, b)).unwrap_or(u32::MAX),
            None => 0,
        }
    }

    /// Whether `[start, end]` holds at least one working day (false when `end < start`).
    /// A week of holidays has none, so weekly duties are waived for it.
    pub fn has_workday(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.count(start, end) > 0
    }

    /// Whether the weekly rule alone makes `d` a working day.
    fn weekly(&self, d: NaiveDate) -> bool {
        self.workdays[d.weekday().num_days_from_monday() as usize]
    }

    /// Working weekdays per week.
    fn per_week(&self) -> u64 {
        self.workdays.iter().filter(|&&w| w).count() as u64
    }

    /// The first listed date (holiday or extra working day) on or after `d`.
    fn next_listed(&self, d: NaiveDate) -> Option<NaiveDate> {
        let h = self.holidays.range(d..).next();
        let e = self.extra_workdays.range(d..).next();
        match (h, e) {
            (Some(h), Some(e)) => Some(*h.min(e)),
            (Some(x), None) | (None, Some(x)) => Some(*x),
            (None, None) => None,
        }
    }

    /// The `k`-th working day (`k ≥ 1`) on or after `start`, or `None` if there is none within
    /// the date range.
    ///
    /// Steps day by day only within a week of a listed date; across stretches with no listed
    /// date it jumps whole weeks, each holding exactly `per_week` working days.
    fn nth_on_or_after(&self, start: NaiveDate, k: u64) -> Option<NaiveDate> {
        let per_week = self.per_week();
        let mut day = start;
        let mut left = k;
        loop {
            let next_listed = self.next_listed(day);
            match ((left - 1).checked_div(per_week), next_listed) {
                // No working weekday: only extra working days remain, so go straight to the
                // next listed date (or give up when there is none).
                (None, _) => day = next_listed?,
                (Some(full), listed) => {
                    let clear_weeks = match listed {
                        Some(l) => u64::try_from((l - day).num_days() / 7).unwrap_or(0),
                        None => u64::MAX,
                    };
                    // Jump whole weeks free of listed dates, keeping at least one working day
                    // to find by stepping, so the answer is exact.
                    let weeks = full.min(clear_weeks);
                    if weeks > 0 {
                        day = day.checked_add_days(Days::new(weeks.checked_mul(7)?))?;
                        left -= weeks * per_week;
                        continue;
                    }
                }
            }
            if self.is_workday(day) {
                left -= 1;
                if left == 0 {
                    return Some(day);
                }
            }
            day = day.succ_opt()?;
        }
    }

    /// The number of working days in `[start, end]` (0 when `end < start`).
    fn count(&self, start: NaiveDate, end: NaiveDate) -> u64 {
        if end < start {
            return 0;
        }
        // The weekly rule: whole weeks, then the remaining days one by one.
        let span = (end - start).num_days() + 1;
        let (weeks, rest) = ((span / 7) as u64, span % 7);
        let mut n = weeks * self.per_week();
        let first = start.weekday();
        for i in 0..rest {
            let wd = first.num_days_from_monday() as i64 + i;
            if self.workdays[(wd % 7) as usize] {
                n += 1;
            }
        }
        // Correct for the listed dates in range.
        let listed = self.holidays.range(start..=end).chain(
            self.extra_workdays
                .range(start..=end)
                .filter(|d| !self.holidays.contains(d)),
        );
        for &d in listed {
            let weekly = u64::from(self.weekly(d));
            let actual = u64::from(self.is_workday(d));
            n = n + actual - weekly;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const WEEK: [Weekday; 5] = [Mon, Tue, Wed, Thu, Fri];

    /// Viet Nam 2021: New Year, Tết (10–16 February), Hùng Kings (21 April), 30 April and
    /// 1 May (moved to Monday 3 May), National Day (2–3 September).
    fn vn2021() -> WorkCalendar {
        let holidays = [
            d(2021, 1, 1),
            d(2021, 2, 10),
            d(2021, 2, 11),
            d(2021, 2, 12),
            d(2021, 2, 15),
            d(2021, 2, 16),
            d(2021, 4, 21),
            d(2021, 4, 30),
            d(2021, 5, 3),
            d(2021, 9, 2),
            d(2021, 9, 3),
        ];
        WorkCalendar::new(&WEEK, &holidays, &[])
    }

    /// The slow, obvious definition of `add_workdays`, for comparison.
    fn add_naive(cal: &WorkCalendar, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = if n == 0 {
            from
        } else {
            from.succ_opt().unwrap()
        };
        let mut left = n.max(1);
        loop {
            if cal.is_workday(day) {
                left -= 1;
                if left == 0 {
                    return day;
                }
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn weekends_and_holidays_are_not_workdays() {
        let cal = vn2021();
        assert!(!cal.is_workday(d(2021, 3, 6))); // Saturday
        assert!(!cal.is_workday(d(2021, 3, 7))); // Sunday
        assert!(cal.is_workday(d(2021, 3, 8))); // Monday
        assert!(!cal.is_workday(d(2021, 1, 1)));
        for day in [10, 11, 12, 15, 16] {
            assert!(!cal.is_workday(d(2021, 2, day)), "{day}");
        }
        assert!(cal.is_workday(d(2021, 2, 9)));
        assert!(cal.is_workday(d(2021, 2, 17)));
        assert!(!cal.is_workday(d(2021, 9, 2)));
        assert!(!cal.is_workday(d(2021, 9, 3)));
        assert!(cal.is_workday(d(2021, 9, 1)));
    }

    #[test]
    fn add_workdays_skips_weekends_and_holidays() {
        let cal = vn2021();
        // Tuesday before Tết → Wednesday after it.
        assert_eq!(cal.add_workdays(d(2021, 2, 9), 1), d(2021, 2, 17));
        assert_eq!(cal.add_workdays(d(2021, 2, 9), 2), d(2021, 2, 18));
        // Friday → Monday.
        assert_eq!(cal.add_workdays(d(2021, 3, 5), 1), d(2021, 3, 8));
        // Saturday → Monday too.
        assert_eq!(cal.add_workdays(d(2021, 3, 6), 1), d(2021, 3, 8));
        // Thursday 29 April → Tuesday 4 May (30/4 holiday, weekend, 3/5 holiday).
        assert_eq!(cal.add_workdays(d(2021, 4, 29), 1), d(2021, 5, 4));
        // Ten working days from Monday 1 March: two weeks later.
        assert_eq!(cal.add_workdays(d(2021, 3, 1), 10), d(2021, 3, 15));
    }

    #[test]
    fn add_zero_workdays() {
        let cal = vn2021();
        // A working day is its own 0th working day.
        assert_eq!(cal.add_workdays(d(2021, 3, 5), 0), d(2021, 3, 5));
        // Otherwise the next working day.
        assert_eq!(cal.add_workdays(d(2021, 3, 6), 0), d(2021, 3, 8));
        assert_eq!(cal.add_workdays(d(2021, 2, 10), 0), d(2021, 2, 17));
        assert_eq!(cal.add_workdays(d(2020, 12, 31), 0), d(2020, 12, 31));
        assert_eq!(cal.add_workdays(d(2021, 1, 1), 0), d(2021, 1, 4));
    }

    #[test]
    fn add_workdays_matches_naive_count() {
        let mut cal = vn2021();
        cal.extra_workdays.insert(d(2021, 2, 20)); // a Saturday
        cal.extra_workdays.insert(d(2021, 9, 2)); // also a holiday: stays off
        let mut from = d(2020, 11, 1);
        while from < d(2022, 2, 1) {
            for n in [0, 1, 2, 3, 5, 7, 10, 22, 40, 100, 300] {
                assert_eq!(
                    cal.add_workdays(from, n),
                    add_naive(&cal, from, n),
                    "{from} + {n}"
                );
            }
            from = from.succ_opt().unwrap();
        }
    }

    #[test]
    fn add_workdays_large_counts() {
        let cal = WorkCalendar::default();
        // 5 working days a week: 52_000 working days after a Monday end on the Monday
        // 10_400 weeks later.
        let monday = d(2021, 3, 1);
        assert_eq!(
            cal.add_workdays(monday, 52_000),
            monday.checked_add_days(Days::new(10_400 * 7)).unwrap()
        );
        assert_eq!(
            cal.add_workdays(monday, 52_000),
            add_naive(&cal, monday, 52_000)
        );
        let cal = vn2021();
        assert_eq!(
            cal.add_workdays(monday, 52_000),
            add_naive(&cal, monday, 52_000)
        );
        let cal = WorkCalendar::default();
        // Past the end of the date range: the documented fallback, without hanging.
        assert_eq!(cal.add_workdays(monday, u32::MAX), NaiveDate::MAX);
        assert_eq!(cal.add_workdays(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(cal.add_workdays(NaiveDate::MAX, 0), NaiveDate::MAX);
    }

    #[test]
    fn tet_week_has_workdays_but_a_week_of_holidays_has_none() {
        let cal = vn2021();
        // 2021-W06: Monday 8 to Sunday 14 February; 8 and 9 are worked.
        assert!(cal.has_workday(d(2021, 2, 8), d(2021, 2, 14)));
        assert_eq!(cal.workdays_between(d(2021, 2, 7), d(2021, 2, 14)), 2);
        // 2021-W07: 15 and 16 off, 17 to 19 worked.
        assert_eq!(cal.workdays_between(d(2021, 2, 14), d(2021, 2, 21)), 3);
        // A made-up week whose weekdays are all holidays.
        let off: Vec<NaiveDate> = (8..=12).map(|day| d(2021, 3, day)).collect();
        let cal = WorkCalendar::new(&WEEK, &off, &[]);
        assert!(!cal.has_workday(d(2021, 3, 8), d(2021, 3, 14)));
        assert!(cal.has_workday(d(2021, 3, 8), d(2021, 3, 15)));
        assert_eq!(cal.add_workdays(d(2021, 3, 5), 1), d(2021, 3, 15));
        // Empty and reversed ranges.
        assert!(!cal.has_workday(d(2021, 3, 16), d(2021, 3, 15)));
        assert!(cal.has_workday(d(2021, 3, 15), d(2021, 3, 15)));
    }

    #[test]
    fn workdays_between_is_half_open() {
        let cal = vn2021();
        // (Fri 5 March, Fri 12 March]: Mon–Fri of the next week.
        assert_eq!(cal.workdays_between(d(2021, 3, 5), d(2021, 3, 12)), 5);
        assert_eq!(cal.workdays_between(d(2021, 3, 5), d(2021, 3, 5)), 0);
        assert_eq!(cal.workdays_between(d(2021, 3, 12), d(2021, 3, 5)), 0);
        assert_eq!(cal.workdays_between(d(2021, 3, 4), d(2021, 3, 5)), 1);
        // The whole of 2021: 261 weekdays less 11 holidays, all on weekdays.
        assert_eq!(cal.workdays_between(d(2020, 12, 31), d(2021, 12, 31)), 250);
        // It agrees with add_workdays.
        let from = d(2021, 2, 3);
        for n in 1..200 {
            assert_eq!(cal.workdays_between(from, cal.add_workdays(from, n)), n);
        }
        // And with a day-by-day count.
        let a = d(2021, 1, 20);
        let mut b = a;
        let mut naive = 0;
        for _ in 0..400 {
            b = b.succ_opt().unwrap();
            naive += u32::from(cal.is_workday(b));
            assert_eq!(cal.workdays_between(a, b), naive, "{b}");
        }
        // The whole date range, without hanging.
        assert!(cal.workdays_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
        assert_eq!(cal.workdays_between(NaiveDate::MAX, NaiveDate::MAX), 0);
    }

    #[test]
    fn a_calendar_without_workdays_does_not_hang() {
        let cal = WorkCalendar::new(&[], &[], &[]);
        let from = d(2021, 3, 5);
        assert!(!cal.is_workday(from));
        assert_eq!(cal.add_workdays(from, 0), from);
        assert_eq!(cal.add_workdays(from, 3), d(2021, 3, 8));
        assert_eq!(cal.add_workdays(from, u32::MAX), NaiveDate::MAX);
        assert!(!cal.has_workday(NaiveDate::MIN, NaiveDate::MAX));
        assert_eq!(cal.workdays_between(NaiveDate::MIN, NaiveDate::MAX), 0);

        // Only extra working days: they are found, then the fallback applies.
        let cal = WorkCalendar::new(
            &[],
            &[d(2021, 3, 20)],
            &[d(2021, 3, 13), d(2021, 3, 20), d(2021, 3, 27)],
        );
        assert_eq!(cal.add_workdays(from, 0), d(2021, 3, 13));
        assert_eq!(cal.add_workdays(from, 1), d(2021, 3, 13));
        assert_eq!(cal.add_workdays(from, 2), d(2021, 3, 27));
        assert_eq!(cal.add_workdays(from, 3), d(2021, 3, 8));
        assert_eq!(cal.workdays_between(from, d(2021, 12, 31)), 2);
    }

    #[test]
    fn extra_workdays_make_a_saturday_a_workday() {
        let saturday = d(2021, 2, 20);
        let cal = WorkCalendar::new(&WEEK, &[], &[saturday]);
        assert!(cal.is_workday(saturday));
        assert!(!cal.is_workday(d(2021, 2, 21)));
        assert_eq!(cal.add_workdays(d(2021, 2, 19), 1), saturday);
        assert_eq!(cal.add_workdays(saturday, 1), d(2021, 2, 22));
        assert_eq!(cal.workdays_between(d(2021, 2, 14), d(2021, 2, 21)), 6);
        assert!(cal.has_workday(saturday, d(2021, 2, 21)));
        // A date both extra and holiday is a holiday.
        let cal = WorkCalendar::new(&WEEK, &[saturday], &[saturday]);
        assert!(!cal.is_workday(saturday));
        assert_eq!(cal.workdays_between(d(2021, 2, 14), d(2021, 2, 21)), 5);
    }

    #[test]
    fn other_weeks() {
        // A six-day week, and a default of Monday to Friday.
        let cal = WorkCalendar::new(&[Mon, Tue, Wed, Thu, Fri, Sat, Sat], &[], &[]);
        assert!(cal.is_workday(d(2021, 3, 6)));
        assert_eq!(cal.workdays_between(d(2021, 3, 7), d(2021, 3, 14)), 6);
        assert_eq!(cal.add_workdays(d(2021, 3, 5), 1), d(2021, 3, 6));
        let default = WorkCalendar::default();
        assert_eq!(default, WorkCalendar::new(&WEEK, &[], &[]));
        assert!(!default.is_workday(d(2021, 3, 6)));
    }
}
