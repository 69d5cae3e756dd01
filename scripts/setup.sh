#!/usr/bin/env bash
# Everything a fresh Debian machine needs, installed once; cheap to re-run.
#   bash scripts/setup.sh          site build only (Python deps, pinned Pyodide, browser wheels)
#   bash scripts/setup.sh --test   also the test tools: Debian's chromium, a CJK font, nginx
#   bash scripts/setup.sh --fast   the test tools of the fast tier only (pytest, hypothesis, ruff,
#                                  ESLint): no browser, no nginx, no apt-get
#   bash scripts/setup.sh --system the Debian packages of --test alone (scripts/test.sh runs this
#                                  beside --fast and the site build)
set -euo pipefail
cd "$(dirname "$0")/.."

want_python=1
want_test=0
want_system=0
case "${1:-}" in
  --test) want_test=1; want_system=1 ;;
  --fast) want_test=1 ;;
  --system) want_python=0; want_system=1 ;;
esac

# Python and Node: the site build and the tests.
install_python() {
  # The Node pins (Pyodide, copied into site/ by the build; ESLint, for tests/test_lint.py) download
  # while the Python pins install: neither waits for the other.
  pinned=$(node -p "const p = require('./package.json'); p.dependencies.pyodide + ' ' + p.devDependencies.eslint")
  installed=$(node -p "const v = (n) => { try { return require('./node_modules/' + n + '/package.json').version } catch (e) { return '' } }; v('pyodide') + ' ' + v('eslint')")
  npm_job=""
  if [ "$pinned" != "$installed" ]; then
    npm ci --no-audit --no-fund --loglevel=error &
    npm_job=$!
  fi

  # Without pip: ensurepip took 6 of a fresh setup's 16 s. uv installs the pins, pip among them.
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv --without-pip .venv
  fi
  extras="site"
  [ $want_test = 1 ] && extras="site,test"
  # The install is editable, so only a change to pyproject.toml (or the extras asked for) needs uv.
  # (.venv/.installed-HASH-site-test also covers a request for site alone.)
  pinned_hash=$(sha256sum pyproject.toml | cut -c1-16)
  stamp=".venv/.installed-$pinned_hash-${extras/,/-}"
  if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$pinned_hash-site-test" ]; then
    # uv installs the same pins as pip would, in about a quarter of the time (8 s against 36 s on 2
    # cores, most of pip's spent compiling every installed module to bytecode up front), which is a
    # tenth of a fresh clone's test run. uv itself is pinned here: it comes before pyproject.toml.
    # The machine's own pip puts it into .venv (pip 22.3 or later), else pip is bootstrapped there.
    uv_version=0.13.9
    if [ "$(.venv/bin/uv --version 2>/dev/null)" != "uv $uv_version" ]; then
      if ! python3 -m pip --python .venv/bin/python install -q --disable-pip-version-check \
        "uv==$uv_version" 2>/dev/null; then
        .venv/bin/python -m ensurepip -q
        .venv/bin/python -m pip install -q --disable-pip-version-check "uv==$uv_version"
      fi
    fi
    .venv/bin/uv pip install -q --python .venv/bin/python -e ".[$extras]"
    find .venv -maxdepth 1 -name '.installed-*' ! -name ".installed-$pinned_hash-*" -delete
    touch "$stamp"
  fi
  if [ -n "$npm_job" ]; then
    wait "$npm_job"
  fi

  # The pure-Python wheels the engine loads in the browser (openpyxl for XLSX export), pinned.
  mkdir -p .cache/wheels
  if ! ls .cache/wheels/openpyxl-3.1.5-*.whl .cache/wheels/et_xmlfile-2.0.0-*.whl >/dev/null 2>&1; then
    .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps -d .cache/wheels \
      openpyxl==3.1.5 et-xmlfile==2.0.0
  fi
}

if [ $want_python = 1 ]; then install_python; fi

if [ $want_system = 1 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # grep reads fc-list to its end: with -q it would stop at the first match, fc-list would die of
  # SIGPIPE, and pipefail would call the font missing (an apt-get run for nothing, now and then).
  fc-list 2>/dev/null | grep -i "wenquanyi\|noto sans cjk" >/dev/null || missing+=(fonts-wqy-microhei)
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
