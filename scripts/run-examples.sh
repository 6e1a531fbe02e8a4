#!/usr/bin/env bash
# Set up if needed, then find who said what in the bundled example articles.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/target/release/whosaid" attribute "$root/examples/articles" "$@"
