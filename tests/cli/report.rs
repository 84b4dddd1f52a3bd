//! `kehoach report`: the dossier statistics against a hand count, the identity on the shipped
//! data, the rendered reports, templates and their errors.

use serde_json::{Value, json};

use crate::harness::{Env, code, json, stderr, stdout};

const DOS: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// Dossiers around nd09 quarter II of 2021 (15/03–14/06/2021), each with what it must count as.
const DOSSIERS: &str = "\
A,ht-khai-sinh,,2021-03-01,2021-03-20,2021-03-18,,vp1,,,,carried in; resolved early
B,ht-khai-sinh,,2021-03-10,2021-03-12,2021-03-12,,vp1,,,,ended before the quarter: outside
C,ht-khai-sinh,,2021-03-12,2021-03-16,,,vp1,,,,carried in; pending overdue; no reason; no apology
D,ht-khai-sinh,,2021-04-01,2021-04-02,2021-04-02,,vp1,,,,received; on time
E,ht-khai-sinh,,2021-04-05,2021-04-06,2021-04-08,,vp1,Chờ xác minh,2021-04-06,2021-04-08,received; late with reason and apology
F,ht-khai-sinh,,2021-04-05,2021-04-06,,,vp1,,,,received; late (returned in a later row); no reason; no apology
G,ht-khai-sinh,,2021-05-03,2021-05-10,2021-05-04,withdrawn,vp1,,,,received; withdrawn
H,ht-khai-sinh,,2021-06-10,2021-06-20,,,vp1,,,,received; pending in time
I,ht-khai-sinh,,2021-06-01,2021-06-03,,,vp1,Thiếu hồ sơ,2021-06-03,,received; pending overdue with reason and apology
J,ht-khai-sinh,,2021-06-15,2021-06-16,2021-06-16,,vp1,,,,received after the quarter: outside
K,Chứng thực bản sao,Chứng thực,2021-03-01,2021-03-30,2021-04-15,stopped,vp1,,,,carried in; stopped
L,ht-khai-sinh,,2021-06-01,2021-06-05,2021-06-20,,vp1,,,,returned after the quarter: pending overdue at its end
M,Chứng thực bản sao,Chứng thực,2021-04-20,2021-04-25,2021-04-21,,ct,,,,received; early
F,,,,,2021-04-09,,,,,,
";

/// The counters as JSON: [carried in, received], [early, on time, late], [pending in time,
/// overdue], [ended without result, late without reason, without apology], [rates].
fn counts(
    [carried_in, received]: [u64; 2],
    resolved: [u64; 3],
    pending: [u64; 2],
    [ended, no_reason, no_apology]: [u64; 3],
    rates: [Option<f64>; 2],
) -> Value {
    json!({
        "carried_in": carried_in,
        "received": received,
        "total": carried_in + received,
        "resolved": {"total": resolved.iter().sum::<u64>(), "early": resolved[0], "on_time": resolved[1], "late": resolved[2]},
        "pending": {"total": pending.iter().sum::<u64>(), "in_time": pending[0], "overdue": pending[1]},
        "ended_without_result": ended,
        "late_without_reason": no_reason,
        "without_apology": no_apology,
        "on_time_rate": rates[0],
        "on_time_rate_backlog": rates[1],
    })
}

fn pick(v: &Value) -> Value {
    let keys = [
        "carried_in",
        "received",
        "total",
        "resolved",
        "pending",
        "ended_without_result",
        "late_without_reason",
        "without_apology",
        "on_time_rate",
        "on_time_rate_backlog",
    ];
    Value::Object(
        keys.iter()
            .map(|k| (k.to_string(), v[*k].clone()))
            .collect(),
    )
}

