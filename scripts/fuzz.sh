#!/usr/bin/env bash
# Fuzz the tokenize and attribution stages with cargo fuzz (libFuzzer, stable toolchain,
# --sanitizer none), both targets side by side, with the cue-word dictionary fuzz/news.dict and
# a seed corpus of real news paragraphs cut from ../shared/fixtures (built here, never
# committed: third-party text stays in shared/).
#
#   scripts/fuzz.sh [SECONDS]      run each target for SECONDS (default 1800)
#   scripts/fuzz.sh --write-dict   regenerate fuzz/news.dict from the attribution lexicon
#
# Needs `cargo install cargo-fuzz`. Crashes land in fuzz/artifacts/TARGET/; reproduce one with
# `cargo fuzz run --sanitizer none -O TARGET fuzz/artifacts/TARGET/crash-...`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--write-dict" ]; then
  cargo test --release -p whosaid-attribution --lib print_fuzz_dictionary -- --ignored --nocapture 2>/dev/null |
    sed -n '/^# libFuzzer/,/^test /p' | grep -v '^test ' >fuzz/news.dict
  echo "fuzz/news.dict: $(grep -c '^"' fuzz/news.dict) entries" >&2
  exit 0
fi
seconds="${1:-1800}"
command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo-fuzz not found: cargo install cargo-fuzz" >&2; exit 2; }
shared="$root/../shared/fixtures"
for target in document attribute; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  if [ -d "$shared" ] && [ -z "$(ls -A "$corpus")" ]; then
    # One seed per paragraph (at most 4 KB), from the PolNeAR dev and train articles.
    python3 - "$corpus" "$shared"/polnear-dev/docs.jsonl "$shared"/polnear-train/docs.jsonl <<'PY'
import hashlib, json, sys
out, paths = sys.argv[1], sys.argv[2:]
n = 0
for path in paths:
    for line in open(path, encoding="utf-8"):
        for para in json.loads(line)["text"].split("\n\n"):
            data = para.strip().encode("utf-8")[:4096]
            if len(data) > 40 and n < 3000:
                open(f"{out}/{hashlib.sha1(data).hexdigest()}", "wb").write(data)
                n += 1
print(f"{out}: {n} seed paragraphs", file=sys.stderr)
PY
  fi
done
cd fuzz
pids=()
for target in document attribute; do
  cargo fuzz run --sanitizer none -O "$target" "corpus/$target" -- \
    -dict=news.dict -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 \
    >"../target/fuzz-$target.log" 2>&1 &
  pids+=($!)
done
status=0
for i in 0 1; do wait "${pids[$i]}" || status=1; done
for target in document attribute; do
  echo "== $target"; grep -E "^stat::|Done|SUMMARY|panicked" "../target/fuzz-$target.log" | head -20
done
exit $status
