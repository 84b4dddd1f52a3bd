//! Nothing lost, nothing leaked (issue 14): `-o` never overwrites the folder's own data or
//! anything but a plain file; a writer waiting for a lock says whose it is.

use std::os::unix::fs::PermissionsExt as _;
use std::time::Duration;

use crate::harness::{Env, code, stderr, stdout};

fn report(env: &Env, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["report", "quarter", "2021-Q1"];
    args.extend(extra);
    env.run(&args)
}

/// Every refusal: exit 2, a message naming the file and why, the target untouched, no
/// temporary file left.
#[test]
fn output_onto_the_folder_data_or_a_special_file_is_refused() {
    let env = Env::fixture("minimal");
    env.write("templates/quarter.md", "{{ plan.title }}\n");
    env.write("mine.md", "Mẫu riêng: {{ plan.title }}\n");
    std::fs::create_dir(env.path().join("out")).unwrap();
    std::os::unix::fs::symlink(env.path().join("report.md"), env.path().join("link.md")).unwrap();
    let fifo = env.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    env.write("readonly.md", "giữ nguyên");
    std::fs::set_permissions(
        env.path().join("readonly.md"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let listing = |env: &Env| {
        let mut names: Vec<String> = walk(env.path());
        names.sort();
        names
    };
    let before = listing(&env);
    // The bytes of a plain file, the kind of anything else (reading a FIFO would block).
    let snapshot = |rel: &str| {
        let path = env.path().join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => std::fs::read(&path).ok(),
            Ok(m) => Some(format!("{:?}", m.file_type()).into_bytes()),
            Err(_) => None,
        }
    };
    let cases: [(&[&str], &str, &str); 9] = [
        (&["-o", "plan.toml"], "plan.toml", "the plan (plan.toml)"),
        (
            &["-o", "records/activities.csv"],
            "records/activities.csv",
            "inside records/",
        ),
        (
            &["-o", "records/new.md"],
            "records/new.md",
            "inside records/",
        ),
        (
            &["-o", "./templates/../templates/quarter.md"],
            "templates/quarter.md",
            "inside templates/",
        ),
        (
            &["--template", "mine.md", "-o", "mine.md"],
            "mine.md",
            "the template this report is rendered with",
        ),
        (&["-o", "out"], "out", "a directory"),
        (&["-o", "link.md"], "link.md", "a symbolic link"),
        (&["-o", "fifo"], "fifo", "a FIFO"),
        (&["-o", "readonly.md"], "readonly.md", "read-only"),
    ];
    for (args, rel, why) in cases {
        let kept = snapshot(rel);
        let out = report(&env, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("will not write the output to") && err.contains(why),
            "{args:?}: {err}"
        );
        assert_eq!(snapshot(rel), kept, "{args:?} changed {rel}");
        assert!(stdout(&out).is_empty());
    }
    let out = report(&env, &["-o", "/dev/null"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("a device"), "{}", stderr(&out));
    // `export` writes through the same checks: never a record file, never records/ as a folder.
    for args in [
        &[
            "export",
            "dossiers",
            "--format",
            "csv",
            "-o",
            "records/dossiers.csv",
        ][..],
        &["export", "--format", "csv", "-o", "records"][..],
        &["export", "--format", "xlsx", "-o", "plan.toml"][..],
    ] {
        let kept = snapshot("records/dossiers.csv");
        let out = env.run(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("will not write the output to"),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot("records/dossiers.csv"), kept);
    }
    assert_eq!(listing(&env), before, "no file made, none removed");
    insta::assert_snapshot!(stderr(&report(&env, &["-o", "plan.toml"])), @"kehoach: will not write the output to plan.toml: it is the plan (plan.toml). Choose another file for -o (or -o - for standard output)");
    // In Vietnamese, what the path is ("là") and where it lies ("nằm trong") each make the
    // sentence, never both ("là nằm trong" is not Vietnamese).
    let vi = |target: &str| {
        let args = "--lang vi --as-of 2021-12-31 report quarter 2021-Q1 -o";
        let mut args: Vec<&str> = args.split(' ').collect();
        args.push(target);
        stderr(&env.cmd(&args).output().expect("run kehoach"))
    };
    insta::assert_snapshot!(vi("plan.toml"), @"kehoach: không ghi kết quả vào plan.toml: tệp này là bản kế hoạch (plan.toml). Chọn tệp khác cho -o (hoặc -o - để in ra màn hình)");
    insta::assert_snapshot!(vi("records/dossiers.csv"), @"kehoach: không ghi kết quả vào records/dossiers.csv: tệp này nằm trong records/, nơi giữ các tệp dữ liệu. Chọn tệp khác cho -o (hoặc -o - để in ra màn hình)");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        out.push(name.clone());
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()).into_iter().map(|n| format!("{name}/{n}")));
        }
    }
    out
}

