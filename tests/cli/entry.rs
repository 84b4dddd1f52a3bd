//! Daily entry that never loses data: `add`, `dossier`, `import`, `init`.

use std::process::Output;

use crate::harness::{BIN, Env, code, stderr, stdout};

fn add(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["--as-of", "2021-03-05", "add"];
    all.extend(args);
    env.run(&all)
}

/// Each way `add` must refuse: exit 1, a message naming the problem, the file unchanged.
#[test]
fn every_add_error_leaves_the_file_byte_for_byte() {
    let env = Env::fixture("minimal");
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "add",
                "activity",
                "--task",
                "99",
                "--kind",
                "meeting",
                "--summary",
                "Họp",
            ],
            "records/activities.csv",
            "E211 unknown task '99'",
        ),
        (
            &[
                "add",
                "activity",
                "--date",
                "31/02/2021",
                "--task",
                "1",
                "--kind",
                "meeting",
                "--summary",
                "Họp",
            ],
            "records/activities.csv",
            "E204 date date 31/02/2021 is not a date",
        ),
        (
            &[
                "add",
                "activity",
                "--task",
                "1",
                "--kind",
                "liên hoan",
                "--summary",
                "Họp",
            ],
            "records/activities.csv",
            "E210 unknown kind 'liên hoan'",
        ),
        (
            &[
                "add",
                "violation",
                "--officer",
                "vp1",
                "--description",
                "Đi muộn",
                "--action",
                "phạt tiền",
            ],
            "records/violations.csv",
            "E210 unknown action 'phạt tiền'",
        ),
        (
            &["add", "feedback", "--channel", "fax"],
            "records/feedback.csv",
            "E210 unknown channel 'fax'",
        ),
        (
            &["add", "activity", "--task", "1", "--kind", "meeting"],
            "records/activities.csv",
            "E209 summary is required but empty",
        ),
        (
            &[
                "add",
                "commitment",
                "--officer",
                "Nguyễn Văn Không",
                "--task",
                "1",
                "--commitment",
                "x",
            ],
            "records/commitments.csv",
            "E212 unknown officer 'Nguyễn Văn Không'",
        ),
        (
            &["dossier", "return", "KHONG-CO", "--date", "2021-03-05"],
            "records/dossiers.csv",
            "no dossier KHONG-CO: open it first with `kehoach dossier open`",
        ),
        (
            // D1 was returned on 21/01/2021: a second return date is refused.
            &["dossier", "return", "D1", "--date", "2021-01-22"],
            "records/dossiers.csv",
            "E215 dossier D1: returned is already 21/01/2021; a later row cannot change it to 22/01/2021",
        ),
        (
            &[
                "dossier",
                "open",
                "--id",
                "D1",
                "--procedure",
                "ht-khai-sinh",
                "--received",
                "2021-03-01",
            ],
            "records/dossiers.csv",
            "E215 dossier D1: received is already 20/01/2021",
        ),
        (
            &[
                "dossier",
                "open",
                "--id",
                "D9",
                "--procedure",
                "Cấp phép xây dựng",
                "--received",
                "2021-03-01",
            ],
            "records/dossiers.csv",
            "is not in the [[procedures]] catalogue, so its due date cannot be computed: give --due",
        ),
    ];
    for (args, file, expected) in cases {
        let before = std::fs::read(env.path().join(file)).unwrap();
        let mut all = vec!["--as-of", "2021-03-05"];
        all.extend(*args);
        let out = env.run(&all);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in\n{err}"
        );
        assert!(err.contains("nothing written"), "{args:?}: {err}");
        assert_eq!(
            std::fs::read(env.path().join(file)).unwrap(),
            before,
            "{args:?} changed {file}"
        );
    }
}

