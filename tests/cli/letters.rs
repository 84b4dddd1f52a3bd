//! Issue 17: reports a Chairman signs as they are. Each test sets up the one situation a rule
//! is about on the minimal folder and reads the report as the office that receives it would.

use crate::harness::{Env, code, stderr, stdout};

fn report(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

/// The line of `text` that contains `needle` (the first).
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// Codes are data: "Tồn tại, hạn chế" names officers, never "Phạm Thị Cúc (vp1)".
#[test]
fn official_text_names_officers_without_their_ids() {
    let env = Env::fixture("minimal");
    env.write(
        "records/commitments.csv",
        "date,officer,task,commitment\n2021-01-18,ct,9,Tiếp công dân mỗi tuần\n",
    );
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note\n\
         2021-02-01,vp1,Đi làm muộn,,reminder,,\n\
         2021-03-01,vp1,Vắng họp giao ban không lý do,,reminder,,\n",
    );
    for format in ["md", "html"] {
        let text = report(
            &env,
            &[
                "report",
                "quarter",
                "2021-Q1",
                "--as-of",
                "2021-03-20",
                "--format",
                format,
            ],
        );
        assert!(
            text.contains(
                "Phạm Thị Cúc chưa đăng ký nội dung thực hiện, cam kết (hạn 31/01/2021)."
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Phạm Thị Cúc vi phạm lần thứ hai trong năm 2021 (lần đầu ngày 01/02/2021)"
            ),
            "{text}"
        );
        assert!(!text.contains("(vp1)"), "{text}");
    }
    // The ids stay in the data: check and the JSON findings keep them.
    let out = env.run(&["check", "--as-of", "2021-03-20"]);
    assert!(stdout(&out).contains("(vp1)"), "{}", stdout(&out));
}

/// "Trễ hạn không có lý do" in the table and the sentence of "Tồn tại, hạn chế" count the same
/// dossiers: those returned late without a reason (a dossier still pending past its due date is
/// "quá hạn", said apart).
#[test]
fn late_without_reason_is_the_same_count_in_the_table_and_the_text() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         D1,ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-05,,vp1,,2021-02-02,,\n\
         D2,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,,2021-03-02,,\n",
    );
    let md = report(
        &env,
        &["report", "quarter", "2021-Q1", "--as-of", "2021-03-20"],
    );
    assert!(md.contains("| Trễ hạn không có lý do | 1 |"), "{md}");
    assert!(
        md.contains("1 hồ sơ trả kết quả trễ hạn không ghi rõ lý do: D1."),
        "{md}"
    );
    assert!(md.contains("| – Quá hạn | 1 |"), "{md}");
}

/// One "trong đó" per sentence: "…, trong đó 1 trường hợp bị xử lý kỷ luật, 1 trường hợp tái
/// phạm, 1 trường hợp đang xem xét xử lý".
#[test]
fn the_violations_sentence_says_trong_do_once() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note\n\
         2021-01-05,vp1,Đi làm muộn,,reminder,,\n\
         2021-02-01,vp1,Để hồ sơ trễ hạn,,reprimand,Quyết định số 5/QĐ-UBND,\n\
         2021-03-01,ct,Chưa ký văn bản đúng hạn,,,,\n",
    );
    for format in ["md", "html"] {
        let text = report(
            &env,
            &[
                "report",
                "quarter",
                "2021-Q1",
                "--as-of",
                "2021-03-20",
                "--format",
                format,
            ],
        );
        let line = line_with(&text, "Trong kỳ phát hiện 3 trường hợp vi phạm");
        assert_eq!(line.matches("trong đó").count(), 1, "{line}");
        assert!(
            line.contains(
                ", trong đó 1 trường hợp bị xử lý kỷ luật, 1 trường hợp tái phạm, 1 trường hợp đang xem xét xử lý"
            ),
            "{line}"
        );
    }
}

