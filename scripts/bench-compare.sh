#!/usr/bin/env bash
# Two kehoach binaries against each other and the CSV floor, interleaved, on one plan folder:
#   scripts/bench-compare.sh OLD_BIN NEW_BIN DIR [ROUNDS]
# Build OLD_BIN from an older commit in a detached worktree (cargo build --release), generate
# DIR once (cargo run --release --example generate -- --out DIR --dossiers 1000000 --plan plan.toml)
# outside any git repository, so that neither binary audits it. Prints per command the median
# wall time, its min and max, the median ratio to the floor of the same round, and peak RSS.
set -euo pipefail
old=$1; new=$2; data=$3; rounds=${4:-5}
cd "$(dirname "$0")/.."
cargo build --release --quiet --example floor
floor=target/release/examples/floor
out=$(mktemp)
trap 'rm -f "$out"' EXIT
t() { /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null 2>&1 || true; tail -1 "$out"; }
declare -A T
for _ in $(seq "$rounds"); do
  T[floor]+="$(t "$floor" "$data");"
  for b in old new; do bin=${!b}
    T[$b-check]+="$(t "$bin" -C "$data" --as-of 2021-12-31 check);"
    T[$b-year]+="$(t "$bin" -C "$data" --as-of 2022-01-15 report year 2021 --format json);"
    T[$b-quarter]+="$(t "$bin" -C "$data" --as-of 2022-01-15 report quarter 2021-Q2 --format md);"
  done
done
for k in floor old-check new-check old-year new-year old-quarter new-quarter; do
  echo "$k ${T[$k]}"
done | python3 -c '
import sys, statistics as s
rows = {}
for line in sys.stdin:
    k, v = line.split(" ", 1)
    rows[k] = [tuple(map(float, p.split())) for p in v.strip().strip(";").split(";")]
fl = [x[0] for x in rows["floor"]]
for k, xs in rows.items():
    ts = [x[0] for x in xs]
    r = [a / b for a, b in zip(ts, fl)]
    print(f"{k:12} median {s.median(ts):.3f}s  min {min(ts):.3f} max {max(ts):.3f}  "
          f"x floor {s.median(r):.2f} ({min(r):.2f}-{max(r):.2f})  peak RSS {max(x[1] for x in xs)/1024:.1f} MB")
'
