//! The plan's ids a record may refer to (tasks, officers, deliverables, procedures), looked up
//! once per load: what the reader checks cells against and what a kind's `from_cells` may ask.

use crate::plan::Plan;
use crate::text;

/// The ids a record may refer to, looked up once per load.
pub struct Refs<'p> {
    pub plan: &'p Plan,
    pub(super) tasks: Names<'p>,
    pub(super) officers: Names<'p>,
    pub(super) procedures: Names<'p>,
    pub(super) procedure_names: Vec<(String, &'p str)>,
}

/// A set of the plan's ids: a plan has a dozen tasks and officers, where comparing lengths
/// and a few words beats hashing; a long list (a catalogue of procedures) is hashed.
pub(super) struct Names<'p> {
    few: Vec<&'p str>,
    many: hashbrown::HashSet<&'p str>,
}

impl<'p> FromIterator<&'p str> for Names<'p> {
    fn from_iter<I: IntoIterator<Item = &'p str>>(ids: I) -> Names<'p> {
        let few: Vec<&str> = ids.into_iter().collect();
        if few.len() <= 32 {
            Names {
                few,
                many: hashbrown::HashSet::new(),
            }
        } else {
            Names {
                many: few.into_iter().collect(),
                few: Vec::new(),
            }
        }
    }
}

impl Names<'_> {
    pub(super) fn contains(&self, id: &str) -> bool {
        if self.many.is_empty() {
            self.few
                .iter()
                .any(|x| super::same_bytes(x.as_bytes(), id.as_bytes()))
        } else {
            self.many.contains(id)
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.few.is_empty() && self.many.is_empty()
    }
}

impl<'p> Refs<'p> {
    pub fn new(plan: &'p Plan) -> Refs<'p> {
        Refs {
            plan,
            tasks: plan.tasks.iter().map(|t| t.id.get_ref().as_str()).collect(),
            officers: plan
                .officers
                .iter()
                .map(|o| o.id.get_ref().as_str())
                .collect(),
            procedures: plan
                .procedures
                .iter()
                .map(|p| p.id.get_ref().as_str())
                .collect(),
            procedure_names: plan
                .procedures
                .iter()
                .map(|p| (text::match_key(&p.name), p.id.get_ref().as_str()))
                .collect(),
        }
    }

    /// The task a deliverable belongs to.
    pub(crate) fn deliverable_task(&self, id: &str) -> Option<&'p str> {
        self.plan
            .deliverables()
            .find(|(_, d)| d.id.get_ref() == id)
            .map(|(t, _)| t.id.get_ref().as_str())
    }
}

/// Whether a procedure cell is written as a catalogue id is (lowercase ASCII letters, digits,
/// `-`, `_`, `.`) rather than as a name: an id the catalogue lacks is an error (E219), a name
/// it lacks is kept as written.
pub fn looks_like_procedure_id(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}
