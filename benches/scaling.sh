#!/usr/bin/env bash
# Scaling: each command on a generated input and on one 4x as large (release build), best-of-RUNS
# wall time and peak RSS, and the ratios. Near-linear means 4x the input costs at most 4.5x
# the time and the memory (issue 23). Peak RSS does not depend on the machine's load; wall
# time does (the load average is printed before and after). Figures in docs/benchmarks.md.
#
#   benches/scaling.sh          # best of 3
#   RUNS=5 benches/scaling.sh
#   NO_BUILD=1 benches/scaling.sh   # the binaries already in target/release
#   ONLY=render benches/scaling.sh  # only the rows whose command contains `render`
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --locked -q -p edx-matrix
  cargo build --release --locked -q -p edx-matrix-formats --example gen_matrix
fi
BIN=$PWD/target/release/edx-matrix
GEN=$PWD/target/release/examples/gen_matrix
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# "wall_ms rss_kib cpu_ms" of the best of RUNS runs (RSS: the largest seen; CPU: user + sys of
# the best run, to the microsecond from wait4's rusage, far less load-dependent than wall time;
# a command that spreads its work over threads spends more CPU than wall time), run in $WORK.
measure() {
  python3 - "$RUNS" "$WORK" "$@" <<'PY'
import os, subprocess, sys, time
runs, work, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
best, rss, cpu = float("inf"), 0, float("inf")
for _ in range(runs):
    t = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    best = min(best, time.perf_counter() - t)
    rss = max(rss, usage.ru_maxrss)
    cpu = min(cpu, usage.ru_utime + usage.ru_stime)
print(f"{best * 1000:.1f} {rss} {cpu * 1000:.1f}")
PY
}

# One table row: what, the 1x and the 4x command (the 4x one with {} for the size).
row() {
  local what=$1 small=$2 large=$3
  [[ -z "${ONLY:-}" || "$what" == *"$ONLY"* ]] || return 0
  read -r t1 m1 c1 <<<"$(eval "measure $small")"
  read -r t4 m4 c4 <<<"$(eval "measure $large")"
  python3 -c "
t1, m1, c1, t4, m4, c4 = $t1, $m1, max($c1, 1), $t4, $m4, $c4
flags = [n for n, r in ((\"time\", t4/t1), (\"CPU\", c4/c1), (\"memory\", m4/m1)) if r > 4.5]
print(f'| {\"$what\"} | {t1:.0f} ms ({c1:.0f} ms CPU), {m1/1024:.0f} MiB | {t4:.0f} ms ({c4:.0f} ms CPU), {m4/1024:.0f} MiB | x{t4/t1:.2f} | x{c4/c1:.2f} | x{m4/m1:.2f} |' + (f' **{\", \".join(flags)} over 4.5x**' if flags else ''))"
}

# Inputs: explicit matrices of 50 and 200 deployments x 4 stages x 250 applications (50k and
# 200k application versions); the same with `[pipelines]` at 40 applications (pipeline
# rendering); acme histories of 250 and 1,000
# commits (campus's stages moving between master and verawood).
for n in 50 200; do
  "$GEN" "$n" 4 250 explicit >"$WORK/e$n.toml"
  { "$GEN" "$n" 4 40 explicit; printf '\n[pipelines]\nteam = "bench"\n'; } >"$WORK/p$n.toml"
done
# import python reads packages of 10 and 40 deployments (10k / 40k versions): the 200-deployment
# one is over the 32 MiB input limit.
for n in 10 40; do
  "$GEN" "$n" 4 250 explicit >"$WORK/i$n.toml"
  "$BIN" --file "$WORK/i$n.toml" export python -o "$WORK/py$n" >/dev/null 2>&1
done
history_repo() { # DIR COMMITS
  git init -q -b main "$1"
  python3 - "$2" examples/acme/edx-matrix.toml <<'PY' | git -C "$1" fast-import --quiet
import sys
commits, acme = int(sys.argv[1]), open(sys.argv[2]).read()
pro = 'campus         = { CI = "master",   QA = "verawood", Production = "verawood" }'
assert pro in acme
releases = ["master", "verawood"]
pick = lambda i, every: releases[(i // every) % len(releases)]
out = sys.stdout.buffer
for i in range(commits):
    pins = f'campus         = {{ CI = "{pick(i, 10)}", QA = "{pick(i, 20)}", Production = "{pick(i, 40)}" }}'
    text = (acme.replace(pro, pins) + f"# revision {i}\n").encode()
    message = f"revision {i}".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.invalid> {1_700_000_000 + i * 3600} +0000\n".encode())
    out.write(b"data %d\n%s\n" % (len(message), message))
    out.write(b"M 100644 inline edx-matrix.toml\ndata %d\n%s\n" % (len(text), text))
PY
  git -C "$1" checkout -q main
}
history_repo "$WORK/h250" 250
history_repo "$WORK/h1000" 1000

echo "machine: $(nproc) cores, $(uname -m); load average before: $(cut -d' ' -f1-3 /proc/loadavg); best of $RUNS"
echo
echo "| command | 1x | 4x | wall ratio | CPU ratio | memory ratio |"
echo "|---|---|---|---|---|---|"
row "\`check\` (50k / 200k versions)" "$BIN --file e50.toml check" "$BIN --file e200.toml check"
row "\`resolve --format json\` (50k / 200k rows)" "$BIN --file e50.toml resolve --format json" "$BIN --file e200.toml resolve --format json"
row "\`fmt --check\` (50k / 200k versions)" "$BIN --file e50.toml fmt --check" "$BIN --file e200.toml fmt --check"
row "\`export python\` (50k / 200k versions)" "$BIN --file e50.toml export python -o out50 --force" "$BIN --file e200.toml export python -o out200 --force"
row "\`import python\` (exported packages, 10k / 40k versions)" "$BIN import python py10 -o imp10.toml --force" "$BIN import python py40 -o imp40.toml --force"
row "\`history\` (250 / 1,000 commits)" "$BIN --file h250/edx-matrix.toml history" "$BIN --file h1000/edx-matrix.toml history"
row "\`pipeline render --all\` (50 / 200 deployments x 40 apps)" "$BIN --file p50.toml pipeline render --all -o r50 --force" "$BIN --file p200.toml pipeline render --all -o r200 --force"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
