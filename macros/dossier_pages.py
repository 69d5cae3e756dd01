"""社区档案与报送材料包 (issue 16): the pinned zip library the browser builds packages with.

`assets/vendor/fflate/`: the ES module build of the pinned npm `fflate` (package-lock.json) and
its licence; dossier/build.js imports it from this site only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from macros.assets import AssetError

ROOT = Path(__file__).resolve().parent.parent
FFLATE_DIR = ROOT / "node_modules" / "fflate"


def register(env, site) -> None:
    """No macros: the two pages mount their features from `data-sc-feature`."""


def copy_fflate(out: Path) -> str:
    """Copy fflate's browser ES module and licence; return its version."""
    package = FFLATE_DIR / "package.json"
    if not package.exists():
        raise AssetError("缺少 node_modules/fflate。请先运行 scripts/setup.sh（其中执行 npm ci）。")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(FFLATE_DIR / "esm" / "browser.js", out / "fflate.js")
    shutil.copy2(FFLATE_DIR / "LICENSE", out / "LICENSE.txt")
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def write_all(site_dir: str | Path) -> None:
    copy_fflate(Path(site_dir) / "assets" / "vendor" / "fflate")
