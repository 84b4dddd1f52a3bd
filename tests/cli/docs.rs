//! docs/reports.md keeps up with the code: every field of the report context that the shipped
//! folder's reports print, and every filter the templates can use, is named in it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::{Env, code, json, stderr};

fn reports_doc() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reports.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every field path of a JSON value: `a.b` for a field of an object, `a[].b` for a field of the
/// objects in an array. The context has no maps keyed by data (its breakdowns are arrays of
/// rows), so every object key is a field name.
fn field_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(fields) => {
            for (key, v) in fields {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                field_paths(v, &path, out);
                out.insert(path);
            }
        }
        Value::Array(items) => {
            let path = format!("{prefix}[]");
            for item in items {
                field_paths(item, &path, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_of_the_report_context_is_documented() {
    let env = Env::shipped();
    let runs: [&[&str]; 4] = [
        &[
            "report",
            "year",
            "2021",
            "--format",
            "json",
            "--as-of",
            "2022-01-15",
        ],
        &[
            "report",
            "quarter",
            "2021-Q3",
            "--format",
            "json",
            "--as-of",
            "2021-10-01",
        ],
        // Provisional, with a number: the fields that are null in a closed report get values.
        &[
            "report",
            "quarter",
            "2021-Q4",
            "--format",
            "json",
            "--as-of",
            "2021-11-20",
            "--number",
            "85",
        ],
        &[
            "report",
            "officers",
            "2021",
            "--format",
            "json",
            "--as-of",
            "2022-01-15",
        ],
    ];
    let mut paths = BTreeSet::new();
    for args in runs {
        let out = env.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        field_paths(&json(&out), "", &mut paths);
    }
    // The walk must see the nested structs, or it proves nothing.
    for sample in [
        "dossiers.resolved.early",
        "dossiers.by_officer[].pending.overdue",
        "tasks[].obligations[].periods[].status",
        "trend[].period.code",
        "officers[].rating_cap.basis",
    ] {
        assert!(paths.contains(sample), "the walk missed {sample}");
    }
    let doc = reports_doc();
    let missing: Vec<&String> = paths
        .iter()
        .filter(|p| !doc.contains(&format!("`{p}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/reports.md does not name these report context fields (write each as `path` in \
         backticks, in the section \"The report context\"):\n  {}",
        missing
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

#[test]
fn every_template_filter_is_documented() {
    let render = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report/render.rs");
    let source = std::fs::read_to_string(&render).unwrap();
    // `register_filter("name", …)`, however rustfmt breaks the line.
    let filters: Vec<&str> = source
        .split("register_filter(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"'))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(
        filters.len() >= 8,
        "found only {filters:?} in {}",
        render.display()
    );
    let doc = reports_doc();
    let missing: Vec<&&str> = filters
        .iter()
        .filter(|f| !doc.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/reports.md does not document these filters registered in src/report/render.rs: \
         {missing:?}"
    );
}
