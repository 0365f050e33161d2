"""The documentation covers what the code defines."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.errors import CODES
from generator.scaffold import schema_texts

from .conftest import REPO


def _keys(node: Any) -> set[str]:
    """Every property name anywhere in a JSON Schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= _keys(value)
    elif isinstance(node, list):
        for value in node:
            found |= _keys(value)
    return found


def all_keys() -> set[str]:
    import json

    return set().union(*(_keys(json.loads(text)) for text in schema_texts().values()))


@pytest.mark.parametrize("doc", ["content.zh.md", "content.en.md"])
def test_every_key_is_documented(doc: str) -> None:
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    missing = sorted(k for k in all_keys() if f"`{k}`" not in text)
    assert missing == []


def test_every_code_is_documented() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in CODES.values():
        assert f"| {code.code} | {code.severity} |" in text


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^```(?:sh|bash)\n(.+?)\n```", readme, flags=re.M | re.S)
    assert "bash scripts/demo.sh" in commands
    assert "bash scripts/test.sh" in commands
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
