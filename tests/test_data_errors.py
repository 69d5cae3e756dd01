"""Bad data stops the build with a Chinese message naming the file, the item id and the field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.site_data import load_all
from selfcheck.errors import DataError
from tests.conftest import DATA_DIR, ROOT


def copy_data(tmp_path: Path) -> Path:
    """The standard, the plan and every schema: enough for a build, apart from other content."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "schema", data / "schema")
    for name in ("standard.yaml", "plan.yaml"):
        shutil.copy2(DATA_DIR / name, data / name)
    return data


def broken_copy(tmp_path: Path, edit) -> Path:
    """A copy of data/ whose standard.yaml was changed by `edit(raw_dict)`."""
    data = copy_data(tmp_path)
    raw = yaml.safe_load((data / "standard.yaml").read_text(encoding="utf-8"))
    edit(raw)
    (data / "standard.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return data


def item(raw, item_id):
    return next(i for c in raw["categories"] for i in c["items"] if i["id"] == item_id)


def error_for(tmp_path, edit) -> DataError:
    with pytest.raises(DataError) as exc:
        load_all(broken_copy(tmp_path, edit))
    return exc.value


def assert_names(err: DataError, *parts: str):
    message = str(err)
    assert "standard.yaml" in message
    for part in parts:
        assert part in message, message


def test_missing_field(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "4.2").pop("text"))
    assert_names(err, "4.2", "text", "缺少必填字段")


def test_wrong_type_threshold_is_not_a_number(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "3.2")["criteria"][1].update(threshold="十"))
    assert_names(err, "3.2", "threshold", "应为数字")


def test_unknown_key(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "1.1").update(remark="多余"))
    assert_names(err, "1.1", "remark", "未知字段")


def test_duplicate_item_id(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "1.3").update(id="1.2"))
    assert_names(err, "1.2", "id", "重复")


def test_malformed_item_id(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "2.4").update(id="2-4"))
    assert_names(err, "2-4", "id", "格式不对")


def test_unquoted_id_read_as_number(tmp_path):
    err = error_for(tmp_path, lambda raw: item(raw, "6.10").update(id=6.1))
    assert_names(err, "6.1", "id", "应为文字")


def test_item_out_of_order(tmp_path):
    def swap(raw):
        items = raw["categories"][0]["items"]
        items[0], items[1] = items[1], items[0]

    err = error_for(tmp_path, swap)
    assert_names(err, "1.2", "id", "应为 1.1")


def test_condition_on_unknown_fact(tmp_path):
    err = error_for(
        tmp_path,
        lambda raw: item(raw, "2.2").update(applies_if={"fact": "has_river", "equals": True}),
    )
    assert_names(err, "2.2", "applies_if", "has_river")


def test_yaml_syntax_error_names_the_line(tmp_path):
    data = copy_data(tmp_path)
    text = (
        (data / "standard.yaml")
        .read_text(encoding="utf-8")
        .replace('  - id: "1.2"', '  - id: "1.2\n', 1)
    )
    (data / "standard.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_all(data)
    assert "standard.yaml" in str(exc.value) and "行" in str(exc.value)


def test_data_file_without_schema_is_refused(tmp_path):
    data = copy_data(tmp_path)
    (data / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_all(data)
    assert "extra.yaml" in str(exc.value) and "Schema" in str(exc.value)


def project_copy(tmp_path: Path) -> Path:
    """The whole project as a fresh copy (pages, macros, every data file) to break one file of."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "macros", "overrides", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    return project


def edit_yaml(path: Path, edit) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def first_article_tag(raw):
    raw["articles"][0]["tags"] = ["no-such-tag"]


# Each bad value, and the one sentence the build must print for it. The last three are cross-file
# checks made by the page modules (resident, staff, risk map pages); the last, a missing file.
BROKEN = {
    "schema": (
        lambda p: edit_yaml(
            p / "data" / "standard.yaml",
            lambda raw: item(raw, "3.2")["criteria"][1].update(threshold="十"),
        ),
        "数据文件 standard.yaml：条目 3.2 的字段 categories[2].items[1].criteria[1].threshold：应为数字，现在是“十”。",
    ),
    "resident": (
        lambda p: edit_yaml(p / "data" / "articles.yaml", first_article_tag),
        "数据文件 articles.yaml：文章 ebike-charging 的字段 tags：标签“no-such-tag”不在 tags 列表中。",
    ),
    "staff": (
        lambda p: edit_yaml(
            p / "data" / "plan_elements.yaml", lambda raw: raw["principles"].update(source="nobody")
        ),
        "数据文件 plan_elements.yaml：来源 nobody 的字段 source："
        "“nobody”未在 sources 中定义：请在 sources 里加上它，或改用已有的来源编号。",
    ),
    "riskmap": (
        lambda p: edit_yaml(p / "data" / "risk_map.yaml", lambda raw: raw.update(item="4.9")),
        "数据文件 risk_map.yaml：整个文件 的字段 item："
        "条目“4.9”不在 standard.yaml 中：请写标准里的条目编号（风险一张图是 4.1）。",
    ),
    "missing file": (
        lambda p: (p / "data" / "reserve.yaml").unlink(),
        "缺少数据文件 data/reserve.yaml：网站的页面需要它，请从仓库中恢复这个文件。",
    ),
}


def mkdocs_build(project: Path, out: Path, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.build
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_build_prints_only_the_sentence(tmp_path, case):
    """The whole output, not a grep: MkDocs' one error line and its abort line, no traceback."""
    break_it, sentence = BROKEN[case]
    project = project_copy(tmp_path)
    break_it(project)
    run = mkdocs_build(project, tmp_path / "out", "-q")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"ERROR   -  {sentence}"]
    assert run.stdout.splitlines() == ["", "Aborted with a BuildError!"]


@pytest.mark.build
def test_the_build_without_quiet_adds_only_the_macros_notices(tmp_path):
    """As the README's command runs it (no -q): the plugin's two notices, then the sentence."""
    break_it, sentence = BROKEN["schema"]
    project = project_copy(tmp_path)
    break_it(project)
    run = mkdocs_build(project, tmp_path / "out")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"INFO    -  [macros] - Found local Python module 'macros' in: {project}",
        f"INFO    -  [macros] - Found external Python module 'macros' in: {project}",
        f"ERROR   -  {sentence}",
    ]
    assert run.stdout.splitlines() == ["", "Aborted with a BuildError!"]


def test_a_wheel_that_does_not_build_stops_the_build_with_one_sentence(tmp_path, monkeypatch):
    # pip's own report (a traceback, English) is kept out of the build's output: one Chinese
    # sentence with pip's last line, which MkDocs prints as the build error.
    from macros import assets

    project = tmp_path / "project"
    project.mkdir()
    for name in [*assets.WHEEL_SOURCES, *assets.WHEEL_PACKAGES]:
        src = assets.ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        else:
            shutil.copyfile(src, project / name)
    (project / "pyproject.toml").write_text("[project\nname = ", encoding="utf-8")
    monkeypatch.setattr(assets, "ROOT", project)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(assets.AssetError) as caught:
        assets.build_selfcheck_wheel(out)
    message = str(caught.value)
    assert message.startswith("selfcheck 的 wheel 生成失败（pip wheel：") and "\n" not in message
    assert "Traceback" not in message
