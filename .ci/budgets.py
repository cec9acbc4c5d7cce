#!/usr/bin/env python3
"""Performance budgets: whole-process instruction counts (callgrind) and peak RSS of the release
binary on fixed inputs, against the budgets in `.ci/budgets.toml`. Exits 1 when a figure is over
its budget (`.ci/run` runs it after the tests).

Instruction counts and peak memory do not depend on the machine's load (unlike wall time, which
this never budgets), so CI can fail on them.

    .ci/budgets.py                 # build, measure, compare with the budgets
    .ci/budgets.py --wall 10       # also best-of-10 wall time (benches/budgets.sh: noisy, not budgeted)
    .ci/budgets.py --no-build      # use the binaries already in target/release
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/edx-matrix"
GEN = ROOT / "target/release/examples/gen_matrix"


def build() -> None:
    # One release build for everything in .ci/run that needs one (the container image too).
    subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "edx-matrix"], cwd=ROOT, check=True)
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "-q", "-p", "edx-matrix-formats", "--example", "gen_matrix"],
        cwd=ROOT,
        check=True,
    )


def inputs(work: Path) -> dict:
    """The inputs the cases name: `{estate}` (checked in), `{gen100k}` and `{render40}`
    (generated), `{work}` (a scratch directory for output files)."""
    gen100k = work / "gen100k.toml"
    with gen100k.open("w") as out:
        # 100 deployments x 4 stages x 250 applications, one [[map]] block per entry.
        subprocess.run([str(GEN), "100", "4", "250", "explicit"], stdout=out, check=True)
    render40 = work / "render40.toml"
    with render40.open("w") as out:
        # 40 deployments x 4 stages x 3 applications, with standard pipelines: 3 pipelines of
        # 320 jobs each, large enough that a cost quadratic in one pipeline's jobs shows.
        subprocess.run([str(GEN), "40", "4", "3", "explicit"], stdout=out, check=True)
        out.write('\n[pipelines]\nteam = "bench"\n')
    return {
        "estate": str(ROOT / "benches/inputs/estate-156.toml"),
        "gen100k": str(gen100k),
        "render40": str(render40),
        "work": str(work),
    }


# Every case runs off a terminal (stdin from /dev/null, stdout discarded, stderr captured) and
# without COLUMNS or EDX_MATRIX_FILE: `--help` is then the page clap rendered at 100 columns
# (crates/cli/src/prerendered.rs) wherever this runs; from a terminal it would be clap's own
# rendering at the terminal's width, 1M instructions more.
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "EDX_MATRIX_FILE")}


def run_ok(cmd: list, what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV
    )
    if done.returncode != 0:
        sys.exit(f"budgets: `{what}` failed ({done.returncode}):\n{done.stderr}")
    return done


def instructions(args: list, what: str) -> int:
    done = run_ok(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", str(BIN), *args], what)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        sys.exit(f"budgets: no instruction count from callgrind for `{what}`:\n{done.stderr}")
    return int(found.group(1))


def peak_rss_kib(args: list, what: str) -> int:
    with tempfile.NamedTemporaryFile("r") as out:
        run_ok(["/usr/bin/time", "-f", "%M", "-o", out.name, str(BIN), *args], what)
        return int(out.read().split()[-1])


def best_wall_ms(args: list, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(BIN), *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV
        )
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--wall", type=int, default=0, metavar="N", help="also best-of-N wall time")
    parser.add_argument("--budgets", default=str(ROOT / ".ci/budgets.toml"))
    opts = parser.parse_args()
    with open(opts.budgets, "rb") as f:
        cases = tomllib.load(f)["case"]
    if not opts.no_build:
        build()
    over = []
    load = open("/proc/loadavg").read().split()[:3]
    print(f"budgets: {os.cpu_count()} cores, load average {' '.join(load)} (instructions and RSS do not depend on it)")
    print()
    print("| case | command | instructions (budget) | peak RSS (budget) |" + (" best wall |" if opts.wall else ""))
    print("|---|---|---|---|" + ("---|" if opts.wall else ""))
    with tempfile.TemporaryDirectory() as work:
        files = inputs(Path(work))
        for case in cases:
            args = [a.format(**files) for a in case["args"]]
            shown = " ".join(case["args"])
            cells = []
            for key, measure, unit in [
                ("instructions", instructions, ""),
                ("peak_rss_kib", peak_rss_kib, " KiB"),
            ]:
                budget = case.get(key)
                if budget is None:
                    cells.append("—")
                    continue
                figure = measure(args, shown)
                mark = ""
                if figure > budget:
                    over.append(f"{case['name']}: {key} {figure:,} > budget {budget:,}")
                    mark = " **over**"
                cells.append(f"{figure:,}{unit} ({budget:,}){mark}")
            if opts.wall:
                cells.append(f"{best_wall_ms(args, opts.wall):.1f} ms")
            print(f"| {case['name']} | `{shown}` | " + " | ".join(cells) + " |")
    print()
    if over:
        print("budgets: over budget:\n  " + "\n  ".join(over))
        print("(a deliberate cost: raise the budget in .ci/budgets.toml and say why in docs/benchmarks.md)")
        return 1
    print("budgets: every figure within its budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
