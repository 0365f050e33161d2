"""Text for residents: money the Chinese way, dates, and untrusted Markdown made inert."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import markdown
import nh3
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from markupsafe import Markup, escape

from ..chars import markup_bounded, without_refused

URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
_WAN = Decimal(10000)
_ZH = Locale.parse("zh_CN")  # parsed once: Babel's locale lookup is slow when repeated per number
_LOCALES = {"zh-CN": _ZH, "en": Locale.parse("en")}


_CENT = Decimal("0.01")
_SIGN, _SYMBOL = "-", "¥"


def yuan(amount: Decimal | None) -> str:
    """¥12,345.67 (zh_CN style for every interface language).

    Tables hold thousands of amounts, and Babel's formatter costs about 16 µs
    each; this gives Babel's bytes (its zh_CN pattern, half-even rounding to
    the fen) for a tenth of that. A test holds the two equal.
    """
    if amount is None:
        return "—"
    figure = f"{amount.quantize(_CENT, ROUND_HALF_EVEN):,.2f}"
    if figure.startswith("-"):
        return f"{_SIGN}{_SYMBOL}{figure[1:]}"
    return f"{_SYMBOL}{figure}"


def babel_yuan(amount: Decimal) -> str:
    """Babel's own rendering of an amount, which yuan() must match."""
    return format_currency(amount, "CNY", locale=_ZH)


def wan(amount: Decimal) -> str:
    """12.35 万元, for large sums where the exact figure sits beside it."""
    return f"{format_decimal((amount / _WAN).quantize(Decimal('0.01')), format='#,##0.00', locale=_ZH)} 万元"


def number(value: Decimal | int) -> str:
    """A plain number with group separators and the places it was written with."""
    # by its text: Decimal("1.0") and Decimal("1.00") are equal, but print differently
    return _number(value if isinstance(value, int) else str(value))


def trim(value: Decimal) -> str:
    """A score or a count of days as people say it: 92.50 → 92.5, 90.00 → 90."""
    whole = value.to_integral_value()
    return number(int(whole) if value == whole else value.normalize())


@functools.lru_cache(maxsize=4096)  # areas, counts and rates repeat on every page of an estate
def _number(written: int | str) -> str:
    if isinstance(written, int):
        return format_decimal(written, locale=_ZH)
    value = Decimal(written)
    places = max(0, -int(value.as_tuple().exponent))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=_ZH)


@functools.lru_cache(maxsize=4096)  # a period's days head its tables on every page
def long_date(day: dt.date | None, locale: str) -> str:
    """2025年7月1日 / July 1, 2025."""
    if day is None:
        return "—"
    return format_date(
        day, format="long", locale=_LOCALES.get(locale) or Locale.parse(locale.replace("-", "_"))
    )


@functools.lru_cache(maxsize=256)  # a notice shows on its page and on every release holding it
def notice_html(source: str) -> Markup:
    """Render a notice's untrusted Markdown; raw HTML and unsafe links do not survive.

    A body past the bounds (markup_bounded) is shown as plain paragraphs.
    """
    if not markup_bounded(source):
        paragraphs = [p for p in source.split("\n\n") if p.strip()]
        return Markup("".join(f"<p>{escape(p)}</p>" for p in paragraphs))  # noqa: S704 - escaped
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={
            "a": {"href", "title"},
            "img": {"src", "alt", "title"},
            "th": {"align"},
            "td": {"align"},
        },
        url_schemes=URL_SCHEMES,
        attribute_filter=_no_other_host,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(without_refused(clean))  # noqa: S704 - sanitised by nh3 just above


def _no_other_host(tag: str, attribute: str, value: str) -> str | None:
    """A link or image of a notice, unless it names another site with no scheme: "//host/…"
    (or "/\\host", which browsers read alike) looks like a page of this site and is not;
    the URL fields refuse these too."""
    if attribute in ("href", "src") and value.lstrip()[:2] in ("//", "/\\", "\\\\", "\\/"):
        return None
    return value


def say(words: Any, gettext: Callable[[str], str], language: str) -> str:
    """What code says on a page (views.Words), translated, its fields filled in.

    A message's field may itself be a message; dates are written long and
    amounts as written. Text (the estate's data) stays as it is, and a list
    is its parts in a row. The result is plain text: the page escapes it.
    """
    if words is None:
        return ""
    if isinstance(words, str):
        return words
    if isinstance(words, list):
        return gettext("、").join(say(part, gettext, language) for part in words)
    if isinstance(words, tuple) and len(words) == 2 and isinstance(words[1], dict):
        message, fields = words
        values = {name: _field(value, gettext, language) for name, value in fields.items()}
        return gettext(message) % values
    return _field(words, gettext, language)


def _field(value: Any, gettext: Callable[[str], str], language: str) -> str:
    if isinstance(value, dt.date):
        return long_date(value, language)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, tuple | list):
        return say(value, gettext, language)
    return str(value)


def tel(phone: str) -> str:
    """A tel: link for a phone number as written (extensions after 转 dropped)."""
    digits = "".join(ch for ch in phone.split("转")[0] if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


def css_string(value: str) -> Markup:
    """A quoted CSS string for untrusted text: every ASCII symbol hex-escaped."""
    escaped = "".join(
        ch if ch.isalnum() or ord(ch) > 0x7F and ch.isprintable() else f"\\{ord(ch):06x}"
        for ch in value
    )
    return Markup(f'"{escaped}"')  # noqa: S704 - nothing but letters and escapes
