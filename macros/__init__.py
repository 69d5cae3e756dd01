"""Presentation: turns the validated data in `data/` into pages.

mkdocs-macros-plugin (and Zensical, which reads the same `define_env`) loads this package. Each
feature lives in its own module with a `register(env, site)` function; the list below is the only
place that knows them all. Nothing here computes a score: pages that need one call `selfcheck`.
"""

from __future__ import annotations

from . import assets, site_data, standard_pages
from . import offline
from . import staff_downloads, staff_pages
from . import resident_pages
from . import riskmap_pages
from . import scoring_pages
from . import selfcheck_page
from . import dossier_pages

# One entry per page feature; each module registers its own macros.
FEATURES = [standard_pages]
FEATURES.append(resident_pages)  # 居民 (issue 5)
FEATURES.append(staff_pages)  # 社区工作人员与镇街页面 (issue 6)
FEATURES.append(riskmap_pages)  # 风险一张图 (issue 8)
FEATURES.append(scoring_pages)  # 评分口径 (issue 3)
FEATURES.append(selfcheck_page)  # 自评 (issue 4)
FEATURES.append(dossier_pages)  # 社区档案与报送材料包 (issue 16)


def define_env(env):
    """Validate every data file (the build stops on the first bad one), then register macros."""
    site = site_data.load_all(site_data.data_dir_of(env.conf))
    env.variables["site_data"] = site
    for feature in FEATURES:
        feature.register(env, site)


def on_post_build(env):
    """Write the browser-side assets: data as JSON, the selfcheck wheel, the Pyodide runtime."""
    assets.write_all(env.conf["site_dir"], env.variables["site_data"])
    staff_downloads.write_all(env.conf["site_dir"], env.variables["site_data"])
    dossier_pages.write_all(env.conf["site_dir"])
    # Keep last: the offline copy (sw.js) lists every file written above with its hash.
    offline.write_service_worker(env.conf["site_dir"])
