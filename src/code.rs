//! The finding codes (PRODUCT.md §6): one table of every code with its stable string and its
//! severity. A leaf, so that anything may name a code; the findings themselves, with their
//! places and messages, are in [`crate::findings`].

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident;)+) => {
        /// Every finding code. The strings are stable: scripts and docs rely on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),+ }
            }
        }
    };
}

codes! {
    PlanSyntax = "E101", Error;
    PlanUnknownKey = "E102", Error;
    PlanInvalid = "E103", Error;
    PlanSchema = "E104", Error;
    PlanDuplicateId = "E105", Error;
    PlanUnknownRef = "E106", Error;

    Encoding = "E201", Error;
    CsvSyntax = "E202", Error;
    NoHeader = "E203", Error;
    BadDate = "E204", Error;
    MissingColumn = "E205", Error;
    UnknownColumn = "E206", Error;
    DuplicateColumn = "E207", Error;
    RaggedRow = "E208", Error;
    MissingValue = "E209", Error;
    UnknownCode = "E210", Error;
    UnknownTask = "E211", Error;
    UnknownOfficer = "E212", Error;
    UnknownDeliverable = "E213", Error;
    DateOrder = "E214", Error;
    DossierConflict = "E215", Error;
    DossierIncomplete = "E216", Error;
    BadNumber = "E217", Error;
    UnknownFile = "E218", Error;
    UnknownProcedure = "E219", Error;
    BadValue = "E220", Error;
    UnknownRecord = "E221", Error;
    ControlChar = "E222", Error;

    DeliverableOverdue = "W301", Warning;
    DeliverableLate = "W302", Warning;
    ObligationMissed = "W303", Warning;
    EvidenceMissing = "W304", Warning;
    CommitmentMissing = "W305", Warning;
    RepeatViolation = "W306", Warning;
    DossierOverdue = "W307", Warning;
    LateWithoutReason = "W308", Warning;
    LateWithoutApology = "W309", Warning;
    // Officers' year-end rating (task 11).
    RatingMissing = "W320", Warning;
    CommitmentUnjudged = "W321", Warning;
    RatingAboveDiscipline = "W322", Warning;

    // The folder's history (git): the audit of committed rows.
    CommittedRowChanged = "E231", Error;
    CommittedRowRemoved = "E232", Error;
    CommittedRowMoved = "E233", Error;
    ConflictMarker = "E234", Error;
    SequenceGap = "W331", Warning;
    AuditSkipped = "I431", Info;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
