"""Typed errors whose messages are shown to users as they are, in Chinese."""

from __future__ import annotations


class SelfcheckError(Exception):
    """Base class: every error the package raises on bad input is one of these."""


class DataError(SelfcheckError):
    """A data file (YAML in `data/`) is wrong. Names the file, the item id and the field."""

    def __init__(self, file: str, where: str, field: str, problem: str):
        self.file, self.where, self.field, self.problem = file, where, field, problem
        super().__init__(f"数据文件 {file}：{where} 的字段 {field}：{problem}")


# ---- 报送材料包 (selfcheck/package.py, issue 16; helper "dossier") ----------------------------------

class PackageRefused(SelfcheckError):
    """A 报送材料包 cannot be used. The message is one sentence naming the package and the file."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"报送材料包“{filename}”无法使用：{problem}")


class PackageTampered(PackageRefused):
    """A file was changed, added or removed after packing, or is damaged."""


class PackageUnsafe(PackageRefused):
    """Paths escaping the folder, links, duplicates, or a zip bomb."""


class PackageTooLarge(PackageRefused):
    """Over the stated limits (per file, per community, per package), refused before work starts."""


class PackageTooNew(PackageRefused):
    """Made by a newer version of the tool."""
