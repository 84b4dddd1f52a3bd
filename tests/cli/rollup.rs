//! `kehoach rollup`: many communes' reports added up into one.

use serde_json::{Value, json};

use crate::harness::*;

/// The three communes of tests/fixtures/rollup: An Phú as a folder, Bình Minh as the JSON
/// report its folder makes, Cẩm Lộc as a folder whose data has an error (E204, a 31 February).
fn three_communes() -> Env {
    let env = Env::fixture("rollup");
    let out = env.run(&[
        "-C",
        "xa-binh-minh",
        "report",
        "quarter",
        "2021-Q1",
        "--format",
        "json",
        "-o",
        "binh-minh-2021-Q1.json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    env
}

fn rollup(env: &Env, args: &[&str]) -> std::process::Output {
    let mut all = vec!["rollup", "2021-Q1"];
    all.extend(args);
    env.run(&all)
}

#[test]
fn three_fixture_communes_add_up_to_the_hand_counted_totals() {
    let env = three_communes();
    let out = rollup(
        &env,
        &[
            "xa-an-phu",
            "binh-minh-2021-Q1.json",
            "xa-cam-lo",
            "--format",
            "json",
        ],
    );
    // Cẩm Lộc is left out and named: the report is written, the exit status says so.
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let r = json(&out);

    // Quý I/2021 under nd09 is 15/12/2020–14/03/2021, judged at 14/03/2021. Counted by hand
    // from the fixture's records/dossiers.csv:
    // An Phú: A6 received 10/12/2020, due 11/12, returned 20/12 → carried in, resolved late (no
    //   reason, no apology); A1 returned on its due date → on time; A2 the day before → early;
    //   A7 withdrawn → ended without result; A3 returned two days late (with a reason, no
    //   apology) → late; A4 due 02/03, still open at 14/03 → pending overdue (no reason, no
    //   apology); A5 due 15/03 → pending in time.
    //   carried in 1, received 6, total 7; resolved 4 (early 1, on time 1, late 2); pending 2
    //   (in time 1, overdue 1); ended 1; late without reason 1 (A6, returned late without one;
    //   A4 is pending overdue, not returned late); without apology 3.
    // Bình Minh: B1, B2 on time; B3 one day late, with a reason and an apology; B4 received
    //   22/03, after the quarter → not counted.
    //   carried in 0, received 3, total 3; resolved 3 (on time 2, late 1); nothing pending.
    // Sums: carried in 1, received 9, total 10; resolved 7 (early 1, on time 3, late 3);
    // pending 2 (1 + 1); ended 1; late without reason 1; without apology 3;
    // on-time rate (1 + 3) / 7 = 57.14%; with the backlog 1 − (3 + 1) / 10 = 60%.
    let d = &r["dossiers"];
    assert_eq!(d["carried_in"], 1);
    assert_eq!(d["received"], 9);
    assert_eq!(d["total"], 10);
    assert_eq!(
        d["resolved"],
        json!({"total": 7, "early": 1, "on_time": 3, "late": 3})
    );
    assert_eq!(
        d["pending"],
        json!({"total": 2, "in_time": 1, "overdue": 1})
    );
    assert_eq!(d["ended_without_result"], 1);
    assert_eq!(d["late_without_reason"], 1);
    assert_eq!(d["without_apology"], 3);
    assert_eq!(d["on_time_rate"], 57.14);
    assert_eq!(d["on_time_rate_backlog"], 60.0);

    // Violations: An Phú 2 (a reminder on 15/01; a reprimand on 01/03, formal, vp1's second of
    // the year: a repeat), Bình Minh 1 not handled yet → 3, formal 1, repeats 1, pending 1.
    let v = &r["violations"];
    assert_eq!(v["total"], 3);
    assert_eq!(v["formal_discipline"], 1);
    assert_eq!(v["repeats"], 1);
    assert_eq!(v["pending"], 1);
    assert_eq!(
        v["by_action"],
        json!([
            {"kind": "reminder", "label": "Nhắc nhở", "count": 1},
            {"kind": "reprimand", "label": "Khiển trách", "count": 1}
        ])
    );
    // Commendations: An Phú 1, Bình Minh 0.
    assert_eq!(r["commendations"]["total"], 1);
    // Feedback: An Phú a form (satisfied, answered) and a box (dissatisfied, not answered);
    // Bình Minh online (very satisfied, answered) and a phone call (unrated, not answered).
    // Rated 3, satisfied 2: 66.67%.
    let f = &r["feedback"];
    assert_eq!(f["total"], 4);
    assert_eq!(f["handled"], 2);
    assert_eq!(f["unhandled"], 2);
    assert_eq!(f["unrated"], 1);
    let counts = |list: &Value| -> Vec<(String, u64)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["kind"].as_str().unwrap().to_string(),
                    k["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        counts(&f["by_rating"]),
        [("very-satisfied", 1), ("satisfied", 1), ("dissatisfied", 1)]
            .map(|(k, n)| (k.to_string(), n))
    );
    assert_eq!(
        counts(&f["by_channel"]),
        [
            ("box", 1),
            ("form", 1),
            ("phone", 1),
            ("in-person", 0),
            ("online", 1)
        ]
        .map(|(k, n)| (k.to_string(), n))
    );
    assert_eq!(f["satisfaction_rate"], 66.67);
    // The one recurring duty, a dissemination each quarter: An Phú did it on 20/01 (met),
    // Bình Minh recorded no activity (missed).
    assert_eq!(
        r["duties"],
        json!({"met": 1, "missed": 1, "waived": 0, "open": 0})
    );

    // One row per commune consolidated, by on-time rate: Bình Minh 2/3, An Phú 2/4.
    let members = r["members"].as_array().unwrap();
    let row = |m: &Value| {
        (
            m["rank"].as_u64().unwrap(),
            m["name"].as_str().unwrap().to_string(),
            m["received"].as_u64().unwrap(),
            m["resolved"].as_u64().unwrap(),
            m["on_time_rate"].as_f64().unwrap(),
            m["overdue"].as_u64().unwrap(),
            m["violations"].as_u64().unwrap(),
            m["missed_duties"].as_u64().unwrap(),
        )
    };
    assert_eq!(
        members.iter().map(row).collect::<Vec<_>>(),
        [
            (1, "Xã Bình Minh".to_string(), 3, 3, 66.67, 1, 1, 1),
            (2, "Xã An Phú".to_string(), 6, 4, 50.0, 3, 2, 0),
        ]
    );
    assert_eq!(members[0]["source"], "binh-minh-2021-Q1.json");

    // Cẩm Lộc: named by its plan, with the reason.
    assert_eq!(
        r["communes"],
        json!({"sources": 3, "consolidated": 2, "left_out": 1})
    );
    let left = &r["left_out"][0];
    assert_eq!(left["name"], "Xã Cẩm Lộc");
    assert_eq!(left["source"], "xa-cam-lo");
    assert_eq!(left["reason"], "data_errors");
    assert_eq!(
        left["reason_text_en"],
        "its data has 1 errors (see `kehoach check`)"
    );
    assert!(
        stderr(&out).contains("left out: Xã Cẩm Lộc (xa-cam-lo): its data has 1 errors"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_same_rollup_as_markdown() {
    let env = three_communes();
    env.write(
        "rollup.toml",
        r#"authority = "Sở Nội vụ tỉnh Hà Tĩnh"
parent_authority = "Ủy ban nhân dân tỉnh Hà Tĩnh"
place = "Hà Tĩnh"
symbol = "BC-SNV"
recipients = ["Ủy ban nhân dân tỉnh (để báo cáo)", "Lưu: VT, CCHC"]
sources = ["xa-an-phu", "*.json", "xa-cam-lo"]

[signer]
authority_line = "KT. GIÁM ĐỐC"
title = "PHÓ GIÁM ĐỐC"
name = "Trần Văn Minh"

[[communes]]
name = "Xã Đức Lạc"
source = "bao-cao/duc-lac.json"
"#,
    );
    let out = rollup(&env, &["rollup.toml", "--number", "45"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    insta::assert_snapshot!("rollup_three_communes_md", stdout(&out));
}

#[test]
fn with_allow_errors_a_commune_with_errors_is_added_and_still_named() {
    let env = three_communes();
    let out = rollup(&env, &["xa-cam-lo", "--allow-errors", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r = json(&out);
    // Cẩm Lộc's one dossier has no valid due date, so it is not counted; its duty was met.
    assert_eq!(r["dossiers"]["total"], 0);
    assert_eq!(r["duties"]["met"], 1);
    assert_eq!(r["generated"]["data_errors"], 1);
    assert_eq!(r["members"][0]["name"], "Xã Cẩm Lộc");
    assert_eq!(r["members"][0]["data_errors"], 1);
    assert_eq!(r["members"][0]["on_time_rate"], Value::Null);
}

#[test]
fn members_of_another_period_scheme_or_date_are_named_not_added() {
    let env = three_communes();
    // Bình Minh's report of another quarter, and one made before the quarter ended.
    for (args, file) in [
        (vec!["--as-of", "2021-12-31"], "q2.json"),
        (vec!["--as-of", "2021-03-01"], "early.json"),
    ] {
        let period = if file == "q2.json" {
            "2021-Q2"
        } else {
            "2021-Q1"
        };
        let mut all = vec!["-C", "xa-binh-minh"];
        all.extend(args);
        all.extend(["report", "quarter", period, "--format", "json", "-o"]);
        let target = env.path().join(file);
        all.push(target.to_str().unwrap());
        let made = env.run(&all);
        assert_eq!(code(&made), 0, "{}", stderr(&made));
    }
    // An Phú under the calendar scheme.
    let plan = env.read("xa-an-phu/plan.toml");
    env.write(
        "xa-an-phu/plan.toml",
        plan.replace("periods = \"nd09\"", "periods = \"calendar\""),
    );
    let out = rollup(
        &env,
        &[
            "q2.json",
            "early.json",
            "xa-an-phu",
            "missing-folder",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let r = json(&out);
    let reasons: Vec<(String, String, String)> = r["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                l["reason"].as_str().unwrap().to_string(),
                l["reason_text_en"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "Xã Bình Minh".into(),
                "other_period".into(),
                "is the report of another period (2021-Q2)".into()
            ),
            (
                "Xã Bình Minh".into(),
                "other_period".into(),
                "its figures stop at 01/03/2021 (made before the period ended)".into()
            ),
            (
                "Xã An Phú".into(),
                "other_scheme".into(),
                "uses another period scheme (calendar): cannot be added".into()
            ),
            (
                "missing-folder".into(),
                "missing".into(),
                "no report (no folder or file there)".into()
            ),
        ]
    );
    assert_eq!(r["communes"]["consolidated"], 0);
    assert_eq!(r["dossiers"]["total"], 0);
}

#[test]
fn an_unreadable_member_is_reported_and_the_rest_consolidated() {
    let env = three_communes();
    env.write("broken.json", "{\"kind\": \"quarter\", \"generated\": ");
    let out = rollup(&env, &["xa-an-phu", "broken.json", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let r = json(&out);
    assert_eq!(r["communes"]["consolidated"], 1);
    assert_eq!(r["dossiers"]["total"], 7);
    assert_eq!(r["left_out"][0]["name"], "broken.json");
    assert_eq!(r["left_out"][0]["reason"], "unreadable");
    let text = r["left_out"][0]["reason_text_en"].as_str().unwrap();
    assert!(text.starts_with("could not be read: 1:"), "{text}");
}

#[test]
fn a_bad_rollup_toml_or_period_stops_with_status_2() {
    let env = three_communes();
    env.write("rollup.toml", "place = \"Hà Tĩnh\"\nsigner_name = \"x\"\n");
    let out = rollup(&env, &["rollup.toml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("rollup.toml: 2:1:"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["rollup", "2021-03", "xa-an-phu"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not a quarter, half-year or year"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_scripted_run_names_the_period_relative_to_as_of() {
    let env = three_communes();
    let members = ["xa-an-phu", "binh-minh-2021-Q1.json", "--format", "json"];
    let run = |period: &str, as_of: &str| {
        let mut args = vec!["--as-of", as_of, "rollup", period];
        args.extend(members);
        let out = env.run(&args);
        json(&out)
    };
    // Under nd09 quarter I ends on 14/03: as of 20/03/2021 it is the last one, and the JSON
    // report of Bình Minh (judged at its last day) is consolidated as with the explicit code.
    let explicit = run("2021-Q1", "2021-03-20");
    let last = run("last", "2021-03-20");
    assert_eq!(last["period"], explicit["period"]);
    assert_eq!(last, explicit);
    assert_eq!(last["period"]["code"], "2021-Q1", "{last}");
    let half = run("current-half", "2021-03-20");
    assert_eq!(half["period"]["code"], "2021-H1", "{half}");
    let out = env.run(&["rollup", "last-month", "xa-an-phu"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn a_commune_given_twice_is_added_up_once() {
    let env = three_communes();
    let once = json(&rollup(
        &env,
        &["binh-minh-2021-Q1.json", "--format", "json"],
    ));
    // Bình Minh's folder, then its own JSON report, then a copy of its folder (the same path
    // given twice is read once: that is not a duplicate, see docs/rollup.md).
    copy_dir(
        &env.path().join("xa-binh-minh"),
        &env.path().join("ban-sao-binh-minh"),
    );
    let out = rollup(
        &env,
        &[
            "xa-binh-minh",
            "binh-minh-2021-Q1.json",
            "./xa-binh-minh/",
            "ban-sao-binh-minh",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let twice = json(&out);
    assert_eq!(twice["dossiers"], once["dossiers"]);
    assert_eq!(twice["communes"]["consolidated"], 1);
    let left: Vec<_> = twice["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["source"].as_str().unwrap(), l["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        left,
        [
            ("binh-minh-2021-Q1.json", "duplicate"),
            ("ban-sao-binh-minh", "duplicate")
        ]
    );
    assert!(
        stderr(&out).contains("the same commune as xa-binh-minh, already added once"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_output_never_overwrites_a_members_data() {
    let env = three_communes();
    let before = env.read("xa-an-phu/plan.toml");
    for target in ["xa-an-phu/plan.toml", "xa-an-phu/records/dossiers.csv"] {
        let out = rollup(&env, &["xa-an-phu", "-o", target]);
        assert_eq!(code(&out), 2, "{target}: {}", stderr(&out));
    }
    assert_eq!(env.read("xa-an-phu/plan.toml"), before);
}

#[test]
fn n_copies_of_the_sample_are_n_times_its_figures() {
    const N: u64 = 3;
    let env = Env::shipped();
    let one = json(&env.run(&["report", "year", "2021", "--format", "json"]));
    let copies = tempfile::tempdir().unwrap();
    let mut sources = Vec::new();
    for i in 0..N {
        let dir = copies.path().join(format!("xa-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        // N communes with the sample's data: the same commune given N times would be a
        // duplicate, added up once.
        let plan = env.read("plan.toml").replace(
            "authority = \"Ủy ban nhân dân xã Sơn Hồng\"",
            &format!("authority = \"Ủy ban nhân dân xã Sơn Hồng {i}\""),
        );
        assert!(plan.contains(&format!("xã Sơn Hồng {i}\"")));
        std::fs::write(dir.join("plan.toml"), plan).unwrap();
        copy_dir(&env.path().join("records"), &dir.join("records"));
        sources.push(dir.to_str().unwrap().to_string());
    }
    let mut args = vec!["rollup", "2021", "--format", "json"];
    args.extend(sources.iter().map(String::as_str));
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let all = json(&out);

    let times = |v: &Value| Value::from(v.as_u64().unwrap() * N);
    let d1 = &one["dossiers"];
    let dn = &all["dossiers"];
    for key in [
        "carried_in",
        "received",
        "total",
        "ended_without_result",
        "late_without_reason",
        "without_apology",
        "withdrawn",
        "stopped",
        "refused",
        "supplements",
        "apologies",
    ] {
        assert_eq!(dn[key], times(&d1[key]), "dossiers.{key}");
    }
    for key in [
        "direct",
        "postal",
        "online",
        "online_full",
        "online_partial",
    ] {
        let (c1, cn) = (&d1["received_by_channel"], &dn["received_by_channel"]);
        assert_eq!(cn[key], times(&c1[key]), "received_by_channel.{key}");
    }
    // The sample has every channel and refusals: the sums are not of zeros.
    assert!(d1["received_by_channel"]["online"].as_u64().unwrap() > 0);
    assert!(d1["refused"].as_u64().unwrap() > 0);
    assert_eq!(dn["online_share"], d1["online_share"]);
    let reasons = |v: &Value| -> Vec<(String, u64)> {
        v["late_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["reason"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let one_reasons = reasons(d1);
    assert!(!one_reasons.is_empty());
    let n_reasons: Vec<(String, u64)> = one_reasons
        .iter()
        .map(|(r, c)| (r.clone(), c * N))
        .collect();
    assert_eq!(reasons(dn), n_reasons);
    for (group, keys) in [
        ("resolved", &["total", "early", "on_time", "late"][..]),
        ("pending", &["total", "in_time", "overdue"][..]),
    ] {
        for key in keys {
            assert_eq!(dn[group][key], times(&d1[group][key]), "{group}.{key}");
        }
    }
    // The rates of N equal communes are the commune's.
    assert_eq!(dn["on_time_rate"], d1["on_time_rate"]);
    assert_eq!(dn["on_time_rate_backlog"], d1["on_time_rate_backlog"]);
    for (i, f) in d1["by_field"].as_array().unwrap().iter().enumerate() {
        assert_eq!(dn["by_field"][i]["key"], f["key"]);
        assert_eq!(dn["by_field"][i]["total"], times(&f["total"]));
    }
    for key in ["total", "formal_discipline", "repeats", "pending"] {
        assert_eq!(
            all["violations"][key],
            times(&one["violations"][key]),
            "violations.{key}"
        );
    }
    assert_eq!(
        all["commendations"]["total"],
        times(&one["commendations"]["total"])
    );
    for key in ["total", "unrated", "handled", "unhandled"] {
        assert_eq!(
            all["feedback"][key],
            times(&one["feedback"][key]),
            "feedback.{key}"
        );
    }
    for list in ["by_rating", "by_channel"] {
        for (i, k) in one["feedback"][list].as_array().unwrap().iter().enumerate() {
            assert_eq!(all["feedback"][list][i]["count"], times(&k["count"]));
        }
    }
    let duty = |status: &str| -> u64 {
        one["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["obligations"].as_array().unwrap())
            .map(|o| o[status].as_u64().unwrap())
            .sum()
    };
    for status in ["met", "missed", "waived", "open"] {
        assert_eq!(all["duties"][status], duty(status) * N, "duties.{status}");
    }
    assert!(duty("met") > 0 && duty("missed") > 0);
    assert_eq!(all["members"].as_array().unwrap().len() as u64, N);
}

#[test]
fn html_and_docx_are_the_official_document() {
    let env = three_communes();
    let out = rollup(&env, &["xa-an-phu", "--format", "html", "-o", "r.html"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let html = env.read("r.html");
    assert!(html.contains("<h2>II. KẾT QUẢ TỪNG XÃ, PHƯỜNG</h2>"));
    assert!(html.contains("<td>Xã An Phú</td>"), "{html}");
    let out = rollup(&env, &["xa-an-phu", "--format", "docx", "-o", "r.docx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(env.path().join("r.docx")).unwrap();
    assert!(bytes.starts_with(b"PK"));
}

#[test]
fn xlsx_has_a_sheet_per_table_with_the_sums() {
    let env = three_communes();
    let out = rollup(
        &env,
        &[
            "xa-an-phu",
            "binh-minh-2021-Q1.json",
            "--format",
            "xlsx",
            "-o",
            "r.xlsx",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(env.path().join("r.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Tổng hợp hồ sơ",
            "Theo lĩnh vực",
            "Nguyên nhân trễ hạn",
            "Từng xã, phường",
            "Vi phạm, khen thưởng, góp ý",
            "Chưa tổng hợp",
        ]
    );
    let mut cells = |sheet: &str| -> Vec<Vec<String>> {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    // The hand-counted totals of the JSON test: 10 to handle, 7 resolved, 4 in time.
    let summary = cells("Tổng hợp hồ sơ");
    let value = |label: &str| {
        summary
            .iter()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label}: {summary:?}"))
    };
    assert_eq!(value("Tổng số phải giải quyết"), "10");
    assert_eq!(value("Đã giải quyết"), "7");
    let ranked: Vec<String> = cells("Từng xã, phường")
        .iter()
        .skip_while(|r| r[0] != "TT")
        .skip(1)
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(ranked, ["Xã Bình Minh", "Xã An Phú"]);
}
