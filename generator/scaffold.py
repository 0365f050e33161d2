"""New estates from the annotated template, and the JSON Schemas editors validate with."""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .config import SiteConfig, require_config
from .content import ACCOUNT_DIRS, SECTION_FILES
from .errors import UsageError
from .model import Snapshot
from .model.base import ID_PATTERN
from .model.notices import NoticeMeta

SCHEMA_DIR = "schemas"
_PLACEHOLDER_ID = "__ESTATE_ID__"
_PLACEHOLDER_NAME = "__ESTATE_NAME__"
_SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_models() -> dict[str, type[BaseModel]]:
    """Schema file stem -> the model it describes."""
    models: dict[str, type[BaseModel]] = {Path(f).stem: m for f, (_, m) in SECTION_FILES.items()}
    models.update({d: m for d, (_, m) in ACCOUNT_DIRS.items()})
    models.update({"notice": NoticeMeta, "release": Snapshot, "site": SiteConfig})
    return models


def schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text, generated from the models."""
    out = {}
    for stem, model in schema_models().items():
        schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        schema.update(model.model_json_schema(by_alias=True))
        out[f"{stem}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return out


def write_schemas(site: Path) -> list[Path]:
    """Write every schema into the site's schemas/ folder."""
    folder = site / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def schema_for(relative: Path) -> str | None:
    """The schema file stem for a content file path inside an estate folder."""
    parts = relative.parts
    if len(parts) == 1 and parts[0] in SECTION_FILES:
        return Path(parts[0]).stem
    if len(parts) == 3 and parts[0] == "accounts" and parts[1] in ACCOUNT_DIRS:
        return parts[1]
    return None


def schema_line(site: Path, file: Path, stem: str) -> str:
    """The first line of a content file, pointing editors at its schema."""
    target = os.path.relpath(site / SCHEMA_DIR / f"{stem}.schema.json", file.parent)
    return _SCHEMA_LINE + Path(target).as_posix()


def new_estate(site: Path, estate_id: str, name: str | None = None) -> Path:
    """Copy the annotated template into content/<estate_id>/; refuse an existing id."""
    config = require_config(site)
    if not ID_PATTERN.match(estate_id):
        raise UsageError(f"'{estate_id}' is not a URL-safe id: use a-z, 0-9 and '-'")
    folder = site / config.content_dir / estate_id
    if folder.exists():
        raise UsageError(f"{folder} exists already")
    template = resources.files("generator") / "scaffold" / "estate"
    with resources.as_file(template) as source:
        shutil.copytree(source, folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            _fill(site, folder, path, estate_id, name or "新小区")
    if not (site / SCHEMA_DIR).is_dir():
        write_schemas(site)
    return folder


def _fill(site: Path, folder: Path, path: Path, estate_id: str, name: str) -> None:
    quoted = json.dumps(name, ensure_ascii=False)[
        1:-1
    ]  # the template quotes names: any text is safe
    text = path.read_text(encoding="utf-8").replace(_PLACEHOLDER_ID, estate_id)
    text = text.replace(_PLACEHOLDER_NAME, quoted if path.suffix == ".yaml" else name)
    stem = schema_for(path.relative_to(folder))
    if stem is not None:
        lines = text.split("\n")
        if lines[0].startswith(_SCHEMA_LINE):
            lines = lines[1:]
        text = "\n".join([schema_line(site, path, stem), *lines])
    path.write_text(text, encoding="utf-8")
