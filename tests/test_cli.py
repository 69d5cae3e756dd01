"""The `selfcheck` command: template, score, aggregate; help, exit codes, Chinese messages.

Every case calls `selfcheck.cli.main()` in this process (a process per call cost a second each);
one smoke test runs the installed command itself, so the entry point and its exit code are real.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass

import openpyxl
import pytest

from selfcheck.cli import main
from tests.conftest import ROOT
from tests.scoring_cases import NOW, cases

EXE = ROOT / ".venv" / "bin" / "selfcheck"


@dataclass
class Ran:
    """What a run of the command gave, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


def run(*args, cwd=None) -> Ran:
    """`selfcheck ARGS` in this process, in `cwd`, with its own stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd or os.getcwd()),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main([str(a) for a in args])
    return Ran(code, out.getvalue(), err.getvalue())


def run_installed(*args, cwd=None) -> subprocess.CompletedProcess:
    """The installed command in its own process, as a user runs it."""
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "selfcheck.cli"]
    return subprocess.run(
        cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_installed_command_runs_as_in_process(files, tmp_path):
    """Smoke test of the real entry point: same output and exit codes as `main()` in process."""
    _, f = files
    ok = run_installed("score", f["boundaries"], "--now", NOW)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == run("score", f["boundaries"], "--now", NOW).stdout
    missing = run_installed("score", "nope.json", cwd=tmp_path)
    assert (
        missing.returncode == 1
        and "找不到这个文件" in missing.stderr
        and "Traceback" not in missing.stderr
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory, standard):
    d = tmp_path_factory.mktemp("cli")
    out = {}
    for name, doc in cases(standard):
        path = d / f"{name}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out[name] = path
    return d, out


@pytest.mark.parametrize(
    "args", [["--help"], ["template", "--help"], ["score", "--help"], ["aggregate", "--help"]]
)
def test_help_everywhere(args):
    got = run(*args)
    assert got.returncode == 0
    assert "用法：" in got.stdout and "显示帮助并退出" in got.stdout


def test_template_is_a_valid_blank_answers_document(tmp_path, standard):
    got = run("template")
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["format"] == "selfcheck-answers" and set(doc["answers"]) == set(standard.criteria)
    got = run("template", "-o", tmp_path / "t.json")
    assert (
        got.returncode == 0 and json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == doc
    )


def test_score_text(files):
    _, f = files
    got = run("score", f["boundaries"], "--now", NOW)
    assert got.returncode == 0, got.stderr
    assert "应急队伍人数 9 人，标准不少于 10 人，差 1 人" in got.stdout
    assert "整改清单" in got.stdout and "本站整理" in got.stdout


def test_score_json_then_aggregate_ranks_and_refuses(files, tmp_path):
    d, f = files
    exported = []
    for name in ("full", "boundaries", "blank"):
        out = tmp_path / f"{name}.export.json"
        got = run("score", f[name], "--format", "json", "-o", out, "--now", NOW)
        assert got.returncode == 0, got.stderr
        exported.append(out)
    data = json.loads(exported[1].read_text(encoding="utf-8"))
    data["profile_note"] = "x"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    truncated = tmp_path / "truncated.json"
    truncated.write_text(exported[0].read_text(encoding="utf-8")[:500], encoding="utf-8")
    # Three exports of the same site name: only the newest is kept; give them distinct names.
    for n, path in enumerate(exported):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["answers"]["profile"]["site_name"] = f"社区{n}"
        src = tmp_path / f"in{n}.json"
        src.write_text(json.dumps(doc["answers"], ensure_ascii=False), encoding="utf-8")
        assert run("score", src, "--format", "json", "-o", path, "--now", NOW).returncode == 0
    got = run("aggregate", *exported, tampered, truncated, tmp_path / "missing.json", f["full"])
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    ranked = [line.split("\t") for line in lines if line[:1].isdigit() and "\t" in line]
    assert [r[2] for r in ranked] == ["社区0", "社区1", "社区2"]
    assert float(ranked[0][3]) > float(ranked[1][3]) > float(ranked[2][3])
    assert "tampered.json" in got.stdout and "校验码不符" in got.stdout
    assert "truncated.json" in got.stdout and "不完整" in got.stdout
    assert "missing.json" in got.stdout and "找不到这个文件" in got.stdout
    assert "没有校验码" in got.stdout
    xlsx = tmp_path / "all.xlsx"
    got = run("aggregate", *exported, tampered, "--format", "xlsx", "-o", xlsx)
    assert got.returncode == 0, got.stderr
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["汇总排名", "未采用的文件", "附件2 点位信息", "说明"]
    assert [c.value for c in book["汇总排名"]["C"]][1:] == ["社区0", "社区1", "社区2"]
    assert book["未采用的文件"]["A2"].value == str(tampered)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_score_other_formats(files, tmp_path, fmt):
    _, f = files
    out = tmp_path / f"r.{fmt}"
    got = run("score", f["records"], "--format", fmt, "-o", out, "--now", NOW)
    assert got.returncode == 0, got.stderr
    data = out.read_bytes()
    if fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == "附件1 建设标准自评"
    elif fmt == "csv":
        assert data.startswith(
            b"\xef\xbb\xbf"
        ) and "2024年7月 3 次志愿者队伍安全宣教" in data.decode("utf-8")
    else:
        assert b"<!DOCTYPE html>" in data


def test_score_with_a_records_file(files, tmp_path):
    _, f = files
    log = tmp_path / "台账.csv"
    log.write_bytes("日期,类型,人数\n2023-10-02,应急演练,30\n".encode("gbk"))
    got = run("score", f["blank"], "--records", log, "--now", NOW)
    assert got.returncode == 0, got.stderr
    assert "2024年上半年 0 次社区（村）应急演练" in got.stdout


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["score"], 2, "缺少必需的参数"),
        (["score", "nope.json"], 1, "找不到这个文件"),
        (["score", "{bad}", "--format", "pdf"], 2, "无效的选项"),
        (["frobnicate"], 2, "无效的选项"),
        (["score", "BAD_JSON"], 1, "不是有效的 JSON"),
        (["score", "BAD_ANSWER"], 1, "应急队伍人数"),
        (["score", "GOOD", "--format", "xlsx"], 1, "-o"),
        (["score", "GOOD", "--records", "BAD_LOG"], 1, "第 2 行：日期“2024/13/01”无法识别"),
        (["score", "GOOD", "--now", "昨天"], 1, "不是有效的日期时间"),
        (["aggregate", "BAD_JSON"], 1, "没有可用的导出文件"),
    ],
)
def test_bad_input_exits_non_zero_with_a_chinese_message(
    files, tmp_path, standard, args, code, words
):
    _, f = files
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{oops", encoding="utf-8")
    doc = json.loads(f["blank"].read_text(encoding="utf-8"))
    doc["answers"]["3.2.b"] = {"value": "十个"}
    bad_answer = tmp_path / "bad_answer.json"
    bad_answer.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    bad_log = tmp_path / "bad.csv"
    bad_log.write_text("日期,类型\n2024/13/01,安全宣教\n", encoding="utf-8")
    subst = {"BAD_JSON": bad_json, "BAD_ANSWER": bad_answer, "GOOD": f["full"], "BAD_LOG": bad_log}
    got = run(*[subst.get(a, a) for a in args], cwd=tmp_path)
    assert got.returncode == code, (got.stdout, got.stderr)
    assert words in got.stderr + got.stdout
    assert "Traceback" not in got.stderr


def test_cli_names_os_problems_in_chinese_and_never_prints_terminal_escapes(tmp_path, capsys):
    """In process (`main()`): a folder, a missing file and a file name holding ESC/BEL sequences."""
    from selfcheck.cli import main
    from tests.hostile_corpus import export_text

    assert main(["score", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "文件夹" in err and "Is a directory" not in err
    evil = tmp_path / "\x1b]0;改标题\x07\x1b[31m红.json"
    evil.write_text("{", encoding="utf-8")
    good = tmp_path / "好.json"
    good.write_text(export_text(), encoding="utf-8")
    assert (
        main(["aggregate", str(evil), str(good), str(tmp_path / "没有.json"), str(tmp_path)]) == 0
    )
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out
    assert "找不到这个文件" in out and "文件夹" in out
    assert main(["score", str(good), "-o", str(tmp_path / "无此目录" / "x.txt")]) == 1
    assert "找不到这个文件" in capsys.readouterr().err