#[test]
fn add_accepts_labels_names_and_day_first_dates_and_prints_the_row() {
    let env = Env::fixture("minimal");
    let out = add(
        &env,
        &[
            "activity",
            "--date",
            "5/3/2021",
            "--task",
            "NV 9",
            "--kind",
            "TIEP CONG DAN",
            "--summary",
            "Tiếp công dân, 2 lượt",
            "--officers",
            "Nguyễn Khánh Hoà",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "records/activities.csv:4: 2021-03-05,9,reception,\"Tiếp công dân, 2 lượt\",ct,,,,\n"
    );
    assert!(
        env.read("records/activities.csv")
            .ends_with("2021-03-05,9,reception,\"Tiếp công dân, 2 lượt\",ct,,,,\n")
    );
    // --dry-run shows and writes nothing.
    let before = env.read("records/activities.csv");
    let out = add(
        &env,
        &[
            "violation",
            "--officer",
            "vp1",
            "--description",
            "Đi làm muộn",
            "--action",
            "nhắc nhở",
            "--dry-run",
        ],
    );
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("2021-03-05,vp1,Đi làm muộn,,reminder,,"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.read("records/activities.csv"), before);
    assert_eq!(
        env.read("records/violations.csv"),
        "date,officer,description,task,action,decision,note\n"
    );
}

#[test]
fn the_dossier_life_in_plain_words() {
    let env = Env::fixture("minimal");
    let run = |args: &[&str]| {
        let out = env.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        out
    };
    // Friday 05/03/2021 + 1 working day = Monday 08/03/2021.
    let out = run(&[
        "--as-of",
        "2021-03-05",
        "dossier",
        "open",
        "--id",
        "H1",
        "--procedure",
        "Đăng ký khai sinh",
        "--officer",
        "vp1",
    ]);
    assert!(
        stdout(&out).ends_with("H1,ht-khai-sinh,,2021-03-05,2021-03-08,,,vp1,,,,\n"),
        "{}",
        stdout(&out)
    );
    run(&[
        "dossier",
        "apology",
        "H1",
        "--date",
        "08/03/2021",
        "--rescheduled",
        "10/03/2021",
        "--late-reason",
        "Chờ xác minh",
    ]);
    let out = run(&["dossier", "return", "H1", "--date", "10/03/2021"]);
    assert!(
        stderr(&out).is_empty(),
        "a late return with its reason and apology warns of nothing: {}",
        stderr(&out)
    );
    run(&[
        "--as-of",
        "2021-03-09",
        "dossier",
        "open",
        "--id",
        "H2",
        "--procedure",
        "ht-khai-sinh",
    ]);
    run(&["dossier", "withdraw", "H2", "--date", "2021-03-10"]);
    // A late return without a reason is recorded, and the lapse is said.
    run(&[
        "--as-of",
        "2021-03-09",
        "dossier",
        "open",
        "--id",
        "H3",
        "--procedure",
        "ht-khai-sinh",
    ]);
    let out = run(&["dossier", "return", "H3", "--date", "2021-03-15"]);
    assert!(stderr(&out).contains("W308 dossier H3"), "{}", stderr(&out));
    let text = env.read("records/dossiers.csv");
    let tail: Vec<&str> = text.lines().skip(4).collect();
    assert_eq!(
        tail,
        [
            "H1,ht-khai-sinh,,2021-03-05,2021-03-08,,,vp1,,,,",
            "H1,,,,,,,,Chờ xác minh,2021-03-08,2021-03-10,",
            "H1,,,,,2021-03-10,,,,,,",
            "H2,ht-khai-sinh,,2021-03-09,2021-03-10,,,,,,,",
            "H2,,,,,2021-03-10,withdrawn,,,,,",
            "H3,ht-khai-sinh,,2021-03-09,2021-03-10,,,,,,,",
            "H3,,,,,2021-03-15,,,,,,",
        ]
    );
    let out = env.run(&["check", "--as-of", "2021-03-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// Two processes adding 200 rows each to the same file at once: 400 whole rows.
#[test]
fn two_clerks_adding_at_once_both_land_whole() {
    let env = Env::fixture("minimal");
    let dir = env.path().to_path_buf();
    let clerk = |who: &'static str| {
        let dir = dir.clone();
        std::thread::spawn(move || {
            for i in 0..200 {
                let summary = format!("Hoạt động {i:03} của {who}, ghi đồng thời");
                let out = std::process::Command::new(BIN)
                    .current_dir(&dir)
                    .env_clear()
                    .args([
                        "--lang",
                        "en",
                        "--as-of",
                        "2021-03-05",
                        "add",
                        "activity",
                        "--task",
                        "1",
                        "--kind",
                        "meeting",
                        "--summary",
                        &summary,
                        "--officers",
                        who,
                        "--evidence",
                        "BB",
                    ])
                    .output()
                    .unwrap();
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let (a, b) = (clerk("ct"), clerk("vp1"));
    a.join().unwrap();
    b.join().unwrap();
    let text = env.read("records/activities.csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1 + 2 + 400,
        "header, 2 fixture rows, 400 new rows"
    );
    for who in ["ct", "vp1"] {
        for i in 0..200 {
            let row = format!(
                "2021-03-05,1,meeting,\"Hoạt động {i:03} của {who}, ghi đồng thời\",{who},BB,,,"
            );
            assert_eq!(lines.iter().filter(|l| **l == row).count(), 1, "{row}");
        }
    }
    let out = env.run(&["check", "--as-of", "2021-03-31", "--format", "json"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        crate::harness::json(&out)["summary"]["rows"]["activities"],
        402
    );
}

/// A crash in the middle of a write leaves a cut-off last line without its newline. The next
/// add still lands whole on its own line, and check points at the cut-off row and nothing else.
#[test]
fn a_cut_off_row_does_not_swallow_the_next_one() {
    let env = Env::fixture("minimal");
    let path = env.path().join("records/activities.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice("2021-03-04,1,meeting,Họp giao b".as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let out = add(
        &env,
        &[
            "activity",
            "--task",
            "1",
            "--kind",
            "meeting",
            "--summary",
            "Họp giao ban",
            "--evidence",
            "BB 3",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did not end with a newline"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "records/activities.csv:5: 2021-03-05,1,meeting,Họp giao ban,,BB 3,,,\n"
    );
    let out = env.run(&["check", "--as-of", "2021-03-31", "--format", "json"]);
    let doc = crate::harness::json(&out);
    let errors: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "E208");
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(doc["summary"]["rows"]["activities"], 4);
}

const HEADER_VI: &str = "Mã hồ sơ;Tên thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Trạng thái;Cán bộ xử lý;Chủ hồ sơ;Ghi chú";
const ROWS_VI: [&str; 3] = [
    "000.00.27.H42-210301-0001;Đăng ký khai sinh;Hộ tịch;01/03/2021 08:15;02/03/2021;02/03/2021;Đã trả kết quả;Phạm Thị Cúc;Trần Văn Thủy;Nộp trực tiếp",
    "000.00.27.H42-210301-0002;Đăng ký khai sinh;Hộ tịch;01/03/2021;02/03/2021;;Đang xử lý;Nguyễn Khánh Hoà;Lê Thị Hòa;",
    "000.00.27.H42-210302-0001;Chứng thực bản sao;Chứng thực;02/03/2021;03/03/2021;04/03/2021;;Nguyễn Khánh Hòa;Đỗ Văn Khỏe;Trả qua bưu điện",
];

fn table(sep: &str, eol: &str) -> String {
    let mut s = HEADER_VI.replace(';', sep);
    s.push_str(eol);
    for row in ROWS_VI {
        s.push_str(&row.replace(';', sep));
        s.push_str(eol);
    }
    s
}

/// Windows' own Vietnamese code page writes the tone marks as separate characters.
fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut split = String::new();
    for c in text.chars() {
        let d: Vec<char> = c.nfd().collect();
        split.extend(
            d.iter()
                .filter(|c| !tones.contains(c))
                .copied()
                .collect::<String>()
                .nfc(),
        );
        split.extend(d.iter().filter(|c| tones.contains(c)));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
    assert!(!unmappable);
    bytes.into_owned()
}

fn import(env: &Env, file: &str, bytes: &[u8]) -> Output {
    env.write(file, bytes);
    env.run(&["import", "dossiers", file])
}

#[test]
fn the_same_dossiers_from_any_office_file_give_the_same_records() {
    use unicode_normalization::UnicodeNormalization;
    let utf8_bom_semicolon_crlf =
        [b"\xef\xbb\xbf".as_slice(), table(";", "\r\n").as_bytes()].concat();
    let cp1258 = windows_1258(&table(";", "\r\n"));
    let utf16_tabs: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            table("\t", "\r\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let nfd: String = table(",", "\n").nfd().collect();
    let variants: [(&str, Vec<u8>); 4] = [
        ("UTF-8 with BOM, ';', CRLF", utf8_bom_semicolon_crlf),
        ("Windows-1258", cp1258),
        ("UTF-16LE with tabs", utf16_tabs),
        ("UTF-8 in NFD", nfd.into_bytes()),
    ];
    let mut results = Vec::new();
    for (name, bytes) in variants {
        let env = Env::fixture("minimal");
        let out = import(&env, "so-theo-doi.csv", &bytes);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Imported 3 rows into records/dossiers.csv"),
            "{name}: {}",
            stdout(&out)
        );
        results.push((name, env.read("records/dossiers.csv")));
        // Importing the same file again adds nothing.
        let before = env.read("records/dossiers.csv");
        let out = import(&env, "so-theo-doi.csv", &bytes);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Imported 0 rows")
                && stdout(&out).contains("skipped 3 already present"),
            "{name}: {}",
            stdout(&out)
        );
        assert_eq!(
            env.read("records/dossiers.csv"),
            before,
            "{name}: the second import changed the records"
        );
        let out = env.run(&["check", "--as-of", "2021-03-31"]);
        assert_eq!(code(&out), 0, "{name}: {}", stdout(&out));
    }
    let (_, first) = &results[0];
    assert!(first.ends_with(
        "000.00.27.H42-210301-0001,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-02,,vp1,,,,Nộp trực tiếp\n\
         000.00.27.H42-210301-0002,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,ct,,,,\n\
         000.00.27.H42-210302-0001,Chứng thực bản sao,Chứng thực,2021-03-02,2021-03-03,2021-03-04,,ct,,,,Trả qua bưu điện\n"
    ), "{first}");
    for (name, text) in &results[1..] {
        assert_eq!(text, first, "{name} differs from UTF-8");
    }
}

#[test]
fn a_later_export_adds_only_the_new_facts() {
    let env = Env::fixture("minimal");
    let first = format!("{HEADER_VI}\n{}\n{}\n", ROWS_VI[0], ROWS_VI[1]);
    assert_eq!(code(&import(&env, "a.csv", first.as_bytes())), 0);
    // A week later the book has the second dossier's return date and a new dossier.
    let later = format!(
        "{HEADER_VI}\n{}\n{}\n{}\n",
        ROWS_VI[0],
        ROWS_VI[1].replace(
            "02/03/2021;;Đang xử lý",
            "02/03/2021;03/03/2021;Đã trả kết quả"
        ),
        ROWS_VI[2]
    );
    let out = import(&env, "b.csv", later.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Imported 2 rows")
            && stdout(&out).contains("skipped 1 already present"),
        "{}",
        stdout(&out)
    );
    assert!(
        env.read("records/dossiers.csv")
            .contains("\n000.00.27.H42-210301-0002,,,,,2021-03-03,,,,,,\n")
    );
}

/// Past 20 rows, `import` says the runs of lines it added and skipped rather than every row;
/// `--verbose` lists every row.
#[test]
fn a_big_import_says_runs_of_lines_and_verbose_lists_each_row() {
    let env = Env::fixture("minimal");
    let row = |i: usize| format!("K{i:03};Đăng ký khai sinh;01/03/2021;02/03/2021;02/03/2021\n");
    let header = "Mã hồ sơ;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả\n";
    let first: String = std::iter::once(header.to_string())
        .chain((0..25).map(row))
        .collect();
    let lines_before = env.read("records/dossiers.csv").lines().count() as u64;
    let out = import(&env, "big.csv", first.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert_eq!(
        said,
        format!(
            "+ 25 rows of big.csv (lines 2–26) → records/dossiers.csv:{}–{} (--verbose lists each row)\n\
             Imported 25 rows into records/dossiers.csv (big.csv (dossiers), encoding UTF-8); skipped 0 already present.\n",
            lines_before + 1,
            lines_before + 25
        )
    );
    // The same rows with new ones between them: the new are listed, the others said in runs.
    let mut second = header.to_string();
    for i in 0..25 {
        second.push_str(&row(i));
        if i % 10 == 4 {
            second.push_str(&row(100 + i));
        }
    }
    let out = import(&env, "big.csv", second.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    let end = lines_before + 25;
    assert_eq!(
        said,
        format!(
            "+ big.csv:7 → records/dossiers.csv:{}: K104,ht-khai-sinh,,2021-03-01,2021-03-02,2021-03-02,,,,,,,,,\n\
             + big.csv:18 → records/dossiers.csv:{}: K114,ht-khai-sinh,,2021-03-01,2021-03-02,2021-03-02,,,,,,,,,\n\
             + big.csv:29 → records/dossiers.csv:{}: K124,ht-khai-sinh,,2021-03-01,2021-03-02,2021-03-02,,,,,,,,,\n\
             = 25 rows of big.csv already present, skipped (lines 2–6, 8–17, 19–28)\n\
             Imported 3 rows into records/dossiers.csv (big.csv (dossiers), encoding UTF-8); skipped 25 already present.\n",
            end + 1,
            end + 2,
            end + 3
        )
    );
    // `--verbose`: every row skipped, one by one.
    env.write("big.csv", second.as_bytes());
    let out = env.run(&["import", "dossiers", "big.csv", "--verbose", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert_eq!(
        said.lines().filter(|l| l.starts_with("= big.csv:")).count(),
        28,
        "{said}"
    );
    assert!(
        said.contains("= big.csv:28: already present, skipped\n"),
        "{said}"
    );
}

#[test]
fn a_bad_row_in_the_middle_leaves_the_records_untouched() {
    let env = Env::fixture("minimal");
    let before = env.read("records/dossiers.csv");
    let bad = format!(
        "{HEADER_VI}\n{}\n{}\n{}\n",
        ROWS_VI[0],
        ROWS_VI[1].replace("01/03/2021;02/03/2021", "31/02/2021;02/03/2021"),
        ROWS_VI[2]
    );
    let out = import(&env, "bad.csv", bad.as_bytes());
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("bad.csv:3:4: E204 received date 31/02/2021 is not a date"),
        "{err}"
    );
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(env.read("records/dossiers.csv"), before);
    // An unknown header stops it too, before any row, with a way out.
    let out = import(&env, "odd.csv", "Mã hồ sơ;Màu bìa\nX;xanh\n".as_bytes());
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "odd.csv:1:2: E206 unknown column 'Màu bìa' for dossiers; name it with --map"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}

#[test]
fn init_makes_a_folder_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ke-hoach-2026");
    let run = |args: &[&str]| {
        std::process::Command::new(BIN)
            .current_dir(dir.path())
            .env_clear()
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["init", "ke-hoach-2026"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for kind in [
        "activities",
        "dossiers",
        "violations",
        "commendations",
        "feedback",
        "commitments",
    ] {
        let text = std::fs::read_to_string(target.join(format!("records/{kind}.csv"))).unwrap();
        assert_eq!(text.lines().count(), 1, "{kind}: a header only");
    }
    let attributes = std::fs::read_to_string(target.join(".gitattributes")).unwrap();
    assert!(attributes.contains("records/*.csv merge=union"));
    assert!(attributes.contains("*.csv text eol=lf"));
    let out = run(&["-C", "ke-hoach-2026", "--as-of", "2026-01-02", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Adding to the new folder works.
    let out = run(&[
        "-C",
        "ke-hoach-2026",
        "--as-of",
        "2026-01-09",
        "add",
        "activity",
        "--task",
        "1",
        "--kind",
        "reception",
        "--summary",
        "Tiếp công dân",
        "--officers",
        "ct",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second init does not overwrite.
    let out = run(&["init", "ke-hoach-2026"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a plan.toml"));
}

/// A big import (more rows than the reading thread hands over at once) writes exactly what
/// the row-by-row encoder writes: into a file with the kind's columns in order, where a row
/// that needs no quotes goes out as it was read, and into a file with the same columns in
/// another order, where every row is encoded again. Rows needing quotes, return rows of
/// dossiers opened earlier in the file, a repeated row (skipped) and a row repeating known
/// facts (written without them) lie in later batches.
#[test]
fn a_big_import_writes_the_same_rows_whatever_the_column_order() {
    let header = "Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Ghi chú\n";
    let open = |i: usize| {
        let day = 1 + i % 20;
        format!(
            "K{i:05},Đăng ký khai sinh,{day:02}/03/2021,{:02}/03/2021,,\n",
            day + 1
        )
    };
    let mut source = header.to_string();
    for i in 0..3000 {
        source.push_str(&match i {
            1500 => {
                "K01500,Đăng ký khai sinh,05/03/2021,06/03/2021,,\"Nộp \"\"gấp\"\", có ủy quyền\"\n"
                    .to_string()
            }
            2000..2010 => format!("K{:05},,,,{:02}/03/2021,\n", i - 1990, 2 + (i - 1990) % 20),
            2500 => open(100),
            2600 => "K00050,Đăng ký khai sinh,11/03/2021,12/03/2021,12/03/2021,\n".to_string(),
            _ => open(i),
        });
    }
    let columns = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note,channel,supplement,refusal_reason,change,why";
    let names: Vec<&str> = columns.split(',').collect();
    let mut shuffled = names.clone();
    shuffled.reverse();
    let mut files = Vec::new();
    for order in [names.clone(), shuffled] {
        let env = Env::fixture("minimal");
        env.write("records/dossiers.csv", format!("{}\n", order.join(",")));
        let out = import(&env, "so.csv", source.as_bytes());
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(
            stdout(&out).contains("Imported 2999 rows")
                && stdout(&out).contains("skipped 1 already present"),
            "{}",
            stdout(&out)
        );
        // Each row in the kind's column order, whatever the file's.
        let text = env.read("records/dossiers.csv");
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let file_header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                names
                    .iter()
                    .map(|n| r[file_header.iter().position(|h| h == n).unwrap()].to_string())
                    .collect()
            })
            .collect();
        let out = env.run(&["check", "--as-of", "2021-03-01"]);
        assert!(!stdout(&out).contains(" E2"), "{}", stdout(&out));
        files.push((text, rows));
    }
    let (plain, rows) = &files[0];
    assert_eq!(rows, &files[1].1, "the two orders give other rows");
    assert!(
        plain.contains("\nK01500,ht-khai-sinh,,2021-03-05,2021-03-06,,,,,,,\"Nộp \"\"gấp\"\", có ủy quyền\",,,,,\n"),
        "{plain}"
    );
    assert!(
        plain.contains("\nK00010,,,,,2021-03-12,,,,,,,,,,,\n"),
        "{plain}"
    );
    // Known facts left out: only the return date is new.
    assert!(
        plain.contains("\nK00050,,,,,2021-03-12,,,,,,,,,,,\n"),
        "{plain}"
    );
    assert_eq!(plain.lines().count(), 3000);
    // The plain file's rows are those the csv writer makes of the cells.
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&names).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    assert_eq!(String::from_utf8(w.into_inner().unwrap()).unwrap(), *plain);
}

/// A row that names a known dossier and gives no fact of its own (an export's line with the
/// code only) is already present: skipped, not appended.
#[test]
fn a_row_with_only_a_known_dossier_s_code_is_skipped() {
    let env = Env::fixture("minimal");
    let first = format!("{HEADER_VI}\n{}\n", ROWS_VI[1]);
    assert_eq!(code(&import(&env, "a.csv", first.as_bytes())), 0);
    let before = env.read("records/dossiers.csv");
    let code_only = format!("{HEADER_VI}\n000.00.27.H42-210301-0002;;;;;;;;;\n");
    let out = import(&env, "b.csv", code_only.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Imported 0 rows")
            && stdout(&out).contains("skipped 1 already present"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}
