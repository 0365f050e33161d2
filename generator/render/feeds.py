"""Atom feeds of releases and the sitemap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

_CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    day: dt.date
    summary: str


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=_CHINA)


def newest(entries: list[FeedEntry], most: int | None = None) -> list[FeedEntry]:
    """The entries newest first, ``most`` of them at most."""
    return sorted(entries, key=lambda e: (e.day, e.url), reverse=True)[:most]


def atom(
    feed_url: str, site_url: str, title: str, entries: list[FeedEntry], most: int | None = None
) -> bytes:
    """An Atom feed, newest entry first, of ``most`` entries at most; every date comes from the releases."""
    ordered = newest(entries, most)
    fg = FeedGenerator()
    fg.id(feed_url)
    fg.title(title)
    fg.link(href=feed_url, rel="self")
    fg.link(href=site_url, rel="alternate")
    fg.language("zh-CN")
    fg.generator("sunshine")
    fg.updated(_moment(ordered[0].day) if ordered else _moment(dt.date(1970, 1, 1)))
    for item in ordered:
        entry = fg.add_entry(order="append")
        entry.id(item.url)
        entry.title(item.title)
        entry.link(href=item.url)
        entry.updated(_moment(item.day))
        entry.summary(item.summary)
    out: bytes = fg.atom_str(pretty=True)
    return out


# the sitemaps.org protocol's limits for one sitemap file
SITEMAP_URLS = 50_000
SITEMAP_BYTES = 50 * 1024 * 1024
_XML = '<?xml version="1.0" encoding="UTF-8"?>'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemaps(base: str, urls: Iterable[tuple[str, dt.date | None]]) -> Iterator[tuple[str, bytes]]:
    """sitemap.xml for every page, with the date of the release it shows, in the order
    given; each file as soon as it is full, never all of them at once.

    A city's site outgrows one file (10,000 estates publish about 430,000
    pages, and a file may list at most 50,000 URLs in 50 MiB): then
    sitemap.xml is an index of sitemap-1.xml, sitemap-2.xml, ... beside it,
    each within the limits.
    """
    part: list[str] = []
    size = 0
    names: list[str] = []
    for url, day in urls:
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        line = f"<url><loc>{escape(url)}</loc>{lastmod}</url>"
        weight = len(line.encode()) + 1
        if len(part) == SITEMAP_URLS or size + weight > SITEMAP_BYTES - 1024:  # and a head
            names.append(f"sitemap-{len(names) + 1}.xml")
            yield names[-1], _xml("urlset", part)
            part, size = [], 0
        part.append(line)
        size += weight
    if not names:
        yield "sitemap.xml", _xml("urlset", part)
        return
    names.append(f"sitemap-{len(names) + 1}.xml")
    yield names[-1], _xml("urlset", part)
    index = [f"<sitemap><loc>{escape(base + name)}</loc></sitemap>" for name in names]
    yield "sitemap.xml", _xml("sitemapindex", index)


def _xml(root: str, lines: list[str]) -> bytes:
    return "\n".join([_XML, f"<{root} {_NS}>", *lines, f"</{root}>", ""]).encode("utf-8")
