"""Which characters the installed fonts can draw, as fontconfig (and so WeasyPrint) sees them.

A PDF must never print a missing glyph as a box: the build asks fontconfig
for the union of every font's character set and stops, naming the character
and where it occurs, when one has no glyph anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from .parallel import Begun


@dataclass(frozen=True)
class FontReport:
    fonts: int
    chinese_families: tuple[str, ...]
    harfbuzz_subset: bool


def _fc_list(*args: str) -> str:
    if shutil.which("fc-list") is None:
        return ""
    result = subprocess.run(["fc-list", *args], capture_output=True, text=True, check=False)
    return result.stdout


def coverage() -> frozenset[int]:
    """Every code point some installed font has a glyph for."""
    return _answers(_setup())[0]


def installed_digest() -> str:
    """A digest of the font files fontconfig offers: changes when fonts are added or removed."""
    return _answers(_setup())[1]


def _setup() -> str:
    """The fontconfig setup the answers are for."""
    return os.environ.get("FONTCONFIG_FILE", "") + "|" + os.environ.get("FONTCONFIG_PATH", "")


@cache
def _answers(setup: str) -> tuple[frozenset[int], str]:
    """coverage and installed_digest, once for each fontconfig setup."""
    del setup  # the key
    return asked()


def _ask() -> tuple[frozenset[int], str]:
    """Every code point the fonts cover, and a digest of their files: two fc-list calls."""
    covered: set[int] = set()
    for line in set(_fc_list("--format", "%{charset}\n").splitlines()):
        for span in line.split():
            first, _, last = span.partition("-")
            covered.update(range(int(first, 16), int(last or first, 16) + 1))
    files = sorted(_fc_list("--format", "%{file}|%{index}\n").splitlines(True))
    return frozenset(covered), hashlib.sha256("".join(files).encode()).hexdigest()


def missing(text: str) -> list[str]:
    """Characters of ``text`` (spaces and controls aside) no installed font can draw."""
    covered = coverage()
    drawn = _drawn(covered)
    absent = []
    for ch in set(text).difference(drawn):  # an estate's files use much the same characters
        if ord(ch) > 0x20 and not ch.isspace() and ord(ch) not in covered:
            absent.append(ch)
        else:
            drawn.add(ch)
    return sorted(absent)


@cache
def _drawn(covered: frozenset[int]) -> set[str]:
    """The characters met so far that the fonts ``covered`` draw (or that need no glyph)."""
    del covered  # the key: coverage() is itself kept per fontconfig setup
    return set()


def draws_chinese() -> bool:
    """Some installed font draws Chinese: without one, a glyph check would find every character."""
    return any(0x4E00 <= point <= 0x9FFF for point in coverage())  # a CJK ideograph at all


def harfbuzz_subset_available() -> bool:
    """True when WeasyPrint can subset fonts with HarfBuzz (fast) instead of fontTools."""
    try:
        from .render.pdf import loaded

        loaded()
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError):
        return False
    return harfbuzz_subset is not None


def report() -> FontReport:
    """What doctor tells: fonts, Chinese families, HarfBuzz subsetting."""
    fonts = len(set(_fc_list("--format", "%{file}\n").splitlines()))
    families = sorted(
        set(_fc_list(":lang=zh-cn", "--format", "%{family[0]}\n").splitlines()) - {""}
    )
    return FontReport(fonts, tuple(families), harfbuzz_subset_available())


# asked once for each setup; a check begins it before it imports the models (about 0.05 s)
asked = Begun(_ask, _setup)
