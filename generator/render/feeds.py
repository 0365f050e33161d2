"""Atom feeds of releases and the sitemap."""

from __future__ import annotations

import datetime as dt
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


def atom(
    feed_url: str, site_url: str, title: str, entries: list[FeedEntry], most: int | None = None
) -> bytes:
    """An Atom feed, newest entry first, of ``most`` entries at most; every date comes from the releases."""
    ordered = sorted(entries, key=lambda e: (e.day, e.url), reverse=True)[:most]
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


def sitemaps(base: str, urls: list[tuple[str, dt.date | None]]) -> dict[str, bytes]:
    """sitemap.xml for every page, with the date of the release it shows.

    A city's site outgrows one file (10,000 estates publish about 430,000
    pages, and a file may list at most 50,000 URLs in 50 MiB): then
    sitemap.xml is an index of sitemap-1.xml, sitemap-2.xml, ... beside it,
    each within the limits.
    """
    parts: list[list[str]] = [[]]
    size = 0
    for url, day in sorted(urls, key=lambda u: u[0]):
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        line = f"<url><loc>{escape(url)}</loc>{lastmod}</url>"
        weight = len(line.encode()) + 1
        if len(parts[-1]) == SITEMAP_URLS or size + weight > SITEMAP_BYTES - 1024:  # and a head
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += weight
    if len(parts) == 1:
        return {"sitemap.xml": _xml("urlset", parts[0])}
    out = {f"sitemap-{n}.xml": _xml("urlset", part) for n, part in enumerate(parts, start=1)}
    index = [f"<sitemap><loc>{escape(base + name)}</loc></sitemap>" for name in out]
    return {"sitemap.xml": _xml("sitemapindex", index), **out}


def _xml(root: str, lines: list[str]) -> bytes:
    return "\n".join([_XML, f"<{root} {_NS}>", *lines, f"</{root}>", ""]).encode("utf-8")
