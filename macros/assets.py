"""Files the browser needs besides the pages, written after the build into `site/`.

- `assets/data/<stem>.json`: every data file, already validated, for the browser-side code.
- `assets/data/engine.json`: `{stem: JSON text}` of just the data files the Python bridge hands
  over (`selfcheck.bridge.data_stems()`), so the worker fetches one small file, not one per stem.
- `assets/wheels/<hash>/`: the `selfcheck` wheel built from this repository's `pyproject.toml`,
  plus the pinned pure-Python wheels it uses in the browser (openpyxl, et-xmlfile).
- `assets/pyodide/<hash>/`: the Pyodide runtime from the pinned npm package in `node_modules/`.
- `assets/wheels/manifest.json`: the wheels, the Pyodide version, `runtime_id`, and `folders`
  (`{"pyodide": <hash>, "wheels": <hash>}`). Each folder is named by a hash of its files, so a
  file's URL changes whenever its bytes do: a server may let browsers keep them without asking
  again (deploy/nginx does, for a year), and a return visit makes no request for Python at all.
  Two folders, so that a change to the engine does not make readers download the runtime again.
  The manifest itself keeps its name and is asked for on every use: it is how a browser learns of
  a new release. A page that starts Python from its first inline script (overrides/main.html)
  carries it as well, written into its slot (`MANIFEST_SLOT`) by `embed_manifest`: that page and
  the files it names come from the same build, and its worker need not wait for manifest.json.
- Bytecode (`macros/bytecode.py`): the stdlib zip's modules that Python imports to start and to run
  the engine, and every module of the three wheels (selfcheck; openpyxl and et-xmlfile, imported
  on the first XLSX export), get their `.pyc` written by Pyodide itself, so a reader's browser
  does not compile them at every start.

Nothing here is committed: the build takes it from the pinned packages every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from macros import bytecode
from macros.reproducible import FALLBACK_EPOCH

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
VENDOR_WHEELS = ROOT / ".cache" / "wheels"
# The runtime files Pyodide needs to start; the npm package ships no package wheels.
PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
# What `pip wheel` needs to build the selfcheck wheel, besides its packages.
WHEEL_SOURCES = ["pyproject.toml"]
# pyproject.toml's `readme` names README.md, whose text goes into the wheel's METADATA. The
# browser's wheel gets this fixed text instead of the repository's README: a README edit must not
# change the wheel's bytes, or readers would lose their saved Python on a documentation commit.
WHEEL_README = "安全发展社区（村）自评引擎（selfcheck、riskmap），随本站一同发布。说明见本项目仓库的 README.md。\n"
# Pure-Python wheels the engine loads in the browser, in load order (dependencies first).
BROWSER_WHEELS = ["et_xmlfile", "openpyxl"]


# What overrides/main.html writes where the page's manifest goes (config.extra.sc_manifest_slot):
# valid JavaScript (null: no manifest, the worker asks for manifest.json) until the build fills it.
MANIFEST_SLOT = "null/*sc-manifest*/"


class AssetError(RuntimeError):
    pass


def write_all(site_dir: str | Path, site) -> None:
    site_dir = Path(site_dir)
    write_data(site_dir / "assets" / "data", site.raw)
    wheels = write_wheels(site_dir / "assets" / "wheels")
    pyodide_version = copy_pyodide(site_dir / "assets" / "pyodide")
    add_bytecode(site_dir / "assets", wheels)
    folders = {
        "pyodide": move_to_hashed_folder(site_dir / "assets" / "pyodide", PYODIDE_FILES),
        "wheels": move_to_hashed_folder(site_dir / "assets" / "wheels", wheels),
    }
    manifest = {
        "wheels": wheels,
        "pyodide": pyodide_version,
        "runtime_id": runtime_id(site_dir / "assets", folders, wheels),
        "folders": folders,
        "standard": site.standard.version,
        "data": sorted(site.raw),  # assets/data/<stem>.json; the worker takes engine.json instead
    }
    (site_dir / "assets" / "wheels" / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    embed_manifest(site_dir, manifest)


def embed_manifest(site_dir: Path, manifest: dict) -> None:
    """Write `manifest` into the slot of every page that has one, as a JavaScript object literal
    inside an inline script (so `<` is escaped: no text of it can end the script)."""
    literal = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))
    literal = literal.replace("<", "\\u003c")
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if MANIFEST_SLOT in html:
            page.write_text(html.replace(MANIFEST_SLOT, literal), encoding="utf-8")


def files_digest(paths: list[Path]) -> str:
    """SHA-256 (hex) over the files' names and bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def move_to_hashed_folder(folder: Path, names: list[str]) -> str:
    """Move the files `names` of `folder` into `folder/<hash>/`, the hash (16 hex digits, returned)
    taken over their names and bytes."""
    hashed = files_digest([folder / name for name in names])[:16]
    (folder / hashed).mkdir(exist_ok=True)  # also in a site/ not cleaned first
    for name in names:
        (folder / name).replace(folder / hashed / name)
    return hashed


