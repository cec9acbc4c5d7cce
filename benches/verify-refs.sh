#!/usr/bin/env bash
# Benchmarks `edx-matrix verify-refs` against a sequential baseline of one `git ls-remote` per
# (origin, branch) entry, on N bare repositories with M release branches each, served by
# `git daemon` on 127.0.0.1 and as file:// URLs. Counts the connections for real: git daemon's
# `--verbose` log has one "Connection from" line per connection; for file:// every connection
# is a `git upload-pack` process, counted in a GIT_TRACE log. Prints a Markdown table; the
# figures are in docs/git.md ("Performance").
#
#   benches/verify-refs.sh                  # N=50 origins, M=20 branches, best of 3
#   N=10 M=5 RUNS=1 benches/verify-refs.sh  # quick
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
M=${M:-20}
JOBS=${JOBS:-16}
RUNS=${RUNS:-3}
cargo build --release --locked -q -p edx-matrix
BIN=$PWD/target/release/edx-matrix
WORK=$(mktemp -d)
DAEMON_PID=
cleanup() {
  if [ -n "$DAEMON_PID" ]; then kill "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# No user or system git configuration: the figures must not depend on them.
export HOME=$WORK GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# ── N bare repositories, each with branches release/r01 … release/rM (and main) ──────────────
releases=()
for ((j = 1; j <= M; j++)); do releases+=("$(printf 'r%02d' "$j")"); done
origins=()
for ((i = 1; i <= N; i++)); do origins+=("$(printf 'o%02d' "$i")"); done
git init -q -b main "$WORK/src"
git -C "$WORK/src" -c user.name=bench -c user.email=bench@example.invalid commit -q --allow-empty -m init
for r in "${releases[@]}"; do git -C "$WORK/src" branch "release/$r"; done
mkdir "$WORK/repos"
for o in "${origins[@]}"; do git clone -q --mirror "$WORK/src" "$WORK/repos/$o.git"; done

# ── git daemon on a free port, logging every connection ──────────────────────────────────────
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$WORK/daemon.log
"$(git --exec-path)/git-daemon" --export-all --base-path="$WORK/repos" --reuseaddr \
  --listen=127.0.0.1 --port="$PORT" --max-connections=64 --verbose --log-destination=stderr \
  2>"$LOG" &
DAEMON_PID=$!
for _ in $(seq 100); do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then break; fi
  sleep 0.05
done
connections() { grep -c "Connection from" "$LOG" || true; }

# ── The matrix: N applications (one per origin), M releases, one deployment whose M stages
# run the M releases (newest first, as a promotion order wants); every application on every
# release. Resolved rows: N × M, all distinct
# (origin, branch) pairs. ────────────────────────────────────────────────────────────────────
write_matrix() { # url-prefix file
  local prefix=$1 file=$2
  {
    printf 'stages = ['
    local sep=
    for ((j = 1; j <= M; j++)); do printf '%s"s%02d"' "$sep" "$j"; sep=', '; done
    printf ']\n\n[releases]\n'
    for r in "${releases[@]}"; do printf '%s = { branch = "release/%s", python = "3.12", node = "24" }\n' "$r" "$r"; done
    printf '\n[applications]\n'
    for o in "${origins[@]}"; do printf '%s = { kind = "ida", repository = "%s/%s.git" }\n' "$o" "$prefix" "$o"; done
    printf '\n[deployments]\nsite = { '
    sep=
    for ((j = 1; j <= M; j++)); do printf '%ss%02d = "%s"' "$sep" "$j" "${releases[M - j]}"; sep=', '; done
    printf ' }\n\n[[map]]\nreleases = ['
    sep=
    for r in "${releases[@]}"; do printf '%s"%s"' "$sep" "$r"; sep=', '; done
    printf ']\ndeployments = ["site"]\n[map.apps]\n'
    for o in "${origins[@]}"; do printf '%s = {}\n' "$o"; done
  } >"$file"
  # The baseline's work list: one (origin, branch) per resolved row.
  "$BIN" --file "$file" resolve --format json |
    python3 -c 'import json,sys; [print(r["git_origin"], r["release_branch"]) for r in json.load(sys.stdin)]' \
      >"$file.pairs"
}
write_matrix "git://127.0.0.1:$PORT" "$WORK/git.toml"
write_matrix "file://$WORK/repos" "$WORK/file.toml"
"$BIN" --file "$WORK/git.toml" check --format json |
  python3 -c 'import json,sys; d = json.load(sys.stdin); assert not d["diagnostics"], d'

# ── Measurement ──────────────────────────────────────────────────────────────────────────────
# `measure.py verify MATRIX JOBS` runs verify-refs, which must exit 0 with every pair present;
# `measure.py baseline PAIRS` runs `git ls-remote <origin> refs/heads/<branch>` for each pair,
# one after the other, and each must print the branch. Either is run RUNS times; it prints the
# pairs checked, the connections of each run (lines matching COUNT_PATTERN added to COUNT_FILE
# by that run) and the best wall time, as table cells.
cat >"$WORK/measure.py" <<'PY'
import json, os, subprocess, sys, time
mode, runs = sys.argv[1], int(os.environ["RUNS"])
count_file, pattern = os.environ.get("COUNT_FILE"), os.environ.get("COUNT_PATTERN", "")
def count():
    if not count_file or not os.path.exists(count_file):
        return 0
    with open(count_file, errors="replace") as f:
        return sum(pattern in line for line in f)
def verify(matrix, jobs):
    p = subprocess.run([os.environ["BIN"], "--file", matrix, "verify-refs", "--jobs", jobs,
                        "--format", "json"], capture_output=True, text=True)
    report = json.loads(p.stdout)
    if p.returncode != 0 or report["missing"] or report["unreachable"]:
        sys.exit(f"verify-refs failed ({p.returncode}): {p.stdout[:500]} {p.stderr[:500]}")
    return report["present"]
def baseline(pairs_file):
    pairs = [line.split() for line in open(pairs_file)]
    for origin, branch in pairs:
        p = subprocess.run(["git", "ls-remote", origin, f"refs/heads/{branch}"],
                           capture_output=True, text=True)
        if p.returncode != 0 or f"refs/heads/{branch}" not in p.stdout:
            sys.exit(f"ls-remote {origin} {branch} failed: {p.stderr}")
    return len(pairs)
best, counts = float("inf"), []
for _ in range(runs):
    before = count()
    t = time.perf_counter()
    checked = verify(*sys.argv[2:]) if mode == "verify" else baseline(*sys.argv[2:])
    best = min(best, time.perf_counter() - t)
    counts.append(count() - before)
connections = str(counts[0]) if len(set(counts)) == 1 else ", ".join(map(str, counts))
print(f"{checked} | {connections} | {best * 1000:.0f} ms")
PY
export BIN RUNS
# git://: connections counted from the daemon log, in each timed run.
row_git() { # label measure.py-arguments...
  local label=$1
  shift
  printf '| git:// (git daemon) | %s | %s |\n' "$label" \
    "$(COUNT_FILE=$LOG COUNT_PATTERN="Connection from" python3 "$WORK/measure.py" "$@")"
}
# file://: each connection runs `git upload-pack`, logged by GIT_TRACE. Counted in one more run
# (tracing would slow the timed ones).
row_file() { # label measure.py-arguments...
  local label=$1 counted timed
  shift
  rm -f "$WORK/trace"
  counted=$(GIT_TRACE=$WORK/trace COUNT_FILE=$WORK/trace COUNT_PATTERN="built-in: git upload-pack" \
    RUNS=1 python3 "$WORK/measure.py" "$@")
  timed=$(python3 "$WORK/measure.py" "$@")
  counted=${counted#* | }
  printf '| file:// | %s | %s | %s | %s |\n' "$label" "${timed%% | *}" "${counted%% | *}" "${timed##* | }"
}

echo "machine: $(nproc) cores, $(uname -m), $(git --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$N origins × $M branches = $((N * M)) (origin, branch) pairs; best of $RUNS runs; connections per run (counted in each run for git://, in one extra traced run for file://)"
echo
echo "| transport | method | pairs checked | connections | best wall time |"
echo "|---|---|---|---|---|"
row_git "\`verify-refs --jobs $JOBS\`" verify "$WORK/git.toml" "$JOBS"
row_git "\`verify-refs --jobs 1\`" verify "$WORK/git.toml" 1
row_git "one \`git ls-remote\` per pair, sequential" baseline "$WORK/git.toml.pairs"
row_file "\`verify-refs --jobs $JOBS\`" verify "$WORK/file.toml" "$JOBS"
row_file "\`verify-refs --jobs 1\`" verify "$WORK/file.toml" 1
row_file "one \`git ls-remote\` per pair, sequential" baseline "$WORK/file.toml.pairs"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
