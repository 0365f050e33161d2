"""Keep the message catalogs in step with the code, the templates and the model's Chinese values.

``python -m generator.catalog`` extracts every message from the default theme,
every ``P_("…")`` of the code (what pages say from code) and every enumerated
value of the model into the pages' catalog, and every
``_("…")`` of the generator's code into the command line's, and merges them
into each language's catalogs; new messages arrive untranslated, for a
translator to fill in.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from . import i18n
from .model import accounts, contracts, estate, evaluations, fees, governance, notices
from .render.html import DEFAULT_THEME


def enum_values() -> list[str]:
    """Every Chinese value of an enumeration that pages show."""
    out: list[str] = []
    for module in (estate, fees, contracts, accounts, notices, governance, evaluations):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                out += [str(member.value) for member in value]
    return sorted(set(out))


def template_catalog() -> Catalog:
    """The messages of the default theme and the model, without translations."""
    catalog = Catalog(project="sunshine", fuzzy=False)
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(DEFAULT_THEME / "templates"), method_map, options
    ):
        catalog.add(
            message,
            locations=[(f"themes/default/templates/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    for value in enum_values():
        catalog.add(value, locations=[("generator/model", 0)])
    for word in ("新增", "删除", "变更", "错误", "警告", "提示"):  # theme filters
        catalog.add(word, locations=[("generator/render/html.py", 0)])
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE), [("**.py", "python")], keywords={"P_": None}
    ):  # what pages say from code (views.P_)
        catalog.add(message, locations=[(f"generator/{filename}", lineno)], context=context)
    return catalog


PACKAGE = i18n.LOCALE_DIR.parent


def cli_catalog() -> Catalog:
    """The command line's messages: every ``_("…")`` in the generator's code."""
    catalog = Catalog(project="sunshine", fuzzy=False)
    found = extract_from_dir(str(PACKAGE), [("**.py", "python")], keywords={"_": None, "N_": None})
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            locations=[(f"generator/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    from .cli import help_texts  # the commands' help, written in Chinese beside each command

    for message, where in help_texts():
        catalog.add(message, locations=[(where, 0)])
    return catalog


# the words click translates without a literal (the "required" of an option's help line)
CLICK_WORDS = ("required",)


def click_catalog() -> Catalog:
    """Click's own English messages (Usage:, Error:, Missing option …), to translate into Chinese."""
    import click

    from .cli import CLICK_MODULES

    folder = Path(click.__file__).parent
    catalog = Catalog(project="click", fuzzy=False)
    keywords = {"_": None, "ngettext": (1, 2)}
    for module in CLICK_MODULES:
        for lineno, message, _comments, context in extract_from_file(
            "python", folder / f"{module}.py", keywords=keywords
        ):
            catalog.add(message, locations=[(f"click/{module}.py", lineno)], context=context)
    for word in CLICK_WORDS:
        catalog.add(word, locations=[("click/core.py", 0)])
    return catalog


# domain -> (its messages, the languages it is translated into)
CATALOGS = {
    i18n.PAGES: (template_catalog, [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]),
    i18n.CLI: (cli_catalog, [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]),
    i18n.CLICK: (click_catalog, [lang for lang in i18n.LANGUAGES if lang != i18n.CLICK_SOURCE]),
}


def update(language: str, domain: str = i18n.PAGES) -> Catalog:
    """Merge the current messages into one language's catalog and write it."""
    path = i18n.catalog_path(language, domain)
    if path.exists():
        with path.open("rb") as po:
            catalog = read_po(po, locale=i18n.babel_locale(language))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=i18n.babel_locale(language), project="sunshine")
    catalog.update(CATALOGS[domain][0](), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with path.open("wb") as po:
        write_po(po, catalog, omit_header=True, sort_output=True, include_lineno=False, width=0)
    return catalog


if __name__ == "__main__":
    for domain, (_messages, languages) in CATALOGS.items():
        for lang in languages:
            missing = [m.id for m in update(lang, domain) if m.id and not m.string]
            print(f"{lang}/{domain}: {len(missing)} message(s) to translate")
