//! The two-thread reader of big dossier files gives exactly what the one-thread reader gives:
//! the same dossiers in the same order, the same findings at the same places, the same counts
//! and statistics, wherever the cut between the two halves falls, and when the second thread
//! takes the far end of the first part or the first thread the far end of the second
//! (`force_steal`).

use std::path::{Path, PathBuf};

use kehoach::history::provenance::{self, Scheme};
use kehoach::lang::Lang;
use kehoach::pieces::{Found, PIECE};
use kehoach::plan::Plan;
use kehoach::records::read::{LoadOptions, Loaded, Steal, load_with};

use crate::harness::Env;

fn load(env: &Env, parallel_min_bytes: u64) -> (Loaded, Plan) {
    load_as(env, parallel_min_bytes, None)
}

/// [`load`], one thread made to take the far half of the other's part (`force_steal`).
/// The pieces its readers hash, with those they did not hold whole read again, make the
/// folder's digest as `verify` reads the folder whole.
fn load_as(env: &Env, parallel_min_bytes: u64, force_steal: Option<Steal>) -> (Loaded, Plan) {
    let (loaded, plan, _) = load_hashed(env, parallel_min_bytes, force_steal);
    (loaded, plan)
}

/// [`load_as`], and the pieces its readers hashed.
fn load_hashed(
    env: &Env,
    parallel_min_bytes: u64,
    force_steal: Option<Steal>,
) -> (Loaded, Plan, Found) {
    let (_, plan) = Plan::load(env.path()).unwrap();
    let plan = plan.plan.unwrap();
    let found = Found::default();
    let options = LoadOptions {
        parallel_min_bytes,
        force_steal,
        files_known: None,
        files_read: None,
        pieces: Some(&found),
    };
    let loaded = load_with(env.path(), &plan, options).unwrap();
    let files = &loaded.records.files;
    let stated = provenance::of_folder(env.path(), files, Lang::En, Some(&found)).unwrap();
    let whole = provenance::digest_of_folder(env.path(), Lang::En, Scheme::Pieces).unwrap();
    assert_eq!(stated.digest, whole);
    (loaded, plan, found)
}

/// [`load_as`] with a `files_known` and a `files_read` that keep what they are handed, call
/// by call. `files_known` also appends a dossier `added` to the first dossier file, and
/// `files_read` another, `added` and `-late`, to the last: the load has the first only if the
/// call came before the file was read, and the second only if the call came before the last
/// was (it must not).
fn files_handed_over(
    env: &Env,
    parallel_min_bytes: u64,
    force_steal: Option<Steal>,
    added: &str,
) -> Vec<Vec<PathBuf>> {
    let (_, plan) = Plan::load(env.path()).unwrap();
    let plan = plan.plan.unwrap();
    let (known, read) = (
        std::sync::Mutex::new(Vec::new()),
        std::sync::Mutex::new(Vec::new()),
    );
    let append = |file: &Path, id: &str| {
        let row = format!("{id},dd-hoa-giai,Đất đai,2021-03-01,2021-03-15,,,dc1,,,,,direct,,\n");
        let path = env.path().join(file);
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        std::io::Write::write_all(&mut file, row.as_bytes()).unwrap();
    };
    let dossier_files = |files: &[PathBuf]| -> Vec<PathBuf> {
        let named = |f: &&PathBuf| f.to_string_lossy().starts_with("records/dossiers");
        files.iter().filter(named).cloned().collect()
    };
    let late = format!("{added}-late");
    let files_known = |files: &[PathBuf]| {
        known.lock().unwrap().push(files.to_vec());
        append(&dossier_files(files)[0], added);
    };
    let files_read = |files: &[PathBuf]| {
        read.lock().unwrap().push(files.to_vec());
        append(dossier_files(files).last().unwrap(), &late);
    };
    let options = LoadOptions {
        parallel_min_bytes,
        force_steal,
        files_known: Some(&files_known),
        files_read: Some(&files_read),
        pieces: None,
    };
    let loaded = load_with(env.path(), &plan, options).unwrap();
    let (known, read) = (known.into_inner().unwrap(), read.into_inner().unwrap());
    // Each once, with every file the load then read, however the read went.
    assert_eq!(known, vec![loaded.records.files.clone()]);
    assert_eq!(read, known);
    let has = |id: &str| loaded.records.dossiers.get(id).is_some();
    let how = format!("{parallel_min_bytes} {force_steal:?}");
    assert!(has(added), "files_known came after a file was read ({how})");
    assert!(
        !has(&late),
        "files_read came before every file was read ({how})"
    );
    known
}

