#!/usr/bin/env bash
# The rollup benchmark (issue 21): builds kehoach, the generator and the floor in release mode,
# then runs examples/bench_rollup.rs, which generates target/bench-rollup/ once (300 communes
# of 5,000 dossiers: 1.5 million dossiers in 300 folders) and prints the figures.
#   scripts/bench-rollup.sh                 # 5 rounds
#   ROUNDS=9 scripts/bench-rollup.sh
#   COMMUNES=30 DOSSIERS=2000 scripts/bench-rollup.sh   # a smaller province
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kehoach --example generate --example floor --example bench_rollup
exec target/release/examples/bench_rollup
