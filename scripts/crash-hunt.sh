#!/usr/bin/env bash
# Crash hunt: hostile variants of a real corpus through `whosaid attribute`.
#
#   scripts/crash-hunt.sh CORPUS.jsonl... [--variants N] [--seed S] [--skip K] [--take N] [--save FILE] [-- WHOSAID_FLAGS]
#
# Derives N variants (default 20,000): cut after each cue word and at random points, sentences
# shuffled, paragraphs repeated or joined, quotation marks dropped or doubled, cue words stacked,
# every sentence ending in a cue. Runs them all (default flags: --fast, the quickest model; pass
# e.g. `-- --backend torch` for another), checks one line per variant in order, and prints every
# variant that panicked or got an error line, shrunk to its smallest failing form. Exit 0 when
# all variants got results. --skip K --take N runs variants K+1 to K+N of the same set (same
# corpus, --variants and --seed), to split a long hunt over several runs. Example:
#   scripts/crash-hunt.sh ../shared/fixtures/polnear-train/docs.jsonl ../shared/fixtures/polnear-dev/docs.jsonl
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -x "$root/target/release/whosaid" ] || "$root/scripts/setup.sh"
exec python3 "$root/scripts/crash-hunt.py" "$@"
