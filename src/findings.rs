//! Findings: what `check` reports, as data (PRODUCT.md §6).
//!
//! A finding has a stable code, a severity, a place (file, line, column; or a plan key) and a
//! message. Errors are about the data being wrong; warnings are about the work. The message is a
//! [`Msg`] value, rendered into Vietnamese or English only when printed.

use std::sync::Arc;

pub use crate::code::{Code, Severity};
use crate::messages::{Lang, Msg};

/// Where a finding points: a file (plan.toml or a record file, relative to the plan folder),
/// a line and column when known, and for plan.toml the key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    /// Shared by the findings of one file: one allocation a file, not one a finding.
    pub file: Arc<str>,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub key: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<Arc<str>>, line: Option<u64>, column: Option<u64>) -> Location {
        Location {
            file: file.into(),
            line,
            column,
            key: None,
        }
    }

    /// `file:line:col` with the parts that are known.
    pub fn display(&self) -> String {
        let mut s = String::with_capacity(self.file.len() + 16);
        // Into a String: cannot fail.
        let _ = self.write_to(&mut s);
        s
    }

    /// [`Location::display`] written out, for tens of thousands of places in a row.
    pub fn write_to(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        out.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(out, ":{line}")?;
            if let Some(column) = self.column {
                write!(out, ":{column}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub location: Location,
    pub message: Msg,
    /// Why this matters: the plan's clause or the law, when there is one (shared by the
    /// findings of one rule).
    pub basis: Option<Arc<str>>,
    /// For a work finding, the day it is about (a due date, a period's end, an activity's date):
    /// reports pick the findings of their period by it.
    pub date: Option<chrono::NaiveDate>,
    /// Whether the lapse still stands at the as-of date (an overdue deliverable or dossier, a
    /// commitment never registered): reports of later periods list it too.
    pub standing: bool,
}

impl Finding {
    pub fn new(code: Code, location: Location, message: Msg) -> Finding {
        Finding {
            code,
            location,
            message,
            basis: None,
            date: None,
            standing: false,
        }
    }

    /// Sets the day the finding is about.
    pub fn on(mut self, date: chrono::NaiveDate) -> Finding {
        self.date = Some(date);
        self
    }

    /// Marks the finding as a lapse that still stands.
    pub fn standing(mut self) -> Finding {
        self.standing = true;
        self
    }

    /// Same as [`Finding::new`]; reads better where the code is an error code.
    pub fn error(code: Code, location: Location, message: Msg) -> Finding {
        Finding::new(code, location, message)
    }

    pub fn with_basis(mut self, basis: Option<String>) -> Finding {
        self.basis = basis.map(Arc::from);
        self
    }

    /// [`Finding::with_basis`] with a text many findings share.
    pub fn with_shared_basis(mut self, basis: Option<Arc<str>>) -> Finding {
        self.basis = basis;
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The JSON shape of a finding (documented in docs/check.md).
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "code": self.code,
            "severity": self.severity(),
            "file": &*self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "key": self.location.key,
            "message": self.message.render(lang),
            "basis": self.basis.as_deref(),
        })
    }
}

/// How many findings of one code in one file `check` prints; the rest are counted.
pub const SHOWN_PER_CODE: usize = 100;

/// What `check` prints: a finding, or how many findings of one code in one file it leaves out.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    Finding(&'a Finding),
    More {
        file: &'a str,
        code: Code,
        count: usize,
    },
}

/// Findings of one code in one file counted and left out before they were made (see
/// [`crate::check::Work::findings`]): they come after those made, in output order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    pub file: Arc<str>,
    pub code: Code,
    pub count: usize,
}

