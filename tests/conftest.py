"""Shared fixtures: paths, the built site served on 127.0.0.1, and the validated data."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Parallel work builds into its own folder: SC_SITE_DIR=/tmp/site-x pytest …
SITE_DIR = Path(os.environ.get("SC_SITE_DIR", ROOT / "site"))
DATA_DIR = ROOT / "data"
# The seed, 沙安办〔2024〕30号, as the repository carries it (data/source/README.md says where from).
SEED = DATA_DIR / "source" / "shaanban-2024-30.txt"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def standard():
    from selfcheck.datafiles import load_standard

    return load_standard()


@pytest.fixture(scope="session")
def built_site() -> Path:
    if not (SITE_DIR / "index.html").exists():
        pytest.fail("site/ 尚未生成：请用 scripts/test.sh 运行测试（它会先执行 mkdocs build --strict）。")
    return SITE_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
    }

    def log_message(self, *args):  # keep pytest output readable
        pass


def serve_directory(directory: Path, port: int = 0):
    """Start a threaded static server on 127.0.0.1 (an ephemeral port unless given); return (server, base_url)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def sitemap_port(site: Path) -> int:
    """The loopback port the build's sitemap names (Material's instant navigation needs the page
    served there); 0 (any free port) when the site was built for a public address."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    match = re.search(r"<loc>http://127\.0\.0\.1:(\d+)/", sitemap)
    return int(match.group(1)) if match else 0


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (no trailing slash) of the built site, served like `scripts/serve.sh` does."""
    port = sitemap_port(built_site)
    try:
        server, url = serve_directory(built_site, port)
    except OSError as exc:
        pytest.fail(f"端口 {port} 被占用（{exc}）：请停止占用它的程序，或用 SC_TEST_PORT=其他端口 bash scripts/test.sh。")
    yield url
    server.shutdown()
