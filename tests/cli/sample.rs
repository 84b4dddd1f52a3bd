//! The plan folder shipped in the repository: plan.toml and a year of sample records.

use crate::harness::{Env, code, json, stdout};

#[test]
fn check_on_the_shipped_folder_is_clean_and_summarises() {
    let env = Env::shipped();
    let out = env.run(&["check", "--as-of", "2021-12-31", "--lang", "en"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let summary = text.lines().last().unwrap();
    assert!(
        summary.starts_with("Read 153 activities, 2145 dossier rows (1515 dossiers)")
            && summary.ends_with("14 ratings, 3 reporting lapses: 0 errors, 52 warnings."),
        "{summary}"
    );
    let out = env.run(&["check", "--as-of", "2021-12-31", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let doc = json(&out);
    for key in ["rows", "errors", "warnings"] {
        assert!(doc["summary"].get(key).is_some(), "summary.{key}");
    }
    assert_eq!(doc["summary"]["errors"], 0);
    for f in doc["findings"].as_array().unwrap() {
        for key in ["code", "severity", "file", "line", "column", "message"] {
            assert!(f.get(key).is_some(), "finding.{key}");
        }
    }
}

/// The sample's own lapses, as the issue lists them.
#[test]
fn the_sample_lapses_are_found() {
    let env = Env::shipped();
    let out = env.run(&["check", "--as-of", "2021-12-31", "--format", "json"]);
    let doc = json(&out);
    let with = |code_: &str| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code_)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let weeks: Vec<String> = with("W303")
        .into_iter()
        .filter(|m| m.contains("Tiếp công dân"))
        .collect();
    assert_eq!(weeks.len(), 3, "{weeks:?}");
    for label in ["Week 15/2021", "Week 29/2021", "Week 44/2021"] {
        assert!(
            weeks.iter().any(|m| m.starts_with(label)),
            "{label}: {weeks:?}"
        );
    }
    assert_eq!(with("W308").len(), 8, "late dossiers without a reason");
    let commitments = with("W305");
    assert!(
        commitments
            .iter()
            .any(|m| m.starts_with("Đỗ Thị Lan (dc2) has registered no commitment"))
    );
    assert!(
        commitments
            .iter()
            .any(|m| m.starts_with("Trịnh Văn Quang (qs) has registered no commitment"))
    );
    assert!(
        commitments
            .iter()
            .any(|m| m.contains("(vp2) registered commitments late"))
    );
    assert_eq!(with("W306").len(), 1, "one repeat violation");
    assert_eq!(with("W302").len(), 1, "the assignment decision came late");
}

#[test]
fn deadlines_on_the_first_of_december_show_the_assessment_report() {
    let env = Env::shipped();
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let doc = json(&out);
    let items = doc["items"].as_array().unwrap();
    let report = items
        .iter()
        .find(|i| i["kind"] == "deliverable" && i["task"] == "2")
        .expect("task 2's deliverable");
    assert_eq!(report["due"], "2021-12-15");
    assert_eq!(report["status"], "upcoming");
    assert_eq!(report["days"], 14);
    for item in items {
        for key in ["kind", "title", "due", "status"] {
            assert!(item.get(key).is_some(), "item.{key}");
        }
    }
    // The text form, for people.
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--lang", "vi"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("[NV 2] Báo cáo đánh giá và Kế hoạch"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.trim_start().starts_with("15/12/2021  còn 14 ngày"),
        "{line}"
    );
    assert!(
        line.contains("sản phẩm") && line.ends_with("(Nguyễn Khánh Hòa)"),
        "{line}"
    );
}

#[test]
fn the_sample_findings_snapshot() {
    let env = Env::shipped();
    let out = env.run(&["check", "--as-of", "2021-12-31", "--lang", "vi"]);
    insta::assert_snapshot!("sample_check_2021_12_31", stdout(&out));
}

#[test]
fn the_sample_deadlines_snapshot() {
    let env = Env::shipped();
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--lang", "vi"]);
    insta::assert_snapshot!("sample_deadlines_2021_12_01", stdout(&out));
}