#[test]
fn dossier_statistics_match_a_hand_count() {
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", format!("{DOS}{DOSSIERS}"));
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q2",
        "--format",
        "json",
        "--as-of",
        "2021-07-01",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    let d = &report["dossiers"];
    // Counted by hand from the table above:
    // carried in A C K; received D E F G H I L M; resolved A(early) D(on time) E F(late) M(early);
    // ended without result G K; pending H (in time), C I L (overdue).
    // Late without reason: F (returned late without one; the overdue C, L are still pending:
    // "quá hạn", not yet returned late, as W308 sees them). Without apology: F, C, L.
    // On time: (2 early + 1 on time) / 5 resolved = 60%; backlog: 1 - (2 late + 3 overdue) / 11.
    assert_eq!(
        pick(d),
        counts(
            [3, 8],
            [2, 1, 2],
            [1, 3],
            [2, 1, 3],
            [Some(60.0), Some(54.55)]
        )
    );
    let fields = d["by_field"].as_array().unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0]["key"], "Chứng thực");
    assert_eq!(fields[0]["name"], "Chứng thực");
    // K (carried in, stopped) and M (received, early).
    assert_eq!(
        pick(&fields[0]),
        counts(
            [1, 1],
            [1, 0, 0],
            [0, 0],
            [1, 0, 0],
            [Some(100.0), Some(100.0)]
        )
    );
    assert_eq!(fields[1]["key"], "Hộ tịch");
    assert_eq!(
        pick(&fields[1]),
        counts(
            [2, 7],
            [1, 1, 2],
            [1, 3],
            [1, 1, 3],
            [Some(50.0), Some(44.44)]
        )
    );
    let procedures = d["by_procedure"].as_array().unwrap();
    let names: Vec<&str> = procedures
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Chứng thực bản sao", "Đăng ký khai sinh"]);
    assert_eq!(procedures[1]["key"], "ht-khai-sinh");
    let officers = d["by_officer"].as_array().unwrap();
    let ct = officers.iter().find(|o| o["key"] == "ct").unwrap();
    assert_eq!(ct["name"], "Nguyễn Khánh Hòa");
    assert_eq!(
        pick(ct),
        counts(
            [0, 1],
            [1, 0, 0],
            [0, 0],
            [0, 0, 0],
            [Some(100.0), Some(100.0)]
        )
    );
    // Nothing resolved: the rates are null, not 0 or 100.
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q4",
        "--format",
        "json",
        "--as-of",
        "2022-01-10",
    ]);
    let q4 = &json(&out)["dossiers"];
    assert_eq!(q4["resolved"]["total"], 0);
    assert_eq!(q4["on_time_rate"], Value::Null);
}

fn identity_holds(d: &Value) -> bool {
    let n = |v: &Value| v.as_u64().unwrap();
    n(&d["carried_in"]) + n(&d["received"])
        == n(&d["resolved"]["total"]) + n(&d["pending"]["total"]) + n(&d["ended_without_result"])
}

#[test]
fn the_identity_holds_for_every_quarter_of_the_sample() {
    let env = Env::shipped();
    for q in 1..=4 {
        let period = format!("2021-Q{q}");
        let out = env.run(&[
            "report",
            "quarter",
            &period,
            "--format",
            "json",
            "--as-of",
            "2022-01-15",
        ]);
        assert_eq!(code(&out), 0);
        let d = &json(&out)["dossiers"];
        assert!(d["received"].as_u64().unwrap() > 300, "{period}: {d}");
        assert!(identity_holds(d), "{period}: {d}");
        for breakdown in ["by_field", "by_procedure", "by_officer"] {
            for row in d[breakdown].as_array().unwrap() {
                assert!(identity_holds(row), "{period} {breakdown}: {row}");
            }
        }
    }
    // A year, a half, and a quarter judged mid-way hold it too.
    for (kind, period, as_of) in [
        ("year", "2021", "2021-12-31"),
        ("half", "2021-H2", "2021-10-01"),
        ("quarter", "2021-Q4", "2021-11-20"),
    ] {
        let out = env.run(&["report", kind, period, "--format", "json", "--as-of", as_of]);
        assert!(identity_holds(&json(&out)["dossiers"]), "{kind} {period}");
    }
}

