//! The one-stop statistics as provinces publish them: the monthly report and the statistics
//! table of the period reports.

use crate::harness::{Env, code, json, stderr, stdout};

#[test]
fn the_monthly_report_of_june_2021_on_the_sample() {
    let env = Env::shipped();
    let out = env.run(&["report", "month", "2021-06", "--as-of", "2022-01-15"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    insta::assert_snapshot!("report_month_2021_06", stdout(&out));

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
