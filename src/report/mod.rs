//! Reports: one context ([`context::ReportContext`]), many renderers (Markdown and HTML through
//! Tera templates, JSON directly).

pub mod context;
pub mod render;
pub mod stats;
