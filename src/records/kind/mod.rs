//! The record kinds, one file each: everything that differs between kinds lives there.
//!
//! A kind's file holds its record type, its columns in file order (name, required, type), the
//! Vietnamese headers `import` knows for them, `from_cells` (the parsed cells of one row made
//! into a record, with the kind's own checks across cells) and `to_cells` (the records already
//! kept, as the rows they were read from). The reader ([`super::read`]), `add`, `import`, the
//! header mapping of [`crate::import::decode`] and the row counters go through [`Kind::spec`]
//! and never name a kind.
//!
//! Dossiers are the one kind whose rows are not records: each row gives facts about the dossier
//! named in its first column, merged into the dossier store ([`Shape::Facts`]). Their cells go
//! through the reader's memo and are put into a [`super::dossier::Fact`] by
//! `Fact::set`, which [`dossiers`] defines.

pub mod activities;
pub mod commendations;
pub mod commitments;
pub mod dossiers;
pub mod feedback;
pub mod lapses;
pub mod ratings;
pub mod violations;

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use super::codes::{Coded, Codes};
use super::intern::Sym;
use super::refs::Refs;
use super::{Records, RowRef};
use crate::findings::{Code, Finding};
use crate::messages::Msg;
use crate::plan::Plan;

/// The kinds of record, one CSV file (or folder of files) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Activities,
    Dossiers,
    Violations,
    Commendations,
    Feedback,
    Commitments,
    Ratings,
    Lapses,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Activities,
        Kind::Dossiers,
        Kind::Violations,
        Kind::Commendations,
        Kind::Feedback,
        Kind::Commitments,
        Kind::Ratings,
        Kind::Lapses,
    ];

    /// How many kinds there are: the length of per-kind tables such as the row counters.
    pub const COUNT: usize = Kind::ALL.len();

    /// Everything about the kind, from its file under `kind/`.
    pub fn spec(self) -> &'static Spec {
        match self {
            Kind::Activities => &activities::SPEC,
            Kind::Dossiers => &dossiers::SPEC,
            Kind::Violations => &violations::SPEC,
            Kind::Commendations => &commendations::SPEC,
            Kind::Feedback => &feedback::SPEC,
            Kind::Commitments => &commitments::SPEC,
            Kind::Ratings => &ratings::SPEC,
            Kind::Lapses => &lapses::SPEC,
        }
    }

    /// The file stem under `records/`: `records/<name>.csv` and `records/<name>/*.csv`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind a word names: its name ("activities") or one record of it ("activity").
    pub fn from_word(word: &str) -> Option<Kind> {
        (Kind::ALL.into_iter()).find(|k| k.name() == word || k.spec().one == word)
    }

    /// The columns, in the order a new file's header lists them.
    pub fn columns(self) -> &'static [Column] {
        self.spec().columns
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// The Vietnamese header `export` writes for `column` ([`Spec::export_headers`]), or the
    /// column's own name.
    pub fn export_header(self, column: &'static str) -> &'static str {
        (self.spec().export_headers.iter())
            .find(|(c, _)| *c == column)
            .map_or(column, |(_, header)| header)
    }

    /// The columns a file of the kind may have besides its own, that say how a row changes a
    /// record ([`super::CHANGE_COLUMNS`]): all four, but for dossiers only `change` and `why`
    /// (a dossier row names its dossier in its own `id` column, which is also what it changes).
    pub fn change_columns(self) -> &'static [&'static str] {
        if self.is_facts() {
            &["change", "why"]
        } else {
            &super::CHANGE_COLUMNS
        }
    }

    /// Whether the kind's rows are facts merged by id ([`Shape::Facts`]).
    pub fn is_facts(self) -> bool {
        matches!(self.spec().shape, Shape::Facts { .. })
    }
}

