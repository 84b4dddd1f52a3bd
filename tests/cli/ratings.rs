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

/// The minimal folder whose task 9 rules the reporting lapses (`records = ["lapses"]`), as
/// task 10 does in the sample.
fn lapses_env() -> Env {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml");
    let task = "[[tasks]]\nid = \"9\"\ntitle = \"Tiếp công dân\"\nresponsible = [\"ct\"]\n";
    assert!(plan.contains(task), "{plan}");
    env.write(
        "plan.toml",
        plan.replace(task, &format!("{task}records = [\"lapses\"]\n")),
    );
    env
}

const LAPSES: &str = "date,unit,officer,report,period,lapse,note\n";

/// Task 10: the units and officers that did not report, or reported wrongly, are recorded and
/// listed in the task's section of the quarterly report (md, html, docx) by name, and under the
/// officer in the officers report; a quarter without any says so.
#[test]
fn reporting_lapses_show_in_the_quarter_report_and_under_the_officer() {
    let env = lapses_env();
    let out = env.run(&[
        "add",
        "lapse",
        "--date",
        "08/04/2021",
        "--officer",
        "Phạm Thị Cúc",
        "--unit",
        "vp-tk",
        "--report",
        "Báo cáo tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính quý I/2021",
        "--period",
        "Quý I/2021",
        "--lapse",
        "báo cáo chậm",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = env.read("records/lapses.csv");
    assert!(
        file.contains("2021-04-08,vp-tk,vp1,Báo cáo tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính quý I/2021,Quý I/2021,late,")
            || file.contains("2021-04-08,vp-tk,vp1,\"Báo cáo tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính quý I/2021\",Quý I/2021,late,"),
        "{file}"
    );
    let mut lapses = file;
    lapses += "2021-04-20,lanh-dao,,Báo cáo tiếp công dân tháng 4/2021,Tháng 4/2021,missing,,,,,\n";
    env.write("records/lapses.csv", lapses);
    let quarter = |q: &str, format: &str| {
        let out = env.run(&[
            "report",
            "quarter",
            q,
            "--as-of",
            "2021-07-20",
            "--format",
            format,
            "-o",
            &format!("out.{format}"),
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        env.path().join(format!("out.{format}"))
    };
    let md = std::fs::read_to_string(quarter("2021-Q2", "md")).unwrap();
    let sentence = "- Các trường hợp không thực hiện hoặc thực hiện không đúng chế độ báo cáo (2): Phạm Thị Cúc (Văn phòng - Thống kê), báo cáo tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính quý I/2021 (Quý I/2021): báo cáo chậm so với thời hạn; Lãnh đạo UBND xã, báo cáo tiếp công dân tháng 4/2021 (Tháng 4/2021): không báo cáo.";
    assert!(md.contains(sentence), "{md}");
    // In the task's own section: after its title, before the next part.
    let task = md
        .find("**a) Tiếp công dân**")
        .or(md.find("Tiếp công dân**"))
        .unwrap();
    let at = md.find(sentence).unwrap();
    let next = md.find("### 2.").unwrap();
    assert!(task < at && at < next, "{md}");
    assert!(!md.contains("(vp1)"), "{md}");
    let html = std::fs::read_to_string(quarter("2021-Q2", "html")).unwrap();
    assert!(
        html.contains(
            "Lãnh đạo UBND xã, báo cáo tiếp công dân tháng 4/2021 (Tháng 4/2021): không báo cáo."
        ),
        "{html}"
    );
    let docx = quarter("2021-Q2", "docx");
    let xml = docx_text(&docx);
    assert!(
        xml.contains(
            "Lãnh đạo UBND xã, báo cáo tiếp công dân tháng 4/2021 (Tháng 4/2021): không báo cáo."
        ),
        "{xml}"
    );
    let md = std::fs::read_to_string(quarter("2021-Q1", "md")).unwrap();
    assert!(
        md.contains("- Trong kỳ không có trường hợp không thực hiện hoặc thực hiện không đúng chế độ báo cáo."),
        "{md}"
    );
    let out = env.run(&["report", "officers", "2021", "--as-of", "2021-07-20"]);
    let md = stdout(&out);
    assert!(
        md.contains("- Không thực hiện hoặc thực hiện không đúng chế độ báo cáo:\n  - Báo cáo tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính quý I/2021 (Quý I/2021): báo cáo chậm so với thời hạn (ghi nhận ngày 08/04/2021)."),
        "{md}"
    );
    // The unit's lapse is no officer's.
    assert_eq!(md.matches("chế độ báo cáo:").count(), 1, "{md}");
}

/// A lapse names who failed: a unit of the plan or an officer.
#[test]
fn a_lapse_of_an_unknown_unit_or_of_nobody_is_an_error() {
    let env = lapses_env();
    env.write(
        "records/lapses.csv",
        format!(
            "{LAPSES}2021-04-08,zz,,Báo cáo quý I,,missing,\n\
             2021-04-08,,,Báo cáo quý I,,missing,\n\
             2021-04-08,vp-tk,,Báo cáo quý I,,forgot,\n"
        ),
    );
    let out = env.run(&["check", "--as-of", "2021-05-01", "--lang", "en"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("records/lapses.csv:2:2: E212 unknown unit 'zz'"),
        "{text}"
    );
    assert!(
        text.contains(
            "records/lapses.csv:3:3: E209 a reporting lapse names the unit or the officer"
        ),
        "{text}"
    );
    assert!(text.contains("records/lapses.csv:4:6: E210"), "{text}");
}

/// The officers report lists, under each officer, the feedback rated dissatisfied that names
/// them (feedback names its officer; it names no dossier), with the day it was answered.
#[test]
fn dissatisfied_feedback_is_listed_under_the_officer_it_names() {
    let env = Env::fixture("minimal");
    env.write(
        "records/feedback.csv",
        "date,channel,rating,officer,summary,handled,note\n\
         2021-03-02,phone,dissatisfied,vp1,Trả kết quả chậm so với giấy hẹn,2021-03-04,\n\
         2021-03-05,form,satisfied,vp1,Hướng dẫn tận tình,,\n\
         2021-03-08,box,dissatisfied,ct,Chờ tiếp công dân lâu,,\n\
         2021-03-09,box,dissatisfied,,Nơi ngồi chờ chật,,\n",
    );
    let out = env.run(&["report", "officers", "2021", "--as-of", "2021-03-10"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    let vp1 = md.find("Phạm Thị Cúc – ").unwrap();
    let ct = md.find("Nguyễn Khánh Hòa – ").unwrap();
    let (ct_part, vp1_part) = if ct < vp1 {
        (&md[ct..vp1], &md[vp1..])
    } else {
        (&md[ct..], &md[vp1..ct])
    };
    assert!(
        vp1_part.contains("- Ý kiến không hài lòng của tổ chức, công dân:\n  - Ngày 02/03/2021 (điện thoại): Trả kết quả chậm so với giấy hẹn; đã trả lời ngày 04/03/2021."),
        "{md}"
    );
    assert!(!vp1_part.contains("Hướng dẫn tận tình"), "{md}");
    assert!(
        ct_part
            .contains("  - Ngày 08/03/2021 (hòm thư góp ý): Chờ tiếp công dân lâu; chưa trả lời."),
        "{md}"
    );
    assert!(!md.contains("Nơi ngồi chờ chật"), "{md}");
}

/// word/document.xml of a DOCX file.
fn docx_text(path: &std::path::Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(roxmltree::Document::parse(&xml).is_ok());
    xml
}

/// `deadlines` lists the year-end rating while it is not due, with the officers not yet rated.
#[test]
fn deadlines_list_the_rating_and_who_is_not_yet_rated() {
    let env = rated_env();
    env.write(
        "records/ratings.csv",
        format!("{RATINGS}2021-11-20,ct,2021,good,,\n"),
    );
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--lang", "vi"]);
    let text = stdout(&out);
    let line = (text.lines())
        .find(|l| l.contains("Đánh giá, xếp loại cán bộ, công chức cuối năm"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("14/12/2021") && line.ends_with("(Phạm Thị Cúc)"),
        "{line}"
    );
    env.write(
        "records/ratings.csv",
        format!("{RATINGS}2021-11-20,ct,2021,good,,\n2021-11-25,vp1,2021,done,,\n"),
    );
    let out = env.run(&["deadlines", "--as-of", "2021-12-01", "--lang", "vi"]);
    assert!(
        !stdout(&out).contains("xếp loại cán bộ"),
        "{}",
        stdout(&out)
    );
}
