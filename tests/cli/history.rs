//! The folder's history (git): provenance, `verify`, the audit of committed rows, `check
//! --since`, the two-clerk merge, `log`, `hook install`. Each test makes a real repository in
//! a temporary folder with the `git` program (kehoach itself reads it with gix).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{Env, code, json, repo_root, stderr, stdout};

/// Runs git in `dir` with a fixed identity and date and no user or system configuration.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    git_as(dir, args, "Nguyễn Thị Lan", "2021-01-20T10:00:00+07:00")
}

pub(crate) fn git_as(dir: &Path, args: &[&str], who: &str, date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", "vanphong@sonhong.gov.vn")
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", "vanphong@sonhong.gov.vn")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The minimal fixture as a repository with one commit on `main`.
fn committed() -> Env {
    let env = Env::fixture("minimal");
    git(env.path(), &["init", "-q", "-b", "main"]);
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sổ theo dõi tháng 1"]);
    env
}

fn append(env: &Env, rel: &str, row: &str) {
    let mut text = env.read(rel);
    text.push_str(row);
    text.push('\n');
    env.write(rel, text);
}

/// The findings of `check --format json` other than the work warnings (W301–W309: the
/// minimal fixture misses weekly duties in January), as (code, file, line, message).
fn findings(out: &std::process::Output) -> Vec<(String, String, Option<u64>, String)> {
    json(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["code"].as_str().unwrap().starts_with("W30"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes(out: &std::process::Output) -> Vec<String> {
    findings(out).into_iter().map(|f| f.0).collect()
}

const REPORT: &[&str] = &["report", "quarter", "2021-Q1", "--as-of", "2021-01-31"];

/// The report formats that state a digest, each with a file to write it to.
const FORMATS: [(&str, &str); 4] = [
    ("md", "r.md"),
    ("html", "r.html"),
    ("docx", "r.docx"),
    ("json", "r.json"),
];

fn provenance(env: &Env) -> Value {
    let mut args = REPORT.to_vec();
    args.extend(["--format", "json"]);
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    json(&out)["provenance"].clone()
}

#[test]
fn provenance_is_head_and_dirty_after_an_uncommitted_add() {
    let env = committed();
    let head = git(env.path(), &["rev-parse", "HEAD"]);
    let p = provenance(&env);
    assert_eq!(p["commit"], Value::from(head.clone()));
    assert!(head.starts_with(p["short"].as_str().unwrap()));
    assert_eq!(p["dirty"], Value::from(false));
    assert_eq!(p["changed"], serde_json::json!([]));
    assert!(p["digest"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(p["files"][0], "plan.toml");

    let out = env.run(&[
        "add",
        "activity",
        "--date",
        "2021-01-26",
        "--task",
        "9",
        "--kind",
        "reception",
        "--summary",
        "Tiếp công dân định kỳ",
        "--officers",
        "ct",
        "--evidence",
        "Sổ tiếp công dân trang 2",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = provenance(&env);
    assert_eq!(after["commit"], Value::from(head));
    assert_eq!(after["dirty"], Value::from(true));
    assert_eq!(
        after["changed"],
        serde_json::json!(["records/activities.csv"])
    );
    assert_ne!(after["digest"], p["digest"]);
}

#[test]
fn every_format_states_its_provenance() {
    let env = committed();
    let short = &git(env.path(), &["rev-parse", "--short", "HEAD"]);
    let digest = provenance(&env)["digest"].as_str().unwrap().to_string();
    let mut args = REPORT.to_vec();
    args.extend(["-o", "r.md"]);
    env.run(&args);
    let md = env.read("r.md");
    let line = md.lines().last().unwrap();
    assert!(line.starts_with("<small>Nguồn dữ liệu: commit "), "{line}");
    assert!(
        line.contains(short.as_str()) && line.contains(&digest),
        "{line}"
    );
    assert!(line.contains("đúng như đã commit"), "{line}");

    let mut args = REPORT.to_vec();
    args.extend(["--format", "html", "-o", "r.html"]);
    env.run(&args);
    let html = env.read("r.html");
    assert!(html.contains(&format!(
        "<p class=\"provenance\">Nguồn dữ liệu: commit {short}"
    )));

    let mut args = REPORT.to_vec();
    args.extend(["--format", "docx", "-o", "r.docx"]);
    env.run(&args);
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(env.path().join("r.docx")).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let core = part("docProps/core.xml");
    assert!(
        core.contains(&format!("<dc:identifier>{digest}</dc:identifier>")),
        "{core}"
    );
    let body = part("word/document.xml");
    let recipients = body.find("Nơi nhận").unwrap();
    let line = body.find("Nguồn dữ liệu: commit").unwrap();
    assert!(
        recipients < line,
        "the provenance line stands under Nơi nhận"
    );

    // Outside git: no commit, the digest all the same.
    let plain = Env::fixture("minimal");
    let p = provenance(&plain);
    assert_eq!(p["commit"], Value::Null);
    assert_eq!(p["dirty"], Value::Null);
    assert_eq!(p["digest"].as_str().unwrap(), digest);
}

#[test]
fn verify_passes_then_fails_after_a_committed_row_is_altered() {
    let env = committed();
    for (format, file) in FORMATS {
        let mut args = REPORT.to_vec();
        args.extend(["--format", format, "-o", file]);
        assert_eq!(code(&env.run(&args)), 0);
        let out = env.run(&["verify", file]);
        assert_eq!(code(&out), 0, "{format}: {}{}", stdout(&out), stderr(&out));
        assert!(
            stdout(&out).starts_with(
                "matches: the report was made from exactly the data now in the folder"
            ),
            "{}",
            stdout(&out)
        );
    }
    // One committed row altered, and committed.
    let text = env
        .read("records/dossiers.csv")
        .replace("Thiếu giấy tờ", "Thiếu giấy tờ hợp lệ");
    env.write("records/dossiers.csv", text);
    git(env.path(), &["commit", "-q", "-am", "Sửa lý do"]);
    for file in ["r.md", "r.html", "r.docx", "r.json"] {
        let out = env.run(&["verify", file]);
        assert_eq!(code(&out), 1, "{file}: {}", stdout(&out));
        assert!(
            stdout(&out).starts_with("does not match"),
            "{}",
            stdout(&out)
        );
        // The commit it was made from still matches.
        let out = env.run(&["verify", file, "--rev", "HEAD~1"]);
        assert_eq!(code(&out), 0, "{file}: {}{}", stdout(&out), stderr(&out));
    }
    let out = env.run(&["verify", "r.md", "--rev", "no-such-branch"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no revision 'no-such-branch'"),
        "{}",
        stderr(&out)
    );
    env.write("plain.md", "# not a report\n");
    let out = env.run(&["verify", "plain.md"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("states no SHA-256 digest"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_audit_catches_an_edited_a_deleted_and_a_moved_committed_row() {
    let env = Env::fixture("minimal");
    git(env.path(), &["init", "-q", "-b", "main"]);
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sổ theo dõi tháng 1"]);
    // A second clerk adds feedback in a second commit.
    append(
        &env,
        "records/feedback.csv",
        "2021-01-27,phone,satisfied,vp1,Giải đáp nhanh,2021-01-27,",
    );
    append(
        &env,
        "records/feedback.csv",
        "2021-01-28,form,dissatisfied,vp1,Chờ lâu,2021-01-29,",
    );
    git_as(
        env.path(),
        &["commit", "-q", "-am", "Góp ý tuần 4"],
        "Trần Văn Bình",
        "2021-01-29T16:00:00+07:00",
    );
    let first = git(env.path(), &["rev-parse", "--short", "HEAD~1"]);
    let second = git(env.path(), &["rev-parse", "--short", "HEAD"]);
    let clean = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    assert_eq!(code(&clean), 0);
    assert!(codes(&clean).is_empty(), "{:?}", findings(&clean));

    // Edited: line 3 of dossiers (the first commit's).
    let dossiers = env.read("records/dossiers.csv");
    env.write(
        "records/dossiers.csv",
        dossiers.replace("2021-01-21,,,vp1", "2021-01-21,,,ct"),
    );
    // Deleted: line 3 of feedback (the second commit's); moved: line 2 of activities.
    let feedback = env.read("records/feedback.csv");
    let lines: Vec<&str> = feedback.lines().collect();
    env.write(
        "records/feedback.csv",
        format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]),
    );
    let activities = env.read("records/activities.csv");
    let lines: Vec<&str> = activities.lines().collect();
    env.write(
        "records/activities.csv",
        format!("{}\n{}\n{}\n", lines[0], lines[2], lines[1]),
    );

    let out = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    assert_eq!(code(&out), 1);
    let found: Vec<_> = findings(&out)
        .into_iter()
        .filter(|f| f.0.starts_with("E23"))
        .collect();
    let at: Vec<(&str, &str, Option<u64>)> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        at,
        [
            ("E233", "records/activities.csv", Some(3)),
            ("E231", "records/dossiers.csv", Some(3)),
            ("E232", "records/feedback.csv", Some(3)),
        ]
    );
    assert!(
        found[0].3.contains("moved from line 2") && found[0].3.contains(&first),
        "{}",
        found[0].3
    );
    assert!(
        found[0].3.contains("Quán triệt Chỉ thị 26/CT-TTg"),
        "{}",
        found[0].3
    );
    assert!(
        found[1].3.contains(&format!(
            "added by commit {first} (Nguyễn Thị Lan, 2021-01-20)"
        )),
        "{}",
        found[1].3
    );
    assert!(
        found[1]
            .3
            .contains("was “D2,ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,,,vp1,,,,”"),
        "{}",
        found[1].3
    );
    assert!(
        found[2].3.contains(&format!(
            "added by commit {second} (Trần Văn Bình, 2021-01-29)"
        )),
        "{}",
        found[2].3
    );
    assert!(found[2].3.contains("Giải đáp nhanh"), "{}", found[2].3);

    // Against the first commit the second's rows are new: only the edit and the move remain.
    let out = env.run(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2021-01-31",
        "--audit-base",
        "HEAD~1",
    ]);
    let at: Vec<_> = findings(&out)
        .into_iter()
        .filter(|f| f.0.starts_with("E23"))
        .map(|f| (f.0, f.2))
        .collect();
    assert_eq!(
        at,
        [("E233".to_string(), Some(3)), ("E231".to_string(), Some(3))]
    );

    // The text output, as a reviewer reads it.
    let out = env.run(&["check", "--as-of", "2021-01-31"]);
    let text = stdout(&out)
        .replace(&first, "<first>")
        .replace(&second, "<second>");
    insta::assert_snapshot!("audit_edit_delete_move", text);
}

#[test]
fn outside_git_the_audit_is_skipped_with_one_info_line() {
    let env = Env::fixture("minimal");
    let out = env.run(&["check", "--as-of", "2021-01-31"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let infos: Vec<&str> = text.lines().filter(|l| l.contains("I431")).collect();
    assert_eq!(
        infos,
        ["records: I431 not in a git repository: the audit of committed rows is skipped"]
    );
    // A repository without a commit says so.
    git(env.path(), &["init", "-q", "-b", "main"]);
    let out = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    let f = findings(&out);
    assert_eq!(f.len(), 1);
    assert!(f[0].3.starts_with("no commit yet"), "{:?}", f);
}

#[test]
fn conflict_markers_have_their_own_code_and_a_hint() {
    let env = committed();
    let dossiers = env.read("records/dossiers.csv");
    env.write(
        "records/dossiers.csv",
        format!("{dossiers}<<<<<<< HEAD\nD3,ht-khai-sinh,Hộ tịch,2021-01-25,2021-01-26,2021-01-26,,vp1,,,,\n=======\nD4,ht-khai-sinh,Hộ tịch,2021-01-25,2021-01-26,2021-01-26,,vp1,,,,\n>>>>>>> tiep-nhan\n"),
    );
    let out = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    assert_eq!(code(&out), 1);
    let f = findings(&out);
    let markers: Vec<_> = f.iter().map(|f| (f.0.as_str(), f.2)).collect();
    assert_eq!(
        markers,
        [("E234", Some(5)), ("E234", Some(7)), ("E234", Some(9))]
    );
    assert!(f[0].3.contains("merge=union"), "{}", f[0].3);
    assert!(!codes(&out).contains(&"E208".to_string()));
}

#[test]
fn since_on_a_branch_shows_only_the_branch_findings() {
    let env = Env::fixture("minimal");
    git(env.path(), &["init", "-q", "-b", "main"]);
    // main has a row naming an officer the plan does not have (E212), committed.
    append(
        &env,
        "records/activities.csv",
        "2021-01-25,9,reception,Tiếp công dân,zz1,Sổ trang 3,,,",
    );
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sổ tháng 1"]);
    git(env.path(), &["checkout", "-q", "-b", "van-thu"]);
    append(
        &env,
        "records/activities.csv",
        "2021-01-26,9,reception,Tiếp công dân,zz2,Sổ trang 4,,,",
    );
    git(
        env.path(),
        &["commit", "-q", "-am", "Thêm một buổi tiếp dân"],
    );
    let all = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    let lines: Vec<_> = findings(&all).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(
        lines,
        [("E212".to_string(), Some(4)), ("E212".to_string(), Some(5))]
    );
    let branch = env.run(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2021-01-31",
        "--since",
        "main",
    ]);
    assert_eq!(code(&branch), 1);
    let f = findings(&branch);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].2), ("E212", Some(5)));
    assert!(f[0].3.contains("zz2"));
    // Nothing new since the branch's own head.
    let none = env.run(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2021-01-31",
        "--since",
        "HEAD",
    ]);
    assert!(findings(&none).is_empty(), "{:?}", findings(&none));
    assert_eq!(code(&none), 0);
}

#[test]
fn two_clerks_adding_rows_on_two_branches_merge_cleanly() {
    let env = Env::fixture("minimal");
    std::fs::copy(
        repo_root().join(".gitattributes"),
        env.path().join(".gitattributes"),
    )
    .unwrap();
    git(env.path(), &["init", "-q", "-b", "main"]);
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sổ tháng 1"]);
    let add = |id: &str, officer: &str| {
        let out = env.run(&[
            "dossier",
            "open",
            "--id",
            id,
            "--procedure",
            "ht-khai-sinh",
            "--received",
            "2021-01-27",
            "--officer",
            officer,
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    };
    git(env.path(), &["checkout", "-q", "-b", "mot-cua"]);
    add("D3", "vp1");
    git_as(
        env.path(),
        &["commit", "-q", "-am", "Tiếp nhận D3"],
        "Lê Thị Hoa",
        "2021-01-27T09:00:00+07:00",
    );
    git(env.path(), &["checkout", "-q", "main"]);
    add("D4", "ct");
    git_as(
        env.path(),
        &["commit", "-q", "-am", "Tiếp nhận D4"],
        "Phạm Văn Nam",
        "2021-01-27T10:00:00+07:00",
    );
    git(env.path(), &["merge", "-q", "--no-edit", "mot-cua"]);
    let dossiers = env.read("records/dossiers.csv");
    assert!(
        dossiers.contains("\nD3,") && dossiers.contains("\nD4,"),
        "{dossiers}"
    );
    assert!(!dossiers.contains("<<<<<<<"));
    let out = env.run(&["check", "--as-of", "2021-01-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(!stdout(&out).contains("E23"), "{}", stdout(&out));

    // log tells who added what, in the domain's words.
    let out = env.run(&["log"]);
    let text = stdout(&out);
    assert!(
        text.contains("Lê Thị Hoa, 2021-01-27: Tiếp nhận D3\n  added 1 dossier rows"),
        "{text}"
    );
    assert!(
        text.contains("Phạm Văn Nam, 2021-01-27: Tiếp nhận D4\n  added 1 dossier rows"),
        "{text}"
    );
    assert!(text.contains("Nguyễn Thị Lan, 2021-01-20: Sổ tháng 1\n  added 2 activities, 3 dossier rows, 1 feedback, 2 commitments"), "{text}");
    let out = env.run(&["log", "dossiers", "D3"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hoa = git(env.path(), &["log", "-1", "--format=%h", "mot-cua"]);
    assert_eq!(
        stdout(&out),
        format!("records/dossiers.csv:6  commit {hoa}, Lê Thị Hoa, 2021-01-27: D3,ht-khai-sinh,,2021-01-27,2021-01-28,,,vp1,,,,\n")
            .replace(":6 ", &format!(":{} ", dossiers.lines().position(|l| l.starts_with("D3,")).unwrap() + 1))
    );
    let out = env.run(&["log", "dossiers", "D2"]);
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    let out = env.run(&["log", "--period", "2021-W04"]);
    assert!(
        stdout(&out).contains("Tiếp nhận D3") && !stdout(&out).contains("Sổ tháng 1"),
        "{}",
        stdout(&out)
    );

    // A correction adds a change row, not a record: log says so, in both languages.
    let out = env.run(&[
        "amend",
        "dossier",
        "D3",
        "--officer",
        "ct",
        "--reason",
        "chị Hoa nghỉ phép",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    git(env.path(), &["add", "-A"]);
    git_as(
        env.path(),
        &["commit", "-q", "-m", "Đính chính D3"],
        "Phạm Văn Nam",
        "2021-01-28T09:00:00+07:00",
    );
    let out = env.run(&["log", "--period", "2021-W04"]);
    assert!(
        stdout(&out).contains("Đính chính D3\n  added 1 change rows (fill, correct, void)\n"),
        "{}",
        stdout(&out)
    );
    let out = env
        .cmd(&["--lang", "vi", "log", "--period", "2021-W04"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("Đính chính D3\n  thêm 1 dòng thay đổi (bổ sung, đính chính, hủy)\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_pre_commit_hook_refuses_a_commit_with_a_bad_new_row() {
    let env = committed();
    let out = env.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hook = env.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("check --since HEAD"), "{script}");
    append(
        &env,
        "records/activities.csv",
        "2021-01-26,9,reception,Tiếp công dân,zz9,Sổ trang 4,,,",
    );
    let refused = Command::new("git")
        .current_dir(env.path())
        .args(["commit", "-q", "-am", "Thêm"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@b")
        .env("GIT_COMMITTER_NAME", "A")
        .env("GIT_COMMITTER_EMAIL", "a@b")
        .env("KEHOACH_LANG", "en")
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    // Git shows a hook's output on its standard error.
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("E212"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // A second install replaces its own hook; someone else's is left alone.
    assert_eq!(code(&env.run(&["hook", "install"])), 0);
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    let out = env.run(&["hook", "install"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("left alone"), "{}", stderr(&out));
    assert_eq!(code(&env.run(&["hook", "install", "--force"])), 0);
}

/// `log KIND PLACE` reads only the kind's own record files, named with or without `records/`;
/// `verify` reads only a plain file. Neither opens what the folder's rules refuse (a FIFO
/// would hang them, /dev/zero fill the memory).
#[test]
fn log_and_verify_read_only_plain_files_of_their_own() {
    let env = committed();
    let whole = env.run(&["log", "activities", "records/activities.csv:2"]);
    assert_eq!(code(&whole), 0, "{}", stderr(&whole));
    let short = env.run(&["log", "activities", "activities.csv:2"]);
    assert_eq!(stdout(&short), stdout(&whole));
    assert!(stdout(&whole).starts_with("records/activities.csv:2  commit "));
    for place in [
        "/etc/passwd:2",
        "/dev/zero:2",
        "records/../plan.toml:3",
        "feedback.csv:2",
    ] {
        let out = env.run(&["log", "activities", place]);
        assert_eq!(code(&out), 2, "{place}: {}", stdout(&out));
        assert!(stdout(&out).is_empty(), "{place}");
    }
    let mkfifo = |rel: &str| {
        let made = Command::new("mkfifo").arg(env.path().join(rel)).status();
        assert!(made.unwrap().success());
    };
    mkfifo("fifo.md");
    let out = env.run(&["verify", "fifo.md"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));
    std::fs::create_dir_all(env.path().join("records/activities")).unwrap();
    mkfifo("records/activities/p.csv");
    let out = env.run(&["log", "activities", "records/activities/p.csv:2"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));
}

/// `log` quotes commit authors, subjects and rows from anyone's repository: a control
/// character among them reaches the terminal as `<U+001B>`, never raw.
#[test]
fn log_never_sends_a_raw_control_character_to_the_terminal() {
    let env = committed();
    append(
        &env,
        "records/activities.csv",
        "2021-01-25,1,meeting,\"x \u{1b}]0;pwned\u{7} \u{1b}[2J\",ct,x,,,",
    );
    git(env.path(), &["add", "-A"]);
    git_as(
        env.path(),
        &["commit", "-q", "-m", "a \u{1b}[5mb"],
        "E\u{1b}[31m",
        "2021-01-25T09:00:00+07:00",
    );
    for args in [&["log"][..], &["log", "activities", "activities.csv:4"][..]] {
        let out = env.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("<U+001B>"), "{args:?}: {text}");
    }
}

/// The digest of a plan folder's `files` as the provenance frames it: per file its path, a
/// zero byte and its length, then (`pieces`) the SHA-256 of each 16 KiB of its bytes, or
/// (as reports made before December 2026 did) its bytes themselves. Worked out here from the
/// words of docs/history.md, not by kehoach.
fn digest_by_hand(dir: &Path, files: &[Value], pieces: bool) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for rel in files {
        let rel = rel.as_str().unwrap();
        let bytes = std::fs::read(dir.join(rel)).unwrap();
        h.update(rel.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        if pieces {
            for piece in bytes.chunks(1 << 14) {
                h.update(sha2::Sha256::digest(piece));
            }
        } else {
            h.update(&bytes);
        }
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A report states the digest docs/history.md defines; one made before the digest was made of
/// the files' pieces (it states the digest of their bytes) still verifies, against the folder
/// and against its commit, and stops verifying once the data changes.
#[test]
fn a_report_made_before_the_pieces_still_verifies() {
    let env = committed();
    let p = provenance(&env);
    let files = p["files"].as_array().unwrap();
    assert_eq!(
        p["digest"],
        Value::from(digest_by_hand(env.path(), files, true))
    );
    let before = digest_by_hand(env.path(), files, false);
    assert_ne!(p["digest"], Value::from(before.clone()));
    env.write(
        "old.md",
        format!(
            "…\n<small>Nguồn dữ liệu: commit {}, đúng như đã commit; mã SHA-256 của dữ liệu \
             đã đọc: {before} (kiểm tra bằng lệnh kehoach verify).</small>\n",
            p["short"].as_str().unwrap()
        ),
    );
    for args in [
        &["verify", "old.md"][..],
        &["verify", "old.md", "--rev", "HEAD"],
    ] {
        let out = env.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}{}", stdout(&out), stderr(&out));
        assert!(stdout(&out).contains(&before), "{}", stdout(&out));
    }
    append(
        &env,
        "records/feedback.csv",
        "2021-01-27,phone,satisfied,vp1,Giải đáp nhanh,2021-01-27,",
    );
    git(env.path(), &["commit", "-q", "-am", "Thêm góp ý"]);
    let out = env.run(&["verify", "old.md"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    // What it says the data is now: the digest a report would state now.
    let now = digest_by_hand(env.path(), files, true);
    assert!(stdout(&out).contains(&now), "{}", stdout(&out));
    let out = env.run(&["verify", "old.md", "--rev", "HEAD~1"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

/// A digest quoted in the data (an activity's summary) is not the report's: verify reads the
/// one the report states as its provenance, in every format.
#[test]
fn verify_reads_the_provenance_not_a_digest_in_the_data() {
    let env = committed();
    let quoted = format!("sha256:{}", "ab".repeat(32));
    append(
        &env,
        "records/activities.csv",
        &format!("2021-01-22,1,dissemination,Lưu tệp {quoted},ct,Biên bản 02,,,"),
    );
    git(env.path(), &["commit", "-q", "-am", "Thêm hoạt động"]);
    for (format, file) in FORMATS {
        let mut args = REPORT.to_vec();
        args.extend(["--format", format, "-o", file]);
        assert_eq!(code(&env.run(&args)), 0);
        if format != "docx" {
            assert!(
                env.read(file).contains(&quoted),
                "{format}: the data quotes it"
            );
        }
        let out = env.run(&["verify", file]);
        assert_eq!(code(&out), 0, "{format}: {}{}", stdout(&out), stderr(&out));
    }
}

/// A clone whose git writes record files with CRLF line ends (core.autocrlf, git for
/// Windows' default) holds the committed rows as they were: the audit finds none changed,
/// also once a row is appended, and a report made there verifies against its commit.
#[test]
fn a_checkout_with_crlf_line_ends_holds_the_committed_rows() {
    let env = committed();
    let origin = env.path().to_str().unwrap().to_string();
    git(
        env.path(),
        &["clone", "-q", "-c", "core.autocrlf=true", &origin, "clone"],
    );
    let clone = env.path().join("clone");
    let activities = std::fs::read(clone.join("records/activities.csv")).unwrap();
    assert!(
        activities.windows(2).any(|w| w == b"\r\n"),
        "git wrote CRLF"
    );
    not_vouched(&clone);
    let codes = |out: &std::process::Output| -> Vec<String> {
        json(out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .filter(|c| c.starts_with('E'))
            .collect()
    };
    let check = [
        "-C",
        "clone",
        "check",
        "--as-of",
        "2021-01-31",
        "--format",
        "json",
    ];
    let out = env.run(&check);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stdout(&out));
    let out = env.run(&[
        "-C",
        "clone",
        "add",
        "violation",
        "--date",
        "2021-01-25",
        "--officer",
        "vp1",
        "--description",
        "Đi muộn",
        "--as-of",
        "2021-01-31",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The row ends as the file's rows do: no lone `\n` among them.
    let violations = std::fs::read(clone.join("records/violations.csv")).unwrap();
    assert!(violations.ends_with("Đi muộn,,,,\r\n".as_bytes()));
    assert_eq!(
        violations.iter().filter(|&&b| b == b'\n').count(),
        violations.windows(2).filter(|w| w == b"\r\n").count()
    );
    let out = env.run(&check);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stdout(&out));
    git(&clone, &["checkout", "-q", "--", "records"]);
    not_vouched(&clone);
    let mut args = vec!["-C", "clone"];
    args.extend(REPORT);
    args.extend(["-o", "r.md"]);
    assert_eq!(code(&env.run(&args)), 0);
    let out = env.run(&["-C", "clone", "verify", "r.md", "--rev", "HEAD"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // The checkout is what HEAD holds: the report says so, and names HEAD for its rows.
    let mut args = vec!["-C", "clone"];
    args.extend(REPORT);
    args.extend(["--format", "json"]);
    let provenance = &json(&env.run(&args))["provenance"];
    assert_eq!(provenance["dirty"], false, "{provenance}");
    assert_eq!(provenance["changed"], serde_json::json!([]));
    // Its rows' history is the origin's, line for line.
    let head = git(&clone, &["log", "-1", "--format=%h"]);
    for args in [["log", "dossiers", "D2"], ["show", "dossier", "D2"]] {
        let here = stdout(&env.run(&[&["-C", "clone"], &args[..]].concat()));
        assert!(here.contains(&format!("commit {}", head.trim())), "{here}");
        assert!(here.contains("records/dossiers.csv:4"), "{here}");
        assert_eq!(here, stdout(&env.run(&args)));
    }
    // A CRLF file that differs from HEAD by a row is still changed.
    let feedback = clone.join("records/feedback.csv");
    let mut bytes = std::fs::read(&feedback).unwrap();
    bytes.extend_from_slice("2021-01-28,form,satisfied,vp1,Tốt,2021-01-29,\r\n".as_bytes());
    std::fs::write(&feedback, bytes).unwrap();
    not_vouched(&clone);
    let provenance = &json(&env.run(&args))["provenance"];
    assert_eq!(
        provenance["changed"],
        serde_json::json!(["records/feedback.csv"])
    );
}

/// Files the index cannot vouch for are told apart from HEAD's by their bytes: as committed,
/// the same; edited in place to the same length, changed; cut shorter than the committed blob,
/// changed (a blob id names the size: such a file is not read for one).
#[test]
fn files_the_index_cannot_vouch_for_are_judged_by_their_bytes() {
    let env = committed();
    not_vouched(env.path());
    let p = provenance(&env);
    assert_eq!(p["dirty"], false, "{p}");
    let summary = "Quán triệt Chỉ thị 26/CT-TTg";
    let activities = env.read("records/activities.csv");
    assert!(activities.contains(summary));
    env.write(
        "records/activities.csv",
        activities.replace(summary, "Quán triệt Chỉ thị 27/CT-TTg"),
    );
    let feedback = env.read("records/feedback.csv");
    env.write(
        "records/feedback.csv",
        feedback.lines().next().unwrap().to_owned() + "\n",
    );
    not_vouched(env.path());
    let p = provenance(&env);
    assert_eq!(p["dirty"], true, "{p}");
    assert_eq!(
        p["changed"],
        serde_json::json!(["records/activities.csv", "records/feedback.csv"])
    );
}

/// Makes the index unable to vouch for the record files (as after any edit, or a checkout in
/// the same second): their times are later than it says.
fn not_vouched(dir: &std::path::Path) {
    for f in std::fs::read_dir(dir.join("records")).unwrap() {
        if let Ok(f) = std::fs::File::options()
            .append(true)
            .open(f.unwrap().path())
        {
            let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
            f.set_modified(later).unwrap();
        }
    }
}

#[test]
fn rows_moved_to_another_file_of_their_kind_keep_the_commit_that_added_them() {
    let env = committed();
    let first = git(env.path(), &["log", "-1", "--format=%h"]);
    // The dossiers split by month: the file moved, then a dossier's rows moved out of it.
    std::fs::create_dir_all(env.path().join("records/dossiers")).unwrap();
    git(
        env.path(),
        &["mv", "records/dossiers.csv", "records/dossiers/2021-01.csv"],
    );
    let moved = env.read("records/dossiers/2021-01.csv");
    let (keep, out): (Vec<&str>, Vec<&str>) = moved.lines().partition(|l| !l.starts_with("D2,"));
    let header = keep[0];
    env.write(
        "records/dossiers/2021-01.csv",
        format!("{}\n", keep.join("\n")),
    );
    env.write(
        "records/dossiers/2021-01b.csv",
        format!("{header}\n{}\n", out.join("\n")),
    );
    // And the activities saved again by Excel, with CRLF line ends, their last row moved to a
    // file of its own.
    let activities = env.read("records/activities.csv");
    let last = activities.lines().last().unwrap();
    let header = activities.lines().next().unwrap();
    env.write(
        "records/activities.csv",
        activities
            .replace(&format!("{last}\n"), "")
            .replace('\n', "\r\n"),
    );
    std::fs::create_dir_all(env.path().join("records/activities")).unwrap();
    env.write(
        "records/activities/2021-01b.csv",
        format!("{header}\n{last}\n"),
    );
    git(env.path(), &["add", "-A"]);
    // `show` names the first commit as the one that recorded D2, in its new file.
    let d2_recorded_by_the_first_commit = || {
        let text = stdout(&env.run(&["show", "dossier", "D2"]));
        assert!(
            text.contains(&format!(
                "records/dossiers/2021-01b.csv:2: recorded\n    commit {}",
                first.trim()
            )),
            "{text}"
        );
    };
    // The audit (and so the pre-commit hook) finds every committed row still there.
    let since = ["check", "--as-of", "2021-01-31", "--since", "HEAD"];
    let out = env.run(&since);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(!stdout(&out).contains("E23"), "{}", stdout(&out));
    // Moved but not yet committed, a row is still the first commit's.
    d2_recorded_by_the_first_commit();
    // But a row lost on the way is a row removed, named as such.
    let kept = env.read("records/dossiers/2021-01b.csv");
    let lost = kept.lines().nth(2).unwrap().to_string();
    env.write(
        "records/dossiers/2021-01b.csv",
        kept.replace(&format!("{lost}\n"), ""),
    );
    let out = env.run(&since);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains(&format!(
            "records/dossiers.csv: E232 committed row removed (line 4 in the commit, added by commit {}",
            first.trim()
        )) && stdout(&out).contains(&lost),
        "{}",
        stdout(&out)
    );
    env.write("records/dossiers/2021-01b.csv", kept);
    git(
        env.path(),
        &["commit", "-q", "-m", "Chia sổ hồ sơ theo tháng"],
    );

    // log credits the split with nothing, and the first commit still with its rows.
    let text = stdout(&env.run(&["log"]));
    assert!(!text.contains("Chia sổ hồ sơ theo tháng"), "{text}");
    assert!(
        text.contains("Sổ theo dõi tháng 1\n  added 2 activities, 3 dossier rows"),
        "{text}"
    );
    // Each row, in its new file, is the first commit's.
    for (args, place) in [
        (["log", "dossiers", "D2"], "records/dossiers/2021-01b.csv:2"),
        (["log", "dossiers", "D1"], "records/dossiers/2021-01.csv:2"),
        (["log", "activities", "2"], "records/activities.csv:2"),
        (
            ["log", "activities", "records/activities/2021-01b.csv:2"],
            "records/activities/2021-01b.csv:2",
        ),
    ] {
        let text = stdout(&env.run(&args));
        assert!(
            text.starts_with(&format!("{place}  commit {}", first.trim())),
            "{args:?}: {text}"
        );
    }
    d2_recorded_by_the_first_commit();
}

#[test]
fn log_of_a_record_by_place_lists_its_change_rows_as_show_does() {
    let env = committed();
    let out = env.run(&[
        "--as-of",
        "2021-01-31",
        "amend",
        "commitment",
        "commitments.csv:2",
        "--commitment",
        "Tiếp công dân thứ Năm hằng tuần",
        "--reason",
        "ghi rõ ngày",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sửa cam kết"]);
    let first = git(env.path(), &["log", "-1", "--format=%h", "HEAD^"]);
    let second = git(env.path(), &["log", "-1", "--format=%h"]);
    for place in ["records/commitments.csv:2", "commitments.csv:2"] {
        let text = stdout(&env.run(&["log", "commitments", place]));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].starts_with(&format!(
                "records/commitments.csv:2  commit {}",
                first.trim()
            )),
            "{text}"
        );
        assert!(
            lines[1].starts_with(&format!(
                "records/commitments/changes.csv:2  commit {}",
                second.trim()
            )) && lines[1].ends_with(",correct,commitments.csv:2,ghi rõ ngày"),
            "{text}"
        );
    }
    // The other record is not named by that change.
    let text = stdout(&env.run(&["log", "commitments", "commitments.csv:3"]));
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn a_row_gone_from_its_file_is_moved_only_if_another_file_of_its_kind_gained_it() {
    let env = committed();
    let activities = env.read("records/activities.csv");
    let header = activities.lines().next().unwrap().to_string();
    let last = activities.lines().last().unwrap().to_string();
    // A later file of the kind holds a copy of the last row, committed.
    std::fs::create_dir_all(env.path().join("records/activities")).unwrap();
    let extra = "2021-01-25,1,meeting,Họp giao ban,ct,Biên bản giao ban,,,";
    env.write(
        "records/activities/b.csv",
        format!("{header}\n{last}\n{extra}\n"),
    );
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Thêm tệp b"]);
    let since = ["check", "--as-of", "2021-01-31", "--since", "HEAD"];
    // A row moved from the later file to the earlier one is still there.
    env.write("records/activities/b.csv", format!("{header}\n{last}\n"));
    append(&env, "records/activities.csv", extra);
    let out = env.run(&since);
    assert!(!stdout(&out).contains("E23"), "{}", stdout(&out));
    // A row deleted whose copy the other file held already is removed.
    env.write(
        "records/activities/b.csv",
        format!("{header}\n{last}\n{extra}\n"),
    );
    env.write(
        "records/activities.csv",
        activities.replace(&format!("{last}\n"), ""),
    );
    let out = env.run(&since);
    assert!(
        stdout(&out).contains("records/activities.csv:3: E232") && stdout(&out).contains(&last),
        "{}",
        stdout(&out)
    );
}
