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
    // The date first, the as-of date offered: Enter takes it.
    p.exp_string("Date:").unwrap();
    p.exp_string("(05/03/2021)").unwrap();
    send(&mut p, "\r");
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
    p.exp_string("Date:").unwrap();
    send(&mut p, "22/03/2021\r");
    p.exp_string("Officer:").unwrap();
    send(&mut p, "\x1b");
    p.exp_string("cancelled: nothing written").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(env.read("records/violations.csv"), before);
}

const DOS_HEADER: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// The minimal folder with a unit code, a second procedure and two officers called Cúc.
fn counter_env() -> Env {
    let env = Env::fixture("minimal");
    let plan = env
        .read("plan.toml")
        .replace(
            "authority = \"Ủy ban nhân dân xã Sơn Hồng\"\n",
            "authority = \"Ủy ban nhân dân xã Sơn Hồng\"\nunit_code = \"000.00.27.H42\"\n",
        )
        .replace(
            "[[tasks]]\nid = \"1\"",
            "[[procedures]]\nid = \"ht-khai-tu\"\nname = \"Đăng ký khai tử\"\nfield = \"Hộ tịch\"\ndays = 1\n\n\
             [[officers]]\nid = \"tp1\"\nname = \"Võ Thị Giang\"\ntitle = \"Công chức Tư pháp - Hộ tịch\"\nunit = \"vp-tk\"\n\n\
             [[officers]]\nid = \"vp2\"\nname = \"Trần Văn Cúc\"\ntitle = \"Công chức Văn phòng - Thống kê\"\nunit = \"vp-tk\"\n\n\
             [[tasks]]\nid = \"1\"",
        );
    env.write("plan.toml", plan);
    env.write("records/dossiers.csv", DOS_HEADER);
    env
}

fn ok(out: &Output) -> String {
    assert_eq!(code(out), 0, "{}{}", stdout(out), stderr(out));
    stdout(out)
}

#[test]
fn dossier_open_without_an_id_takes_the_next_code_of_the_day() {
    let env = counter_env();
    let open = |args: &[&str]| {
        let mut all = vec!["dossier", "open", "--as-of", "2021-03-15"];
        all.extend(args);
        env.run(&all)
    };
    let first = ok(&open(&["--procedure", "khai sinh", "--officer", "giang"]));
    assert!(
        first.ends_with("Dossier code: 000.00.27.H42-210315-0001\n"),
        "{first}"
    );
    // --received alone is the as-of day.
    let second = ok(&open(&[
        "--procedure",
        "khai tử",
        "--officer",
        "vtg",
        "--received",
    ]));
    assert!(
        second.ends_with("Dossier code: 000.00.27.H42-210315-0002\n"),
        "{second}"
    );
    // Received another day: that day's first code.
    let third = ok(&open(&[
        "--procedure",
        "ht-khai-sinh",
        "--received",
        "12/03/2021",
    ]));
    assert!(
        third.ends_with("Dossier code: 000.00.27.H42-210312-0001\n"),
        "{third}"
    );
    let rows = env.read("records/dossiers.csv");
    assert_eq!(
        rows,
        format!(
            "{DOS_HEADER}\
             000.00.27.H42-210315-0001,ht-khai-sinh,,2021-03-15,2021-03-16,,,tp1,,,,\n\
             000.00.27.H42-210315-0002,ht-khai-tu,,2021-03-15,2021-03-16,,,tp1,,,,\n\
             000.00.27.H42-210312-0001,ht-khai-sinh,,2021-03-12,2021-03-15,,,,,,,\n"
        )
    );
    // Named by its tail: the sequence of the day, or more of the code.
    ok(&env.run(&["dossier", "return", "2", "--as-of", "2021-03-15"]));
    ok(&env.run(&["dossier", "return", "210312-0001", "--as-of", "2021-03-15"]));
    let rows = env.read("records/dossiers.csv");
    assert!(rows.ends_with(
        "000.00.27.H42-210315-0002,,,,,2021-03-15,,,,,,\n\
         000.00.27.H42-210312-0001,,,,,2021-03-15,,,,,,\n"
    ));
    // A tail that fits two codes lists them and writes nothing.
    let out = env.run(&["dossier", "withdraw", "0001", "--as-of", "2021-03-20"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out)
            .contains("'0001' could be: 000.00.27.H42-210315-0001, 000.00.27.H42-210312-0001"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), rows);
}

