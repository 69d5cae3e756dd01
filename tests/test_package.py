"""报送材料包: verify (good and hostile zips made at test time), aggregation of packages, the CLI,
and the same verdicts inside real Pyodide."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from selfcheck import errors, package
from selfcheck.aggregate import aggregate
from selfcheck.datafiles import DATA_DIR, load_validated
from selfcheck.scoring import ScoringRule
from tests import package_cases as pc
from tests.conftest import ROOT
from tests.pyodide_node import run_in_pyodide
from tests.scoring_cases import NOW, full_doc, rule_data, standard_data


@pytest.fixture(scope="module")
def rule(standard):
    return ScoringRule.from_dict(load_validated(DATA_DIR / "scoring.yaml"), standard)


@pytest.fixture(scope="module")
def good(standard) -> bytes:
    return pc.good_package(standard)


@pytest.fixture(scope="module")
def hostile(standard):
    return pc.hostile(standard)


def test_a_good_package_verifies_and_lists_evidence_per_item(good, standard):
    checked = package.verify(good, "好.zip")
    paths = {f["path"] for f in checked["files"]}
    first = next(iter(standard.items.values()))
    assert package.EXPORT_PATH in paths and package.MANIFEST not in paths
    assert [f["name"] for f in checked["evidence"][first.id]] == ["会议记录.pdf", "照片 1.jpg"]
    assert checked["others"] == ["风险一张图/风险一张图.json"]
    doc = json.loads(checked["export"])
    assert doc["format"] == "selfcheck-export"
    m = checked["manifest"]
    assert (
        m["tool_version"] == doc["tool_version"]
        and m["standard_version"] == doc["standard_version"]
    )
    assert (
        m["scoring"]["label"] == doc["scoring"]["label"]
        and m["community"]["site_name"] == "示例社区"
    )
    for f in m["files"]:
        assert set(f) == {"path", "size", "sha256"}


def test_the_package_opens_from_a_path_and_a_file_object(good, tmp_path):
    p = tmp_path / "包.zip"
    p.write_bytes(good)
    assert (
        package.verify(p, "包.zip")["files"] == package.verify(io.BytesIO(good), "包.zip")["files"]
    )


HOSTILE = [
    "changed",
    "missing",
    "extra",
    "listed_not_there",
    "dotdot",
    "absolute",
    "backslash",
    "newer_tool",
    "ratio_bomb",
    "over_file_limit",
    "lying_sizes",
    "not_a_zip",
    "no_manifest",
    "no_export",
]


def test_every_hostile_case_is_tested(hostile):
    assert sorted(hostile) == sorted(HOSTILE)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_packages_are_refused_in_one_sentence_naming_the_file(hostile, case):
    data, cls, fragment = hostile[case]
    with pytest.raises(errors.PackageRefused) as got:
        package.verify(data, f"{case}.zip")
    message = str(got.value)
    assert type(got.value).__name__ == cls
    assert fragment in message
    assert message.startswith(f"报送材料包“{case}.zip”无法使用：") and message.endswith("。")
    assert message.count("。") == 1, "one sentence"
    assert "Traceback" not in message and "Error" not in message


def test_limits_are_checked_before_anything_is_inflated(good, monkeypatch):
    evidence = _evidence_bytes(good)

    def no_inflating(*args, **kwargs):
        raise AssertionError("inflated before the limits were checked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    monkeypatch.setattr(package, "MAX_PACKAGE_BYTES", len(good) - 1)
    with pytest.raises(errors.PackageTooLarge, match="超过了上限"):
        package.verify(good, "大.zip")
    monkeypatch.setattr(package, "MAX_PACKAGE_BYTES", 10**9)
    monkeypatch.setattr(package, "MAX_EVIDENCE_BYTES", evidence - 1)
    with pytest.raises(errors.PackageTooLarge, match="台账资料合计"):
        package.verify(good, "大.zip")


def _evidence_bytes(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(i.file_size for i in zf.infolist() if i.filename.startswith("台账/"))


def test_evidence_at_the_per_community_limit_is_accepted(good, monkeypatch):
    monkeypatch.setattr(package, "MAX_EVIDENCE_BYTES", _evidence_bytes(good))
    assert package.verify(good, "x.zip")["evidence"]


def test_symlinks_duplicates_and_encrypted_entries_are_refused(good):
    items = [(i.filename, c) for i, c in pc.entries(good)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, c in items:
            zf.writestr(n, c)
        link = zipfile.ZipInfo("台账/链接")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(errors.PackageUnsafe, match="符号链接"):
        package.verify(out.getvalue(), "link.zip")
    out = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "w") as zf:
        for n, c in items + [items[0]]:
            zf.writestr(n, c)
    with pytest.raises(errors.PackageUnsafe, match="出现了两次"):
        package.verify(out.getvalue(), "dup.zip")
    data = bytearray(good)
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 1  # general purpose flag: encrypted
    with pytest.raises(errors.PackageRefused, match="加密"):
        package.verify(bytes(data), "enc.zip")


@pytest.mark.parametrize(
    "path", ["../x", "a/../b", "/x", "C:/x", "a\\b", "a//b", "./a", "a/\x01b", ""]
)
def test_check_path_refuses_paths_that_could_escape(path):
    with pytest.raises(errors.PackageUnsafe):
        package.check_path(path, "p.zip")


def test_names_are_safe_on_every_system():
    assert (
        package.package_filename("土湾街道", "示例/社区", "2024-09-10")
        == "土湾街道-示例_社区-2024-09-10-报送材料包.zip"
    )
    assert package.item_folder("1.1", "a:b*c") == "台账/1.1 a_b_c"
    assert (
        package.package_filename("", "", "2024-09-10")
        == "未填镇街-未命名社区-2024-09-10-报送材料包.zip"
    )


def test_aggregate_accepts_packages_with_json_exports_and_refuses_tampered_ones(
    standard, rule, good, hostile
):
    second = pc.good_package(standard, town="井口街道", site="二号社区", full=False)
    plain = pc.export_text(
        standard,
        {
            **full_doc(standard),
            "profile": {**full_doc(standard)["profile"], "site_name": "三号社区"},
        },
    )
    got = aggregate(
        standard,
        rule,
        [
            ("一.zip", good),
            ("二.zip", second),
            ("三.json", plain),
            ("改.zip", hostile["changed"][0]),
        ],
        now=NOW,
    )
    rows = {r["file"]: r for r in got["communities"]}
    assert set(rows) == {"一.zip", "二.zip", "三.json"}
    assert [r["file"] for r in got["communities"]][-1] == "二.zip"
    first = next(iter(standard.items))
    assert [f["name"] for f in rows["一.zip"]["evidence"][first]] == ["会议记录.pdf", "照片 1.jpg"]
    assert set(rows["一.zip"]["evidence"]) == set(standard.items)
    assert rows["三.json"]["evidence"] is None
    assert got["refused"] == [
        {"file": "改.zip", "reason": str(_refusal(hostile["changed"][0], "改.zip"))}
    ]
    assert "照片 1.jpg" in got["refused"][0]["reason"]
    assert (
        rows["一.zip"]["score"]
        == aggregate(standard, rule, [("一.json", package.verify(good)["export"])], now=NOW)[
            "communities"
        ][0]["score"]
    )


def _refusal(data, name):
    try:
        package.verify(data, name)
    except errors.PackageRefused as exc:
        return exc
    raise AssertionError("accepted")


# ---- CLI ----------------------------------------------------------------------------------------

EXE = ROOT / ".venv" / "bin" / "selfcheck"


def run(*args):
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "selfcheck.cli"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def zips(tmp_path_factory, standard, good, hostile):
    d = tmp_path_factory.mktemp("zips")
    (d / "土湾街道-示例社区-2024-09-10-报送材料包.zip").write_bytes(good)
    (d / "井口街道-二号社区-2024-09-10-报送材料包.zip").write_bytes(
        pc.good_package(standard, town="井口街道", site="二号社区", full=False)
    )
    for name, (data, _, _) in hostile.items():
        (d / f"{name}.zip").write_bytes(data)
    return d


def test_cli_package_verify(zips):
    got = run("package", "verify", zips / "土湾街道-示例社区-2024-09-10-报送材料包.zip")
    assert got.returncode == 0, got.stderr
    assert (
        "校验通过：5 个文件与清单一致" in got.stdout
        and "1.1：会议记录.pdf、照片 1.jpg" in got.stdout
    )
    got = run("package", "verify", zips / "changed.zip")
    assert got.returncode == 1 and got.stdout == ""
    assert got.stderr.strip().startswith("错误：报送材料包“changed.zip”无法使用：文件“台账/1.1 ")
    assert "Traceback" not in got.stderr
    got = run("package", "verify", zips / "不存在.zip")
    assert got.returncode == 1 and "文件不存在" in got.stderr
    assert (
        run("package", "--help").returncode == 0
        and run("package", "verify", "--help").returncode == 0
    )


def test_cli_verify_json_matches_the_browser_entry_point(zips):
    for name in ("土湾街道-示例社区-2024-09-10-报送材料包.zip", "dotdot.zip"):
        _, browser = package.read_submission_summary((zips / name).read_bytes(), name)
        browser = {**browser, **(browser["package"] or {})}
        got = run("package", "verify", zips / name, "--format", "json")
        if browser["ok"]:
            cli = json.loads(got.stdout)
            assert {k: cli[k] for k in ("files", "evidence", "others")} == {
                k: browser[k] for k in ("files", "evidence", "others")
            }
        else:
            assert got.returncode == 1 and got.stderr.strip() == f"错误：{browser['reason']}"


def test_cli_aggregate_zips(zips):
    got = run("aggregate", *sorted(zips.glob("*.zip")), "--format", "json", "--now", NOW)
    assert got.returncode == 0, got.stderr
    summary = json.loads(got.stdout)
    assert [r["site_name"] for r in summary["communities"]] == ["示例社区", "二号社区"]
    refused = {Path(x["file"]).name for x in summary["refused"]}
    assert refused == {f"{n}.zip" for n in HOSTILE}


# ---- Pyodide parity -------------------------------------------------------------------------------


JOB = """
import base64, json
from selfcheck import api, package
job = json.loads(job_input)
out = {}
for name, data in job["packages"].items():
    out[name] = package.read_submission_summary(base64.b64decode(data), name + ".zip")[1]
