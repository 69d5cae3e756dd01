"""Typed errors whose messages are shown to users as they are, in Chinese."""

from __future__ import annotations


class SelfcheckError(Exception):
    """Base class: every error the package raises on bad input is one of these."""


class DataError(SelfcheckError):
    """A data file (YAML in `data/`) is wrong. Names the file, the item id and the field."""

    def __init__(self, file: str, where: str, field: str, problem: str):
        self.file, self.where, self.field, self.problem = file, where, field, problem
        super().__init__(f"数据文件 {file}：{where} 的字段 {field}：{problem}")
