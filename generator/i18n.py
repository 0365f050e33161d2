"""Interface languages through gettext message catalogs (Babel).

Everything a person reads is written in simplified Chinese, the default
language, and translated by catalogs in locale/<lang>/LC_MESSAGES/:
``messages.po`` for the pages and sheets (the theme's templates), ``cli.po``
for what the command line says (diagnostics, progress, help). Two catalogs,
so that a new command-line message does not change what the pages are made
of. Only the readable .po files are in the repository; each is compiled as it is
first read, and kept in the __pycache__ folder beside it, as Python keeps bytecode.

Code marks a command-line message with ``_``: the Chinese text is the
message id, ``{name}`` fields are filled after translation::

    _("{pid}：期初 {opening} 与上期期末 {closing} 不符", pid=pid, opening=a, closing=b)

The language is the process's (``use``): the command line sets it once from
``--lang`` or the locale, and worker processes inherit it.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import os
from functools import cache
from io import BytesIO
from pathlib import Path

from .tree import write_whole

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh-CN"
LANGUAGES = ("zh-CN", "en")
PAGES, CLI = "messages", "cli"  # the two catalogs (gettext domains)
# click's own words (Usage:, Error:, Missing option …) are English in click's
# code: their catalog translates them into Chinese, the default
CLICK, CLICK_SOURCE = "click", "en"

_current = DEFAULT


def catalog_path(language: str, domain: str = PAGES) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(language: str, domain: str = PAGES) -> gettext.NullTranslations:
    """The translations for an interface language; a language a domain is written in needs none."""
    path = catalog_path(language, domain)
    if not path.is_file():
        return gettext.NullTranslations()
    source = path.read_bytes()
    # compiled once per version of the catalog, and kept as Python keeps bytecode: the
    # command line reads click's catalog on every run, and Babel takes 0.03-0.05 s to
    # import and compile it
    version = hashlib.sha256(source).hexdigest()[:16]
    compiled = path.parent / "__pycache__" / f"{domain}.{version}.mo"
    try:
        return gettext.GNUTranslations(BytesIO(compiled.read_bytes()))
    except OSError:  # not compiled yet (or not a catalog): compiled again
        pass
    mo = _compiled(source, language)
    with contextlib.suppress(OSError):  # a folder the process may not write: kept in memory
        _keep(compiled, mo)
    return gettext.GNUTranslations(BytesIO(mo))


def _compiled(source: bytes, language: str) -> bytes:
    """A .po catalog's text as a gettext .mo file (Babel)."""
    from babel.messages.mofile import write_mo  # here: only when a catalog changed
    from babel.messages.pofile import read_po

    compiled = BytesIO()
    write_mo(compiled, read_po(BytesIO(source), locale=babel_locale(language)))
    return compiled.getvalue()


def _keep(path: Path, mo: bytes) -> None:
    """Write a compiled catalog whole, in place of those of the catalog's earlier versions."""
    write_whole(path, mo)
    domain = path.name.split(".")[0]
    for older in path.parent.glob(f"{domain}.*.mo"):
        if older != path:
            older.unlink(missing_ok=True)


def babel_locale(language: str) -> str:
    """Babel's name of a language (zh_CN for zh-CN)."""
    return language.replace("-", "_")


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
    message = text(message)
    return message.format(**values) if values else message


def N_(message: str) -> str:  # noqa: N802 - gettext's name for it
    """Mark a message for the catalog where it is written; ``_`` translates it where it is said."""
    return message


def text(message: str) -> str:
    """A Chinese command-line text (a message, a help text) in the current language, as is."""
    if _current != DEFAULT:
        return translations(_current, CLI).gettext(message)
    return message


def click_text(message: str) -> str:
    """One of click's own English messages in the current language."""
    if _current == CLICK_SOURCE:
        return message
    return translations(_current, CLICK).gettext(message)


def click_plural(singular: str, plural: str, n: int) -> str:
    """One of click's own messages with a count, in the current language."""
    if _current == CLICK_SOURCE:
        return singular if n == 1 else plural
    return translations(_current, CLICK).ngettext(singular, plural, n)


def pick(zh_en: str) -> str:
    """The half of a bilingual "中文 / English" text (the model's field descriptions) to show."""
    chinese, _sep, english = zh_en.partition("/ ")
    return english.strip() if _current != DEFAULT and english else chinese.strip()
