#!/usr/bin/env bash
# Run every test: installs what is missing, builds the site with --strict, then pytest
# (unit tests, real Pyodide under Node, and Playwright in Debian's headless chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export NO_MKDOCS_2_WARNING=1
# The tests serve site/ on the port its sitemap names (tests/conftest.py), so that Material's
# instant navigation works there as it does for readers.
export SC_SITE_URL="http://127.0.0.1:${SC_TEST_PORT:-8765}/"
.venv/bin/mkdocs build --strict
exec .venv/bin/python -m pytest "$@"