/// What a kind is. Each kind's file has one, `SPEC`.
pub struct Spec {
    /// The file stem under `records/`, and the kind's name on the command line.
    pub name: &'static str,
    /// One record of the kind, as `kehoach add` names it: "activity".
    pub one: &'static str,
    /// The columns, in the order a new file's header lists them.
    pub columns: &'static [Column],
    /// Headers `import` maps to a column: (header as written, column). Compared without case,
    /// diacritics, spacing or punctuation.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers `import` ignores on purpose for this kind, beyond those it ignores for every kind.
    pub ignored: &'static [&'static str],
    /// How a row becomes a record.
    pub shape: Shape,
    /// Every record kept, as its cells in schema order, in file order: what `import` compares
    /// new rows with (to skip those already present) and what `export` writes. A kind whose
    /// rows are facts gives one row per record with every fact its rows gave.
    /// Made one row at a time as they are taken (a province's million dossiers are never all
    /// held as cells).
    pub to_cells: for<'r> fn(&'r Records) -> Rows<'r>,
    /// The kind's title in Vietnamese: the sheet an export writes it to.
    pub title: &'static str,
    /// The Vietnamese header `export` writes for a column, as the one-stop book and the
    /// office's own books write it (`import` reads each back: a test checks); a column not
    /// listed keeps its own name.
    pub export_headers: &'static [(&'static str, &'static str)],
    /// Makes room in `records` for the records of a file of this many bytes, so that a big
    /// list never doubles while full (for a moment, the old and the new list would both be
    /// in memory). Room is only address space until it is used, so guesses are generous.
    pub reserve: fn(&mut Records, u64),
    /// What the ids `add` and `import` give the kind's new records start with (`VP` for
    /// vi phạm: `VP-210322-K7QX`); empty for dossiers, named by their one-stop code.
    pub id_prefix: &'static str,
}

/// The records of a kind as rows of cells ([`Spec::to_cells`]).
pub type Rows<'r> = Box<dyn ExactSizeIterator<Item = Vec<String>> + 'r>;

/// [`Spec::reserve`] for kinds whose files stay small: their lists grow as they go.
pub(crate) fn no_room(_: &mut Records, _: u64) {}

/// How the rows of a kind become records.
#[derive(Clone, Copy)]
pub enum Shape {
    /// Each row is one record.
    Records {
        /// The row's cells, parsed and checked one by one, made into a record pushed onto its
        /// list in `records`; or why the row is left out (a check across cells). The cells
        /// are lent, not moved (a move would copy them whole): take what you keep.
        from_cells: fn(&mut Cells<'_>, &Refs<'_>, RowRef, &mut Records) -> Result<(), Reject>,
        /// Where each record kept was read, in the order of [`Spec::to_cells`].
        ats: fn(&Records) -> Vec<RowRef>,
        /// Empties the kind's list (before its records are made again with their changes).
        clear: fn(&mut Records),
    },
    /// Each row gives facts about the record named in its first column (an id), merged into
    /// the dossier store through `Fact::set`.
    Facts {
        /// The checks that need all of a record's rows, for every record or (`only`) those
        /// with these ids.
        finish: fn(&Records, Option<&Touched>, &mut Vec<Finding>),
        /// Which cells of an imported row (`cell(i)`: its `i`th cell in schema order) are facts
        /// already known, as bits (bit `i`: cell `i`); `None` when its record is not known at
        /// all. `import` writes the row without them, or not at all when nothing else is left.
        known_facts: KnownFacts,
    },
}

/// [`Shape::Facts`]'s `known_facts`: the bits of the cells (given one by one) already known.
pub type KnownFacts = for<'c> fn(&Plan, &Records, &dyn Fn(usize) -> &'c str) -> Option<u64>;

/// The records the new rows of one file touched, for the checks across a record's rows
/// ([`Shape::Facts`]'s `finish`): those the file's rows opened (their first row is in `file`),
/// and the records of earlier files its rows added to, by id, in the order first touched.
#[derive(Debug, Default)]
pub struct Touched {
    pub file: u32,
    pub ids: Vec<String>,
}

