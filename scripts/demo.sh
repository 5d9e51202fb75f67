#!/usr/bin/env bash
# Install qualcarto into .venv, build the demo study in qualcarto.db and serve the app on
# http://127.0.0.1:${PORT:-8501} with the production settings of `qualcarto serve`.
# The server keeps this terminal until Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
.venv/bin/qualcarto --db qualcarto.db demo
echo "sign in as lena, ana or ben (passwords above); Ctrl-C stops the server" >&2
exec .venv/bin/qualcarto --db qualcarto.db serve --port "${PORT:-8501}"
