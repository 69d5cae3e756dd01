"""Every data file, validated once per build. A bad file stops the build with a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck.datafiles import DATA_DIR, load_validated
from selfcheck.model import Standard


@dataclass
class SiteData:
    standard: Standard
    raw: dict[str, Any] = field(default_factory=dict)  # file stem → parsed, schema-valid data


def data_dir_of(config) -> Path:
    """`data/` beside the project's mkdocs.yml, so a copied project builds from its own data."""
    return Path(config["config_file_path"]).resolve().parent / "data"


def load_all(data_dir: Path = DATA_DIR) -> SiteData:
    """Validate every `data/*.yaml` against its schema and build the standard's model.

    A data file without a schema is itself an error: every file must be validated.
    """
    raw: dict[str, Any] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        raw[path.stem] = load_validated(path)
    standard = Standard.from_dict(raw["standard"], file="standard.yaml")
    return SiteData(standard=standard, raw=raw)
