#!/usr/bin/env bash
# Benchmarks `edx-matrix lock` on N bare repositories with M release branches each, served by
# `git daemon` on 127.0.0.1: one deployment whose M stages run the M releases, every application
# on every release, so N × M (origin, branch) pairs to lock. Counts the connections for real:
# git daemon's `--verbose` log has one "Request upload-pack" line per served connection. Prints a
# Markdown table; the figures are in docs/benchmarks.md ("lock").
#
#   benches/lock.sh                          # N=50 origins, M=20 branches, best of 3, release build
#   N=10 M=5 RUNS=1 PROFILE=debug benches/lock.sh   # quick, on the debug binary
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
M=${M:-20}
RUNS=${RUNS:-3}
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then
  cargo build --release --locked -q -p edx-matrix
else
  cargo build --locked -q -p edx-matrix
fi
BIN=$PWD/target/$PROFILE/edx-matrix
WORK=$(mktemp -d)
DAEMON_PID=
cleanup() {
  if [ -n "$DAEMON_PID" ]; then kill "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

releases=()
for ((j = 1; j <= M; j++)); do releases+=("$(printf 'r%02d' "$j")"); done
origins=()
for ((i = 1; i <= N; i++)); do origins+=("$(printf 'o%02d' "$i")"); done
git init -q -b main "$WORK/src"
git -C "$WORK/src" -c user.name=bench -c user.email=bench@example.invalid commit -q --allow-empty -m init
for r in "${releases[@]}"; do git -C "$WORK/src" branch "release/$r"; done
mkdir "$WORK/repos"
for o in "${origins[@]}"; do git clone -q --mirror "$WORK/src" "$WORK/repos/$o.git"; done

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$WORK/daemon.log
"$(git --exec-path)/git-daemon" --export-all --base-path="$WORK/repos" --reuseaddr \
  --listen=127.0.0.1 --port="$PORT" --max-connections=64 --verbose --log-destination=stderr \
  2>"$LOG" &
DAEMON_PID=$!
for _ in $(seq 100); do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then break; fi
  sleep 0.05
done
requests() { grep -c "Request upload-pack" "$LOG" || true; }

mkdir "$WORK/m"
{
  printf 'stages = ['
  sep=
  for ((j = 1; j <= M; j++)); do printf '%s"s%02d"' "$sep" "$j"; sep=', '; done
  printf ']\n\n[releases]\n'
  for r in "${releases[@]}"; do printf '%s = { branch = "release/%s", python = "3.12", node = "24" }\n' "$r" "$r"; done
  printf '\n[applications]\n'
  for o in "${origins[@]}"; do printf '%s = { kind = "ida", repository = "git://127.0.0.1:%s/%s.git" }\n' "$o" "$PORT" "$o"; done
  printf '\n[deployments]\nsite = { '
  sep=
  for ((j = 1; j <= M; j++)); do printf '%ss%02d = "%s"' "$sep" "$j" "${releases[M - j]}"; sep=', '; done
  printf ' }\n\n[[map]]\nreleases = ['
  sep=
  for r in "${releases[@]}"; do printf '%s"%s"' "$sep" "$r"; sep=', '; done
  printf ']\ndeployments = ["site"]\n[map.apps]\n'
  for o in "${origins[@]}"; do printf '%s = {}\n' "$o"; done
} >"$WORK/m/edx-matrix.toml"
"$BIN" --file "$WORK/m/edx-matrix.toml" check >/dev/null

# One timed `lock` of everything; the first run writes the lock, later ones find nothing
# changed (byte-identical): both are the same remote work.
measure() { # label
  local best=999999 counts=() before start end ms
  for ((run = 1; run <= RUNS; run++)); do
    before=$(requests)
    start=$(date +%s%N)
    EDX_MATRIX_NOW=2026-12-05T18:40:00Z "$BIN" --file "$WORK/m/edx-matrix.toml" lock --format json >"$WORK/out.json"
    end=$(date +%s%N)
    counts+=($(($(requests) - before)))
    ms=$(((end - start) / 1000000))
    if ((ms < best)); then best=$ms; fi
  done
  local entries
  entries=$(grep -c '^\[\[lock\]\]' "$WORK/m/edx-matrix.lock")
  printf '| %s | %s | %s | %s ms |\n' "$1" "$entries" "${counts[*]}" "$best"
}

echo "machine: $(nproc) cores, $(uname -m), $(git --version), $PROFILE build; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$N origins × $M branches = $((N * M)) rows to lock; best of $RUNS runs"
echo
echo "| run | entries written | connections per run | best wall time |"
echo "|---|---|---|---|"
measure "\`lock\` (all stages)"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
