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


def atom(feed_url: str, site_url: str, title: str, entries: list[FeedEntry]) -> bytes:
    """An Atom feed, newest entry first; every date comes from the releases."""
    ordered = sorted(entries, key=lambda e: (e.day, e.url), reverse=True)
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


def sitemap(urls: list[tuple[str, dt.date | None]]) -> bytes:
    """sitemap.xml for every page, with the date of the release it shows."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, day in sorted(urls, key=lambda u: u[0]):
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
