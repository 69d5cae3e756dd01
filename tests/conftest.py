"""Shared fixtures: paths, the built site served on 127.0.0.1, and the validated data; the test
tiers and the hypothesis profiles.

Tiers (README, “测试”): a test is in the fast tier (`-m fast`, `bash scripts/test.sh --fast`) unless
it needs the built site, a browser, nginx or Pyodide (any of `SITE_FIXTURES`, directly or through another
fixture), lives under tests/browser/, or is marked `build` (it runs MkDocs itself). Nothing to
remember when adding a test: the tier follows from what the test asks for.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# Parallel work builds into its own folder: SC_SITE_DIR=/tmp/site-x pytest …
SITE_DIR = Path(os.environ.get("SC_SITE_DIR", ROOT / "site"))
DATA_DIR = ROOT / "data"
# The seed, 沙安办〔2024〕30号, as the repository carries it (data/source/README.md says where from).
SEED = DATA_DIR / "source" / "shaanban-2024-30.txt"
ARTIFACTS = ROOT / "test-artifacts"

# Property tests take their number of examples from the profile, never from the test itself:
# "dev" keeps the fast tier fast; "ci" (chosen when CI is set, as .ci/run's runner does) digs deeper.
# HYPOTHESIS_PROFILE=ci bash scripts/test.sh --fast runs CI's profile locally.
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _CI else "dev"))

# Fixtures that need the built site (and a server, a browser or nginx on it), or that take the
# site's wheels into Pyodide (tests/pyodide_node.py): not fast.
SITE_FIXTURES = {"built_site", "site_url", "browser", "nginx_url", "shipped_wheels"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups set here
def pytest_collection_modifyitems(config, items):
    for item in items:
        in_browser_dir = "browser" in Path(str(item.fspath)).relative_to(ROOT / "tests").parts[:-1]
        slow = (
            in_browser_dir
            or SITE_FIXTURES & set(getattr(item, "fixturenames", ()))
            or item.get_closest_marker("build")
        )
        item.add_marker(pytest.mark.full if slow else pytest.mark.fast)
        # pytest-xdist (--dist loadgroup, scripts/test.sh): a module's tests stay on one worker, so
        # its module-scoped tab starts Python once; a module of independent tests that share
        # nothing costly says SPREAD_OVER_WORKERS = True and its tests go to whichever is free.
        module = getattr(item, "module", None)
        if not getattr(module, "SPREAD_OVER_WORKERS", False):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    # The long browser modules first, the many short fast-tier tests last: two workers then finish
    # together instead of one waiting for the other's last long module.
    items.sort(key=lambda item: item.get_closest_marker("fast") is not None)


@pytest.fixture(scope="session")
def standard():
    from selfcheck.datafiles import load_standard

    return load_standard()


@pytest.fixture(scope="session")
def built_site() -> Path:
    if not (SITE_DIR / "index.html").exists():
        pytest.fail(
            "site/ 尚未生成：请用 scripts/test.sh 运行测试（它会先执行 mkdocs build --strict）。"
        )
    return SITE_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
    }

    # Called with the handler before each GET or HEAD is answered (serve_directory's `on_request`).
    on_request = None

    def send_head(self):
        if self.on_request is not None:
            self.on_request(self)
        return super().send_head()

    def log_message(self, *args):  # keep pytest output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-file (a page left, a worker stopped) is normal;
        # the served site's real failures show up in the tests that load it.
        pass


def serve_directory(directory: Path, port: int = 0, on_request=None):
    """Start a threaded static server on 127.0.0.1 (an ephemeral port unless given); return (server,
    base_url). `on_request(handler)`, if given, sees each request before it is answered (its
    `path`, `headers`), in the server's threads."""
    answer = _QuietHandler
    if on_request is not None:
        answer = type("_WatchedHandler", (_QuietHandler,), {"on_request": staticmethod(on_request)})
    handler = functools.partial(answer, directory=str(directory))
    server = _QuietServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def sitemap_port(site: Path) -> int:
    """The loopback port the build's sitemap names (Material's instant navigation needs the page
    served there); 0 (any free port) when the site was built for a public address."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    match = re.search(r"<loc>http://127\.0\.0\.1:(\d+)/", sitemap)
    return int(match.group(1)) if match else 0


@pytest.fixture(scope="session")
def shipped_wheels(built_site) -> list[Path]:
    """The wheels the built site ships, in load order, checked against the sources."""
    from tests.pyodide_node import shipped_wheels as wheels_of

    return wheels_of(built_site)


# The built site is served once per run, by the process that runs pytest (with pytest-xdist, the
# controller): the build names one port in its sitemap and Material's instant navigation only works
# on that origin, so the test workers cannot each bind it. Workers get the address in `workerinput`.
_SITE_SERVER: dict[str, object] = {}


def _wants_site(config) -> bool:
    return (SITE_DIR / "index.html").exists() and config.getoption("markexpr", "") != "fast"


def pytest_configure(config):
    if hasattr(config, "workerinput") or not _wants_site(config):
        return
    port = sitemap_port(SITE_DIR)
    try:
        server, url = serve_directory(SITE_DIR, port)
    except OSError as exc:
        _SITE_SERVER["error"] = (
            f"端口 {port} 被占用（{exc.strerror or exc}）：请停止占用它的程序，"
            "或用 SC_TEST_PORT=其他端口 bash scripts/test.sh。"
        )
        return
    _SITE_SERVER.update(server=server, url=url)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: hand each worker the controller's site address (or why there is none)."""
    node.workerinput["sc_site_url"] = _SITE_SERVER.get("url", "")
    node.workerinput["sc_site_error"] = _SITE_SERVER.get("error", "")


def pytest_unconfigure(config):
    server = _SITE_SERVER.pop("server", None)
    if server is not None:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site, pytestconfig):
    """Base URL (no trailing slash) of the built site, served like `scripts/serve.sh` does."""
    worker = getattr(pytestconfig, "workerinput", None)
    url = worker["sc_site_url"] if worker else _SITE_SERVER.get("url")
    error = worker["sc_site_error"] if worker else _SITE_SERVER.get("error")
    if error:
        pytest.fail(error)
    if not url:
        pytest.fail("没有为测试启动网站服务：请用 scripts/test.sh 运行测试（它会先生成 site/）。")
    return url


@pytest.fixture(scope="session")
def nginx_url(built_site, tmp_path_factory):
    """Debian's nginx with deploy/nginx/anquan-site.conf over the built site, started once for the
    whole run (tests/test_nginx.py and tests/browser/test_hosting.py share it)."""
    from tests.nginx_server import running_nginx

    with running_nginx(built_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url
