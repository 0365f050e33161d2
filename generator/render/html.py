"""Jinja2 themes, layered: the site's theme overrides single templates of the default.

``{% extends "default:base.html" %}`` reaches the default theme's template
explicitly, so an override can extend the very template it replaces.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from .. import i18n, views
from . import text

DEFAULT_THEME = Path(__file__).resolve().parent.parent.parent / "themes" / "default"


class Theme:
    """Templates and static files of the chosen theme over the default one."""

    def __init__(self, site_root: Path, name: str, language: str):
        self.folders = [p for p in (site_root / "themes" / name, DEFAULT_THEME) if p.is_dir()]
        if name != "default" and not (site_root / "themes" / name).is_dir():
            from ..errors import UsageError

            raise UsageError(f"theme '{name}' not found in {site_root / 'themes'}")
        loader = jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(f / "templates")) for f in dict.fromkeys(self.folders)]
            + [
                jinja2.PrefixLoader(
                    {"default": jinja2.FileSystemLoader(str(DEFAULT_THEME / "templates"))},
                    delimiter=":",
                )
            ]
        )
        self.env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.language = language
        translations = i18n.translations(language)
        gettext = translations.gettext
        self.env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self.env.globals.update(
            views.TEMPLATE_GLOBALS
        )  # what templates compute with, for pages and sheets alike
        self.env.filters.update(
            yuan=text.yuan,
            wan=text.wan,
            number=text.number,
            tel=text.tel,
            markdown=text.notice_html,
            css_string=text.css_string,
            change_word=lambda kind: gettext(
                {"added": "新增", "removed": "删除", "changed": "变更"}[kind]
            ),
            severity_word=lambda sev: gettext(
                {"error": "错误", "warning": "警告", "note": "提示"}[str(sev)]
            ),
            date=lambda d: text.long_date(d, language),
        )

    def render(self, template: str, page: str, **context: Any) -> str:
        """Render a template for the page at output path ``page``."""
        context.update(
            url=_relative_to(page),
            page=page,
            lang=self.language,
            switch=_switch(page, self.language),
        )
        return self.env.get_template(template).render(**context)

    def static_files(self) -> Iterator[tuple[str, Path]]:
        """(relative name, file) of every static file; the site's theme wins on a name."""
        seen: set[str] = set()
        for folder in self.folders:
            for path in sorted((folder / "static").rglob("*")):
                name = path.relative_to(folder / "static").as_posix()
                if path.is_file() and name not in seen:
                    seen.add(name)
                    yield name, path


def _relative_to(page: str) -> Callable[[str], str]:
    """A url() for templates: a site path made relative to the page, so any prefix works."""
    here = posixpath.dirname(page) or "."

    def url(target: str) -> str:
        if target.endswith("/"):
            target += "index.html"
        return posixpath.relpath(target, here)

    return url


def _switch(page: str, language: str) -> list[tuple[str, str]]:
    """The same page in the other interface languages: (language, site path)."""
    bare = page if language == i18n.DEFAULT else page.removeprefix(f"{language}/")
    return [
        (lang, bare if lang == i18n.DEFAULT else f"{lang}/{bare}")
        for lang in i18n.LANGUAGES
        if lang != language
    ]