/// The ways a load reads: on one thread, on two, and on two with either steal forced.
const READS: [(u64, Option<Steal>); 4] = [
    (u64::MAX, None),
    (0, None),
    (0, Some(Steal::FirstPart)),
    (0, Some(Steal::SecondPart)),
];

#[test]
fn the_files_are_handed_over_once_before_and_once_after_they_are_read() {
    let env = Env::shipped();
    for (n, (min, steal)) in READS.into_iter().enumerate() {
        files_handed_over(&env, min, steal, &format!("X-HANDED-{n}"));
    }
    // A second dossier file, read after the parts of the first are put together.
    let header = std::fs::read_to_string(env.path().join("records/dossiers.csv")).unwrap();
    let header = header.lines().next().unwrap();
    env.write(
        "records/dossiers/2021-extra.csv",
        format!("{header}\nX-1,dd-hoa-giai,Đất đai,2021-03-01,2021-03-15,,,dc1,,,,,direct,,\n"),
    );
    for (n, (min, steal)) in READS.into_iter().enumerate() {
        let given = files_handed_over(&env, min, steal, &format!("X-AGAIN-{n}"));
        assert!(given[0].iter().any(|f| f.ends_with("2021-extra.csv")));
    }
}

/// Everything a load produced, as comparable text: the dossiers in the store's order (that of
/// their first row), the findings sorted.
fn summary(loaded: &Loaded) -> Vec<String> {
    let dossiers: Vec<String> = loaded
        .records
        .dossiers
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
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
                d.channel,
                d.supplement,
                d.refusal_reason(),
                d.opened(),
                d.returned_at()
            )
        })
        .collect();
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
    // And with the far half of the first part taken by the second thread, or of the second
    // part by the first: three parts.
    let (three, _) = load_as(&env, 0, Some(Steal::FirstPart));
    let (back, _) = load_as(&env, 0, Some(Steal::SecondPart));
    assert_eq!(one.records.dossiers.part_count(), 1);
    assert_eq!(two.records.dossiers.part_count(), 2);
    assert_eq!(three.records.dossiers.part_count(), 3);
    assert_eq!(back.records.dossiers.part_count(), 3);
    assert_eq!(summary(&one), summary(&two));
    assert_eq!(summary(&one), summary(&three));
    assert_eq!(summary(&one), summary(&back));
    // Every dossier is found by its id whatever its part.
    for d in one.records.dossiers.iter() {
        assert!(two.records.dossiers.get(&d.id()).is_some(), "{}", d.id());
        assert!(three.records.dossiers.get(&d.id()).is_some(), "{}", d.id());
        assert!(back.records.dossiers.get(&d.id()).is_some(), "{}", d.id());
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
    assert_eq!(stats(&one), stats(&three));
    assert_eq!(stats(&one), stats(&back));
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
    assert_eq!(work(&one), work(&three));
    assert_eq!(work(&one), work(&back));
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
        let (three, _) = load_as(&env, 0, Some(Steal::FirstPart));
        let (back, _) = load_as(&env, 0, Some(Steal::SecondPart));
        assert!(one.findings.len() >= 10, "{:?}", summary(&one));
        let d10 = one.records.dossiers.get("D10").unwrap();
        assert_eq!(d10.late_reason(), Some("Chờ xác minh, bổ sung"));
        assert_eq!(d10.note(), Some("ghi chú, một; ghi chú hai; ghi chú ba"));
        assert_eq!(
            one.records.dossiers.get("D11").unwrap().note(),
            Some("hai\ndòng")
        );
        assert_eq!(summary(&one), summary(&two));
        assert_eq!(summary(&one), summary(&three));
        assert_eq!(summary(&one), summary(&back));
    }
}

const HEADER: &str = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n";

