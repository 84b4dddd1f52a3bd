#!/usr/bin/env bash
# The scale benchmark (issue 8): builds kehoach, the generator and the floor in release mode,
# then runs examples/bench.rs, which generates target/bench-data/ once and prints the figures.
#   scripts/bench.sh            # 5 rounds
#   ROUNDS=9 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kehoach --example generate --example floor --example bench
exec target/release/examples/bench