/// Sorted findings (see [`sort`]) with at most `per` of one code in one file, in their order;
/// after each file's findings, one [`Shown::More`] per code of that file that had more, counting
/// also those `omitted` before.
pub fn bounded<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    per: usize,
    omitted: &[Omitted],
) -> Vec<Shown<'a>> {
    let flush = |file: Option<&'a str>,
                 counts: &mut std::collections::BTreeMap<Code, usize>,
                 out: &mut Vec<Shown<'a>>| {
        if let Some(file) = file {
            for o in omitted.iter().filter(|o| *o.file == *file) {
                *counts.entry(o.code).or_insert(0) += o.count;
            }
            for (&code, &n) in counts.iter() {
                if n > per {
                    out.push(Shown::More {
                        file,
                        code,
                        count: n - per,
                    });
                }
            }
        }
        counts.clear();
    };
    let findings = findings.into_iter();
    let mut out = Vec::with_capacity(findings.size_hint().0.min(64 * 1024));
    let mut counts = std::collections::BTreeMap::new();
    let mut file: Option<&str> = None;
    for f in findings {
        let here = &*f.location.file;
        if file != Some(here) {
            flush(file, &mut counts, &mut out);
            file = Some(here);
        }
        let n = counts.entry(f.code).or_insert(0);
        *n += 1;
        if *n <= per {
            out.push(Shown::Finding(f));
        }
    }
    flush(file, &mut counts, &mut out);
    out
}

/// Sorts findings for output: by file, line, column, then code; findings equal in all four
/// stay in the order they came in (a stable sort).
///
/// A province's check sorts tens of thousands of findings of some 200 bytes, whose places name
/// a handful of files. So the sort is done on small keys (the file's rank among the files, the
/// line, the column, the code, the finding's index), then the findings are put in that order
/// in place, each moved once.
pub fn sort(findings: &mut [Finding]) {
    if findings.len() < 256 {
        findings.sort_by(order);
        return;
    }
    let from = output_order(findings);
    put_in_order(findings, from);
}

/// The positions of `findings` in the order [`sort`] puts them in: what a report that borrows
/// the findings reads them in, sorted on the same small keys instead of comparing findings.
pub fn output_order(findings: &[Finding]) -> Vec<usize> {
    let mut files: Vec<&str> = Vec::new();
    let mut last = usize::MAX;
    let file_of: Vec<u32> = findings
        .iter()
        .map(|f| {
            let file = &*f.location.file;
            if files.get(last) != Some(&file) {
                last = files.iter().position(|&x| x == file).unwrap_or_else(|| {
                    files.push(file);
                    files.len() - 1
                });
            }
            last as u32
        })
        .collect();
    let mut by_name: Vec<usize> = (0..files.len()).collect();
    by_name.sort_by_key(|&i| files[i]);
    let mut rank = vec![0u32; files.len()];
    for (r, &i) in by_name.iter().enumerate() {
        rank[i] = r as u32;
    }
    // One u128 a finding when its place fits (a file rank in 16 bits, a line and a column
    // below 2^32 - 1, stored plus one so that none sorts first): 16 bytes instead of 48.
    let narrow = files.len() < 1 << 16
        && findings.len() < 1 << 32
        && findings.iter().all(|f| {
            f.location.line.is_none_or(|l| l < u64::from(u32::MAX))
                && f.location.column.is_none_or(|c| c < u64::from(u32::MAX))
        });
    if narrow {
        let place = |x: Option<u64>| x.map_or(0, |x| x + 1) as u128;
        let mut keys: Vec<u128> = findings
            .iter()
            .zip(file_of)
            .enumerate()
            .map(|(i, (f, file))| {
                u128::from(rank[file as usize]) << 112
                    | place(f.location.line) << 80
                    | place(f.location.column) << 48
                    | (f.code as u128) << 32
                    | i as u128
            })
            .collect();
        // The index makes every key distinct: an unstable sort keeps equal findings in order.
        keys.sort_unstable();
        keys.into_iter().map(|k| k as u32 as usize).collect()
    } else {
        let mut keys: Vec<_> = findings
            .iter()
            .zip(file_of)
            .enumerate()
            .map(|(i, (f, file))| {
                (
                    rank[file as usize],
                    f.location.line,
                    f.location.column,
                    f.code,
                    i as u32,
                )
            })
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| k.4 as usize).collect()
    }
}

/// Puts `findings` in the order `from` gives: position k takes the finding now at `from[k]`;
/// cycle by cycle, one swap per finding.
fn put_in_order(findings: &mut [Finding], mut from: Vec<usize>) {
    for start in 0..from.len() {
        let mut at = start;
        while from[at] != usize::MAX {
            let next = from[at];
            from[at] = usize::MAX;
            if next == start {
                break;
            }
            findings.swap(at, next);
            at = next;
        }
    }
}

