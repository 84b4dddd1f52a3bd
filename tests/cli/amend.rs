//! Records change by appending (docs/records.md, "Changing a record"): fill, correct and void
//! rows, for every kind but dossiers, read into the current state that `check`, `export` and the
//! reports count.

use crate::harness::{Env, code, json, stdout};

/// The findings of `check` as (code, file:line:column, message).
fn findings(env: &Env) -> Vec<(String, String, String)> {
    let out = env.run(&["check", "--format", "json"]);
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    f["file"].as_str().unwrap(),
                    f["line"],
                    f["column"]
                ),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The data rows `export` writes for `kind` (the current state), header left out.
fn exported(env: &Env, kind: &str) -> Vec<String> {
    let out = env.run(&["export", kind]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    stdout(&out).lines().skip(1).map(str::to_string).collect()
}

/// One case per kind: the kind's file with the change columns; a record with an id (A) whose
/// empty facts a fill sets and whose set fact a correction replaces; a record without an id
/// (B), written before ids existed, voided by its place. `filled`, `corrected` and `voided`
/// are texts the export shows (or, for `voided`, no longer shows).
struct Case {
    kind: &'static str,
    file: &'static str,
    filled: &'static str,
    corrected: &'static str,
    gone: &'static str,
}

const CASES: &[Case] = &[
    Case {
        kind: "activities",
        file: "date,task,kind,summary,officers,evidence,deliverable,participants,note,id,change,ref,why\n\
               2021-02-01,1,meeting,Họp giao ban,ct,,,,,HD-1,,,\n\
               2021-02-02,9,reception,Tiếp dân nhầm,ct,,,,,,,,\n\
               ,,,,,Biên bản 07/BB-UBND,,,,,fill,HD-1,\n\
               ,,,Họp giao ban tháng 2,,,,,,,correct,HD-1,vp1: ghi thiếu tháng\n\
               ,,,,,,,,,,void,activities.csv:3,ct: ghi trùng\n",
        filled: "Biên bản 07/BB-UBND",
        corrected: "Họp giao ban tháng 2",
        gone: "Tiếp dân nhầm",
    },
    Case {
        kind: "violations",
        file: "date,officer,description,task,action,decision,note,id,change,ref,why\n\
               2021-03-22,vp1,Đi làm muộn,,,,,VP-1,,,\n\
               2021-03-23,ct,Ghi nhầm,,,,,,,,\n\
               ,,,,reprimand,QĐ 12/QĐ-UBND,,,fill,VP-1,\n\
               ,,Đi làm muộn 3 lần,,,,,,correct,VP-1,vp1: ghi thiếu số lần\n\
               ,,,,,,,,void,violations.csv:3,ct: ghi nhầm\n",
        filled: "QĐ 12/QĐ-UBND",
        corrected: "Đi làm muộn 3 lần",
        gone: "Ghi nhầm",
    },
    Case {
        kind: "commendations",
        file: "date,recipient,form,reason,decision,note,id,change,ref,why\n",
        filled: "",
        corrected: "",
        gone: "",
    },
    Case {
        kind: "feedback",
        file: "date,channel,rating,officer,summary,handled,note,id,change,ref,why\n\
               2021-04-01,form,satisfied,vp1,Hướng dẫn tận tình,,,GY-1,,,\n\
               2021-04-02,phone,,,Gọi nhầm số,,,,,,\n\
               ,,,,,2021-04-05,,,fill,GY-1,\n\
               ,,very-satisfied,,,,,,correct,GY-1,ct: nhập nhầm mức\n\
               ,,,,,,,,void,feedback.csv:3,ct: không phải góp ý\n",
        filled: "2021-04-05",
        corrected: "very-satisfied",
        gone: "Gọi nhầm số",
    },
    Case {
        kind: "commitments",
        file: "date,officer,task,commitment,id,change,ref,why\n\
               2021-01-18,ct,9,Tiếp công dân mỗi tuần,CK-1,,,\n\
               2021-01-18,vp1,1,Cam kết ghi nhầm,,,,\n\
               ,,,Tiếp công dân mỗi thứ Năm,,correct,CK-1,ct: cụ thể hóa\n\
               ,,,,,void,commitments.csv:3,vp1: ghi trùng\n",
        filled: "",
        corrected: "Tiếp công dân mỗi thứ Năm",
        gone: "Cam kết ghi nhầm",
    },
];

#[test]
fn fill_correct_and_void_for_every_kind() {
    for case in CASES.iter().filter(|c| c.kind != "commendations") {
        let env = Env::fixture("minimal");
        env.write(&format!("records/{}.csv", case.kind), case.file);
        let errors: Vec<_> = (findings(&env).into_iter())
            .filter(|(c, _, _)| c.starts_with('E'))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", case.kind);
        let rows = exported(&env, case.kind);
        assert_eq!(rows.len(), 1, "{}: one record left: {rows:?}", case.kind);
        assert!(rows[0].contains(case.filled), "{}: {rows:?}", case.kind);
        assert!(rows[0].contains(case.corrected), "{}: {rows:?}", case.kind);
        assert!(!rows[0].contains(case.gone), "{}: {rows:?}", case.kind);
        // Without the change rows, both records are there as first written.
        let first: String = case
            .file
            .lines()
            .take(3)
            .map(|l| format!("{l}\n"))
            .collect();
        env.write(&format!("records/{}.csv", case.kind), first);
        let rows = exported(&env, case.kind);
        assert_eq!(rows.len(), 2, "{}: {rows:?}", case.kind);
        assert!(rows.iter().any(|r| r.contains(case.gone)), "{}", case.kind);
    }
}

#[test]
fn commendations_are_corrected_and_voided() {
    // Commendations have a `reason` of their own: the change's reason is `why`.
    let env = Env::fixture("minimal");
    env.write(
        "records/commendations.csv",
        "date,recipient,form,reason,decision,note,id,change,ref,why\n\
         2021-05-01,vp1,Giấy khen,Hoàn thành tốt,QĐ 5,,KT-1,,,\n\
         2021-05-02,ct,Giấy khen,Khen nhầm,QĐ 6,,,,,\n\
         ,,Bằng khen,,,,,correct,KT-1,ct: nhầm hình thức\n\
         ,,,,,,,void,commendations.csv:3,ct: khen nhầm người\n",
    );
    let errors: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rows = exported(&env, "commendations");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("Bằng khen") && rows[0].contains("Hoàn thành tốt"),
        "{rows:?}"
    );
    assert!(!rows[0].contains("Khen nhầm"), "{rows:?}");
}

