//! Issue 17, task 11: the officers' year-end rating (records/ratings.csv) and the judgement of
//! their registered commitments (`met`, `judged`). Each test sets up the one situation a rule
//! is about on the minimal folder (two officers, ct and vp1, each with one commitment).

use crate::harness::{Env, code, stderr, stdout};

/// The minimal folder with the plan's `[ratings]` rule (due on the nd09 year's last day).
fn rated_env() -> Env {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml");
    env.write(
        "plan.toml",
        format!(
            "{plan}\n[ratings]\ndue = 2021-12-14\nbasis = \"Kế hoạch 01/KH-UBND, mục II.11\"\n"
        ),
    );
    env
}

const RATINGS: &str = "date,officer,year,level,decision,note\n";

fn check(env: &Env, as_of: &str) -> String {
    let out = env.run(&["check", "--as-of", as_of, "--lang", "vi"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    stdout(&out)
}

fn lines_with<'a>(text: &'a str, code: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(code)).collect()
}

/// W320: every officer of the roster is rated by the plan's date; not before it is due.
#[test]
fn an_officer_not_rated_by_the_plans_date_is_a_warning() {
    let env = rated_env();
    env.write(
        "records/ratings.csv",
        format!("{RATINGS}2021-12-06,ct,2021,good,Quyết định số 95/QĐ-UBND,\n"),
    );
    assert!(lines_with(&check(&env, "2021-12-14"), "W320").is_empty());
    let text = check(&env, "2021-12-15");
    let found = lines_with(&text, "W320");
    assert_eq!(found.len(), 1, "{text}");
    assert!(
        found[0]
            .contains("Phạm Thị Cúc (vp1) chưa được đánh giá, xếp loại năm 2021 (hạn 14/12/2021)"),
        "{}",
        found[0]
    );
    // A rating of another year does not rate this one.
    env.write(
        "records/ratings.csv",
        format!("{RATINGS}2021-12-06,ct,2021,good,,\n2021-01-10,vp1,2020,good,,\n"),
    );
    assert_eq!(lines_with(&check(&env, "2021-12-15"), "W320").len(), 1);
    env.write(
        "records/ratings.csv",
        format!("{RATINGS}2021-12-06,ct,2021,good,,\n2021-12-06,vp1,2021,done,,\n"),
    );
    assert!(lines_with(&check(&env, "2021-12-15"), "W320").is_empty());
}

