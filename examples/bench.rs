//! The scale benchmark (issue 8): kehoach against the floor, on big generated plan folders.
//!
//! Run it with `scripts/bench.sh` (it builds what is needed first). It generates folders of
//! 100,000 and 1,000,000 dossiers once (into `target/bench-data/`, deterministic for the seed),
//! then measures, several rounds each, interleaved so that the machine's state is shared:
//!
//! - (a) the floor: `examples/floor.rs`, a csv `ByteRecord` pass that only counts records;
//! - (b) `kehoach check`;
//! - (c) `kehoach report year 2021 --format json`;
//! - (d) `kehoach report quarter 2021-Q2 --format md`;
//!
//! and prints, per command, the median wall time, the peak resident memory (from `wait4`), rows
//! per second, and the ratio to the floor measured in the same round (median of the ratios).
//! Then the same for `check` on the shipped sample folder.
//!
//! Children are run and measured by `common/measure.rs`, which holds the project's one `unsafe`:
//! `wait4(2)`, the only way to read a child's own peak memory.

#![allow(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "common/measure.rs"]
mod measure;
use measure::{measure, median};

fn rows(dir: &Path) -> u64 {
    let out = Command::new(bin("examples/floor"))
        .arg(dir)
        .output()
        .expect("floor");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

fn bin(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/release")
        .join(rel)
}

fn generate(dir: &Path, dossiers: u64) {
    if dir.join("records/dossiers.csv").is_file() {
        return;
    }
    eprintln!("generating {} ({dossiers} dossiers)…", dir.display());
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plan.toml");
    let status = Command::new(bin("examples/generate"))
        .args([
            "--dossiers",
            &dossiers.to_string(),
            "--seed",
            "2021",
            "--out",
        ])
        .arg(dir)
        .arg("--plan")
        .arg(plan)
        .stderr(Stdio::null())
        .status()
        .expect("generate");
    assert!(status.success());
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let kehoach = bin("kehoach");
    let commands: [(&str, &[&str]); 3] = [
        ("check", &["--as-of", "2021-12-31", "check"]),
        (
            "report year json",
            &[
                "--as-of",
                "2022-01-15",
                "report",
                "year",
                "2021",
                "--format",
                "json",
            ],
        ),
        (
            "report quarter md",
            &[
                "--as-of",
                "2022-01-15",
                "report",
                "quarter",
                "2021-Q2",
                "--format",
                "md",
            ],
        ),
    ];
    println!(
        "kehoach {} — {} rounds, interleaved; median wall time, peak RSS, rows/s, ratio to the floor of the same round",
        env!("CARGO_PKG_VERSION"),
        rounds
    );
    for dossiers in [100_000u64, 1_000_000] {
        let dir = data.join(format!("d{dossiers}"));
        generate(&dir, dossiers);
        let n = rows(&dir);
        let mut floor = Vec::new();
        let mut floor_rss = 0;
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
        let mut rss = vec![0i64; commands.len()];
        for _ in 0..rounds {
            let f = measure(Command::new(bin("examples/floor")).arg(&dir), 1);
            floor.push(f.seconds);
            floor_rss = floor_rss.max(f.max_rss_kb);
            for (i, (_, args)) in commands.iter().enumerate() {
                let r = measure(Command::new(&kehoach).arg("-C").arg(&dir).args(*args), 1);
                times[i].push(r.seconds);
                ratios[i].push(r.seconds / f.seconds);
                rss[i] = rss[i].max(r.max_rss_kb);
            }
        }
        println!();
        println!("{dossiers} dossiers ({n} CSV records in all files)");
        println!(
            "  {:<20} {:>9} {:>10} {:>14} {:>8}",
            "command", "median", "peak RSS", "rows/s", "×floor"
        );
        let f = median(floor);
        println!(
            "  {:<20} {:>8.3}s {:>7.1} MB {:>14.0} {:>8}",
            "floor (csv count)",
            f,
            floor_rss as f64 / 1024.0,
            n as f64 / f,
            "1.00"
        );
        for (i, (name, _)) in commands.iter().enumerate() {
            let t = median(times[i].clone());
            println!(
                "  {:<20} {:>8.3}s {:>7.1} MB {:>14.0} {:>8.2}",
                name,
                t,
                rss[i] as f64 / 1024.0,
                n as f64 / t,
                median(ratios[i].clone())
            );
        }
    }
    // The shipped sample folder.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut t = Vec::new();
    let mut peak = 0;
    for _ in 0..(rounds * 4) {
        let r = measure(
            Command::new(&kehoach)
                .arg("-C")
                .arg(sample)
                .args(["--as-of", "2021-12-31", "check"]),
            1,
        );
        t.push(r.seconds);
        peak = peak.max(r.max_rss_kb);
    }
    println!();
    println!(
        "shipped sample: check median {:.1} ms, peak RSS {:.1} MB ({} runs)",
        median(t) * 1000.0,
        peak as f64 / 1024.0,
        rounds * 4
    );
}
