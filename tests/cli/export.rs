//! `kehoach export --format parquet`: the files are read back with the parquet crate's reader.

use crate::harness::*;

#[test]
fn parquet_needs_an_output_folder() {
    let env = Env::fixture("minimal");
    let out = env.run(&["export", "--format", "parquet"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("needs -o DIR"), "{}", stderr(&out));
}

#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_parquet_is_refused() {
    let env = Env::fixture("minimal");
    let out = env.run(&["export", "--format", "parquet", "-o", "out"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--features parquet"),
        "{}",
        stderr(&out)
    );
}

#[cfg(feature = "parquet")]
mod parquet {
    use std::path::Path;

    use kehoach::arrow_array::{
        Array, BooleanArray, Date32Array, Int32Array, RecordBatch, StringArray,
    };
    use kehoach::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use crate::harness::*;

    fn file(root: &Path, kind: &str) -> std::path::PathBuf {
        root.join(format!(
            "kind={kind}/commune=xa-son-hong/year=2021/part-0.parquet"
        ))
    }

    /// The file as one batch (the files of these tests are small): empty with the file's
    /// schema when it has no rows.
    fn one_batch(path: &Path) -> RecordBatch {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = builder.schema().clone();
        let batches: Vec<RecordBatch> = builder
            .with_batch_size(1 << 20)
            .build()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            batches.len() <= 1,
            "{}: {} batches",
            path.display(),
            batches.len()
        );
        batches
            .into_iter()
            .next()
            .unwrap_or_else(|| RecordBatch::new_empty(schema))
    }

    #[test]
    fn the_sample_is_written_in_a_hive_layout_and_reads_back_whole() {
        let env = Env::shipped();
        let out = env.run(&["export", "--format", "parquet", "-o", "xuat"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let check = json(&env.run(&["check", "--format", "json"]));
        let rows = &check["summary"]["rows"];
        let root = env.path().join("xuat");
        // Every record of every kind, one row each; dossiers one row per dossier. The rows of
        // commitments/changes.csv judge the commitments (fill rows): they are no records.
        let fills = env.read("records/commitments/changes.csv").lines().count() as u64 - 1;
        for (kind, expected) in [
            ("activities", rows["activities"].as_u64().unwrap()),
            ("violations", rows["violations"].as_u64().unwrap()),
            ("commendations", rows["commendations"].as_u64().unwrap()),
            ("feedback", rows["feedback"].as_u64().unwrap()),
            ("commitments", rows["commitments"].as_u64().unwrap() - fills),
            ("ratings", rows["ratings"].as_u64().unwrap()),
            ("dossiers", check["summary"]["dossiers"].as_u64().unwrap()),
            (
                "findings",
                // The folder's data and work findings; not the history's (I4xx: the audit of
                // committed rows, which needs git and is not exported).
                check["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| !f["code"].as_str().unwrap().starts_with("I4"))
                    .count() as u64,
            ),
        ] {
            let batch = one_batch(&file(&root, kind));
            assert_eq!(batch.num_rows() as u64, expected, "{kind}");
            assert!(expected > 0, "{kind}");
            // No column shares a partition key's name: an engine reading the layout with
            // `hive_partitioning` would put the folder's value in its place (an activity's
            // kind read as 'activities', a rating's year as the plan's).
            for field in batch.schema().fields() {
                assert!(
                    !["kind", "commune", "year"].contains(&field.name().as_str()),
                    "{kind}: column {}",
                    field.name()
                );
            }
        }
        // The dossiers: the period's on-time rate as the README's DuckDB query takes it from
        // the derived columns is the year report's; on the sample, with no dossier judged
        // against a new appointment, it is also what the raw dates give.
        let d = one_batch(&file(&root, "dossiers"));
        let col = |name: &str| d.column(d.schema().index_of(name).unwrap()).clone();
        let date = |name: &str| {
            col(name)
                .as_any()
                .downcast_ref::<Date32Array>()
                .unwrap()
                .clone()
        };
        let (received, due, returned) = (date("received"), date("due"), date("returned"));
        let outcome = col("outcome");
        let outcome = outcome.as_any().downcast_ref::<StringArray>().unwrap();
        let on_time = col("on_time");
        let on_time = on_time.as_any().downcast_ref::<BooleanArray>().unwrap();
        let day = |s: &str| {
            (chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
                - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
            .num_days() as i32
        };
        let (start, end) = (day("2020-12-15"), day("2021-12-14"));
        let (mut resolved, mut in_time, mut by_dates) = (0u64, 0u64, 0u64);
        for i in 0..d.num_rows() {
            if outcome.is_null(i) || !["early", "on_time", "late"].contains(&outcome.value(i)) {
                continue;
            }
            let r = returned.value(i);
            if r < start || r > end || received.value(i) > end {
                continue;
            }
            resolved += 1;
            if on_time.value(i) {
                in_time += 1;
            }
            if r <= due.value(i) {
                by_dates += 1;
            }
        }
        let rate = (in_time as f64 * 10_000.0 / resolved as f64).round() / 100.0;
        let report = json(&env.run(&[
            "report",
            "year",
            "2021",
            "--format",
            "json",
            "--as-of",
            "2022-01-15",
        ]));
        assert_eq!(report["dossiers"]["resolved"]["total"], resolved);
        assert_eq!(report["dossiers"]["on_time_rate"], rate);
        assert_eq!(by_dates, in_time);
    }

    /// A request for more papers by the due date stops the clock, and the office's new
    /// appointment is the date the dossier is judged against: `outcome`, `on_time` and
    /// `days_late` judge it so, as the reports do, where `returned <= due` would call it late.
    /// The one-stop columns (channel, request for more papers, refusal reason) are there.
    #[test]
    fn a_request_for_more_papers_is_judged_as_the_reports_judge_it() {
        let env = Env::fixture("minimal");
        env.write(
            "records/dossiers.csv",
            "id,procedure,field,received,due,returned,status,officer,late_reason,apology,\
             rescheduled,note,channel,supplement,refusal_reason\n\
             S1,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-03,2021-03-08,,vp1,,,2021-03-10,,\
             online-full,2021-03-02,\n\
             S2,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-03,2021-03-05,,vp1,Chờ xác minh,\
             2021-03-03,,,direct,,\n\
             S3,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-03,2021-03-03,refused,vp1,,,,,postal,,\
             Không đủ điều kiện\n",
        );
        let out = env.run(&[
            "export",
            "dossiers",
            "--format",
            "parquet",
            "-o",
            "x",
            "--as-of",
            "2021-12-31",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let d = one_batch(&file(&env.path().join("x"), "dossiers"));
        let col = |name: &str| d.column(d.schema().index_of(name).unwrap()).clone();
        let texts = |name: &str| {
            let c = col(name);
            let c = c.as_any().downcast_ref::<StringArray>().unwrap();
            (0..3)
                .map(|i| (!c.is_null(i)).then(|| c.value(i).to_string()))
                .collect::<Vec<_>>()
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            texts("outcome"),
            [some("early"), some("late"), some("refused")]
        );
        assert_eq!(
            texts("channel"),
            [some("online-full"), some("direct"), some("postal")]
        );
        assert_eq!(
            texts("refusal_reason"),
            [None, None, some("Không đủ điều kiện")]
        );
        let supplement = col("supplement");
        assert!(!supplement.is_null(0) && supplement.is_null(1));
        let days_late = col("days_late");
        let days_late = days_late.as_any().downcast_ref::<Int32Array>().unwrap();
        assert!(days_late.is_null(0) && days_late.is_null(2));
        assert_eq!(days_late.value(1), 2);
        // The report's rate: S1 in time, S2 late (S3 ended without a result).
        let report = json(&env.run(&[
            "report",
            "quarter",
            "2021-Q1",
            "--format",
            "json",
            "--as-of",
            "2021-12-31",
        ]));
        assert_eq!(report["dossiers"]["on_time_rate"], 50.0);
        let on_time = col("on_time");
        let on_time = on_time.as_any().downcast_ref::<BooleanArray>().unwrap();
        assert!(on_time.value(0) && !on_time.value(1) && on_time.is_null(2));
    }

    #[test]
    fn kinds_can_be_chosen_and_a_second_export_replaces_the_first() {
        let env = Env::fixture("minimal");
        for _ in 0..2 {
            let out = env.run(&[
                "export",
                "dossiers",
                "violations",
                "--format",
                "parquet",
                "-o",
                "x",
            ]);
            assert_eq!(code(&out), 0, "{}", stderr(&out));
        }
        let root = env.path().join("x");
        let kinds: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(kinds, ["kind=dossiers", "kind=violations"]);
        // The minimal fixture: two dossiers (D2 on two rows), no violation: an empty file with
        // its schema.
        assert_eq!(one_batch(&file(&root, "dossiers")).num_rows(), 2);
        let v = one_batch(&file(&root, "violations"));
        assert_eq!(v.num_rows(), 0);
        assert_eq!(
            v.schema()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>(),
            [
                "date",
                "officer",
                "description",
                "task",
                "action",
                "formal",
                "decision",
                "note"
            ]
        );
        let d = one_batch(&file(&root, "dossiers"));
        let outcome = d.column(d.schema().index_of("outcome").unwrap()).clone();
        let outcome = outcome.as_any().downcast_ref::<StringArray>().unwrap();
        // D1 returned on its due date; D2 returned a day late (as of 2021-12-31).
        assert_eq!(
            (0..2).map(|i| outcome.value(i)).collect::<Vec<_>>(),
            ["on_time", "late"]
        );
    }
}
