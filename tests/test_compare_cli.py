"""`selfcheck compare OLD NEW`: two exports compared item by item, the same as the page's comparison."""

from __future__ import annotations

import json

from selfcheck import api, exports
from selfcheck.cli import main
from selfcheck.compare import compare_exports
from selfcheck.scoring import ScoringRule
from tests.scoring_cases import NOW, base_doc, full_doc, rule_data, standard_data


def write_exports(tmp_path, standard):
    rule = ScoringRule.from_dict(rule_data(), standard)
    old = base_doc(standard)
    old["answers"]["3.2.b"] = {"value": 9}
    old["answers"]["6.3.a"] = {"value": 1}
    new = full_doc(standard)
    new["answers"]["1.2.a"] = {"value": "no"}
    new["answers"]["6.3.a"] = {"value": 0}
    paths = []
    for name, doc in (("old.json", old), ("new.json", new)):
        path = tmp_path / name
        path.write_text(exports.json_export(standard, rule, doc, now=NOW), encoding="utf-8")
        paths.append(path)
    return rule, paths


def test_compare_names_what_improved_and_what_regressed(tmp_path, standard, capsys):
    _, (old, new) = write_exports(tmp_path, standard)
    assert main(["compare", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("以前：总分 1.2，差距较大") and "现在：总分 98.4，整改后可报送" in out
    assert "改善：3.2 社区（村）综合应急救援队：未达标 → 达标" in out
    assert "改善：1.2 四项工作机制：未填写 → 部分达标" in out
    assert "退步：6.3 安全宣教体验屋：达标 → 未达标" in out
    assert "退步 1 条" in out.splitlines()[2]


def test_compare_json_equals_the_page_comparison(tmp_path, standard, capsys):
    rule, (old, new) = write_exports(tmp_path, standard)
    assert main(["compare", str(old), str(new), "--format", "json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert from_cli == compare_exports(standard, rule, old.read_bytes(), new.read_bytes())
    new_answers = json.dumps(
        json.loads(new.read_text(encoding="utf-8"))["answers"], ensure_ascii=False
    )
    from_page = json.loads(
        api.compare(
            json.dumps(standard_data(), ensure_ascii=False),
            json.dumps(rule_data(), ensure_ascii=False),
            old.read_text(encoding="utf-8"),
            new_answers,
            NOW,
        )
    )
    assert from_page["items"] == from_cli["items"]
    assert (from_page["improved"], from_page["regressed"]) == (
        from_cli["improved"],
        from_cli["regressed"],
    )


def test_compare_with_a_missing_file_is_a_chinese_message(tmp_path, standard, capsys):
    _, (old, _) = write_exports(tmp_path, standard)
    assert main(["compare", str(old), str(tmp_path / "nope.json")]) == 1
    err = capsys.readouterr().err
    assert "nope.json" in err and "找不到这个文件" in err and "Traceback" not in err