/// An officer's late dossiers and on-time rate come from the same dossiers: the rate is over
/// those resolved, so the late count beside it is of those resolved; the ones pending past
/// their due date are said apart.
#[test]
fn an_officers_late_count_and_rate_are_of_the_same_dossiers() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         D1,ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-02,,vp1,,,,\n\
         D2,ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-05,,vp1,Thiếu giấy tờ,2021-02-02,,\n\
         D3,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,vp1,Chờ xác minh,2021-03-02,,\n",
    );
    let md = report(
        &env,
        &["report", "officers", "2021", "--as-of", "2021-03-20"],
    );
    assert!(
        md.contains(
            "đã giải quyết 2 (1 hồ sơ trễ hạn), tỷ lệ đúng hạn 50,00%; 1 hồ sơ đang giải quyết đã quá hạn."
        ),
        "{md}"
    );
    assert!(!md.contains("trễ hạn 2"), "{md}");
}

/// The officers report says which of the plan's tasks it is made under, from the plan (the
/// tasks whose records name commendations or commitments), not "(nhiệm vụ 7 và 11 …)".
#[test]
fn the_officers_report_cites_the_plans_own_tasks() {
    let env = Env::fixture("minimal");
    let md = report(
        &env,
        &["report", "officers", "2021", "--as-of", "2021-03-20"],
    );
    assert!(!md.contains("nhiệm vụ 7"), "{md}");
    assert!(md.contains("Thực hiện Kế hoạch số 01/KH-UBND ngày 15/01/2021 của Ủy ban nhân dân xã Sơn Hồng về thực hiện kỷ luật, kỷ cương hành chính năm 2021, "), "{md}");
    let plan = env.read("plan.toml").replace(
        "title = \"Đánh giá Bộ phận một cửa\"\n",
        "title = \"Đánh giá Bộ phận một cửa\"\nrecords = [\"commitments\"]\n",
    );
    env.write("plan.toml", plan);
    for format in ["md", "html"] {
        let text = report(
            &env,
            &[
                "report",
                "officers",
                "2021",
                "--as-of",
                "2021-03-20",
                "--format",
                format,
            ],
        );
        assert!(
            text.contains("năm 2021 (nhiệm vụ 2: đánh giá Bộ phận một cửa), Ủy ban nhân dân xã Sơn Hồng tổng hợp"),
            "{text}"
        );
    }
}

/// The activities of a weekly duty (the Chairman's citizen reception) are summed up, "N buổi,
/// M lượt công dân", instead of a bullet per session; the task's other activities are listed.
#[test]
fn routine_receptions_are_summed_up_and_the_rest_listed() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace(
        "title = \"Tiếp công dân\"\nresponsible = [\"ct\"]\n",
        "title = \"Tiếp công dân\"\nresponsible = [\"ct\"]\n\n[[tasks.obligations]]\ntitle = \"Tiếp công dân định kỳ\"\nevery = \"week\"\nkind = \"reception\"\nofficer = \"ct\"\n",
    );
    env.write("plan.toml", plan);
    env.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence,deliverable,participants,note\n\
         2021-01-21,9,reception,Tiếp công dân định kỳ tuần 3,ct,Sổ tiếp công dân trang 1,,2,\n\
         2021-01-28,9,reception,Tiếp công dân định kỳ tuần 4,ct,Sổ tiếp công dân trang 2,,3,\n\
         2021-02-04,9,reception,Tiếp công dân định kỳ tuần 5,ct,Sổ tiếp công dân trang 3,,,\n\
         2021-02-05,9,report,Báo cáo công tác tiếp công dân tháng 01,ct,Báo cáo số 3/BC-UBND,,,\n",
    );
    for format in ["md", "html"] {
        let text = report(
            &env,
            &[
                "report",
                "quarter",
                "2021-Q1",
                "--as-of",
                "2021-03-20",
                "--format",
                format,
            ],
        );
        assert!(
            text.contains("- Tiếp công dân: 3 buổi, 5 lượt công dân."),
            "{text}"
        );
        assert!(!text.contains("Tiếp công dân định kỳ tuần"), "{text}");
        assert!(
            text.contains("Báo cáo công tác tiếp công dân tháng 01 (Báo cáo số 3/BC-UBND)."),
            "{text}"
        );
    }
}