/// Loads `text` as the dossier file on one thread and on two; asserts they agree and that the
/// two-thread load did split the file in two parts (or, with `split` false, fell back to one);
/// then on two threads with the far half of the first part taken by the second thread, which
/// must agree too and make `stolen` parts (three when the taken part began and ended at rows);
/// and with the far half of the second part taken by the first, `stolen_back` parts.
fn one_and_two(text: &str, split: bool, stolen: usize, stolen_back: usize) -> Loaded {
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", text);
    let (one, _) = load(&env, u64::MAX);
    let (two, _) = load(&env, 0);
    assert_eq!(summary(&one), summary(&two));
    assert_eq!(two.records.dossiers.part_count(), if split { 2 } else { 1 });
    let (three, _) = load_as(&env, 0, Some(Steal::FirstPart));
    assert_eq!(summary(&one), summary(&three));
    assert_eq!(three.records.dossiers.part_count(), stolen);
    let (back, _) = load_as(&env, 0, Some(Steal::SecondPart));
    assert_eq!(summary(&one), summary(&back));
    assert_eq!(back.records.dossiers.part_count(), stolen_back);
    one
}

/// A dossier file of many pieces read in two parts, and in three (the far half of the first
/// taken by the second thread): the pieces each thread held whole are hashed where they were
/// read, and with the few at the cuts read again make the digest of the folder read whole
/// ([`load_hashed`] asserts it); the digest is not made of pieces read again.
#[test]
fn the_threads_hash_their_pieces_for_the_digest() {
    let mut text = String::from(HEADER);
    let mut i = 0;
    while text.len() < 40 * PIECE as usize + 12_345 {
        text.push_str(&format!(
            "SH-{i:07},ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-12,2021-03-11,,vp1,,,,một ghi chú\n"
        ));
        i += 1;
    }
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", &text);
    let len = text.len() as u64;
    for (parallel_min_bytes, force_steal, parts) in [
        (u64::MAX, None, 1),
        (0, None, 2),
        (0, Some(Steal::FirstPart), 3),
        (0, Some(Steal::SecondPart), 3),
    ] {
        let (loaded, _, found) = load_hashed(&env, parallel_min_bytes, force_steal);
        assert_eq!(loaded.records.dossiers.part_count(), parts);
        let at = (loaded.records.files.iter())
            .position(|f| f.ends_with("dossiers.csv"))
            .unwrap();
        let hashed = found.file(at);
        assert_eq!(hashed.end, Some(len));
        // Every piece on one thread; all but those a cut falls in on two or three.
        let missing = len.div_ceil(PIECE) as usize - hashed.pieces.len();
        assert!(
            missing < parts,
            "{missing} pieces of {len} bytes not hashed in {parts} parts"
        );
    }
}

#[test]
fn dossiers_on_both_sides_of_the_cut_merge_as_on_one_thread() {
    // 400 dossiers opened in the first half, and named again in the second half by rows that
    // agree, conflict, add a note, end before reception, or set a status; 400 more that only
    // the second half names. Then the same file with CRLF line ends.
    let mut text = String::from(HEADER);
    for i in 0..400 {
        text.push_str(&format!(
            "X{i},ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-12,,,vp1,,,,mở {}\n",
            i % 3
        ));
    }
    for i in 0..400 {
        text.push_str(&match i % 6 {
            0 => format!("X{i},ht-khai-sinh,,,,2021-03-11,,,,,,\n"),
            1 => format!("X{i},ht-ket-hon,,,2021-03-20,2021-03-11,,vp2,,,,\n"),
            2 => format!(
                "X{i},,,,,2021-03-15,,,Chờ xác minh,,,trả {}\nX{i},,,,,2021-03-16,,,,,,mở 0\n",
                i % 2
            ),
            3 => format!("X{i},,,,,2021-03-01,,,,,,\n"),
            4 => format!("X{i},,,,,2021-03-11,withdrawn,,,,,\n"),
            _ => format!(
                "Y{i},ht-khai-sinh,,2021-03-10,2021-03-09,,,vp1,,,,\nY{i},,,,,2021-03-11,,,,,,\n"
            ),
        });
    }
    let one = one_and_two(&text, true, 3, 3);
    assert_eq!(one.records.dossiers.len(), 400 + 400 / 6);
    late_reasons_as_counted_one_by_one(&text);
    assert!(one.findings.len() > 200, "{}", one.findings.len());
    one_and_two(&text.replace('\n', "\r\n"), true, 3, 3);
}

