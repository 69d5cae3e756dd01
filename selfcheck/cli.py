"""Command line: `selfcheck template | score | aggregate | compare | package verify`.

Exit 0 on success, 1 on bad input, 2 on bad usage.

The data files are read from `data/` with `selfcheck.datafiles` (validated against their schemas).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import SelfcheckError, UsageError, excerpt_path
from .intake import os_problem, read_file_bytes, terminal_safe

# argparse's own words, in Chinese (it looks them up through its module-level `_`).
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n请运行 {self.prog} --help 查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="selfcheck",
        description="安全发展社区（村）自评工具：生成填写模板、评分导出、镇街/区级汇总。",
    )
    parser.add_argument(
        "--version", action="version", version=f"selfcheck {__version__}", help="显示版本并退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "template",
        help="生成空白的填写模板（JSON）",
        description="按建设标准生成空白的自评填写模板（JSON），列出全部指标。",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")

    p = sub.add_parser(
        "score",
        help="评分并导出",
        description="读取自评数据（模板填写后的 JSON，或本工具导出的 JSON），评分并按格式输出。",
    )
    p.add_argument("file", metavar="FILE", help="自评数据 JSON 文件")
    p.add_argument(
        "--format",
        choices=list(_format_ids()),
        default="text",
        help="输出格式（默认 text；xlsx 必须配合 -o）：" + _format_help(),
    )
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    p.add_argument(
        "--records",
        metavar="台账文件",
        help="把台账 CSV/XLSX（列：日期、类型、人数、备注）中的记录并入评分",
    )
    p.add_argument(
        "--now", metavar="时间", help="评分时间（如 2024-09-01T10:00:00+08:00），默认当前时间"
    )

    p = sub.add_parser(
        "aggregate",
        help="汇总多个点位的导出文件并排名",
        description="校验每个导出文件的校验码，按当前口径重新评分并排名，列出未采用的文件及原因。",
    )
    p.add_argument(
        "files", nargs="+", metavar="FILES", help="各点位导出的 JSON 文件或报送材料包（.zip）"
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "xlsx"],
        default="text",
        help="输出格式（默认 text；xlsx 必须配合 -o）",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    p.add_argument("--now", metavar="时间", help="生成时间，默认当前时间")

    _add_compare(sub)
    _add_package_parser(sub)
    return parser


def _format_ids():
    from .exports import FORMATS

    return FORMATS


def _format_help() -> str:
    from .exports import FORMATS

    return "；".join(f"{f.id} {f.label}" for f in FORMATS.values())


# ---- `selfcheck package verify` (issue 16; helper "dossier") ----------------------------------------


def _add_package_parser(sub) -> None:
    p = sub.add_parser(
        "package", help="检查报送材料包", description="报送材料包（zip）的相关操作。"
    )
    actions = p.add_subparsers(dest="package_command", metavar="操作", parser_class=_Parser)
    actions.required = True
    v = actions.add_parser(
        "verify",
        help="逐个文件核对材料包与清单",
        description="核对报送材料包中每个文件的大小和 SHA-256 是否与清单一致，并检查自评导出文件。",
    )
    v.add_argument("file", metavar="ZIP", help="报送材料包（.zip）")
    v.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式（默认 text）"
    )


def _package(args, standard) -> int:
    from .importer import import_document
    from .package import verify, verify_text

    name = Path(args.file).name
    if not Path(args.file).is_file():
        raise UsageError(f"无法读取文件“{args.file}”：文件不存在。")
    checked = verify(args.file, name)
    inner = f"{name} 中的 {checked['manifest'].get('export')}"
    imported = import_document(standard, checked["export"], filename=inner)
    if imported["source"] != "export":
        raise UsageError(
            f"报送材料包“{name}”中的自评文件是未导出的自评数据，没有校验码，请在自评工具中重新生成材料包。"
        )
    if args.format == "json":
        shown = {k: v for k, v in checked.items() if k != "export"}
        doc = {"ok": True, "file": name, **shown, "notes": imported["notes"]}
        return _write(None, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    for note in imported["notes"]:
        print(f"提示：{note}", file=sys.stderr)
    return _write(None, verify_text(checked, name))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 bad input, 2 bad usage)."""
    original = argparse._
    argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
        try:
            return _run(args)
        except SelfcheckError as exc:
            print(terminal_safe(f"错误：{exc}"), file=sys.stderr)
            return 1
    finally:
        argparse._ = original


