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

/// The codes docs/check.md's tables list: the first cell of each table row, when it reads like
/// a finding code (a letter and three digits).
fn documented_codes(doc: &str) -> Vec<String> {
    doc.lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|rest| rest.split(" |").next())
        .map(str::trim)
        .filter(|cell| {
            let b = cell.as_bytes();
            b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_finding_code_is_documented_once_and_no_other() {
    use kehoach::findings::Code;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let listed = documented_codes(&doc);
    let codes: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let documented: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(
        listed.len(),
        documented.len(),
        "a code listed twice: {listed:?}"
    );
    let undocumented: Vec<&String> = codes.difference(&documented).collect();
    let unknown: Vec<&String> = documented.difference(&codes).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/check.md must list every finding code in its tables (`| CODE | meaning |`) and no \
         other:\n  not documented: {undocumented:?}\n  not a code: {unknown:?}"
    );
    // The reading of the tables must see them, or it proves nothing.
    assert!(documented.contains("E101") && documented.contains("W309"));
    assert_eq!(
        documented_codes("| E999 | x |\n| code | meaning |\n|---|---|\n| W1 | y |"),
        vec!["E999".to_string()]
    );
}
