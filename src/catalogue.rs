//! Finding a procedure of the plan's catalogue from what a clerk typed or a file holds.
//!
//! A procedure is named by its catalogue id (`ht-khai-sinh`) or its name ("Đăng ký khai sinh",
//! compared by [`crate::text::match_key`]: case, spacing and tone placement do not matter).
//! Names also come a little different from the catalogue's: without diacritics ("Dang ky khai
//! sinh", as typed on a keyboard without Vietnamese input), with extra spaces or punctuation,
//! or without the "Đăng ký" the catalogue puts in front ("Khai sinh", as one-stop exports often
//! shorten it). Such a name is compared by [`loose_key`] and maps to the catalogue entry it
//! matches when that entry is the only one; when it matches several, it is ambiguous, and the
//! caller lists them rather than pick one.

use crate::plan::{Plan, Procedure};
use crate::text;

/// What a typed name is in the catalogue.
#[derive(Debug, Clone)]
pub enum Found<'p> {
    /// The id, or the name as the catalogue writes it.
    Exact(&'p Procedure),
    /// A slightly different name that matches this entry only.
    Near(&'p Procedure),
    /// A slightly different name that matches these entries (two or more, in catalogue order).
    Ambiguous(Vec<&'p Procedure>),
    /// No entry.
    None,
}

/// The words "Đăng ký" the catalogue's names start with, as a loose key.
const REGISTER: &str = "dang ky ";

/// The key for comparing names loosely: no case, no diacritics (`đ` as `d`), letters and digits
/// only, words separated by one space, and without a leading "Đăng ký".
pub fn loose_key(name: &str) -> String {
    let folded = text::fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    match joined.strip_prefix(REGISTER) {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => joined,
    }
}

/// Finds what `typed` names in the plan's catalogue.
pub fn find<'p>(plan: &'p Plan, typed: &str) -> Found<'p> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Found::None;
    }
    if let Some(p) = plan.procedure(typed) {
        return Found::Exact(p);
    }
    let key = text::match_key(typed);
    if let Some(p) = plan
        .procedures
        .iter()
        .find(|p| text::match_key(&p.name) == key)
    {
        return Found::Exact(p);
    }
    let loose = loose_key(typed);
    if loose.is_empty() {
        return Found::None;
    }
    let mut near: Vec<&Procedure> = plan
        .procedures
        .iter()
        .filter(|p| loose_key(&p.name) == loose)
        .collect();
    match near.len() {
        0 => Found::None,
        1 => Found::Near(near.remove(0)),
        _ => Found::Ambiguous(near),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_with(names: &[(&str, &str)]) -> Plan {
        let mut plan = crate::plan::minimal_fixture();
        let template = plan.procedures[0].clone();
        plan.procedures = names
            .iter()
            .map(|(id, name)| {
                let mut p = template.clone();
                p.id = toml::Spanned::new(0..0, id.to_string());
                p.name = name.to_string();
                p
            })
            .collect();
        plan
    }

    fn id(found: Found<'_>) -> String {
        match found {
            Found::Exact(p) => format!("exact {}", p.id.get_ref()),
            Found::Near(p) => format!("near {}", p.id.get_ref()),
            Found::Ambiguous(ps) => format!(
                "ambiguous {}",
                ps.iter()
                    .map(|p| p.id.get_ref().as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Found::None => "none".into(),
        }
    }

    #[test]
    fn loose_keys_drop_marks_spacing_punctuation_and_dang_ky() {
        assert_eq!(loose_key("Đăng ký khai sinh"), "khai sinh");
        assert_eq!(loose_key("  DANG KY   khai sinh "), "khai sinh");
        assert_eq!(loose_key("Khai sinh."), "khai sinh");
        assert_eq!(
            loose_key("Thay đổi, cải chính, bổ sung thông tin hộ tịch"),
            "thay doi cai chinh bo sung thong tin ho tich"
        );
        // "Đăng ký" alone stays: nothing would be left.
        assert_eq!(loose_key("Đăng ký"), "dang ky");
    }

    #[test]
    fn slightly_different_names_map_when_the_match_is_unique() {
        let plan = plan_with(&[
            ("ht-khai-sinh", "Đăng ký khai sinh"),
            ("ht-khai-tu", "Đăng ký khai tử"),
            (
                "ht-cai-chinh",
                "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
            ),
        ]);
        let f = |s| id(find(&plan, s));
        assert_eq!(f("ht-khai-sinh"), "exact ht-khai-sinh");
        assert_eq!(f("đăng ký  KHAI SINH"), "exact ht-khai-sinh");
        assert_eq!(f("Dang ky khai sinh"), "near ht-khai-sinh");
        assert_eq!(f("Khai sinh"), "near ht-khai-sinh");
        assert_eq!(f("khai tu"), "near ht-khai-tu");
        assert_eq!(
            f("Thay doi cai chinh bo sung thong tin ho tich"),
            "near ht-cai-chinh"
        );
        // Not a near name: a different procedure, a part of a name, nothing.
        assert_eq!(f("Đăng ký kết hôn"), "none");
        assert_eq!(f("khai"), "none");
        assert_eq!(f("  "), "none");
        assert_eq!(f("--"), "none");
    }

    #[test]
    fn a_name_matching_several_entries_is_ambiguous() {
        let plan = plan_with(&[
            ("ht-nhan-cmc", "Đăng ký nhận cha, mẹ, con"),
            ("ht-nhan-cmc-2", "Nhận cha, mẹ, con"),
            ("ht-giam-ho", "Đăng ký giám hộ"),
        ]);
        let f = |s| id(find(&plan, s));
        assert_eq!(f("nhan cha me con"), "ambiguous ht-nhan-cmc ht-nhan-cmc-2");
        // The name as the catalogue writes it is never ambiguous.
        assert_eq!(f("Nhận cha, mẹ, con"), "exact ht-nhan-cmc-2");
        assert_eq!(f("giam ho"), "near ht-giam-ho");
    }
}