/// What a column holds, which decides how a cell is parsed and checked.
#[derive(Debug, Clone, Copy)]
pub enum ColType {
    Date,
    Text,
    Task,
    Officer,
    Officers,
    /// An officer id, or the name of a collective: text, where `add` and `import` turn an
    /// officer's name into their id.
    Recipient,
    Deliverable,
    Count,
    /// One of a set of codes (an enum of [`super::codes`]).
    Code(Codes),
    Procedure,
}

impl ColType {
    /// Free text, compared by `import` without case, spacing or tone placement.
    pub fn is_text(self) -> bool {
        matches!(self, ColType::Text | ColType::Recipient)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub ty: ColType,
}

pub(crate) const fn req(name: &'static str, ty: ColType) -> Column {
    Column {
        name,
        required: true,
        ty,
    }
}

pub(crate) const fn opt(name: &'static str, ty: ColType) -> Column {
    Column {
        name,
        required: false,
        ty,
    }
}

/// A column of the codes of `T`.
pub(crate) const fn code<T: Coded>() -> ColType {
    ColType::Code(Codes::of::<T>())
}

/// The most columns a kind has.
pub const MAX_COLUMNS: usize = 15;

/// The parsed cells of one row, in schema order, each with its 1-based file column (0: absent).
/// A fixed array borrowing from the row: reading a row allocates nothing for its cells.
pub struct Cells<'r> {
    pub values: [(Value<'r>, u32); MAX_COLUMNS],
}

/// Why `from_cells` left a row out: a finding at the row's line and this file column.
#[derive(Debug)]
pub struct Reject {
    pub code: Code,
    /// The 1-based file column (0: none).
    pub column: u32,
    pub msg: Msg,
}

/// A parsed cell.
#[derive(Debug, Default)]
pub enum Value<'r> {
    #[default]
    Empty,
    /// Text; for the officers column, their ids joined by `;`.
    Text(Cow<'r, str>),
    Date(NaiveDate),
    Count(u32),
    /// The index of a code in its enum ([`Coded::from_index`]).
    Code(u8),
}

impl<'r> Value<'r> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The text, taken out of the cell (empty when there is none).
    pub fn text(&mut self) -> String {
        self.opt_text().unwrap_or_default()
    }

    /// The text, taken out of the cell.
    pub fn opt_text(&mut self) -> Option<String> {
        match std::mem::take(self) {
            Value::Text(s) => Some(s.into_owned()),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn count(&self) -> Option<u32> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    pub fn code<T: Coded>(&self) -> Option<T> {
        match self {
            Value::Code(i) => T::from_index(*i),
            _ => None,
        }
    }
}

/// A dossier cell as the reader's memo keeps it: texts interned in the dossier store.
#[derive(Debug, Clone, Copy)]
pub enum Memoed {
    Empty,
    Text(Sym),
    Date(NaiveDate),
    Code(u8),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name_columns_and_headers() {
        for kind in Kind::ALL {
            let spec = kind.spec();
            assert_eq!(Kind::from_name(spec.name), Some(kind));
            assert!(spec.columns.len() <= MAX_COLUMNS, "{kind:?}");
            assert!(spec.columns.iter().any(|c| c.required), "{kind:?}");
            let mut names: Vec<_> = spec.columns.iter().map(|c| c.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), spec.columns.len(), "{kind:?}: a column twice");
            let exported = spec.export_headers.iter().map(|(column, _)| column);
            for column in spec
                .headers
                .iter()
                .map(|(_, column)| column)
                .chain(exported)
            {
                assert!(kind.column(column).is_some(), "{kind:?}: {column}");
            }
            // Facts name their record in the first column.
            if let Shape::Facts { .. } = spec.shape {
                assert!(spec.columns[0].required, "{kind:?}");
            }
        }
        assert_eq!(
            serde_json::to_string(&Kind::ALL).unwrap(),
            serde_json::to_string(&Kind::ALL.map(Kind::name)).unwrap()
        );
    }
}
