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
source scripts/env.sh
cargo build --release --workspace --quiet
