//! Issue 19, the scripted run: relative periods, reproducible outputs under two clocks,
//! `deadlines --fail-on/--officer/--task/--format ics`, `reports due`, and the README tour.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::harness::{BIN, Env, code, json, repo_root, stderr, stdout};

fn period_code(out: &Output) -> String {
    assert_eq!(code(out), 0, "{}", stderr(out));
    json(out)["period"]["code"].as_str().unwrap().to_string()
}

#[test]
fn relative_periods_follow_the_as_of_date_under_nd09() {
    let env = Env::shipped();
    let run = |kind: &str, word: &str, as_of: &str| {
        period_code(&env.run(&["report", kind, word, "--format", "json", "--as-of", as_of]))
    };
    // 14/03 is the last day of nd09 quarter I; 15/03 the first of quarter II. A period
    // outside the plan's year is refused, naming the period the word resolved to.
    let refused = |kind: &str, word: &str, as_of: &str, code_: &str| {
        let out = env.run(&["report", kind, word, "--format", "json", "--as-of", as_of]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("'{word}' ({code_}) is outside the plan's year")),
            "{}",
            stderr(&out)
        );
    };
    refused("quarter", "last", "2021-03-14", "2020-Q4");
    assert_eq!(run("quarter", "last", "2021-03-15"), "2021-Q1");
    assert_eq!(run("quarter", "current", "2021-03-15"), "2021-Q2");
    assert_eq!(run("quarter", "next", "2021-03-15"), "2021-Q3");
    assert_eq!(run("half", "last", "2021-12-20"), "2021-H2");
    assert_eq!(run("year", "current", "2021-12-14"), "2021");
    refused("year", "current", "2021-12-15", "2022");
    assert_eq!(run("officers", "last", "2022-01-10"), "2021");
    // The same report as the one named by its code.
    let by_word = env.run(&[
        "report",
        "quarter",
        "last",
        "--as-of",
        "2021-09-20",
        "--format",
        "md",
    ]);
    let by_code = env.run(&[
        "report",
        "quarter",
        "2021-Q3",
        "--as-of",
        "2021-09-20",
        "--format",
        "md",
    ]);
    assert_eq!(code(&by_word), 0, "{}", stderr(&by_word));
    assert_eq!(by_word.stdout, by_code.stdout);
}

