"""Interface languages through gettext message catalogs (Babel).

Everything a person reads is written in simplified Chinese, the default
language, and translated by catalogs in locale/<lang>/LC_MESSAGES/:
``messages.po`` for the pages and sheets (the theme's templates), ``cli.po``
for what the command line says (diagnostics, progress, help). Two catalogs,
so that a new command-line message does not change what the pages are made
of. Catalogs are compiled in memory, so only the readable .po files are kept.

Code marks a command-line message with ``_``: the Chinese text is the
message id, ``{name}`` fields are filled after translation::

    _("{pid}：期初 {opening} 与上期期末 {closing} 不符", pid=pid, opening=a, closing=b)

The language is the process's (``use``): the command line sets it once from
``--lang`` or the locale, and worker processes inherit it.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh-CN"
LANGUAGES = ("zh-CN", "en")
PAGES, CLI = "messages", "cli"  # the two catalogs (gettext domains)

_current = DEFAULT


def catalog_path(language: str, domain: str = PAGES) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(language: str, domain: str = PAGES) -> gettext.NullTranslations:
    """The translations for an interface language; the default needs none."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    with catalog_path(language, domain).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def use(language: str) -> None:
    """Set the language the command line speaks in this process."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    _current = language


def current() -> str:
    return _current


def from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the locale asks for: English for an English locale, else Chinese.

    The first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set decides,
    as gettext does; C and POSIX (the usual on servers and CI) keep Chinese.
    """
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.split(":")[0].lower().startswith("en") else DEFAULT
    return DEFAULT


def _(message: str, /, **values: object) -> str:
    """A command-line message in the current language, its ``{fields}`` filled in."""
    if _current != DEFAULT:
        message = translations(_current, CLI).gettext(message)
    return message.format(**values) if values else message
