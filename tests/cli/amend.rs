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
fn a_commendations_decision_number_is_filled_later() {
    // Proposed in May, the decision's number known in June: a fill row, not a second one.
    let env = Env::fixture("minimal");
    let head = "date,recipient,form,reason,decision,note,id,change,ref,why\n";
    let proposed = "2021-05-01,vp1,Giấy khen,Hoàn thành tốt,,,KT-1,,,\n";
    env.write(
        "records/commendations.csv",
        format!("{head}{proposed},,,,QĐ 45,,,fill,KT-1,\n"),
    );
    let errors: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rows = exported(&env, "commendations");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("QĐ 45") && rows[0].contains("Giấy khen"),
        "{rows:?}"
    );
    // A fill may not replace a value already set: that takes a correction (E215).
    env.write(
        "records/commendations.csv",
        format!("{head}{proposed},,,,QĐ 45,,,fill,KT-1,\n,,Bằng khen,,,,,fill,KT-1,\n"),
    );
    let codes: Vec<_> = findings(&env).into_iter().map(|(c, _, _)| c).collect();
    assert!(codes.iter().any(|c| c == "E215"), "{codes:?}");
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

/// Dossiers: a later row with the dossier's id fills (the old rule), a row with
/// `change=correct` and `why` replaces set facts, one with `change=void` takes the dossier
/// out of every count; the change rows may sit in a file of their own under
/// `records/dossiers/`.
#[test]
fn dossiers_are_filled_corrected_and_voided() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note,change,why\n\
         D1,ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,2021-01-21,,vp1,,,,,,\n\
         D2,ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,,,vp1,,,,,,\n\
         D2,,,,,2021-01-22,,,Thiếu giấy tờ,2021-01-21,,,fill,\n\
         D3,ht-khai-sinh,,2021-01-25,2021-01-26,,,ct,,,,,,\n\
         D1,,,,,,,ct,,,,,correct,vp1: ghi nhầm cán bộ\n",
    );
    env.write(
        "records/dossiers/changes.csv",
        "id,change,why\nD3,void,ct: nhập trùng\n",
    );
    let errors: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rows = exported(&env, "dossiers");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("D1,") && rows[0].contains(",ct,"),
        "{rows:?}"
    );
    assert!(!rows[0].contains("vp1"), "{rows:?}");
    assert!(
        rows[1].starts_with("D2,") && rows[1].contains("2021-01-22"),
        "{rows:?}"
    );
    // Without the void, D3 counts again.
    env.write("records/dossiers/changes.csv", "id,change,why\n");
    assert_eq!(exported(&env, "dossiers").len(), 3);
}

#[test]
fn dossier_changes_that_name_nothing_or_give_no_reason_are_errors() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers/changes.csv",
        "id,received,change,why\n\
         D9,,void,ct: nhầm\n\
         D1,2021-01-19,correct,\n\
         D1,2021-01-19,undo,ct\n\
         D1,2021-01-22,correct,ct: ngày nhận nhầm\n",
    );
    let found: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .map(|(c, place, _)| (c, place))
        .collect();
    let s = |c: &str, p: &str| (c.to_string(), p.to_string());
    assert_eq!(
        found,
        vec![
            s("E221", "records/dossiers/changes.csv:2:1"),
            s("E209", "records/dossiers/changes.csv:3:4"),
            s("E210", "records/dossiers/changes.csv:4:3"),
            // Corrected to after its due and return dates: the dates are out of order.
            s("E214", "records/dossiers/changes.csv:5:2"),
            s("E214", "records/dossiers/changes.csv:5:2"),
        ]
    );
}

