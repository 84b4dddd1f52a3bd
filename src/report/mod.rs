//! Reports: one context ([`context::ReportContext`]), many renderers (Markdown, HTML and the
//! parts of a DOCX through Tera templates, JSON directly, the tables as an Excel workbook).

pub mod charts;
pub mod context;
pub mod docx;
pub mod json;
pub mod render;
pub mod stats;
pub mod templates;
pub mod xlsx;
