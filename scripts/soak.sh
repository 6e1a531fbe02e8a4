#!/usr/bin/env bash
# Soak: the PolNeAR training articles once (1x) and repeated ten times (10x, ids made unique)
# through `whosaid attribute --threads 2`. Checks one line per document and no error records,
# and prints each run's wall time and peak RSS (GNU time's maximum resident set size).
#
#   scripts/soak.sh [DOCS_JSONL] [REPEATS] [-- extra whosaid flags]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
docs="${1:-$root/../shared/fixtures/polnear-train/docs.jsonl}"
repeats="${2:-10}"
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
"$root/scripts/setup.sh"
whosaid="$root/target/release/whosaid"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$docs" "$repeats" "$work/10x.jsonl" <<'PY'
import json, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
with open(out, "w", encoding="utf-8") as f:
    for k in range(n):
        for d in lines:
            d = dict(d, id=f"{d['id']}~{k}")
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
for run in "1x:$docs" "${repeats}x:$work/10x.jsonl"; do
  name="${run%%:*}"; input="${run#*:}"
  /usr/bin/time -f "%e %M" -o "$work/time" "$whosaid" attribute "$input" --threads 2 "$@" -o "$work/out.jsonl" \
    2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  read -r wall rss_kib < "$work/time"
  in_lines=$(grep -c . "$input"); out_lines=$(wc -l < "$work/out.jsonl")
  errors=$(grep -c '"error":' "$work/out.jsonl" || true)
  echo "$name: $in_lines documents in, $out_lines lines out, $errors error records, wall ${wall} s, peak RSS $((rss_kib / 1024)) MiB"
  [ "$in_lines" = "$out_lines" ] && [ "$errors" = 0 ] || { echo "soak: FAILED" >&2; exit 1; }
done
