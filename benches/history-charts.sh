#!/usr/bin/env bash
# Benchmarks the history charts (`edx-matrix history --format svg`, the dashboard's `/history`):
# renders the timeline and the lead-time chart of a synthetic history of REVISIONS revisions
# (default 1,000) × 50 (deployment, stage) lanes with the release build, best of RUNS (default
# 20), for 1, 2 and 3 lane moves per revision, and prints the render times and SVG sizes as
# Markdown. The history is built in memory (`crates/project/examples/render_bench.rs`): what is
# timed is the chart alone; reading the history from git is `benches/history.sh`. Figures in
# docs/benchmarks.md.
#
#   benches/history-charts.sh
#   REVISIONS=5000 benches/history-charts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p edx-matrix-project --example render_bench
BIN=$PWD/target/release/examples/render_bench
echo "machine: $(nproc) cores, $(uname -m); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for changes in 1 2 3; do
  echo
  CHANGES=$changes "$BIN"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
