//! Reports are bounded by the plan, not by the data (issue 20): a year of a big folder with a
//! lapse in every third dossier gives a report that counts them all and lists a few.

use crate::harness::{Env, code, json, repo_root, stderr, stdout};

/// The benchmark's generator, its folders made here without a second build.
#[allow(dead_code)]
#[path = "../../examples/generate.rs"]
pub mod generate;

/// A folder of 100,000 dossiers of `shape` made by the generator, with the repository's plan,
/// and its year's report as JSON (as of 15/01/2022), which must be made.
fn generated_year(shape: generate::Shape) -> (Env, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    generate::run(&generate::Args {
        out: dir.path().to_path_buf(),
        dossiers: 100_000,
        seed: 2021,
        plan: Some(repo_root().join("plan.toml")),
        shape,
    })
    .unwrap();
    let env = Env { dir };
    let out = env.run(&[
        "report",
        "year",
        "2021",
        "--format",
        "json",
        "--as-of",
        "2022-01-15",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Its digest, made of the pieces the two threads of the split read hashed and the few
    // pieces cut between them read again, is the folder's as `verify` reads it whole.
    env.write("year.json", &out.stdout);
    let verified = env.run(&["verify", "year.json"]);
    assert_eq!(
        code(&verified),
        0,
        "{}{}",
        stdout(&verified),
        stderr(&verified)
    );
    (env, out)
}

#[test]
fn the_year_json_of_100k_dossiers_with_30_percent_lapses_stays_under_1_mb() {
    let (env, out) = generated_year(generate::Shape {
        lapses: Some(0.3),
        ..Default::default()
    });
    let size = out.stdout.len();
    assert!(size < 1_000_000, "the year's JSON is {size} bytes");
    let doc = json(&out);

    // Every warning is counted, a few of each code shown.
    let findings = &doc["findings"];
    let total = findings["total"].as_u64().unwrap();
    assert!(total >= 25_000, "{total} warnings");
    let by_code = findings["by_code"].as_array().unwrap();
    let counted: u64 = by_code.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, total);
    let examples = findings["examples"].as_array().unwrap();
    for c in by_code {
        let code = c["code"].as_str().unwrap();
        let shown = examples.iter().filter(|f| f["code"] == code).count() as u64;
        assert_eq!(shown, c["shown"].as_u64().unwrap(), "{code}");
        assert_eq!(shown, c["count"].as_u64().unwrap().min(20), "{code}");
    }
    let months: u64 = findings["by_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    assert_eq!(months + findings["before_period"].as_u64().unwrap(), total);

    // As many as `check` finds of the dossier codes: those it lists and those it counts
    // under `omitted` (it lists at most 100 of one code in one file).
    let check = env.run(&["check", "--format", "json", "--as-of", "2021-12-14"]);
    let all = json(&check);
    for code in ["W307", "W309"] {
        let listed = all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .count() as u64;
        let omitted: u64 = all["omitted"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["code"] == code)
            .map(|o| o["count"].as_u64().unwrap())
            .sum();
        let in_check = listed + omitted;
        let in_report = by_code
            .iter()
            .find(|c| c["code"] == code)
            .map_or(0, |c| c["count"].as_u64().unwrap());
        assert!(in_check > 0, "{code}");
        assert_eq!(in_report, in_check, "{code}");
    }

    // The activities: all counted, at most 60 a task listed.
    let mut cut = false;
    for task in doc["tasks"].as_array().unwrap() {
        let a = &task["activities"];
        let listed = a["list"].as_array().unwrap().len() as u64;
        assert!(listed <= 60, "{listed}");
        let kinds: u64 = a["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["count"].as_u64().unwrap())
            .sum();
        assert_eq!(kinds, a["total"].as_u64().unwrap());
        // The routine ones (a weekly duty's kind: the citizen reception) are summed up instead.
        let routine: u64 = task["routine"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .sum();
        assert_eq!(listed + a["not_listed"].as_u64().unwrap() + routine, kinds);
        cut |= a["not_listed"].as_u64().unwrap() > 0;
    }
    assert!(cut, "no task had more activities than it lists");
}

/// A dossier book sorted by return date, as a clerk's spreadsheet sorts a column (blank cells
/// last), has most dossiers' rows far apart: the return row in the first half of the file, the
/// row that received it in the second, so that the split read (the file is over its 8 MiB)
/// finds them on both sides of its cut and merges them again. The year counts what it counts
/// in date order; only the examples, chosen by their lines, may differ.
#[test]
fn a_book_sorted_by_return_date_counts_as_one_in_date_order() {
    let year = |sort_returned: bool| {
        let (env, out) = generated_year(generate::Shape {
            sort_returned,
            ..Default::default()
        });
        let book = std::fs::read_to_string(env.path().join("records/dossiers.csv")).unwrap();
        let rows: Vec<&str> = book.lines().collect();
        let returned = |row: &str| !row.split(',').nth(5).unwrap_or_default().is_empty();
        if sort_returned {
            // As sorted: returned first, blank last.
            assert!(returned(rows[1]) && !returned(rows[rows.len() - 1]));
        }
        (json(&out), rows.len())
    };
    let (by_date, rows) = year(false);
    let (by_return, sorted_rows) = year(true);
    assert_eq!(rows, sorted_rows);
    assert!(by_date["dossiers"]["received"].as_u64().unwrap() > 90_000);
    for part in ["dossiers", "tasks", "next", "trend", "officers"] {
        assert_eq!(by_date[part], by_return[part], "{part}");
    }
    for part in [
        "total",
        "by_code",
        "by_task",
        "by_field",
        "by_officer",
        "by_period",
    ] {
        assert_eq!(
            by_date["findings"][part], by_return["findings"][part],
            "{part}"
        );
    }
}
