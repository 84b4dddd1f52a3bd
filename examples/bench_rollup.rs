//! The rollup benchmark (issue 21): `kehoach rollup` of a province's communes against the floor.
//!
//! Run it with `scripts/bench-rollup.sh` (it builds what is needed first). It generates, once,
//! `COMMUNES` commune folders (default 300) of `DOSSIERS` dossiers each (default 5,000), each
//! with its own seed, into `target/bench-rollup/`, then measures, `ROUNDS` rounds interleaved:
//!
//! - the floor: `examples/floor.rs` over every folder, a csv `ByteRecord` pass that only counts
//!   the records (one thread);
//! - `kehoach rollup 2021 …` of every folder, `--format json` and `--format md`;
//!
//! and prints the median wall time, its spread (fastest and slowest round), the peak resident
//! memory (from `wait4`), and the ratio to the floor of the same round (median, min, max).
//!
//! Children are run and measured by `common/measure.rs` (its one `unsafe`: `wait4(2)`).

#![allow(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "common/measure.rs"]
mod measure;
use measure::{measure, median};

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

fn bin(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/release")
        .join(rel)
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Gives the `i`th generated commune its own name: copies of one commune would be left out of
/// the rollup as duplicates (docs/rollup.md).
fn name_commune(dir: &Path, i: usize) {
    let path = dir.join("plan.toml");
    let plan = std::fs::read_to_string(&path).expect("plan.toml");
    let from = "authority = \"Ủy ban nhân dân xã Sơn Hồng\"";
    if plan.contains(from) {
        let to = format!("authority = \"Ủy ban nhân dân xã Sơn Hồng {i:03}\"");
        std::fs::write(&path, plan.replace(from, &to)).expect("plan.toml");
    }
}

fn main() {
    let rounds = env_or("ROUNDS", 5) as usize;
    let communes = env_or("COMMUNES", 300);
    let dossiers = env_or("DOSSIERS", 5_000);
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-rollup")
        .join(format!("c{communes}-d{dossiers}"));
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plan.toml");
    let dirs: Vec<PathBuf> = (0..communes)
        .map(|i| data.join(format!("xa-{i:03}")))
        .collect();
    for (i, dir) in dirs.iter().enumerate() {
        if dir.join("records/dossiers.csv").is_file() {
            name_commune(dir, i);
            continue;
        }
        if i % 50 == 0 {
            eprintln!("generating {} …", dir.display());
        }
        let status = Command::new(bin("examples/generate"))
            .args(["--dossiers", &dossiers.to_string(), "--seed"])
            .arg((2021 + i as u64).to_string())
            .arg("--out")
            .arg(dir)
            .arg("--plan")
            .arg(&plan)
            .stderr(Stdio::null())
            .status()
            .expect("generate");
        assert!(status.success());
        name_commune(dir, i);
    }
    let count = Command::new(bin("examples/floor"))
        .args(&dirs)
        .output()
        .expect("floor");
    let rows: u64 = String::from_utf8_lossy(&count.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let commands: [(&str, &str); 2] = [("rollup 2021 json", "json"), ("rollup 2021 md", "md")];
    let mut floor = Vec::new();
    let mut floor_rss = 0;
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    let mut rss = vec![0i64; commands.len()];
    for _ in 0..rounds {
        let f = measure(Command::new(bin("examples/floor")).args(&dirs), 0);
        floor.push(f.seconds);
        floor_rss = floor_rss.max(f.max_rss_kb);
        for (i, (_, format)) in commands.iter().enumerate() {
            let r = measure(
                Command::new(bin("kehoach"))
                    .args([
                        "--as-of",
                        "2022-01-15",
                        "rollup",
                        "2021",
                        "--format",
                        format,
                    ])
                    .args(&dirs),
                0,
            );
            times[i].push(r.seconds);
            ratios[i].push(r.seconds / f.seconds);
            rss[i] = rss[i].max(r.max_rss_kb);
        }
    }
    println!(
        "kehoach {} rollup — {communes} communes of {dossiers} dossiers ({rows} CSV records), {rounds} rounds interleaved, {} cores",
        env!("CARGO_PKG_VERSION"),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  {:<18} {:>8} {:>17} {:>9} {:>8} {:>15}",
        "command", "median", "min – max", "peak RSS", "×floor", "×floor min–max"
    );
    let f = sorted(floor);
    println!(
        "  {:<18} {:>7.3}s {:>7.3}s – {:.3}s {:>6.1} MB {:>8} {:>15}",
        "floor (csv count)",
        median(f.clone()),
        f[0],
        f[f.len() - 1],
        floor_rss as f64 / 1024.0,
        "1.00",
        ""
    );
    for (i, (name, _)) in commands.iter().enumerate() {
        let t = sorted(times[i].clone());
        let r = sorted(ratios[i].clone());
        println!(
            "  {:<18} {:>7.3}s {:>7.3}s – {:.3}s {:>6.1} MB {:>8.2} {:>8.2} – {:.2}",
            name,
            median(t.clone()),
            t[0],
            t[t.len() - 1],
            rss[i] as f64 / 1024.0,
            median(r.clone()),
            r[0],
            r[r.len() - 1]
        );
    }
}
