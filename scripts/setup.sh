#!/usr/bin/env bash
# Everything a fresh Debian machine needs, installed once; cheap to re-run.
#   bash scripts/setup.sh          site build only (Python deps, pinned Pyodide, browser wheels)
#   bash scripts/setup.sh --test   also the test tools: Debian's chromium, a CJK font, nginx
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras="site"
[ $want_test = 1 ] && extras="site,test"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"

# Pyodide runtime, pinned by package-lock.json; copied into site/ by the build.
pinned=$(node -p "require('./package.json').dependencies.pyodide")
installed=$(node -p "try { require('./node_modules/pyodide/package.json').version } catch (e) { '' }")
if [ "$pinned" != "$installed" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The pure-Python wheels the engine loads in the browser (openpyxl for XLSX export), pinned.
mkdir -p .cache/wheels
if ! ls .cache/wheels/openpyxl-3.1.5-*.whl .cache/wheels/et_xmlfile-2.0.0-*.whl >/dev/null 2>&1; then
  .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps -d .cache/wheels \
    openpyxl==3.1.5 et-xmlfile==2.0.0
fi

if [ $want_test = 1 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  # LibreOffice converts every XLSX and DOCX we produce to PDF to check that they print whole.
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
  dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装测试所需的系统软件包：${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
