"""Builds that wait only on what changed: per-estate fingerprints, changes in place, workers.

An estate is the unit of work. Its fingerprint covers its inputs (for a
published estate its snapshots and estate.yaml, see _input_files), the theme,
site.yaml, the paper size, the as-of day and the generator's code. An
estate whose fingerprint is unchanged is neither read nor rendered, and
its files are not touched: a build of a few changed estates exchanges
their folders in the output (write.Patch), and a file whose bytes did not
change stays the same file. The pages over all estates (index, feeds,
street overview, print files, sitemap, manifest) are made from the
estates' summaries, kept in the build state, whenever an estate changed;
costly ones (PDFs) only when their inputs did. A sheet is laid out again
only when its HTML or the PDF engine changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from . import __version__, chars, fonts, write
from .build import (
    EstateSummary,
    SitePdf,
    print_files,
    render_estate,
    render_site_pages,
    street_overviews,
)
from .cache import Cache
from .config import SiteConfig, require_config
from .errors import (
    ContentError,
    Diagnostic,
    Location,
    Severity,
    failed_estate,
    no_chinese_font,
)
from .fingerprint import content_digest, digest_tree, files_of
from .i18n import DEFAULT, LANGUAGES
from .load import load_text, read_text
from .parallel import cores, workers
from .pipeline import Site, estate_folders, published_estate
from .render import pdf
from .render.html import DEFAULT_THEME
from .render.opendata import manifest, manifest_block
from .sheets import OverviewRow
from .write import Patch, Writer, folder_of, link, put

STATE_VERSION = 11
T = TypeVar("T")
PICKLE = pickle.HIGHEST_PROTOCOL
NESTED = tuple(lang for lang in LANGUAGES if lang != DEFAULT)  # languages in a folder of their own


@dataclass
class State:
    """What the previous build made: the site's and each estate's fingerprint.

    The rest, needed only when something changed, is in a file of its own
    (DETAILS_FILE), named here by its digest: a build that finds nothing
    changed does not read the summary of every estate.
    """

    version: int = STATE_VERSION
    site: str = ""
    prints: dict[str, str] = field(default_factory=dict)  # estate id -> fingerprint
    stats: dict[str, tuple[int, int, str]] = field(
        default_factory=dict
    )  # content file: size, mtime, sha256
    sheets: dict[str, tuple[str, tuple[int, str]]] = field(
        default_factory=dict
    )  # sheet path -> (key, (size, sha256)): laid out again only for another key
    details_digest: bytes = b""  # the first bytes of the details file
    held: dict[str, tuple[str, ...]] = field(default_factory=dict)  # estate id -> its codes

    def details(self, out: Path) -> Details | None:
        """The details file of this build, if it is the one this state names."""
        try:
            with (out / DETAILS_FILE).open("rb") as file:
                if file.read(len(self.details_digest)) != self.details_digest:
                    return None
                details = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return details if isinstance(details, Details) and self.details_digest else None


@dataclass
class Details:
    """A build's summary of each estate, its costly site-wide files, and its other files.

    Each summary is kept pickled on its own, so that a build that renders
    one estate pickles that one again and copies the others' bytes.
    """

    packed: dict[str, bytes] = field(default_factory=dict)  # estate id -> pickled EstateSummary
    carried: dict[str, tuple[object, tuple[int, str]]] = field(default_factory=dict)
    site_files: dict[str, tuple[int, str]] = field(default_factory=dict)  # not an estate's

    def summaries(self) -> dict[str, EstateSummary]:
        return {i: pickle.loads(packed) for i, packed in self.packed.items()}


@dataclass
class Report:
    """What a build did, for the command line and the benchmark."""

    rendered: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # of those rendered: from the cache
    carried: list[str] = field(default_factory=list)
    files: int = 0
    up_to_date: bool = False
    held: dict[str, list[Diagnostic]] = field(default_factory=dict)  # held back: their errors


def _input_files(folder: Path, config: SiteConfig) -> list[tuple[str, str, os.stat_result]]:
    """The files an estate's outputs are made from (see pipeline.published_estate).

    A published estate, on a site that shows releases only: its snapshots and
    its estate.yaml (for the rule profile's name); else the whole folder.
    """
    releases = list(files_of(folder / "releases"))
    published = any(n.count("/") == 1 and n.endswith(".json") for n, _, _ in releases)
    if published and not config.show_working_copy:  # as pipeline.has_releases, from one listing
        return [*files_of(folder / "estate.yaml"), *releases]
    return list(files_of(folder))


def site_fingerprint(
    root: Path, config: SiteConfig, paper: str, as_of: dt.date, fonts_digest: str
) -> str:
    """Everything every estate's outputs depend on besides the estate itself."""
    themes = [DEFAULT_THEME, root / "themes" / config.theme, root / "profiles"]
    generator = Path(__file__).resolve().parent
    parts = [
        __version__,
        paper,
        as_of.isoformat(),
        config.model_dump_json(),  # a preview's settings are not site.yaml's
        digest_tree([root / "site.yaml", *[t for t in themes if t.exists()]]),
    ]
    parts.append(digest_tree([generator]))  # a changed generator renders anew
    parts.append(fonts_digest)  # other fonts, other sheets (or a missing glyph)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


STATE_FILE = ".sunshine-state"  # in the output folder: the state belongs to the build it describes
DETAILS_FILE = f"{STATE_FILE}-details"


def load_state(out: Path) -> State:
    try:
        state = pickle.loads((out / STATE_FILE).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return State()
    return state if isinstance(state, State) and state.version == STATE_VERSION else State()


# -- the worker: one estate, in its own process ------------------------------------------------


@dataclass
class Job:
    """What every worker is told once: where to read, where to write, what was made before."""

    root: Path
    config: SiteConfig
    out: Path
    staging: Path
    paper: str | None
    as_of: dt.date
    engine: str  # pdf.engine(): a sheet's key is this and its HTML's digest
    sheets: dict[str, tuple[str, tuple[int, str]]]  # the previous build's: path -> (key, digest)
    cache: Cache | None
    releases_only: frozenset[str] = frozenset()  # held back: built from their releases alone


_JOB: list[Job] = []


def _init(job: Job) -> None:
    _JOB[:] = [job]


# a sheet to lay out: (its path, its HTML)
Layout = tuple[str, str]


def _build_one(
    estate_id: str, fingerprint: str
) -> tuple[str, EstateSummary | None, list[Diagnostic], list[Layout], bool]:
    """Render one estate, or take it from the cache; its sheets that need laying out are
    handed back (see _lay_out). True when it came from the cache. An estate that cannot be
    rendered hands back its problems (B001 for an error of the generator's), never raises:
    one estate never stops the others."""
    written: dict[str, tuple[int, str]] = {}
    try:
        return _render_one(estate_id, fingerprint, written)
    except OSError as exc:
        if exc.errno in write.DISK_ERRORS:  # the disk's, not the estate's: the build stops
            raise
        return _dropped(estate_id, written, exc)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this estate's alone
        return _dropped(estate_id, written, exc)


def _dropped(
    estate_id: str, written: dict[str, tuple[int, str]], exc: Exception
) -> tuple[str, None, list[Diagnostic], list[Layout], bool]:
    """An estate that could not be rendered: its staged files removed, its problem said."""
    for relative in written:  # no file of it may reach the output
        (_JOB[0].staging / relative).unlink(missing_ok=True)
    return estate_id, None, [_failed(_JOB[0], estate_id, exc)], [], False


def _failed(job: Job, estate_id: str, exc: Exception) -> Diagnostic:
    """B001: what stopped an estate's pages, at its folder."""
    folder = (job.root / job.config.content_dir / estate_id).relative_to(job.root).as_posix()
    if isinstance(exc, pdf.GlyphError):  # a snapshot's character no font here draws
        return Diagnostic("T004", Location(folder, 1, 1), chars.shown(str(exc)))
    return failed_estate(Location(folder, 1, 1), type(exc).__name__, str(exc))


def _render_one(
    estate_id: str, fingerprint: str, files: dict[str, tuple[int, str]]
) -> tuple[str, EstateSummary | None, list[Diagnostic], list[Layout], bool]:
    job, cache = _JOB[0], _JOB[0].cache
    packed = cache.estate(fingerprint) if cache else None
    if cache and packed is not None:
        kept: EstateSummary = pickle.loads(packed)
        if cache.place(kept.files, job.staging):
            return estate_id, kept, [], [], True
    folder = job.root / job.config.content_dir / estate_id
    problems: list[Diagnostic] = []
    config = _config_of(job.config, estate_id in job.releases_only)
    loaded = published_estate(folder, folder.relative_to(job.root).as_posix(), problems, config)
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors or loaded.data is None and not loaded.releases:
        return estate_id, None, errors or problems, [], False
    layouts: list[Layout] = []

    def write(relative: str, content: bytes) -> None:
        files[relative] = _stage(relative, content)

    def reuse(relative: str, html: str) -> bool:
        key, target = _sheet_key(job.engine, html), job.staging / relative
        made = job.sheets.get(relative)
        if made is not None and made[0] == key and (job.out / relative).is_file():
            link(job.out / relative, target)
            files[relative] = made[1]
            if cache:
                cache.keep_file(target, made[1][1])
                cache.keep_sheet(key, made[1])
            return True
        digest = cache.sheet(key) if cache else None
        if cache and digest and cache.place({relative: digest}, job.staging):
            files[relative] = digest
            return True
        return False

    site = Site(job.root, config, [loaded])
    summary = render_estate(
        site, loaded, write, job.paper, job.as_of, reuse, lambda *sheet: layouts.append(sheet)
    )
    summary.files = files
    if not layouts:  # else once they are laid out
        summary.manifest = _blocks(files)
    return estate_id, summary, [], layouts, False


def _config_of(config: SiteConfig, releases_only: bool) -> SiteConfig:
    """The site's settings for one estate: a held-back one shows its releases alone."""
    if releases_only and config.show_working_copy:
        return config.model_copy(update={"show_working_copy": False})
    return config


def _lay_out(relative: str, html: str, html_digest: str) -> tuple[str, tuple[int, str]]:
    """Lay out one sheet into the staging folder; a task of its own, so that the sheets
    of one estate, the street overviews and the print files take all the cores.

    The sheet goes into the cache at once, not when the build ends: a build
    that stops short (interrupted, out of time on a CI runner) keeps every
    sheet it laid out, and the next build takes them from there.
    """
    digest = _stage(relative, pdf.pdf([pdf.document(html)]))
    job = _JOB[0]
    if job.cache:
        job.cache.keep_sheet(_sheet_key(job.engine, html_digest), digest)
    return relative, digest


def _sheet_key(engine: str, html_digest: str) -> str:
    """A sheet's key: the PDF engine (pdf.engine) and its HTML's digest (sheets.render_sheets)."""
    return f"{engine}|{html_digest}"


def _stage(relative: str, data: bytes) -> tuple[int, str]:
    """Write a file of this worker's into the staging folder, and keep it in the cache;
    its (size, sha256)."""
    job = _JOB[0]
    target = job.staging / relative
    put(target, data)
    sha = hashlib.sha256(data).hexdigest()
    if job.cache:
        job.cache.keep_file(target, sha)
    return len(data), sha


def _blocks(files: dict[str, tuple[int, str]]) -> list[tuple[str, str]]:
    """An estate's blocks of manifest.json, a block per top folder."""
    folders: dict[str, dict[str, tuple[int, str]]] = {}
    for relative, digest in files.items():
        folders.setdefault(folder_of(relative, NESTED), {})[relative] = digest
    return [manifest_block(group) for group in folders.values()]


# -- the orchestrator -------------------------------------------------------------------------


def estate_ids(root: Path, config: SiteConfig) -> tuple[list[str], list[Diagnostic]]:
    """The estates to build, and the problems that stop a build (see pipeline.estate_folders)."""
    found = list(estate_folders(root, config))
    return [f.name for f, problem in found if problem is None], [p for _, p in found if p]


def build(
    root: Path,
    out: Path,
    paper: str | None,
    as_of: dt.date,
    jobs: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    with_pdf: bool = True,
    cache: Cache | None = None,
    preview: bool = False,
    strict: bool = False,
) -> Report:
    """Build the site into ``out``, rendering only estates whose inputs changed; an estate
    the cache holds (see cache.py) is taken from there. A preview shows every working
    copy, each page marked as a draft (see serve.py).

    The site is checked first (checking.check, with its cache). An estate with errors is
    held back (see _hold) and the others are built; ``strict`` builds nothing then.
    A full disk or an output folder that cannot be written is an OutputError in one line.
    """
    try:
        return _build(root, out, paper, as_of, jobs, progress, with_pdf, cache, preview, strict)
    except OSError as exc:
        raise write.unwritable(exc, out) from None


def _build(
    root: Path,
    out: Path,
    paper: str | None,
    as_of: dt.date,
    jobs: int,
    progress: Callable[[str, int, int], None] | None,
    with_pdf: bool,
    cache: Cache | None,
    preview: bool,
    strict: bool,
) -> Report:
    config = require_config(root)
    if preview:
        config = config.model_copy(update={"show_working_copy": True, "preview": True})
    sheet_paper = (paper or config.paper.value) if with_pdf else None
    paper = sheet_paper or "none"
    if with_pdf and not fonts.draws_chinese():  # every sheet would be boxes: the machine's fault
        raise pdf.GlyphError(no_chinese_font())
    held = _held(root, config, as_of, jobs, cache)
    if strict and held:
        raise ContentError(sorted((d for f in held.values() for d in f), key=Diagnostic.sort_key))
    ids, _problems = estate_ids(root, config)  # the others are in ``held``
    frozen = {i for i in ids if i in held and _in_releases(held[i])}
    releases_only = frozenset(held) - frozen
    previous = prior = load_state(out)
    stats: dict[str, tuple[int, int, str]] = {}
    fonts_digest = fonts.installed_digest()  # fontconfig asked once per build
    site_fp = site_fingerprint(root, config, paper, as_of, fonts_digest)
    prints = {  # an estate's pages name it: its id is one of its inputs
        i: hashlib.sha256(
            (
                f"{site_fp}|{i}|"
                + content_digest(
                    _input_files(root / config.content_dir / i, _config_of(config, i in held)),
                    previous.stats,
                    stats,
                )
            ).encode()
        ).hexdigest()
        for i in ids
    }
    unchanged = {i for i in ids if previous.prints.get(i) == prints[i]}
    codes = {i: _codes(found) for i, found in held.items()}
    if (
        out.exists()
        and previous.site == site_fp
        and unchanged == set(ids) == set(previous.prints)
        and previous.held == codes
    ):
        return Report(carried=sorted(ids), up_to_date=True, held=held)
    report = Report(held=held)
    # the previous build's details serve a build of the same site only: a new site
    # fingerprint renders every estate (the details are 150 MB at 10,000 estates)
    same_site = bool(previous.prints) and previous.site == site_fp
    before = previous.details(out) if same_site else Details()
    if before is None:  # the details are not this state's: build anew
        previous, unchanged, before, same_site = State(), set(), Details(), False
    in_place = out.is_dir() and same_site
    # a new site fingerprint renders every estate: the whole output is new
    writer = Patch(out, NESTED) if in_place else Writer(out)
    todo = [i for i in ids if i not in unchanged and i not in frozen]
    engine = pdf.engine(fonts_digest) if with_pdf else ""
    job = Job(
        root, config, out, writer.staging, sheet_paper, as_of, engine, previous.sheets, cache,
        releases_only,
    )  # fmt: skip
    with writer, _started(job, todo, jobs, with_pdf) as pool:
        rendering = [pool.submit(_build_one, estate_id, prints[estate_id]) for estate_id in todo]
        kept = before.summaries()  # while the workers render
        if isinstance(writer, Patch):
            writer.previous = dict(before.site_files)
            for summary in kept.values():
                writer.previous.update(summary.files)
        summaries: dict[str, EstateSummary] = {}
        for estate_id in sorted(unchanged):
            summary = kept[estate_id]
            for relative, digest in summary.files.items():
                writer.keep(relative, digest)
            summaries[estate_id] = summary
            report.carried.append(estate_id)
        laying: dict[Future[tuple[str, tuple[int, str]]], str] = {}
        for done, finished in enumerate(as_completed(rendering), start=1):
            estate_id, made, found, layouts, restored = finished.result()
            if made is None:
                held.setdefault(estate_id, []).extend(found)
                frozen.add(estate_id)
            else:
                summaries[estate_id] = made
                report.rendered.append(estate_id)
                if restored:
                    report.restored.append(estate_id)
                for relative, digest in made.files.items():
                    writer.adopt(relative, digest)
                for relative, html in layouts:  # its digest is in the summary's sheets
                    laying[pool.submit(_lay_out, relative, html, made.sheets[relative])] = estate_id
            if progress:
                progress("estates", done, len(todo))
        del rendering  # the sheets' HTML went to the workers
        if strict and frozen:
            raise ContentError(
                sorted((d for f in held.values() for d in f), key=Diagnostic.sort_key)
            )
        codes = {i: _codes(found) for i, found in held.items()}
        online = _keep_online(frozen, kept, prior, out, same_site, writer)
        summaries.update(online)
        unpublished = tuple(
            _unlisted(root, config, i, codes[i]) for i in sorted(frozen - online.keys())
        )
        report.rendered.sort()
        report.restored.sort()
        summaries = dict(sorted(summaries.items()))
        shown = [_flagged(s, codes.get(i)) for i, s in summaries.items()]
        carried: dict[str, tuple[object, tuple[int, str]]] = {}
        making: dict[Future[bytes], tuple[str, object]] = {}

        def carry(made_here: list[SitePdf]) -> None:
            """Keep each PDF the previous build made from equal inputs; make the others."""
            for relative, inputs, make in made_here:
                made = before.carried.get(relative)  # of a build of this same site
                if made is not None and made[0] == inputs and (out / relative).is_file():
                    writer.keep(relative, made[1])
                    carried[relative] = (inputs, made[1])
                elif (
                    cache
                    and (cached := cache.sheet(_site_key(site_fp, relative, inputs)))
                    and (kept_pdf := cache.kept(cached[1]))
                ):
                    writer.link(relative, kept_pdf, cached)
                    carried[relative] = (inputs, cached)
                else:
                    making[pool.submit(make)] = (relative, inputs)

        if with_pdf:  # while the sheets are laid out
            carry(street_overviews(root, config, [*shown, *unpublished], as_of))
        render_site_pages(root, config, shown, writer.write, as_of, with_pdf, unpublished)
        for done, laid in enumerate(as_completed(laying), start=1):
            relative, digest = laid.result()
            writer.adopt(relative, digest)
            summaries[laying[laid]].files[relative] = digest
            if progress:
                progress("sheets", done, len(laying))
        for estate_id in set(laying.values()):
            summaries[estate_id].manifest = _blocks(summaries[estate_id].files)
        if with_pdf:
            carry(print_files(list(summaries.values()), writer.locate))
        for made_here in as_completed(making):  # written as they come: a print file is megabytes
            relative, inputs = making.pop(made_here)
            writer.write(relative, made_here.result())
            carried[relative] = (inputs, writer.digests[relative])
            if cache:
                cache.keep_file(writer.locate(relative), writer.digests[relative][1])
        site_files = _site_files(writer.digests, summaries)
        blocks = [block for summary in summaries.values() for block in summary.manifest]
        blocks += [manifest_block({path: digest}) for path, digest in site_files.items()]
        writer.write("manifest.json", manifest(blocks))
        site_files["manifest.json"] = writer.digests["manifest.json"]
        report.files = len(writer.digests)
        packed = {
            i: before.packed[i] if i in unchanged else pickle.dumps(summaries[i], PICKLE)
            for i in summaries
        }
        details = pickle.dumps(Details(packed, carried, site_files), PICKLE)
        named = hashlib.sha256(details).digest()
        state = State(
            site=site_fp,
            prints={i: ("held:" if i in frozen else "") + prints[i] for i in summaries},
            stats=stats,
            sheets={
                path: (_sheet_key(engine, html), summary.files[path])
                for summary in summaries.values()
                for path, html in summary.sheets.items()
                if path in summary.files
            },
            details_digest=named,
            held=codes,
        )
        saved = pickle.dumps(state, PICKLE)
        (out / STATE_FILE).unlink(missing_ok=True)  # no state may describe a half-changed output
    for name, parts in ((DETAILS_FILE, (named, details)), (STATE_FILE, (saved,))):
        temporary = out / f"{name}.new"
        with temporary.open("wb") as file:  # in parts: the details are 150 MB at 10,000 estates
            file.writelines(parts)
        os.replace(temporary, out / name)
    if cache is not None:
        pdfs = {_site_key(site_fp, r, inputs): made for r, (inputs, made) in carried.items()}
        old_pdfs = {_site_key(previous.site, r, i): made for r, (i, made) in before.carried.items()}
        _remember(
            cache, report, prints, packed, summaries, state, previous, kept, writer, pdfs, old_pdfs
        )
    return report


# -- held back: one estate never blocks the others ---------------------------------------------


def _held(
    root: Path, config: SiteConfig, as_of: dt.date, jobs: int, cache: Cache | None
) -> dict[str, list[Diagnostic]]:
    """The errors ``check`` finds, by the content folder's entry they are in: each such
    estate is held back (an entry that is no estate is not built anyway)."""
    from .checking import check

    content = PurePosixPath((root / config.content_dir).relative_to(root).as_posix())
    held: dict[str, list[Diagnostic]] = {}
    for found in check(root, as_of, (), cores(jobs), cache).diagnostics:
        path = PurePosixPath(found.location.file)
        if found.fails() and path.is_relative_to(content) and path != content:
            held.setdefault(path.relative_to(content).parts[0], []).append(found)
    return held


def _in_releases(found: list[Diagnostic]) -> bool:
    """Some error is in a snapshot: the estate cannot be built from its releases either."""
    return any(PurePosixPath(d.location.file).parent.name == "releases" for d in found)


def _codes(found: list[Diagnostic]) -> tuple[str, ...]:
    return tuple(sorted({d.code for d in found}))


def _keep_online(
    frozen: set[str],
    kept: dict[str, EstateSummary],
    prior: State,
    out: Path,
    same_site: bool,
    writer: Writer,
) -> dict[str, EstateSummary]:
    """Publish again, unchanged, what the previous build published of each estate that
    cannot be built now; those it had not published stay out."""
    wanted = frozen & prior.prints.keys()
    if not wanted:
        return {}
    if not same_site:  # a new day or theme renders the rest anew; these keep their pages
        details = prior.details(out)
        kept = details.summaries() if details is not None else {}
    online = {}
    for estate_id in sorted(wanted & kept.keys()):
        summary = kept[estate_id]
        if all((out / relative).is_file() for relative in summary.files):
            for relative, digest in summary.files.items():
                writer.keep(relative, digest)
            online[estate_id] = summary
    return online


def _flagged(summary: EstateSummary, codes: tuple[str, ...] | None) -> EstateSummary:
    """The summary as the overview shows it: a held-back estate marked with its codes."""
    row = summary.overview
    if not codes or row is None:
        return summary
    return dataclasses.replace(summary, overview=dataclasses.replace(row, held=codes))


def _unlisted(
    root: Path, config: SiteConfig, estate_id: str, codes: tuple[str, ...]
) -> EstateSummary:
    """A held-back estate with nothing online: a row on the overview, and nothing else."""
    named = _named(root / config.content_dir / estate_id, config)
    name = named.get("name") or estate_id
    city, district, street, community, address = (
        named.get(k, "") for k in ("city", "district", "street", "community", "address")
    )
    row = OverviewRow(estate_id, name, community, "", None, None, [], len(codes), 0, codes, False)
    return EstateSummary(
        id=estate_id, sort_key=(city, district, street, name, estate_id), name=name, city=city,
        district=district, street=street, community=community, address=address,
        latest_day=None, feed_entries=[], pages=[], overview=row, latest_sheet=None,
        sheet_paper=None,
    )  # fmt: skip


def _named(folder: Path, config: SiteConfig) -> dict[str, str]:
    """The estate's name and place from estate.yaml, each only where it keeps the text rule."""
    display = f"{folder.name}/estate.yaml"
    text, _problems = read_text(folder / "estate.yaml", display, config.limits.bounds())
    located, problems = load_text(text or "", display, bounds=config.limits.bounds())
    raw = located.data if not problems and isinstance(located.data, dict) else {}
    return {
        key: value
        for key, value in raw.items()
        if isinstance(value, str) and not chars.flaws(value, one_line=True)
    }


def _remember(
    cache: Cache,
    report: Report,
    prints: dict[str, str],
    packed: dict[str, bytes],
    summaries: dict[str, EstateSummary],
    state: State,
    previous: State,
    kept: dict[str, EstateSummary],
    writer: Writer,
    pdfs: dict[str, tuple[int, str]],
    old_pdfs: dict[str, tuple[int, str]],
) -> None:
    """Keep in the cache the estates, sheets, street overviews and print files this build
    made; drop what it no longer publishes: after a whole build by listing the cache,
    else from what changed. ``pdfs`` and ``old_pdfs``: this build's and the previous
    one's street overviews and print files, by key (see _site_key)."""
    whole = not isinstance(writer, Patch)
    made = sorted(set(report.rendered) - set(report.restored))
    for estate_id in made:  # their sheets went in as they were made (_lay_out, reuse)
        cache.keep_estate(prints[estate_id], packed[estate_id])
    for key, digest in pdfs.items():
        if whole or key not in old_pdfs:
            cache.keep_sheet(key, digest)
    keys = {key for key, _ in state.sheets.values()} | pdfs.keys()
    if whole:
        shas = {sha for _, sha in writer.digests.values()}
        cache.keep_only(shas, {prints[i] for i in summaries}, keys)
        return
    gone = [i for i in previous.prints if i not in summaries or i in report.rendered]
    old = {sha for i in gone if i in kept for _, sha in kept[i].files.values()}
    old |= {sha for key, (_, sha) in old_pdfs.items() if key not in pdfs}
    new = {sha for i in report.rendered for _, sha in summaries[i].files.values()}
    new |= {sha for _, sha in pdfs.values()}
    old_keys = {key for key, _ in previous.sheets.values()} | old_pdfs.keys()
    cache.drop(old - new, {previous.prints[i] for i in gone}, old_keys - keys)


def _site_key(site_fp: str, relative: str, inputs: object) -> str:
    """A street overview's or print file's key in the cache: what it is made from."""
    return "site|" + hashlib.sha256(pickle.dumps((site_fp, relative, inputs), PICKLE)).hexdigest()


def _site_files(
    digests: dict[str, tuple[int, str]], summaries: dict[str, EstateSummary]
) -> dict[str, tuple[int, str]]:
    """The published files that belong to no estate."""
    owned = {p for s in summaries.values() for p in s.files}
    return {p: d for p, d in digests.items() if p not in owned}


@contextmanager
def _started(job: Job, todo: list[str], jobs: int, with_pdf: bool) -> Iterator[Executor]:
    """Worker processes for ``todo`` and what follows it, begun at once.

    With more than one core even a single estate goes to a worker, so that
    this process meanwhile reads the previous build's state; a build with
    sheets takes every core, since each sheet, street overview and print
    file is a task of its own. On one core every task runs here, in turn.
    """
    count = cores(jobs)
    count = (count if with_pdf else min(count, len(todo))) if todo else 1
    with workers(count, _init, (job,)) as pool:
        yield pool
