"""Chinese first: every command-line message is Chinese in the code and translated in the catalog."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from generator import i18n
from generator.catalog import cli_catalog
from generator.cli import main

from .conftest import REPO, Site


def test_every_command_line_message_has_an_english_translation() -> None:
    english = i18n.translations("en", i18n.CLI)
    untranslated = [m.id for m in cli_catalog() if m.id and english.gettext(str(m.id)) == m.id]
    assert untranslated == []


def test_every_translation_keeps_the_fields_of_its_message() -> None:
    english = i18n.translations("en", i18n.CLI)
    fields = re.compile(r"\{(\w*)[^}]*\}")
    for m in cli_catalog():
        if m.id:
            assert sorted(fields.findall(english.gettext(str(m.id)))) == sorted(
                fields.findall(str(m.id))
            ), m.id


def test_no_message_is_an_f_string_the_catalog_cannot_hold() -> None:
    marked = re.compile(r"""\b_\(\s*f["']""")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in (REPO / "generator").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marked.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh-CN"),
        ({"LANG": "C.UTF-8"}, "zh-CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh-CN"),
    ],
)
def test_the_locale_chooses_the_language(environ: dict[str, str], language: str) -> None:
    assert i18n.from_environment(environ) == language


def test_check_speaks_chinese_by_default_and_english_when_asked(site: Site) -> None:
    (site.estate / "fees.yaml").write_text("standards: [\n", encoding="utf-8")
    runner = CliRunner()
    chinese = runner.invoke(main, ["-C", str(site.root), "check"])
    assert chinese.exit_code == 1, chinese.output
    assert "content/x/fees.yaml:2:1: L001 错误: " in chinese.output
    assert "1 个错误，1 个警告" in chinese.output  # the warning: nothing published yet
    english = runner.invoke(main, ["-C", str(site.root), "--lang", "en", "check"])
    assert english.exit_code == 1, english.output
    assert "content/x/fees.yaml:2:1: L001 error: " in english.output
    assert "1 error(s), 1 warning(s)" in english.output
    by_locale = runner.invoke(main, ["-C", str(site.root), "check"], env={"LANG": "en_US.UTF-8"})
    assert "1 error(s), 1 warning(s)" in by_locale.output


def test_no_module_that_speaks_through_underscore_also_binds_it() -> None:
    """``status, _, path = …`` in a module that imports ``_`` turns every message there into a crash."""
    import ast

    offenders = []
    for path in (REPO / "generator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        speaks = any(
            isinstance(node, ast.ImportFrom) and any(a.name == "_" for a in node.names)
            for node in ast.walk(tree)
        )
        bound = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
        ]
        if speaks and bound:
            offenders.append(f"{path.relative_to(REPO)}:{bound}")
    assert offenders == []
