//! The shipped plan.toml says what the seed plan (Kế hoạch 06/KH-UBND, xã Sơn Hồng) says.

use kehoach::plan::Plan;

fn shipped() -> Plan {
    let dir = crate::harness::repo_root();
    let (_, loaded) = Plan::load(&dir).expect("read plan.toml");
    assert!(
        loaded.findings.is_empty(),
        "plan.toml has findings: {:?}",
        loaded.findings
    );
    loaded.plan.expect("plan")
}

fn seed() -> String {
    let path = crate::harness::repo_root().join("../shared/seed/ke-hoach-06-KH-UBND-2021.md");
    // The seed sits beside the repository in this workplace; the titles below are copied from it.
    std::fs::read_to_string(path).unwrap_or_default()
}

const TITLES: [&str; 11] = [
    "Công tác quán triệt, triển khai, tuyên truyền, giáo dục các quy định, văn bản về kỷ luật, kỷ cương hành chính:",
    "Đánh giá và củng cố hoạt động của Bộ phận tiếp nhận và trả kết quả theo cơ chế “một cửa”; “một cửa liên thông”(gọi tắt là Bộ phận “một cửa”)",
    "Thực hiện đúng các quy định về trình tự, thủ tục giải quyết hồ sơ công việc của tổ chức, công dân, phấn đấu giải quyết hồ sơ nhanh hơn so với thời gian quy định.",
    "Nâng cao thái độ phục vụ tổ chức, công dân của cán bộ, công chức.",
    "Phân công công việc cụ thể, xác định rõ trách nhiệm của mỗi cán bộ, công chức khi tham gia giải quyết hồ sơ, công việc của tổ chức, cá nhân thuộc thẩm quyền.",
    "Thực hiện nghiêm quy chế, quy định hội họp:",
    "Tổ chức các phong trào thi đua về nâng cao tinh thần trách nhiệm, đạo đức công vụ, cải tiến lề lối làm việc trong cán bộ, công chức; nêu gương người tốt, việc tốt, điển hình tiên tiến và thực hiện chế độ động viên khen thưởng kịp thời.",
    "Tăng cường công tác kiểm tra, thanh tra việc chấp hành kỷ cương, kỷ luật hành chính:",
    "Củng cố hoạt động tiếp công dân:",
    "Nâng cao chất lượng chế độ thông tin báo cáo phục vụ hoạt động chỉ đạo, điều hành của UBND xã:",
    "Gắn việc thực hiện kỷ cương, kỷ luật hành chính với việc đánh giá, xếp loại cán bộ, công chức cuối năm:",
];

#[test]
fn eleven_tasks_with_the_seed_titles() {
    let plan = shipped();
    assert_eq!(plan.tasks.len(), 11);
    let seed = seed();
    for (i, (task, title)) in plan.tasks.iter().zip(TITLES).enumerate() {
        assert_eq!(task.id.get_ref(), &(i + 1).to_string());
        assert_eq!(task.title, title);
        if !seed.is_empty() {
            assert!(seed.contains(title), "task {} title not in the seed", i + 1);
        }
    }
}

#[test]
fn every_bullet_of_task_contents_is_encoded() {
    let plan = shipped();
    let count = |i: usize| {
        (
            plan.tasks[i].content.len(),
            plan.tasks[i].requirements.len(),
        )
    };
    // Counted in the seed: task 1 has a lead item and eight documents, two requirements; task 3
    // seven content bullets and five requirements; task 6 three items and seven requirements.
    assert_eq!(count(0), (9, 2));
    assert_eq!(count(2), (7, 5));
    assert_eq!(count(4), (3, 5));
    assert_eq!(count(5), (3, 7));
    assert!(plan.tasks[0].content[8].starts_with("Chỉ thị số 07/CT-TTg ngày 19/3/2014"));
    assert_eq!(plan.plan.purposes.len(), 3);
    assert_eq!(plan.plan.requirements.len(), 4);
}

#[test]
fn dated_deliverables_signer_and_recipients() {
    let plan = shipped();
    assert_eq!(plan.plan.number, "06/KH-UBND");
    assert_eq!(plan.plan.issued.to_string(), "2021-01-15");
    let d = |id: &str| {
        plan.deliverables()
            .find(|(_, d)| d.id.get_ref() == id)
            .map(|(t, d)| (t.id.get_ref().clone(), d.due.to_string()))
    };
    // Task 2: "Thời gian hoàn thành: 15/12/2021".
    assert_eq!(d("2-bao-cao"), Some(("2".into(), "2021-12-15".into())));
    // Task 5: "Việc phân công nhiệm vụ: tháng 01/2021" (by the end of January).
    assert_eq!(d("5-phan-cong"), Some(("5".into(), "2021-01-31".into())));
    assert_eq!(plan.signer.authority_line, "TM. ỦY BAN NHÂN DÂN");
    assert_eq!(plan.signer.title, "CHỦ TỊCH");
    assert_eq!(plan.signer.name, "Nguyễn Khánh Hòa");
    assert_eq!(
        plan.reporting.recipients,
        [
            "Phòng Tư pháp",
            "Phòng Nội vụ",
            "TV Đảng ủy",
            "TT HĐND",
            "Chủ tịch, các Phó CT UBND",
            "Lưu: VPUBND xã"
        ]
    );
    let chairman = plan.officer("ct").expect("the Chairman");
    assert_eq!(chairman.name, "Nguyễn Khánh Hòa");
    // Weekly reception by the Chairman (task 9), under the Law on citizen reception.
    let reception = &plan.task("9").unwrap().obligations[0];
    assert_eq!(reception.every, kehoach::plan::Every::Week);
    assert_eq!(
        reception.officer.as_ref().map(|o| o.get_ref().as_str()),
        Some("ct")
    );
    assert!(reception.basis.as_deref().unwrap().contains("Điều 15"));
}
