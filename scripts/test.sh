#!/usr/bin/env bash
# Set up if needed, then run every test: formatting, clippy, unit and integration tests (the
# integration tests read ../shared/fixtures and ../shared/data beside the checkout), then the
# browser test of `whosaid render` (Debian's Chromium, driven by playwright-core from npm;
# both installed here when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
source scripts/env.sh
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings
cargo test --release --workspace

# The Python package (built and installed into .venv by setup.sh) and its Spark entry point:
# pytest against the CLI's own output, and a local[2] Spark job (Java 17 is on the machine).
if ! .venv/bin/python -c 'import pytest, pandas, pyarrow, pyspark' 2>/dev/null; then
  echo "test: installing pytest, pandas, pyarrow and pyspark into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check pytest pandas pyarrow "pyspark>=3.5,<4.1"
fi
.venv/bin/python -m pytest -q -p no:cacheprovider crates/python/tests

if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser test" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
cd tests/browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent
npm test --silent
