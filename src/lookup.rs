//! Finding what a clerk at the counter means from what they type: an officer by given name,
//! initials or without diacritics, a procedure by a few words of its name, a dossier by the
//! tail of its code, and the next one-stop code of the day.
//!
//! Pure: the plan and the known ids in, a [`Found`] out. Each kind of input is tried in tiers,
//! most exact first; the first tier that matches anything decides, so an exact id or full name
//! always wins over a looser reading, and a loose reading that fits two things is
//! [`Found::Many`] (the candidates, for the message), never a guess.

use chrono::NaiveDate;

use crate::plan::Plan;
use crate::text;

/// What a typed value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Exactly one thing: its id.
    One(String),
    /// Several, equally good: `(id, name)` of each, in plan (or file) order.
    Many(Vec<(String, String)>),
    /// Nothing.
    None,
}

impl Found {
    fn of(candidates: Vec<(String, String)>) -> Found {
        match candidates.len() {
            0 => Found::None,
            1 => Found::One(
                candidates
                    .into_iter()
                    .next()
                    .map(|c| c.0)
                    .unwrap_or_default(),
            ),
            _ => Found::Many(candidates),
        }
    }
}

/// Runs the tiers over the items, going through them once (a province's million dossier
/// codes are never held as a list) and keeping only those that match; the first tier that
/// matches anything decides.
fn tiers<T>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> (String, String),
    tests: &[&dyn Fn(&T) -> bool],
) -> Found {
    let mut found: Vec<Vec<(String, String)>> = vec![Vec::new(); tests.len()];
    for item in items {
        for (test, found) in tests.iter().zip(&mut found) {
            if test(&item) {
                found.push(key(&item));
            }
        }
    }
    (found.into_iter().find(|f| !f.is_empty())).map_or(Found::None, Found::of)
}

/// The words of a name, folded (no diacritics, lower case).
fn folded_words(s: &str) -> Vec<String> {
    text::fold(s).split(' ').map(str::to_string).collect()
}

/// An officer: by id; by full name (either tone placement); by full name without diacritics;
/// by the last words of the name ("Giang", "Thị Giang", "giang"); by initials ("vtg" for Võ
/// Thị Giang).
pub fn officer(plan: &Plan, raw: &str) -> Found {
    let raw = raw.trim();
    if raw.is_empty() {
        return Found::None;
    }
    let key = text::match_key(raw);
    let folded = text::fold(raw);
    let raw_words: Vec<&str> = folded.split(' ').collect();
    let initials = |name: &str| -> String {
        folded_words(name)
            .iter()
            .filter_map(|w| w.chars().next())
            .collect()
    };
    let by_id = |o: &&crate::plan::Officer| o.id.get_ref() == raw;
    let by_id_any_case = |o: &&crate::plan::Officer| o.id.get_ref().eq_ignore_ascii_case(raw);
    let by_name = |o: &&crate::plan::Officer| text::match_key(&o.name) == key;
    let by_folded = |o: &&crate::plan::Officer| text::fold(&o.name) == folded;
    let by_tail = |o: &&crate::plan::Officer| {
        let words = folded_words(&o.name);
        words.len() >= raw_words.len() && words[words.len() - raw_words.len()..] == raw_words[..]
    };
    let by_initials = |o: &&crate::plan::Officer| {
        raw_words.len() == 1 && folded.len() >= 2 && initials(&o.name) == folded
    };
    tiers(
        plan.officers.iter(),
        |o| (o.id.get_ref().clone(), o.name.clone()),
        &[
            &by_id,
            &by_id_any_case,
            &by_name,
            &by_folded,
            &by_tail,
            &by_initials,
        ],
    )
}

/// A procedure of the catalogue: as [`crate::catalogue::find`] finds it (id, name, the name
/// a little different); else by words that all appear, whole, in its name or id, in any order
/// ("khai sinh", "sinh khai").
pub fn procedure(plan: &Plan, raw: &str) -> Found {
    use crate::catalogue::Found as C;
    let pair = |p: &crate::plan::Procedure| (p.id.get_ref().clone(), p.name.clone());
    match crate::catalogue::find(plan, raw) {
        C::Exact(p) | C::Near(p) => return Found::One(p.id.get_ref().clone()),
        C::Ambiguous(ps) => return Found::Many(ps.into_iter().map(pair).collect()),
        C::None => {}
    }
    let folded = text::fold(raw);
    let raw_words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if raw_words.is_empty() {
        return Found::None;
    }
    Found::of(
        plan.procedures
            .iter()
            .filter(|p| {
                let mut words = folded_words(&p.name);
                words.extend(p.id.get_ref().split('-').map(str::to_ascii_lowercase));
                raw_words.iter().all(|w| words.contains(w))
            })
            .map(pair)
            .collect(),
    )
}

