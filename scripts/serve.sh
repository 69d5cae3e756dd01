#!/usr/bin/env bash
# Build the site and serve it on http://127.0.0.1:${PORT:-8000}/ (Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
# Instant navigation needs the sitemap to name the address the pages are served at.
export SC_SITE_URL="${SC_SITE_URL:-${SC_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}/}}"
.venv/bin/mkdocs build --strict
echo "网站已生成：请在浏览器打开 http://127.0.0.1:${PORT:-8000}/"
exec .venv/bin/python -m http.server "${PORT:-8000}" --bind 127.0.0.1 --directory site
