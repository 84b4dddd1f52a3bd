//! Temporary stub; replaced by the periods module.
use chrono::NaiveDate;

use crate::plan::Scheme;

#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn year(scheme: Scheme, y: i32) -> Period {
        match scheme {
            Scheme::Nd09 => Period {
                start: NaiveDate::from_ymd_opt(y - 1, 12, 15).unwrap(),
                end: NaiveDate::from_ymd_opt(y, 12, 14).unwrap(),
            },
            Scheme::Calendar => Period {
                start: NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(y, 12, 31).unwrap(),
            },
        }
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}