/// A dossier among `ids` (in file order): by its whole code; by a sequence alone ("1",
/// "0001": that sequence among the codes of `day`); by the tail of its code after a `-` or a
/// `.` ("0001" again, "211201-0003", "H42-211201-0003").
pub fn dossier<S: AsRef<str>>(
    ids: impl IntoIterator<Item = S>,
    raw: &str,
    day: NaiveDate,
) -> Found {
    let raw = raw.trim();
    if raw.is_empty() {
        return Found::None;
    }
    let exact = |id: &S| id.as_ref() == raw;
    let today = day.format("%y%m%d").to_string();
    let sequence = raw
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| raw.parse::<u32>().ok())
        .flatten()
        .filter(|_| raw.len() <= 4);
    let of_the_day = |id: &S| {
        let mut parts = id.as_ref().rsplitn(3, '-');
        let (Some(seq), Some(date)) = (parts.next(), parts.next()) else {
            return false;
        };
        date == today && sequence.is_some() && seq.parse::<u32>().ok() == sequence
    };
    let tail = |id: &S| {
        let id = id.as_ref();
        id.len() > raw.len()
            && id.ends_with(raw)
            && matches!(id.as_bytes()[id.len() - raw.len() - 1], b'-' | b'.')
    };
    tiers(
        ids,
        |id| (id.as_ref().to_string(), String::new()),
        &[&exact, &of_the_day, &tail],
    )
}

