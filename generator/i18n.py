"""Interface languages through gettext message catalogs (Babel).

Templates are written in simplified Chinese, the default language; the
catalogs in locale/<lang>/LC_MESSAGES/messages.po translate them. Catalogs
are compiled in memory, so only the readable .po files are kept.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh-CN"
LANGUAGES = ("zh-CN", "en")


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations for an interface language; the default needs none."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
