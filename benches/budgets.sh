#!/usr/bin/env bash
# Every figure the CI budgets check (.ci/budgets.toml: callgrind instruction counts and peak
# RSS of the release binary on fixed inputs), plus best-of-RUNS wall time, with the machine's
# load. Wall time depends on the load; instructions and RSS do not. Figures in
# docs/benchmarks.md ("Budgets").
#
#   benches/budgets.sh            # best of 20
#   RUNS=50 benches/budgets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec .ci/budgets.py --wall "${RUNS:-20}"
