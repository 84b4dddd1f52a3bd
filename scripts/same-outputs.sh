#!/usr/bin/env bash
# Whether a build of kehoach gives the same outputs as another on the shape matrix's folders
# (scripts/bench-shapes.sh): `check --format json`, `report year --format json` and the
# SHA-256 of `export dossiers` (every fact of every dossier, as the store holds it), byte for
# byte, at fixed --as-of dates. For an optimisation, which must change how fast, never what.
# The year JSON's provenance digest is compared apart: the two builds may frame it differently
# (reports made before December 2026 digest the files' bytes, later ones their mebibytes'
# digests), so the new report must pass `verify` against its folder and the rest of the JSON
# must be the same byte for byte.
#   OLD=/tmp/kehoach-old scripts/same-outputs.sh           # against the new build here
#   OLD=... NEW=... SHAPES="c e" scripts/same-outputs.sh
# The old outputs are kept in $KEEP (default /tmp/kehoach-same-outputs/<old binary's hash>) so
# that the old binary runs once per folder. Exit status 1 when any output differs.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${OLD:?OLD=path to the old kehoach binary}
new=${NEW:-target/release/kehoach}
n=${DOSSIERS:-1000000}
shapes=${SHAPES:-a b c d e f g h i}
data=${DATA:-/tmp/kehoach-bench-shapes}
keep=${KEEP:-/tmp/kehoach-same-outputs/$(sha256sum "$old" | cut -c1-16)}
mkdir -p "$keep"
run() { # bin dir out-prefix
  "$1" -C "$2" --as-of 2021-12-31 check --format json >"$3.check.json" 2>"$3.check.err" || true
  "$1" -C "$2" --as-of 2022-01-15 report year 2021 --format json >"$3.year.json" \
    2>"$3.year.err" || true
  "$1" -C "$2" --as-of 2021-12-31 export dossiers --format csv -o "$3.export.csv" \
    2>"$3.export.err" || true
  sha256sum <"$3.export.csv" >"$3.export.sha256" 2>/dev/null || true
  rm -f "$3.export.csv"
  sed -E 's/sha256:[0-9a-f]{64}/sha256:…/g' "$3.year.json" >"$3.year-masked.json"
}
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in $shapes; do
  dir=$data/$s-$n
  # (.done-masked: outputs kept before the digest was compared apart are made again.)
  [ -f "$keep/$s.done-masked" ] || { run "$old" "$dir" "$keep/$s"; touch "$keep/$s.done-masked"; }
  run "$new" "$dir" "$tmp/$s"
  if "$new" -C "$dir" verify "$tmp/$s.year.json" >/dev/null; then
    echo "$s year.json's digest verifies"
  else
    echo "$s year.json's digest DOES NOT VERIFY"
    status=1
  fi
  for out in check.json check.err year-masked.json year.err export.sha256 export.err; do
    if cmp -s "$keep/$s.$out" "$tmp/$s.$out"; then
      echo "$s $out same ($(wc -c <"$tmp/$s.$out") bytes)"
    else
      echo "$s $out DIFFERS"
      status=1
    fi
  done
done
exit $status
