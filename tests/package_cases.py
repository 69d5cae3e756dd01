"""报送材料包 made at test time: good ones, and hostile ones built by rewriting a good one.

Shared by tests/test_package.py (CPython, CLI) and the Pyodide parity job.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile

from selfcheck import exports
from selfcheck.package import EXPORT_PATH, MANIFEST, build_package, item_folder
from selfcheck.scoring import ScoringRule
from tests.scoring_cases import NOW, base_doc, full_doc, rule_data


def jpeg_like(seed: int, size: int = 4000) -> bytes:
    """Bytes that do not compress, as a photo's would, starting like a JPEG."""
    out = bytearray(b"\xff\xd8\xff\xe0")
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def pdf_like(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode("utf-8") + b"\n%%EOF\n"


def export_text(standard, doc) -> str:
    rule = ScoringRule.from_dict(rule_data(), standard)
    return exports.json_export(standard, rule, doc, now=NOW)


def good_package(standard, *, town="土湾街道", site="示例社区", full=True) -> bytes:
    doc = full_doc(standard) if full else base_doc(standard)
    doc["profile"].update(town=town, site_name=site)
    items = list(standard.items.values())
    others = [
        (f"{item_folder(items[0].id, items[0].title)}/会议记录.pdf", pdf_like("专题会议记录")),
        (f"{item_folder(items[0].id, items[0].title)}/照片 1.jpg", jpeg_like(1)),
        (f"{item_folder(items[3].id, items[3].title)}/网格名册.pdf", pdf_like("三级网格名册")),
        ("风险一张图/风险一张图.json", json.dumps({"features": []}).encode("utf-8")),
    ]
    return build_package(export_text(standard, doc), others, created_at=NOW)


def entries(package: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def rezip(items: list[tuple[str, bytes]], *, method=zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as zf:
        for name, content in items:
            zf.writestr(name, content)
    return out.getvalue()


def rewrite(package: bytes, change) -> bytes:
    """A copy of `package` whose (name, content) list is passed through `change`."""
    return rezip(change([(i.filename, c) for i, c in entries(package)]))


def manifest_of(package: bytes) -> dict:
    return json.loads(dict((i.filename, c) for i, c in entries(package))[MANIFEST])


def with_manifest(items, edit) -> list[tuple[str, bytes]]:
    out = []
    for name, content in items:
        if name == MANIFEST:
            m = json.loads(content)
            edit(m)
            content = json.dumps(m, ensure_ascii=False).encode("utf-8")
        out.append((name, content))
    return out


def _lying_sizes(package: bytes, target: str, declared: int) -> bytes:
    """Rewrite the sizes of one entry in the local header and central directory (a bomb that lies)."""
    data = bytearray(package)
    name = target.encode("utf-8")
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while True:
            at = data.find(sig, at)
            if at < 0:
                break
            name_len_at = 26 if sig == b"PK\x03\x04" else 28
            name_start = at + (30 if sig == b"PK\x03\x04" else 46)
            (n,) = struct.unpack_from("<H", data, at + name_len_at)
            if bytes(data[name_start : name_start + n]) == name:
                struct.pack_into("<I", data, at + size_at, declared)
            at += 4
    return bytes(data)


def hostile(standard) -> dict[str, tuple[bytes, str, str]]:
    """name -> (zip bytes, the error class expected, a fragment the message must contain)."""
    good = good_package(standard)
    evidence = next(i.filename for i, _ in entries(good) if i.filename.endswith("照片 1.jpg"))
    out: dict[str, tuple[bytes, str, str]] = {}

    def flip(items):
        return [
            (n, (c[:100] + bytes([c[100] ^ 1]) + c[101:]) if n == evidence else c) for n, c in items
        ]

    out["changed"] = (rewrite(good, flip), "PackageTampered", evidence)
    out["missing"] = (
        rewrite(good, lambda items: [(n, c) for n, c in items if n != evidence]),
        "PackageTampered",
        evidence,
    )
    out["extra"] = (
        rewrite(good, lambda items: items + [("台账/附加.txt", b"x")]),
        "PackageTampered",
        "台账/附加.txt",
    )

    def listed_not_there(items):
        return with_manifest(
            items,
            lambda m: m["files"].append({"path": "预案/预案.docx", "size": 3, "sha256": "0" * 64}),
        )

    out["listed_not_there"] = (rewrite(good, listed_not_there), "PackageTampered", "预案/预案.docx")
    out["dotdot"] = (
        rewrite(good, lambda items: items + [("/".join(["台账", "..", "..", "evil.txt"]), b"x")]),
        "PackageUnsafe",
        "“..”",
    )
    out["absolute"] = (
        rewrite(good, lambda items: items + [("/etc/cron.d/x", b"x")]),
        "PackageUnsafe",
        "/etc/cron.d/x",
    )
    out["backslash"] = (
        rewrite(good, lambda items: items + [("\\".join(["台账", "..", "evil.txt"]), b"x")]),
        "PackageUnsafe",
        "反斜杠",
    )

    def newer(items):
        return with_manifest(items, lambda m: m.update(tool_version="99.0.0"))

    out["newer_tool"] = (rewrite(good, newer), "PackageTooNew", "99.0.0")
    zeros = b"\0" * (5 * 1024 * 1024)
    out["ratio_bomb"] = (
        rezip(
            [(i.filename, c) for i, c in entries(good)] + [("台账/炸弹.bin", zeros)],
            method=zipfile.ZIP_DEFLATED,
        ),
        "PackageUnsafe",
        "台账/炸弹.bin",
    )
    out["over_file_limit"] = (
        rezip([("台账/大文件.bin", b"\0" * (51 * 1024 * 1024))], method=zipfile.ZIP_DEFLATED),
        "PackageTooLarge",
        "台账/大文件.bin",
    )
    out["lying_sizes"] = (_lying_sizes(good, evidence, 10), "PackageTampered", evidence)
    out["not_a_zip"] = (b"PK\x03\x04 this is not really a zip", "PackageRefused", "zip")
    out["no_manifest"] = (
        rewrite(good, lambda items: [(n, c) for n, c in items if n != MANIFEST]),
        "PackageRefused",
        MANIFEST,
    )
    out["no_export"] = (
        rewrite(
            good,
            lambda items: with_manifest(
                [(n, c) for n, c in items if n != EXPORT_PATH],
                lambda m: m.update(files=[f for f in m["files"] if f["path"] != EXPORT_PATH]),
            ),
        ),
        "PackageRefused",
        EXPORT_PATH,
    )
    return out
