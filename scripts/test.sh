#!/usr/bin/env bash
# Run the tests. One command for everything (.ci/run calls it):
#   bash scripts/test.sh            the full run: builds the site with --strict, then every test
#                                   (unit tests, real Pyodide under Node, Playwright in Debian's
#                                   headless chromium, nginx); prints the 15 slowest tests
#   bash scripts/test.sh --fast     the fast tier: data, schemas, engine, CLI, exports, importer,
#                                   properties and lint; no site build, no browser (pytest -m fast)
# Anything else is passed to pytest, e.g. bash scripts/test.sh tests/test_cli.py -k score
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
fi

export NO_MKDOCS_2_WARNING=1
if [ $fast = 1 ]; then
  bash scripts/setup.sh --fast
  # Both cores, as the full run (34 s against 48 s on 2 cores).
  exec .venv/bin/python -m pytest -m fast -n "${SC_TEST_WORKERS:-auto}" --dist loadgroup "$@"
fi
# The Debian packages (chromium, a CJK font, nginx, LibreOffice) install while the Python and Node
# pins install and the site builds, none of which needs them: on a fresh machine apt-get mostly
# waits on the network and on the disk. Its output is shown once it has finished; the tests wait
# for it, and its failure fails the run.
system_log=$(mktemp)
bash scripts/setup.sh --system >"$system_log" 2>&1 &
system_setup=$!
bash scripts/setup.sh --fast

# The tests serve site/ on the port its sitemap names (tests/conftest.py), so that Material's
# instant navigation works there as it does for readers.
export SC_SITE_URL="http://127.0.0.1:${SC_TEST_PORT:-8765}/"
# The build is skipped only when both its inputs and site/ itself are byte for byte what the last
# build here used and wrote (scripts/site_state.py); a stale or edited site/ is always rebuilt.
# In a full run (no arguments), the rebuild test's second build (tests/test_reproducible_build.py)
# runs beside this one: MkDocs keeps one core busy, the other waited. Its outcome is the test's to
# report, not the setup's. A run of chosen tests does not wait for it: the test, if chosen, builds.
second_build=""
if [ $# -eq 0 ]; then
  export SC_SECOND_BUILD="${TMPDIR:-/tmp}/sc-second-build-$$"
  trap 'rm -rf "$SC_SECOND_BUILD"' EXIT
  .venv/bin/python scripts/second_build.py "$SC_SECOND_BUILD" &
  second_build=$!
fi
if .venv/bin/python scripts/site_state.py check; then
  echo "site/ 与上次生成时的输入和结果完全一致，跳过 mkdocs build。"
else
  inputs=$(.venv/bin/python scripts/site_state.py inputs)
  .venv/bin/mkdocs build --strict
  .venv/bin/python scripts/site_state.py record "$inputs"
fi
if [ -n "$second_build" ]; then
  wait "$second_build" || true
fi
if ! wait "$system_setup"; then
  cat "$system_log" >&2
  echo "安装测试所需的系统软件包失败（见上面 apt-get 的输出）。" >&2
  exit 1
fi
cat "$system_log"
rm -f "$system_log"
# pytest-xdist: one worker per core (SC_TEST_WORKERS=0 runs in one process). A test module stays on
# one worker (--dist loadgroup, groups set in tests/conftest.py), so its module-scoped browser tab
# starts Python once. Not exec'd: the shell's exit removes the second build (trap above). Under
# set -e, pytest's failure is the script's exit status.
.venv/bin/python -m pytest -n "${SC_TEST_WORKERS:-auto}" --dist loadgroup --durations=15 "$@"
