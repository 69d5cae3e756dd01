"""House rules that tools enforce (issue 13 §5): ruff for Python (pyproject.toml's [tool.ruff],
line length 100) and ESLint for JavaScript (eslint.config.js), both pinned, both clean."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

ESLINT = ROOT / "node_modules" / ".bin" / "eslint"


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    got = run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."])
    assert got.returncode == 0, (
        "ruff check 发现问题（修正它们，不要整体屏蔽）：\n" + got.stdout + got.stderr
    )


def test_python_is_formatted():
    got = run([sys.executable, "-m", "ruff", "format", "--check", "."])
    assert got.returncode == 0, "请运行 .venv/bin/ruff format . ：\n" + got.stdout + got.stderr


def test_eslint_finds_nothing():
    assert ESLINT.exists(), "缺少 ESLint：请运行 scripts/setup.sh（其中执行 npm ci）。"
    got = run([str(ESLINT), "--max-warnings", "0", "."])
    assert got.returncode == 0, "ESLint 发现问题：\n" + got.stdout + got.stderr
