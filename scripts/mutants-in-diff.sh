#!/usr/bin/env bash
# Mutation-tests the lines of the domain (model), the edits (edit) and the pipelines (pipeline)
# that this branch changes against BASE (default: main), with the whole workspace's tests.
# Run it before you stop on any change to those crates; every survivor is a missing test or an
# equivalent mutant to name in the change's note.
#
#   scripts/mutants-in-diff.sh [BASE] [-- extra cargo-mutants options]
#
# Needs cargo-mutants (`cargo install cargo-mutants --locked`; 27.x builds on rustc 1.95).
# Results land in mutants.out/ (outcomes.json, caught.txt, missed.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

base=main
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  base=$1
  shift
fi
[ "${1:-}" = "--" ] && shift

if ! command -v cargo-mutants >/dev/null 2>&1; then
  echo "cargo-mutants is not installed: cargo install cargo-mutants --locked" >&2
  exit 2
fi

diff=$(mktemp)
trap 'rm -f "$diff"' EXIT
git diff "$base" -- crates/model/src crates/edit/src crates/pipeline/src >"$diff"
if [ ! -s "$diff" ]; then
  echo "no change to crates/{model,edit,pipeline}/src against $base: nothing to mutate"
  exit 0
fi

exec cargo mutants --in-diff "$diff" \
  --package edx-matrix-model --package edx-matrix-edit --package edx-matrix-pipeline \
  --test-workspace=true "$@"
