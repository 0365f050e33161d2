"""Fuzzed input never raises out of the loader or the validator, and every problem is placed."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import load_estate
from generator.errors import Diagnostic
from generator.load import load_text
from generator.validate import validate

from .conftest import REPO

ESTATE = REPO / "content" / "yun-lian-xin-cun"
FILES = sorted(p.relative_to(ESTATE).as_posix() for p in ESTATE.rglob("*.yaml"))
HOSTILE = "\x00\x07\x1b\x85\u202e\u2066\u200b\ufeff\u2028\ue000\ufffe\t\r\n:-[]{}!&*|>'\"#%@`,?"

# YAML-ish text: structure characters, the characters the text rule is about, and Chinese
texts = st.text(alphabet=st.sampled_from(list(HOSTILE) + list("ab01 .云莲新村")), max_size=200)
FAST = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def placed(found: list[Diagnostic]) -> bool:
    return all(d.location.file and d.location.line >= 1 and d.location.column >= 1 for d in found)


@FAST
@given(texts)
def test_load_text_never_raises_and_places_every_problem(text: str) -> None:
    _located, found = load_text(text, "f.yaml")
    assert placed(found)


@settings(FAST, max_examples=40)
@given(st.sampled_from(FILES), st.integers(0, 10_000), st.integers(0, 40), texts)
def test_a_mutated_estate_loads_and_validates_with_every_problem_placed(
    file: str, at: int, cut: int, insert: str
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "content" / "x"
        shutil.copytree(ESTATE, folder)
        path = folder / file
        text = path.read_text(encoding="utf-8")
        at %= len(text) + 1
        path.write_text(text[:at] + insert + text[at + cut :], encoding="utf-8", newline="")
        loaded = load_estate(folder, "content/x")
        found = loaded.problems
        if loaded.data is not None:
            found += validate(loaded.data, loaded.source, loaded.complete)
        assert placed(found), [str(d.location) for d in found if not placed([d])]
