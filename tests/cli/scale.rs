//! The two-thread reader of big dossier files gives exactly what the one-thread reader gives:
//! the same dossiers, the same findings at the same places, the same counts and statistics.

use kehoach::plan::Plan;
use kehoach::records::read::{LoadOptions, Loaded, load_with};

use crate::harness::Env;

fn load(env: &Env, parallel_min_bytes: u64) -> (Loaded, Plan) {
    let (_, plan) = Plan::load(env.path()).unwrap();
    let plan = plan.plan.unwrap();
    let loaded = load_with(env.path(), &plan, LoadOptions { parallel_min_bytes }).unwrap();
    (loaded, plan)
}

/// Everything a load produced, as comparable text, in an order that does not depend on how
/// the dossiers were stored.
fn summary(loaded: &Loaded) -> Vec<String> {
    let mut dossiers: Vec<String> = loaded
        .records
        .dossiers
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                d.id(),
                d.procedure(),
                d.field(),
                d.received,
                d.due,
                d.returned,
                d.status,
                d.officer(),
                d.late_reason(),
                d.apology,
                d.rescheduled,
                d.note(),
                d.opened(),
                d.returned_at()
            )
        })
        .collect();
    dossiers.sort();
    let mut findings: Vec<String> = loaded
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.location.display(),
                f.code.as_str(),
                f.message.render(kehoach::messages::Lang::En)
            )
        })
        .collect();
    findings.sort();
    let mut out = vec![format!("rows {:?}", loaded.records.rows)];
    out.extend(dossiers);
    out.extend(findings);
    out
}

#[test]
fn two_threads_read_the_sample_exactly_as_one() {
    let env = Env::shipped();
    let (one, plan) = load(&env, u64::MAX);
    let (two, _) = load(&env, 0);
    assert_eq!(one.records.dossiers.shard_count(), 1);
    assert_eq!(two.records.dossiers.shard_count(), 2);
    assert_eq!(summary(&one), summary(&two));
    // Every dossier is found by its id whatever its shard.
    for d in one.records.dossiers.iter() {
        assert!(two.records.dossiers.get(d.id()).is_some(), "{}", d.id());
    }
    let as_of = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
    let year = kehoach::period::Period::year(plan.reporting.periods, 2021);
    let stats = |l: &Loaded| {
        kehoach::report::stats::dossier_stats(
            &plan,
            &l.records.dossiers,
            year.start,
            year.end,
            as_of,
        )
    };
    assert_eq!(stats(&one), stats(&two));
    let work = |l: &Loaded| {
        let mut f: Vec<String> = kehoach::check::work_findings(
            &plan,
            &std::fs::read_to_string(env.path().join("plan.toml")).unwrap(),
            &l.records,
            as_of,
            kehoach::check::closed_through(as_of),
        )
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?}",
                f.location.display(),
                f.code.as_str(),
                f.message
            )
        })
        .collect();
        f.sort();
        f
    };
    assert_eq!(work(&one), work(&two));
}

#[test]
fn two_threads_find_the_same_faults() {
    let header = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";
    let bad_rows = [
        "D1,ht-khai-sinh,,2021-01-20,2021-01-21,2021-01-19,,vp1,,,,\n",
        "D2,ht-khai-sinh,,31/02/2021,2021-01-21,,,vp1,,,,\n",
        "D3,ht-khai-snih,,2021-01-20,2021-01-21,,,zz,,,,\n",
        "D4,ht-khai-sinh,,2021-01-20,2021-01-21,2021-01-21,,vp1,,,,\nD4,,,,,2021-01-22,,,,,,\n",
        "D5,,,,,2021-01-22,,,,,,\n",
        "D6,ht-khai-sinh,,2021-01-20\n",
        "D7,ht-khai-sinh,,2021-01-20,2021-01-21,,lost,vp1,,,,\n",
        "D8,ht-khai-sinh,,2021-01-20,2021-01-21,,withdrawn,vp1,,,,\n",
        ",,,,,,,,,,,\n",
        "\u{feff}\n",
        // Quoted cells with commas, a CRLF line end, a late reason then a different one, notes
        // joined, a quoted cell over two lines, a bad date among good ones.
        "D10,ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,2021-01-25,,vp1,\"Chờ xác minh, bổ sung\",,,\"ghi chú, một\"\r\n",
        "D10,,,,,,,,Khác,,,ghi chú hai\nD10,,,,,,,,,,,ghi chú ba\n",
        "D11,ht-khai-sinh,Hộ tịch,2021-01-20,2021-01-21,,,vp1,,,,\"hai\ndòng\"\n",
        "D12,ht-khai-sinh,Hộ tịch,2021-02-01,31/02/2021,,,vp1,,,,\n",
    ];
    let mut text = String::from(header);
    for i in 0..3000 {
        if i % 200 == 0 {
            text.push_str(bad_rows[(i / 200) % bad_rows.len()]);
        }
        text.push_str(&format!(
            "G{i},ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-02,,vp1,,,,\n"
        ));
    }
    for ending in [
        "",
        "D9,ht-khai-sinh,,2021-01-20,2021-01-21,,,vp1,,,\"chưa đóng ngoặc\n",
    ] {
        let env = Env::fixture("minimal");
        env.write("records/dossiers.csv", format!("{text}{ending}"));
        let (one, _) = load(&env, u64::MAX);
        let (two, _) = load(&env, 0);
        assert!(one.findings.len() >= 10, "{:?}", summary(&one));
        let d10 = one.records.dossiers.get("D10").unwrap();
        assert_eq!(d10.late_reason(), Some("Chờ xác minh, bổ sung"));
        assert_eq!(d10.note(), Some("ghi chú, một; ghi chú hai; ghi chú ba"));
        assert_eq!(
            one.records.dossiers.get("D11").unwrap().note(),
            Some("hai\ndòng")
        );
        assert_eq!(summary(&one), summary(&two));
    }
}
