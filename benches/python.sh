#!/usr/bin/env bash
# Benchmarks reading a Python matrix package (types.py + version_matrix.py, acme's current
# layout: 4 releases, 14 applications, 4 deployments, 105 application versions):
#   1. `edx-matrix --file DIR resolve --format json`, the whole process, against the same
#      matrix as TOML;
#   2. `edx-matrix --file DIR history` over REVISIONS commits of the package (built with
#      `git fast-import`; every commit changes version_matrix.py, moving `pro`'s stages through
#      teak, ulmo and verawood; one commit in 40 changes types.py instead).
# Release build, best of RUNS: wall time and CPU time (user + sys, git children included).
# Prints a Markdown table; figures in docs/benchmarks.md.
#
#   benches/python.sh                  # 120 revisions, best of 5
#   REVISIONS=1000 benches/python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REVISIONS=${REVISIONS:-120}
RUNS=${RUNS:-5}
cargo build --release --locked -q -p edx-matrix
BIN=$PWD/target/release/edx-matrix
PKG=$PWD/tests/fixtures/acme/python-layout/current
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

REPO=$WORK/repo
git init -q -b main "$REPO"
python3 - "$REVISIONS" "$PKG" <<'PY' | git -C "$REPO" fast-import --quiet
import sys
revisions, pkg = int(sys.argv[1]), sys.argv[2]
types = open(f"{pkg}/types.py").read()
vm = open(f"{pkg}/version_matrix.py").read()
pins = ['EnvRelease("CI", OpenEdxSupportedRelease["verawood"])',
        'EnvRelease("QA", OpenEdxSupportedRelease["ulmo"])',
        'EnvRelease("Production", OpenEdxSupportedRelease["teak"])']
for p in pins:
    assert p in vm, p
releases = ["teak", "ulmo", "verawood"]
pick = lambda i, every: releases[(i // every) % len(releases)]
out = sys.stdout.buffer
def blob(path, text):
    data = text.encode()
    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
for i in range(revisions):
    message = f"revision {i}".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.invalid> {1_700_000_000 + i * 3600} +0000\n".encode())
    out.write(b"data %d\n%s\n" % (len(message), message))
    if i == 0:
        blob("pkg/types.py", types)
    if i % 40 == 39:
        blob("pkg/types.py", types + f"# revision {i}\n")
        continue
    text = vm
    for p, every, stage in zip(pins, (10, 20, 40), ("CI", "QA", "Production")):
        text = text.replace(p, f'EnvRelease("{stage}", OpenEdxSupportedRelease["{pick(i, every)}"])')
    blob("pkg/version_matrix.py", text + f"# revision {i}\n")
PY
git -C "$REPO" checkout -q main
"$BIN" import python "$REPO/pkg" -o "$WORK/acme.toml" 2>/dev/null

# Check once: every revision read, none skipped; the package resolves like its TOML.
"$BIN" --file "$REPO/pkg" history --format json |
  python3 -c "import json,sys; h = json.load(sys.stdin); assert h['revisions'] == $REVISIONS and not h['skipped'], (h['revisions'], h['skipped'][:1])"
cmp <("$BIN" --file "$REPO/pkg" resolve --format json) <("$BIN" --file "$WORK/acme.toml" resolve --format json)

measure() { # best-of-RUNS wall time, and the least CPU time (user + sys), of a command
  python3 - "$RUNS" "$REPO" "$@" <<'PY'
import resource, subprocess, sys, time
runs, repo, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
best = best_cpu = float("inf")
for _ in range(runs):
    t, c = time.perf_counter(), cpu()
    subprocess.run(cmd, cwd=repo, stdout=subprocess.DEVNULL, check=True)
    best = min(best, time.perf_counter() - t)
    best_cpu = min(best_cpu, cpu() - c)
print(f"{best * 1000:.0f} ms | {best_cpu * 1000:.0f} ms")
PY
}

echo "| command | wall (best of $RUNS) | CPU |"
echo "|---|---|---|"
echo "| \`resolve --format json\`, Python package (acme, 105 application versions) | $(measure "$BIN" --file "$REPO/pkg" resolve --format json) |"
echo "| \`resolve --format json\`, the same matrix as TOML | $(measure "$BIN" --file "$WORK/acme.toml" resolve --format json) |"
echo "| \`history\`, Python package, $REVISIONS revisions | $(measure "$BIN" --file "$REPO/pkg" history) |"
echo "| \`history --format json\`, Python package, $REVISIONS revisions | $(measure "$BIN" --file "$REPO/pkg" history --format json) |"
