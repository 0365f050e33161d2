"""Static SVG charts made at build time: no script, readable as text by screen readers.

Small and deterministic; each chart sits beside the table that holds its figures.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from .text import wan, yuan

_WIDTH = 320
_BAR = 22
_GAP = 12
_LABEL = 96


def bar_chart(title: str, rows: list[tuple[str, Decimal]]) -> str:
    """Horizontal bars, one per (label, amount), labelled with the amount in 万元."""
    if not rows:
        return ""
    top = max((amount for _, amount in rows), default=Decimal(0)) or Decimal(1)
    span = _WIDTH - _LABEL - 8
    height = len(rows) * (_BAR + _GAP) + _GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" role="img" class="chart" aria-labelledby="t">',
        f'<title id="t">{escape(title)}</title>',
    ]
    for i, (label, amount) in enumerate(rows):
        y = _GAP + i * (_BAR + _GAP)
        width = max(1, int(span * max(amount, Decimal(0)) / top))
        parts.append(f'<text x="0" y="{y + 16}" class="l">{escape(_short(label))}</text>')
        parts.append(
            f'<rect x="{_LABEL}" y="{y}" width="{width}" height="{_BAR}" class="b"><title>{escape(label)}: {escape(yuan(amount))}</title></rect>'
        )
        inside = width > 70
        x = _LABEL + width - 4 if inside else _LABEL + width + 4
        anchor = ' text-anchor="end"' if inside else ""
        parts.append(
            f'<text x="{x}" y="{y + 16}" class="{"v i" if inside else "v"}"{anchor}>{escape(wan(amount))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(label: str, limit: int = 6) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
