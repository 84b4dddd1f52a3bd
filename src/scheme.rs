//! How a plan counts time, as plan.toml says it: the scheme of its reporting periods
//! (`[reporting] periods`) and how often an obligation recurs (`every`). A leaf: periods, the
//! plan and the reports all speak of these, so they sit below all of them.

use serde::{Deserialize, Serialize};

/// The reporting periods' scheme (`[reporting] periods`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Nghị định 09/2019/NĐ-CP data cut-off: 15th of the previous month to the 14th.
    #[default]
    Nd09,
    /// Calendar months, quarters, halves and years.
    Calendar,
}

/// How often an obligation recurs (`every` of `[[tasks.obligations]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Week,
    Month,
    Quarter,
    Half,
    Year,
}
