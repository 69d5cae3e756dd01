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
    (data / "standard.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
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
    err = error_for(tmp_path, lambda raw: item(raw, "2.2").update(applies_if={"fact": "has_river", "equals": True}))
    assert_names(err, "2.2", "applies_if", "has_river")


def test_yaml_syntax_error_names_the_line(tmp_path):
    data = copy_data(tmp_path)
    text = (data / "standard.yaml").read_text(encoding="utf-8").replace('  - id: "1.2"', '  - id: "1.2\n', 1)
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


def test_the_build_stops_with_the_message(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "macros", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    broken_copy(project, lambda raw: item(raw, "3.2")["criteria"][1].update(threshold="十"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode != 0
    assert "数据文件 standard.yaml：条目 3.2 的字段 categories[2].items[1].criteria[1].threshold" in run.stdout + run.stderr
