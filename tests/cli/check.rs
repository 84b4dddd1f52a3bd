//! `kehoach check`: the fault corpus (one broken plan folder per fault), valid edge cases, and
//! the output contract.

use crate::harness::{Env, code, json, stdout};

const ACT_HEADER: &str = "date,task,kind,summary,officers,evidence,deliverable,participants,note\n";
const DOS_HEADER: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// One broken folder: the minimal fixture with one file replaced (or a plan.toml edit).
struct Fault {
    name: &'static str,
    file: &'static str,
    contents: Content,
    code: &'static str,
    line: Option<u64>,
    column: Option<u64>,
}

enum Content {
    Text(String),
    Bytes(Vec<u8>),
    /// Replace the first occurrence of `.0` in plan.toml by `.1`.
    PlanEdit(&'static str, &'static str),
}

fn text(s: impl Into<String>) -> Content {
    Content::Text(s.into())
}

fn act(row: &str) -> Content {
    text(format!("{ACT_HEADER}{row}\n"))
}

fn dos(rows: &str) -> Content {
    text(format!("{DOS_HEADER}{rows}"))
}

fn fault(
    name: &'static str,
    file: &'static str,
    contents: Content,
    code: &'static str,
    line: Option<u64>,
    column: Option<u64>,
) -> Fault {
    Fault {
        name,
        file,
        contents,
        code,
        line,
        column,
    }
}

