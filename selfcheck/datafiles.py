"""Loading and validating the YAML files in `data/` (CPython side: build, CLI, tests).

PyYAML and jsonschema are imported inside the functions: the browser never loads YAML, it gets
the already-validated data as JSON from the built site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import DataError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHEMA_DIR = DATA_DIR / "schema"

_TYPE_WORDS = {
    "string": "文字",
    "number": "数字",
    "integer": "整数",
    "boolean": "是/否（true/false）",
    "array": "列表",
    "object": "键值表",
    "null": "空值",
}


def schema_for(data_file: Path) -> Path:
    """`data/standard.yaml` → `data/schema/standard.schema.json`."""
    return data_file.parent / "schema" / f"{data_file.stem}.schema.json"


def load_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a `DataError` with the line number."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(path.name, "整个文件", "编码", "文件不是 UTF-8 编码，请另存为 UTF-8。") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark else "某处"
        raise DataError(path.name, line, "YAML 语法", f"无法解析（{getattr(exc, 'problem', exc)}），请检查缩进和引号。") from None


def load_validated(path: Path, schema_path: Path | None = None) -> Any:
    """Load `path` and validate it against its JSON Schema; raise `DataError` on the first problem.

    Args:
        path: a YAML file in `data/`.
        schema_path: the schema; by default `data/schema/<stem>.schema.json`.
    Returns:
        The parsed data.
    """
    data = load_yaml(path)
    schema_path = schema_path or schema_for(path)
    if not schema_path.exists():
        raise DataError(path.name, "整个文件", "schema", f"缺少对应的 JSON Schema（data/schema/{schema_path.name}），每个数据文件都必须有。")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    error = first_schema_error(data, schema)
    if error is not None:
        raise _to_data_error(path.name, data, error)
    return data


def first_schema_error(data: Any, schema: dict[str, Any]):
    """The most relevant validation error, or None. Deepest first: it names the exact field."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(data))
    if not errors:
        return None
    return jsonschema.exceptions.best_match(errors, key=lambda e: -len(e.absolute_path))


def _to_data_error(file: str, data: Any, error) -> DataError:
    path = list(error.absolute_path)
    where = _nearest_id(data, path)
    field = _field_path(path)
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        field = f"{field}.{missing}" if field else missing
        problem = f"缺少必填字段“{missing}”，请补上。"
    elif v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        field = f"{field}.{extra[0]}" if field and extra else (extra[0] if extra else field)
        problem = f"未知字段“{'、'.join(extra)}”，请删除或检查拼写。"
    elif v == "type":
        want = error.validator_value
        want = [want] if isinstance(want, str) else want
        problem = f"应为{'或'.join(_TYPE_WORDS.get(w, w) for w in want)}，现在是“{error.instance}”。"
    elif v == "pattern":
        problem = f"格式不对：“{error.instance}”。编号应形如 1、1.1、1.1.a（用引号括起来的文字）。"
    elif v in ("enum", "const"):
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        problem = f"取值“{error.instance}”不在允许的范围内（{'、'.join(map(str, allowed))}）。"
    elif v in ("minItems", "minLength"):
        problem = "不能为空。"
    else:
        problem = f"不符合要求（{error.message}）。"
    return DataError(file, where, field or "（顶层）", problem)


def _nearest_id(data: Any, path: list) -> str:
    """Name the innermost item (or category, or other entry) on the error's path by its id."""
    where = "顶层"
    node = data
    parent_key = None
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int) and isinstance(node, dict) and "id" in node:
            label = str(node["id"])
            if parent_key == "items":
                where = f"条目 {label}"
            elif parent_key == "categories":
                where = f"类别 {label}"
            elif where == "顶层" and parent_key != "criteria":
                where = f"{parent_key} 中的 {label}"
        if not isinstance(key, int):
            parent_key = key
    return where


def _field_path(path: list) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def load_standard(path: Path | None = None):
    """The validated `Standard` model from `data/standard.yaml`."""
    from .model import Standard

    path = path or DATA_DIR / "standard.yaml"
    return Standard.from_dict(load_validated(path), file=path.name)
