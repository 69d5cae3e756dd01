"""The 报送材料包: one community's whole file in one zip, and the checks the district runs on it.

Layout of a package (every path is UTF-8, forward slashes, relative, inside the package):

    manifest.json                     what is in the package (below); not listed in itself
    自评/自评导出.json                 the 自评 JSON export, with its own SHA-256
    自评/自评结果.xlsx, 自评/自评报告.html, 自评/附件2 点位信息.xlsx      when produced
    风险一张图/风险一张图.png|.svg|.json                                 when drawn
    预案/预案.docx                                                       when drafted
    物资储备/本社区储备.csv|.json, 工作日历/完成记录.csv|.json             when recorded
    台账/<条目编号> <条目名称>/<文件名>   evidence, one folder per item of 附件1

manifest.json: `{"format": "selfcheck-package", "format_version": 1, "tool_version",
"standard_version", "scoring": {"label", "version", "source"}, "created_at", "community":
{"town", "site_name", "kind"}, "export": "自评/自评导出.json", "files": [{"path", "size",
"sha256"}]}`.

`verify` refuses, with one Chinese sentence naming the file, a package that is too large (checked
on the sizes the zip declares, before anything is inflated), that comes from a newer tool, whose
paths could escape the folder it is unpacked in, that looks like a zip bomb, whose manifest lists
a file that is not there, or that holds a file changed after packing or not listed. The hashes show
a change made after packing; like the export's hash they are not a signature.

Pure standard library: the browser runs this same module in Pyodide.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any, BinaryIO

from . import __version__
from .errors import PackageRefused, PackageTampered, PackageTooLarge, PackageTooNew, PackageUnsafe
from .intake import DOCUMENT_MAX_BYTES

PACKAGE_FORMAT = "selfcheck-package"
PACKAGE_VERSION = 1
MANIFEST = "manifest.json"
EXPORT_PATH = "自评/自评导出.json"
EVIDENCE_DIR = "台账"

# Stated limits, checked before any work starts (the browser's evidence store uses the same ones).
MAX_FILE_BYTES = 50 * 1024 * 1024  # one file, unpacked
MAX_EVIDENCE_BYTES = 1024 * 1024 * 1024  # one community's evidence files together
MAX_PACKAGE_BYTES = 1200 * 1024 * 1024  # the whole zip, and everything in it unpacked
MAX_ENTRIES = 5000
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
# A file may be this many times its compressed size (text compresses about 10×; photos not at all).
MAX_RATIO = 100
_SMALL = 1024 * 1024  # below this, any ratio is harmless
_CHUNK = 1024 * 1024

LIMITS_TEXT = (
    f"单个文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB，每个社区的台账资料合计不超过 "
    f"{MAX_EVIDENCE_BYTES // 1024 // 1024} MB，整个材料包不超过 {MAX_PACKAGE_BYTES // 1024 // 1024} MB、"
    f"{MAX_ENTRIES} 个文件"
)

_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n, 0) / 1024:.1f} KB"


def _version_key(version: Any) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in str(version).split("."))
    except ValueError:
        return None


def check_path(path: str, filename: str) -> str:
    """A path inside the package: relative, forward slashes, no `..`, `.`, empty part or drive.

    Raises PackageUnsafe naming the path otherwise (it could write outside the folder it is
    unpacked in, or mean different files on different systems).
    """
    shown = path[:120]
    if not isinstance(path, str) or not path:
        raise PackageUnsafe(filename, "清单中有一个文件没有路径，请向报送单位索取原始材料包。")
    if "\\" in path:
        raise PackageUnsafe(
            filename, f"文件路径“{shown}”含有反斜杠，解压时可能写到材料包以外，已拒绝。"
        )
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise PackageUnsafe(
            filename, f"文件路径“{shown}”是绝对路径，解压时会写到材料包以外，已拒绝。"
        )
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise PackageUnsafe(
            filename, f"文件路径“{shown}”含有“..”或空的目录名，解压时可能写到材料包以外，已拒绝。"
        )
    if any(re.search(r"[\x00-\x1f\x7f]", p) for p in parts):
        raise PackageUnsafe(filename, f"文件路径“{shown}”含有控制字符，已拒绝。")
    return path


def safe_name(name: str) -> str:
    """A file or folder name usable on every system: no slashes, colons, control characters."""
    cleaned = _BAD_CHARS.sub("_", str(name)).replace("/", "_").strip(" .")
    return cleaned[:120] or "未命名"


def item_folder(item_id: str, title: str) -> str:
    """`台账/<条目编号> <条目名称>`, the folder of one item's evidence."""
    return f"{EVIDENCE_DIR}/{safe_name(f'{item_id} {title}')}"


