#!/usr/bin/env bash
# Benchmarks load + check + resolve, whole process and per phase, on the acme example and on
# synthetic matrices of 125k to 1M application versions (explicit: one block per entry; compact:
# one templated block per deployment). Prints a Markdown table; see docs/benchmarks.md.
#
#   benches/bench.sh            # full run (about a minute)
#   RUNS=3 benches/bench.sh     # fewer repetitions
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
cargo build --release --locked -q -p edx-matrix
cargo build --release --locked -q -p edx-matrix-formats --example gen_matrix --example bench_phases
BIN=target/release/edx-matrix
GEN=target/release/examples/gen_matrix
PHASES=target/release/examples/bench_phases
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# best-of-N wall time (ms) and peak RSS (MiB) of a command, measured by Python's resource module.
measure() {
  python3 - "$RUNS" "$@" <<'PY'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    best = min(best, time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{best*1000:.1f} ms | {rss:.0f} MiB")
PY
}

echo "machine: $(nproc) cores, $(uname -m); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | command | best wall time | peak RSS |"
echo "|---|---|---|---|"
RUNS_SAVED=$RUNS; RUNS=50
echo "| process start | \`edx-matrix --version\` | $(measure $BIN --version) |"
echo "| acme (built-in) | \`--example resolve --format json\` | $(measure $BIN --example resolve --format json) |"
echo "| acme (built-in) | \`--example check\` | $(measure $BIN --example check) |"
RUNS=$RUNS_SAVED
for n in 125 250 500 1000; do
  $GEN "$n" 4 250 explicit >"$WORK/e$n.toml"
  echo "| $((n*1000)) versions, explicit ($(du -h "$WORK/e$n.toml" | cut -f1)) | \`check\` | $(measure $BIN --file "$WORK/e$n.toml" check) |"
done
$GEN 1000 4 250 compact >"$WORK/c1000.toml"
echo "| 1000000 versions, compact ($(du -h "$WORK/c1000.toml" | cut -f1)) | \`check\` | $(measure $BIN --file "$WORK/c1000.toml" check) |"
echo "| 1000000 versions, explicit | \`resolve --format json\` (1M rows, $(($($BIN --file "$WORK/e1000.toml" resolve --format json | wc -c) / 1048576)) MiB out) | $(measure $BIN --file "$WORK/e1000.toml" resolve --format json) |"
echo
echo "Phases, in process, best of $RUNS (1M versions, explicit):"
echo '```'
$PHASES "$WORK/e1000.toml" "$RUNS"
echo '```'
echo "Phases, in process, best of $RUNS (1M versions, compact):"
echo '```'
$PHASES "$WORK/c1000.toml" "$RUNS"
echo '```'