#[test]
fn a_pending_violation_decided_later_is_one_violation() {
    let env = Env::fixture("minimal");
    let head = "date,officer,description,task,action,decision,note,id,change,ref,why\n";
    let pending = "2021-03-22,vp1,Đi làm muộn,,,,,VP-2021-0001,,,\n";
    // Decided the way clerks did before: a second full row. Two violations: a false W306.
    env.write(
        "records/violations.csv",
        format!("{head}{pending}2021-03-22,vp1,Đi làm muộn,,reprimand,QĐ 12,,,,,\n"),
    );
    let w306 = |env: &Env| -> Vec<_> {
        (findings(env).into_iter())
            .filter(|(c, _, _)| c == "W306")
            .collect()
    };
    assert_eq!(w306(&env).len(), 1);
    // Decided by a fill row: one violation, decided; no W306.
    env.write(
        "records/violations.csv",
        format!("{head}{pending},,,,reprimand,QĐ 12,,,fill,VP-2021-0001,\n"),
    );
    assert_eq!(w306(&env), vec![]);
    let rows = exported(&env, "violations");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("reprimand") && rows[0].contains("QĐ 12"),
        "{rows:?}"
    );
    // The same by repeating the id (no `change`): the dossier rule.
    env.write(
        "records/violations.csv",
        format!("{head}{pending}2021-03-22,vp1,Đi làm muộn,,reprimand,QĐ 12,,VP-2021-0001,,,\n"),
    );
    assert_eq!(w306(&env), vec![]);
    assert_eq!(exported(&env, "violations").len(), 1);
}

#[test]
fn a_fill_that_changes_a_set_value_is_e215() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n\
         2021-03-22,vp1,Đi làm muộn,,reminder,,,VP-1,,,\n\
         ,,,,reprimand,,,,fill,VP-1,\n\
         ,,,,reminder,QĐ 3,,,fill,VP-1,\n",
    );
    let found: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert_eq!(
        found,
        vec![(
            "E215".to_string(),
            "records/violations.csv:3:5".to_string(),
            "record VP-1: action is already reminder; a later row cannot change it to reprimand \
             unless it is a correction (change=correct, with why)"
                .to_string()
        )]
    );
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn changes_that_name_nothing_or_give_no_reason_are_errors() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n\
         2021-03-22,vp1,Đi làm muộn,,,,,VP-1,,,\n\
         ,,,,,,,,void,VP-9,ct: nhầm\n\
         ,,,,,,,,void,violations.csv:40,ct: nhầm\n\
         ,,,,,,,,correct,VP-1,\n\
         ,,,,,,,,undo,VP-1,ct\n\
         ,,,,,,,,void,VP-1,ct: ghi nhầm\n\
         ,,,,reprimand,,,,fill,VP-1,\n",
    );
    let found: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .map(|(c, place, _)| (c, place))
        .collect();
    let s = |c: &str, p: &str| (c.to_string(), p.to_string());
    assert_eq!(
        found,
        vec![
            s("E221", "records/violations.csv:3:10"),
            s("E221", "records/violations.csv:4:10"),
            s("E209", "records/violations.csv:5:11"),
            s("E210", "records/violations.csv:6:9"),
            s("E221", "records/violations.csv:8:10"),
        ]
    );
    // Nothing is exported from data with errors.
    assert_eq!(code(&env.run(&["export", "violations"])), 1);
}

