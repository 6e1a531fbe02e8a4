#!/usr/bin/env bash
# Long property-test runs with fresh random seeds (CI runs 256 cases with a fixed seed).
#
#   scripts/proptest-long.sh [CASES] [ROUNDS]     default 20000 cases, 5 rounds
#
# Each round picks a new seed and prints it, so a failure can be replayed with
# PROPTEST_RNG_SEED=SEED PROPTEST_CASES=CASES cargo test --release -p whosaid-attribution --test properties.
# proptest adds each failure's seed to crates/*/tests/properties.proptest-regressions: commit it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cases="${1:-20000}"
rounds="${2:-5}"
status=0
for round in $(seq 1 "$rounds"); do
  seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
  echo "round $round/$rounds: PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases" >&2
  PROPTEST_RNG_SEED="$seed" PROPTEST_CASES="$cases" \
    cargo test --release --quiet -p whosaid-tokenize -p whosaid-attribution --test properties || status=1
done
exit $status
