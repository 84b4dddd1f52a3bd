//! The interface in Vietnamese and English: findings, errors, help; the language rules;
//! colour; the broken pipe; completions and the manual page.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::harness::{BIN, Env, code, stderr, stdout};

/// A folder with one data error and a few warnings.
fn one_of_each() -> Env {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence\n2021-01-20,1,dissemination,Quán triệt,ct,\n31/02/2021,9,reception,Tiếp dân,ct,\n",
    );
    env
}

fn run_lang(env: &Env, lang: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--lang", lang];
    all.extend(args);
    env.cmd(&all).output().unwrap()
}

#[test]
fn a_finding_in_both_languages() {
    let env = one_of_each();
    for lang in ["vi", "en"] {
        let out = run_lang(&env, lang, &["check", "--as-of", "2021-01-31"]);
        assert_eq!(code(&out), 1);
        insta::assert_snapshot!(format!("check_{lang}"), stdout(&out));
    }
}

#[test]
fn an_error_in_both_languages() {
    let env = Env::fixture("minimal");
    for lang in ["vi", "en"] {
        let bad_period = run_lang(&env, lang, &["report", "quarter", "2021-Q5"]);
        let bad_flag = run_lang(&env, lang, &["check", "--formt", "json"]);
        let bad_date = run_lang(&env, lang, &["check", "--as-of", "31/02/2021"]);
        let no_folder = Command::new(BIN)
            .current_dir(std::env::temp_dir())
            .env_clear()
            .args(["--lang", lang, "check"])
            .output()
            .unwrap();
        for out in [&bad_period, &bad_flag, &bad_date, &no_folder] {
            assert_eq!(code(out), 2);
        }
        let text = [bad_period, bad_flag, bad_date, no_folder]
            .iter()
            .map(stderr)
            .collect::<Vec<_>>()
            .join("---\n")
            .replace(&std::env::temp_dir().display().to_string(), "$TMP");
        insta::assert_snapshot!(format!("errors_{lang}"), text);
    }
}

#[test]
fn help_in_both_languages() {
    let env = Env::fixture("minimal");
    for lang in ["vi", "en"] {
        let out = run_lang(&env, lang, &["check", "--help"]);
        assert_eq!(code(&out), 0);
        insta::assert_snapshot!(format!("check_help_{lang}"), stdout(&out));
    }
    // Every command's help shows real examples.
    for command in [
        "check",
        "deadlines",
        "report",
        "add",
        "dossier",
        "import",
        "init",
        "completions",
        "man",
    ] {
        for (lang, word) in [("vi", "Ví dụ:"), ("en", "Example")] {
            let out = run_lang(&env, lang, &[command, "--help"]);
            let text = stdout(&out);
            assert!(
                text.contains(word) && text.contains("kehoach "),
                "{command} --help in {lang}:\n{text}"
            );
        }
    }
}

#[test]
fn the_language_comes_from_the_flag_then_kehoach_lang_then_the_locale() {
    let env = one_of_each();
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut cmd = env.cmd(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        stdout(&cmd.output().unwrap())
    };
    let vi = "không phải ngày hợp lệ";
    let en = "is not a date";
    let check = ["--as-of", "2021-01-31", "check"];
    assert!(run(&[], &check).contains(vi), "Vietnamese by default");
    assert!(run(&[("LANG", "en_US.UTF-8")], &check).contains(en));
    assert!(run(&[("LANG", "vi_VN.UTF-8")], &check).contains(vi));
    assert!(
        run(
            &[("LC_ALL", "en_GB.UTF-8"), ("LANG", "vi_VN.UTF-8")],
            &check
        )
        .contains(en),
        "LC_ALL first"
    );
    assert!(run(&[("KEHOACH_LANG", "en"), ("LANG", "vi_VN.UTF-8")], &check).contains(en));
    assert!(
        run(
            &[("KEHOACH_LANG", "en")],
            &["--lang", "vi", "--as-of", "2021-01-31", "check"]
        )
        .contains(vi),
        "the flag first"
    );
    assert!(
        run(&[("LANG", "C")], &check).contains(vi),
        "C says nothing: Vietnamese"
    );
}

#[test]
fn colour_only_for_a_terminal_without_no_color() {
    let env = one_of_each();
    let esc = "\x1b[";
    // A pipe: no colour.
    let out = env
        .cmd(&["--as-of", "2021-01-31", "check"])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains(esc));
    // Forced.
    let out = env
        .cmd(&["--as-of", "2021-01-31", "--color", "always", "check"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\x1b[1;31mE204\x1b[0m"),
        "{}",
        stdout(&out)
    );
    // A real terminal, through script(1): colour, unless NO_COLOR is set.
    let in_terminal = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.current_dir(env.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TERM", "xterm")
            .args([
                "-qec",
                &format!("{BIN} --as-of 2021-01-31 check"),
                "/dev/null",
            ]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("script(1) from util-linux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = in_terminal(false);
    assert!(
        coloured.contains("E204") && coloured.contains(esc),
        "{coloured:?}"
    );
    let plain = in_terminal(true);
    assert!(plain.contains("E204") && !plain.contains(esc), "{plain:?}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let env = Env::shipped();
    // The year report in JSON and the dossiers as CSV (written as they are made) are far
    // larger than a pipe's buffer.
    let year: &[&str] = &["report", "year", "2021", "--format", "json"];
    for args in [year, &["export", "dossiers"]] {
        let mut child = env
            .cmd(&[&["--as-of", "2022-01-15"], args].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut head)
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn completions_and_the_manual_come_from_the_command_line() {
    let env = Env::fixture("minimal");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run_lang(&env, "en", &["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let script = stdout(&out);
        assert!(
            script.contains("kehoach")
                && script.contains("deadlines")
                && script.contains("--as-of"),
            "{shell}"
        );
    }
    let out = run_lang(&env, "vi", &["man"]);
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH kehoach"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("Quản lý kế hoạch năm của xã"));
    let out = run_lang(&env, "en", &["man"]);
    assert!(stdout(&out).contains("Keep a commune"));
}