#[test]
fn relative_periods_under_the_calendar_scheme() {
    let env = Env::fixture("minimal");
    let plan = env
        .read("plan.toml")
        .replace("periods = \"nd09\"", "periods = \"calendar\"");
    env.write("plan.toml", plan);
    let run = |word: &str, as_of: &str| {
        period_code(&env.run(&[
            "report", "quarter", word, "--format", "json", "--as-of", as_of,
        ]))
    };
    let out = env.run(&["report", "quarter", "last", "--as-of", "2021-03-31"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("(2020-Q4)"), "{}", stderr(&out));
    assert_eq!(run("last", "2021-04-01"), "2021-Q1");
    assert_eq!(run("current", "2021-03-15"), "2021-Q1");
}

#[test]
fn an_unknown_period_word_is_refused() {
    let env = Env::fixture("minimal");
    let out = env.run(&["report", "quarter", "lastt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("lastt"), "{}", stderr(&out));
}

/// The same folder and `--as-of`, run under two different clocks, give the same bytes in every
/// format; and the clock seen is really the one given (without --as-of it shows).
#[test]
fn reports_are_byte_identical_under_two_clocks() {
    let env = Env::shipped();
    let under = |today: &str, args: &[&str]| -> Vec<u8> {
        let out = env
            .cmd(args)
            .env("KEHOACH_TODAY", today)
            .output()
            .expect("run kehoach");
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        out.stdout
    };
    for format in ["md", "html", "json", "docx"] {
        let args = [
            "report",
            "year",
            "2021",
            "--as-of",
            "2021-12-31",
            "--format",
            format,
        ];
        let a = under("2022-01-05", &args);
        let b = under("2031-07-19", &args);
        assert!(!a.is_empty());
        assert_eq!(a, b, "--format {format} differs between two clocks");
    }
    // The clock is the one given: without --as-of the as-of date is "today".
    let today = |t: &str| {
        let out = env
            .cmd(&["report", "year", "2021", "--format", "json"])
            .env("KEHOACH_TODAY", t)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["generated"]["as_of"]
            .clone()
    };
    assert_eq!(today("2022-01-05"), "2022-01-05");
    assert_eq!(today("2031-07-19"), "2031-07-19");
}

/// SOURCE_DATE_EPOCH dates the DOCX package's entries; without it they carry 1980-01-01.
#[test]
fn docx_entries_are_dated_by_source_date_epoch() {
    let env = Env::shipped();
    let docx = |epoch: Option<&str>| {
        let mut cmd = env.cmd(&[
            "report",
            "quarter",
            "2021-Q3",
            "--as-of",
            "2021-12-31",
            "--format",
            "docx",
        ]);
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        let out = cmd.output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        out.stdout
    };
    // A local file header's modification time and date (DOS format) at offset 10.
    let dos = |bytes: &[u8]| {
        (
            u16::from_le_bytes([bytes[10], bytes[11]]),
            u16::from_le_bytes([bytes[12], bytes[13]]),
        )
    };
    let plain = docx(None);
    assert_eq!(&plain[..4], b"PK\x03\x04");
    // 1980-01-01 00:00: date (0 << 9) | (1 << 5) | 1.
    assert_eq!(dos(&plain), (0, 0x21));
    // 2022-01-01 12:30:00 UTC.
    let stamped = docx(Some("1641040200"));
    let (time, date) = dos(&stamped);
    assert_eq!((date >> 9) + 1980, 2022);
    assert_eq!((date >> 5) & 0xf, 1);
    assert_eq!(date & 0x1f, 1);
    assert_eq!((time >> 11, (time >> 5) & 0x3f), (12, 30));
    assert_eq!(docx(Some("1641040200")), stamped);
}

const DOS_HEADER: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// The minimal folder with two open dossiers: one overdue (vp1), one due soon (ct).
fn deadlines_env() -> Env {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!(
            "{DOS_HEADER}\
             000.00.27.H42-211129-0001,ht-khai-sinh,,2021-11-29,2021-11-30,,,vp1,,,,\n\
             000.00.27.H42-211201-0001,ht-khai-sinh,,2021-12-01,2021-12-03,,,ct,,,,\n"
        ),
    );
    env
}

#[test]
fn deadlines_fail_on_overdue_and_soon() {
    let env = deadlines_env();
    let run = |args: &[&str]| {
        let mut all = vec!["deadlines", "--as-of", "2021-12-01"];
        all.extend(args);
        env.run(&all)
    };
    assert_eq!(code(&run(&[])), 0);
    let out = run(&["--fail-on", "overdue"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("211129-0001"),
        "the list is still printed"
    );
    assert_eq!(stderr(&out).trim(), "kehoach: 1 item is overdue");
    // Only ct's: nothing overdue, but something due soon.
    let out = run(&["--fail-on", "overdue", "--officer", "ct"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&["--fail-on", "soon", "--officer", "Nguyễn Khánh Hòa"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("overdue or due in the next 30 days"));
    // Nothing within a day for ct (due in 2 days).
    assert_eq!(
        code(&run(&[
            "--fail-on",
            "soon",
            "--officer",
            "ct",
            "--days",
            "1"
        ])),
        0
    );
}

#[test]
fn deadlines_filter_by_officer_and_task() {
    let env = deadlines_env();
    let items = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["deadlines", "--as-of", "2021-12-01", "--format", "json"];
        all.extend(args);
        let out = env.run(&all);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        json(&out)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect()
    };
    let all = items(&[]);
    assert!(all.len() >= 3, "{all:?}");
    assert_eq!(items(&["--officer", "vp1"]), ["000.00.27.H42-211129-0001"]);
    // By given name or initials too.
    assert_eq!(items(&["--officer", "Cúc"]), ["000.00.27.H42-211129-0001"]);
    assert_eq!(items(&["--officer", "ptc"]), ["000.00.27.H42-211129-0001"]);
    // ct's: the second dossier, the weekly reception duty of task 9, the deliverable of task 2.
    assert_eq!(
        items(&["--officer", "ct"]),
        [
            "000.00.27.H42-211201-0001",
            "Tiếp công dân định kỳ",
            "Báo cáo đánh giá"
        ]
    );
    assert_eq!(items(&["--task", "2"]), ["Báo cáo đánh giá"]);
    assert_eq!(
        items(&["--task", "NV 2", "--officer", "ct"]),
        ["Báo cáo đánh giá"]
    );
    // An officer or task the plan does not have is an error, not an empty list.
    let out = env.run(&["deadlines", "--officer", "nobody"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no officer 'nobody'"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["deadlines", "--task", "77"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no task '77'"), "{}", stderr(&out));
}

#[test]
fn plurals_in_english() {
    let env = deadlines_env();
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--days", "1"]);
    let text = stdout(&out);
    assert!(text.contains("1 day late"), "{text}");
    assert!(
        text.contains("Nothing") || text.contains("Overdue (1)"),
        "{text}"
    );
    let out = env.run(&["deadlines", "--as-of", "2021-12-02", "--days", "1"]);
    let text = stdout(&out);
    assert!(text.contains("in 1 day "), "{text}");
    assert!(text.contains("Due by tomorrow (1)"), "{text}");
    assert!(!text.contains(" 1 days"), "{text}");
    let out = env.run(&["deadlines", "--as-of", "2022-06-01", "--days", "1"]);
    assert!(!stdout(&out).contains(" 1 days"), "{}", stdout(&out));
}

/// Unfolded content lines of an iCalendar text, after checking the folding and line ends.
fn ics_lines(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"));
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut lines: Vec<String> = Vec::new();
    for l in physical {
        assert!(
            !l.contains('\n') && !l.contains('\r'),
            "bare line end in {l:?}"
        );
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        match l.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a first line").push_str(rest),
            None => lines.push(l.to_string()),
        }
    }
    lines
}

#[test]
fn deadlines_as_an_icalendar_file() {
    let env = deadlines_env();
    let ics = |as_of: &str| {
        let out = env.run(&["deadlines", "--as-of", as_of, "--format", "ics"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let text = ics("2021-12-01");
    // An independent parser reads it.
    let parsed: icalendar::Calendar = text.parse().expect("a valid calendar");
    let events: Vec<&icalendar::Event> = parsed
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    let json_items =
        json(&env.run(&["deadlines", "--as-of", "2021-12-01", "--format", "json"]))["items"]
            .as_array()
            .unwrap()
            .len();
    assert_eq!(events.len(), json_items, "one event per item");
    // Our own reading: structure, one UID each, dates, escaping.
    let lines = ics_lines(&text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let uids: Vec<&String> = lines.iter().filter(|l| l.starts_with("UID:")).collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), json_items);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("DTSTAMP:20211201T000000Z"))
            .count(),
        json_items
    );
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20211130".to_string()));
    assert!(lines.contains(&"DTEND;VALUE=DATE:20211201".to_string()));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("SUMMARY:") && l.contains("000.00.27.H42-211129-0001")),
        "{lines:#?}"
    );
    // Commas in text are escaped (the deliverable's duty names carry none; the calendar's
    // name has the plan's authority, the description a period label).
    for l in lines.iter().filter(|l| l.starts_with("DESCRIPTION:")) {
        let value = &l["DESCRIPTION:".len()..];
        let unescaped_comma = value
            .char_indices()
            .any(|(i, c)| c == ',' && !value[..i].ends_with('\\'));
        assert!(!unescaped_comma, "{l}");
    }
    // Stable: the same items keep their UIDs a day later, and the bytes do not depend on
    // the clock.
    let later = ics_lines(&ics("2021-12-02"));
    let later_uids: Vec<&String> = later.iter().filter(|l| l.starts_with("UID:")).collect();
    for uid in &later_uids {
        assert!(uids.contains(uid), "{uid} is new a day later");
    }
    let again = env
        .cmd(&[
            "--lang",
            "en",
            "deadlines",
            "--as-of",
            "2021-12-01",
            "--format",
            "ics",
        ])
        .env("KEHOACH_TODAY", "2030-01-01")
        .output()
        .unwrap();
    assert_eq!(stdout(&again), text);
    // SOURCE_DATE_EPOCH, when set, is the time stamp.
    let stamped = env
        .cmd(&[
            "--lang",
            "en",
            "deadlines",
            "--as-of",
            "2021-12-01",
            "--format",
            "ics",
        ])
        .env("SOURCE_DATE_EPOCH", "1641040200")
        .output()
        .unwrap();
    assert!(stdout(&stamped).contains("\r\nDTSTAMP:20220101T123000Z\r\n"));
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn reports_due_writes_each_once() {
    let env = Env::shipped();
    let plan = env.read("plan.toml").replace(
        "[reporting]\n",
        "[reporting]\nreports = [\"quarter\", \"year\"]\nreport_formats = [\"md\", \"docx\"]\n",
    );
    env.write("plan.toml", plan);
    let out_dir = env.path().join("bao-cao");
    let due = |as_of: &str| env.run(&["reports", "due", "--out", "bao-cao", "--as-of", as_of]);
    // Quarter III of 2021 ends on 14/09: as of that day it is not due yet.
    let first = due("2021-09-14");
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert_eq!(
        files(&out_dir),
        [
            "quarter-2021-Q1.docx",
            "quarter-2021-Q1.md",
            "quarter-2021-Q2.docx",
            "quarter-2021-Q2.md"
        ]
    );
    let printed: Vec<String> = stdout(&first).lines().map(str::to_string).collect();
    assert_eq!(printed.len(), 4);
    assert!(printed[0].ends_with("quarter-2021-Q1.md"), "{printed:?}");
    // The same as `report` writes.
    let q1 = env.run(&["report", "quarter", "2021-Q1", "--as-of", "2021-09-14"]);
    assert_eq!(
        std::fs::read(out_dir.join("quarter-2021-Q1.md")).unwrap(),
        q1.stdout
    );
    // A second run writes nothing and says nothing.
    let before: Vec<_> = files(&out_dir)
        .iter()
        .map(|f| {
            std::fs::metadata(out_dir.join(f))
                .unwrap()
                .modified()
                .unwrap()
        })
        .collect();
    let second = due("2021-09-14");
    assert_eq!(code(&second), 0);
    assert_eq!(stdout(&second), "");
    assert_eq!(stderr(&second), "");
    let after: Vec<_> = files(&out_dir)
        .iter()
        .map(|f| {
            std::fs::metadata(out_dir.join(f))
                .unwrap()
                .modified()
                .unwrap()
        })
        .collect();
    assert_eq!(before, after);
    // After the year: the rest, and only the rest.
    let dry = env.run(&[
        "reports",
        "due",
        "--out",
        "bao-cao",
        "--as-of",
        "2022-01-05",
        "--dry-run",
    ]);
    assert_eq!(stdout(&dry).lines().count(), 6, "{}", stdout(&dry));
    assert_eq!(files(&out_dir).len(), 4, "a dry run writes nothing");
    let last = due("2022-01-05");
    assert_eq!(code(&last), 0, "{}", stderr(&last));
    assert_eq!(files(&out_dir).len(), 10);
    assert!(files(&out_dir).contains(&"year-2021.docx".to_string()));
    assert_eq!(stdout(&due("2022-01-05")), "");
}

#[test]
fn reports_due_refuses_data_with_errors() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!("{DOS_HEADER}X,ht-khai-sinh,,2021-13-01,,,,vp1,,,,\n"),
    );
    let out = env.run(&["reports", "due", "--out", "r", "--as-of", "2021-07-01"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("records/dossiers.csv:2"),
        "{}",
        stderr(&out)
    );
    assert!(!env.path().join("r").exists());
    let out = env.run(&[
        "reports",
        "due",
        "--out",
        "r",
        "--as-of",
        "2021-07-01",
        "--allow-errors",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        files(&env.path().join("r")),
        [
            "half-2021-H1.md",
            "quarter-2021-Q1.md",
            "quarter-2021-Q2.md"
        ]
    );
}

/// Splits a shell line into words: double-quoted words keep their spaces.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quotes in {line}");
    if any {
        out.push(word);
    }
    out
}

/// The README's tour, every line, in a fresh folder: what it says runs, and records what it
/// says.
#[test]
fn the_readme_tour_runs_as_written() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let tour = readme.split("## A tour").nth(1).expect("a tour");
    let block = tour
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let root = tempfile::tempdir().unwrap();
    let mut cwd: PathBuf = root.path().to_path_buf();
    let mut ran = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        // A comment starts at "  #".
        let line = line.split("  #").next().unwrap().trim();
        for part in line.split("&&").map(str::trim) {
            let argv = words(part);
            match argv[0].as_str() {
                "cd" => {
                    cwd = cwd.join(&argv[1]);
                    assert!(cwd.is_dir(), "cd {}: no such folder", argv[1]);
                }
                "kehoach" => {
                    if argv[1] == "import" {
                        // "a file of your own": a page of the one-stop book.
                        std::fs::write(
                            cwd.join(&argv[3]),
                            "Mã hồ sơ;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Cán bộ xử lý\n\
                             000.00.00.H00-260317-0001;Đăng ký khai sinh;17/03/2026 08:15;18/03/2026;18/03/2026;Họ và tên Chủ tịch\n",
                        )
                        .unwrap();
                    }
                    let out = std::process::Command::new(BIN)
                        .args(&argv[1..])
                        .current_dir(&cwd)
                        .env_clear()
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("KEHOACH_TODAY", "2026-12-04")
                        .output()
                        .unwrap();
                    assert_eq!(
                        code(&out),
                        0,
                        "`{part}` failed:\n{}{}",
                        stdout(&out),
                        stderr(&out)
                    );
                    ran += 1;
                }
                other => panic!("the tour runs only kehoach and cd, not {other}"),
            }
        }
    }
    assert!(ran >= 12, "{ran} commands");
    // What the tour recorded is right: no errors, and the dossier it opened was returned on
    // time, so no warning names it.
    let out = std::process::Command::new(BIN)
        .args([
            "--lang",
            "en",
            "check",
            "--as-of",
            "2026-12-31",
            "--format",
            "json",
        ])
        .current_dir(&cwd)
        .env_clear()
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["severity"] != "error"),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .all(|f| !f["message"].as_str().unwrap_or("").contains("260316-0001")),
        "{findings:#?}"
    );
    let dossiers = std::fs::read_to_string(cwd.join("records/dossiers.csv")).unwrap();
    assert!(
        dossiers.contains("000.00.00.H00-260316-0001,ht-khai-sinh,,2026-03-16,2026-03-17,,,ct,")
    );
    assert!(dossiers.contains("000.00.00.H00-260316-0001,,,,,2026-03-17,"));
    assert!(dossiers.contains("000.00.00.H00-260317-0001"));
    for file in [
        "bao-cao-quy-IV.md",
        "bao-cao-quy-IV.docx",
        "bao-cao/year-2026.md",
    ] {
        assert!(cwd.join(file).is_file(), "{file}");
    }
}

