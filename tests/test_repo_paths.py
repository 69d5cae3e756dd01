"""Nothing in the repository reaches outside it: a fresh clone has nothing beside it."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

# A relative path that climbs with `..`, as written in code or config; in Markdown only link
# targets count (a shell line such as `ln -s ../sites-available/…` names a path on the server).
_CLIMB = re.compile(r"(?:\.\./)+[\w.\-/]*")
_MARKDOWN_LINK_CLIMB = re.compile(r"\]\(((?:\.\./)+[^)\s]*)\)")
# Ways Python code climbs without writing `../`: ROOT.parent, or more parents than the file is deep.
_ROOT_PARENT = re.compile(r"\bROOT\.parent\b")
_PARENTS_INDEX = re.compile(r"\.parents\[(\d+)\]")
_PARENT_CHAIN = re.compile(r"(?:\.parent){2,}")


def _tracked_text_files():
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    for name in names.decode("utf-8").split("\0"):
        path = ROOT / name
        if (
            not name
            or not path.is_file()
            or path.suffix in {".png", ".jpg", ".whl", ".zip", ".xlsx"}
        ):
            continue
        try:
            yield name, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


def _escapes(file_dir, climb: str) -> bool:
    target = (file_dir / climb).resolve()
    return ROOT.resolve() not in (target, *target.parents)


def _python_climbs_out(name: str, line: str) -> bool:
    depth = len(name.split("/")) - 1  # folders between the repository root and the file
    if _ROOT_PARENT.search(line):
        return True
    if any(int(m.group(1)) > depth for m in _PARENTS_INDEX.finditer(line)):
        return True
    # Path(__file__).parent × n is parents[n - 1].
    return any(m.group(0).count(".parent") - 1 > depth for m in _PARENT_CHAIN.finditer(line))


def _line_climbs_out(name: str, line: str) -> bool:
    if "shared/seeds" in line:
        return True
    file_dir = (ROOT / name).parent
    pattern = _MARKDOWN_LINK_CLIMB if name.endswith(".md") else _CLIMB
    if any(_escapes(file_dir, m.group(m.lastindex or 0)) for m in pattern.finditer(line)):
        return True
    return name.endswith(".py") and _python_climbs_out(name, line)


def test_no_tracked_file_refers_to_a_path_outside_the_repository():
    found = []
    for name, text in _tracked_text_files():
        if name == "tests/test_repo_paths.py":
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            if _line_climbs_out(name, line):
                found.append(f"{name}:{lineno}: {line.strip()[:120]}")
    assert not found, "这些文件引用了仓库以外的路径（全新克隆里不存在）：\n" + "\n".join(found)


def test_the_check_catches_a_path_outside_the_repository():
    assert _line_climbs_out("tests/x.py", 'open("../../other/seeds.txt")')
    assert _line_climbs_out("tests/x.py", "SEED = ROOT.parent / 'shared'")
    assert _line_climbs_out("tests/browser/x.py", "Path(__file__).resolve().parents[3] / 'x'")
    assert _line_climbs_out("tests/x.py", "Path(__file__).parent.parent.parent / 'x'")
    assert _line_climbs_out("docs/staff/a.md", "见[上级](../../../x.md)")
    assert not _line_climbs_out(
        "tests/browser/x.py", "Path(__file__).resolve().parents[2] / 'data'"
    )
    assert not _line_climbs_out("docs/staff/a.md", "见[标准](../standard/1.md)")
    assert not _line_climbs_out("README.md", "sudo ln -s ../sites-available/a.conf /etc/nginx/")


def test_the_seed_is_in_the_repository():
    from tests.conftest import SEED

    assert ROOT.resolve() in SEED.resolve().parents
    assert "沙安办〔2024〕30号" in SEED.read_text(encoding="utf-8")
