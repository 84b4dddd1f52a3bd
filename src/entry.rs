//! What a clerk types, made into the cells a record file holds.
//!
//! `add`, `dossier` and `import` accept codes or their Vietnamese labels in any case, with or
//! without diacritics; dates as ISO or dd/mm/yyyy (a time of day after them is dropped);
//! officers by id or by name (either tone placement: "Hòa" = "Hoà"); procedures by catalogue id
//! or name. [`normalize`] turns each into the canonical cell (ASCII code, ISO date, id, NFC text).
//! What it cannot recognise it leaves as typed, so that the one shared check
//! ([`crate::records::read::check_new_rows`]) reports it with the same message as `check`.

use crate::plan::Plan;
use crate::records::{ColType, Column, Kind, Records};
use crate::text;

/// The canonical cell for what was typed in `column`.
pub fn normalize(plan: &Plan, column: &Column, raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return String::new();
    }
    match column.ty {
        ColType::Date => date(raw).unwrap_or_else(|| raw.to_string()),
        ColType::Code(codes) => {
            if codes.none.contains(&text::fold(raw).as_str()) {
                String::new()
            } else {
                (codes.input)(raw).map_or_else(|| text::nfc(raw).into_owned(), str::to_string)
            }
        }
        ColType::Officer => officer(plan, raw),
        ColType::Officers => raw
            .split([';', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| officer(plan, s))
            .collect::<Vec<_>>()
            .join(";"),
        ColType::Procedure => procedure(plan, raw),
        ColType::Task => task(plan, raw),
        ColType::Recipient => {
            // An officer by name becomes their id; a collective stays as written.
            let id = officer(plan, raw);
            if plan.officer(&id).is_some() {
                id
            } else {
                text::nfc(raw).into_owned()
            }
        }
        ColType::Count | ColType::Deliverable | ColType::Text => text::nfc(raw).into_owned(),
    }
}

/// ISO date from ISO or day-first input, also with a time of day after it ("15/03/2021 08:30").
pub fn date(raw: &str) -> Option<String> {
    let day = raw.split([' ', 'T']).next().unwrap_or(raw);
    crate::dates::parse(day).map(|d| d.to_string())
}

/// An officer id from an id or a name.
pub fn officer(plan: &Plan, raw: &str) -> String {
    if plan.officer(raw).is_some() {
        return raw.to_string();
    }
    let key = text::match_key(raw);
    plan.officers
        .iter()
        .find(|o| text::match_key(&o.name) == key)
        .map_or_else(|| text::nfc(raw).into_owned(), |o| o.id.get_ref().clone())
}

/// A catalogue id from an id, a name, or a slightly different name that matches one entry only
/// ([`crate::catalogue::find`]); other names stay as written.
pub fn procedure(plan: &Plan, raw: &str) -> String {
    match crate::catalogue::find(plan, raw) {
        crate::catalogue::Found::Exact(p) | crate::catalogue::Found::Near(p) => {
            p.id.get_ref().clone()
        }
        _ => text::nfc(raw).into_owned(),
    }
}

/// A task id from "9", "NV 9" or "nhiệm vụ 9".
pub fn task(plan: &Plan, raw: &str) -> String {
    if plan.task(raw).is_some() {
        return raw.to_string();
    }
    let folded = text::fold(raw);
    let digits = folded
        .trim_start_matches("nhiem vu")
        .trim_start_matches("nv")
        .trim();
    if plan.task(digits).is_some() {
        digits.to_string()
    } else {
        raw.to_string()
    }
}

/// Cells in schema order from (column, typed value) pairs, normalised.
pub fn row(plan: &Plan, kind: Kind, values: &[(&str, Option<&str>)]) -> Vec<String> {
    kind.columns()
        .iter()
        .map(|column| {
            values
                .iter()
                .find(|(name, _)| *name == column.name)
                .and_then(|(_, v)| *v)
                .map_or_else(String::new, |v| normalize(plan, column, v))
        })
        .collect()
}

/// A new record's id (docs/records.md, "Ids"): the kind's prefix, the day of the record's
/// date (`yymmdd`, as in a one-stop code) and four characters drawn from `random`, in Crockford's
/// base 32 (no I, L, O, U: nothing to misread): `VP-210322-K7QX`. An id `taken` (already in
/// the folder, or given to another new row) is drawn again. Two clerks on two branches draw
/// independently: two ids of the same kind and day collide with a chance of one in about a
/// million per pair of records; a collision that still happens shows after the merge as a
/// conflict (E215) or as the same record twice (the same facts), never as a silent overwrite.
pub fn new_id(kind: Kind, date: &str, random: u64, taken: impl Fn(&str) -> bool) -> String {
    const DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let day = crate::dates::parse(date.trim())
        .map_or_else(|| "000000".to_string(), |d| d.format("%y%m%d").to_string());
    let mut state = random;
    let mut width = 4;
    let mut attempt = 0u32;
    loop {
        // splitmix64: each attempt another draw from the same seed.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        attempt += 1;
        if attempt.is_multiple_of(64) {
            // A day this full: longer ids.
            width = (width + 1).min(12);
        }
        let tail: String = (0..width)
            .map(|i| DIGITS[(z >> (5 * i)) as usize & 31] as char)
            .collect();
        let id = format!("{}-{day}-{tail}", kind.spec().id_prefix);
        if !taken(&id) {
            return id;
        }
    }
}

