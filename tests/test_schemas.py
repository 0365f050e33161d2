"""The committed JSON Schemas are current, and editors' schema lines point at them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.errors import code_table
from generator.load import load_file
from generator.scaffold import SCHEMA_DIR, schema_for, schema_line, schema_texts

from .conftest import REPO, Site

CONTENT_FILES = sorted((REPO / "content").glob("*/**/*.yaml"))


def test_committed_schemas_are_current() -> None:
    """Run scripts/update-generated.sh when this fails."""
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / SCHEMA_DIR).glob("*.json")}
    assert committed == schema_texts()


def test_committed_code_table_is_current() -> None:
    """Run scripts/update-generated.sh when this fails."""
    assert code_table() in (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def test_demo_has_content() -> None:
    assert len({p.relative_to(REPO / "content").parts[0] for p in CONTENT_FILES}) >= 3


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_each_content_file_names_its_schema_first(path: Path) -> None:
    estate = REPO / "content" / path.relative_to(REPO / "content").parts[0]
    stem = schema_for(path.relative_to(estate))
    assert stem is not None
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == schema_line(REPO, path, stem)
    assert (path.parent / first.split("=", 1)[1]).resolve().is_file()


def _as_json(value: Any) -> Any:
    """What an editor's YAML language server hands the schema: dates and numbers as such."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _validator(stem: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / SCHEMA_DIR / f"{stem}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schemas_accept_the_template_and_reject_typos(site: Site) -> None:
    for path in sorted(site.estate.rglob("*.yaml")):
        stem = schema_for(path.relative_to(site.estate))
        assert stem is not None
        data = _as_json(load_file(path, path.name)[0].data)
        assert list(_validator(stem).iter_errors(data)) == [], path
    data = _as_json(load_file(site.estate / "fees.yaml", "fees.yaml")[0].data)
    data["standards"][0]["periods"][0]["amuont"] = 1
    errors = list(_validator("fees").iter_errors(data))
    assert any("amuont" in e.message for e in errors)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_schemas_accept_the_demo(path: Path) -> None:
    estate = REPO / "content" / path.relative_to(REPO / "content").parts[0]
    stem = schema_for(path.relative_to(estate))
    assert stem is not None
    data = _as_json(load_file(path, path.name)[0].data)
    assert [e.message for e in _validator(stem).iter_errors(data)] == []
