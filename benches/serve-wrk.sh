#!/usr/bin/env bash
# Load benchmark of `edx-matrix serve` with wrk (Debian package `wrk`) on loopback:
# 10 s, 2 threads, 64 connections against the resolved rows of one stage.
# Usage: benches/serve-wrk.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10s}"
connections="${2:-64}"
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install -y wrk)" >&2; exit 3; }

cargo build --release --locked -p edx-matrix >&2
bin=target/release/edx-matrix
out="$(mktemp)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT

"$bin" --example serve --quiet --addr 127.0.0.1:0 >"$out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do
  grep -q '^serving ' "$out" && break
  sleep 0.05
done
url="$(sed -n 's/^serving .* at \(http:[^ ]*\)$/\1/p' "$out")"
[ -n "$url" ] || { echo "error: the server did not start" >&2; exit 1; }
target="${url}api/v1/resolved?deployment=pro&stage=QA"
curl -fsS "$target" >/dev/null

echo "wrk -t2 -c$connections -d$duration --latency $target"
report="$(wrk -t2 -c"$connections" -d"$duration" --latency "$target")"
echo "$report"
rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")"
p99="$(awk '$1 == "99%" {print $2}' <<<"$report")"
errors="$(grep -E 'Non-2xx|Socket errors' <<<"$report" || true)"
echo
echo "requests/s: $rps"
echo "p99 latency: $p99"
[ -z "$errors" ] || echo "errors: $errors"