#[test]
fn reports_render_in_markdown_and_json_on_the_shipped_folder() {
    let env = Env::shipped();
    for (kind, period) in [
        ("quarter", "2021-Q3"),
        ("half", "2021-H1"),
        ("year", "2021"),
        ("officers", "2021"),
    ] {
        let out = env.run(&["report", kind, period, "--as-of", "2022-01-15"]);
        assert_eq!(code(&out), 0, "{kind}: {}", stderr(&out));
        let md = stdout(&out);
        assert!(md.contains("# BÁO CÁO"), "{kind}");
        assert!(md.contains("**Nguyễn Khánh Hòa**"), "{kind}");
        let out = env.run(&[
            "report",
            kind,
            period,
            "--format",
            "json",
            "--as-of",
            "2022-01-15",
        ]);
        let ctx = json(&out);
        assert_eq!(ctx["kind"], kind);
        assert_eq!(ctx["period"]["scheme"], "nd09");
    }
}

/// A report with the digest of the shipped records in its provenance line put as `sha256:…`:
/// the snapshots are about the report, not about which bytes the sample records hold today
/// (tests/cli/history.rs checks the digest).
fn without_digest(text: &str) -> String {
    match text.find("sha256:") {
        Some(at) if text.len() >= at + 7 + 64 => {
            format!("{}sha256:…{}", &text[..at], &text[at + 7 + 64..])
        }
        _ => text.to_string(),
    }
}

#[test]
fn quarterly_report_snapshot() {
    let env = Env::shipped();
    let out = env.run(&["report", "quarter", "2021-Q3", "--as-of", "2022-01-15"]);
    insta::assert_snapshot!("report_quarter_2021_q3", without_digest(&stdout(&out)));
}

#[test]
fn year_report_snapshot() {
    let env = Env::shipped();
    let out = env.run(&["report", "year", "2021", "--as-of", "2022-01-15"]);
    insta::assert_snapshot!("report_year_2021", without_digest(&stdout(&out)));
}

#[test]
fn officers_report_snapshot() {
    let env = Env::shipped();
    let out = env.run(&["report", "officers", "2021", "--as-of", "2022-01-15"]);
    insta::assert_snapshot!("report_officers_2021", without_digest(&stdout(&out)));
}

#[test]
fn a_period_not_yet_over_is_provisional() {
    let env = Env::shipped();
    let out = env.run(&["report", "quarter", "2021-Q4", "--as-of", "2021-11-20"]);
    let md = stdout(&out);
    assert!(
        md.contains(
            "**Bản tạm tính.** Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày 20/11/2021."
        ),
        "{md}"
    );
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q4",
        "--as-of",
        "2021-11-20",
        "--format",
        "json",
    ]);
    let ctx = json(&out);
    assert_eq!(ctx["generated"]["provisional"], true);
    assert_eq!(ctx["generated"]["judged_at"], "2021-11-20");
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q3",
        "--as-of",
        "2021-11-20",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["generated"]["provisional"], false);
}

#[test]
fn data_with_errors_is_refused_unless_allowed() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        "date,task,kind,summary\n31/02/2021,1,meeting,Họp\n",
    );
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("records/activities.csv:2:1: E204"), "{err}");
    assert!(err.contains("--allow-errors"), "{err}");
    let out = env.run(&["report", "quarter", "2021-Q1", "--allow-errors"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("dữ liệu còn 1 lỗi chưa sửa"));
}