names = sorted(job["packages"])
blobs = [base64.b64decode(job["packages"][n]) for n in names]
summary = api.aggregate(job["S"], job["R"], blobs, [n + ".zip" for n in names], job["now"])
out["aggregate"] = json.loads(summary)
job_output = json.dumps(out, ensure_ascii=False)
"""


def test_verify_gives_the_same_verdicts_inside_real_pyodide(
    standard, good, hostile, shipped_wheels, tmp_path
):
    small = {k: v[0] for k, v in hostile.items() if k not in ("over_file_limit",)}
    packages = {"good": good, **small}
    job_input = json.dumps(
        {
            "packages": {k: base64.b64encode(v).decode("ascii") for k, v in packages.items()},
            "S": json.dumps(standard_data(), ensure_ascii=False),
            "R": json.dumps(rule_data(), ensure_ascii=False),
            "now": NOW,
        },
        ensure_ascii=False,
    )
    selfcheck_only = [w for w in shipped_wheels if w.name.startswith("selfcheck-")]
    got = run_in_pyodide(selfcheck_only, JOB, job_input, tmp_path)
    in_pyodide = json.loads(got["output"])
    scope: dict = {"job_input": job_input}
    exec(JOB, scope)
    in_cpython = json.loads(scope["job_output"])
    assert in_pyodide == in_cpython
    assert in_pyodide["good"]["ok"] is True
    for name in small:
        assert in_pyodide[name]["ok"] is False and in_pyodide[name]["reason"].startswith(
            f"报送材料包“{name}.zip”无法使用："
        )
    assert [r["file"] for r in in_pyodide["aggregate"]["communities"]] == ["good.zip"]


def test_aggregate_reads_open_files_as_the_browser_worker_passes_them(standard, rule, good):
    plain = pc.export_text(standard, full_doc(standard)).encode("utf-8")
    from_files = aggregate(
        standard, rule, [("一.zip", io.BytesIO(good)), ("二.json", io.BytesIO(plain))], now=NOW
    )
    from_bytes = aggregate(standard, rule, [("一.zip", good), ("二.json", plain)], now=NOW)
    assert (
        from_files == from_bytes
        and len(from_files["communities"]) == 1
        and from_files["refused"][0]["file"] in ("一.zip", "二.json")
    )


# ---- hashed once ------------------------------------------------------------------------------


def test_a_package_read_once_is_ranked_again_without_hashing_it_again(
    standard, rule, good, hostile, monkeypatch
):
    """The browser's roll-up ranks after every drop: what `read_submission` returned (or refused)
    is passed again, and no file of the package is read or hashed a second time."""
    reads = []
    real = package._read_limited
    monkeypatch.setattr(
        package,
        "_read_limited",
        lambda zf, info, *a, **k: reads.append(info.filename) or real(zf, info, *a, **k),
    )
    sub = package.read_submission(good, "一.zip")
    assert reads.count(package.EXPORT_PATH) == 1 and len(reads) == len(set(reads))
    try:
        package.read_submission(hostile["changed"][0], "改.zip")
    except errors.PackageRefused as exc:
        refusal = exc
    once = sorted(reads)
    first = aggregate(standard, rule, [("一.zip", sub), ("改.zip", refusal)], now=NOW)
    again = aggregate(standard, rule, [("一.zip", sub), ("改.zip", refusal)], now=NOW)
    assert sorted(reads) == once, "ranking again read the package again"
    assert (
        first
        == again
        == aggregate(standard, rule, [("一.zip", good), ("改.zip", hostile["changed"][0])], now=NOW)
    )


def test_cli_aggregates_a_package_larger_than_its_whole_file_read_limit(standard, tmp_path):
    """A package is read entry by entry from disk (up to the package limit), as the browser does,
    not whole into memory: one of 70 MB is ranked by the CLI as by the browser."""
    from selfcheck.cli import MAX_READ_BYTES

    item = next(iter(standard.items.values()))
    folder = package.item_folder(item.id, item.title)
    import random

    photos = [
        (
            f"{folder}/照片{n}.jpg",
            b"\xff\xd8\xff\xe0" + random.Random(n).randbytes(35 * 1024 * 1024),
        )
        for n in (1, 2)
    ]
    big = tmp_path / "土湾街道-大社区-报送材料包.zip"
    big.write_bytes(
        package.build_package(pc.export_text(standard, full_doc(standard)), photos, created_at=NOW)
    )
    assert big.stat().st_size > MAX_READ_BYTES
    got = run("aggregate", big, "--format", "json", "--now", NOW)
    assert got.returncode == 0, got.stderr
    summary = json.loads(got.stdout)
    assert summary["refused"] == [] and len(summary["communities"]) == 1
    assert [f["name"] for f in summary["communities"][0]["evidence"][item.id]] == [
        "照片1.jpg",
        "照片2.jpg",
    ]
