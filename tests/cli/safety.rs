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