def _run(args) -> int:
    from .answers import template
    from .datafiles import DATA_DIR, load_standard, load_validated
    from .scoring import ScoringRule

    standard = load_standard()
    if args.command == "package":
        return _package(args, standard)
    if args.command == "compare":
        return _compare(
            args,
            standard,
            ScoringRule.from_dict(load_validated(DATA_DIR / "scoring.yaml"), standard),
        )
    if args.command == "template":
        return _write(
            args.output, json.dumps(template(standard), ensure_ascii=False, indent=1) + "\n"
        )
    rule = ScoringRule.from_dict(load_validated(DATA_DIR / "scoring.yaml"), standard)
    plan = load_validated(DATA_DIR / "plan.yaml")
    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 格式必须用 -o 指定输出文件，例如 -o 结果.xlsx。")
    if args.command == "score":
        return _score(args, standard, rule, plan)
    return _aggregate(args, standard, rule, plan)


# Larger than any file the readers accept: each reader then names its own limit.
MAX_READ_BYTES = 64 * 1024 * 1024


def _read(path: str) -> bytes:
    return read_file_bytes(
        path,
        lambda problem: UsageError(f"无法读取文件“{excerpt_path(path)}”：{problem}"),
        MAX_READ_BYTES,
    )


def _write(output: str | None, content: str | bytes) -> int:
    if output:
        try:
            data = content.encode("utf-8") if isinstance(content, str) else content
            Path(output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"无法写入“{excerpt_path(output)}”：{os_problem(exc)}。") from None
        except ValueError:
            raise UsageError(f"无法写入“{excerpt_path(output)}”：文件名里有无效字符。") from None
        print(f"已写入 {output}", file=sys.stderr)
    else:
        sys.stdout.write(
            content.lstrip("\ufeff") if isinstance(content, str) else content.decode("utf-8")
        )
    return 0


def _score(args, standard, rule, plan) -> int:
    from . import exports
    from .answers import log_types
    from .importer import import_document
    from .records import read_records

    imported = import_document(standard, _read(args.file), filename=Path(args.file).name)
    answers = imported["answers"]
    for note in imported["notes"]:
        print(terminal_safe(f"提示：{note}"), file=sys.stderr)
    if args.records:
        extra = read_records(
            _read(args.records), Path(args.records).name, types=log_types(standard)
        )
        answers = {**answers, "records": answers["records"] + extra}
    doc = exports.export_document(standard, rule, answers, now=args.now)
    return _write(args.output, exports.write_export(args.format, standard, plan, doc))


def _submission_source(path: str, opened: contextlib.ExitStack):
    """A 报送材料包 as an open file, verified entry by entry from disk up to the package's own limit
    (as the browser reads a dropped package in slices); anything else as bytes, read whole."""
    if os.path.isfile(path):
        try:
            handle = opened.enter_context(open(path, "rb"))  # noqa: SIM115  closed by `opened`
        except OSError:
            return _read(path)  # names the problem
        if handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
            handle.seek(0)
            return handle
    return _read(path)


def _aggregate(args, standard, rule, plan) -> int:
    from .aggregate import aggregate, aggregate_text, aggregate_xlsx

    files = []
    refused = []
    with contextlib.ExitStack() as opened:
        for name in args.files:
            try:
                files.append((name, _submission_source(name, opened)))
            except UsageError as exc:
                refused.append({"file": name, "reason": str(exc)})
        summary = aggregate(standard, rule, files, now=args.now)
    summary["refused"] = refused + summary["refused"]
    if args.format == "xlsx":
        _write(args.output, aggregate_xlsx(summary, plan))
    elif args.format == "json":
        _write(args.output, json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    else:
        _write(args.output, aggregate_text(summary))
    if not summary["communities"]:
        print("错误：没有可用的导出文件，见上面的原因。", file=sys.stderr)
        return 1
    return 0


# ---- selfcheck compare OLD NEW ---------------------------------------------------------------


def _add_compare(sub) -> None:
    p = sub.add_parser(
        "compare",
        help="比较两次自评（以前和现在的导出文件）",
        description="按当前标准和口径重新评分两个导出文件（或填写的自评数据），逐条列出改善和退步。",
    )
    p.add_argument("old", metavar="OLD", help="以前导出的 JSON 文件")
    p.add_argument("new", metavar="NEW", help="现在的导出 JSON 文件或自评数据")
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式（默认 text）"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    p.add_argument(
        "--now", metavar="时间", help="评分时间，用于没有导出时间的自评数据，默认当前时间"
    )


def _compare(args, standard, rule) -> int:
    from .compare import compare_exports, compare_text

    summary = compare_exports(
        standard,
        rule,
        _read(args.old),
        _read(args.new),
        now=args.now,
        old_name=Path(args.old).name,
        new_name=Path(args.new).name,
    )
    if args.format == "json":
        return _write(args.output, json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    return _write(args.output, compare_text(summary))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
