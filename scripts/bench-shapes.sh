#!/usr/bin/env bash
# The shape matrix (issue 20): kehoach on folders of the same size but other people's shapes,
# against the CSV floor of the same folder, interleaved round by round.
#   scripts/bench-shapes.sh                              # 5 rounds, 1,000,000 dossiers, a–i
#   ROUNDS=7 DOSSIERS=100000 SHAPES="a e" scripts/bench-shapes.sh
#   BIN=/path/to/kehoach scripts/bench-shapes.sh         # another build of kehoach
# The shapes (examples/generate.rs's options, seed 2021):
#   a  today's shape                 b  --ids global (one 6-digit sequence, sparse per day)
#   c  --ids other (no numeric tail)  d  --procedure-names (names instead of catalogue ids)
#   e  --lapses 0.3 (30 % late or overdue without an apology)
#   f  --messy (BOM, CRLF, shuffled columns, 25 % dd/mm/yyyy, 20 % NFD text)
#   g  --ids uuid (UUIDs: their digits at the end are chance)
#   h  --notes (a note of its own on every dossier row)
#   i  --sort-returned (the dossier rows sorted by return date as a spreadsheet sorts them,
#      blank cells last: most dossiers named in both halves of the split read)
# (g, h and i are not among issue 20's targets: shapes the fast paths were not made for.)
# The folders are generated once into $DATA (default /tmp/kehoach-bench-shapes, outside any git
# work tree, so that `check` does not audit them). Prints, per shape and command, the median wall
# time with its min–max, the median of the ratios to the floor of the same round (min–max), the
# peak RSS of all rounds, and the median ratio of CPU time (user + system) to the floor's (which
# a busy machine disturbs less than wall time; kehoach uses two threads, the floor one).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kehoach --example generate --example floor
bin=${BIN:-target/release/kehoach}
floor=target/release/examples/floor
n=${DOSSIERS:-1000000}
rounds=${ROUNDS:-5}
shapes=${SHAPES:-a b c d e f g h i}
data=${DATA:-/tmp/kehoach-bench-shapes}
declare -A opts=(
  [a]="" [b]="--ids global" [c]="--ids other" [d]="--procedure-names" [e]="--lapses 0.3"
  [f]="--messy" [g]="--ids uuid" [h]="--notes" [i]="--sort-returned"
)
for s in $shapes; do
  dir=$data/$s-$n
  if [ ! -f "$dir/records/dossiers.csv" ]; then
    echo "generating $dir (${opts[$s]:-as today})…" >&2
    rm -rf "$dir"
    # shellcheck disable=SC2086
    target/release/examples/generate --out "$dir" --dossiers "$n" --seed 2021 --plan plan.toml \
      ${opts[$s]} 2>/dev/null
  fi
done
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
  for s in $shapes; do
    dir=$data/$s-$n
    T[$s floor]+="$(t "$floor" "$dir");"
    T[$s check]+="$(t "$bin" -C "$dir" --as-of 2021-12-31 check);"
    T[$s year-json]+="$(t "$bin" -C "$dir" --as-of 2022-01-15 report year 2021 --format json);"
  done
done
echo "kehoach $("$bin" --version 2>/dev/null | awk '{print $2}'), $n dossiers, $rounds interleaved rounds"
for s in $shapes; do
  for c in floor check year-json; do
    echo "$s|$c|${T[$s $c]}"
  done
done | python3 -c '
import sys, statistics as st
rows = {}
for line in sys.stdin:
    s, c, v = line.rstrip("\n").split("|")
    rows[(s, c)] = [tuple(map(float, p.split())) for p in v.strip(";").split(";")]
print("shape command      median       min-max x floor     min-max  peak RSS  CPU x floor")
for (s, c), xs in rows.items():
    ts = [x[0] for x in xs]
    fl = [x[0] for x in rows[(s, "floor")]]
    r = [a / b for a, b in zip(ts, fl)]
    rss = max(x[1] for x in xs) / 1024
    cpu = [(x[2] + x[3]) / (f[2] + f[3]) for x, f in zip(xs, rows[(s, "floor")])]
    print(f"{s:5} {c:10} {st.median(ts):7.3f}s {min(ts):6.3f}-{max(ts):.3f} {st.median(r):7.2f} "
          f"{min(r):5.2f}-{max(r):.2f} {rss:6.0f} MB  {st.median(cpu):5.2f}")
'
