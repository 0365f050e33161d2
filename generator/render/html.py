"""Jinja2 themes, layered: the site's theme overrides single templates of the default.

``{% extends "default:base.html" %}`` reaches the default theme's template
explicitly, so an override can extend the very template it replaces.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from .. import i18n, views
from ..write import clean
from . import text

DEFAULT_THEME = Path(__file__).resolve().parent.parent.parent / "themes" / "default"


# what the compiled code holds besides the source: the literal messages translated (_Translated)
_COMPILED_AS = "messages-folded-1"


class _Environment(jinja2.Environment):
    """Jinja's environment, with each literal message translated as a template is compiled.

    ``_("期初")`` with no values becomes the translated text itself, so a
    page does not call gettext and escape the result for each table cell.
    """

    translate: Callable[[str], Markup]

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Translated(self.translate).visit(super()._parse(source, name, filename))


class _Translated(NodeTransformer):
    def __init__(self, translate: Callable[[str], Markup]):
        self.translate = translate

    def visit_Call(self, call: nodes.Call) -> nodes.Node:
        node = self.generic_visit(call)
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            message = nodes.Const(self.translate(node.args[0].value), lineno=node.lineno)
            return nodes.MarkSafe(message, lineno=node.lineno)
        return node


def _bytecode(language: str) -> jinja2.BytecodeCache:
    """Compiled templates, kept between runs in Jinja's per-user cache folder.

    Keyed by the source, and here also by the language and its catalog,
    whose translations the compiled code holds.
    """
    catalog = i18n.catalog_path(language)
    text = catalog.read_bytes() if language != i18n.DEFAULT else b""
    key = hashlib.sha256(text + _COMPILED_AS.encode()).hexdigest()[:16]
    return jinja2.FileSystemBytecodeCache(pattern=f"__jinja2_%s.{language}.{key}.cache")


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
        self.env = _Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_bytecode(language),
        )
        self.language = language
        translations = i18n.translations(language)
        gettext = translations.gettext
        self.env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self.say: Callable[[views.Words], str] = functools.partial(
            text.say, gettext=gettext, language=language
        )
        fast = self.env.translate = _cached_gettext(gettext)
        self.env.globals.update(
            _=fast, gettext=fast, once=self._once, one_page_parts=ONE_PAGE_PARTS
        )
        self._made: dict[tuple[int, str, str], tuple[object, Markup]] = {}
        self.env.globals.update(
            views.TEMPLATE_GLOBALS
        )  # what templates compute with, for pages and sheets alike
        self.env.filters.update(
            yuan=text.yuan,
            wan=text.wan,
            number=text.number,
            trim=text.trim,
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
            say=self.say,
            demote=_demote,
        )

    def render(self, template: str, page: str, **context: Any) -> str:
        """Render a template for the page at output path ``page``.

        With ``one_page`` set, the topics are sections of this one page
        (a release's archive), and links between them are in-page anchors.
        """
        url = _relative_to(page)
        one_page = bool(context.setdefault("one_page", False))
        here = context.get("here", "") + context.get("sections_at", "")
        topic, anchor = _topics(url, context.get("prefix", ""), here, one_page)
        context.update(
            url=url,
            page=page,
            lang=self.language,
            switch=_switch(page, self.language),
            topic=topic,
            anchor=anchor,
        )
        return self.env.get_template(template).render(**context)

    @jinja2.pass_context
    def _once(
        self, context: jinja2.runtime.Context, item: object, name: str, make: Callable[[], str]
    ) -> Markup:
        """``make()`` for ``item``, rendered once for every page of an estate that shows it.

        For the parts that repeat across releases, such as a period's
        ledger lines, shared between snapshots (see releases._shared). Pages
        in different places link differently, so the key holds where the
        links start from (on a one-page release, from the page itself); the
        item itself is kept to check it is the same.
        """
        start = (
            "#"
            if context.get("one_page")
            else f"{context.get('prefix')}{context.get('here')}{context.get('sections_at', '')}"
        )
        key = (id(item), name, start)
        made = self._made.get(key)
        if made is None or made[0] is not item:
            made = self._made[key] = (item, Markup(make()))  # noqa: S704 - the theme's own rendering
        return made[1]

    def forget(self) -> None:
        """Drop what _once kept; called between estates."""
        self._made.clear()

    def static_files(self) -> Iterator[tuple[str, Path]]:
        """(relative name, file) of every static file; the site's theme wins on a name."""
        seen: set[str] = set()
        for folder in self.folders:
            for path in sorted((folder / "static").rglob("*")):
                name = path.relative_to(folder / "static").as_posix()
                if path.is_file() and name not in seen:
                    seen.add(name)
                    yield name, path


# an estate's topic pages: page name -> (section id on a one-page release, template);
# the page's template and its body's part (parts/<template>) share the name
TOPICS = {
    "index.html": ("overview", "overview.html"),
    "fees.html": ("fees", "fees.html"),
    "contracts.html": ("contracts", "contracts.html"),
    "services.html": ("services", "services.html"),
    "evaluations.html": ("evaluations", "evaluations.html"),
    "complaints.html": ("complaints", "complaints.html"),
    "fund.html": ("fund", "fund.html"),
    "revenue.html": ("revenue", "revenue.html"),
    "property-fees.html": ("property-fees", "property_fees.html"),
    "votes.html": ("votes", "votes.html"),
    "meetings.html": ("meetings", "meetings.html"),
    "governance.html": ("governance", "governance.html"),
    "notices.html": ("notices", "notices.html"),
}
ONE_PAGE_PARTS = list(TOPICS.values())


def _topics(
    url: Callable[[str], str], prefix: str, here: str, one_page: bool
) -> tuple[Callable[..., str], Callable[[str, str], str]]:
    """topic(page, item) links to a topic (or an item on it); anchor(section, item) names the item.

    On topic pages an item's anchor is its id; on a one-page release it is
    prefixed with its section, as ids of different kinds may be equal.
    ``here`` naming a page (a release's one page, seen from its changes page):
    the topics are that page's sections.
    """

    def topic(name: str, item: str | None = None) -> str:
        if one_page:
            return f"#{TOPICS[name][0]}-{item}" if item else f"#{TOPICS[name][0]}"
        if here.endswith(".html"):  # the sections of a one-page release, from another page
            section = f"{TOPICS[name][0]}-{item}" if item else TOPICS[name][0]
            return f"{url(prefix + here)}#{section}"
        return url(f"{prefix}{here}{name}") + (f"#{item}" if item else "")

    def anchor(section: str, item: str) -> str:
        return f"{section}-{item}" if one_page else item

    return topic, anchor


def _cached_gettext(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """Jinja's newstyle gettext, each message translated once.

    As Jinja's own: the translation is trusted markup, the values put into
    it are escaped, and ``%%`` is a percent sign. A page calls it about a
    hundred times, most of them for the same few table headings.
    """
    done: dict[str, tuple[Markup, bool]] = {}

    def translate(message: str, /, **values: Any) -> Markup:
        found = done.get(message)
        if found is None:
            translated = Markup(gettext(message))  # noqa: S704 - the project's own catalog
            found = done[message] = (translated, "%" in translated)
        return found[0] % values if found[1] else found[0]

    return translate


_HEADING = re.compile(r"<(/?)h([1-5])\b")


def _demote(html: str) -> Markup:
    """Headings one level down: a topic's page as a section of a longer page, under its h1.

    The HTML is the theme's rendering, where every untrusted text is already
    escaped, so a heading tag in it is the theme's or the sanitised Markdown's.
    """
    return Markup(_HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html))  # noqa: S704


def _relative_to(page: str) -> Callable[[str], str]:
    """A url() for templates: a site path made relative to the page, so any prefix works."""
    here = posixpath.dirname(page) or "."
    inside = "" if here == "." else f"{here}/"

    def url(target: str) -> str:
        if target.endswith("/"):
            target += "index.html"
        if target.startswith(inside) and clean(target):  # below the page: the path's rest
            return target[len(inside) :]  # (the index of 10,000 estates links them all)
        return _relpath(target, here)

    return url


@functools.lru_cache(maxsize=16384)
def _relpath(target: str, here: str) -> str:
    return posixpath.relpath(target, here)


def _switch(page: str, language: str) -> list[tuple[str, str]]:
    """The same page in the other interface languages: (language, site path)."""
    bare = page if language == i18n.DEFAULT else page.removeprefix(f"{language}/")
    return [
        (lang, bare if lang == i18n.DEFAULT else f"{lang}/{bare}")
        for lang in i18n.LANGUAGES
        if lang != language
    ]