#[test]
fn output_dash_is_standard_output_and_a_file_keeps_its_mode() {
    let env = Env::fixture("minimal");
    let plain = report(&env, &[]);
    assert_eq!(code(&plain), 0);
    let dash = report(&env, &["-o", "-"]);
    assert_eq!(code(&dash), 0);
    assert_eq!(dash.stdout, plain.stdout);
    assert!(!env.path().join("-").exists());

    env.write("bao-cao.md", "cũ");
    std::fs::set_permissions(
        env.path().join("bao-cao.md"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let out = report(&env, &["-o", "bao-cao.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read(env.path().join("bao-cao.md")).unwrap(),
        plain.stdout
    );
    let mode = std::fs::metadata(env.path().join("bao-cao.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let stray: Vec<String> = walk(env.path())
        .into_iter()
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// A second writer waiting more than a second for a record file says whose lock it waits for,
/// then goes on when it is released.
#[test]
fn a_waiting_add_says_whose_lock_it_waits_for() {
    let env = Env::fixture("minimal");
    let path = env.path().join("records/activities.csv");
    let held = kehoach::records::append::Locked::open_as(&path, "kehoach import", |_| {}).unwrap();
    let child = env
        .cmd(&[
            "--lang",
            "en",
            "--as-of",
            "2021-03-05",
            "add",
            "activity",
            "--task",
            "1",
            "--kind",
            "meeting",
            "--summary",
            "Họp",
            "--officers",
            "ct",
            "--evidence",
            "BB",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1_800));
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let pid = std::process::id();
    assert_eq!(
        stderr(&out),
        format!(
            "kehoach: waiting: records/activities.csv is being written by kehoach import (pid {pid}); kehoach goes on when it is done\n"
        )
    );
    assert!(
        env.read("records/activities.csv")
            .ends_with(",Họp,ct,BB,,,\n")
    );
    assert!(!env.path().join("records/.activities.csv.holder").exists());
}

/// Runs the binary, failing the test (not hanging it) if it takes more than 20 seconds.
fn run_bounded(env: &Env, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--lang", "en", "--as-of", "2021-12-31"];
    all.extend(args);
    let mut child = env
        .cmd(&all)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("kehoach {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &std::path::Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

/// A file, how to spoil it, the command that meets it, what it says.
type Case<'a> = (&'a str, &'a dyn Fn(&Env), &'a [&'a str], &'a str);

/// Record files, plan.toml and templates are plain files of the folder: a link out of it, a
/// FIFO, a device or a directory is an error naming the file (exit 2), never read, never a hang.
#[test]
fn files_that_are_not_plain_files_of_the_folder_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.csv");
    std::fs::write(&secret, "date,channel\nBÍ MẬT,hotline\n").unwrap();
    let cases: [Case; 8] = [
        (
            "records/feedback.csv",
            &|env: &Env| {
                std::fs::remove_file(env.path().join("records/feedback.csv")).unwrap();
                std::os::unix::fs::symlink(&secret, env.path().join("records/feedback.csv"))
                    .unwrap();
            },
            &["check"],
            "outside the plan folder",
        ),
        (
            "records/feedback.csv",
            &|env: &Env| {
                std::fs::remove_file(env.path().join("records/feedback.csv")).unwrap();
                mkfifo(&env.path().join("records/feedback.csv"));
            },
            &["check"],
            "is a FIFO (named pipe), not a plain file",
        ),
        // A report digests the files beside the load: never a FIFO, which would hang it.
        (
            "records/feedback.csv",
            &|env: &Env| {
                std::fs::remove_file(env.path().join("records/feedback.csv")).unwrap();
                mkfifo(&env.path().join("records/feedback.csv"));
            },
            &["report", "year", "2021", "--format", "json"],
            "is a FIFO (named pipe), not a plain file",
        ),
        (
            "records/feedback.csv",
            &|env: &Env| {
                std::fs::remove_file(env.path().join("records/feedback.csv")).unwrap();
                std::os::unix::fs::symlink("/dev/zero", env.path().join("records/feedback.csv"))
                    .unwrap();
            },
            &["deadlines"],
            "outside the plan folder",
        ),
        (
            "records/dossiers/2021.csv",
            &|env: &Env| {
                std::fs::create_dir_all(env.path().join("records/dossiers/2021.csv")).unwrap();
            },
            &["check"],
            "is a directory",
        ),
        (
            "templates/quarter.md",
            &|env: &Env| {
                std::fs::create_dir_all(env.path().join("templates")).unwrap();
                std::os::unix::fs::symlink(&secret, env.path().join("templates/quarter.md"))
                    .unwrap();
            },
            &["report", "quarter", "2021-Q1"],
            "outside the plan folder",
        ),
        (
            "plan.toml",
            &|env: &Env| {
                let real = outside.path().join("plan.toml");
                std::fs::rename(env.path().join("plan.toml"), &real).unwrap();
                std::os::unix::fs::symlink(&real, env.path().join("plan.toml")).unwrap();
            },
            &["check"],
            "outside the plan folder",
        ),
        (
            "records/activities.csv",
            &|env: &Env| {
                std::fs::remove_file(env.path().join("records/activities.csv")).unwrap();
                std::fs::copy(
                    crate::harness::fixtures().join("minimal/records/activities.csv"),
                    outside.path().join("activities.csv"),
                )
                .unwrap();
                std::os::unix::fs::symlink(
                    outside.path().join("activities.csv"),
                    env.path().join("records/activities.csv"),
                )
                .unwrap();
            },
            &[
                "add",
                "activity",
                "--task",
                "1",
                "--kind",
                "meeting",
                "--summary",
                "Họp",
                "--officers",
                "ct",
                "--evidence",
                "BB",
            ],
            "outside the plan folder",
        ),
    ];
    for (file, make, args, why) in cases {
        let env = Env::fixture("minimal");
        make(&env);
        let out = run_bounded(&env, args);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{file} {args:?}: {err}");
        assert!(
            err.starts_with(&format!("kehoach: {file} ")) && err.contains(why),
            "{file}: {err}"
        );
        assert!(
            !err.contains("BÍ MẬT") && !stdout(&out).contains("BÍ MẬT"),
            "{err}"
        );
    }
    // Nothing was appended through the link.
    assert_eq!(
        std::fs::read(outside.path().join("activities.csv")).unwrap(),
        std::fs::read(crate::harness::fixtures().join("minimal/records/activities.csv")).unwrap()
    );
    let env = Env::fixture("minimal");
    env.write("records/activities.csv", "");
    insta::assert_snapshot!(stderr(&{
        std::fs::remove_file(env.path().join("records/activities.csv")).unwrap();
        mkfifo(&env.path().join("records/activities.csv"));
        run_bounded(&env, &["check"])
    }), @"kehoach: records/activities.csv is a FIFO (named pipe), not a plain file: kehoach reads only plain files");
}

/// `import` reads only plain files (never /dev/zero until killed, never a FIFO), and `-` is
/// standard input.
#[test]
fn import_reads_plain_files_and_standard_input() {
    let env = Env::fixture("minimal");
    mkfifo(&env.path().join("pipe.csv"));
    std::fs::create_dir(env.path().join("folder.csv")).unwrap();
    for (file, why) in [
        ("/dev/zero", "is a device, not a plain file"),
        ("pipe.csv", "is a FIFO (named pipe), not a plain file"),
        ("folder.csv", "is a directory, not a plain file"),
    ] {
        let before = env.read("records/dossiers.csv");
        let out = run_bounded(&env, &["import", "dossiers", file]);
        assert_eq!(code(&out), 2, "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
        assert_eq!(env.read("records/dossiers.csv"), before);
    }
    let rows =
        "Mã hồ sơ,Thủ tục,Ngày tiếp nhận,Ngày hẹn trả\nS1,ht-khai-sinh,2021-03-01,2021-03-02\n";
    let mut child = env
        .cmd(&[
            "--lang",
            "en",
            "--as-of",
            "2021-12-31",
            "import",
            "dossiers",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), rows.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        env.read("records/dossiers.csv")
            .ends_with("S1,ht-khai-sinh,,2021-03-01,2021-03-02,,,,,,,\n"),
        "{}",
        env.read("records/dossiers.csv")
    );
}

/// Hostile text: control characters, non-characters and bidi overrides are E222 at the cell
/// (file:line:column), the row is not read, and nothing raw reaches the terminal; a dossier id
/// with a hidden character is refused; `add` refuses such a cell before writing.
#[test]
fn control_characters_are_errors_at_their_cell_and_never_reach_the_terminal() {
    let env = Env::fixture("minimal");
    let mut feedback = env.read("records/feedback.csv");
    feedback.push_str("2021-03-01,hotline,satisfied,vp1,\"Khen \u{1b}]0;pwned\u{7}\",,\n");
    feedback.push_str("2021-03-02,hotline,satisfied,vp1,Tốt \u{ffff},,\n");
    feedback.push_str("2021-03-03,hotline,satisfied,vp1,\u{202e}txt.exe,,\n");
    env.write("records/feedback.csv", &feedback);
    let mut dossiers = env.read("records/dossiers.csv");
    dossiers
        .push_str("D1\u{200b},ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,2021-01-21,,vp1,,,,\n");
    env.write("records/dossiers.csv", &dossiers);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        !text.chars().any(kehoach::controls::forbidden),
        "a raw control character reached the terminal: {text:?}"
    );
    let ours: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("E222") || l.contains("E220"))
        .collect();
    insta::assert_snapshot!(ours.join("\n"), @r#"
records/dossiers.csv:5:1: E220 dossier id 'D1<U+200B>' is not printable ASCII: ids are letters, digits and signs such as - . / (a hidden character would make a second dossier that looks the same)
records/feedback.csv:3:5: E222 column summary: character U+001B (at character 6 of the cell) is a control character, a non-character or a bidi override: it shows as nothing or changes how the text reads; remove it
records/feedback.csv:4:5: E222 column summary: character U+FFFF (at character 5 of the cell) is a control character, a non-character or a bidi override: it shows as nothing or changes how the text reads; remove it
records/feedback.csv:5:5: E222 column summary: character U+202E (at character 1 of the cell) is a control character, a non-character or a bidi override: it shows as nothing or changes how the text reads; remove it
"#);
    let lines = feedback.lines().count();
    let json = crate::harness::json(&env.run(&["check", "--format", "json"]));
    let places: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "E222")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        (lines - 2..=lines)
            .map(|l| ("records/feedback.csv".to_string(), l as u64))
            .collect::<Vec<_>>()
    );

    // `add` checks the new row the same way: refused, nothing written.
    let before = env.read("records/activities.csv");
    let out = env.run(&[
        "add",
        "activity",
        "--task",
        "1",
        "--kind",
        "meeting",
        "--summary",
        "Họp\u{1b}[2J",
        "--officers",
        "ct",
        "--evidence",
        "BB",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("E222") && !stderr(&out).contains('\u{1b}'),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/activities.csv"), before);
}

/// The line an added row is said to be on is its line in the file, whatever came before it.
#[test]
fn add_after_many_blank_lines_names_the_right_line() {
    let env = Env::fixture("minimal");
    env.write("records/commitments.csv", "\n".repeat(100_000));
    let out = env.run(&[
        "add",
        "commitment",
        "--date",
        "2021-01-18",
        "--officer",
        "ct",
        "--task",
        "9",
        "--commitment",
        "Tiếp công dân",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    let said: Vec<&str> = said.lines().collect();
    // A file made new gets the change columns, and the row its id (docs/records.md, "Ids").
    let row = said[0]
        .strip_prefix("records/commitments.csv:100002: ")
        .unwrap_or_else(|| panic!("{said:?}"));
    assert_eq!(said.len(), 1);
    assert!(
        row.starts_with("2021-01-18,ct,9,Tiếp công dân,,,CK-210118-") && row.ends_with(",,,"),
        "{row}"
    );
    let text = env.read("records/commitments.csv");
    assert_eq!(text.lines().nth(100_001), Some(row));
}

/// Bounds: a header of more than 1,000 columns is one finding, not millions; a plan year out of
/// 2000–2100 is an error at its line.
#[test]
fn a_huge_header_and_an_absurd_year_are_single_errors_at_their_place() {
    let env = Env::fixture("minimal");
    let mut header = String::from("date,channel");
    header.push_str(&",x".repeat(200_000));
    header.push('\n');
    env.write("records/feedback.csv", &header);
    let out = env.run(&["check", "--format", "json"]);
    let json = crate::harness::json(&out);
    let ours: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "records/feedback.csv")
        .map(|f| format!("{}:{} {} {}", f["file"], f["line"], f["code"], f["message"]))
        .collect();
    assert_eq!(
        ours,
        [
            "\"records/feedback.csv\":1 \"E202\" \"the header has 200002 columns, more than the 1000 a record file may have: the file is not read\""
        ]
    );

    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace("year = 2021", "year = 99999");
    env.write("plan.toml", &plan);
    let line = plan.lines().position(|l| l.starts_with("year =")).unwrap() + 1;
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains(&format!(
            "plan.toml:{line}:8: E103 year 99999 is out of range: a plan's year is between 2000 and 2100"
        )),
        "{}",
        stdout(&out)
    );
}

/// The minimal fixture with `n` activities on 30 or 31 February (E204 each).
fn with_bad_dates(n: usize) -> Env {
    let env = Env::fixture("minimal");
    let mut activities = env.read("records/activities.csv");
    for i in 0..n {
        activities += &format!("2021-02-{},1,meeting,Họp {i},ct,BB,,,\n", 30 + i % 2);
    }
    env.write("records/activities.csv", activities);
    env
}

/// Bounds: at most 100 findings of one code in one file are printed, then one line with the
/// count of the rest; JSON lists the same and keeps the count under `omitted`; the summary and
/// the exit status count them all.
#[test]
fn at_most_a_hundred_findings_of_one_code_per_file_are_printed() {
    let env = with_bad_dates(250);
    let activities =
        env.read("records/activities.csv") + "2021-02-01,1,no-such-kind,Họp,ct,BB,,,\n";
    env.write("records/activities.csv", activities);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("records/activities.csv"))
        .collect();
    let bad_dates = lines.iter().filter(|l| l.contains(":1: E204 ")).count();
    assert_eq!(bad_dates, 100, "{text}");
    assert_eq!(lines.iter().filter(|l| l.contains(": E210 ")).count(), 1);
    assert_eq!(
        lines.last(),
        Some(
            &"records/activities.csv: E204 … and 150 more E204 findings in this file, not printed (`kehoach check --format json` counts them under \"omitted\")"
        ),
        "{text}"
    );
    assert!(text.contains(": 251 errors"), "{text}");
    let vi = env
        .cmd(&["--lang", "vi", "--as-of", "2021-12-31", "check"])
        .output()
        .unwrap();
    assert!(
        stdout(&vi).contains(
            "records/activities.csv: E204 … và 150 vấn đề E204 khác của tệp này không in ra"
        ),
        "{}",
        stdout(&vi)
    );

    let json = crate::harness::json(&env.run(&["check", "--format", "json"]));
    let listed = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "E204")
        .count();
    assert_eq!(listed, 100);
    assert_eq!(
        json["omitted"],
        serde_json::json!([
            {"file": "records/activities.csv", "code": "E204", "severity": "error", "count": 150}
        ])
    );
    assert_eq!(json["summary"]["errors"], 251);
}

/// A command refused for errors in the data (here a report) prints them to stderr as `check`
/// prints them: at most 100 of one code in one file, then the count of the rest (a file whose
/// every row is wrong printed each of its million lines, one write each, for seconds).
#[test]
fn a_refused_report_prints_the_errors_bounded_as_check_does() {
    let env = with_bad_dates(250);
    let out = env.run(&["report", "year", "2021"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    let check = stdout(&env.run(&["check"]));
    let errors: Vec<&str> = check.lines().filter(|l| l.contains(" E2")).collect();
    let text = crate::harness::stderr(&out);
    let printed: Vec<&str> = text.lines().filter(|l| l.contains(" E2")).collect();
    assert_eq!(printed, errors, "{text}");
    assert_eq!(printed.len(), 101, "{text}");
    assert!(
        printed[100].ends_with("… and 150 more E204 findings in this file, not printed (`kehoach check --format json` counts them under \"omitted\")"),
        "{text}"
    );
    assert!(text.contains("250 errors"), "{text}");
}

/// A date that does not exist in plan.toml is named at its own line and column.
#[test]
fn an_impossible_plan_date_is_named_at_its_place() {
    let env = Env::fixture("minimal");
    let plan = env
        .read("plan.toml")
        .replace("issued = 2021-01-15", "issued = 2021-02-29");
    env.write("plan.toml", &plan);
    let line = plan
        .lines()
        .position(|l| l.starts_with("issued ="))
        .unwrap()
        + 1;
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).starts_with(&format!("plan.toml:{line}:10: E101 ")),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("invalid date"), "{}", stdout(&out));

    // In a list too (the holidays), and in a deeper table (a deliverable's due date).
    for (from, to) in [
        ("2021-02-16]", "2021-02-30]"),
        ("due = 2021-12-15", "due = 2021-11-31"),
    ] {
        let env = Env::fixture("minimal");
        let plan = env.read("plan.toml").replace(from, to);
        env.write("plan.toml", &plan);
        let bad = &to[to.find("2021-").unwrap()..][..10];
        let offset = plan.find(bad).unwrap();
        let line = plan[..offset].matches('\n').count() + 1;
        let column = offset - plan[..offset].rfind('\n').map_or(0, |p| p + 1) + 1;
        let out = env.run(&["check"]);
        assert!(
            stdout(&out).starts_with(&format!("plan.toml:{line}:{column}: E101 ")),
            "{to}: {}",
            stdout(&out)
        );
    }
}

/// A control character written as an escape in plan.toml (`\u001b`) is an error at its place,
/// like one in a record, and never reaches the terminal.
#[test]
fn control_characters_in_plan_text_are_errors_at_their_place() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace(
        "name = \"Phạm Thị Cúc\"",
        "name = \"Phạm \\u001b[31mThị Cúc\"",
    );
    env.write("plan.toml", &plan);
    let line = plan.lines().position(|l| l.contains("\\u001b")).unwrap() + 1;
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.contains(&format!("plan.toml:{line}:8: E103 ")) && text.contains("U+001B"),
        "{text}"
    );
}

/// A file kehoach may not read is named by its own path, not by its folder. (As root, the
/// binary runs as nobody, to whom a file of mode 000 is unreadable.)
#[test]
fn an_unreadable_record_file_is_named_by_its_path() {
    let env = Env::fixture("minimal");
    for (path, mode) in [
        (env.path().to_path_buf(), 0o755),
        (env.path().join("records"), 0o755),
        (env.path().join("plan.toml"), 0o644),
    ] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    for entry in std::fs::read_dir(env.path().join("records")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let secret = env.path().join("records/violations.csv");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let args = ["--lang", "en", "--as-of", "2021-12-31", "check"];
    let root = unsafe_free_uid() == 0;
    let mut cmd = if root {
        let mut setpriv = std::process::Command::new("setpriv");
        setpriv
            .current_dir(env.path())
            .env_clear()
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(crate::harness::BIN)
            .args(args);
        setpriv
    } else {
        env.cmd(&args)
    };
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("records/violations.csv: Permission denied"),
        "{}",
        stderr(&out)
    );
}

/// The user id this test runs as, read from /proc (no unsafe call).
fn unsafe_free_uid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse().ok())
        .unwrap()
}

/// `init` writes a .gitignore for what kehoach leaves in the folder only while it writes (the
/// undo journal, the lock holder's name, an output's temporary file); `check` says nothing
/// about them.
#[test]
fn init_ignores_what_kehoach_leaves_while_it_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(crate::harness::BIN);
        cmd.current_dir(tmp.path()).env_clear().args(args);
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.output().unwrap()
    };
    let out = run(&["--lang", "en", "init", "kh"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dir = tmp.path().join("kh");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(&dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", tmp.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(code(&git(&["init", "-q"])), 0);
    let transient = [
        "records/.activities.csv.journal",
        "records/.dossiers.csv.holder",
        ".kehoach-a1B2c3.tmp",
    ];
    for rel in transient {
        std::fs::write(dir.join(rel), "x").unwrap();
        let out = git(&["check-ignore", "-q", rel]);
        assert_eq!(code(&out), 0, "{rel} is not ignored");
    }
    let status = stdout(&git(&["status", "--porcelain", "--untracked-files=all"]));
    for rel in transient {
        assert!(!status.contains(rel), "{status}");
    }
    for rel in [
        "plan.toml",
        "records/activities.csv",
        ".gitattributes",
        ".gitignore",
    ] {
        assert!(
            status.contains(rel),
            "{rel} must stay visible to git: {status}"
        );
    }
    // A journal left behind would be undone (it means a killed append): only the others stay.
    std::fs::remove_file(dir.join(transient[0])).unwrap();
    let out = run(&["--lang", "en", "-C", "kh", "--as-of", "2026-01-02", "check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        !stdout(&out).contains(".holder") && !stdout(&out).contains(".tmp"),
        "{}",
        stdout(&out)
    );
}
