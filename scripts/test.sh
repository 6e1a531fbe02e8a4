#!/usr/bin/env bash
# Set up if needed, then run every test: formatting, clippy, unit and integration tests
# (the integration tests read ../shared/fixtures and ../shared/data beside the checkout).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
source scripts/env.sh
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings
cargo test --release --workspace