/// Gives new rows of a kind their ids ([`new_id`]) when the kind's record file takes them: a
/// kind with ids (not dossiers, whose id is the one-stop code), and a file that is new or has an
/// `id` column. Ids already in the folder or given to an earlier row are drawn again (looked up
/// in a set: an import of many rows stays linear).
pub struct IdGiver {
    kind: Kind,
    on: bool,
    date: Option<usize>,
    width: usize,
    seed: std::collections::hash_map::RandomState,
    count: usize,
    given: hashbrown::HashSet<String>,
}

impl IdGiver {
    /// For rows to append to the file at `path` (its header decides).
    pub fn new(path: &std::path::Path, kind: Kind) -> IdGiver {
        let on = !kind.is_facts() && {
            let header = std::fs::File::open(path)
                .map(crate::records::append::header_names)
                .unwrap_or_default();
            header.is_empty() || header.iter().any(|h| h == "id")
        };
        IdGiver {
            kind,
            on,
            date: kind.columns().iter().position(|c| c.name == "date"),
            width: crate::records::append::names(kind).len(),
            seed: std::collections::hash_map::RandomState::new(),
            count: 0,
            given: hashbrown::HashSet::new(),
        }
    }

    /// Whether rows get ids (and so the change columns of a new file).
    pub fn gives(&self) -> bool {
        self.on
    }

    /// Gives `row` (cells in schema order) its id, after its cells, where the file's `id`
    /// column is; `records` are the folder's, whose ids are taken.
    pub fn give(&mut self, records: &Records, row: &mut Vec<String>) {
        if !self.on {
            return;
        }
        let random = std::hash::BuildHasher::hash_one(&self.seed, self.count);
        self.count += 1;
        let day = self
            .date
            .and_then(|d| row.get(d))
            .map_or("", String::as_str);
        let kind = self.kind;
        let given = &self.given;
        let id = new_id(kind, day, random, |id| {
            records.ids[kind as usize].contains_key(id) || given.contains(id)
        });
        row.resize(self.width, String::new());
        row[kind.columns().len()].clone_from(&id);
        self.given.insert(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        crate::plan::minimal_fixture()
    }

    fn col(kind: Kind, name: &str) -> &'static Column {
        kind.column(name).unwrap()
    }

    #[test]
    fn new_ids_are_short_readable_and_never_one_taken() {
        let id = new_id(Kind::Violations, "2021-03-22", 7, |_| false);
        assert_eq!(id.len(), "VP-210322-K7QX".len(), "{id}");
        assert!(id.starts_with("VP-210322-"), "{id}");
        assert!(
            id[10..]
                .bytes()
                .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b))),
            "{id}"
        );
        // The same seed gives the same id; another seed another; a taken id is drawn again.
        assert_eq!(new_id(Kind::Violations, "22/03/2021", 7, |_| false), id);
        assert_ne!(new_id(Kind::Violations, "2021-03-22", 8, |_| false), id);
        let again = new_id(Kind::Violations, "2021-03-22", 7, |x| x == id);
        assert!(again != id && again.starts_with("VP-210322-"), "{again}");
        // Every id of a day taken but one: that one is found (longer ids after a while).
        let mut seen = std::collections::HashSet::new();
        for seed in 0..2000 {
            seen.insert(new_id(Kind::Activities, "2021-01-05", seed, |_| false));
        }
        assert!(seen.len() > 1990, "{}", seen.len());
        let full = new_id(Kind::Activities, "2021-01-05", 1, |x| x.len() == 14);
        assert_eq!(full.len(), 15, "{full}");
    }

    #[test]
    fn labels_names_and_dates_become_codes_ids_and_iso() {
        let p = plan();
        let n = |kind, name, raw| normalize(&p, col(kind, name), raw);
        assert_eq!(n(Kind::Activities, "kind", "Tiếp công dân"), "reception");
        assert_eq!(n(Kind::Activities, "kind", "TIEP CONG DAN"), "reception");
        assert_eq!(n(Kind::Activities, "date", "05/03/2021"), "2021-03-05");
        assert_eq!(
            n(Kind::Dossiers, "received", "15/03/2021 08:30"),
            "2021-03-15"
        );
        assert_eq!(
            n(Kind::Activities, "officers", "Nguyễn Khánh Hoà, vp1"),
            "ct;vp1"
        );
        assert_eq!(n(Kind::Activities, "task", "nhiệm vụ 9"), "9");
        assert_eq!(n(Kind::Violations, "action", "khiển trách"), "reprimand");
        assert_eq!(
            n(Kind::Dossiers, "procedure", "Đăng ký khai sinh"),
            "ht-khai-sinh"
        );
        assert_eq!(n(Kind::Dossiers, "status", "Đã trả kết quả"), "");
        assert_eq!(n(Kind::Dossiers, "status", "Rút hồ sơ"), "withdrawn");
        assert_eq!(n(Kind::Commendations, "recipient", "Phạm Thị Cúc"), "vp1");
        assert_eq!(
            n(Kind::Commendations, "recipient", "Bộ phận một cửa"),
            "Bộ phận một cửa"
        );
    }

    #[test]
    fn what_is_not_recognised_stays_as_typed() {
        let p = plan();
        let n = |kind, name, raw| normalize(&p, col(kind, name), raw);
        assert_eq!(n(Kind::Activities, "kind", "liên hoan"), "liên hoan");
        assert_eq!(n(Kind::Activities, "date", "31/02/2021"), "31/02/2021");
        assert_eq!(n(Kind::Activities, "officers", "ct;xyz"), "ct;xyz");
    }
}
