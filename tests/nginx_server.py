"""Debian's nginx serving a built site with deploy/nginx/anquan-site.conf, on 127.0.0.1.

Nothing outside a temporary prefix is touched: the real configuration file is copied with only its
`listen` and `root` lines rewritten, wrapped in a minimal main configuration (`-p PREFIX -c ...`).
A missing nginx fails the tests (scripts/setup.sh --test installs it); it is never a skip.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "deploy" / "nginx" / "anquan-site.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise RuntimeError(
            "找不到 nginx：请运行 scripts/setup.sh --test（它会安装 Debian 的 nginx）。"
        )
    return found


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_conf_for(site_dir: Path, port: int) -> str:
    """The repository's server configuration with only `listen` and `root` changed."""
    text = SITE_CONF.read_text(encoding="utf-8")
    text, n_listen = re.subn(r"(?m)^(\s*)listen\s+80;", rf"\1listen 127.0.0.1:{port};", text)
    text, n_root = re.subn(r"(?m)^(\s*)root\s+/var/www/anquan-site;", rf"\1root {site_dir};", text)
    if (n_listen, n_root) != (1, 1):
        raise AssertionError(
            "deploy/nginx/anquan-site.conf 应恰有一行 `listen 80;` 和一行 `root /var/www/anquan-site;`"
        )
    return text


# What benchmarks read of each response: when nginx received the request (epoch s, `$msec` minus
# `$request_time`), the body bytes it sent (compressed, as on the wire), the status and the path.
ACCESS_LOG_FORMAT = "$msec $request_time $body_bytes_sent $status $uri"


def write_prefix(
    prefix: Path, site_dir: Path, port: int, access_log: Path | None = None, edit=None
) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    site_conf = site_conf_for(site_dir, port)
    (prefix / "anquan-site.conf").write_text(
        edit(site_conf) if edit else site_conf, encoding="utf-8"
    )
    # Workers run as the user that started nginx (root here, in CI) so that pytest's private
    # temporary folders stay readable; an installed nginx keeps Debian's www-data.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    {f'log_format bench "{ACCESS_LOG_FORMAT}";' if access_log else ""}
    access_log {f"{access_log} bench" if access_log else "off"};
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/anquan-site.conf;
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


@contextlib.contextmanager
def running_nginx(site_dir: Path, prefix: Path, access_log: Path | None = None, edit=None):
    """Yield the base URL (no trailing slash) of nginx serving `site_dir`; with `access_log`, every
    response is logged there as ACCESS_LOG_FORMAT (for benchmarks: what went over the wire). `edit`
    (benchmarks only) changes the server configuration's text, e.g. to run a baseline beside it."""
    binary = nginx_binary()
    port = free_port()
    conf = write_prefix(prefix, Path(site_dir).resolve(), port, access_log, edit)
    check = subprocess.run(
        [binary, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise AssertionError("nginx -t 失败：\n" + check.stderr)
    proc = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=1).read()
                break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "nginx 没有启动：\n" + proc.stderr.read().decode(errors="replace")
                    ) from exc
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
