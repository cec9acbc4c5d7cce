#!/usr/bin/env bash
# Benchmarks `edx-matrix diff --count-commits` on N bare repositories of C commits each, served by
# `git daemon` on 127.0.0.1: one stage locked, every branch advanced by A commits, relocked, and
# the working tree's lock compared with HEAD's — N ranges of A commits, one per origin. Times the
# offline `diff`, then `--count-commits` with an empty cache (every run) and a warm one, and
# counts the connections for real (git daemon's `--verbose` log: one "Request upload-pack" line
# per served connection). Prints a Markdown table; the figures are in docs/benchmarks.md.
#
#   benches/diff-commits.sh                          # N=20, C=50, A=3, best of 3, release build
#   N=5 RUNS=1 PROFILE=debug benches/diff-commits.sh # quick, on the debug binary
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20}
C=${C:-50}
A=${A:-3}
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
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid

mkdir "$WORK/repos"
commits() { # work-dir count prefix
  for ((k = 1; k <= $2; k++)); do git -C "$1" commit -q --allow-empty -m "$3$k"; done
}
for ((i = 0; i < N; i++)); do
  git init -q --bare "$WORK/repos/r$i.git"
  git init -q -b master "$WORK/w$i"
  commits "$WORK/w$i" "$C" c
  git -C "$WORK/w$i" push -q "$WORK/repos/r$i.git" HEAD:refs/heads/master
done

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

M=$WORK/m
mkdir "$M"
{
  printf 'stages = ["CI"]\n\n[releases]\nmaster = { branch = "master", python = "3.12", node = "24" }\n\n[applications]\n'
  for ((i = 0; i < N; i++)); do printf 'app%d = { kind = "ida", repository = "git://127.0.0.1:%s/r%d.git" }\n' "$i" "$PORT" "$i"; done
  printf '\n[deployments]\nsite = { CI = "master" }\n\n[[map]]\nreleases = ["master"]\ndeployments = ["site"]\n[map.apps]\n'
  for ((i = 0; i < N; i++)); do printf 'app%d = {}\n' "$i"; done
} >"$M/edx-matrix.toml"
"$BIN" --file "$M/edx-matrix.toml" lock >/dev/null 2>&1
git -C "$M" init -q -b main
git -C "$M" add edx-matrix.toml edx-matrix.lock
git -C "$M" commit -q -m lock
for ((i = 0; i < N; i++)); do
  commits "$WORK/w$i" "$A" n
  git -C "$WORK/w$i" push -q "$WORK/repos/r$i.git" HEAD:refs/heads/master
done
"$BIN" --file "$M/edx-matrix.toml" lock >/dev/null 2>&1

measure() { # label clear-cache args...
  local label=$1 clear=$2 best=999999 counts=() before start end ms
  shift 2
  for ((run = 1; run <= RUNS; run++)); do
    if [ "$clear" = yes ]; then rm -rf "$WORK/.cache"; fi
    before=$(requests)
    start=$(date +%s%N)
    (cd "$M" && "$BIN" diff "$@" --format json >"$WORK/out.json")
    end=$(date +%s%N)
    counts+=($(($(requests) - before)))
    ms=$(((end - start) / 1000000))
    if ((ms < best)); then best=$ms; fi
  done
  local counted
  counted=$(python3 -c "import json; d = json.load(open('$WORK/out.json')); print(sum(1 for c in d['commits'] if c.get('count') == {'added': $A, 'rolled_back': 0}))")
  printf '| %s | %s | %s | %s ms |\n' "$label" "$counted" "${counts[*]}" "$best"
}

echo "machine: $(nproc) cores, $(uname -m), $(git --version), $PROFILE build; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$N origins of $C commits, each advanced by $A and relocked; best of $RUNS runs"
echo
echo "| run | ranges counted ($A commits) | connections per run | best wall time |"
echo "|---|---|---|---|"
measure "\`diff\` (offline)" no
measure "\`diff --count-commits\`, empty cache" yes --count-commits
measure "\`diff --count-commits\`, warm cache" no --count-commits
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
