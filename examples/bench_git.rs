//! The history benchmark (issue 16): what the audit of committed rows adds to `check`, and what
//! provenance adds to a report, on the folder of 1,000,000 dossiers inside a git repository.
//!
//! Run it with `scripts/bench-git.sh` (it builds what is needed first). It takes the folder of
//! `scripts/bench.sh` (`target/bench-data/d1000000`, generated when missing), copies it into
//! `target/bench-git/d1000000` and commits it there with the `git` program (kehoach itself never
//! runs git), then measures, rounds interleaved:
//!
//! - `check` without the audit: the generated folder, which no commit has (the audit is skipped
//!   after one look at HEAD, I431);
//! - `check` with the audit, files unchanged since the commit (the index vouches for them);
//! - `check` with the audit, 10,000 dossier rows appended since the commit (one SHA-1 pass over
//!   the committed part, the new rows read for their sequence numbers);
//! - `report quarter --format md` without and with git (provenance: a SHA-256 pass over every
//!   file read, on a thread of its own).
//!
//! It prints per case the median wall time, the lowest and highest, the peak resident memory,
//! and the median of the ratios to the case without the audit measured in the same round.
//! Children are run and measured by `common/measure.rs` (its one `unsafe`: `wait4(2)`).

#![allow(unsafe_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "common/measure.rs"]
mod measure;
use measure::{Run, measure, median};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin(rel: &str) -> PathBuf {
    root().join("target/release").join(rel)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .stdout(Stdio::null())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// 10,000 new dossier rows, numbered by day as the one-stop book numbers them.
fn new_rows() -> Vec<u8> {
    let mut rows = Vec::new();
    for day in 0..4u32 {
        for seq in 1..=2500u32 {
            writeln!(
                rows,
                "000.00.27.H42-2201{:02}-{seq:04},ht-khai-sinh,,2022-01-{:02},2022-01-{:02},,,tp1,,,,",
                day + 3,
                day + 3,
                day + 4
            )
            .unwrap();
        }
    }
    rows
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let plain = root().join("target/bench-data/d1000000");
    if !plain.join("records/dossiers.csv").is_file() {
        eprintln!("generating {} …", plain.display());
        let status = Command::new(bin("examples/generate"))
            .args(["--dossiers", "1000000", "--seed", "2021", "--out"])
            .arg(&plain)
            .arg("--plan")
            .arg(root().join("plan.toml"))
            .stderr(Stdio::null())
            .status()
            .expect("generate");
        assert!(status.success());
    }
    let repo = root().join("target/bench-git/d1000000");
    if !repo.join(".git").is_dir() {
        eprintln!("committing a copy in {} …", repo.display());
        let _ = std::fs::remove_dir_all(&repo);
        copy_dir(&plain, &repo);
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "bench"]);
    }
    let dossiers = repo.join("records/dossiers.csv");
    let committed_len = std::fs::metadata(&dossiers).unwrap().len();
    // The index vouches for a file whose stat data it holds: refreshed after any change.
    git(&repo, &["update-index", "-q", "--refresh"]);
    let rows = new_rows();
    let kehoach = bin("kehoach");
    let check = ["--as-of", "2021-12-31", "check"];
    let report = [
        "--as-of",
        "2022-01-15",
        "report",
        "quarter",
        "2021-Q2",
        "--format",
        "md",
    ];
    let cases = [
        "check, no audit (no commit has the folder)",
        "check, audit, unchanged since the commit",
        "check, audit, 10,000 rows appended",
        "report quarter md, outside git (digest only)",
        "report quarter md, in git (commit, dirty, digest)",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut cpus: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut cpu_ratios: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut rss = vec![0i64; cases.len()];
    let mut record = |i: usize, r: Run, base: &(f64, f64)| {
        times[i].push(r.seconds);
        ratios[i].push(r.seconds / base.0);
        cpus[i].push(r.cpu);
        cpu_ratios[i].push(r.cpu / base.1);
        rss[i] = rss[i].max(r.max_rss_kb);
    };
    for _ in 0..rounds {
        let base = measure(Command::new(&kehoach).arg("-C").arg(&plain).args(check), 1);
        let b = (base.seconds, base.cpu);
        record(0, base, &b);
        let r = measure(Command::new(&kehoach).arg("-C").arg(&repo).args(check), 1);
        record(1, r, &b);
        {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&dossiers)
                .unwrap();
            f.write_all(&rows).unwrap();
        }
        let r = measure(Command::new(&kehoach).arg("-C").arg(&repo).args(check), 1);
        record(2, r, &b);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&dossiers)
            .unwrap()
            .set_len(committed_len)
            .unwrap();
        git(&repo, &["update-index", "-q", "--refresh"]);
        let base = measure(Command::new(&kehoach).arg("-C").arg(&plain).args(report), 1);
        let b = (base.seconds, base.cpu);
        record(3, base, &b);
        let r = measure(Command::new(&kehoach).arg("-C").arg(&repo).args(report), 1);
        record(4, r, &b);
    }
    println!(
        "kehoach {} — 1,000,000 dossiers ({:.0} MB of records), {rounds} rounds interleaved",
        env!("CARGO_PKG_VERSION"),
        committed_len as f64 / 1e6
    );
    println!(
        "  {:<50} {:>8} {:>8} {:>8} {:>7} {:>8} {:>7} {:>9}",
        "case", "wall", "min", "max", "×base", "CPU", "×base", "peak RSS"
    );
    for (i, name) in cases.iter().enumerate() {
        let t = &times[i];
        println!(
            "  {:<50} {:>7.3}s {:>7.3}s {:>7.3}s {:>7.3} {:>7.3}s {:>7.3} {:>6.0} MB",
            name,
            median(t.clone()),
            t.iter().copied().fold(f64::INFINITY, f64::min),
            t.iter().copied().fold(0.0, f64::max),
            median(ratios[i].clone()),
            median(cpus[i].clone()),
            median(cpu_ratios[i].clone()),
            rss[i] as f64 / 1024.0,
        );
    }
    println!(
        "  (medians; ×base: the median of the ratios to the case without git of the same round, \
         the check or the report; CPU: user + system time)"
    );
}