def package_filename(town: str, site_name: str, date: str) -> str:
    """`<镇街>-<社区>-<日期>-报送材料包.zip`."""
    return f"{safe_name(town or '未填镇街')}-{safe_name(site_name or '未命名社区')}-{safe_name(date)}-报送材料包.zip"


# ---- building (the browser builds the same layout with a streaming zip library) --------------------


def manifest_for(
    export_doc: dict[str, Any], files: list[dict[str, Any]], *, created_at: str
) -> dict[str, Any]:
    """The manifest of a package holding `files` (`[{path, size, sha256}]`) and this export."""
    profile = (
        export_doc.get("answers", {}).get("profile", {})
        if isinstance(export_doc.get("answers"), dict)
        else {}
    )
    scoring = export_doc.get("scoring") or {}
    return {
        "format": PACKAGE_FORMAT,
        "format_version": PACKAGE_VERSION,
        "tool_version": __version__,
        "standard_version": export_doc.get("standard_version"),
        "scoring": {k: scoring.get(k) for k in ("label", "version", "source")},
        "created_at": created_at,
        "community": {k: profile.get(k, "") for k in ("town", "site_name", "kind")},
        "export": EXPORT_PATH,
        "files": files,
    }


def build_package(
    export_text: str | bytes, others: Iterable[tuple[str, bytes]], *, created_at: str
) -> bytes:
    """A package as bytes: the export plus `(path, content)` pairs, with the manifest.

    For the CLI, tests and small packages; the browser streams the same layout to disk.
    """
    data = export_text.encode("utf-8") if isinstance(export_text, str) else bytes(export_text)
    export_doc = json.loads(data.decode("utf-8-sig"))
    entries = [(EXPORT_PATH, data)] + [(check_path(p, "新建的材料包"), bytes(c)) for p, c in others]
    listed = [
        {"path": p, "size": len(c), "sha256": hashlib.sha256(c).hexdigest()} for p, c in entries
    ]
    manifest = manifest_for(export_doc, listed, created_at=created_at)
    out = io.BytesIO()
    stamp = _zip_time(created_at)
    with zipfile.ZipFile(out, "w") as zf:
        for path, content in entries + [
            (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        ]:
            info = zipfile.ZipInfo(path, stamp)
            info.compress_type = (
                zipfile.ZIP_DEFLATED
                if path.endswith((".json", ".html", ".svg"))
                else zipfile.ZIP_STORED
            )
            info.external_attr = 0o644 << 16
            zf.writestr(info, content)
    return out.getvalue()


def _zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    try:
        t = datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
    except ValueError:
        t = datetime(1980, 1, 1)
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


# ---- verifying ----------------------------------------------------------------------------------


def _source(data: Any, filename: str) -> tuple[BinaryIO, int, bool]:
    """A seekable binary file, its size and whether we opened it, from bytes, a path or an open file."""
    if hasattr(data, "to_py"):
        data = data.to_py()
    if isinstance(data, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(data)), len(data), False
    if isinstance(data, (str, os.PathLike)):
        try:
            size = os.path.getsize(data)
        except OSError:
            raise PackageRefused(filename, "文件不存在或无法读取，请检查文件名。") from None
        if size > MAX_PACKAGE_BYTES:
            raise _too_large(filename, size)
        try:
            return open(data, "rb"), size, True
        except OSError:
            raise PackageRefused(filename, "文件无法读取，请检查文件权限。") from None
    if hasattr(data, "read") and hasattr(data, "seek"):
        size = data.seek(0, io.SEEK_END)
        data.seek(0)
        return data, size, False
    raise PackageRefused(filename, "没有收到文件内容。")


def _too_large(filename: str, size: int) -> PackageTooLarge:
    return PackageTooLarge(
        filename,
        f"材料包有 {_mb(size)}，超过了上限（{LIMITS_TEXT}），请分批整理台账资料后重新生成。",
    )


def is_package(data: Any) -> bool:
    """Whether `data` (bytes) starts like a zip file."""
    if hasattr(data, "to_py"):
        data = data.to_py()
    return isinstance(data, (bytes, bytearray, memoryview)) and bytes(data[:4]) in (
        b"PK\x03\x04",
        b"PK\x05\x06",
    )


def verify(data: Any, filename: str = "材料包") -> dict[str, Any]:
    """Check every file of a package against its manifest.

    Args:
        data: the zip as bytes, a path, or a seekable binary file.
        filename: shown in messages.
    Returns:
        `{"manifest", "export": <bytes of the 自评 export>, "files": [{path, size, sha256}],
        "evidence": {item_id: [{"path", "name", "size"}]}, "others": [paths outside 台账 and 自评导出]}`.
    Raises:
        PackageRefused (or a subclass): the first problem found, naming the file.
    """
    fh, size, owned = _source(data, filename)
    try:
        if size > MAX_PACKAGE_BYTES:
            raise _too_large(filename, size)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            raise PackageRefused(
                filename, "不是有效的 zip 文件（可能下载不完整），请重新获取报送材料包。"
            ) from None
        with zf:
            infos = _check_directory(zf, filename)
            manifest = _read_manifest(zf, infos, filename)
            return _check_files(zf, infos, manifest, filename)
    finally:
        if owned:
            fh.close()


def _check_directory(zf: zipfile.ZipFile, filename: str) -> dict[str, zipfile.ZipInfo]:
    """Every entry's path, type, method and declared sizes, before anything is inflated."""
    entries = zf.infolist()
    if len(entries) > MAX_ENTRIES:
        raise PackageTooLarge(
            filename,
            f"材料包含 {len(entries)} 个文件，超过了上限（{LIMITS_TEXT}），请分批整理后重新生成。",
        )
    infos: dict[str, zipfile.ZipInfo] = {}
    total = evidence_total = 0
    for info in entries:
        name = info.filename
        if info.is_dir():
            check_path(name.rstrip("/"), filename)
            continue
        check_path(name, filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageUnsafe(
                filename, f"“{name}”是符号链接，解压时可能指向材料包以外的文件，已拒绝。"
            )
        if name in infos:
            raise PackageUnsafe(
                filename, f"文件“{name}”在材料包中出现了两次，无法确定哪一份是原件，已拒绝。"
            )
        if info.flag_bits & 0x1:
            raise PackageRefused(
                filename,
                f"文件“{name}”被加密了，本工具不接受加密的材料包，请报送未加密的原始材料包。",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageRefused(
                filename, f"文件“{name}”使用了本工具不支持的压缩方式，请用本工具重新生成材料包。"
            )
        if info.file_size > MAX_FILE_BYTES and name != MANIFEST:
            raise PackageTooLarge(
                filename,
                f"文件“{name}”解压后有 {_mb(info.file_size)}，超过了上限（{LIMITS_TEXT}），已拒绝。",
            )
        if info.file_size > max(_SMALL, info.compress_size * MAX_RATIO):
            raise PackageUnsafe(
                filename,
                f"文件“{name}”的压缩比异常（{_mb(info.compress_size)} 解压后 {_mb(info.file_size)}），"
                "疑似“压缩炸弹”，已拒绝。",
            )
        total += info.file_size
        if name.startswith(EVIDENCE_DIR + "/"):
            evidence_total += info.file_size
            if evidence_total > MAX_EVIDENCE_BYTES:
                raise PackageTooLarge(
                    filename,
                    f"台账资料合计超过 {_mb(MAX_EVIDENCE_BYTES)}，超过了上限（{LIMITS_TEXT}），已拒绝。",
                )
        if total > MAX_PACKAGE_BYTES:
            raise PackageTooLarge(
                filename,
                f"材料包解压后超过 {_mb(MAX_PACKAGE_BYTES)}，超过了上限（{LIMITS_TEXT}），"
                "疑似“压缩炸弹”或资料过多，已拒绝。",
            )
        infos[name] = info
    return infos


def _read_limited(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, *, keep: bool
) -> tuple[str, int, bytes | None]:
    """SHA-256 and size of one entry, read in chunks and never past its declared size."""
    digest = hashlib.sha256()
    kept = bytearray() if keep else None
    n = 0
    try:
        with zf.open(info) as entry:
            while True:
                chunk = entry.read(_CHUNK)
                if not chunk:
                    break
                n += len(chunk)
                if n > info.file_size or n > MAX_FILE_BYTES + _CHUNK:
                    raise PackageUnsafe(
                        filename,
                        f"文件“{info.filename}”解压后比声明的大小还大，疑似“压缩炸弹”，已拒绝。",
                    )
                digest.update(chunk)
                if kept is not None:
                    kept += chunk
    except PackageRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        raise PackageTampered(
            filename,
            f"文件“{info.filename}”已损坏（解压失败或校验不符），材料包在生成后被改动过或下载不完整，请向报送单位索取原始材料包。",
        ) from None
    return digest.hexdigest(), n, (bytes(kept) if kept is not None else None)


def _read_manifest(
    zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], filename: str
) -> dict[str, Any]:
    info = infos.get(MANIFEST)
    if info is None:
        raise PackageRefused(
            filename,
            f"缺少清单文件 {MANIFEST}，这不是本工具生成的报送材料包，请用“生成报送材料包”重新生成。",
        )
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageTooLarge(
            filename,
            f"清单文件 {MANIFEST} 有 {_mb(info.file_size)}，超过 {_mb(MAX_MANIFEST_BYTES)}，"
            "不是本工具生成的清单，已拒绝。",
        )
    _, _, raw = _read_limited(zf, info, filename, keep=True)
    try:
        manifest = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackageTampered(
            filename,
            f"清单文件 {MANIFEST} 不是有效的 JSON，材料包在生成后被改动过，请向报送单位索取原始材料包。",
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise PackageRefused(
            filename,
            f"清单文件 {MANIFEST} 不是本工具的报送材料包清单，请用“生成报送材料包”重新生成。",
        )
    ours = _version_key(__version__)
    theirs = _version_key(manifest.get("tool_version"))
    fv = manifest.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool) or theirs is None:
        raise PackageTampered(
            filename,
            f"清单文件 {MANIFEST} 缺少格式版本或工具版本，材料包不完整或被改动过，请向报送单位索取原始材料包。",
        )
    if fv > PACKAGE_VERSION or theirs > ours:
        raise PackageTooNew(
            filename,
            f"材料包由更新版本的工具（{str(manifest.get('tool_version'))[:20]}）生成，"
            f"本工具为 {__version__} 版，请升级本工具后再打开。",
        )
    if fv != PACKAGE_VERSION:
        raise PackageRefused(
            filename, f"材料包格式第 {fv} 版本工具不认识，请用本工具重新生成材料包。"
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise PackageTampered(
            filename,
            f"清单文件 {MANIFEST} 没有文件列表，材料包不完整或被改动过，请向报送单位索取原始材料包。",
        )
    return manifest


def _check_files(
    zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], manifest: dict[str, Any], filename: str
) -> dict[str, Any]:
    listed: dict[str, dict[str, Any]] = {}
    for f in manifest["files"]:
        path = f.get("path")
        check_path(path, filename)
        if path in listed or path == MANIFEST:
            raise PackageTampered(
                filename,
                f"清单中文件“{path}”重复出现，材料包被改动过，请向报送单位索取原始材料包。",
            )
        size, digest = f.get("size"), f.get("sha256")
        if (
            not isinstance(size, int)
            or isinstance(size, bool)
            or not isinstance(digest, str)
            or not re.fullmatch(r"[0-9a-f]{64}", digest)
        ):
            raise PackageTampered(
                filename,
                f"清单中文件“{path}”缺少大小或校验码，材料包不完整或被改动过，请向报送单位索取原始材料包。",
            )
        listed[path] = f
    for path in listed:
        if path not in infos:
            raise PackageTampered(
                filename,
                f"清单列出的文件“{path}”不在材料包中，材料包不完整或被改动过，请向报送单位索取原始材料包。",
            )
    for path in infos:
        if path != MANIFEST and path not in listed:
            raise PackageTampered(
                filename,
                f"文件“{path}”不在清单中，材料包在生成后被加入了文件，请向报送单位索取原始材料包。",
            )
    export_path = manifest.get("export", EXPORT_PATH)
    if export_path not in listed:
        raise PackageRefused(
            filename,
            f"材料包中没有自评导出文件（{EXPORT_PATH}），请在自评工具中重新生成报送材料包。",
        )
    export = b""
    for path, f in listed.items():
        info = infos[path]
        if info.file_size != f["size"]:
            raise PackageTampered(
                filename,
                f"文件“{path}”的大小与清单不符（清单 {f['size']} 字节，实际 {info.file_size} 字节），"
                "材料包在生成后被改动过，请向报送单位索取原始材料包。",
            )
    for path, f in listed.items():
        digest, _, content = _read_limited(zf, infos[path], filename, keep=(path == export_path))
        if digest != f["sha256"]:
            raise PackageTampered(
                filename,
                f"文件“{path}”与清单记录的校验码不符，材料包在生成后被改动过，请向报送单位索取原始材料包。",
            )
        if content is not None:
            export = content
    evidence: dict[str, list[dict[str, Any]]] = {}
    others = []
    for path, f in listed.items():
        parts = path.split("/")
        if parts[0] == EVIDENCE_DIR and len(parts) >= 3:
            item_id = parts[1].split(" ", 1)[0]
            evidence.setdefault(item_id, []).append(
                {"path": path, "name": parts[-1], "size": f["size"]}
            )
        elif path != export_path:
            others.append(path)
    return {
        "manifest": manifest,
        "export": export,
        "files": [{"path": p, "size": f["size"], "sha256": f["sha256"]} for p, f in listed.items()],
        "evidence": evidence,
        "others": others,
    }


def read_submission(data: Any, filename: str = "报送文件") -> dict[str, Any]:
    """What the district receives, a JSON export or a package, as the export's bytes.

    Returns `{"export": bytes|str, "package": None | {"files", "evidence", "others", "manifest"}}`.
    A package is verified whole first (`verify`); a refused one raises PackageRefused.
    """
    if hasattr(data, "to_py"):
        data = data.to_py()
    if isinstance(data, (str, os.PathLike)) and not isinstance(data, str):
        data = str(data)
    if (
        isinstance(data, str)
        and not data.lstrip().startswith(("{", "["))
        and data.lower().endswith(".zip")
    ):
        checked = verify(data, filename)
    elif hasattr(data, "read") and hasattr(data, "seek"):
        # An open file (the browser's worker passes the dropped File, read in slices): a package
        # is verified in place; anything else is read whole, as the importer's size limit allows.
        data.seek(0)
        head = data.read(4)
        data.seek(0)
        if head not in (b"PK\x03\x04", b"PK\x05\x06"):
            return {"export": data.read(DOCUMENT_MAX_BYTES + 1), "package": None}
        checked = verify(data, filename)
    elif is_package(data):
        checked = verify(data, filename)
    else:
        return {"export": data, "package": None}
    return {"export": checked.pop("export"), "package": checked}


def verify_text(checked: dict[str, Any], filename: str) -> str:
    """A verified package in a few lines for a terminal."""
    m = checked["manifest"]
    c = m.get("community") or {}
    ev = checked["evidence"]
    lines = [
        f"报送材料包“{filename}”校验通过：{len(checked['files'])} 个文件与清单一致。",
        f"社区：{c.get('town', '')} {c.get('site_name', '')}（{c.get('kind', '')}）；生成时间 {m.get('created_at')}；"
        f"工具版本 {m.get('tool_version')}；标准版本 {m.get('standard_version')}；"
        f"评分口径 {(m.get('scoring') or {}).get('label')}。",
        f"台账资料：{sum(len(v) for v in ev.values())} 个文件，涉及 {len(ev)} 个条目。",
    ]
    for item_id in sorted(ev, key=_version_key_or_text):
        lines.append(f"  {item_id}：" + "、".join(f["name"] for f in ev[item_id]))
    if checked["others"]:
        lines.append("其他材料：" + "、".join(checked["others"]))
    return "\n".join(lines) + "\n"


def _version_key_or_text(item_id: str):
    return _version_key(item_id) or (999,), item_id


def read_submission_summary(data: Any, filename: str = "报送文件") -> tuple[Any, dict[str, Any]]:
    """For the browser's roll-up, which reads each dropped file once: `(kept, summary)`.

    `kept` is what `read_submission` returned, or the PackageRefused/SelfcheckError it raised; the
    roll-up passes it to `aggregate` again after every drop, so nothing is verified twice.
    `summary` (JSON-ready) is `{"ok": false, "file", "reason"}` for a refusal (a result, not an
    error), else `{"ok": true, "file", "package": None | {"evidence", "others", "files"}}`.
    """
    from .errors import SelfcheckError

    try:
        kept: Any = read_submission(data, filename)
    except SelfcheckError as exc:
        return exc, {"ok": False, "file": filename, "reason": str(exc), "package": None}
    pkg = kept["package"]
    shown = None if pkg is None else {k: pkg[k] for k in ("evidence", "others", "files")}
    return kept, {"ok": True, "file": filename, "package": shown}
