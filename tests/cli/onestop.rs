//! The one-stop statistics as provinces publish them: the monthly report and the statistics
//! table of the period reports.

use crate::harness::{Env, code, json, stderr, stdout};

#[test]
fn the_monthly_report_of_june_2021_on_the_sample() {
    let env = Env::shipped();
    let out = env.run(&["report", "month", "2021-06", "--as-of", "2022-01-15"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The provenance line's digest of the sample records put as `sha256:…` (see report.rs).
    let text = stdout(&out);
    let text = match text.find("sha256:") {
        Some(at) if text.len() >= at + 71 => format!("{}sha256:…{}", &text[..at], &text[at + 71..]),
        _ => text,
    };
    insta::assert_snapshot!("report_month_2021_06", text);

    // Its figures add up, field by field and procedure by procedure.
    let ctx = json(&env.run(&[
        "report",
        "month",
        "2021-06",
        "--as-of",
        "2022-01-15",
        "--format",
        "json",
    ]));
    assert_eq!(ctx["kind"], "month");
    assert_eq!(ctx["period"]["start"], "2021-05-15");
    assert_eq!(ctx["period"]["end"], "2021-06-14");
    let d = &ctx["dossiers"];
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    assert_eq!(
        n(&d["carried_in"]) + n(&d["received"]),
        n(&d["resolved"]["total"]) + n(&d["pending"]["total"]) + n(&d["ended_without_result"])
    );
    for breakdown in ["by_field", "by_procedure"] {
        let sum = |key: &str| {
            d[breakdown]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| n(&r[key]))
                .sum::<u64>()
        };
        assert_eq!(sum("received"), n(&d["received"]), "{breakdown}");
        assert_eq!(sum("carried_in"), n(&d["carried_in"]), "{breakdown}");
    }

    // A quarter is not a month.
    let out = env.run(&["report", "month", "2021-Q2"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("e.g. 2021-06"), "{}", stderr(&out));
}

/// Twelve dossiers whose figures for month 4 of 2021 (15/03–14/04 under nd09) are counted by
/// hand below.
pub const COUNTED: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note,channel,supplement,refusal_reason
A,ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-16,2021-03-16,,vp1,,,,,direct,,
B,ht-khai-sinh,Hộ tịch,2021-03-15,2021-03-16,2021-03-15,,vp1,,,,,direct,,
C,ht-khai-sinh,Hộ tịch,2021-03-16,2021-03-17,2021-03-19,,vp1,Chờ xác minh,2021-03-17,,,online-full,,
D,ht-khai-sinh,Hộ tịch,2021-03-17,2021-03-18,2021-03-22,,vp1,chờ  xác minh.,,,,online-partial,,
E,ht-khai-sinh,Hộ tịch,2021-03-18,2021-03-19,2021-03-18,refused,vp1,,,,,postal,,Không thuộc thẩm quyền của UBND xã
F,ht-khai-sinh,Hộ tịch,2021-03-22,2021-03-23,2021-03-22,withdrawn,vp1,,,,,online,,
G,ht-khai-sinh,Hộ tịch,2021-03-23,2021-03-24,,,vp1,,,,,direct,2021-03-24,
H,ht-khai-sinh,Hộ tịch,2021-03-25,2021-03-26,2021-04-05,,vp1,Hồ sơ phải xác minh thêm,,2021-04-02,,direct,2021-03-26,
I,ht-khai-sinh,Hộ tịch,2021-03-29,2021-03-30,,,vp1,Chờ xác minh,,,,,,
J,ht-khai-sinh,Hộ tịch,2021-04-20,2021-04-21,,,vp1,,,,,direct,,
K,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-02,,vp1,,,,,direct,,
L,ht-khai-sinh,Hộ tịch,2021-04-01,2021-04-02,2021-04-01,stopped,vp1,,,,,direct,,
";

#[test]
fn channels_supplements_and_refusals_are_counted_as_by_hand() {
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", COUNTED);
    let ctx = json(&env.run(&[
        "report",
        "month",
        "2021-04",
        "--as-of",
        "2021-04-30",
        "--format",
        "json",
    ]));
    let d = &ctx["dossiers"];
    let n = |path: &[&str]| {
        path.iter()
            .fold(d, |v, k| &v[*k])
            .as_u64()
            .unwrap_or_else(|| panic!("{path:?}"))
    };
    // A is carried in; J is received after the period, K ended before it.
    assert_eq!(n(&["carried_in"]), 1);
    assert_eq!(n(&["received"]), 9);
    // In person B G H L; by post E; online C (whole) D (part) F; I without a channel.
    assert_eq!(n(&["received_by_channel", "direct"]), 4);
    assert_eq!(n(&["received_by_channel", "postal"]), 1);
    assert_eq!(n(&["received_by_channel", "online"]), 3);
    assert_eq!(n(&["received_by_channel", "online_full"]), 1);
    assert_eq!(n(&["received_by_channel", "online_partial"]), 1);
    assert_eq!(n(&["received_by_channel", "unknown"]), 1);
    assert_eq!(d["online_share"], 33.33);
    // Resolved: B early, A on time; C, D late; H late against its new appointment (02/04).
    assert_eq!(n(&["resolved", "early"]), 1);
    assert_eq!(n(&["resolved", "on_time"]), 1);
    assert_eq!(n(&["resolved", "late"]), 3);
    // E refused, F withdrawn, L stopped.
    assert_eq!(n(&["ended_without_result"]), 3);
    assert_eq!(n(&["refused"]), 1);
    assert_eq!(n(&["withdrawn"]), 1);
    assert_eq!(n(&["stopped"]), 1);
    // G waits for the papers asked for: its clock is stopped, it is not overdue; I is.
    assert_eq!(n(&["pending", "in_time"]), 1);
    assert_eq!(n(&["pending", "overdue"]), 1);
    assert_eq!(n(&["supplements"]), 2);
    assert_eq!(n(&["apologies"]), 1);
    assert_eq!(n(&["without_apology"]), 3);
    assert_eq!(n(&["late_without_reason"]), 0);
    assert_eq!(d["on_time_rate"], 40.0);
    assert_eq!(d["on_time_rate_backlog"], 60.0);
    // C, D and I give the same reason, written three ways; H its own.
    assert_eq!(
        d["late_reasons"],
        serde_json::json!([
            {"reason": "Chờ xác minh", "count": 3},
            {"reason": "Hồ sơ phải xác minh thêm", "count": 1},
        ])
    );

    // The same in the month's report, and the check agrees on who is overdue.
    let out = env.run(&["report", "month", "2021-04", "--as-of", "2021-04-30"]);
    let md = stdout(&out);
    for line in [
        "| – Trực tuyến (toàn trình: 1; một phần: 1) | 3 |",
        "| Tỷ lệ hồ sơ tiếp nhận trực tuyến | 33,33% |",
        "| – Từ chối | 1 |",
        "| Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ đã phát hành | 2 |",
        "- Chờ xác minh:\u{a0}3.",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let out = env.run(&["check", "--as-of", "2021-04-30"]);
    let text = stdout(&out);
    assert!(text.contains("W307 dossier I"), "{text}");
    assert!(!text.contains("W307 dossier G"), "{text}");
    assert!(!text.contains("W308 dossier H"), "H has a reason: {text}");

    // A refusal without a reason is an error.
    env.write(
        "records/dossiers.csv",
        COUNTED.replace("Không thuộc thẩm quyền của UBND xã", ""),
    );
    let out = env.run(&["check", "--as-of", "2021-04-30"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("E209 dossier E is refused but gives no reason"),
        "{}",
        stdout(&out)
    );

    // Refused with no end date either: both findings point at the row that opened it (the
    // line it is on, the column that lacks a value), not at a line 0 of another file.
    let lines = COUNTED.lines().count();
    env.write(
        "records/dossiers.csv",
        format!("{COUNTED}Z,ht-khai-sinh,Hộ tịch,2021-04-02,2021-04-03,,refused,vp1,,,,,,,\n"),
    );
    let out = env.run(&["check", "--as-of", "2021-04-30"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let at = format!("records/dossiers.csv:{}:", lines + 1);
    assert!(
        text.contains(&format!(
            "{at}15: E209 dossier Z is refused but gives no reason"
        )) && text.contains(&format!("{at}6: E209 dossier Z")),
        "{text}"
    );
    assert!(!text.contains(":0:"), "{text}");
}

#[test]
fn the_one_stop_books_words_for_channels_and_refusals_are_imported_as_codes() {
    let env = Env::fixture("minimal");
    // A folder made before these columns adds them to its header once.
    env.write(
        "records/dossiers.csv",
        COUNTED.lines().next().unwrap().to_string() + "\n",
    );
    env.write(
        "so.csv",
        "Mã hồ sơ;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Trạng thái;Hình thức nộp;Ngày yêu cầu bổ sung;Lý do từ chối\n\
         X1;Khai sinh;15/03/2021;16/03/2021;16/03/2021;Đã trả kết quả;Trực tiếp;;\n\
         X2;Khai sinh;15/03/2021;16/03/2021;;Đang xử lý;Trực tuyến toàn trình;16/03/2021;\n\
         X3;Khai sinh;15/03/2021;16/03/2021;15/03/2021;Từ chối;Qua dịch vụ bưu chính công ích;;Không thuộc thẩm quyền\n",
    );
    let out = env.run(&["import", "dossiers", "so.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = env.read("records/dossiers.csv");
    assert!(
        records.ends_with(
            "X1,ht-khai-sinh,,2021-03-15,2021-03-16,2021-03-16,,,,,,,direct,,\n\
             X2,ht-khai-sinh,,2021-03-15,2021-03-16,,,,,,,,online-full,2021-03-16,\n\
             X3,ht-khai-sinh,,2021-03-15,2021-03-16,2021-03-15,refused,,,,,,postal,,Không thuộc thẩm quyền\n"
        ),
        "{records}"
    );
    let out = env.run(&["check", "--as-of", "2021-03-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// The sample folder's dossiers as the issue asks for them: most received in person, an online
/// share that grows over the year, requests for more papers and refusals.
#[test]
fn the_sample_receives_mostly_in_person_with_a_growing_online_share() {
    let env = Env::shipped();
    let stats = |kind: &str, period: &str| {
        json(&env.run(&[
            "report",
            kind,
            period,
            "--as-of",
            "2022-01-15",
            "--format",
            "json",
        ]))["dossiers"]
            .clone()
    };
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    let year = stats("year", "2021");
    let c = &year["received_by_channel"];
    assert!(
        n(&c["direct"]) > n(&c["online"]) + n(&c["postal"]) + n(&c["unknown"]),
        "{c}"
    );
    assert!(n(&c["online"]) > 0 && n(&c["postal"]) > 0, "{c}");
    assert!(
        n(&year["supplements"]) > 0 && n(&year["refused"]) > 0,
        "{year}"
    );
    let share = |q: &str| stats("quarter", q)["online_share"].as_f64().unwrap();
    let shares: Vec<f64> = ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
        .into_iter()
        .map(share)
        .collect();
    assert!(shares.windows(2).all(|w| w[0] < w[1]), "{shares:?}");
}