def runtime_id(assets: Path, folders: dict[str, str], wheels: list[str]) -> str:
    """SHA-256 of what Python's memory holds once the engine is imported: the runtime's files and
    the selfcheck wheel (bytecode included). py-worker.js keeps a copy of that memory in the
    reader's browser under this id, so any change to these files makes it start afresh."""
    runtime, wheel_folder = (
        assets / "pyodide" / folders["pyodide"],
        assets / "wheels" / folders["wheels"],
    )
    files = [runtime / name for name in PYODIDE_FILES]
    files += [wheel_folder / name for name in wheels if name.startswith("selfcheck-")]
    return files_digest(files)


def write_data(out: Path, raw: dict) -> None:
    from selfcheck.bridge import data_stems

    out.mkdir(parents=True, exist_ok=True)
    texts = {stem: json.dumps(data, ensure_ascii=False, default=str) for stem, data in raw.items()}
    for stem, text in texts.items():
        (out / f"{stem}.json").write_text(text, encoding="utf-8")
    missing = [stem for stem in data_stems() if stem not in texts]
    if missing:
        raise AssetError(
            f"Python 桥接需要的数据文件不存在：{', '.join(missing)}（data/ 下应有同名 YAML）。"
        )
    engine = {stem: texts[stem] for stem in data_stems()}
    (out / "engine.json").write_text(json.dumps(engine, ensure_ascii=False), encoding="utf-8")


def write_wheels(out: Path) -> list[str]:
    """Build the selfcheck wheel and copy the vendored ones; return file names in load order."""
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for dist in BROWSER_WHEELS:
        found = sorted(VENDOR_WHEELS.glob(f"{dist}-*-none-any.whl"))
        if not found:
            raise AssetError(
                f"缺少浏览器端依赖 {dist} 的 wheel（应在 .cache/wheels/）。请先运行 scripts/setup.sh。"
            )
        shutil.copy2(found[-1], out / found[-1].name)
        names.append(found[-1].name)
    with tempfile.TemporaryDirectory() as tmp:
        built = build_selfcheck_wheel(Path(tmp))
        shutil.copy2(built, out / built.name)
        names.append(built.name)
    return names


WHEEL_PACKAGES = ("selfcheck", "riskmap")


def build_selfcheck_wheel(tmp: Path) -> Path:
    """Build the `selfcheck` wheel from a clean copy of its sources; return the wheel's path.

    A copy, because setuptools builds in the source folder and keeps `build/lib` between runs:
    a module deleted from `selfcheck/` would live on in the wheel. The wheel's entries take one
    fixed time (`FALLBACK_EPOCH`), not the files' modification times, nor the last commit's time
    the rest of the build takes: its bytes change only when what it holds does, so a site update
    that leaves the engine alone keeps its folder (assets/wheels/<hash>/), and readers' browsers
    keep their copy of it and the saved Python (`runtime_id`).
    """
    src = tmp / "src"
    src.mkdir()
    for name in WHEEL_SOURCES:
        shutil.copy2(ROOT / name, src / name)
    (src / "README.md").write_text(WHEEL_README, encoding="utf-8")
    # Every package the wheel ships (pyproject's [tool.setuptools] packages): selfcheck, riskmap.
    for package in WHEEL_PACKAGES:
        shutil.copytree(
            ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(FALLBACK_EPOCH)}
    # Output captured: the build prints only its own sentences, never pip's traceback.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp),
            str(src),
        ],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise AssetError(
            f"selfcheck 的 wheel 生成失败（pip wheel：{last}），请检查 pyproject.toml。"
        )
    built = sorted(tmp.glob("selfcheck-*.whl"))
    if not built:
        raise AssetError("selfcheck 的 wheel 没有生成，请检查 pyproject.toml。")
    return built[0]


def add_bytecode(assets: Path, wheels: list[str]) -> None:
    paths = [assets / "wheels" / name for name in wheels]
    try:
        bytecode.add_bytecode(
            PYODIDE_DIR,
            assets / "pyodide" / "python_stdlib.zip",
            paths,
            bytecode.browser_imports(WHEEL_PACKAGES),
        )
    except bytecode.BytecodeError as e:
        raise AssetError(str(e)) from None


def copy_pyodide(out: Path) -> str:
    package = PYODIDE_DIR / "package.json"
    if not package.exists():
        raise AssetError(
            "缺少 node_modules/pyodide。请先运行 scripts/setup.sh（其中执行 npm ci）。"
        )
    out.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE_DIR / name, out / name)
    return json.loads(package.read_text(encoding="utf-8"))["version"]
