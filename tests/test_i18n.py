"""Chinese first: every command-line message is Chinese in the code and translated in the catalog."""

from __future__ import annotations

import re
from pathlib import Path

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


def _catalog(root: Path, english: str) -> Path:
    """A one-message English catalog under ``root`` (a LOCALE_DIR); its folder."""
    folder = root / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cli.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "你好"\nmsgstr "{english}"\n',
        encoding="utf-8",
    )
    return folder


def test_a_catalog_is_compiled_once_per_version_and_kept_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    folder, compile_ = _catalog(tmp_path, "Hello"), i18n._compiled
    assert i18n.translations.__wrapped__("en", i18n.CLI).gettext("你好") == "Hello"
    assert len(list((folder / "__pycache__").glob("cli.*.mo"))) == 1
    # the next run reads what was kept: Babel compiles nothing
    monkeypatch.setattr(i18n, "_compiled", lambda *_: pytest.fail("compiled again"))
    assert i18n.translations.__wrapped__("en", i18n.CLI).gettext("你好") == "Hello"
    # a catalog changed since is compiled again, never answered by its earlier version
    monkeypatch.setattr(i18n, "_compiled", compile_)
    _catalog(tmp_path, "Hi")
    assert i18n.translations.__wrapped__("en", i18n.CLI).gettext("你好") == "Hi"
    assert len(list((folder / "__pycache__").glob("cli.*.mo"))) == 1


def test_a_catalog_that_cannot_be_kept_is_compiled_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    (_catalog(tmp_path, "Hello") / "__pycache__").write_text("not a folder", encoding="utf-8")
    assert i18n.translations.__wrapped__("en", i18n.CLI).gettext("你好") == "Hello"


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


# What reaches the terminal, in either language: every command's help, click's own errors,
# the library's usage errors, and check over a site full of the usual slips.
ENGLISH_SENTENCE = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,}){2,}\b")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
QUOTED = re.compile(
    r"sunshine(?: [\w./:-]+)+|'[^'\n]*'|“[^”\n]*”|\"[^\"\n]*\"|\([^()\n]*[\u3400-\u9fff][^()\n]*\)"
)


def _broken_site(site: Site) -> None:
    """A site with one of each usual slip, so that check says each of them."""
    est = site.estate
    (est / "votes.yaml").write_bytes((est / "votes.yaml").read_text(encoding="utf-8").encode("gbk"))
    (est / "services.yaml").rename(est / "services.yml")
    fees = (est / "fees.yaml").read_text(encoding="utf-8")
    (est / "fees.yaml").write_text(fees.replace("        amount: 0.85", "        amuont: 0.85", 1))
    estate = (est / "estate.yaml").read_text(encoding="utf-8")
    estate = estate.replace("state_owned: false", "state_owned: 是").replace(
        "management_mode: 包干制", "management_mode: 包干"
    )
    (est / "estate.yaml").write_text(estate.replace("households: 320 ", "households: 320户 "))
    revenue = est / "accounts/public-revenue/2025-h1.yaml"
    text = revenue.read_text(encoding="utf-8").replace("opening:", "opening：", 1)
    revenue.write_text(text, encoding="utf-8")
    fund = est / "accounts/maintenance-fund/2025-h1.yaml"
    text = fund.read_text(encoding="utf-8").replace("date: 2025-06-21", "date: 2025/6/21")
    fund.write_text(text.replace("closing: 913900.00", 'closing: "913,900.00"'), encoding="utf-8")


def _said(site: Site, lang: str) -> str:
    runner = CliRunner()
    root = ["--lang", lang, "-C", str(site.root)]
    calls = [
        [],
        ["--help"],
        ["check"],
        ["doctor"],
        ["check", "--bogus"],
        ["check", "--format", "xml"],
    ]
    calls += [[name, "--help"] for name in main.commands]  # type: ignore[attr-defined]
    calls += [["release", "x"], ["release", "x", "--id", "Bad_ID", "--date", "2025-7-1"]]
    calls += [["new", "x"], ["diff", "x", "a", "b"], ["diff", "nope", "a", "b"], ["init"]]
    calls += [
        ["release", "nope", "--id", "a", "--date", "2025-07-01"]
        + ["--posting-from", "2025-07-01", "--posting-to", "2025-07-02"]
    ]
    outputs = [runner.invoke(main, root + call).output for call in calls]
    outputs.append(
        runner.invoke(main, ["--lang", lang, "-C", str(site.root / "content"), "check"]).output
    )
    return "\n".join(outputs)


def test_nothing_reaches_the_terminal_in_english_when_it_speaks_chinese(site: Site) -> None:
    _broken_site(site)
    said = _said(site, "zh-CN")
    assert "L003 错误" in said and "S004 错误" in said and "用法：" in said
    english = [line for line in said.splitlines() if ENGLISH_SENTENCE.search(QUOTED.sub("", line))]
    assert english == []


def test_nothing_reaches_the_terminal_in_chinese_when_it_speaks_english(site: Site) -> None:
    from generator.catalog import enum_values

    _broken_site(site)
    said = _said(site, "en")
    assert "L003 error" in said and "S004 error" in said and "Usage:" in said
    allowed = sorted(
        [*enum_values(), "阳光物业公示", "阳光物业", "阳光苑", "测试小区", "转", "公示期"],
        key=len,
        reverse=True,
    )
    chinese = []
    for line in said.splitlines():
        bare = QUOTED.sub("", line)
        for word in allowed:
            bare = bare.replace(word, "")
        if CJK.search(bare):
            chinese.append(line)
    assert chinese == []