/// Every column of the dossier book, the one-stop ones too (channel, supplement, refusal
/// reason), comes through the split read as through one thread: on dossiers only the second
/// part names (whose texts are renumbered when the parts are put together), and on dossiers
/// named on both sides of the cut.
#[test]
fn every_column_comes_through_the_split_read() {
    let header = "id,procedure,field,received,due,returned,status,officer,late_reason,apology,\
                  rescheduled,note,channel,supplement,refusal_reason\n";
    let mut text = String::from(header);
    let reason = |i: usize| ["Thiếu giấy tờ", "Không thuộc thẩm quyền", "Hồ sơ giả mạo"][i % 3];
    // 300 refused dossiers, each with a reason of its own; every third is refused only by a
    // row at the end of the file. The cut falls among them: the last ones are the second
    // part's alone.
    for i in 0..300 {
        let (status, why) = if i % 3 == 0 {
            ("", String::new())
        } else {
            ("refused", format!("{} {i}", reason(i)))
        };
        text.push_str(&format!(
            "A{i},ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-12,2021-03-11,{status},vp1,,,,,\
             online-partial,2021-03-10,{why}\n"
        ));
    }
    for i in 0..300 {
        text.push_str(&match i % 3 {
            // Named on both sides: refused by this later row.
            0 => format!("A{i},,,,,,refused,,,,,,,,{} {i}\n", reason(i)),
            // Only the second part names them.
            1 => format!(
                "B{i},ht-khai-sinh,Hộ tịch,2021-04-01,2021-04-05,2021-04-02,refused,vp1,,,,,\
                 direct,2021-04-01,Lý do riêng {i}\n"
            ),
            _ => format!("B{i},ht-khai-sinh,Hộ tịch,2021-04-01,2021-04-05,,,vp1,,,,,online,,\n"),
        });
    }
    let one = one_and_two(&text, true, 3, 3);
    assert_eq!(one.records.dossiers.len(), 300 + 200);
    let refused = one
        .records
        .dossiers
        .iter()
        .filter(|d| d.refusal_reason().is_some());
    assert_eq!(refused.count(), 300 + 100);
    assert!(one.findings.is_empty(), "{:?}", one.findings.first());
}

/// The late reasons of the year's statistics, which are read in one pass over the dossiers
/// that have one (`Dossiers::late_reasons_at`), are those a recount asking each late dossier
/// for its reason finds, on one thread, on two (dossiers named on both sides of the cut are
/// kept in the first part and left out of the second), and on two with a part taken from the
/// middle.
fn late_reasons_as_counted_one_by_one(text: &str) {
    use kehoach::report::stats::dossier_stats;
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", text);
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2021, m, d).unwrap();
    let (start, end, as_of) = (day(1, 1), day(12, 31), day(12, 31));
    let mut counted = Vec::new();
    for (min, steal) in READS {
        let (loaded, plan) = load_as(&env, min, steal);
        let dossiers = &loaded.records.dossiers;
        let stats = dossier_stats(&plan, dossiers, start, end, as_of);
        let found: Vec<(String, u64)> = (stats.late_reasons.iter())
            .map(|r| (r.reason.clone(), r.count))
            .collect();
        // Late (returned after the due date, all of it in the year) or overdue, with a reason.
        let mut recount: Vec<(String, u64)> = Vec::new();
        for d in dossiers.iter() {
            let late = match (d.returned, d.due) {
                (Some(r), Some(due)) => r > due && d.status.is_none(),
                (None, Some(due)) => due < as_of,
                _ => false,
            };
            if let Some(reason) = d.late_reason().filter(|_| late && d.received.is_some()) {
                match recount.iter_mut().find(|(r, _)| r == reason) {
                    Some((_, n)) => *n += 1,
                    None => recount.push((reason.to_string(), 1)),
                }
            }
        }
        recount.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert!(!found.is_empty());
        assert_eq!(found, recount, "parallel_min_bytes {min}, steal {steal:?}");
        counted.push(found);
    }
    assert_eq!(counted[0], counted[1]);
    assert_eq!(counted[0], counted[2]);
    assert_eq!(counted[0], counted[3]);
}