/// Bad input: an unknown officer or level, a year its date cannot rate, a second rating of the
/// same year: errors at their file, line and column; nothing read from those rows.
#[test]
fn a_rating_of_an_unknown_officer_or_level_is_an_error_at_its_place() {
    let env = rated_env();
    env.write(
        "records/ratings.csv",
        format!(
            "{RATINGS}2021-12-06,zz,2021,good,,\n\
             2021-12-06,vp1,2021,superb,,\n\
             2021-12-06,ct,2019,good,,\n\
             2021-12-06,ct,2021,good,,\n\
             2021-12-07,ct,2021,excellent,,\n"
        ),
    );
    let out = env.run(&["check", "--as-of", "2021-12-10", "--lang", "en"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("records/ratings.csv:2:2: E212"), "{text}");
    assert!(text.contains("records/ratings.csv:3:4: E210"), "{text}");
    assert!(
        text.contains("records/ratings.csv:4:3: E220 year 2019 cannot be rated on 06/12/2021"),
        "{text}"
    );
    assert!(
        text.contains(
            "records/ratings.csv:6:3: E215 ct was already rated for 2021 at records/ratings.csv:5"
        ),
        "{text}"
    );
    assert_eq!(lines_with(&text, ": E").len(), 4, "{text}");
}

/// W322: an officer disciplined (khiển trách or above) in the year rated above "Không hoàn
/// thành nhiệm vụ"; a reminder is no discipline, and "failed" is what the decree says.
#[test]
fn a_disciplined_officer_rated_above_failed_is_a_warning() {
    let env = rated_env();
    let violation = |action: &str| {
        format!(
            "date,officer,description,task,action,decision,note\n\
             2021-05-18,vp1,Để hồ sơ trễ hạn không lý do,,{action},Quyết định số 45/QĐ-UBND,\n"
        )
    };
    let rating = |level: &str| format!("{RATINGS}2021-12-06,vp1,2021,{level},,\n");
    env.write("records/violations.csv", violation("reprimand"));
    env.write("records/ratings.csv", rating("good"));
    let text = check(&env, "2021-12-10");
    let found = lines_with(&text, "W322");
    assert_eq!(found.len(), 1, "{text}");
    assert!(
        found[0].starts_with("records/ratings.csv:2:4: W322"),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains("Phạm Thị Cúc (vp1) bị xử lý kỷ luật (khiển trách, vi phạm ngày 18/05/2021) nhưng được xếp loại năm 2021 là “Hoàn thành tốt nhiệm vụ”"),
        "{}",
        found[0]
    );
    // The report says it to the Chairman, by name.
    let out = env.run(&["report", "year", "2021", "--as-of", "2021-12-14"]);
    let md = stdout(&out);
    assert!(
        md.contains("Phạm Thị Cúc bị xử lý kỷ luật bằng hình thức khiển trách (vi phạm ngày 18/05/2021) nhưng được xếp loại năm 2021 là “Hoàn thành tốt nhiệm vụ”"),
        "{md}"
    );
    env.write("records/ratings.csv", rating("failed"));
    assert!(lines_with(&check(&env, "2021-12-10"), "W322").is_empty());
    env.write("records/violations.csv", violation("reminder"));
    env.write("records/ratings.csv", rating("excellent"));
    assert!(lines_with(&check(&env, "2021-12-10"), "W322").is_empty());
}

/// `add rating` takes the officer's name and the Vietnamese level; `amend commitment` judges a
/// commitment (a row appended to commitments/changes.csv: the file has no change columns).
/// W321 stands until every commitment is judged; the officers report shows the judgement from
/// its day on, and the rating.
#[test]
fn commitments_judged_and_ratings_show_in_the_officers_report() {
    let env = rated_env();
    let out = env.run(&[
        "add",
        "rating",
        "--date",
        "06/12/2021",
        "--officer",
        "Phạm Thị Cúc",
        "--year",
        "2021",
        "--level",
        "hoàn thành tốt",
        "--decision",
        "Quyết định số 95/QĐ-UBND ngày 06/12/2021",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ratings = env.read("records/ratings.csv");
    assert!(
        ratings.contains("2021-12-06,vp1,2021,good,Quyết định số 95/QĐ-UBND ngày 06/12/2021,"),
        "{ratings}"
    );
    // Not yet judged: W321 once the rating's date has passed.
    let text = check(&env, "2021-12-15");
    assert_eq!(lines_with(&text, "W321").len(), 2, "{text}");
    let out = env.run(&[
        "amend",
        "commitment",
        "commitments.csv:3",
        "--met",
        "không đạt",
        "--judged",
        "06/12/2021",
        "--reason",
        "Hội nghị đánh giá cuối năm",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let changes = env.read("records/commitments/changes.csv");
    assert!(
        changes.contains(
            ",,,,not-met,2021-12-06,,correct,commitments.csv:3,Hội nghị đánh giá cuối năm"
        ),
        "{changes}"
    );
    let text = check(&env, "2021-12-15");
    let found = lines_with(&text, "W321");
    assert_eq!(found.len(), 1, "{text}");
    assert!(
        found[0].contains("Nguyễn Khánh Hòa (ct): 1 nội dung"),
        "{}",
        found[0]
    );

    let officers = |as_of: &str| {
        let out = env.run(&["report", "officers", "2021", "--as-of", as_of]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let md = officers("2021-12-14");
    assert!(
        md.contains("  - Tham mưu quán triệt hằng quý (nhiệm vụ 1, đăng ký ngày 18/01/2021): không thực hiện được"),
        "{md}"
    );
    assert!(
        md.contains("- Kết quả thực hiện cam kết: 0/1 nội dung đã thực hiện, 1 nội dung không thực hiện được."),
        "{md}"
    );
    assert!(
        md.contains("- Xếp loại chất lượng năm 2021: **Hoàn thành tốt nhiệm vụ** (Quyết định số 95/QĐ-UBND ngày 06/12/2021)."),
        "{md}"
    );
    assert!(
        md.contains("Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức năm 2021: 1 hoàn thành tốt nhiệm vụ; 1 cán bộ, công chức chưa được xếp loại."),
        "{md}"
    );
    // The Chairman's commitment is not judged: said as it is, no outcome.
    assert!(
        md.contains("  - Tiếp công dân mỗi tuần (nhiệm vụ 9, đăng ký ngày 18/01/2021)\n"),
        "{md}"
    );
    // Before the day it was judged and rated, the report knows neither.
    let md = officers("2021-12-01");
    assert!(!md.contains("không thực hiện được"), "{md}");
    assert!(!md.contains("Xếp loại chất lượng năm 2021:"), "{md}");
    assert!(!md.contains("Kết quả đánh giá, xếp loại"), "{md}");
}

/// A judgement has both its outcome and its day, not before the registration.
#[test]
fn a_judgement_without_its_day_or_before_the_registration_is_an_error() {
    let env = rated_env();
    env.write(
        "records/commitments.csv",
        "date,officer,task,commitment,met,judged\n\
         2021-01-18,ct,9,Tiếp công dân mỗi tuần,met,\n\
         2021-01-18,vp1,1,Tham mưu quán triệt hằng quý,,2021-12-06\n\
         2021-01-18,vp1,1,Tham mưu tuyên truyền,met,2021-01-10\n",
    );
    let out = env.run(&["check", "--as-of", "2021-12-10", "--lang", "en"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("records/commitments.csv:2:5: E209 judged is required"),
        "{text}"
    );
    assert!(
        text.contains("records/commitments.csv:3:6: E209 met is required"),
        "{text}"
    );
    assert!(text.contains("records/commitments.csv:4:6: E214"), "{text}");
}
