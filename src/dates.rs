//! Reading and writing dates the way Vietnamese offices write them.
//!
//! Input: ISO `2021-03-05`, or day first `05/03/2021`, `5/3/2021`, `05-03-2021` (Excel in a
//! Vietnamese locale rewrites dates that way; month-first is never assumed). Output: ISO in data,
//! `05/03/2021` in tables, and the Nghị định 30/2020 document date "ngày 05 tháng 3 năm 2021".

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

/// Parses an ISO or day-first date. `None` when the text is not a real date.
pub fn parse(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    // Fast path: ISO yyyy-mm-dd.
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let y = digits(&b[0..4])?;
        let m = digits(&b[5..7])?;
        let d = digits(&b[8..10])?;
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let d = digits(parts.next()?.as_bytes())?;
    let m = digits(parts.next()?.as_bytes())?;
    let y_part = parts.next()?;
    if parts.next().is_some() || y_part.len() != 4 {
        return None;
    }
    let y = digits(y_part.as_bytes())?;
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// A date serialized as chrono serializes it (`2021-03-05`), without going through
/// `Display`: a province's year report writes some hundred thousand of them.
#[derive(Debug, Clone, Copy)]
pub struct Iso(pub NaiveDate);

impl serde::Serialize for Iso {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            // Years chrono writes with a sign.
            return self.0.serialize(s);
        }
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let y = y as u32;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        s.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

/// [`dmy`] as a value to format (no String of its own): messages put many dates in words.
#[derive(Debug, Clone, Copy)]
pub struct Dmy(pub NaiveDate);

impl std::fmt::Display for Dmy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (day, month) = (self.0.day(), self.0.month());
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        for c in [
            digit(day / 10),
            digit(day),
            '/',
            digit(month / 10),
            digit(month),
            '/',
        ] {
            f.write_char(c)?;
        }
        write!(f, "{}", self.0.year())
    }
}

/// `05/03/2021`.
pub fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// The document date of Nghị định 30/2020: day below 10 and months 1–2 take a leading zero.
/// "ngày 05 tháng 3 năm 2021", "ngày 15 tháng 01 năm 2021".
pub fn document_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_iso_and_day_first() {
        assert_eq!(parse("2021-03-05"), Some(date(2021, 3, 5)));
        assert_eq!(parse("05/03/2021"), Some(date(2021, 3, 5)));
        assert_eq!(parse("5/3/2021"), Some(date(2021, 3, 5)));
        assert_eq!(parse("05-03-2021"), Some(date(2021, 3, 5)));
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "31/02/2021",
            "13/13/2021",
            "2021-02-29",
            "2021-3-5x",
            "05/03/21",
            "",
            "hôm qua",
            "1/2/3/2021",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn document_date_follows_decree_30() {
        assert_eq!(document_date(date(2021, 3, 5)), "ngày 05 tháng 3 năm 2021");
        assert_eq!(
            document_date(date(2021, 1, 15)),
            "ngày 15 tháng 01 năm 2021"
        );
        assert_eq!(document_date(date(2019, 6, 29)), "ngày 29 tháng 6 năm 2019");
        assert_eq!(
            document_date(date(2021, 12, 1)),
            "ngày 01 tháng 12 năm 2021"
        );
        assert_eq!(dmy(date(2021, 3, 5)), "05/03/2021");
    }
}

#[cfg(test)]
mod iso_tests {
    use super::*;

    #[test]
    fn dmy_as_a_value_writes_what_dmy_writes() {
        for (y, m, d) in [
            (2021, 3, 5),
            (1999, 12, 31),
            (5, 1, 9),
            (-44, 3, 15),
            (12345, 10, 10),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Dmy(date).to_string(), dmy(date));
        }
    }

    #[test]
    fn iso_dates_serialize_as_chrono_serializes_them() {
        for (y, m, d) in [
            (2021, 3, 5),
            (1, 1, 1),
            (999, 12, 31),
            (0, 2, 29),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (2020, 2, 29),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                serde_json::to_string(&Iso(date)).unwrap(),
                serde_json::to_string(&date).unwrap(),
                "{date:?}"
            );
        }
    }
}
