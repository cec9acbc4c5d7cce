#!/usr/bin/env bash
# Mutation-tests the lines of the domain (model), the edits (edit) and the pipelines (pipeline)
# that this branch changes against BASE (default: main).
# Run it before you stop on any change to those crates; every survivor is a missing test or an
# equivalent mutant to name in the change's note.
#
#   scripts/mutants-in-diff.sh [BASE] [-- extra cargo-mutants options]
#
# Two passes, the cheap one first (docs/development.md#mutation-testing):
#   1. each mutant against its own crate's tests only (`--test-workspace=false`): a few seconds
#      a mutant, where the whole workspace's tests cost minutes;
#   2. only the mutants pass 1 did not catch (`--iterate` skips the caught and unviable ones),
#      against the whole workspace's tests. What survives pass 2 is a survivor.
# Both build with the `mutants` profile (the test profile without debug info).
#
# Needs cargo-mutants (`cargo install cargo-mutants --locked`; 27.x builds on rustc 1.95).
# Results land in mutants.out/ (outcomes.json, caught.txt, previously_caught.txt, missed.txt).
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
git diff "$base" -- crates/model/src crates/formats/src/edit crates/pipeline/src >"$diff"
if [ ! -s "$diff" ]; then
  echo "no change to crates/model/src, crates/formats/src/edit or crates/pipeline/src against $base: nothing to mutate"
  exit 0
fi

mutants() {
  cargo mutants --in-diff "$diff" \
    --package edx-matrix-model --package edx-matrix-formats --package edx-matrix-pipeline \
    --profile mutants "$@"
}

# Exit 2 means "some mutants missed": pass 2 decides. Anything else non-zero is a real failure
# (the unmutated tree does not build or its tests fail).
status=0
mutants --test-workspace=false "$@" || status=$?
case $status in
  0) echo "every mutant caught by its own crate's tests"; exit 0 ;;
  2 | 3) ;;
  *) exit "$status" ;;
esac
echo "re-checking the survivors with the whole workspace's tests"
mutants --test-workspace=true --iterate "$@"
