"""deploy/nginx/anquan-site.conf, run by Debian's nginx on 127.0.0.1 over the built site."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from tests.pyodide_node import release_dirs, release_urls


def fetch(url: str, *, gzip_ok: bool = True, decode: bool = True):
    """(status, headers, body) of one GET, as a browser would ask for it; the body decoded unless
    `decode` is false (then as sent, compressed)."""
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            status, hdrs, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, body = e.code, e.headers, e.read()
    if decode and hdrs.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, hdrs, body


def one(built_site, pattern: str) -> str:
    found = sorted(built_site.glob(pattern))
    assert found, f"构建结果中没有 {pattern}"
    return "/" + found[0].relative_to(built_site).as_posix()


def test_wasm_is_served_as_application_wasm_and_compressed(nginx_url, built_site):
    wasm = release_dirs(built_site)[0] / "pyodide.asm.wasm"
    status, headers, body = fetch(nginx_url + release_urls(built_site)[0] + "/pyodide.asm.wasm")
    assert status == 200
    assert headers["Content-Type"] == "application/wasm"
    assert headers["Content-Encoding"] == "gzip"
    assert body == wasm.read_bytes()


def test_large_files_are_sent_as_the_builds_gzip_copy_and_plain_to_clients_without_gzip(
    nginx_url, built_site
):
    """gzip_static: nginx sends the `.gz` written by the build (macros/precompressed.py) byte for
    byte, so it does not compress the 9.6 MB runtime again for each reader; a client that does not
    accept gzip gets the file itself."""
    runtime = release_dirs(built_site)[0]
    for path, url in [
        (runtime / "pyodide.asm.wasm", release_urls(built_site)[0] + "/pyodide.asm.wasm"),
        (runtime / "pyodide.asm.mjs", release_urls(built_site)[0] + "/pyodide.asm.mjs"),
        (built_site / "search" / "search_index.json", "/search/search_index.json"),
        (built_site / "staff" / "selfcheck" / "index.html", "/staff/selfcheck/"),
    ]:
        copy = path.with_name(path.name + ".gz")
        assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), copy
        status, headers, sent = fetch(nginx_url + url, decode=False)
        assert (status, headers["Content-Encoding"]) == (200, "gzip"), url
        assert sent == copy.read_bytes(), f"{url}：nginx 没有发送构建时写好的 .gz"
        status, headers, body = fetch(nginx_url + url, gzip_ok=False)
        assert (status, headers.get("Content-Encoding"), body) == (200, None, path.read_bytes())


def test_the_build_writes_gzip_copies_only_where_they_save_bytes(built_site):
    from macros import precompressed

    copies = sorted(built_site.rglob("*.gz"))
    made = [c for c in copies if precompressed.is_copy(c) and c.name != "sitemap.xml.gz"]
    assert len(made) >= 5
    for copy in made:
        original = copy.with_name(copy.name[:-3])
        assert original.name.endswith(precompressed.COMPRESSIBLE), copy
        assert copy.stat().st_size <= original.stat().st_size * precompressed.MAX_RATIO, copy
    runtime = release_dirs(built_site)[0]
    assert not (runtime / "python_stdlib.zip.gz").exists()  # compressed already


def test_module_scripts_have_a_javascript_type(nginx_url, built_site):
    runtime = release_urls(built_site)[0]
    for path in [
        runtime + "/pyodide.mjs",
        runtime + "/pyodide.asm.mjs",
        "/assets/javascripts/py-worker.js",
        "/sw.js",
    ]:
        status, headers, _ = fetch(nginx_url + path)
        assert status == 200, path
        assert headers["Content-Type"].split(";")[0] in (
            "text/javascript",
            "application/javascript",
        ), path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/assets/stylesheets/site.css",
        "/assets/javascripts/py-client.js",
        "<runtime>/pyodide-lock.json",
        "/search/search_index.json",
    ],
)
def test_text_is_compressed(nginx_url, built_site, path):
    path = path.replace("<runtime>", release_urls(built_site)[0])
    status, headers, _ = fetch(nginx_url + path)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip", path
    assert "Accept-Encoding" in headers.get("Vary", "")


def test_chinese_pages_declare_utf8(nginx_url):
    _, headers, body = fetch(nginx_url + "/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "安全发展社区" in body.decode("utf-8")


def test_hashed_assets_are_cached_for_a_year(nginx_url, built_site):
    runtime, wheels = (url.lstrip("/") for url in release_urls(built_site))
    for pattern in [
        "assets/javascripts/bundle.*.min.js",
        "assets/stylesheets/main.*.min.css",
        "assets/javascripts/workers/search.*.min.js",
        # The Python runtime and wheels: their folder is named by a hash of their bytes.
        runtime + "/pyodide.asm.wasm",
        runtime + "/pyodide.mjs",
        runtime + "/python_stdlib.zip",
        wheels + "/selfcheck-*.whl",
        wheels + "/openpyxl-*.whl",
    ]:
        _, headers, _ = fetch(nginx_url + one(built_site, pattern))
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", pattern


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/standard/",
        "/standard/1/index.html",
        "/sw.js",
        "/assets/javascripts/py-client.js",
        "/assets/wheels/manifest.json",  # names the current release: asked for on every use
    ],
)
def test_pages_and_unversioned_files_are_revalidated(nginx_url, path):
    status, headers, _ = fetch(nginx_url + path)
    assert status == 200
    assert headers["Cache-Control"] == "no-cache", path
    assert headers.get("ETag") or headers.get("Last-Modified")


def test_wheel_downloads_uncompressed(nginx_url, built_site):
    wheel = one(built_site, "assets/wheels/*/selfcheck-*.whl")
    _, headers, body = fetch(nginx_url + wheel)
    assert headers["Content-Type"] == "application/zip"
    assert "Content-Encoding" not in headers
    assert body[:2] == b"PK"


def test_missing_page_gives_the_site_404(nginx_url):
    status, headers, body = fetch(nginx_url + "/no/such/page/")
    assert status == 404
    assert headers["Cache-Control"] == "no-cache"
    assert body == (fetch(nginx_url + "/404.html")[2])


def test_a_directory_without_slash_redirects_to_it(nginx_url):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(nginx_url + "/standard", timeout=10)
    assert info.value.code == 301
    assert info.value.headers["Location"].endswith("/standard/")
