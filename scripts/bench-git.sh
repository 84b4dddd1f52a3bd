#!/usr/bin/env bash
# The history benchmark (issue 16): what the audit of committed rows adds to `check`, and
# provenance to a report, on 1,000,000 dossiers committed in a git repository (target/bench-git).
# Needs the `git` program to make the repository (kehoach itself reads it with gix).
#   scripts/bench-git.sh          # 9 rounds
#   ROUNDS=15 scripts/bench-git.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kehoach --example generate --example bench_git
exec target/release/examples/bench_git
