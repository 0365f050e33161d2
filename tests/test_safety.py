"""Untrusted content stays inert: no field or notice reaches a browser as markup or a live link."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel
from pypdf import PdfReader

from generator.content import ACCOUNT_DIRS, SECTION_FILES, _bare
from generator.load import load_file
from generator.model.base import _prose, _text
from generator.pipeline import build
from generator.write import OutputError, Writer

from .conftest import Site

PAYLOAD = (
    '<script>alert("s")</script><img src=x onerror=alert("i")>'
    '<a href="javascript:alert(\'a\')">j</a>[m](javascript:alert("m")) =HYPERLINK("javascript:alert(1)")'
)


def _is_text(model: type[BaseModel], path: tuple[Any, ...]) -> bool:
    """True when the value at ``path`` is free text (the Text type)."""
    current: Any = model
    field = None
    for part in path:
        current = _bare(current)
        if isinstance(part, int):
            if get_origin(current) is not list:
                return False
            current = get_args(current)[0]
            field = None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return False
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return False
        current = field.annotation
    return field is not None and any(
        getattr(m, "func", None) in (_text, _prose)
        for m in field.metadata + list(getattr(_bare(current), "__metadata__", ()))
    )


def _poison(model: type[BaseModel], value: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(value, dict):
        return {k: _poison(model, v, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(model, v, (*path, i)) for i, v in enumerate(value)]
    if isinstance(value, str) and _is_text(model, path):
        if path[-1] == "summary":  # a cell that starts with '=' is a formula in Excel and WPS
            return '=HYPERLINK("javascript:alert(1)","x")' + value + PAYLOAD
        return value + PAYLOAD
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def poison_estate(site: Site) -> int:
    """Append the payload to every free-text field and notice; return how many fields."""
    count = 0
    site.write(  # a correction too: its reason is shown prominently wherever its entry appears
        "corrections.yaml",
        "corrections:\n  - {id: fix-1, date: 2025-06-01, path: votes.votes.vote-2025-fee.matter, old: 调整, new: 调整物业服务费标准, reason: 抄录错误, notice: 2025-06-01-correction}\n",
    )
    site.write(
        "notices/2025-06-01-correction.md",
        "---\ntitle: 更正公告\ndate: 2025-06-01\ncategory: 更正\n---\n更正表决事项的名称。\n",
    )
    targets = [(site.estate / name, model) for name, (_, model) in SECTION_FILES.items()]
    targets += [
        (p, model)
        for d, (_, model) in ACCOUNT_DIRS.items()
        for p in (site.estate / "accounts" / d).glob("*.yaml")
    ]
    for path, model in targets:
        data = load_file(path, path.name)[0].data
        poisoned = _poison(model, data)
        count += yaml.safe_dump(poisoned, allow_unicode=True).count('alert("s")')
        path.write_text(
            yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    for notice in (site.estate / "notices").glob("*.md"):
        text = notice.read_text(encoding="utf-8")
        text = text.replace("title: ", "title: '" + PAYLOAD.replace("'", "''") + "' # ", 1)
        notice.write_text(
            text + "\n\n" + PAYLOAD + '\n\n<iframe src="https://evil.example"></iframe>\n',
            encoding="utf-8",
        )
        count += 2
    return count


def _pdf_links(path: Path) -> list[str]:
    """Script actions or script links in a PDF: none may exist."""
    reader = PdfReader(path)
    bad = ["/OpenAction"] if "/OpenAction" in reader.trailer["/Root"] else []
    bad += ["/JavaScript"] if "/JavaScript" in reader.trailer["/Root"].get("/Names", {}) else []
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            uri = str(action.get("/URI", ""))
            if action.get("/S") == "/JavaScript" or re.match(
                r"\s*(javascript|vbscript|data):", uri, re.I
            ):
                bad.append(uri or "/JavaScript")
    return bad


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self._in_script = tag == "script"
            if tag != "script":
                self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if (
                name in ("href", "src", "action", "formaction")
                and value
                and re.match(r"\s*(javascript|vbscript|data):", value, re.I)
            ):
                self.problems.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_payload_in_every_field_never_survives_as_markup(site: Site) -> None:
    fields = poison_estate(site)
    assert fields > 60  # every free-text field of the template estate carries the payload
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "show_working_copy: true\n",
        encoding="utf-8",
    )
    assert [d.format() for d in site.check() if d.severity == "error"] == []
    site.publish()
    out = build(site.root, site.root / "public").out
    seen_payload = 0
    for path in sorted(out.rglob("*")):
        if path.is_dir():
            continue
        if path.suffix == ".pdf":
            assert _pdf_links(path) == [], path
            continue
        if path.suffix in (".db", ".zip"):  # data/: the CSVs' rows, for programs (test_citydata)
            continue
        data = path.read_text(encoding="utf-8-sig")
        seen_payload += "alert(" in data
        if path.suffix == ".html":
            parser = _Markup()
            parser.feed(data)
            assert parser.problems == [], path
            assert all("alert" not in s for s in parser.scripts), path
        elif path.suffix in (".xml", ".svg"):
            root = ET.fromstring(data.encode("utf-8"))
            for element in root.iter():
                assert not element.tag.endswith("script"), path
                assert not [a for a in element.attrib if a.lower().startswith("on")], path
                assert not str(element.attrib.get("href", "")).startswith("javascript:"), path
        elif path.suffix == ".csv":
            for line in data.splitlines():
                assert not re.search(r'(^|,)"?[=+@]', line), (path, line)
    assert seen_payload > 20  # the payload is shown as text, not dropped


def test_url_fields_refuse_script_links(site: Site) -> None:
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    site.write(
        "estate.yaml",
        text.replace('    phone: "12345"', '    phone: "12345"\n    url: javascript:alert(1)', 1),
    )
    assert [(code, line) for _, line, _, code in site.found()] == [("S003", 80)]


def test_notice_markdown_keeps_safe_formatting(site: Site) -> None:
    site.write(
        "notices/2025-05-25-fee-adjustment.md",
        "---\ntitle: 通知\ndate: 2025-05-25\ncategory: 日常通知\n---\n## 停水\n\n**明天**停水，详见 [公告](https://example.org/a) 或 [本站](../fees.html)。\n\n<b onclick=x>粗</b>\n",
    )
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "show_working_copy: true\n",
        encoding="utf-8",
    )
    out = build(site.root, site.root / "public").out
    notice = out / "x/notices/2025-05-25-fee-adjustment.html"
    archive = out / "x/releases/current/index.html"  # the release whole, notices inline
    pages = {2: notice.read_text(encoding="utf-8"), 3: archive.read_text(encoding="utf-8")}
    for level, page in pages.items():  # on the whole release, a level down (a section of it)
        assert f"<h{level}>停水</h{level}>" in page and "<strong>明天</strong>" in page
        assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">公告</a>' in page
        assert '<a href="../fees.html" rel="noopener noreferrer nofollow">本站</a>' in page
        assert "<b>粗</b>" in page and "onclick" not in page


@pytest.mark.parametrize("path", ["../x.html", "/etc/x", "a//b.html", "a/./b", "a/", "", "a/.."])
def test_no_write_outside_the_output_or_on_an_unclean_path(tmp_path: Path, path: str) -> None:
    writer = Writer(tmp_path / "out")
    with pytest.raises(OutputError):
        writer.write(path, "x")
    with pytest.raises(OutputError):
        writer.adopt_estate("e", {path: (1, "0" * 64)})
    writer.write("a/b.html", "x")
    with pytest.raises(OutputError):  # and never twice, nor into a folder of the site's
        writer.adopt_estate("a", {"a/b.html": (1, "0" * 64)})
    with pytest.raises(OutputError):
        writer.adopt_estate("a", {"a/c.html": (1, "0" * 64)})
    writer.adopt_estate("e", {"e/index.html": (1, "0" * 64)})
    writer.adopt_estate("e", {"e/sheet.pdf": (1, "0" * 64)})  # its sheets come later
    with pytest.raises(OutputError):  # an estate's folders are its own
        writer.adopt_estate("f", {"e/x.html": (1, "0" * 64)})
    with pytest.raises(OutputError):
        writer.write("e/x.html", "x")
    writer.abort()
    assert not any(tmp_path.rglob("*.html"))