/// Runs the binary in Vietnamese (the harness runs in English).
fn run_vi(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["--lang", "vi"];
    all.extend(args);
    env.cmd(&all).output().unwrap()
}

#[test]
fn the_manual_is_in_one_language_and_names_only_pages_that_exist() {
    let env = Env::fixture("minimal");
    let english_headings = [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH EXTRA",
        ".SH VERSION",
        "Examples:",
    ];
    let pages: [&[&str]; 5] = [
        &[],
        &["check"],
        &["add"],
        &["dossier", "open"],
        &["reports", "due"],
    ];
    for page in pages {
        let mut args = vec!["man"];
        args.extend(page);
        let vi = run_vi(&env, &args);
        assert_eq!(code(&vi), 0, "{}", stderr(&vi));
        let vi = stdout(&vi);
        for h in english_headings {
            assert!(!vi.contains(h), "man {page:?} in Vietnamese has {h}");
        }
        assert!(vi.contains(".SH \"TÙY CHỌN\""), "{vi}");
        let en = env.run(&args);
        assert_eq!(code(&en), 0, "{}", stderr(&en));
        let en = stdout(&en);
        for h in ["TÙY CHỌN", "LỆNH", "Ví dụ", "CÚ PHÁP", "Tùy chọn"] {
            assert!(!en.contains(h), "man {page:?} in English has {h}");
        }
        for text in [&vi, &en] {
            assert!(
                !text.contains("(1)"),
                "a reference to a page that is not there"
            );
            // Every page it points to is there.
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("\\fBkehoach man ") {
                    let words: Vec<String> = rest
                        .trim_end_matches("\\fR")
                        .replace("\\-", "-")
                        .split(' ')
                        .map(str::to_string)
                        .collect();
                    let mut args = vec!["man".to_string()];
                    args.extend(words);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = env.run(&args);
                    assert_eq!(code(&out), 0, "{line}: {}", stderr(&out));
                }
            }
        }
    }
    let check = stdout(&env.run(&["man", "check"]));
    assert!(check.contains(".TH kehoach-check 1"), "{check}");
    assert!(check.contains("\\fBkehoach check\\fR"), "{check}");
    let out = env.run(&["man", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no manual page for 'nope': the commands are check, deadlines"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn clap_refusals_in_vietnamese() {
    let env = Env::fixture("minimal");
    let out = run_vi(&env, &["deadlines", "--days", "99999999999"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("phải là số từ 0 đến 4294967295"), "{err}");
    assert!(!err.contains("is not in"), "{err}");
    let err = stderr(&run_vi(&env, &["deadlines", "--days", "abc"]));
    assert!(err.contains("phải là một số nguyên"), "{err}");
    assert!(!err.contains("invalid digit"), "{err}");
    let err = stderr(&run_vi(&env, &["import", "xyz", "f.csv"]));
    assert!(err.contains("'xyz' không phải loại bản ghi"), "{err}");
    assert!(!err.contains("is not a kind"), "{err}");
}

#[test]
fn add_dry_run_names_the_file() {
    let env = Env::fixture("minimal");
    let out = env.run(&[
        "add",
        "activity",
        "--date",
        "05/03/2021",
        "--task",
        "1",
        "--kind",
        "dissemination",
        "--summary",
        "x",
        "--evidence",
        "y",
        "--dry-run",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out)
            .starts_with("Dry run, nothing written. Would append to records/activities.csv:\n"),
        "{}",
        stdout(&out)
    );
    let out = run_vi(
        &env,
        &[
            "dossier",
            "open",
            "--id",
            "X-1",
            "--procedure",
            "ht-khai-sinh",
            "--received",
            "01/03/2021",
            "--dry-run",
        ],
    );
    assert!(
        stdout(&out)
            .starts_with("Thử (--dry-run), chưa ghi gì. Sẽ thêm vào records/dossiers.csv:\n"),
        "{}",
        stdout(&out)
    );
}

/// A reader that stops listening (`reports due | head -1`) stops the listing, never the
/// writing: every due report is written, and the run ends well (no panic on the closed pipe).
#[test]
fn reports_due_writes_them_all_when_nobody_reads_the_list() {
    let env = Env::shipped();
    let plan = env.read("plan.toml").replace(
        "[reporting]\n",
        "[reporting]\nreports = [\"quarter\", \"year\"]\nreport_formats = [\"md\", \"html\"]\n",
    );
    env.write("plan.toml", plan);
    let mut child = env
        .cmd(&[
            "--as-of",
            "2022-01-05",
            "reports",
            "due",
            "--out",
            "bao-cao",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the first report is even made (the folder is loaded first).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(files(&env.path().join("bao-cao")).len(), 10);
}