/// Ids with no numeric tail (another agency's codes): past 4,096 of them the reader touches the
/// hash table's slot of the next row's id as it reads each row (`Ids::touch`); what it reads
/// is what one thread reads, the ids named again across the cut included.
#[test]
fn ids_of_another_shape_read_alike_on_one_and_two_threads() {
    // Letters with no numeric tail; and UUIDs, whose digits at the end are chance: past the
    // free groups some are kept in a group of their own and some in the general table, and a
    // dossier one part holds in a group may be in the other's general table.
    let letters = |i: usize| {
        let (mut n, mut id) = (
            i.wrapping_mul(0x9E37_79B9) & 0xFF_FFFF,
            String::from("SH.DD-"),
        );
        for _ in 0..6 {
            id.push(char::from(b'A' + (n % 26) as u8));
            n /= 26;
        }
        id
    };
    let uuid = |i: usize| {
        let a = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            a >> 16 & 0xFFFF,
            a & 0xFFF,
            i % 0xFFF,
            a.rotate_left(17) & 0xFFFF_FFFF_FFFF
        )
    };
    for code in [&letters as &dyn Fn(usize) -> String, &uuid] {
        let mut text = String::from(HEADER);
        for i in 0..12_000 {
            text.push_str(&format!(
                "{},ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-12,,,vp1,,,,\n",
                code(i)
            ));
        }
        for i in (0..12_000).step_by(2) {
            text.push_str(&format!("{},,,,,2021-03-11,,,,,,\n", code(i)));
        }
        let one = one_and_two(&text, true, 3, 3);
        assert_eq!(one.records.dossiers.len(), 12_000);
        let returned = one.records.dossiers.iter().filter(|d| d.returned.is_some());
        assert_eq!(returned.count(), 6_000);
    }
}

#[test]
fn a_cut_inside_a_quoted_cell_or_among_blank_lines_changes_nothing() {
    // A note over many lines in the middle of the file: the cut falls inside its quotes, and
    // the first thread reads on alone.
    let mut rows = String::new();
    for i in 0..50 {
        rows.push_str(&format!(
            "Z{i},ht-khai-sinh,Hộ tịch,2021-03-10,2021-03-12,,,vp1,,,,\n"
        ));
    }
    let long_note = "dòng\n".repeat(400);
    let quoted = format!(
        "{HEADER}{rows}Z1,,,,,2021-03-11,,,,,,\"{long_note}\"\n{}",
        rows.replace('Z', "W")
    );
    // The second thread takes the far half of the first part, whose last row runs on past
    // the cut: it reads on to the end, and the second part is dropped. The first thread, not
    // done at the cut, takes nothing of the second part.
    one_and_two(&quoted, false, 2, 1);
    // The same note a quarter of the way, where the second thread begins what it takes: the
    // first thread reads on to the cut after all, and what was taken is dropped.
    let early = format!(
        "{HEADER}{}Z1,,,,,2021-03-11,,,,,,\"{long_note}\"\n{rows}{}{}",
        &rows[..rows.len() / 3],
        rows.replace('Z', "W"),
        rows.replace('Z', "T")
    );
    one_and_two(&early, true, 2, 3);
    // The same note three quarters of the way, where the first thread begins what it takes of
    // the second part: the second part's reader reads on to the end after all, and what was
    // taken is dropped.
    let late = format!(
        "{HEADER}{rows}{}{}Z1,,,,,2021-03-11,,,,,,\"{long_note}\"\n{}",
        rows.replace('Z', "W"),
        rows.replace('Z', "T"),
        rows.replace('Z', "S")
    );
    one_and_two(&late, true, 3, 2);
    // Blank lines around the middle, LF and CRLF: lines still counted right.
    let blank = format!(
        "{HEADER}{rows}{}{}",
        "\n".repeat(300),
        rows.replace('Z', "V")
    );
    one_and_two(&blank, true, 3, 3);
    one_and_two(&blank.replace('\n', "\r\n"), true, 3, 3);
    // A bad row and an unclosed quote in the second half.
    let faults = format!(
        "{HEADER}{rows}{}Z2,,,,,31/02/2021,,,,,,\nZ3,,,,,2021-03-11,,,,,,\"không đóng\n",
        rows.replace('Z', "U")
    );
    let one = one_and_two(&faults, true, 3, 3);
    assert!(
        one.findings.iter().any(|f| f.location.line == Some(103)),
        "{:?}",
        summary(&one)
    );
}

