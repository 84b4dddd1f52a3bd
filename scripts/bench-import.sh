#!/usr/bin/env bash
# `import` against `check` (issue 14): about 1,000,000 dossier rows imported into an empty plan
# folder (the repository's plan.toml, every record file a header only), then `check` of the
# result; wall time and peak RSS of each, a few rounds, and the ratio of the medians (the
# target: import under 3x check).
#   scripts/bench-import.sh                 # 3 rounds, the rows of 700,000 generated dossiers
#   ROUNDS=5 DOSSIERS=100000 scripts/bench-import.sh
#   SOURCE=/tmp/kehoach-bench-shapes/f-1000000 scripts/bench-import.sh   # another folder's rows
#                                           (its dossiers.csv, with its plan.toml and headers)
# The rows come from examples/generate.rs (made once under target/bench-import/). Needs GNU
# time (/usr/bin/time) for the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DOSSIERS=${DOSSIERS:-700000}
cargo build --release --quiet --bin kehoach --example generate
kehoach=$PWD/target/release/kehoach
data=$PWD/target/bench-import
source_dir=${SOURCE:-$data/source-$DOSSIERS}
plan=plan.toml
if [ -n "${SOURCE:-}" ] && [ -f "$SOURCE/plan.toml" ]; then
    plan=$SOURCE/plan.toml
fi
if [ -z "${SOURCE:-}" ] && [ ! -f "$source_dir/records/dossiers.csv" ]; then
    rm -rf "$source_dir"
    target/release/examples/generate --out "$source_dir" --dossiers "$DOSSIERS" --plan plan.toml 2>/dev/null
fi
rows=$(($(wc -l < "$source_dir/records/dossiers.csv") - 1))
as_of=2021-12-14
folder=$data/folder

# One measurement: "seconds peak-RSS-in-MB" of a kehoach run in the folder (exit 0 or 1).
measure() {
    local out status
    out=$(mktemp)
    status=0
    /usr/bin/time -f '%e %M' -o "$out" "$kehoach" -C "$folder" --as-of "$as_of" "$@" \
        >/dev/null 2>&1 || status=$?
    if [ "$status" -gt 1 ]; then
        echo "kehoach $* failed (exit $status)" >&2
        exit 2
    fi
    awk 'END { printf "%.2f %.0f\n", $1, $2 / 1024 }' "$out"
    rm -f "$out"
}

echo "import of $rows dossier rows into an empty folder, then check of the result ($ROUNDS rounds)"
printf '%-6s %10s %10s %10s %10s %7s\n' round 'import s' 'import MB' 'check s' 'check MB' ratio
imports=()
checks=()
for round in $(seq 1 "$ROUNDS"); do
    rm -rf "$folder"
    mkdir -p "$folder/records"
    cp "$plan" "$folder/plan.toml"
    for f in "$source_dir"/records/*.csv; do
        head -n 1 "$f" > "$folder/records/$(basename "$f")"
    done
    read -r import_s import_mb < <(measure import dossiers "$source_dir/records/dossiers.csv")
    imported=$(($(wc -l < "$folder/records/dossiers.csv") - 1))
    if [ "$imported" -ne "$rows" ]; then
        echo "the import wrote $imported rows of $rows" >&2
        exit 2
    fi
    read -r check_s check_mb < <(measure check)
    printf '%-6s %10s %10s %10s %10s %7s\n' "$round" "$import_s" "$import_mb" "$check_s" "$check_mb" \
        "$(awk -v a="$import_s" -v b="$check_s" 'BEGIN { printf "%.2f", a / b }')"
    imports+=("$import_s")
    checks+=("$check_s")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mi=$(median "${imports[@]}")
mc=$(median "${checks[@]}")
echo "median: import ${mi} s, check ${mc} s: import/check $(awk -v a="$mi" -v b="$mc" 'BEGIN { printf "%.2f", a / b }') (target under 3)"
