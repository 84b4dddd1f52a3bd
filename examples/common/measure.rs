//! What the benchmarks share: run a child to completion and read its wall time, CPU time and
//! peak memory (`wait4(2)`, the one `unsafe`), and the median of a round's figures.
//! Included by each benchmark with `#[path = "common/measure.rs"] mod measure;`.

#![allow(dead_code)] // each benchmark reads the figures it prints

use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Run {
    pub seconds: f64,
    /// User and system CPU time: steadier than wall time on a shared machine.
    pub cpu: f64,
    pub max_rss_kb: i64,
}

/// Runs `cmd` to completion with its output discarded. Panics unless it exits with a status of
/// at most `max_status` (1 where findings or members left out are expected).
pub fn measure(cmd: &mut Command, max_status: i32) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, and wait4 fills it for the child we spawned and reap here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= max_status,
        "{cmd:?} failed with status {status}"
    );
    std::mem::forget(child);
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        seconds,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
    }
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