#[test]
fn thousands_of_findings_are_printed_in_order_at_most_a_hundred_per_code_and_file() {
    // 20,000 rows in 50 part files of records/dossiers/: four in five with a bad date, the
    // fifth an open dossier long overdue. Each file prints its first 100 E204 (of 320), its 80
    // W307 and one line counting its other 220 E204: 9,050 lines, more than the 4,096 that
    // `check` puts in words on two threads.
    let env = Env::fixture("minimal");
    std::fs::remove_file(env.path().join("records/dossiers.csv")).unwrap();
    for f in 0..50 {
        let mut text = String::from(HEADER);
        for i in 0..400 {
            text.push_str(&format!(
                "B{f}-{i},ht-khai-sinh,Hộ tịch,2021-03-{:02},2021-04-12,,,vp1,,,,\n",
                31 + i % 5
            ));
        }
        env.write(&format!("records/dossiers/part-{f:02}.csv"), &text);
    }
    let out = crate::harness::stdout(&env.run(&["check", "--as-of", "2021-12-31"]));
    for f in 0..50 {
        let file = format!("records/dossiers/part-{f:02}.csv:");
        let lines_of = |code: &str| -> Vec<u64> {
            out.lines()
                .filter(|l| l.contains(code))
                .filter_map(|l| l.strip_prefix(&file))
                .filter_map(|l| l.split(':').next()?.parse().ok())
                .collect()
        };
        // Days 32 to 35 of March, on lines 2 + i; the 31st received, due 12/04, never returned.
        let bad: Vec<u64> = (0..400u64)
            .filter(|i| i % 5 >= 1)
            .map(|i| i + 2)
            .take(100)
            .collect();
        let open: Vec<u64> = (0..400u64).filter(|i| i % 5 == 0).map(|i| i + 2).collect();
        assert!(lines_of(" E204 ") == bad, "{}", &out[..out.len().min(2000)]);
        assert!(
            lines_of(" W307 ") == open,
            "{}",
            &out[..out.len().min(2000)]
        );
        let more = format!(
            "records/dossiers/part-{f:02}.csv: E204 … and 220 more E204 findings in this file"
        );
        assert_eq!(
            out.lines().filter(|l| l.starts_with(&more)).count(),
            1,
            "{more}"
        );
    }
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("records/dossiers/") && l.contains(" E204 "))
            .count(),
        50 * (100 + 1)
    );
    // The summary counts every finding.
    let summary = out.lines().last().unwrap_or("");
    assert!(summary.contains(": 16000 errors, "), "{summary}");
}

/// A file of another kind that is gone once listed fails the load with its name, on one thread
/// and on two, with either steal forced too (a reader that a forced steal makes wait is never
/// left waiting: the calling thread decides the steal back whatever became of the files it
/// read first).
#[test]
fn a_file_gone_before_it_is_read_fails_the_split_read_without_a_hang() {
    let env = Env::fixture("minimal");
    let mut text = String::from(HEADER);
    for i in 0..3000 {
        text.push_str(&format!(
            "G{i},ht-khai-sinh,Hộ tịch,2021-02-01,2021-02-02,2021-02-02,,vp1,,,,\n"
        ));
    }
    env.write("records/dossiers.csv", &text);
    let (_, plan) = Plan::load(env.path()).unwrap();
    let plan = plan.plan.unwrap();
    let activities = env.path().join("records/activities.csv");
    let saved = std::fs::read(&activities).unwrap();
    let gone = |_: &[PathBuf]| {
        let _ = std::fs::remove_file(&activities);
    };
    for (parallel_min_bytes, force_steal) in READS {
        std::fs::write(&activities, &saved).unwrap();
        let options = LoadOptions {
            parallel_min_bytes,
            force_steal,
            files_known: Some(&gone),
            files_read: None,
            pieces: None,
        };
        let loaded = load_with(env.path(), &plan, options);
        let how = format!("{parallel_min_bytes} {force_steal:?}");
        let err = loaded.err().unwrap_or_else(|| panic!("no error ({how})"));
        assert!(err.to_string().contains("activities.csv"), "{err} ({how})");
    }
}
