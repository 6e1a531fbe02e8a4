# Sourced by the setup scripts: points tch/torch-sys at the project venv's PyPI torch (libtorch),
# so nothing downloads at build time.
WHOSAID_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIRTUAL_ENV="$WHOSAID_ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$HOME/.cargo/bin:$PATH"
export LIBTORCH_USE_PYTORCH=1
