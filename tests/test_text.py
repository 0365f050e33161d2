"""Numbers, money and links as residents read them; the fast money formatter gives exactly Babel's bytes."""

from __future__ import annotations

import posixpath
import random
from decimal import Decimal

from generator.render.html import _relative_to
from generator.render.text import babel_yuan, number, yuan


def test_yuan_matches_babel_for_every_kind_of_amount() -> None:
    rng = random.Random(7)
    values = [Decimal(v) for v in ("0", "-0.004", "0.005", "0.015", "1234567.125", "-1234.5")]
    values.append(Decimal("12345678901234.56"))
    for _ in range(5000):
        places = rng.choice([0, 1, 2, 3, 4])
        digits = rng.randrange(0, 10 ** rng.randrange(1, 15))
        values.append(Decimal(rng.choice((1, -1)) * digits).scaleb(-places))
    mismatched = [(v, yuan(v), babel_yuan(v)) for v in values if yuan(v) != babel_yuan(v)]
    assert mismatched == []
    assert yuan(Decimal("-1234.5")) == "-¥1,234.50"
    assert yuan(None) == "—"


def test_numbers_keep_the_places_they_were_written_with() -> None:
    # equal values, cached apart: each prints as written
    assert [number(Decimal("1200.5")), number(Decimal("1200.50")), number(1200)] == [
        "1,200.5",
        "1,200.50",
        "1,200",
    ]
    assert number(Decimal("1200.50")) == "1,200.50" and number(Decimal("1200.5")) == "1,200.5"


def test_page_links_are_the_paths_relative_to_the_page() -> None:
    pages = ["index.html", "en/index.html", "x/fees.html", "en/x/releases/2025-h1/index.html"]
    targets = [
        "index.html",
        "x/",
        "x/index.html",
        "en/x/fees.html",
        "en/x/releases/2025-h1/csv/fund-2025.csv",
        "en",
        "en/",
        "assets/style.css",
        "x/./fees.html",
        "x/../y/index.html",
        "x//fees.html",
    ]
    for page in pages:
        url = _relative_to(page)
        here = posixpath.dirname(page) or "."
        for target in targets:
            full = target + "index.html" if target.endswith("/") else target
            assert url(target) == posixpath.relpath(full, here), (page, target)
