"""Where everything goes in the published site: every output path, and the language prefix
before a page, in one place.

A path is relative to the output folder, with "/" between its parts; a folder's ends in
"/". The pages in the default language sit at the top, each other language's below its
code (``en/``). The estates' folders sit at the top beside the site's own folders
(SITE_FOLDERS), so no estate may take one of their names (site.estate_folders).
"""

from __future__ import annotations

from .i18n import DEFAULT, LANGUAGES

ASSETS = "assets/"  # the theme's stylesheets, scripts and fonts
PRINT = "print/"  # each street's latest sheets in one file, on the site's paper
OVERVIEW = "overview/"  # each street office's overview, a PDF and a page a street
COMPARE = "compare/"  # each street's estates side by side
DATA = "data/"  # the open data over every estate (render.citydata)
STREETS = "streets/"  # each street's list of estates

# the site's own folders beside the estates': no estate may take their names
SITE_FOLDERS = frozenset(
    {
        *(folder.rstrip("/") for folder in (ASSETS, PRINT, OVERVIEW, COMPARE, DATA, STREETS)),
        *(lang for lang in LANGUAGES if lang != DEFAULT),
    }
)

INDEX = "index.html"
MANIFEST = "manifest.json"  # every file the build wrote, by its SHA-256 (incremental)
SEARCH = "search.json"
FEED = "feed.xml"
PRINT_LIST = "print.html"
STREET_OVERVIEW = "street.html"


def language(lang: str) -> str:
    """The folder a language's pages are in: none for the default language."""
    return "" if lang == DEFAULT else f"{lang}/"


def estate(estate_id: str) -> str:
    """An estate's folder: its latest release, a page a topic."""
    return f"{estate_id}/"


def releases(estate_id: str) -> str:
    """The folder of an estate's releases."""
    return f"{estate_id}/releases/"


def release(estate_id: str, release_id: str) -> str:
    """A release's folder: the release whole on one page, at its own address for good."""
    return f"{releases(estate_id)}{release_id}/"


def sheet(folder: str) -> str:
    """The noticeboard sheet of the release in ``folder``."""
    return f"{folder}sheet.pdf"


def release_data(folder: str) -> str:
    """The open data of the release in ``folder``; its SHA-256 is at its end (incremental)."""
    return f"{folder}data.json"


def release_table(folder: str, table: str) -> str:
    """One table of the release in ``folder``, as CSV."""
    return f"{folder}csv/{table}.csv"


def qr(folder: str) -> str:
    """The QR code of the address of ``folder`` (an estate's, or a release's)."""
    return f"{folder}qr.svg"


def feed(folder: str = "") -> str:
    """The Atom feed of an estate's folder, or of the site."""
    return f"{folder}{FEED}"


def notice(estate_id: str, notice_id: str) -> str:
    return f"{estate(estate_id)}notices/{notice_id}.html"


def document(estate_id: str, document_id: str) -> str:
    return f"{estate(estate_id)}documents/{document_id}.html"


def changes(folder: str) -> str:
    """What changed in the release in ``folder`` (an estate's: its latest)."""
    return f"{folder}changes.html"


def street_estates(page: str) -> str:
    """A street's list of estates; ``page``: the street's name in letters (views.street_page)."""
    return f"{STREETS}{page}.html"


def compare(page: str) -> str:
    """A street's estates side by side."""
    return f"{COMPARE}{page}.html"


def overview(file: str) -> str:
    """A street office's overview, ``file`` a street's (sheets.street_file)."""
    return f"{OVERVIEW}{file}"


def overview_page(overview_pdf: str) -> str:
    """The page beside a street's overview PDF, showing the same."""
    return f"{overview_pdf.removesuffix('.pdf')}.html"


def print_folder(paper: str, site_paper: str) -> str:
    """The folder of the streets' print files on ``paper``: print/ on the site's paper,
    print/<paper>/ on the other."""
    return PRINT if paper == site_paper else f"{PRINT}{paper}/"


def asset(name: str) -> str:
    return f"{ASSETS}{name}"