#[test]
fn a_wrong_period_is_a_usage_error() {
    let env = Env::fixture("minimal");
    let out = env.run(&["report", "quarter", "2021"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("'2021' is not a quarter period: e.g. 2021-Q3"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["report", "quarter", "2021-Q5"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("quarter must be 1 to 4, got 5"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_to_a_file() {
    let env = Env::fixture("minimal");
    let out = env.run(&["report", "year", "2021", "-o", "bao-cao.md"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).is_empty());
    assert!(env.read("bao-cao.md").contains("# BÁO CÁO"));
}

#[test]
fn a_template_in_the_folder_overrides_the_built_in_one() {
    let env = Env::fixture("minimal");
    env.write(
        "templates/quarter.md",
        "Báo cáo {{ period.label }}: {{ dossiers.total | num }} hồ sơ, {{ dossiers.on_time_rate | pct }} đúng hạn, {{ document.date | nd30_date }}.\n",
    );
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Báo cáo Quý I năm 2021: 2 hồ sơ, 50,00% đúng hạn, ngày 14 tháng 3 năm 2021.\n"
    );
    // The year report is still the built-in one.
    let out = env.run(&["report", "year", "2021"]);
    assert!(stdout(&out).contains("# BÁO CÁO"));
    // A one-off template file wins over both.
    env.write("mine.md", "{{ plan.number }} {{ period.code }}\n");
    let out = env.run(&["report", "quarter", "2021-Q1", "--template", "mine.md"]);
    assert_eq!(stdout(&out), "01/KH-UBND 2021-Q1\n");
}

#[test]
fn a_broken_template_names_the_template_the_line_and_what_is_missing() {
    let env = Env::fixture("minimal");
    env.write(
        "templates/quarter.md",
        "# Báo cáo\n\nSố hồ sơ: {{ dossiers.totl }}\n",
    );
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("rendering template quarter.md"), "{err}");
    assert!(err.contains("templates/quarter.md"), "{err}");
    assert!(err.contains("totl"), "{err}");
    assert!(err.contains("quarter.md:3:"), "{err}");
    // A syntax error is caught when the templates load, with its place too.
    env.write("templates/quarter.md", "{% for x in tasks %}\n{{ x.id }\n");
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("quarter.md:2:"), "{err}");
    assert!(err.contains("templates/quarter.md"), "{err}");
}

#[test]
fn vietnamese_filters() {
    let env = Env::fixture("minimal");
    env.write(
        "templates/quarter.md",
        "{{ \"2021-03-05\" | nd30_date }}|{{ \"2021-01-15\" | nd30_date }}|{{ \"2021-12-01\" | dmy }}|{{ 1234567 | num }}|{{ 95.238 | pct }}|{{ 95.1 | pct }}|{{ 100 | pct }}|{{ 4 | roman }}|{{ 14 | roman }}|{{ 5 | vi_letter }}|{{ \"Quý I\" | lower_first }}\n",
    );
    let out = env.run(&["report", "quarter", "2021-Q1"]);
    assert_eq!(
        stdout(&out),
        "ngày 05 tháng 3 năm 2021|ngày 15 tháng 01 năm 2021|01/12/2021|1.234.567|95,24%|95,10%|100,00%|IV|XIV|đ|quý I\n"
    );
}

/// Issue 17 / 20: a plan reports on its own year only. A quarter of 2019 on the 2021 plan is
/// refused (exit status 2, nothing written) rather than listing 2019's duties as missed.
#[test]
fn a_period_outside_the_plans_year_is_refused() {
    let env = Env::fixture("minimal");
    for (kind, period) in [
        ("quarter", "2019-Q1"),
        ("quarter", "2020-Q4"),
        ("half", "2022-H1"),
        ("year", "2022"),
        ("officers", "2020"),
    ] {
        let out = env.run(&["report", kind, period, "--as-of", "2021-06-20"]);
        assert_eq!(code(&out), 2, "{kind} {period}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert!(
            stderr(&out).contains(&format!(
                "'{period}' is outside the plan's year 2021 (15/12/2020 to 14/12/2021)"
            )),
            "{}",
            stderr(&out)
        );
    }
    let out = env.run(&[
        "report",
        "quarter",
        "2019-Q1",
        "--as-of",
        "2021-06-20",
        "--lang",
        "vi",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("'2019-Q1' nằm ngoài năm 2021 của kế hoạch"),
        "{}",
        stderr(&out)
    );
    // The first and last quarters of the plan's year are its own.
    for period in ["2021-Q1", "2021-Q4"] {
        let out = env.run(&["report", "quarter", period, "--as-of", "2021-12-20"]);
        assert_eq!(code(&out), 0, "{period}: {}", stderr(&out));
    }
}
