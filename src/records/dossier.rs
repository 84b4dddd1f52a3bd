//! One-stop dossiers (hồ sơ TTHC): facts spread over rows, merged into one dossier each.
//!
//! A dossier is opened by a row with its procedure, received and due dates; later rows with the
//! same id fill what was empty (returned, status, late reason, apology, rescheduled). Editing the
//! first row in place is equally valid. A row that changes a value already set is an error:
//! timeliness is judged against the original due date, even when a new date was promised.
//! Facts are merged whatever the order of rows, so files merged by git (`merge=union`) still read.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{DossierStatus, RowRef};

/// A dossier after all its rows are merged.
#[derive(Debug, Clone, Default)]
pub struct Dossier {
    pub id: String,
    /// A procedure id of the plan's catalogue, or a procedure name as the one-stop book writes it.
    pub procedure: Option<String>,
    pub field: Option<String>,
    pub received: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub returned: Option<NaiveDate>,
    pub status: Option<DossierStatus>,
    pub officer: Option<String>,
    pub late_reason: Option<String>,
    pub apology: Option<NaiveDate>,
    pub rescheduled: Option<NaiveDate>,
    pub note: Option<String>,
    /// The first row that names this dossier.
    pub opened: RowRef,
    /// Where `received`, `due` and `returned` were set, for date-order errors.
    pub received_at: RowRef,
    pub due_at: RowRef,
    pub returned_at: RowRef,
}

impl Dossier {
    /// The date the dossier ended (returned, withdrawn or stopped), if it has.
    pub fn ended(&self) -> Option<NaiveDate> {
        self.returned
    }

    /// Whether it ended without a result (withdrawn or stopped).
    pub fn without_result(&self) -> bool {
        self.status.is_some()
    }
}

/// One row's facts about a dossier, each with the 1-based column it came from.
#[derive(Debug, Default)]
pub struct Fact {
    pub id: String,
    pub procedure: Option<(String, u32)>,
    pub field: Option<(String, u32)>,
    pub received: Option<(NaiveDate, u32)>,
    pub due: Option<(NaiveDate, u32)>,
    pub returned: Option<(NaiveDate, u32)>,
    pub status: Option<(DossierStatus, u32)>,
    pub officer: Option<(String, u32)>,
    pub late_reason: Option<(String, u32)>,
    pub apology: Option<(NaiveDate, u32)>,
    pub rescheduled: Option<(NaiveDate, u32)>,
    pub note: Option<(String, u32)>,
}

/// A later row tried to change a value already set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub column: u32,
    pub name: &'static str,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Default)]
pub struct Dossiers {
    pub list: Vec<Dossier>,
    index: HashMap<String, u32>,
}

fn set<T: PartialEq + Clone>(
    slot: &mut Option<T>,
    value: Option<&(T, u32)>,
    name: &'static str,
    show: impl Fn(&T) -> String,
    conflicts: &mut Vec<Conflict>,
) -> bool {
    let Some((value, column)) = value else {
        return false;
    };
    match slot {
        None => {
            *slot = Some(value.clone());
            true
        }
        Some(old) if old == value => false,
        Some(old) => {
            conflicts.push(Conflict {
                column: *column,
                name,
                old: show(old),
                new: show(value),
            });
            false
        }
    }
}

impl Dossiers {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Dossier> {
        self.index.get(id).map(|&i| &self.list[i as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Dossier> {
        self.list.iter()
    }

    /// Merges one row's facts. Returns the values the row tried to change.
    pub fn merge(&mut self, fact: Fact, at: RowRef) -> Vec<Conflict> {
        let next = self.list.len() as u32;
        let i = *self.index.entry(fact.id.clone()).or_insert(next);
        if i == next {
            self.list.push(Dossier {
                id: fact.id.clone(),
                opened: at,
                ..Dossier::default()
            });
        }
        let d = &mut self.list[i as usize];
        let mut conflicts = Vec::new();
        let text = |s: &String| s.clone();
        let day = |d: &NaiveDate| crate::dates::dmy(*d);
        set(
            &mut d.procedure,
            fact.procedure.as_ref(),
            "procedure",
            text,
            &mut conflicts,
        );
        set(
            &mut d.field,
            fact.field.as_ref(),
            "field",
            text,
            &mut conflicts,
        );
        if set(
            &mut d.received,
            fact.received.as_ref(),
            "received",
            day,
            &mut conflicts,
        ) {
            d.received_at = at;
        }
        if set(&mut d.due, fact.due.as_ref(), "due", day, &mut conflicts) {
            d.due_at = at;
        }
        if set(
            &mut d.returned,
            fact.returned.as_ref(),
            "returned",
            day,
            &mut conflicts,
        ) {
            d.returned_at = at;
        }
        set(
            &mut d.status,
            fact.status.as_ref(),
            "status",
            |s: &DossierStatus| s.code().to_string(),
            &mut conflicts,
        );
        set(
            &mut d.officer,
            fact.officer.as_ref(),
            "officer",
            text,
            &mut conflicts,
        );
        set(
            &mut d.late_reason,
            fact.late_reason.as_ref(),
            "late_reason",
            text,
            &mut conflicts,
        );
        set(
            &mut d.apology,
            fact.apology.as_ref(),
            "apology",
            day,
            &mut conflicts,
        );
        set(
            &mut d.rescheduled,
            fact.rescheduled.as_ref(),
            "rescheduled",
            day,
            &mut conflicts,
        );
        // Notes are commentary, not facts: later notes are appended.
        if let Some((note, _)) = fact.note {
            match &mut d.note {
                Some(old) if *old != note => {
                    old.push_str("; ");
                    old.push_str(&note);
                }
                Some(_) => {}
                None => d.note = Some(note),
            }
        }
        conflicts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(line: u32) -> RowRef {
        RowRef { file: 0, line }
    }

    #[test]
    fn later_rows_fill_empty_facts() {
        let mut ds = Dossiers::default();
        let open = Fact {
            id: "A".into(),
            procedure: Some(("ht-khai-sinh".into(), 2)),
            received: Some((date(2021, 3, 1), 4)),
            due: Some((date(2021, 3, 2), 5)),
            ..Fact::default()
        };
        assert!(ds.merge(open, at(2)).is_empty());
        let close = Fact {
            id: "A".into(),
            returned: Some((date(2021, 3, 2), 6)),
            ..Fact::default()
        };
        assert!(ds.merge(close, at(9)).is_empty());
        let d = ds.get("A").unwrap();
        assert_eq!(d.returned, Some(date(2021, 3, 2)));
        assert_eq!(d.returned_at, at(9));
        assert_eq!(d.opened, at(2));
    }

    #[test]
    fn repeating_a_value_is_fine_changing_it_is_not() {
        let mut ds = Dossiers::default();
        let row = |returned| Fact {
            id: "A".into(),
            returned: Some((returned, 6)),
            ..Fact::default()
        };
        assert!(ds.merge(row(date(2021, 3, 2)), at(2)).is_empty());
        assert!(ds.merge(row(date(2021, 3, 2)), at(3)).is_empty());
        let conflicts = ds.merge(row(date(2021, 3, 5)), at(4));
        assert_eq!(
            conflicts,
            vec![Conflict {
                column: 6,
                name: "returned",
                old: "02/03/2021".into(),
                new: "05/03/2021".into()
            }]
        );
        assert_eq!(ds.get("A").unwrap().returned, Some(date(2021, 3, 2)));
    }
}