/// Two clerks on two branches open the same dossier, each their own way; git merges the
/// file by `merge=union` (both rows kept). `check` reports the conflict (E215) and reports
/// refuse to run; a correction row settles it, and the reports run again.
#[test]
fn a_dossier_opened_on_two_branches_is_settled_by_a_correction() {
    use crate::history::{git, git_as};
    let env = Env::fixture("minimal");
    std::fs::copy(
        crate::harness::repo_root().join(".gitattributes"),
        env.path().join(".gitattributes"),
    )
    .unwrap();
    git(env.path(), &["init", "-q", "-b", "main"]);
    git(env.path(), &["add", "-A"]);
    git(env.path(), &["commit", "-q", "-m", "Sổ tháng 1"]);
    let open = |received: &str, officer: &str| {
        let out = env.run(&[
            "dossier",
            "open",
            "--id",
            "D5",
            "--procedure",
            "ht-khai-sinh",
            "--received",
            received,
            "--officer",
            officer,
        ]);
        assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    };
    git(env.path(), &["checkout", "-q", "-b", "mot-cua"]);
    open("2021-01-26", "vp1");
    git_as(
        env.path(),
        &["commit", "-q", "-am", "Tiếp nhận D5"],
        "Lê Thị Hoa",
        "2021-01-26T09:00:00+07:00",
    );
    git(env.path(), &["checkout", "-q", "main"]);
    open("2021-01-27", "ct");
    git_as(
        env.path(),
        &["commit", "-q", "-am", "Tiếp nhận D5 (nhập lại)"],
        "Phạm Văn Nam",
        "2021-01-27T10:00:00+07:00",
    );
    git(env.path(), &["merge", "-q", "--no-edit", "mot-cua"]);
    let dossiers = env.read("records/dossiers.csv");
    assert_eq!(dossiers.matches("\nD5,").count(), 2, "{dossiers}");
    assert!(!dossiers.contains("<<<<<<<"));
    let conflicts: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .map(|(c, _, m)| (c, m))
        .collect();
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    assert!(
        conflicts
            .iter()
            .all(|(c, m)| c == "E215" && m.starts_with("dossier D5: "))
    );
    let report = ["report", "quarter", "2021-Q1", "--as-of", "2021-01-31"];
    assert_ne!(code(&env.run(&report)), 0);
    // The office decides which is right and says so in a correction row: the file's header
    // has no change columns, so the row goes to a file of its own.
    let out = env.run(&[
        "amend",
        "dossier",
        "D5",
        "--received",
        "26/01/2021",
        "--due",
        "27/01/2021",
        "--officer",
        "vp1",
        "--reason",
        "ct: hồ sơ nhận ngày 26/01, chị Hoa nhận",
    ]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    assert_eq!(
        stdout(&out),
        "records/dossiers/changes.csv:2: D5,,,2021-01-26,2021-01-27,,,vp1,,,,,,,,correct,\
         \"ct: hồ sơ nhận ngày 26/01, chị Hoa nhận\"\n"
    );
    let errors: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let out = env.run(&report);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    let d5: Vec<_> = (exported(&env, "dossiers").into_iter())
        .filter(|r| r.starts_with("D5,"))
        .collect();
    assert_eq!(d5.len(), 1);
    assert!(
        d5[0].contains("2021-01-26,2021-01-27") && d5[0].contains(",vp1,"),
        "{d5:?}"
    );
    // `show` tells the dossier's story: its rows, the correction and why, and who committed
    // each row (the correction is not committed yet, so it has no commit).
    let dossiers = env.read("records/dossiers.csv");
    let line = |officer: &str| {
        1 + dossiers
            .lines()
            .position(|l| l.starts_with("D5,") && l.contains(&format!(",{officer},")))
            .unwrap()
    };
    let hoa = git(env.path(), &["log", "-1", "--format=%h", "mot-cua"]);
    let nam = git(env.path(), &["log", "-1", "--format=%h", "main^1"]);
    let out = env.run(&["show", "dossier", "D5"]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    let text = stdout(&out);
    let (first, second) = if line("vp1") < line("ct") {
        (
            (line("vp1"), &hoa, "Lê Thị Hoa, 2021-01-26"),
            (line("ct"), &nam, "Phạm Văn Nam, 2021-01-27"),
        )
    } else {
        (
            (line("ct"), &nam, "Phạm Văn Nam, 2021-01-27"),
            (line("vp1"), &hoa, "Lê Thị Hoa, 2021-01-26"),
        )
    };
    let expected = format!(
        "Current state:\n  id: D5\n  procedure: ht-khai-sinh\n  received: 2021-01-26\n  due: 2021-01-27\n  officer: vp1\n\
         History:\n  records/dossiers.csv:{}: recorded\n    commit {}, {}\n\
         \x20 records/dossiers.csv:{}: filled {}\n    commit {}, {}\n\
         \x20 records/dossiers/changes.csv:2: corrected received=2021-01-26, due=2021-01-27, officer=vp1 \
         (why: ct: hồ sơ nhận ngày 26/01, chị Hoa nhận)\n",
        first.0,
        first.1,
        first.2,
        second.0,
        dossiers
            .lines()
            .nth(second.0 - 1)
            .unwrap()
            .split(',')
            .zip([
                "id",
                "procedure",
                "field",
                "received",
                "due",
                "returned",
                "status",
                "officer"
            ])
            .filter(|(v, n)| !v.is_empty() && *n != "id")
            .map(|(v, n)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
        second.1,
        second.2,
    );
    assert_eq!(text, expected);
}

/// Two rows with the same id on two branches (another kind): the fill conflict (E215) is
/// settled by a later correction of the facts in conflict.
#[test]
fn a_record_conflict_is_settled_by_a_later_correction() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n\
         2021-03-22,vp1,Đi làm muộn,,reminder,,,VP-1,,,\n\
         2021-03-22,vp1,Đi làm muộn,,criticism,,,VP-1,,,\n",
    );
    let codes = |env: &Env| -> Vec<String> {
        (findings(env).into_iter())
            .filter(|(c, _, _)| c.starts_with('E'))
            .map(|(c, _, _)| c)
            .collect()
    };
    assert_eq!(codes(&env), ["E215"]);
    let mut text = env.read("records/violations.csv");
    text.push_str(",,,,criticism,,,,correct,VP-1,ct: phê bình theo biên bản họp\n");
    env.write("records/violations.csv", text);
    assert_eq!(codes(&env), Vec::<String>::new());
    let rows = exported(&env, "violations");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("criticism"), "{rows:?}");
}

