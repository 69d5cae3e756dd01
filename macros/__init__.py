"""Presentation: turns the validated data in `data/` into pages.

mkdocs-macros-plugin (and Zensical, which reads the same `define_env`) loads this package. Each
feature lives in its own module with a `register(env, site)` function; the list below is the only
place that knows them all. Nothing here computes a score: pages that need one call `selfcheck`.

Zensical's macros extension loads this file by its path (`importlib.util.spec_from_file_location`)
as a module that is not a package, so a relative import (`from . import x`) fails there. The
imports below are absolute, with the project's folder put on `sys.path` first: loaded either way,
this file imports its feature modules from the real `macros` package.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

try:
    from mkdocs.exceptions import PluginError as _BuildErrorBase
    from mkdocs.plugins import BasePlugin, PluginCollection, event_priority
except ImportError:  # under Zensical, which does not install MkDocs (and has no post-build step)
    _BuildErrorBase = RuntimeError
    PluginCollection = None

_PROJECT = str(Path(__file__).resolve().parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)

from macros import (  # noqa: E402  (needs the project folder on sys.path, set just above)
    assets,
    dossier_pages,
    offline,
    precompressed,
    reproducible,
    resident_pages,
    riskmap_pages,
    scoring_pages,
    search_index,
    search_worker_fix,
    selfcheck_page,
    site_data,
    staff_downloads,
    staff_pages,
    standard_pages,
)
from selfcheck.errors import SelfcheckError  # noqa: E402

# One entry per page feature; each module registers its own macros.
FEATURES = [standard_pages]
FEATURES.append(resident_pages)  # 居民 (issue 5)
FEATURES.append(staff_pages)  # 社区工作人员与镇街页面 (issue 6)
FEATURES.append(riskmap_pages)  # 风险一张图 (issue 8)
FEATURES.append(scoring_pages)  # 评分口径 (issue 3)
FEATURES.append(selfcheck_page)  # 自评 (issue 4)
FEATURES.append(search_index)  # 搜索：jieba 词典和索引字段 (issue 15)
FEATURES.append(dossier_pages)  # 社区档案与报送材料包 (issue 16)


class SiteBuildError(_BuildErrorBase):
    """Bad data (or a missing prepared file) found while building: MkDocs prints the message as
    one line and stops with a non-zero exit, instead of a traceback ending in the sentence."""


@contextmanager
def _as_build_error():
    """Turn the Chinese errors of `selfcheck` and of the asset step into `SiteBuildError`."""
    try:
        yield
    except (SelfcheckError, assets.AssetError) as exc:
        # `from None`: the sentence is the whole report; the traceback says nothing to an editor.
        raise SiteBuildError(str(exc)) from None


def define_env(env):
    """Validate every data file (the build stops on the first bad one), then register macros."""
    reproducible.pin_build_time(Path(_PROJECT))
    with _as_build_error():
        site = site_data.load_all(site_data.data_dir_of(env.conf))
        env.variables["site_data"] = site
        for feature in FEATURES:
            feature.register(env, site)
    # The Python worker's source, for the page that starts it from its first inline script
    # (overrides/main.html) as a Blob: on a cold load Chromium fetched the worker's own script at
    # low priority, behind the page's stylesheets and scripts (measured: the worker started
    # 0.4-1.1 s after navigation instead of 0.15-0.55 s, and Python that much later).
    worker = site_data.project_dir_of(env.conf) / "docs" / "assets" / "javascripts" / "py-worker.js"
    env.conf["extra"]["sc_py_worker"] = worker.read_text(encoding="utf-8")
    env.conf["extra"]["sc_manifest_slot"] = assets.MANIFEST_SLOT  # filled by assets.write_all
    plugins = getattr(env.conf, "plugins", None)
    if PluginCollection is not None and isinstance(plugins, PluginCollection):
        # Registered through MkDocs' own plugin collection, as MkDocs registers `hooks:`.
        plugins[_BrowserFiles.KEY] = _BrowserFiles(site)


if PluginCollection is not None:

    class _BrowserFiles(BasePlugin):
        """Writes the browser-side files after every plugin's post-build step.

        mkdocs.yml lists `macros` before `search` (a bad data file must stop the build before the
        search plugin prints jieba's banner), so macros' own `on_post_build` would run before the
        search index exists; the offline copy (sw.js) must list that index too.
        """

        KEY = "anquan-browser-files"

        def __init__(self, site):
            self.site = site

        @event_priority(-100)  # MkDocs' documented value for "run last"
        def on_post_build(self, *, config):
            """The data as JSON, the selfcheck wheel, Pyodide, the staff downloads, then sw.js."""
            with _as_build_error():
                assets.write_all(config["site_dir"], self.site)
                staff_downloads.write_all(config["site_dir"], self.site)
                dossier_pages.write_all(config["site_dir"])
                search_index.rewrite_index(config, self.site)
                search_worker_fix.fix_search_worker(config["site_dir"])
                # After every file a server sends compressed; sw.js is small and changes often.
                precompressed.write_all(config["site_dir"])
                # Keep last: the offline copy (sw.js) lists every file written above with its hash.
                offline.write_service_worker(config["site_dir"])