/// The next one-stop code of `day` under `prefix` (TT 01/2018 Điều 19:
/// `<unit code>-<YYMMDD>-<sequence>`): one more than the highest sequence of that day among
/// `ids`, four digits at least.
pub fn next_dossier_id(
    prefix: &str,
    day: NaiveDate,
    ids: impl IntoIterator<Item = impl AsRef<str>>,
) -> String {
    let stem = format!("{prefix}-{}-", day.format("%y%m%d"));
    let last = ids
        .into_iter()
        .filter_map(|id| id.as_ref().strip_prefix(&stem)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{stem}{:04}", last.saturating_add(1))
}

/// The unit code of one-stop codes when the plan does not give one: the one most of `ids`
/// start with (the part before `-YYMMDD-NNNN`), the latest on a tie.
pub fn unit_code_of(ids: impl IntoIterator<Item = impl AsRef<str>>) -> Option<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (at, id) in ids.into_iter().enumerate() {
        let mut parts = id.as_ref().rsplitn(3, '-');
        let (Some(seq), Some(date), Some(unit)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if date.len() != 6
            || !date.bytes().all(|b| b.is_ascii_digit())
            || seq.is_empty()
            || !seq.bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        match counts.iter_mut().find(|(u, _, _)| u == unit) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 = at;
            }
            None => counts.push((unit.to_string(), 1, at)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n, at)| (*n, *at))
        .map(|(unit, _, _)| unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let source = r#"
schema = 1
[plan]
number = "01/KH-UBND"
title = "T"
year = 2021
issued = 2021-01-15
place = "Sơn Hồng"
authority = "UBND xã Sơn Hồng"
[signer]
authority_line = "TM. UBND"
title = "CHỦ TỊCH"
name = "Nguyễn Khánh Hòa"
[[units]]
id = "u"
name = "U"
[[officers]]
id = "ct"
name = "Nguyễn Khánh Hòa"
title = "Chủ tịch"
unit = "u"
[[officers]]
id = "tp1"
name = "Võ Thị Giang"
title = "Tư pháp"
unit = "u"
[[officers]]
id = "vp1"
name = "Phạm Thị Cúc"
title = "Văn phòng"
unit = "u"
[[officers]]
id = "vp2"
name = "Trần Văn Cúc"
title = "Văn phòng"
unit = "u"
[[procedures]]
id = "ht-khai-sinh"
name = "Đăng ký khai sinh"
field = "Hộ tịch"
days = 1
[[procedures]]
id = "ht-khai-tu"
name = "Đăng ký khai tử"
field = "Hộ tịch"
days = 1
[[procedures]]
id = "ct-ban-sao"
name = "Chứng thực bản sao từ bản chính"
field = "Chứng thực"
days = 1
"#;
        match Plan::parse(source) {
            crate::plan::Loaded {
                plan: Some(plan), ..
            } => plan,
            other => panic!("{:?}", other.findings),
        }
    }

    fn one(s: &str) -> Found {
        Found::One(s.to_string())
    }

    fn ids(found: Found) -> Vec<String> {
        match found {
            Found::Many(c) => c.into_iter().map(|c| c.0).collect(),
            other => panic!("not many: {other:?}"),
        }
    }

    #[test]
    fn officers_by_id_name_given_name_initials() {
        let p = plan();
        assert_eq!(officer(&p, "tp1"), one("tp1"));
        assert_eq!(officer(&p, "TP1"), one("tp1"));
        assert_eq!(officer(&p, "Võ Thị Giang"), one("tp1"));
        assert_eq!(officer(&p, "Nguyễn Khánh Hoà"), one("ct"));
        assert_eq!(officer(&p, "vo thi giang"), one("tp1"));
        assert_eq!(officer(&p, "Giang"), one("tp1"));
        assert_eq!(officer(&p, "giang"), one("tp1"));
        assert_eq!(officer(&p, "Thị Giang"), one("tp1"));
        assert_eq!(officer(&p, "hoa"), one("ct"));
        assert_eq!(officer(&p, "vtg"), one("tp1"));
        assert_eq!(officer(&p, "VTG"), one("tp1"));
        assert_eq!(officer(&p, "nkh"), one("ct"));
        // Two officers named Cúc: both listed, none chosen.
        assert_eq!(ids(officer(&p, "Cúc")), ["vp1", "vp2"]);
        assert_eq!(officer(&p, "ptc"), one("vp1"));
        assert_eq!(officer(&p, "Lan"), Found::None);
        assert_eq!(officer(&p, ""), Found::None);
        // A part of a word is not a name.
        assert_eq!(officer(&p, "Gian"), Found::None);
    }

    #[test]
    fn procedures_by_words() {
        let p = plan();
        assert_eq!(procedure(&p, "ht-khai-sinh"), one("ht-khai-sinh"));
        assert_eq!(procedure(&p, "Đăng ký khai sinh"), one("ht-khai-sinh"));
        assert_eq!(procedure(&p, "dang ky khai sinh"), one("ht-khai-sinh"));
        assert_eq!(procedure(&p, "khai sinh"), one("ht-khai-sinh"));
        assert_eq!(procedure(&p, "sinh"), one("ht-khai-sinh"));
        assert_eq!(procedure(&p, "khai tử"), one("ht-khai-tu"));
        assert_eq!(procedure(&p, "bản sao"), one("ct-ban-sao"));
        assert_eq!(ids(procedure(&p, "khai")), ["ht-khai-sinh", "ht-khai-tu"]);
        assert_eq!(
            ids(procedure(&p, "đăng ký")),
            ["ht-khai-sinh", "ht-khai-tu"]
        );
        assert_eq!(procedure(&p, "kết hôn"), Found::None);
    }

    #[test]
    fn dossiers_by_tail() {
        let day = NaiveDate::from_ymd_opt(2021, 12, 1).unwrap();
        let known = [
            "000.00.27.H42-211130-0001",
            "000.00.27.H42-211201-0001",
            "000.00.27.H42-211201-0002",
            "000.00.27.H42-211201-0012",
        ];
        let find = |raw| dossier(known, raw, day);
        assert_eq!(
            find("000.00.27.H42-211130-0001"),
            one("000.00.27.H42-211130-0001")
        );
        // A sequence alone is of the day.
        assert_eq!(find("0001"), one("000.00.27.H42-211201-0001"));
        assert_eq!(find("1"), one("000.00.27.H42-211201-0001"));
        assert_eq!(find("12"), one("000.00.27.H42-211201-0012"));
        assert_eq!(find("211130-0001"), one("000.00.27.H42-211130-0001"));
        assert_eq!(find("H42-211201-0002"), one("000.00.27.H42-211201-0002"));
        // Not of the day, not a whole part: nothing, or the candidates.
        assert_eq!(find("3"), Found::None);
        assert_eq!(find("002"), one("000.00.27.H42-211201-0002"));
        assert_eq!(find("0.27.H42-211201-0002"), Found::None);
        let other_day = dossier(known, "0001", NaiveDate::from_ymd_opt(2021, 12, 2).unwrap());
        assert_eq!(
            ids(other_day),
            ["000.00.27.H42-211130-0001", "000.00.27.H42-211201-0001"]
        );
    }

    #[test]
    fn the_next_code_of_the_day() {
        let day = NaiveDate::from_ymd_opt(2021, 12, 1).unwrap();
        let unit = "000.00.27.H42";
        assert_eq!(
            next_dossier_id(unit, day, [""; 0]),
            "000.00.27.H42-211201-0001"
        );
        let known = [
            "000.00.27.H42-211201-0001",
            "000.00.27.H42-211201-0009",
            "000.00.27.H42-211202-0050",
            "000.00.99.X99-211201-0070",
        ];
        assert_eq!(
            next_dossier_id(unit, day, known),
            "000.00.27.H42-211201-0010"
        );
        assert_eq!(
            next_dossier_id(unit, day, ["000.00.27.H42-211201-9999"]),
            "000.00.27.H42-211201-10000"
        );
        assert_eq!(unit_code_of(known).as_deref(), Some("000.00.27.H42"));
        assert_eq!(unit_code_of(["X", "a-b"]), None);
    }
}
