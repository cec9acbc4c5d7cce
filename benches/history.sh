#!/usr/bin/env bash
# Benchmarks `edx-matrix history` on a synthetic repository of COMMITS commits of the acme
# matrix (as the `history_of_a_thousand_commits` test builds it, with `git fast-import`): every
# commit changes the file, and the stages of `pro` move through teak, ulmo and verawood. Times
# the whole process with the release build, best of RUNS: wall time, and CPU time (user + sys,
# git children included), which load on the machine inflates less. For comparison, times the
# two git commands `history` runs. Prints a Markdown table; figures in docs/git.md.
#
#   benches/history.sh                 # 1,000 commits, best of 5
#   COMMITS=5000 benches/history.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${COMMITS:-1000}
RUNS=${RUNS:-5}
cargo build --release --locked -q -p edx-matrix
BIN=$PWD/target/release/edx-matrix
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

REPO=$WORK/repo
git init -q -b main "$REPO"
python3 - "$COMMITS" examples/acme/edx-matrix.toml <<'PY' | git -C "$REPO" fast-import --quiet
import sys
commits, acme = int(sys.argv[1]), open(sys.argv[2]).read()
# pro's three stage lines ([deployments.pro]: `CI         = { release = "verawood", vars = ...`)
# get their release replaced; their vars stay.
import re
stage_line = re.compile(r'^(CI|QA|Production)( += \{ release = )"[a-z]+"', re.M)
assert len(stage_line.findall(acme)) == 3, "the example's [deployments.pro] stage lines moved"
releases = ["teak", "ulmo", "verawood"]
pick = lambda i, every: releases[(i // every) % len(releases)]
every = {"CI": 10, "QA": 20, "Production": 40}
out = sys.stdout.buffer
for i in range(commits):
    pinned = stage_line.sub(lambda m: f'{m[1]}{m[2]}"{pick(i, every[m[1]])}"', acme)
    text = (pinned + f"# revision {i}\n").encode()
    message = f"revision {i}".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.invalid> {1_700_000_000 + i * 3600} +0000\n".encode())
    out.write(b"data %d\n%s\n" % (len(message), message))
    out.write(b"M 100644 inline edx-matrix.toml\ndata %d\n%s\n" % (len(text), text))
PY
git -C "$REPO" checkout -q main

# Check the result once: every revision read, none skipped.
"$BIN" --file "$REPO/edx-matrix.toml" history --format json |
  python3 -c "import json,sys; h = json.load(sys.stdin); assert h['revisions'] == $COMMITS and not h['skipped'], h['revisions']"

measure() { # best-of-RUNS wall time, and the least CPU time (user + sys), of a command run in the repository
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
# What `history` asks git for: the log, then every revision through one `cat-file --batch`.
git -C "$REPO" log --format=%H -- edx-matrix.toml | sed 's/$/:edx-matrix.toml/' >"$WORK/batch"

echo "machine: $(nproc) cores, $(uname -m), $(git --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$COMMITS commits of the acme matrix ($(wc -c <examples/acme/edx-matrix.toml) bytes); best of $RUNS"
echo
echo "| command | best wall time | CPU time (user + sys) |"
echo "|---|---|---|"
echo "| \`edx-matrix history\` | $(measure "$BIN" history) |"
echo "| \`edx-matrix history --format json\` | $(measure "$BIN" history --format json) |"
echo "| \`edx-matrix history --deployment pro --format json\` | $(measure "$BIN" history --deployment pro --format json) |"
echo "| (git part) \`git log --follow --name-status\` of the file | $(measure git log --follow --no-color --name-status -z '--format=%x1e%H%x1f%h%x1f%cI%x1f%s' -- edx-matrix.toml) |"
echo "| (git part) \`git cat-file --batch\` of every revision | $(measure sh -c "git cat-file --batch <'$WORK/batch'") |"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
