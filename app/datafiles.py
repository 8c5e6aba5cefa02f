"""The files under data/ (PENKOM_DATA_DIR): reference data, seed SOPs, demo data. A leaf: every loader
(reference data, the SOP loader, the demo) reads through here and imports nothing of Penkom's."""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask import current_app


def data_path(*parts: str) -> Path:
    return Path(current_app.config["PENKOM_DATA_DIR"]).joinpath(*parts)


def load_toml(*parts: str) -> dict:
    with data_path(*parts).open("rb") as fh:
        return tomllib.load(fh)


def sop_files() -> list[Path]:
    """The seed SOPs' data files (data/sop/*.toml)."""
    return sorted(data_path("sop").glob("*.toml"))