/// A tail that fits a code of every day (`0001` on a day with none of its own) names the first
/// ten and counts the rest, instead of a line of every code of the year.
#[test]
fn a_tail_that_fits_many_codes_names_ten_and_counts_the_rest() {
    let env = counter_env();
    let mut rows = String::from(DOS_HEADER);
    for day in 1..=12 {
        rows.push_str(&format!(
            "000.00.27.H42-2103{day:02}-0001,ht-khai-sinh,,2021-03-{day:02},2021-03-{:02},,,tp1,,,,\n",
            day + 1
        ));
    }
    env.write("records/dossiers.csv", &rows);
    let out = env.run(&["dossier", "withdraw", "0001", "--as-of", "2021-03-20"]);
    assert_ne!(code(&out), 0);
    let named: Vec<String> = (1..=10)
        .map(|day| format!("000.00.27.H42-2103{day:02}-0001"))
        .collect();
    assert!(
        stderr(&out).contains(&format!(
            "'0001' could be: {}, … and 2 more; say which",
            named.join(", ")
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), rows);
    let out = env
        .cmd(&[
            "--lang",
            "vi",
            "--as-of",
            "2021-03-20",
            "dossier",
            "withdraw",
            "0001",
        ])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("000.00.27.H42-210310-0001, … và 2 mục khác; ghi rõ hơn"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_unit_code_the_folder_s_own_is_used() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!(
            "{DOS_HEADER}000.00.99.X01-210301-0007,ht-khai-sinh,,2021-03-01,2021-03-02,,,vp1,,,,\n"
        ),
    );
    let out = ok(&env.run(&[
        "dossier",
        "open",
        "--procedure",
        "khai sinh",
        "--as-of",
        "2021-03-01",
    ]));
    assert!(
        out.ends_with("Dossier code: 000.00.99.X01-210301-0008\n"),
        "{out}"
    );
    // None in the plan and none in the folder: a clear refusal.
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", DOS_HEADER);
    let out = env.run(&["dossier", "open", "--procedure", "khai sinh"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("set unit_code in [plan]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), DOS_HEADER);
}

#[test]
fn loose_names_fit_one_officer_or_procedure_or_are_listed() {
    let env = counter_env();
    // Given name, initials, no diacritics.
    for who in ["Giang", "giang", "vtg", "Vo Thi Giang", "tp1"] {
        let out = ok(&env.run(&[
            "add",
            "violation",
            "--date",
            "01/03/2021",
            "--officer",
            who,
            "--description",
            "x",
            "--dry-run",
        ]));
        assert!(out.contains("2021-03-01,tp1,x,"), "{who}: {out}");
    }
    // Two officers called Cúc.
    let out = env.run(&[
        "add",
        "violation",
        "--officer",
        "Cúc",
        "--description",
        "x",
        "--dry-run",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("'Cúc' could be: vp1 (Phạm Thị Cúc), vp2 (Trần Văn Cúc)"),
        "{}",
        stderr(&out)
    );
    // Lists of officers too.
    let out = ok(&env.run(&[
        "add",
        "activity",
        "--date",
        "01/03/2021",
        "--task",
        "9",
        "--kind",
        "reception",
        "--summary",
        "x",
        "--officers",
        "hoa, giang",
        "--dry-run",
    ]));
    assert!(out.contains(",ct;tp1,"), "{out}");
    // Two procedures start "Đăng ký khai".
    let out = env.run(&["dossier", "open", "--procedure", "khai", "--dry-run"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains(
            "'khai' could be: ht-khai-sinh (Đăng ký khai sinh), ht-khai-tu (Đăng ký khai tử)"
        ),
        "{}",
        stderr(&out)
    );
    // A name that fits nobody is left as typed, for the check to name.
    let out = env.run(&[
        "add",
        "violation",
        "--officer",
        "Lan",
        "--description",
        "x",
        "--dry-run",
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("E212"), "{}", stderr(&out));
}

#[test]
fn dossier_open_asks_for_the_procedure_at_a_terminal() {
    let env = counter_env();
    let mut cmd = std::process::Command::new(crate::harness::BIN);
    cmd.env_clear()
        .env("TERM", "xterm")
        .args(["-C"])
        .arg(env.path())
        .args([
            "--lang",
            "vi",
            "--as-of",
            "2021-03-15",
            "dossier",
            "open",
            "--officer",
            "giang",
        ]);
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("a pty");
    // rexpect reads bytes one by one as characters: wait on ASCII text only.
    p.exp_string("Tab: g").unwrap();
    send(&mut p, "khai t");
    send(&mut p, "\t");
    send(&mut p, "\r");
    p.exp_string(": 000.00.27.H42-210315-0001").unwrap();
    p.exp_eof().unwrap();
    assert!(
        env.read("records/dossiers.csv")
            .ends_with("000.00.27.H42-210315-0001,ht-khai-tu,,2021-03-15,2021-03-16,,,tp1,,,,\n")
    );
}

/// Without a terminal nothing is asked: the missing option is an error.
#[test]
fn piped_runs_never_ask() {
    let env = counter_env();
    let out = env.run(&["dossier", "open", "--officer", "giang"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("--procedure is required"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["add", "activity", "--task", "9"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

/// A dossier returned on time, entered long after: the return says nothing of lateness (it
/// once said W307 "overdue, not yet resolved" and W309 of the very dossier it closed).
#[test]
fn a_return_on_time_entered_later_raises_no_lapse() {
    let env = Env::fixture("minimal");
    // Opened on the day it was received, returned on `returned`, entered at the end of June.
    let open_and_return = |id: &str, returned: &str| {
        ok(&env.run(&[
            "dossier",
            "open",
            "--id",
            id,
            "--procedure",
            "ht-khai-sinh",
            "--officer",
            "vp1",
            "--received",
            "15/03/2021",
            "--as-of",
            "2021-03-15",
        ]));
        let out = env.run(&[
            "dossier",
            "return",
            id,
            "--date",
            returned,
            "--as-of",
            "2021-06-30",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stderr(&out)
    };
    let err = open_and_return("000.00.27.H42-210315-0001", "16/03/2021");
    assert!(!err.contains("W30"), "{err}");
    assert!(
        env.read("records/dossiers.csv")
            .ends_with(",,,,,2021-03-16,,,,,,\n")
    );
    // A return after its due date still says what `check` says of it.
    let err = open_and_return("000.00.27.H42-210315-0002", "19/03/2021");
    assert!(err.contains("W308"), "{err}");
    assert!(!err.contains("W307"), "{err}");
}
