#!/usr/bin/env bash
# One-time set-up, idempotent: a project-local Python venv with PyPI's torch 2.4.0 (it provides
# libtorch to tch/rust-bert; nothing downloads at build time), then a release build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  echo "setup: cargo not found; install Rust (rustup) first" >&2
  exit 2
fi
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version 2>&1)" >&2
  "$python" -m venv .venv
fi
if ! .venv/bin/python -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.4.0")' 2>/dev/null; then
  echo "setup: installing torch==2.4.0 into .venv (about 3 GB with its CUDA runtime libraries)" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.4.0
fi
# The ONNX Runtime backend (--backend onnx): libonnxruntime.so from the onnxruntime wheel whose
# version matches the ort crate (2.0.0-rc.15, API 31), and the exported default model.
# The exporter also needs safetensors and tokenizers (scripts/train_ner.py's module imports them).
# The quantiser's versions are pinned: they decide the int8 weights, so the default model's
# figures hold only for the graph these versions make (its digest is in the model card).
if ! .venv/bin/python -c 'import onnxruntime, onnx, numpy, safetensors, tokenizers, sys
sys.exit((onnxruntime.__version__, onnx.__version__, numpy.__version__) != ("1.31.1", "1.23.2", "2.4.6"))' 2>/dev/null; then
  echo "setup: installing onnxruntime==1.31.1, onnx==1.23.2, numpy==2.4.6, safetensors and tokenizers into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check onnxruntime==1.31.1 onnx==1.23.2 numpy==2.4.6 \
    safetensors tokenizers
fi
# The bundled models: the default (4 layers), the 6-layer one it was distilled from (the most
# accurate) and the fast one (3 layers, entities only).
for model in models/whosaid-minilm-l4 models/whosaid-minilm-l6 models/ner-conll03-minilm-l3; do
  if [ ! -f "$model/onnx/model.int8.onnx" ] || [ "$model/model.safetensors" -nt "$model/onnx/model.onnx" ] \
      || [ scripts/export_onnx.py -nt "$model/onnx/model.onnx" ] \
      || ! .venv/bin/python scripts/export_onnx.py --check "$model" 2>/dev/null; then
    echo "setup: exporting $model to ONNX (scripts/export_onnx.py)" >&2
    # The exporter's tracer warnings go to a log, shown only if the export fails.
    .venv/bin/python scripts/export_onnx.py "$model" >&2 2>.venv/export_onnx.log || { cat .venv/export_onnx.log >&2; exit 1; }
  fi
done
source scripts/env.sh
cargo build --release --workspace --quiet

# The Python package (crates/python, PyO3 + maturin): the bundled models are staged into it
# (default and fast model, each with its int8 ONNX graph), and the torch backend's plugin; the
# wheel is built without libtorch or ONNX Runtime inside (they come from the onnxruntime wheel,
# and for backend="torch" from the torch wheel of the `torch` extra) and installed into .venv.
if ! .venv/bin/python -c 'import maturin' 2>/dev/null; then
  echo "setup: installing maturin into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "maturin>=1.7,<2"
fi
package=crates/python/python/whosaid
stage() { mkdir -p "$(dirname "$2")"; [ "$2" -nt "$1" ] || cp "$1" "$2"; }
for model in whosaid-minilm-l4 ner-conll03-minilm-l3; do
  for f in config.json tokenizer.json model.safetensors scorer.json coref.json; do
    if [ -f "models/$model/$f" ]; then stage "models/$model/$f" "$package/models/$model/$f"; fi
  done
done
# Their int8 graphs: the default configuration (and --fast) runs on ONNX Runtime int8.
for model in whosaid-minilm-l4 ner-conll03-minilm-l3; do
  stage "models/$model/onnx/model.int8.onnx" "$package/models/$model/onnx/model.int8.onnx"
done
# The torch backend's plugin (backend="torch", with the `torch` extra), without its debug lines.
if [ ! "$package/libwhosaid_torch.so" -nt target/release/libwhosaid_torch.so ]; then
  strip --strip-debug -o "$package/libwhosaid_torch.so" target/release/libwhosaid_torch.so
fi
wheel="$(ls -t target/wheels/whosaid-*.whl 2>/dev/null | head -1 || true)"
if [ -z "$wheel" ] || [ -n "$(find crates models/*/model.safetensors models/*/scorer.json models/*/coref.json Cargo.lock -newer "$wheel" -type f \
    \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name '*.toml' -o -name '*.safetensors' -o -name '*.json' -o -name '*.onnx' -o -name '*.so' -o -name Cargo.lock \) \
    -print -quit)" ]; then
  echo "setup: building the whosaid Python wheel (maturin)" >&2
  rm -f target/wheels/whosaid-*.whl
  .venv/bin/maturin build --quiet --release --strip --auditwheel skip --compatibility linux \
    -m crates/python/Cargo.toml -o target/wheels >&2
  wheel="$(ls -t target/wheels/whosaid-*.whl | head -1)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"
fi