/// Runs kehoach and returns (exit code, stdout, stderr).
fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.run(args);
    (code(&out), stdout(&out), crate::harness::stderr(&out))
}

/// The record files' bytes, to see that a refused command wrote nothing.
fn files(env: &Env) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    let mut dirs = vec![env.path().join("records")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                all.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    all.sort();
    all
}

#[test]
fn decide_amend_and_void_append_one_row_each() {
    let env = Env::fixture("minimal");
    let (c, _, err) = run(
        &env,
        &[
            "add",
            "violation",
            "--date",
            "2021-03-22",
            "--officer",
            "vp1",
            "--description",
            "Đi làm muộn",
        ],
    );
    assert_eq!(c, 0, "{err}");
    // A dry run shows the row and leaves no file behind.
    let before = files(&env);
    let decide = [
        "violation",
        "decide",
        "violations.csv:2",
        "--action",
        "khiển trách",
        "--decision",
        "Quyết định số 12/QĐ-UBND",
        "--date",
        "04/06/2021",
    ];
    let (c, out, err) = run(&env, &[&decide[..], &["--dry-run"]].concat());
    assert_eq!(c, 0, "{err}");
    assert!(out.contains("records/violations/changes.csv"), "{out}");
    assert_eq!(files(&env), before);
    // The decision fills the pending violation: one violation, decided.
    let (c, out, err) = run(&env, &decide);
    assert_eq!(c, 0, "{err}");
    assert_eq!(
        out,
        "records/violations/changes.csv:2: ,,,,reprimand,Quyết định số 12/QĐ-UBND ngày 04/06/2021,,,fill,violations.csv:2,\n"
    );
    assert_eq!(
        env.read("records/violations/changes.csv").lines().next(),
        Some("date,officer,description,task,action,decision,note,id,change,ref,why")
    );
    let rows = exported(&env, "violations");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("reprimand"), "{rows:?}");
    // Deciding it again otherwise is a conflict: refused, nothing written.
    let before = files(&env);
    let (c, _, err) = run(
        &env,
        &[
            "violation",
            "decide",
            "violations.csv:2",
            "--action",
            "cảnh cáo",
        ],
    );
    assert_eq!(c, 1);
    assert!(
        err.contains("E215") && err.contains("action is already reprimand"),
        "{err}"
    );
    assert_eq!(files(&env), before);
    // A correction replaces it, with the reason.
    let (c, out, err) = run(
        &env,
        &[
            "amend",
            "violation",
            "violations.csv:2",
            "--action",
            "cảnh cáo",
            "--reason",
            "ct: QĐ 12 sửa hình thức",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert!(
        out.ends_with(",,,,warning,,,,correct,violations.csv:2,ct: QĐ 12 sửa hình thức\n"),
        "{out}"
    );
    let rows = exported(&env, "violations");
    assert!(rows.len() == 1 && rows[0].contains("warning"), "{rows:?}");
    // Refused, nothing written: a record that does not exist (E221), a bad officer (E212), no
    // reason, a flag that is no column.
    let before = files(&env);
    let refusals: [(&[&str], i32, &str); 4] = [
        (
            &[
                "amend",
                "violation",
                "violations.csv:9",
                "--officer",
                "ct",
                "--reason",
                "x",
            ],
            1,
            "E221",
        ),
        (
            &[
                "amend",
                "violation",
                "violations.csv:2",
                "--officer",
                "ai-do",
                "--reason",
                "x",
            ],
            1,
            "E212",
        ),
        (
            &["amend", "violation", "violations.csv:2", "--officer", "ct"],
            2,
            "--reason",
        ),
        (
            &[
                "amend",
                "violation",
                "violations.csv:2",
                "--officerz",
                "ct",
                "--reason",
                "x",
            ],
            2,
            "--officerz is not a column of violations",
        ),
    ];
    for (args, want, says) in refusals {
        let (c, _, err) = run(&env, args);
        assert_eq!(c, want, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("nothing written"), "{err}");
        assert_eq!(files(&env), before, "{args:?}");
    }
    // Void: the violation leaves every count.
    let (c, _, err) = run(
        &env,
        &[
            "void",
            "violation",
            "violations.csv:2",
            "--reason",
            "ct: ghi trùng",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(exported(&env, "violations"), Vec::<String>::new());
    // A voided record can be changed no more.
    let (c, _, err) = run(
        &env,
        &[
            "void",
            "violation",
            "violations.csv:2",
            "--reason",
            "lần nữa",
        ],
    );
    assert_eq!(c, 1);
    assert!(err.contains("E221"), "{err}");
    let errors: Vec<_> = (findings(&env).into_iter())
        .filter(|(c, _, _)| c.starts_with('E'))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn feedback_answer_fills_the_handled_date() {
    let env = Env::fixture("minimal");
    let (c, _, err) = run(
        &env,
        &[
            "add",
            "feedback",
            "--date",
            "2021-02-01",
            "--channel",
            "hòm thư góp ý",
            "--summary",
            "Xin hướng dẫn thủ tục",
        ],
    );
    assert_eq!(c, 0, "{err}");
    let (c, out, err) = run(
        &env,
        &[
            "feedback",
            "answer",
            "feedback.csv:3",
            "--date",
            "05/02/2021",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(
        out,
        "records/feedback/changes.csv:2: ,,,,,2021-02-05,,,fill,feedback.csv:3,\n"
    );
    let rows = exported(&env, "feedback");
    assert!(rows[1].contains("2021-02-05"), "{rows:?}");
    // The first one was answered on 26/01: another date is a conflict, refused.
    let before = files(&env);
    let (c, _, err) = run(
        &env,
        &[
            "feedback",
            "answer",
            "feedback.csv:2",
            "--date",
            "2021-01-27",
        ],
    );
    assert_eq!(c, 1);
    assert!(err.contains("E215"), "{err}");
    assert_eq!(files(&env), before);
}

#[test]
fn void_a_dossier_by_its_code() {
    let env = Env::fixture("minimal");
    let (c, out, err) = run(&env, &["void", "dossier", "D2", "--reason", "ct: mở trùng"]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(
        out,
        "records/dossiers/changes.csv:2: D2,,,,,,,,,,,,,,,void,ct: mở trùng\n"
    );
    let rows = exported(&env, "dossiers");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("D1,"), "{rows:?}");
    // Naming it again: it is gone.
    let (c, _, err) = run(&env, &["void", "dossier", "D2", "--reason", "lần nữa"]);
    assert_eq!(c, 1, "{err}");
}

/// `add` gives a new record an id when its file has an `id` column (a folder made by `init`
/// has one in every file); the id names the record in a change. A file without the column gets
/// none: its rows are named by their place.
#[test]
fn add_gives_ids_that_changes_can_name() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n",
    );
    let add = |description: &str| {
        let (c, out, err) = run(
            &env,
            &[
                "add",
                "violation",
                "--date",
                "22/03/2021",
                "--officer",
                "vp1",
                "--description",
                description,
            ],
        );
        assert_eq!(c, 0, "{err}");
        // records/violations.csv:N: 2021-03-22,vp1,…,VP-210322-XXXX,,,
        let row = out.trim_end().split_once(": ").unwrap().1.to_string();
        let id = row.split(',').nth(7).unwrap().to_string();
        assert!(id.starts_with("VP-210322-") && id.len() == 14, "{out}");
        assert!(row.ends_with(&format!(",{id},,,")), "{row}");
        id
    };
    let first = add("Đi làm muộn");
    let second = add("Vắng họp không lý do");
    assert_ne!(first, second);
    let (c, _, err) = run(
        &env,
        &["violation", "decide", &second, "--action", "nhắc nhở"],
    );
    assert_eq!(c, 0, "{err}");
    // The change went into the same file: its header has the change columns.
    let text = env.read("records/violations.csv");
    assert!(
        text.ends_with(&format!(",reminder,,,,fill,{second},\n")),
        "{text}"
    );
    let out = env.run(&["show", "violation", &second]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    assert!(
        stdout(&out).contains("action: reminder"),
        "{}",
        stdout(&out)
    );
    // The fixture's activities file has no `id` column: no id, as before.
    let (c, out, err) = run(
        &env,
        &[
            "add",
            "activity",
            "--date",
            "2021-01-25",
            "--task",
            "1",
            "--kind",
            "meeting",
            "--summary",
            "Họp",
            "--officers",
            "ct",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(
        out,
        "records/activities.csv:4: 2021-01-25,1,meeting,Họp,ct,,,,\n"
    );
}

#[test]
fn import_gives_each_new_record_its_own_id() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n",
    );
    env.write(
        "nguon.csv",
        "Ngày,Cán bộ,Nội dung\n22/03/2021,vp1,Đi làm muộn\n22/03/2021,vp1,Về sớm\n",
    );
    let out = env.run(&[
        "import",
        "violations",
        "nguon.csv",
        "--map",
        "Ngày=date",
        "--map",
        "Cán bộ=officer",
        "--map",
        "Nội dung=description",
    ]);
    assert_eq!(
        code(&out),
        0,
        "{}{}",
        stdout(&out),
        crate::harness::stderr(&out)
    );
    let text = env.read("records/violations.csv");
    let ids: Vec<&str> = (text.lines().skip(1))
        .map(|l| l.split(',').nth(7).unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{text}");
    assert!(
        ids.iter()
            .all(|id| id.starts_with("VP-210322-") && id.len() == 14),
        "{text}"
    );
    assert_ne!(ids[0], ids[1]);
    assert_eq!(
        findings(&env)
            .iter()
            .filter(|f| f.0.starts_with('E'))
            .count(),
        0
    );
}

/// Corrections and voids of the period's records are listed in every report's annex (md,
/// html, docx, json): the Chairman signs what changed. Fills are not (they complete a
/// record), nor changes of records of another period.
#[test]
fn the_reports_annex_lists_the_corrections_and_voids_of_the_period() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note,id,change,ref,why\n\
         2021-01-22,vp1,Đi làm muộn,,,,,VP-1,,,\n\
         2021-01-25,ct,Ghi nhầm,,,,,,,,\n\
         2021-05-04,vp1,Vắng họp,,,,,VP-2,,,\n\
         ,,,,reminder,,,,fill,VP-1,\n\
         ,ct,,,,,,,correct,VP-1,\"vp1: ghi nhầm cán bộ | sổ tháng 1\"\n\
         ,,,,,,,,void,violations.csv:3,ct: ghi trùng\n\
         ,,Vắng họp giao ban,,,,,,correct,VP-2,ct: ghi rõ\n",
    );
    let report = |format: &str| {
        let out = env.run(&[
            "report",
            "quarter",
            "2021-Q1",
            "--as-of",
            "2021-04-15",
            "--format",
            format,
        ]);
        assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
        out
    };
    let context = json(&report("json"));
    let changes = context["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["kind"], "violations");
    assert_eq!(changes[0]["kind_label"], "Vi phạm");
    assert_eq!(changes[0]["record"], "VP-1");
    assert_eq!(changes[0]["date"], "2021-01-22");
    assert_eq!(changes[0]["how"], "correct");
    assert_eq!(changes[0]["how_label"], "Đính chính");
    assert_eq!(changes[0]["facts"][0]["column"], "officer");
    assert_eq!(changes[0]["facts"][0]["old"], "vp1");
    assert_eq!(changes[0]["facts"][0]["new"], "ct");
    assert_eq!(changes[0]["summary"], "Cán bộ vi phạm: vp1 → ct");
    assert_eq!(changes[0]["why"], "vp1: ghi nhầm cán bộ | sổ tháng 1");
    assert_eq!(changes[0]["place"], "records/violations.csv:6");
    assert_eq!(changes[1]["record"], "violations.csv:3");
    assert_eq!(changes[1]["how"], "void");
    assert_eq!(changes[1]["date"], "2021-01-25");
    assert_eq!(changes[1]["facts"].as_array().unwrap().len(), 0);
    let md = stdout(&report("md"));
    let annex = &md[md.find("## PHỤ LỤC").expect("an annex")..];
    insta::assert_snapshot!(annex, @r"
    ## PHỤ LỤC: BẢN GHI ĐÃ SỬA, HỦY TRONG KỲ

    | STT | Bản ghi | Ngày | Thay đổi | Nội dung | Lý do | Dòng ghi |
    |---:|:---|:---|:---|:---|:---|:---|
    | 1 | Vi phạm: VP-1 | 22/01/2021 | Đính chính | Cán bộ vi phạm: vp1 → ct | vp1: ghi nhầm cán bộ / sổ tháng 1 | records/violations.csv:6 |
    | 2 | Vi phạm: violations.csv:3 | 25/01/2021 | Hủy |  | ct: ghi trùng | records/violations.csv:7 |
    ");
    let html = stdout(&report("html"));
    assert!(
        html.contains("PHỤ LỤC: BẢN GHI ĐÃ SỬA, HỦY TRONG KỲ"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>Cán bộ vi phạm: vp1 → ct</td><td>vp1: ghi nhầm cán bộ | sổ tháng 1</td>"
        )
    );
    let path = env.path().join("q1.docx");
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q1",
        "--as-of",
        "2021-04-15",
        "--format",
        "docx",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", crate::harness::stderr(&out));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(roxmltree::Document::parse(&xml).is_ok());
    assert!(xml.contains("PHỤ LỤC: BẢN GHI ĐÃ SỬA, HỦY TRONG KỲ"));
    assert!(xml.contains(">Vi phạm: violations.csv:3<") && xml.contains(">ct: ghi trùng<"));
    // Without change rows, no annex at all.
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note\n",
    );
    assert!(!stdout(&report("md")).contains("PHỤ LỤC"));
    assert_eq!(json(&report("json"))["changes"], serde_json::json!([]));
}

/// `show` names a dossier as `dossier return` and `amend` do: by its code or the tail of it;
/// a tail two codes share is refused with them named, and nothing is shown.
#[test]
fn show_takes_a_dossier_by_the_tail_of_its_code() {
    let env = Env::shipped();
    let whole = env.run(&["show", "dossier", "000.00.27.H42-210315-0001"]);
    assert_eq!(code(&whole), 0, "{}", crate::harness::stderr(&whole));
    assert!(stdout(&whole).contains("  id: 000.00.27.H42-210315-0001\n"));
    let tail = env.run(&["show", "dossier", "210315-0001"]);
    assert_eq!(code(&tail), 0, "{}", crate::harness::stderr(&tail));
    assert_eq!(stdout(&tail), stdout(&whole));
    let shared = env.run(&["show", "dossier", "0001"]);
    assert_eq!(code(&shared), 1);
    assert!(stdout(&shared).is_empty());
    let said = crate::harness::stderr(&shared);
    assert!(
        said.contains("'0001' could be: 000.00.27.H42-201201-0001,"),
        "{said}"
    );
}
