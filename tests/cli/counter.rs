//! Issue 19, the counter: completion of values, the next one-stop code, fuzzy names and
//! dossier tails, interactive `add`.

use std::process::Output;

use crate::harness::{Env, code, stderr, stdout};

/// Asks the binary for completions as fish does (`COMPLETE=fish kehoach -- kehoach …`): one
/// `value<TAB>help` line per candidate.
fn complete(env: &Env, words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "kehoach"];
    args.extend(words);
    let out: Output = env
        .cmd(&args)
        .env("COMPLETE", "fish")
        .env("KEHOACH_TODAY", "2021-12-01")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn options_complete_from_the_plan_folder() {
    let env = Env::fixture("minimal");
    assert_eq!(
        complete(&env, &["add", "activity", "--task", ""]),
        ["1", "2", "9"]
    );
    assert_eq!(complete(&env, &["deadlines", "--task", "9"]), ["9"]);
    assert_eq!(
        complete(&env, &["add", "violation", "--officer", "v"]),
        ["vp1"]
    );
    // A name, without diacritics, offers the officer's id.
    assert_eq!(
        complete(&env, &["dossier", "open", "--officer", "cuc"]),
        ["vp1"]
    );
    assert_eq!(
        complete(&env, &["add", "activity", "--officers", "ct;hoa"]),
        ["ct;ct"]
    );
    assert_eq!(
        complete(&env, &["dossier", "open", "--procedure", "khai"]),
        ["ht-khai-sinh"]
    );
    // Subcommands still complete as before.
    assert!(complete(&env, &["dead"]).contains(&"deadlines".to_string()));
}

#[test]
fn dossier_codes_complete_among_the_open_ones() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         000.00.27.H42-211130-0001,ht-khai-sinh,,2021-11-30,2021-12-01,,,vp1,,,,\n\
         000.00.27.H42-211201-0001,ht-khai-sinh,,2021-12-01,2021-12-02,,,vp1,,,,\n\
         000.00.27.H42-211129-0001,ht-khai-sinh,,2021-11-29,2021-11-30,2021-11-30,,vp1,,,,\n",
    );
    assert_eq!(
        complete(&env, &["dossier", "return", "000"]),
        ["000.00.27.H42-211130-0001", "000.00.27.H42-211201-0001"]
    );
    assert_eq!(
        complete(&env, &["dossier", "withdraw", "211201-0001"]),
        ["000.00.27.H42-211201-0001"]
    );
}

/// Types keys into the terminal (flushed: the process sees them now).
fn send(p: &mut rexpect::session::PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// `add activity` with its required options missing, at a terminal: it asks for each, Tab
/// completes from the plan, and the row is written.
#[test]
fn add_asks_for_what_is_missing_at_a_terminal() {
    let env = Env::fixture("minimal");
    let mut cmd = std::process::Command::new(crate::harness::BIN);
    cmd.env_clear()
        .env("TERM", "xterm")
        .args(["-C"])
        .arg(env.path())
        .args(["--lang", "en", "--as-of", "2021-03-05", "add", "activity"]);
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("a pty");
    p.exp_string("Task:").unwrap();
    send(&mut p, "9\r");
    p.exp_string("Kind of activity:").unwrap();
    // A few letters, Tab: the one kind that holds them.
    send(&mut p, "recep");
    send(&mut p, "\t");
    send(&mut p, "\r");
    p.exp_string("What was done:").unwrap();
    send(&mut p, "Tiếp công dân định kỳ\r");
    p.exp_eof().unwrap();
    let written = env.read("records/activities.csv");
    assert!(
        written.ends_with("2021-03-05,9,reception,Tiếp công dân định kỳ,,,,,\n"),
        "{written}"
    );
}

/// Esc at a prompt writes nothing.
#[test]
fn a_cancelled_prompt_writes_nothing() {
    let env = Env::fixture("minimal");
    let before = env.read("records/violations.csv");
    let mut cmd = std::process::Command::new(crate::harness::BIN);
    cmd.env_clear()
        .env("TERM", "xterm")
        .args(["-C"])
        .arg(env.path())
        .args(["--lang", "en", "add", "violation"]);
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("a pty");
    p.exp_string("Officer:").unwrap();
    send(&mut p, "\x1b");
    p.exp_string("cancelled: nothing written").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(env.read("records/violations.csv"), before);
}
