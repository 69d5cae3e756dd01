"""Command line: `selfcheck template | score | aggregate`. Exit 0 on success, 1 on bad input, 2 on bad usage.

The data files are read from `data/` with `selfcheck.datafiles` (validated against their schemas).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import SelfcheckError, UsageError, excerpt
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
    parser = _Parser(prog="selfcheck", description="安全发展社区（村）自评工具：生成填写模板、评分导出、镇街/区级汇总。")
    parser.add_argument("--version", action="version", version=f"selfcheck {__version__}", help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("template", help="生成空白的填写模板（JSON）", description="按建设标准生成空白的自评填写模板（JSON），列出全部指标。")
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")

    p = sub.add_parser("score", help="评分并导出", description="读取自评数据（模板填写后的 JSON，或本工具导出的 JSON），评分并按格式输出。")
    p.add_argument("file", metavar="FILE", help="自评数据 JSON 文件")
    p.add_argument("--format", choices=["text", "json", "csv", "xlsx", "html"], default="text", help="输出格式（默认 text；xlsx 必须配合 -o）")
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    p.add_argument("--records", metavar="台账文件", help="把台账 CSV/XLSX（列：日期、类型、人数、备注）中的记录并入评分")
    p.add_argument("--now", metavar="时间", help="评分时间（如 2024-09-01T10:00:00+08:00），默认当前时间")

    p = sub.add_parser("aggregate", help="汇总多个点位的导出文件并排名", description="校验每个导出文件的校验码，按当前口径重新评分并排名，列出未采用的文件及原因。")
    p.add_argument("files", nargs="+", metavar="FILES", help="各点位导出的 JSON 文件")
    p.add_argument("--format", choices=["text", "json", "xlsx"], default="text", help="输出格式（默认 text；xlsx 必须配合 -o）")
    p.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    p.add_argument("--now", metavar="时间", help="生成时间，默认当前时间")
    return parser


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
    if args.command == "template":
        return _write(args.output, json.dumps(template(standard), ensure_ascii=False, indent=1) + "\n")
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
    return read_file_bytes(path, lambda problem: UsageError(f"无法读取文件“{excerpt(path, 80)}”：{problem}"), MAX_READ_BYTES)


def _write(output: str | None, content: str | bytes) -> int:
    if output:
        try:
            data = content.encode("utf-8") if isinstance(content, str) else content
            Path(output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"无法写入“{excerpt(output, 80)}”：{os_problem(exc)}。") from None
        except ValueError:
            raise UsageError(f"无法写入“{excerpt(output, 80)}”：文件名里有无效字符。") from None
        print(f"已写入 {output}", file=sys.stderr)
    else:
        sys.stdout.write(content.lstrip("\ufeff") if isinstance(content, str) else content.decode("utf-8"))
    return 0


def _score(args, standard, rule, plan) -> int:
    from . import exports
    from .importer import import_document
    from .answers import log_types
    from .records import read_records

    imported = import_document(standard, _read(args.file), filename=Path(args.file).name)
    answers = imported["answers"]
    for note in imported["notes"]:
        print(terminal_safe(f"提示：{note}"), file=sys.stderr)
    if args.records:
        extra = read_records(_read(args.records), Path(args.records).name, types=log_types(standard))
        answers = {**answers, "records": answers["records"] + extra}
    doc = exports.export_document(standard, rule, answers, now=args.now)
    if args.format == "json":
        return _write(args.output, json.dumps(exports.file_document(doc), ensure_ascii=False, indent=1) + "\n")
    if args.format == "csv":
        return _write(args.output, exports.csv_from_export(standard, doc))
    if args.format == "xlsx":
        return _write(args.output, exports.xlsx_from_export(standard, plan, doc))
    if args.format == "html":
        return _write(args.output, exports.html_from_export(standard, doc))
    return _write(args.output, result_text(doc["result"]))


def result_text(result: dict) -> str:
    """The result as plain text: scores, verdict, 整改清单."""
    from .model import format_number

    p = result["profile"]
    o = result["overall"]
    lines = [
        f"{p['town']} {p['site_name']}（{p['kind']}）自评结果",
        f"标准版本 {result['standard_version']}；工具版本 {result['tool_version']}；评分时间 {result['scored_at']}",
        f"评分口径：{result['scoring']['label']}（{result['scoring']['source']}，版本 {result['scoring']['version']}）。{result['scoring']['note']}",
        f"{result['window']['label']}。{result['window']['note']}",
        "",
        f"总分 {format_number(o['score'])}：{o['verdict']}。{o['text']}",
    ]
    lines += [f"  {u}" for u in o["unmet"]]
    lines += [f"提示：{w}" for w in result["warnings"]]
    lines.append("")
    for c in result["categories"]:
        score = "不适用" if c["score"] is None else format_number(c["score"])
        k = c["counts"]
        lines.append(f"{c['id']} {c['name']}：{score} 分（达标 {k['met']}，部分达标 {k['partial']}，未达标 {k['not_met']}，未填写 {k['not_answered']}，不适用 {k['not_applicable']}）")
    lines += ["", "整改清单："]
    current = None
    for g in result["gaps"]:
        if g["category"] != current:
            current = g["category"]
            lines.append(f"【{g['category_id']} {current}】")
        lines.append(f"  {g['item_id']} {g['item_title']}：{g['text']}")
    return terminal_safe("\n".join(lines) + "\n")


def _aggregate(args, standard, rule, plan) -> int:
    from .aggregate import aggregate, aggregate_text, aggregate_xlsx

    files = []
    refused = []
    for name in args.files:
        try:
            files.append((name, _read(name)))
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