/// "Ưu điểm" states what the data shows (dossiers resolved and the on-time rate, by quarter in
/// the year report; commendations; satisfaction) and "Hạn chế" the late dossiers with their
/// most frequent recorded reasons.
#[test]
fn strengths_and_shortcomings_are_filled_from_the_data() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         D1,ht-khai-sinh,Hộ tịch,2021-01-04,2021-01-05,2021-01-05,,vp1,,,,\n\
         D2,ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-05,,vp1,Chờ xác minh,2021-02-02,,\n\
         D3,ht-khai-sinh,Hộ tịch,2021-04-01,2021-04-02,2021-04-06,,vp1,Chờ xác minh.,2021-04-02,,\n\
         D4,ht-khai-sinh,Hộ tịch,2021-04-05,2021-04-06,2021-04-06,,vp1,,,,\n\
         D5,ht-khai-sinh,Hộ tịch,2021-07-05,2021-07-06,2021-07-08,,vp1,Thiếu giấy tờ,2021-07-06,,\n",
    );
    env.write(
        "records/commendations.csv",
        "date,recipient,form,reason,decision,note\n\
         2021-06-01,vp1,Giấy khen của Chủ tịch UBND xã,Làm tốt công tác một cửa,Quyết định số 9/QĐ-UBND,\n",
    );
    let md = report(&env, &["report", "year", "2021", "--as-of", "2022-01-15"]);
    let strengths = &md[md.find("### 1. Ưu điểm").unwrap()..md.find("### 2. Tồn tại").unwrap()];
    assert!(
        strengths.contains(
            "- Đã giải quyết 5 hồ sơ thủ tục hành chính, trong đó 2 hồ sơ trước hạn và đúng hạn, tỷ lệ giải quyết đúng hạn 40,00%; theo từng quý: Quý I/2021 50,00%, Quý II/2021 50,00%, Quý III/2021 0,00%, Quý IV/2021 –."
        ),
        "{strengths}"
    );
    assert!(
        strengths.contains(
            "- 1 lượt tập thể, cá nhân được khen thưởng: Phạm Thị Cúc (giấy khen của Chủ tịch UBND xã)."
        ),
        "{strengths}"
    );
    assert!(
        strengths.contains(
            "- Tỷ lệ hài lòng của tổ chức, công dân qua các ý kiến có đánh giá đạt 100,00%."
        ),
        "{strengths}"
    );
    let weaknesses =
        &md[md.find("### 2. Tồn tại").unwrap()..md.find("### 3. Nguyên nhân").unwrap()];
    assert!(
        weaknesses.contains(
            "- 3 hồ sơ thủ tục hành chính giải quyết trễ hạn; nguyên nhân chủ yếu: chờ xác minh (2 hồ sơ); thiếu giấy tờ (1 hồ sơ)."
        ),
        "{weaknesses}"
    );
}

/// A duty under a task that requires evidence counts only the activities that name their
/// record: a dissemination recorded without minutes does not meet the quarter's duty.
#[test]
fn a_duty_that_requires_evidence_counts_only_activities_carrying_it() {
    let env = Env::fixture("minimal");
    // Task 1 requires evidence; its duty is a dissemination every quarter.
    env.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence,deliverable,participants,note\n\
         2021-01-20,1,dissemination,Quán triệt Chỉ thị 26/CT-TTg,ct;vp1,,,25,\n\
         2021-04-20,1,dissemination,Quán triệt Quyết định 129/2007,ct;vp1,Biên bản 02/BB-UBND,,25,\n",
    );
    let out = env.run(&["check", "--as-of", "2021-06-20", "--lang", "vi"]);
    let text = stdout(&out);
    assert!(
        text.contains("W303 Quý I năm 2021: không thực hiện đủ “Phổ biến, quán triệt” (nhiệm vụ 1): có 0/1 lần"),
        "{text}"
    );
    assert!(!text.contains("W303 Quý II"), "{text}");
}