fn faults() -> Vec<Fault> {
    let act_file = "records/activities.csv";
    let dos_file = "records/dossiers.csv";
    vec![
        fault(
            "malformed TOML",
            "plan.toml",
            text("schema = 1\n[plan\nnumber = 1\n"),
            "E101",
            Some(2),
            Some(6),
        ),
        fault(
            "plan.toml not UTF-8",
            "plan.toml",
            Content::Bytes(b"schema = 1\n# \xff\n".to_vec()),
            "E101",
            Some(2),
            Some(3),
        ),
        fault(
            "unknown plan key",
            "plan.toml",
            Content::PlanEdit("place = ", "placce = "),
            "E102",
            Some(9),
            Some(1),
        ),
        fault(
            "unsupported schema",
            "plan.toml",
            Content::PlanEdit("schema = 1", "schema = 2"),
            "E104",
            Some(2),
            Some(10),
        ),
        fault(
            "missing [signer] name",
            "plan.toml",
            Content::PlanEdit(
                "name = \"Nguyễn Khánh Hòa\"\n\n[reporting]",
                "\n[reporting]",
            ),
            "E103",
            Some(12),
            Some(1),
        ),
        fault(
            "task names an unknown unit",
            "plan.toml",
            Content::PlanEdit("responsible = [\"vp-tk\"]", "responsible = [\"vp-xx\"]"),
            "E106",
            Some(57),
            Some(16),
        ),
        fault(
            "officer in an unknown unit",
            "plan.toml",
            Content::PlanEdit("unit = \"vp-tk\"", "unit = \"vp\""),
            "E106",
            Some(46),
            Some(8),
        ),
        fault(
            "duplicate officer id",
            "plan.toml",
            Content::PlanEdit("id = \"vp1\"", "id = \"ct\""),
            "E105",
            Some(43),
            Some(6),
        ),
        fault(
            "obligation with unknown kind",
            "plan.toml",
            Content::PlanEdit("kind = \"dissemination\"", "kind = \"propaganda\""),
            "E103",
            Some(63),
            Some(8),
        ),
        fault(
            "unknown task in a record",
            act_file,
            act("2021-01-20,99,meeting,Họp,,,,,"),
            "E211",
            Some(2),
            Some(2),
        ),
        fault(
            "31/02/2021",
            act_file,
            act("31/02/2021,1,meeting,Họp,,BB 1,,,"),
            "E204",
            Some(2),
            Some(1),
        ),
        fault(
            "13/13/2021",
            act_file,
            act("13/13/2021,1,meeting,Họp,,BB 1,,,"),
            "E204",
            Some(2),
            Some(1),
        ),
        fault(
            "unknown activity kind",
            act_file,
            act("2021-01-20,1,party,Liên hoan,,,,,"),
            "E210",
            Some(2),
            Some(3),
        ),
        fault(
            "list cell names an unknown officer",
            act_file,
            act("2021-01-20,1,meeting,Họp,ct;xyz,BB 1,,,"),
            "E212",
            Some(2),
            Some(5),
        ),
        fault(
            "participants not a number",
            act_file,
            act("2021-01-20,1,meeting,Họp,ct,BB 1,,mười,"),
            "E217",
            Some(2),
            Some(8),
        ),
        fault(
            "required value empty",
            act_file,
            act("2021-01-20,1,meeting,,ct,BB 1,,,"),
            "E209",
            Some(2),
            Some(4),
        ),
        fault(
            "unknown deliverable",
            act_file,
            act("2021-12-10,2,assessment,Đánh giá,ct,,2-xyz,,"),
            "E213",
            Some(2),
            Some(7),
        ),
        fault(
            "deliverable of another task",
            act_file,
            act("2021-12-10,1,assessment,Đánh giá,ct,BB,2-bao-cao,,"),
            "E213",
            Some(2),
            Some(7),
        ),
        fault(
            "missing required column",
            act_file,
            text("date,task,summary\n2021-01-20,1,Họp\n"),
            "E205",
            Some(1),
            None,
        ),
        fault(
            "unknown column",
            act_file,
            text("date,task,kind,summary,colour\n2021-01-20,1,meeting,Họp,đỏ\n"),
            "E206",
            Some(1),
            Some(5),
        ),
        fault(
            "column named twice",
            act_file,
            text("date,task,kind,summary,task\n"),
            "E207",
            Some(1),
            Some(5),
        ),
        fault(
            "ragged row",
            act_file,
            text(format!("{ACT_HEADER}2021-01-20,1,meeting,Họp\n")),
            "E208",
            Some(2),
            None,
        ),
        fault(
            "unterminated quote",
            act_file,
            text(format!(
                "{ACT_HEADER}2021-01-20,1,meeting,Họp,ct,BB 1,,,\n2021-01-21,1,meeting,\"Họp giao ban,ct,BB 2,,,\n"
            )),
            "E202",
            Some(3),
            Some(22),
        ),
        fault(
            "invalid UTF-8",
            act_file,
            Content::Bytes(
                [
                    ACT_HEADER.as_bytes(),
                    b"2021-01-20,1,meeting,H\xe1p,ct,BB 1,,,\n",
                ]
                .concat(),
            ),
            "E201",
            Some(2),
            Some(4),
        ),
        fault(
            "file without a header row",
            act_file,
            text(""),
            "E203",
            Some(1),
            None,
        ),
        fault(
            "returned before received",
            dos_file,
            dos("D1,ht-khai-sinh,,2021-01-20,2021-01-21,2021-01-19,,vp1,,,,\n"),
            "E214",
            Some(2),
            Some(6),
        ),
        fault(
            "due before received",
            dos_file,
            dos("D1,ht-khai-sinh,,2021-01-20,2021-01-19,,,vp1,,,,\n"),
            "E214",
            Some(2),
            Some(5),
        ),
        fault(
            "two different return dates",
            dos_file,
            dos(
                "D1,ht-khai-sinh,,2021-01-20,2021-01-21,2021-01-21,,vp1,,,,\nD1,,,,,2021-01-22,,,,,,\n",
            ),
            "E215",
            Some(3),
            Some(6),
        ),
        fault(
            "a moved due date",
            dos_file,
            dos("D1,ht-khai-sinh,,2021-01-20,2021-01-21,,,vp1,,,,\nD1,,,,2021-01-25,,,,,,,\n"),
            "E215",
            Some(3),
            Some(5),
        ),
        fault(
            "dossier never opened",
            dos_file,
            dos("D9,,,,,2021-01-22,,,,,,\n"),
            "E216",
            Some(2),
            Some(2),
        ),
        fault(
            "withdrawn without an end date",
            dos_file,
            dos("D1,ht-khai-sinh,,2021-01-20,2021-01-21,,withdrawn,vp1,,,,\n"),
            "E209",
            Some(2),
            Some(6),
        ),
        fault(
            "unknown dossier status",
            dos_file,
            dos("D1,ht-khai-sinh,,2021-01-20,2021-01-21,2021-01-21,lost,vp1,,,,\n"),
            "E210",
            Some(2),
            Some(7),
        ),
        fault(
            "unknown procedure code",
            dos_file,
            dos("D1,ht-khai-snih,,2021-01-20,2021-01-21,,,vp1,,,,\n"),
            "E219",
            Some(2),
            Some(2),
        ),
        fault(
            "unknown action",
            "records/violations.csv",
            text(
                "date,officer,description,task,action,decision,note\n2021-03-22,vp1,Đi làm muộn,,spanking,,\n",
            ),
            "E210",
            Some(2),
            Some(5),
        ),
        fault(
            "unknown rating",
            "records/feedback.csv",
            text(
                "date,channel,rating,officer,summary,handled,note\n2021-01-25,form,great,vp1,,,\n",
            ),
            "E210",
            Some(2),
            Some(3),
        ),
        fault(
            "unknown channel",
            "records/feedback.csv",
            text("date,channel,rating,officer,summary,handled,note\n2021-01-25,fax,,vp1,,,\n"),
            "E210",
            Some(2),
            Some(2),
        ),
        fault(
            "feedback handled before it came",
            "records/feedback.csv",
            text(
                "date,channel,rating,officer,summary,handled,note\n2021-01-25,form,,vp1,,2021-01-20,\n",
            ),
            "E214",
            Some(2),
            Some(6),
        ),
        fault(
            "CRLF line ends (Excel): the line is the row's own",
            "records/feedback.csv",
            text(
                "date,channel,rating,officer,summary,handled,note\r\n2021-01-25,form,,vp1,,,\r\n2021-01-26,form,,vp1,,,\r\n2021-01-27,fax,,vp1,,,\r\n",
            ),
            "E210",
            Some(4),
            Some(2),
        ),
        fault(
            "blank lines before the bad row",
            "records/feedback.csv",
            text(
                "date,channel,rating,officer,summary,handled,note\n\n\r\n\n2021-01-27,fax,,vp1,,,\n",
            ),
            "E210",
            Some(5),
            Some(2),
        ),
        fault(
            "after a quoted cell over two lines",
            "records/feedback.csv",
            text(
                "date,channel,rating,officer,summary,handled,note\n2021-01-25,form,,vp1,\"Hai dòng,\nmột ô\",,\n2021-01-27,fax,,vp1,,,\n",
            ),
            "E210",
            Some(4),
            Some(2),
        ),
        fault(
            "a dossier date read well once, then a bad one in the same column",
            dos_file,
            dos(
                "H1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,,,,,\nH2,ht-khai-sinh,Hộ tịch,2021-03-01,2021-02-30,,,,,,,\n",
            ),
            "E204",
            Some(3),
            Some(5),
        ),
        fault(
            "commitment by an unknown officer",
            "records/commitments.csv",
            text("date,officer,task,commitment\n2021-01-18,zz,1,Cam kết\n"),
            "E212",
            Some(2),
            Some(2),
        ),
        fault(
            "a stray file in records/",
            "records/dossier.csv",
            text(DOS_HEADER),
            "E218",
            None,
            None,
        ),
    ]
}