/// The order of output: by file, line, column, then code.
pub fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (&a.location.file, a.location.line, a.location.column, a.code).cmp(&(
        &b.location.file,
        b.location.line,
        b.location.column,
        b.code,
    ))
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    #[test]
    fn the_key_sort_is_the_stable_sort() {
        // Several files, equal places with equal codes (their messages tell them apart),
        // places without a line or a column: sorted on keys exactly as sort_by sorts them.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut findings = Vec::new();
        for i in 0..3000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let file = [
                "records/dossiers.csv",
                "plan.toml",
                "records/activities.csv",
                "a",
            ][(state % 4) as usize];
            let line = (state >> 8) % 40;
            let location = Location::file(
                file,
                (line != 0).then_some(line),
                (!(state >> 20).is_multiple_of(3)).then_some((state >> 24) % 3),
            );
            let code = [Code::BadDate, Code::DossierOverdue, Code::UnknownFile]
                [(state >> 30) as usize % 3];
            findings.push(Finding::new(
                code,
                location,
                Msg::Io {
                    detail: i.to_string(),
                },
            ));
        }
        // The same with a line too large for the narrow keys (the wide ones then).
        let mut wide = findings.clone();
        wide.push(Finding::new(
            Code::BadDate,
            Location::file("a", Some(u64::from(u32::MAX) + 7), None),
            Msg::Io {
                detail: String::new(),
            },
        ));
        let mut wide_by_keys = wide.clone();
        sort(&mut wide_by_keys);
        // The order a report borrows them in is the same, for a long list and a short one.
        let in_order = |f: &[Finding]| -> Vec<Finding> {
            output_order(f).into_iter().map(|i| f[i].clone()).collect()
        };
        let (long, short) = (in_order(&findings), in_order(&findings[..100]));
        let mut short_sorted = findings[..100].to_vec();
        short_sorted.sort_by(order);
        wide.sort_by(order);
        let mut by_keys = findings.clone();
        sort(&mut by_keys);
        findings.sort_by(order);
        let show = |f: &[Finding]| {
            f.iter()
                .map(|f| {
                    format!(
                        "{} {} {:?}",
                        f.location.display(),
                        f.code.as_str(),
                        f.message
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&by_keys), show(&findings));
        assert_eq!(show(&wide_by_keys), show(&wide));
        assert_eq!(show(&long), show(&findings));
        assert_eq!(show(&short), show(&short_sorted));
    }
}

#[cfg(test)]
mod bounded_tests {
    use super::*;

    #[test]
    fn at_most_per_code_per_file_then_the_count_of_the_rest() {
        let f = |file: &str, line: u64, code: Code| {
            Finding::new(
                code,
                Location::file(file, Some(line), None),
                Msg::Io {
                    detail: String::new(),
                },
            )
        };
        let mut findings = Vec::new();
        for line in 1..=5 {
            findings.push(f("a.csv", line, Code::BadDate));
            findings.push(f("a.csv", line + 10, Code::UnknownFile));
        }
        findings.push(f("b.csv", 1, Code::BadDate));
        sort(&mut findings);
        let shown = bounded(&findings, 2, &[]);
        let described: Vec<String> = shown
            .iter()
            .map(|s| match s {
                Shown::Finding(f) => format!("{}:{}", f.location.display(), f.code.as_str()),
                Shown::More { file, code, count } => {
                    format!("{file} {} +{count}", code.as_str())
                }
            })
            .collect();
        let bad_date = Code::BadDate.as_str();
        let unknown = Code::UnknownFile.as_str();
        let mut expected = vec![
            format!("a.csv:1:{bad_date}"),
            format!("a.csv:2:{bad_date}"),
            format!("a.csv:11:{unknown}"),
            format!("a.csv:12:{unknown}"),
        ];
        // The counts of one file in the order of the codes.
        let mut more = vec![
            format!("a.csv {bad_date} +3"),
            format!("a.csv {unknown} +3"),
        ];
        if Code::UnknownFile < Code::BadDate {
            more.reverse();
        }
        expected.extend(more);
        expected.push(format!("b.csv:1:{bad_date}"));
        assert_eq!(described, expected);
        // Nothing left out: nothing added.
        assert_eq!(bounded(&findings, 100, &[]).len(), findings.len());
    }
}
