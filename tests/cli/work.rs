//! The work findings of `check` (W3xx): one small folder per code, asserting code, place and
//! message. Each case starts from the clean `minimal` fixture and adds the lapse it is about.

use crate::harness::{Env, code, json};

const ACT: &str = "date,task,kind,summary,officers,evidence,deliverable,participants,note\n";
const DOS: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// The findings with `code`, as (place, message) pairs.
fn found(env: &Env, as_of: &str, code_: &str) -> Vec<(String, String)> {
    let out = env.run(&["check", "--format", "json", "--as-of", as_of]);
    assert_eq!(code(&out), 0, "warnings alone exit 0");
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code_)
        .map(|f| {
            assert_eq!(f["severity"], "warning");
            let place = format!(
                "{}:{}:{}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"]
            );
            (place, f["message"].as_str().unwrap().to_string())
        })
        .collect()
}

fn one(place: &str, message: &str) -> Vec<(String, String)> {
    vec![(place.to_string(), message.to_string())]
}

#[test]
fn w301_deliverable_overdue() {
    let env = Env::fixture("minimal");
    assert!(
        found(&env, "2021-12-15", "W301").is_empty(),
        "not overdue on its due date"
    );
    assert_eq!(
        found(&env, "2021-12-20", "W301"),
        one(
            "plan.toml:71:6",
            "deliverable 2-bao-cao \"Báo cáo đánh giá\" was due 15/12/2021 and is not done: 5 days overdue"
        )
    );
}

#[test]
fn w302_deliverable_done_late() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        format!(
            "{ACT}2021-12-20,2,assessment,Hội nghị đánh giá Bộ phận một cửa,ct,BC 12,2-bao-cao,,\n"
        ),
    );
    assert_eq!(
        found(&env, "2021-12-31", "W302"),
        one(
            "records/activities.csv:2:7",
            "deliverable 2-bao-cao \"Báo cáo đánh giá\" was done 20/12/2021, 5 days after its due date 15/12/2021"
        )
    );
    assert!(found(&env, "2021-12-31", "W301").is_empty());
    // As of a date before the late completion, it is simply overdue.
    assert_eq!(found(&env, "2021-12-18", "W301").len(), 1);
}

#[test]
fn w303_obligation_missed_per_period_with_its_label() {
    let env = Env::fixture("minimal");
    // Reception held in week 03 (Fri 22/01) only: week 04 is missed; the weeks that ended
    // before the plan was issued are not judged, nor week 02 (11–17/01), which held its issue
    // date on a Friday (the plan in force for less than half of it).
    let weekly = found(&env, "2021-02-01", "W303");
    let messages: Vec<&str> = weekly.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        ["Week 04/2021: \"Tiếp công dân định kỳ\" (task 9) missed: 0 of the 1 required"]
    );
    assert!(weekly.iter().all(|(place, _)| place == "plan.toml:82:9"));
    // The quarter is judged only once it is over: Q2 (15/03-14/06) has no dissemination.
    let quarterly = |as_of| {
        found(&env, as_of, "W303")
            .into_iter()
            .filter(|(_, m)| m.contains("Phổ biến"))
            .collect::<Vec<_>>()
    };
    assert!(quarterly("2021-06-14").is_empty());
    assert_eq!(
        quarterly("2021-06-15"),
        one(
            "plan.toml:61:9",
            "Q2 2021: \"Phổ biến, quán triệt\" (task 1) missed: 0 of the 1 required"
        )
    );
}

#[test]
fn w303_a_week_without_a_working_day_is_waived() {
    let env = Env::fixture("minimal");
    // Make Tết cover the whole of week 06/2021 (8-14 February).
    let plan = env.read("plan.toml").replace(
        "holidays = [2021-01-01, 2021-02-10,",
        "holidays = [2021-01-01, 2021-02-08, 2021-02-09, 2021-02-10,",
    );
    env.write("plan.toml", plan);
    let weeks: Vec<String> = found(&env, "2021-02-28", "W303")
        .into_iter()
        .map(|(_, m)| m[..12].to_string())
        .collect();
    assert!(weeks.contains(&"Week 05/2021".to_string()), "{weeks:?}");
    assert!(!weeks.contains(&"Week 06/2021".to_string()), "{weeks:?}");
    assert!(weeks.contains(&"Week 07/2021".to_string()), "{weeks:?}");
}

#[test]
fn w304_evidence_missing() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        format!("{ACT}2021-01-20,1,dissemination,Quán triệt Chỉ thị 26/CT-TTg,ct,,,,\n2021-01-22,9,reception,Tiếp công dân,ct,,,,\n"),
    );
    // Task 9 does not require evidence; task 1 does.
    assert_eq!(
        found(&env, "2021-01-31", "W304"),
        one(
            "records/activities.csv:2:6",
            "activity of 20/01/2021 under task 1 (\"Quán triệt Chỉ thị 26/CT-TTg\") names no record kept (evidence)"
        )
    );
}

#[test]
fn w305_commitment_missing_or_late() {
    let env = Env::fixture("minimal");
    env.write(
        "records/commitments.csv",
        "date,officer,task,commitment\n2021-01-18,ct,9,Tiếp công dân mỗi tuần\n",
    );
    assert!(
        found(&env, "2021-01-31", "W305").is_empty(),
        "not before the due date has passed"
    );
    assert_eq!(
        found(&env, "2021-02-01", "W305"),
        one(
            "plan.toml:43:6",
            "Phạm Thị Cúc (vp1) has registered no commitment (due 31/01/2021)"
        )
    );
    env.write(
        "records/commitments.csv",
        "date,officer,task,commitment\n2021-01-18,ct,9,Tiếp công dân mỗi tuần\n2021-02-22,vp1,1,Tham mưu quán triệt\n",
    );
    assert_eq!(
        found(&env, "2021-03-01", "W305"),
        one(
            "plan.toml:43:6",
            "Phạm Thị Cúc (vp1) registered commitments late, on 22/02/2021 (due 31/01/2021)"
        )
    );
}

