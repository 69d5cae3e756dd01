"""Every data file, validated once per build. A bad file stops the build with a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck.datafiles import DATA_DIR, load_validated
from selfcheck.errors import SelfcheckError
from selfcheck.model import Standard


@dataclass
class SiteData:
    standard: Standard
    raw: dict[str, Any] = field(default_factory=dict)  # file stem → parsed, schema-valid data


class DataFiles(dict):
    """{file stem: parsed data}; asking for a file that is not there is a Chinese error, not a
    `KeyError`, because the pages of one file often read another (cross-file checks)."""

    def __missing__(self, stem: str):
        raise SelfcheckError(
            f"缺少数据文件 data/{stem}.yaml：网站的页面需要它，请从仓库中恢复这个文件。"
        )


def project_dir_of(config) -> Path:
    """The folder holding the project's mkdocs.yml, so a copied project builds from its own files.
    MkDocs names the configuration file; Zensical gives its folder as `root_dir`."""
    if config.get("config_file_path"):
        return Path(config["config_file_path"]).resolve().parent
    return Path(config["root_dir"]).resolve()


def data_dir_of(config) -> Path:
    """`data/` beside the project's mkdocs.yml."""
    return project_dir_of(config) / "data"


def load_all(data_dir: Path = DATA_DIR) -> SiteData:
    """Validate every `data/*.yaml` against its schema and build the standard's model.

    A data file without a schema is itself an error: every file must be validated.
    """
    raw = DataFiles()
    for path in sorted(data_dir.glob("*.yaml")):
        raw[path.stem] = load_validated(path)
    standard = Standard.from_dict(raw["standard"], file="standard.yaml")
    return SiteData(standard=standard, raw=raw)
