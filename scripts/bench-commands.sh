#!/usr/bin/env bash
# The everyday commands on a province-sized folder, against `check` of the same folder: none
# should hold more than `check` does, or take much longer. Each runs on a fresh copy of the
# folder (the writing ones change it), a few rounds; prints the median wall time, its ratio to
# check's median, and the peak RSS.
#   scripts/bench-commands.sh                     # 3 rounds, 1,000,000 dossiers (shape a)
#   ROUNDS=5 DOSSIERS=100000 scripts/bench-commands.sh
#   BIN=/path/to/kehoach scripts/bench-commands.sh     # another build of kehoach
#   SHAPE=c scripts/bench-commands.sh             # another shape of scripts/bench-shapes.sh
# The folder is generated once (examples/generate.rs, seed 2021, the shape's options) under $DATA (default
# /tmp/kehoach-bench-shapes, shared with scripts/bench-shapes.sh). Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kehoach --example generate
bin=${BIN:-$PWD/target/release/kehoach}
rounds=${ROUNDS:-3}
n=${DOSSIERS:-1000000}
data=${DATA:-/tmp/kehoach-bench-shapes}
shape=${SHAPE:-a}
declare -A opts=(
  [a]="" [b]="--ids global" [c]="--ids other" [d]="--procedure-names" [e]="--lapses 0.3"
  [f]="--messy"
)
source_dir=$data/$shape-$n
if [ ! -f "$source_dir/records/dossiers.csv" ]; then
    rm -rf "$source_dir"
    # shellcheck disable=SC2086
    target/release/examples/generate --out "$source_dir" --dossiers "$n" --seed 2021 \
        --plan plan.toml ${opts[$shape]} 2>/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
folder=$work/folder
# A dossier of the middle of the year, and rows of new dossiers for an import: every row of
# the dossiers whose id ends in 5 or E (a tenth or so), the id given an N in front, so that none
# is known yet. The id column is found by its name (the messy shape shuffles the columns).
pick='NR == 1 { sub(/^\xEF\xBB\xBF/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^id\r?$/) c = i }'
id=$(awk -F, -v n="$n" "$pick"' NR == int(n * 0.9) { print $c }' "$source_dir/records/dossiers.csv")
awk -F, -v OFS=, "$pick"' NR == 1 { print; next } $c ~ /[5E]$/ { $c = "N" $c; print }' \
    "$source_dir/records/dossiers.csv" > "$work/new-rows.csv"
commands=(
    "check"
    "deadlines"
    "report quarter 2021-Q4"
    "report year 2021 --format json"
    "show dossiers $id"
    "dossier open --procedure ht-khai-sinh --officer ct --received 30/12/2021"
    "dossier return $id --date 30/12/2021 --dry-run"
    "add activity --date 30/12/2021 --task 1 --kind meeting --summary Họp --officers ct"
    "amend dossier $id --note sửa --reason ct:nhập-sai"
    "import dossiers $work/new-rows.csv"
    "export dossiers -o $work/out.csv"
    "export dossiers --format xlsx -o $work/out.xlsx"
)
out=$work/time
echo "kehoach on $n dossiers, shape $shape ($(($(wc -l < "$work/new-rows.csv") - 1)) rows to import), $rounds rounds"
for c in "${commands[@]}"; do
    for _ in $(seq "$rounds"); do
        rm -rf "$folder"
        cp -a "$source_dir" "$folder"
        # shellcheck disable=SC2086
        /usr/bin/time -f "%e %M" -o "$out" "$bin" -C "$folder" --as-of 2021-12-31 $c \
            >/dev/null 2>&1 || true
        echo "${c//$work/\$TMP}|$(tail -1 "$out")"
    done
done | python3 -c '
import sys, statistics as st
runs = {}
for line in sys.stdin:
    c, v = line.rstrip("\n").split("|")
    t, m = v.split()
    runs.setdefault(c, []).append((float(t), int(m)))
check = st.median(t for t, _ in runs["check"])
print("%-72s %8s %8s %9s" % ("command", "median", "x check", "peak RSS"))
for c, xs in runs.items():
    t = st.median(x[0] for x in xs)
    name = c if len(c) <= 72 else c[:69] + "..."
    print(f"{name:72} {t:7.2f}s {t / check:8.2f} {max(m for _, m in xs) / 1024:6.0f} MB")
'