#[test]
fn every_fault_is_reported_where_it_is() {
    let faults = faults();
    assert!(faults.len() >= 25);
    let mut failures = Vec::new();
    for f in &faults {
        let env = Env::fixture("minimal");
        match &f.contents {
            Content::Text(s) => {
                env.write(f.file, s);
            }
            Content::Bytes(b) => {
                env.write(f.file, b);
            }
            Content::PlanEdit(from, to) => {
                let plan = env.read("plan.toml");
                assert!(plan.contains(from), "{}: fixture lacks {from:?}", f.name);
                env.write("plan.toml", plan.replacen(from, to, 1));
            }
        }
        let out = env.run(&["check", "--format", "json"]);
        let doc = json(&out);
        let found = doc["findings"].as_array().unwrap().iter().any(|x| {
            x["code"] == f.code
                && x["file"] == f.file
                && x["line"].as_u64() == f.line
                && x["column"].as_u64() == f.column
        });
        if code(&out) != 1 || !found {
            failures.push(format!(
                "{}: expected {} at {}:{:?}:{:?}, exit 1; got exit {} and {}",
                f.name,
                f.code,
                f.file,
                f.line,
                f.column,
                code(&out),
                serde_json::to_string_pretty(&doc["findings"]).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_minimal_fixture_is_clean() {
    let env = Env::fixture("minimal");
    let out = env.run(&["check", "--as-of", "2021-01-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn header_only_files_and_an_empty_year_are_valid() {
    let env = Env::fixture("minimal");
    for kind in [
        "activities",
        "dossiers",
        "violations",
        "commendations",
        "feedback",
        "commitments",
    ] {
        let path = format!("records/{kind}.csv");
        let header = env.read(&path).lines().next().unwrap().to_string();
        env.write(&path, format!("{header}\n"));
    }
    let out = env.run(&["check", "--format", "json", "--as-of", "2021-01-10"]);
    let doc = json(&out);
    assert_eq!(code(&out), 0, "{doc}");
    assert_eq!(doc["summary"]["errors"], 0);
}

#[test]
fn bom_crlf_day_first_dates_and_any_column_order_are_read() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        "\u{feff}summary,kind,task,date\r\n\"Quán triệt, tuyên truyền\",dissemination,1,20/01/2021\r\n",
    );
    let out = env.run(&["check", "--format", "json", "--as-of", "2021-01-31"]);
    let doc = json(&out);
    assert_eq!(code(&out), 0, "{doc}");
    assert_eq!(doc["summary"]["rows"]["activities"], 1);
}

#[test]
fn every_error_is_reported_in_one_run() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        format!("{ACT_HEADER}31/02/2021,1,meeting,Họp,,,,,\n2021-01-20,99,meeting,Họp,,,,,\n2021-01-20,1,party,Họp,,,,,\n"),
    );
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("records/activities.csv:2:1: E204 date date 31/02/2021 is not a date"),
        "{text}"
    );
    assert!(text.contains("records/activities.csv:3:2: E211"), "{text}");
    assert!(text.contains("records/activities.csv:4:3: E210"), "{text}");
    assert!(
        text.trim_end().lines().last().unwrap().contains("3 errors"),
        "{text}"
    );
}

#[test]
fn no_plan_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::harness::BIN)
        .current_dir(dir.path())
        .env_clear()
        .args(["--lang", "en", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no plan.toml"));
}

#[test]
fn the_folder_is_found_by_flag_env_or_walking_up() {
    let env = Env::fixture("minimal");
    // Walking up from records/.
    let out = env
        .cmd(&["--lang", "en", "--as-of", "2021-01-31", "check"])
        .current_dir(env.path().join("records"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // KEHOACH_DIR from elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = env
        .cmd(&["--lang", "en", "--as-of", "2021-01-31", "check"])
        .current_dir(elsewhere.path())
        .env("KEHOACH_DIR", env.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // -C wins over KEHOACH_DIR.
    let out = env
        .cmd(&["--lang", "en", "check", "-C"])
        .arg(env.path())
        .current_dir(elsewhere.path())
        .env("KEHOACH_DIR", elsewhere.path())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2));
}