#[test]
fn the_officers_report_counts_the_decided_and_corrected_violation_once() {
    let env = Env::fixture("minimal");
    let head = "date,officer,description,task,action,decision,note,id,change,ref,why\n";
    let pending = "2021-03-22,vp1,Đi làm muộn,,,,,VP-2021-0001,,,\n";
    let vp1 = |env: &Env| {
        let out = env.run(&[
            "report",
            "officers",
            "2021",
            "--as-of",
            "2022-01-15",
            "--format",
            "json",
        ]);
        assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
        let officers = json(&out)["officers"].as_array().unwrap().clone();
        (officers.into_iter()).find(|o| o["id"] == "vp1").unwrap()
    };
    // Pending: one violation, no action yet, so no rating cap.
    env.write("records/violations.csv", format!("{head}{pending}"));
    let o = vp1(&env);
    assert_eq!(o["violations"].as_array().unwrap().len(), 1);
    assert!(o["rating_cap"].is_null(), "{o}");
    // Decided later by a fill row (a reprimand is discipline): still one violation, not a
    // repeat, and the cap the decision brings.
    let decided = ",,,,reprimand,QĐ 12/QĐ-UBND,,,fill,VP-2021-0001,\n";
    env.write(
        "records/violations.csv",
        format!("{head}{pending}{decided}"),
    );
    let o = vp1(&env);
    let violations = o["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{o}");
    assert_eq!(violations[0]["repeat"], false);
    assert_eq!(violations[0]["action"], "reprimand");
    assert_eq!(o["strongest_action"], "reprimand");
    assert_eq!(o["rating_cap"]["rating"], "Không hoàn thành nhiệm vụ");
    // The action corrected to a reminder (not discipline): the report uses the final action.
    let corrected = ",,,,reminder,,,,correct,VP-2021-0001,\"ct: QĐ 12 đã thu hồi\"\n";
    env.write(
        "records/violations.csv",
        format!("{head}{pending}{decided}{corrected}"),
    );
    let o = vp1(&env);
    assert_eq!(o["violations"].as_array().unwrap().len(), 1, "{o}");
    assert_eq!(o["strongest_action"], "reminder");
    assert!(o["rating_cap"].is_null(), "{o}");
}

#[test]
fn show_prints_the_current_state_and_the_history() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n\
         2021-03-02,ct,Ghi nhầm,,,,,,,,\n\
         2021-03-22,vp1,Đi làm muộn,,,,,VP-2021-0001,,,\n\
         ,,,,reprimand,QĐ 12/QĐ-UBND,,,fill,VP-2021-0001,\n\
         ,,Đi làm muộn 3 lần,,,,,,correct,VP-2021-0001,ct: ghi thiếu số lần\n\
         ,,,,,,,,void,violations.csv:2,ct: ghi nhầm\n",
    );
    let out = env.run(&["show", "violation", "VP-2021-0001"]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    insta::assert_snapshot!(stdout(&out), @r"
    Current state:
      date: 2021-03-22
      officer: vp1
      description: Đi làm muộn 3 lần
      action: reprimand
      decision: QĐ 12/QĐ-UBND
    History:
      records/violations.csv:3: recorded
      records/violations.csv:4: filled action=reprimand, decision=QĐ 12/QĐ-UBND
      records/violations.csv:5: corrected description=Đi làm muộn 3 lần (why: ct: ghi thiếu số lần)
    ");
    // The same record by its place; the voided one by its place, in Vietnamese.
    let by_place = env.run(&["show", "violations", "violations.csv:3"]);
    assert_eq!(stdout(&by_place), stdout(&out));
    let out = env
        .cmd(&["--lang", "vi", "show", "violation", "violations.csv:2"])
        .output()
        .unwrap();
    insta::assert_snapshot!(stdout(&out), @r"
    Hiện trạng:
      Đã hủy: không tính vào số liệu, danh sách nào.
    Lịch sử:
      records/violations.csv:2: ghi lần đầu
      records/violations.csv:6: hủy (lý do: ct: ghi nhầm)
    ");
    // Nothing of that name: said, exit 1.
    for reference in ["VP-9", "violations.csv:40", "activities.csv:2"] {
        let out = env.run(&["show", "violation", reference]);
        assert_eq!(code(&out), 1, "{reference}");
        assert!(
            crate::harness::stderr(&out).contains("no violations record is named"),
            "{reference}"
        );
    }
}