#[test]
fn w306_repeat_violation() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note\n2021-03-22,vp1,Đi làm muộn,,reminder,,\n2021-07-14,vp1,Tự ý nghỉ buổi làm việc,,criticism,,\n2021-07-15,ct,Chậm ký văn bản,,reminder,,\n",
    );
    assert_eq!(
        found(&env, "2021-12-31", "W306"),
        one(
            "records/violations.csv:3:2",
            "Phạm Thị Cúc (vp1): second violation in 2021 (the first on 22/03/2021): a repeat, to be handled strictly"
        )
    );
}

#[test]
fn w307_dossier_pending_past_due() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!("{DOS}D1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,,2021-03-02,,\n"),
    );
    assert!(
        found(&env, "2021-03-02", "W307").is_empty(),
        "due today is not overdue"
    );
    assert_eq!(
        found(&env, "2021-03-05", "W307"),
        one(
            "records/dossiers.csv:2:5",
            "dossier D1 (Đăng ký khai sinh) is still open 3 working days after its due date 02/03/2021"
        )
    );
}

#[test]
fn w308_late_without_reason() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!("{DOS}D1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,,2021-03-02,,\nD2,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-03,,vp1,Chờ xác minh,2021-03-02,,\nD1,,,,,2021-03-04,,,,,,\n"),
    );
    assert_eq!(
        found(&env, "2021-03-31", "W308"),
        one(
            "records/dossiers.csv:4:6",
            "dossier D1 (Đăng ký khai sinh) was returned 04/03/2021, after its due date 02/03/2021, with no late_reason"
        )
    );
}

#[test]
fn w309_late_without_apology() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!("{DOS}D1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-03,,vp1,Chờ xác minh,,,\nD2,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,,,,\nD3,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-02,,vp1,,,,\n"),
    );
    let got = found(&env, "2021-03-31", "W309");
    assert_eq!(
        got,
        vec![
            (
                "records/dossiers.csv:2:10".to_string(),
                "dossier D1 (Đăng ký khai sinh) is late (due 02/03/2021) and no apology letter is recorded".to_string()
            ),
            (
                "records/dossiers.csv:3:10".to_string(),
                "dossier D2 (Đăng ký khai sinh) is late (due 02/03/2021) and no apology letter is recorded".to_string()
            ),
        ]
    );
}

#[test]
fn findings_as_of_a_date_ignore_later_records() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        format!("{ACT}2021-12-10,2,assessment,Hội nghị đánh giá,ct,BC 112,2-bao-cao,,\n"),
    );
    // As of 01/12 the deliverable is not done yet, and not yet due either.
    let out = env.run(&["deadlines", "--format", "json", "--as-of", "2021-12-01"]);
    let items = json(&out)["items"].as_array().unwrap().clone();
    assert!(
        items
            .iter()
            .any(|i| i["title"] == "Báo cáo đánh giá" && i["status"] == "upcoming")
    );
    let out = env.run(&["deadlines", "--format", "json", "--as-of", "2021-12-11"]);
    let items = json(&out)["items"].as_array().unwrap().clone();
    assert!(!items.iter().any(|i| i["kind"] == "deliverable"));
}

/// The bases of W306 and W307: from the task the plan says rules the records (`records`,
/// `cite`), the law alone when no task does.
#[test]
fn bases_come_from_the_plan() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        format!("{DOS}D1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,,2021-03-02,,\n"),
    );
    let basis = |env: &Env, code_: &str| -> Vec<serde_json::Value> {
        let out = env.run(&["check", "--format", "json", "--as-of", "2021-03-05"]);
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code_)
            .map(|f| f["basis"].clone())
            .collect()
    };
    assert_eq!(basis(&env, "W307"), ["Nghị định 61/2018/NĐ-CP"]);
    let plan = env.read("plan.toml").replace(
        "id = \"2\"\ntitle = \"Đánh giá Bộ phận một cửa\"\n",
        "id = \"2\"\ntitle = \"Đánh giá Bộ phận một cửa\"\nrecords = [\"dossiers\"]\n",
    );
    env.write("plan.toml", &plan);
    assert_eq!(
        basis(&env, "W307"),
        ["Nghị định 61/2018/NĐ-CP; Kế hoạch 01/KH-UBND, nhiệm vụ 2"]
    );
    env.write(
        "plan.toml",
        plan.replace(
            "records = [\"dossiers\"]\n",
            "records = [\"dossiers\"]\ncite = \"mục II.2\"\n",
        ),
    );
    assert_eq!(
        basis(&env, "W307"),
        ["Nghị định 61/2018/NĐ-CP; Kế hoạch 01/KH-UBND, mục II.2"]
    );
    // A kind whose findings cite no task is refused, with the ones that may.
    env.write(
        "plan.toml",
        plan.replace("records = [\"dossiers\"]", "records = [\"dosiers\"]"),
    );
    let out = env.run(&["check", "--as-of", "2021-03-05", "--lang", "en"]);
    assert_eq!(code(&out), 1);
    let text = crate::harness::stdout(&out);
    assert!(
        text.contains("E103 unknown records 'dosiers'; expected one of: dossiers, violations"),
        "{text}"
    );
}
