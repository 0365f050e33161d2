from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import i18n
from generator.errors import Diagnostic
from generator.pipeline import check
from generator.scaffold import new_estate

REPO = Path(__file__).resolve().parent.parent

# One clock for the whole suite: builds and rule profiles see 2026-11-24, whatever day it is.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795478400")
# One language: the command line speaks Chinese unless a test asks for English, whatever the
# machine's locale (an English one would turn every message English).
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _chinese_after_each_test() -> Iterator[None]:
    """A command run in-process with --lang en leaves the process in English: set it back."""
    yield
    i18n.use(i18n.DEFAULT)


SITE_YAML = """\
title: 测试站点
base_url: https://example.org/
"""


GIT_ENV = {
    "GIT_AUTHOR_NAME": "物业",
    "GIT_AUTHOR_EMAIL": "a@example.org",
    "GIT_COMMITTER_NAME": "物业",
    "GIT_COMMITTER_EMAIL": "a@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin",
}


def run_git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=GIT_ENV
    )
    return result.stdout.strip()


class Site:
    """A throwaway site in tmp_path holding one estate made from the template."""

    def __init__(self, root: Path, estate_id: str = "x", git: bool = True):
        self.root = root
        self.estate_id = estate_id
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        (root / "content").mkdir()
        self.estate = new_estate(root, estate_id, "测试小区")
        if git:  # sites live in git; check then also asks git about the snapshots
            run_git(root, "init", "-q", "-b", "main")
            run_git(root, "add", ".")
            run_git(root, "commit", "-q", "-m", "estate")

    def write(self, relative: str, text: str) -> Path:
        """Replace a file of the estate with dedented text."""
        path = self.estate / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def publish(self, release_id: str = "2025-h1", day: dt.date = dt.date(2025, 7, 10)) -> Path:
        """Freeze the estate as a release posted for two weeks from ``day``."""
        from generator.pipeline import release

        return release(
            self.root, self.estate_id, day, release_id, (day, day + dt.timedelta(days=14))
        )

    def check(self) -> list[Diagnostic]:
        """Validation and audit findings; rule-profile findings (P codes) have their own tests."""
        return [d for d in check(self.root) if not d.code.startswith("P")]

    def found(self) -> list[tuple[str, int, int, str]]:
        """(file, line, column, code) of every diagnostic, file relative to the estate."""
        prefix = f"content/{self.estate_id}/"
        return [
            (d.location.file.removeprefix(prefix), d.location.line, d.location.column, d.code)
            for d in self.check()
        ]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once for every test that reads the output.

    Its build cache is kept beside it (``demo_cache``), as a CI runner keeps it between runs.
    """
    from generator.cache import Cache
    from generator.clock import today
    from generator.pipeline import build

    folder = tmp_path_factory.mktemp("demo")
    build(REPO, folder / "site", None, today(), cache=Cache(folder / "cache"))
    return folder / "site"


@pytest.fixture(scope="session")
def demo_cache(demo_build: Path) -> Path:
    """The build cache the demo build filled."""
    return demo_build.parent / "cache"
