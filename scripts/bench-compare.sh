#!/usr/bin/env bash
# Two kehoach binaries against each other and the CSV floor, interleaved, on one plan folder:
#   scripts/bench-compare.sh OLD_BIN NEW_BIN DIR [ROUNDS]
# Build OLD_BIN from an older commit in a detached worktree (cargo build --release), generate
# DIR once (cargo run --release --example generate -- --out DIR --dossiers 1000000 --plan plan.toml)
# outside any git repository, so that neither binary audits it. Prints per command the median
# wall time, its min and max, the median ratio to the floor of the same round, and peak RSS;
# then per command new/old of the same round, wall and CPU (user + system: steadier on a busy
# machine), median, min and max.
# OLD_DATA=DIR2: the old binary reads DIR2 instead of DIR (the folder its own generator writes,
# when it cannot read the new one's plan.toml or columns; the floor still reads DIR).
set -euo pipefail
old=$1; new=$2; data=$3; rounds=${4:-5}
old_data=${OLD_DATA:-$data}
cd "$(dirname "$0")/.."
cargo build --release --quiet --example floor
floor=target/release/examples/floor
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Wall time to the microsecond from bash's clock (GNU time's %e is in hundredths: ±5 % of a
# 0.2 s floor), peak RSS and CPU from GNU time.
t() {
  local start=$EPOCHREALTIME end
  /usr/bin/time -f "%M %U %S" -o "$out" "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  echo "$(LC_ALL=C awk -v s="${start/,/.}" -v e="${end/,/.}" 'BEGIN { printf "%.4f", e - s }') $(tail -1 "$out")"
}
declare -A T
for _ in $(seq "$rounds"); do
  T[floor]+="$(t "$floor" "$data");"
  for b in old new; do bin=${!b}; dir=$data; [[ $b == old ]] && dir=$old_data
    T[$b-check]+="$(t "$bin" -C "$dir" --as-of 2021-12-31 check);"
    T[$b-year]+="$(t "$bin" -C "$dir" --as-of 2022-01-15 report year 2021 --format json);"
    T[$b-quarter]+="$(t "$bin" -C "$dir" --as-of 2022-01-15 report quarter 2021-Q2 --format md);"
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
for c in ["check", "year", "quarter"]:
    o, n = rows["old-" + c], rows["new-" + c]
    w = [b[0] / a[0] for a, b in zip(o, n)]
    cpu = [(b[2] + b[3]) / (a[2] + a[3]) for a, b in zip(o, n)]
    print(f"new/old {c:8} wall {s.median(w):.2f} ({min(w):.2f}-{max(w):.2f})  "
          f"CPU {s.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f})")
'
