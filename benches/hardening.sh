#!/usr/bin/env bash
# Issue 12 benchmarks: `fmt` of N small `[[map]]` blocks and of N applications (25k and 100k,
# with the growth factor), and `check` (human output) of a file with a 10 MB value.
# Prints a Markdown table; results in docs/benchmarks.md.
#
#   benches/hardening.sh          # best of 3
#   RUNS=1 benches/hardening.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
cargo build --release --locked -q -p edx-matrix
BIN=$PWD/target/release/edx-matrix
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# best-of-N wall time (s) and peak RSS (MiB); the input is copied afresh before each run.
measure() {
  python3 - "$RUNS" "$@" <<'PY'
import resource, shutil, subprocess, sys, time
runs, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmd = sys.argv[4:]
best = float("inf")
for _ in range(runs):
    shutil.copy(src, dst)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    best = min(best, time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{best:.2f} | {rss:.0f}")
PY
}

echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | command | best wall time (s) | peak RSS (MiB) |"
echo "|---|---|---|---|"
for kind in map apps; do
  for n in 25000 100000; do
    python3 benches/gen_fmt.py "$kind" "$n" >"$WORK/$kind$n.toml"
    echo "| $n $kind ($(du -h "$WORK/$kind$n.toml" | cut -f1)) | \`fmt -q\` | $(measure "$WORK/$kind$n.toml" "$WORK/w.toml" "$BIN" -f "$WORK/w.toml" fmt -q) |"
  done
done
"$BIN" init "$WORK/starter.toml" >/dev/null 2>&1
python3 -c "import sys; t=open(sys.argv[1]).read(); print(t.replace('mysite = {', 'a'*10_000_000 + ' = {', 1), end='')" "$WORK/starter.toml" >"$WORK/big.toml"
echo "| 10 MB deployment name | \`check\` (human) | $(measure "$WORK/big.toml" "$WORK/b.toml" "$BIN" -f "$WORK/b.toml" check) |"
echo "| 10 MB deployment name | \`check --format json\` | $(measure "$WORK/big.toml" "$WORK/b.toml" "$BIN" -f "$WORK/b.toml" check --format json) |"
