"""Loading and validating the YAML files in `data/` (CPython side: build, CLI, tests).

PyYAML and jsonschema are imported inside the functions: the browser never loads YAML, it gets
the already-validated data as JSON from the built site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .errors import DataError, excerpt
from .intake import read_file_bytes

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


# Data files are edited by hand and read at every build. Anchors and aliases (&a / *a) are not used
# by any of them and are the door to "billion laughs" (a 9 KB file expanding to gigabytes), so they
# are refused outright; so are integers too long for any count or year, and keys given twice
# (PyYAML would silently keep the last one).
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_INT_DIGITS = 15
MAX_YAML_DEPTH = 40

_YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        "这里不应出现“冒号 + 空格”：文字里含冒号时请整段加引号，或检查缩进",
    ),
    ("could not find expected ':'", "缺少冒号，或上一行的引号没有闭合"),
    ("cannot start any token", "含有不能出现在这里的字符（常见的是制表符 Tab，请改用空格缩进）"),
    ("found unexpected end of stream", "引号没有闭合，文件就结束了"),
    ("found unknown escape character", "双引号里的反斜杠转义写法不对（路径等文字请改用单引号）"),
    ("expected <block end>", "缩进不一致，请检查这一行与上下文的空格数"),
    ("expected <document start>", "缩进不一致，或多了一段不属于任何字段的内容"),
    ("did not find expected key", "缩进不一致，或列表项与字段混在同一层"),
    ("did not find expected '-' indicator", "列表项（以“- ”开头）的缩进不一致"),
    ("did not find expected node content", "这里缺少内容"),
    ("found character that cannot start any token", "含有不能出现在这里的字符"),
    ("special characters are not allowed", "含有不允许的控制字符"),
)


def _yaml_loader():
    import yaml

    class StrictLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            try:
                if self.depth > MAX_YAML_DEPTH:
                    raise _YamlRefused(
                        self.peek_event().start_mark,
                        f"嵌套超过 {MAX_YAML_DEPTH} 层，请检查缩进和括号",
                    )
                return self._compose_checked(parent, index)
            finally:
                self.depth -= 1

        def _compose_checked(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _YamlRefused(
                    event.start_mark,
                    "使用了 YAML 别名（*…），数据文件不允许使用锚点和别名，请把内容直接写出来",
                )
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise _YamlRefused(
                    event.start_mark, "使用了 YAML 锚点（&…），数据文件不允许使用锚点和别名，请删除"
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    raise _YamlRefused(key_node.start_mark, "键名不能是列表或键值表") from None
                if duplicate:
                    raise _YamlRefused(
                        key_node.start_mark,
                        f"键“{excerpt(key)}”在同一层出现了两次，请删除或合并重复的一项",
                    )
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_int(self, node):
            digits = node.value.replace("_", "").lstrip("+-")
            if len(digits) > MAX_YAML_INT_DIGITS:
                raise _YamlRefused(
                    node.start_mark, f"数字“{excerpt(node.value, 20)}”位数过多，请核对"
                )
            return super().construct_yaml_int(node)

    StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
    return StrictLoader


class _YamlRefused(Exception):
    def __init__(self, mark, problem: str):
        self.mark, self.problem = mark, problem


def _at(mark) -> str:
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "某处"


_QUOTED_OR_COMMENT = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*")


def _check_flow_depth(file: str, text: str) -> None:
    """PyYAML's scanner is quadratic in the depth of [ ] { } nesting (10,000 levels take seconds):
    measure the depth on the text first, outside quotes and comments."""
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return
    depth = 0
    for m in re.finditer(r"[\[\]{}]", _QUOTED_OR_COMMENT.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_YAML_DEPTH:
            line = text.count("\n", 0, m.start()) + 1 if m.start() < len(text) else "?"
            raise DataError(
                file,
                f"第 {line} 行附近",
                "YAML 写法",
                f"方括号或花括号嵌套超过 {MAX_YAML_DEPTH} 层，请检查括号。",
            )


def load_yaml(path: Path) -> Any:
    """Parse a data file strictly; any problem is a `DataError` naming the line, in Chinese."""
    import yaml

    try:
        data = read_file_bytes(
            path,
            lambda problem: DataError(path.name, "整个文件", "（文件）", problem),
            MAX_YAML_BYTES,
        )
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(
            path.name, "整个文件", "编码", "文件不是 UTF-8 编码，请另存为 UTF-8。"
        ) from None
    _check_flow_depth(path.name, text)
    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506  a SafeLoader subclass
    except _YamlRefused as exc:
        raise DataError(path.name, _at(exc.mark), "YAML 写法", exc.problem + "。") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context or "")
        words = next((zh for en, zh in _YAML_PROBLEMS if en in problem), "写法有误")
        raise DataError(
            path.name,
            _at(mark),
            "YAML 语法",
            f"无法解析：{words}。请检查这一行及上一行的缩进和引号。",
        ) from None
    except yaml.YAMLError:
        raise DataError(
            path.name, "整个文件", "YAML 语法", "无法解析，请检查缩进和引号。"
        ) from None
    except RecursionError:
        raise DataError(path.name, "整个文件", "YAML 写法", "嵌套过深，请检查缩进。") from None


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
        raise DataError(
            path.name,
            "整个文件",
            "schema",
            f"缺少对应的 JSON Schema（data/schema/{schema_path.name}），每个数据文件都必须有。",
        )
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
        problem = f"应为{'或'.join(_TYPE_WORDS.get(w, w) for w in want)}，现在是“{excerpt(error.instance)}”。"
    elif v == "pattern":
        problem = f"格式不对：“{excerpt(error.instance)}”。编号应形如 1、1.1、1.1.a（用引号括起来的文字）。"
    elif v in ("enum", "const"):
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        problem = (
            f"取值“{excerpt(error.instance)}”不在允许的范围内（{'、'.join(map(str, allowed))}）。"
        )
    elif v in ("minItems", "minLength"):
        problem = "不能为空。"
    else:
        problem = _schema_problem(error)
    return DataError(file, where, field or "（顶层）", problem)


def _schema_problem(error) -> str:
    """The remaining JSON Schema keywords in words (jsonschema's own messages are English)."""
    v, limit = error.validator, error.validator_value
    words = {
        "maxLength": f"太长，最多 {limit} 个字。",
        "maxItems": f"项数太多，最多 {limit} 项。",
        "minimum": f"不能小于 {limit}。",
        "maximum": f"不能大于 {limit}。",
        "exclusiveMinimum": f"应大于 {limit}。",
        "exclusiveMaximum": f"应小于 {limit}。",
        "uniqueItems": "列表中有重复的项。",
        "format": f"格式不对（应为 {limit}）。",
        "minProperties": "不能为空。",
    }
    return words.get(
        v, f"取值“{excerpt(error.instance)}”不符合数据格式的要求，请对照同类条目检查。"
    )


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
