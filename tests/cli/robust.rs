//! No input makes kehoach panic: mangled record files and plans are reported, never crash.
//! The variants are made deterministically from the minimal fixture (truncations and byte
//! substitutions at every position), and loaded in-process; a handful also go through the binary.

use kehoach::folder::Folder;

use crate::harness::{Env, code};

const NASTY: [&[u8]; 9] = [
    b"\"",
    b",",
    b"\n",
    b"\r",
    b"\xff",
    b"\xef\xbb\xbf",
    b";",
    b"",
    b"\"\"",
];

/// Truncations and substitutions at every `step`-th position.
fn variants(original: &[u8], step: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for cut in (0..=original.len()).step_by(step) {
        out.push(original[..cut].to_vec());
    }
    for at in (0..original.len()).step_by(step) {
        for nasty in NASTY {
            let mut v = original[..at].to_vec();
            v.extend_from_slice(nasty);
            v.extend_from_slice(&original[at + 1..]);
            out.push(v);
        }
    }
    out
}

#[test]
fn mangled_record_files_never_panic() {
    let env = Env::fixture("minimal");
    let mut loads = 0;
    for file in ["records/dossiers.csv", "records/activities.csv"] {
        let original = std::fs::read(env.path().join(file)).unwrap();
        for v in variants(&original, 5) {
            std::fs::write(env.path().join(file), &v).unwrap();
            let folder =
                Folder::load(env.path(), kehoach::messages::Lang::En).expect("only I/O fails");
            if let Some(plan) = &folder.plan {
                let as_of = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
                kehoach::check::work_findings(
                    plan,
                    &folder.plan_source,
                    &folder.records,
                    as_of,
                    kehoach::check::closed_through(as_of),
                );
                kehoach::deadlines::deadlines(plan, &folder.records, as_of, 30);
            }
            loads += 1;
        }
        std::fs::write(env.path().join(file), &original).unwrap();
    }
    assert!(loads > 300, "{loads} variants");
}

#[test]
fn mangled_plans_never_panic() {
    let env = Env::fixture("minimal");
    let original = std::fs::read(env.path().join("plan.toml")).unwrap();
    // Every 11th position keeps the test quick; the plan parser is toml's, well fuzzed upstream.
    for v in variants(&original, 11) {
        std::fs::write(env.path().join("plan.toml"), &v).unwrap();
        let folder = Folder::load(env.path(), kehoach::messages::Lang::En).expect("only I/O fails");
        if folder.plan.is_none() {
            assert!(folder.errors() > 0, "an unreadable plan is an error");
        }
    }
}

#[test]
fn the_binary_exits_1_not_101_on_garbage() {
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", b"\xff\xfe\x00\"\n,,,\"\r\r\n");
    env.write("records/feedback.csv", "\"");
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    let out = env.run(&["deadlines"]);
    assert_eq!(code(&out), 0, "deadlines still lists what it can");
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(code(&out), 1, "a report refuses data with errors");
}
