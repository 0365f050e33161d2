"""Static SVG charts made at build time: no script, readable as text by screen readers.

Small and deterministic; each chart sits beside the table that holds its
figures. Each label is written whole on its own line above its bar, and the
chart's title and description (every label with its amount) are its text
equivalent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .text import wan, yuan

_WIDTH = 320
_LINE = 26  # a label's line: text of 16 px, or 20 px in the larger-text mode
_BAR = 28
_GAP = 12
_CHARS = 15  # CJK characters of 20 px that fit a line of the chart's width


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, Decimal]]) -> str:
    """Horizontal bars, one per (label, amount), each labelled above and with its amount in 万元.

    ``chart_id`` names the chart's title and description; it must be unique on its page.
    """
    if not rows:
        return ""
    top = max((amount for _, amount in rows), default=Decimal(0)) or Decimal(1)
    body: list[str] = []
    y = _GAP
    for label, amount in rows:
        lines = _wrap(label)
        for n, line in enumerate(lines):
            body.append(f'<text x="0" y="{y + 20 + n * _LINE}" class="l">{escape(line)}</text>')
        y += len(lines) * _LINE + 2
        width = max(1, int((_WIDTH - 2) * max(amount, Decimal(0)) / top))
        body.append(f'<rect x="0" y="{y}" width="{width}" height="{_BAR}" class="b"/>')
        inside = width > 130
        x = width - 6 if inside else width + 6
        anchor = ' text-anchor="end"' if inside else ""
        body.append(
            f'<text x="{x}" y="{y + 20}" class="{"v i" if inside else "v"}"{anchor}>{escape(wan(amount))}</text>'
        )
        y += _BAR + _GAP
    described = "；".join(f"{label} {yuan(amount)}" for label, amount in rows)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {y}" role="img" class="chart"'
        f" aria-labelledby={quoteattr(f'{chart_id}-t {chart_id}-d')}>",
        f"<title id={quoteattr(chart_id + '-t')}>{escape(title)}</title>",
        f"<desc id={quoteattr(chart_id + '-d')}>{escape(described)}</desc>",
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


def _wrap(label: str) -> list[str]:
    """A label in lines that fit the chart's width (a long one is never cut short)."""
    return [label[i : i + _CHARS] for i in range(0, len(label), _CHARS)] or [""]


def strip_chart(chart_id: str, title: str, placed: Any) -> str:
    """Where one value stands among its peers': a dot each, the median a tick, its own a large dot.

    ``placed`` is a compare.Standing; the title says it in words.
    """
    values = [*placed.values, placed.value]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)

    def x(value: Decimal) -> int:
        return 10 + int((_WIDTH - 20) * (value - low) / span)

    # every peer's dot in one path, a zero-length stroke with round ends each: a street of
    # fifty estates draws nine of these a page, at a tenth of the bytes of a circle apiece
    moves = "".join(f"M{x(v)} 20h0" for v in placed.values)
    dots = f'<path d="{moves}" class="p"/>' if moves else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} 40" role="img" class="strip"'
        f" aria-labelledby={quoteattr(chart_id + '-t')}>"
        f"<title id={quoteattr(chart_id + '-t')}>{escape(title)}</title>"
        f'<line x1="10" y1="20" x2="{_WIDTH - 10}" y2="20" class="a"/>{dots}'
        f'<line x1="{x(placed.median)}" y1="6" x2="{x(placed.median)}" y2="34" class="m"/>'
        f'<circle cx="{x(placed.value)}" cy="20" r="9" class="o"/></svg>\n'
    )