/// Duties are not judged for periods that end before the plan was issued (15/01/2021 in the
/// fixture): the nd09 year starts on 15/12/2020, but the plan did not exist in its first weeks.
/// Nor for the week it was issued on a Friday: a period is judged when the plan was in force
/// for at least half of it (activities before the issue date count for nothing, see
/// duties.rs).
#[test]
fn duties_are_not_judged_before_the_plan_was_issued() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace(
        "title = \"Tiếp công dân\"\nresponsible = [\"ct\"]\n",
        "title = \"Tiếp công dân\"\nresponsible = [\"ct\"]\n\n[[tasks.obligations]]\ntitle = \"Tiếp công dân định kỳ\"\nevery = \"week\"\nkind = \"reception\"\nofficer = \"ct\"\n",
    );
    env.write("plan.toml", plan);
    env.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence,deliverable,participants,note\n",
    );
    let out = env.run(&["check", "--as-of", "2021-01-26", "--lang", "vi"]);
    let text = stdout(&out);
    // Weeks 51/2020 to 01/2021 ended before 15/01/2021; week 02/2021 (11–17/01) holds the
    // issue date on its Friday, the plan in force 3 of its 7 days; week 03 followed it and is
    // judged.
    for week in [
        "Tuần 51/2020",
        "Tuần 52/2020",
        "Tuần 53/2020",
        "Tuần 01/2021",
        "Tuần 02/2021",
    ] {
        assert!(!text.contains(week), "{week}: {text}");
    }
    assert!(text.contains("W303 Tuần 03/2021"), "{text}");
}

/// "Không xem xét thi đua" follows a decision: a violation still under review (no form of
/// handling recorded) does not take the officer out of emulation; a decided one does.
#[test]
fn not_considered_for_emulation_only_after_a_decision() {
    let env = Env::fixture("minimal");
    env.write(
        "records/violations.csv",
        "date,officer,description,task,action,decision,note\n\
         2021-02-01,vp1,Đi làm muộn,,reminder,,\n\
         2021-03-01,ct,Công dân phản ánh thái độ,,,,\n",
    );
    let out = env.run(&[
        "report",
        "officers",
        "2021",
        "--as-of",
        "2021-03-20",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = crate::harness::json(&out);
    let row = |id: &str| {
        doc["officers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("vp1")["not_considered_for_emulation"], true);
    assert_eq!(row("ct")["not_considered_for_emulation"], false);
    let md = report(
        &env,
        &["report", "officers", "2021", "--as-of", "2021-03-20"],
    );
    // vp1 only: in the table and in the detail.
    assert_eq!(md.matches("Không xem xét thi đua").count(), 2, "{md}");
    // The rule is cited as the plan's emulation task, not by a number written in the tool: none
    // in this plan, then task 2 made the emulation task with a citation of its own.
    let rule = "các cán bộ, công chức không thực hiện tốt các nội dung kế hoạch này sẽ không xem xét thi đua";
    assert!(
        md.contains(&format!("(Kế hoạch 01/KH-UBND: {rule})")),
        "{md}"
    );
    let plan = env.read("plan.toml").replace(
        "id = \"2\"\ntitle = \"Đánh giá Bộ phận một cửa\"\n",
        "id = \"2\"\ntitle = \"Đánh giá Bộ phận một cửa\"\nrecords = [\"commendations\"]\ncite = \"mục II.2\"\n",
    );
    env.write("plan.toml", &plan);
    let md = report(
        &env,
        &["report", "officers", "2021", "--as-of", "2021-03-20"],
    );
    assert!(
        md.contains(&format!("(Kế hoạch 01/KH-UBND, mục II.2: {rule})")),
        "{md}"
    );
}

/// The year report made on its cut-off day (14/12 under nd09) is final: no banner, and its
/// trend does not call the fourth quarter unfinished either; the day before, both say so.
#[test]
fn the_trend_and_the_banner_agree_on_the_cut_off_day() {
    let env = Env::fixture("minimal");
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         D1,ht-khai-sinh,Hộ tịch,2021-10-04,2021-10-05,2021-10-05,,vp1,,,,\n",
    );
    let on_the_day = report(&env, &["report", "year", "2021", "--as-of", "2021-12-14"]);
    assert!(!on_the_day.contains("Bản tạm tính"), "{on_the_day}");
    let line = line_with(&on_the_day, "theo từng quý:");
    assert!(line.contains("Quý IV/2021 100,00%"), "{line}");
    assert!(!line.contains("chưa kết thúc"), "{line}");
    let day_before = report(&env, &["report", "year", "2021", "--as-of", "2021-12-13"]);
    assert!(day_before.contains("Bản tạm tính"), "{day_before}");
    let line = line_with(&day_before, "theo từng quý:");
    assert!(
        line.contains("Quý IV/2021 (chưa kết thúc) 100,00%"),
        "{line}"
    );
}
