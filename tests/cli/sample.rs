//! The plan folder shipped in the repository: plan.toml and a year of sample records.

use crate::harness::{Env, code, json, repo_root, stderr, stdout};

#[test]
fn check_on_the_shipped_folder_is_clean_and_summarises() {
    let env = Env::shipped();
    let out = env.run(&["check", "--as-of", "2021-12-31", "--lang", "en"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let summary = text.lines().last().unwrap();
    assert!(
        summary.starts_with("Read 153 activities, 2147 dossier rows (1515 dossiers)")
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

/// The shipped records/ are the generator's default output, byte for byte: the sample is
/// changed in examples/generate.rs, never by hand.
#[test]
fn the_shipped_records_are_the_generator_s_default_output() {
    use crate::bounded::generate;
    let dir = tempfile::tempdir().unwrap();
    generate::run(&generate::Args {
        out: dir.path().to_path_buf(),
        dossiers: 1500,
        seed: 2021,
        plan: None,
        shape: generate::Shape::default(),
    })
    .unwrap();
    // Every file of records/ (commitments/changes.csv too), and no other.
    fn files(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
        out.sort();
    }
    let (made, shipped) = (dir.path().join("records"), repo_root().join("records"));
    let (mut made_files, mut shipped_files) = (Vec::new(), Vec::new());
    files(&made, &made, &mut made_files);
    files(&shipped, &shipped, &mut shipped_files);
    assert_eq!(made_files, shipped_files);
    for file in &made_files {
        assert!(
            std::fs::read(made.join(file)).unwrap() == std::fs::read(shipped.join(file)).unwrap(),
            "records/{} is not what examples/generate.rs writes: regenerate it (README, Development)",
            file.display()
        );
    }
}

/// A commendation "không có hồ sơ trễ hạn 6 tháng đầu năm …" is true of the sample: its
/// recipient has no dossier returned late nor overdue in that half (issue 17: tp1 had 18).
#[test]
fn the_sample_commendations_agree_with_its_dossiers() {
    let env = Env::shipped();
    let claim = "không có hồ sơ trễ hạn 6 tháng đầu năm ";
    let mut checked = 0;
    for line in env.read("records/commendations.csv").lines().skip(1) {
        let Some(at) = line.find(claim) else { continue };
        let year = &line[at + claim.len()..at + claim.len() + 4];
        let mut cells = line.split(',');
        let (date, who) = (cells.next().unwrap(), cells.next().unwrap());
        let half = format!("{year}-H1");
        let out = env.run(&["report", "half", &half, "--as-of", date, "--format", "json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let context = json(&out);
        let rows = context["dossiers"]["by_officer"].as_array().unwrap();
        let row = rows
            .iter()
            .find(|r| r["key"] == who)
            .unwrap_or_else(|| panic!("{who} handled no dossier in {half}"));
        assert!(row["resolved"]["total"].as_u64().unwrap() > 0, "{row}");
        assert_eq!(row["resolved"]["late"], 0, "{who} in {half}: {row}");
        assert_eq!(row["pending"]["overdue"], 0, "{who} in {half}: {row}");
        checked += 1;
    }
    assert!(checked > 0, "no commendation of the sample makes the claim");
}
