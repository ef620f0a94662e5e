# Sourced by scripts/run and scripts/test: make .venv from the lock file, with nothing
# installed by hand. Needs only python3.11 (with venv) and access to PyPI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_PYTHON_DOWNLOADS=never
export UV_PYTHON="${UV_PYTHON:-python3.11}"
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv"
# Compile .pyc at install time: startup must not depend on PYTHONDONTWRITEBYTECODE.
export UV_COMPILE_BYTECODE=1
UV_VERSION="0.13.9"
TOOLS="$ROOT/.tools"
if [ ! -x "$TOOLS/bin/uv" ] || [ "$("$TOOLS/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "opennps: installing uv $UV_VERSION into .tools/" >&2
    "$UV_PYTHON" -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
UV="$TOOLS/bin/uv"
