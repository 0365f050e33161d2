"""The build's engine: what to render, carry or restore (a plan), the work of each estate and
sheet, the pages over all estates, and what the build keeps for the next (its state).

pipeline.build runs the steps in order: prepare -> plan -> render -> publish -> record.

An estate is the unit of work. Its fingerprint covers its inputs (for a
published estate its snapshots and estate.yaml, see input_files), the theme,
site.yaml, the paper, the fonts and the generator's code; and its outputs hold
for a span of days (build.EstateSummary.since/until: the days its pages and
its row of the street overview read as they do). An estate whose fingerprint
is unchanged and whose span holds the build's day is neither read nor
rendered, and its files are not touched: a build of a few changed estates
exchanges their folders in the output (write.Patch), and a file whose bytes
did not change stays the same file. The pages over all estates are made from
the estates' summaries, kept in the build's state (state.py, outside the
output); costly ones (PDFs) only when their inputs changed. A sheet is laid
out again only when its HTML or the PDF engine changed.

Work runs through parallel.py: worker processes here, or a Dask cluster. A
task is a function of the job and its own arguments; in a cluster, where no
file system is shared, the job carries the site's inputs and a task hands its
files back as bytes, which this process writes.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Container, Iterator
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from . import __version__, chars, fonts, paths, state, write
from .build import (
    Brief,
    CityData,
    EstateSummary,
    Rendered,
    SitePdf,
    city_data,
    print_files,
    render_estate,
    render_site_pages,
    street_overviews,
)
from .cache import CACHE_FOLDER, Cache, Digest, Shas
from .config import SiteConfig, require_config
from .errors import (
    ContentError,
    Diagnostic,
    GeneratorError,
    Location,
    Severity,
    failed_estate,
    no_chinese_font,
)
from .fingerprint import Stats, code_digest, content_digest, digest_tree, files_of
from .i18n import DEFAULT, LANGUAGES, _
from .load import load_text, read_text
from .parallel import Ahead, completed, cores, workers
from .peers import Figures
from .releases import snapshot_name
from .render import citydata, pdf
from .render.feeds import FeedEntry
from .render.html import DEFAULT_THEME
from .render.opendata import manifest_block, manifest_entries, pack_block, write_manifest
from .sheets import OverviewRow, Sheet
from .site import Site, estate_folders, published_estate
from .write import Patch, Writer, folder_of, link, put

NESTED = tuple(lang for lang in LANGUAGES if lang != DEFAULT)  # languages in a folder of their own
# what a summary is made of, kept as data
for _kind in (EstateSummary, OverviewRow, FeedEntry, Figures):
    state.register(_kind)


@dataclass
class Report:
    """What a build did, for the command line and the benchmark."""

    out: Path
    rendered: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # of those rendered: from the cache
    carried: list[str] = field(default_factory=list)
    files: int = 0
    up_to_date: bool = False
    held: dict[str, list[Diagnostic]] = field(default_factory=dict)  # held back: their errors


# -- prepare: the build's inputs ---------------------------------------------------------------


@dataclass
class Inputs:
    """What this build is made from: the site, the day, each estate's fingerprint, what is held."""

    root: Path
    config: SiteConfig
    as_of: dt.date
    paper: str | None  # the sheets' paper; None: no sheets
    site: str  # site_fingerprint
    engine: str  # pdf.engine(): a sheet's key is this and its HTML's digest
    ids: list[str]
    prints: dict[str, str]  # estate id -> fingerprint of its inputs
    stats: Stats  # what was read to fingerprint them
    held: dict[str, list[Diagnostic]]  # estate id -> the errors that hold it back
    frozen: set[str]  # held back, and not buildable from its releases either

    @property
    def codes(self) -> dict[str, tuple[str, ...]]:
        return {i: tuple(sorted({d.code for d in found})) for i, found in self.held.items()}

    @property
    def releases_only(self) -> frozenset[str]:
        return frozenset(self.held) - self.frozen


def prepare(
    root: Path,
    as_of: dt.date,
    paper: str | None,
    jobs: int,
    with_pdf: bool,
    cache: Cache | None,
    preview: bool,
    strict: bool,
    known: Stats,
    out: Path | None = None,
) -> Inputs:
    """Check the site, and fingerprint each estate's inputs; ``known``: the last build's stats;
    ``out``: the output folder, whose published releases the snapshots must still be."""
    config = require_config(root)
    if preview:
        config = config.model_copy(update={"show_working_copy": True, "preview": True})
    sheet_paper = (paper or config.paper.value) if with_pdf else None
    if with_pdf and not fonts.draws_chinese():  # every sheet would be boxes: the machine's fault
        raise pdf.GlyphError(no_chinese_font())
    ids = [
        folder.name for folder, problem, _estate in estate_folders(root, config) if problem is None
    ]
    held = _held(root, config, as_of, jobs, cache)
    if out is not None and not preview:
        for estate_id, found in rewritten(root, out, config, ids).items():
            held.setdefault(estate_id, []).extend(found)
    if strict and held:
        raise ContentError(held_findings(held))
    frozen = {i for i in ids if i in held and _in_releases(held[i])}
    fonts_digest = fonts.installed_digest()  # fontconfig asked once per build
    site = site_fingerprint(root, config, sheet_paper or "none", fonts_digest)
    stats: Stats = {}
    prints = {
        i: fingerprint(site, i, root / config.content_dir / i, config, i in held, known, stats)
        for i in ids
    }
    engine = pdf.engine(fonts_digest) if with_pdf else ""
    return Inputs(root, config, as_of, sheet_paper, site, engine, ids, prints, stats, held, frozen)


def site_fingerprint(root: Path, config: SiteConfig, paper: str, fonts_digest: str) -> str:
    """Everything every estate's outputs are made from besides the estate itself (not the day:
    each estate's outputs hold for days of their own, see EstateSummary.since/until)."""
    themes = [DEFAULT_THEME, root / "themes" / config.theme, root / "profiles"]
    parts = [
        __version__,
        paper,
        config.model_dump_json(exclude={"cluster"}),  # a preview's are not site.yaml's
        digest_tree([root / "site.yaml", *[t for t in themes if t.exists()]]),
        code_digest(),  # a changed generator renders anew
        fonts_digest,  # other fonts, other sheets (or a missing glyph)
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def fingerprint(
    site: str,
    estate_id: str,
    folder: Path,
    config: SiteConfig,
    releases_only: bool,
    known: Stats,
    seen: Stats,
) -> str:
    """An estate's fingerprint: the site's, its id (its pages name it) and its inputs' digest."""
    files = input_files(folder, _config_of(config, releases_only))
    # shown from its releases alone where the site shows working copies: other pages
    mode = "releases" if releases_only and config.show_working_copy else "as configured"
    digest = content_digest(files, known, seen)
    return hashlib.sha256(f"{site}|{estate_id}|{mode}|{digest}".encode()).hexdigest()


def input_files(folder: Path, config: SiteConfig) -> list[tuple[str, str, os.stat_result]]:
    """The files an estate's outputs are made from (see site.published_estate).

    A published estate, on a site that shows releases only: its snapshots and
    its estate.yaml (for the rule profile's name); else the whole folder.
    """
    releases = list(files_of(folder / "releases"))
    published = any(n.count("/") == 1 and n.endswith(".json") for n, *_size in releases)
    if published and not config.show_working_copy:  # as site.has_releases, from one listing
        return [*files_of(folder / "estate.yaml"), *releases]
    return list(files_of(folder))


# -- plan: what to render, carry, restore, keep online -------------------------------------------


@dataclass(frozen=True)
class Made:
    """What a build made of an estate, as its state remembers it: enough to plan without
    reading the estate."""

    fingerprint: str
    since: dt.date
    until: dt.date

    def holds(self, fingerprint: str, day: dt.date) -> bool:
        return self.fingerprint == fingerprint and self.since <= day < self.until


@dataclass(frozen=True)
class Previous:
    """The build the output folder holds, as its state says (empty: none, or another output)."""

    site: str = ""
    as_of: dt.date | None = None
    made: dict[str, Made] = field(default_factory=dict)  # estate id -> what it made
    held: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sheets: dict[str, tuple[str, Digest]] = field(default_factory=dict)  # path -> (key, digest)
    carried: dict[str, tuple[Any, Digest]] = field(
        default_factory=dict
    )  # site PDFs: inputs, digest
    stats: Stats = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What this build does with each estate. A pure function of fingerprints and state (plan)."""

    carry: list[str]  # unchanged, its span holding the day: its files stay as they are
    render: list[str]  # read and rendered, or taken from the cache if it holds them
    online: list[str]  # held back and not buildable: published again as the last build made it
    in_place: bool  # the output is changed in place (write.Patch), not made anew (write.Writer)
    up_to_date: bool  # nothing to do at all


def plan(inputs: Inputs, previous: Previous, output: bool) -> Plan:
    """Decide, from fingerprints, spans and state alone, what happens to each estate.

    ``output``: the output folder exists. A new site fingerprint (code, theme,
    settings, fonts, paper) renders every estate into a new output.
    """
    same = output and bool(previous.made) and previous.site == inputs.site
    made = previous.made if same else {}
    day = inputs.as_of
    carry = [
        i
        for i in inputs.ids
        if i not in inputs.frozen and i in made and made[i].holds(inputs.prints[i], day)
    ]
    online = [i for i in inputs.ids if i in inputs.frozen and i in previous.made]
    render = [i for i in inputs.ids if i not in carry and i not in inputs.frozen]
    up_to_date = (
        same
        and not render
        and set(carry) | set(online) == set(made)
        and previous.as_of == day
        and previous.held == inputs.codes
    )
    return Plan(carry, render, online, same, up_to_date)


# -- render: the work of each estate and each sheet ---------------------------------------------


@dataclass
class Job:
    """What every worker is told once: where to read, where to stage, what was made before."""

    root: Path
    config: SiteConfig
    out: Path
    staging: Path
    paper: str | None
    as_of: dt.date
    engine: str
    sheets: dict[str, tuple[str, Digest]]  # the previous build's sheets: path -> (key, digest)
    cache: Cache | None
    releases_only: frozenset[str]


_JOB: list[Job] = []


def _init(job: Job) -> None:
    _JOB[:] = [job]


@dataclass
class Done:
    """One estate's work: its summary (None: it could not be made), what to lay out, its problems."""

    estate_id: str
    summary: EstateSummary | None
    layouts: list[Sheet] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    restored: bool = False


def render_one(estate_id: str, fingerprint: str) -> Done:
    """Render one estate into the staging folder, or take it from the cache. An estate that
    cannot be rendered hands back its problem (B001 for an error of the generator's), never
    raises: one estate never stops the others."""
    return guarded(estate_id, lambda written: _render_one(estate_id, fingerprint, written))


def guarded(estate_id: str, work: Callable[[dict[str, Digest]], Done]) -> Done:
    """An estate's work, whose failure is that estate's alone (a full disk stops the build)."""
    written: dict[str, Digest] = {}
    try:
        return work(written)
    except OSError as exc:
        if exc.errno in write.DISK_ERRORS:  # the disk's, not the estate's: the build stops
            raise
        return _dropped(estate_id, written, exc)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this estate's alone
        return _dropped(estate_id, written, exc)


def _render_one(estate_id: str, fingerprint: str, files: dict[str, Digest]) -> Done:
    restored = restore(estate_id, fingerprint)
    if restored is not None:
        return restored
    made = rendered(estate_id)
    if not isinstance(made, Rendered):
        return Done(estate_id, None, problems=made)
    return staged(estate_id, made, files)


def restore(estate_id: str, fingerprint: str) -> Done | None:
    """The estate put together from the cache, if it holds one made from these inputs."""
    job, cache = _JOB[0], _JOB[0].cache
    kept = _restorable(cache, fingerprint, job.as_of) if cache else None
    if cache and kept is not None and cache.place(kept.files, job.staging):
        return Done(estate_id, kept, restored=True)
    return None


def rendered(estate_id: str) -> Rendered | list[Diagnostic]:
    """One estate read and rendered (files in memory), or the errors that stop it."""
    job = _JOB[0]
    folder = job.root / job.config.content_dir / estate_id
    problems: list[Diagnostic] = []
    config = _config_of(job.config, estate_id in job.releases_only)
    loaded = published_estate(folder, folder.relative_to(job.root).as_posix(), problems, config)
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors or loaded.data is None and not loaded.releases:
        return errors or problems
    return render_estate(Site(job.root, config, [loaded]), loaded, job.paper, job.as_of)


def staged(estate_id: str, made: Rendered, files: dict[str, Digest]) -> Done:
    """A rendered estate's files written into the staging folder (and the cache); its sheets
    reused where their key is as before, the others to lay out."""
    for relative, data in made.files.items():
        files[relative] = stage(relative, data)
    summary = made.summary
    layouts = [sheet for sheet in made.sheets if not _reused(sheet, files)]
    summary.files = files
    if not layouts:  # else once they are laid out
        summary.manifest = blocks(files)
    return Done(estate_id, summary, layouts)  # the cache keeps it whole, sheets and all (record)


def _restorable(cache: Cache, fingerprint: str, day: dt.date) -> EstateSummary | None:
    """The cache's summary of an estate made from these inputs, if its span holds the day."""
    packed = cache.estate(fingerprint)
    if packed is None:
        return None
    try:
        kept = state.loads(packed)
    except (ValueError, KeyError, TypeError):
        return None
    return kept if isinstance(kept, EstateSummary) and kept.since <= day < kept.until else None


def _reused(sheet: Sheet, files: dict[str, Digest]) -> bool:
    """Put in place the previous build's sheet, or the cache's, made from the same key."""
    job, cache = _JOB[0], _JOB[0].cache
    key, target = sheet_key(job.engine, sheet.digest), job.staging / sheet.path
    made = job.sheets.get(sheet.path)
    if made is not None and made[0] == key and (job.out / sheet.path).is_file():
        link(job.out / sheet.path, target)
        files[sheet.path] = made[1]
        if cache:
            cache.keep_file(target, made[1][1])
            cache.keep_sheet(key, made[1])
        return True
    digest = cache.sheet(key) if cache else None
    if cache and digest and cache.place({sheet.path: digest}, job.staging):
        files[sheet.path] = digest
        return True
    return False


def _dropped(estate_id: str, written: dict[str, Digest], exc: Exception) -> Done:
    """An estate that could not be rendered: its staged files removed, its problem said."""
    job = _JOB[0]
    for relative in written:  # no file of it may reach the output
        (job.staging / relative).unlink(missing_ok=True)
    return Done(estate_id, None, problems=failure(estate_id, exc))


def failure(estate_id: str, exc: Exception) -> list[Diagnostic]:
    """What stopped an estate's rendering, said as a finding of its folder."""
    job = _JOB[0]
    folder = (job.root / job.config.content_dir / estate_id).relative_to(job.root).as_posix()
    if isinstance(exc, pdf.GlyphError):  # a snapshot's character no font here draws
        return [Diagnostic("T004", Location(folder, 1, 1), chars.shown(str(exc)))]
    return [failed_estate(Location(folder, 1, 1), type(exc).__name__, str(exc))]


def _config_of(config: SiteConfig, releases_only: bool) -> SiteConfig:
    """The site's settings for one estate: a held-back one shows its releases alone."""
    if releases_only and config.show_working_copy:
        return config.model_copy(update={"show_working_copy": False})
    return config


def lay_out(relative: str, html: str, html_digest: str) -> tuple[str, Digest]:
    """Lay out one sheet into the staging folder; a task of its own, so that the sheets
    of one estate, the street overviews and the print files take all the cores.

    The sheet goes into the cache at once, not when the build ends: a build
    that stops short (interrupted, out of time on a CI runner) keeps every
    sheet it laid out, and the next build takes them from there.
    """
    return laid(relative, html_digest, pdf.pdf([pdf.document(html)]))


def laid(relative: str, html_digest: str, data: bytes) -> tuple[str, Digest]:
    """A sheet's PDF staged, and kept in the cache by its key."""
    digest = stage(relative, data)
    job = _JOB[0]
    if job.cache:
        job.cache.keep_sheet(sheet_key(job.engine, html_digest), digest)
    return relative, digest


def sheet_key(engine: str, html_digest: str) -> str:
    """A sheet's key: the PDF engine (pdf.engine) and its HTML's digest (sheets.render_sheets)."""
    return f"{engine}|{html_digest}"


def stage(relative: str, data: bytes) -> Digest:
    """Write a file of this worker's into the staging folder, and keep it in the cache;
    its (size, sha256)."""
    job = _JOB[0]
    target = job.staging / relative
    write.check(relative)  # the path is clean before any byte lands
    put(target, data)
    sha = hashlib.sha256(data).hexdigest()
    if job.cache:
        job.cache.keep_file(target, sha)
    return len(data), sha


def blocks(files: dict[str, Digest]) -> list[tuple[str, str]]:
    """An estate's blocks of manifest.json, a block per top folder."""
    folders: dict[str, dict[str, Digest]] = {}
    for relative, digest in files.items():
        folders.setdefault(folder_of(relative, NESTED), {})[relative] = digest
    return [manifest_block(group) for group in folders.values()]


@dataclass
class Built:
    """What render made of every estate, for publish and record: a brief of each estate
    (build.Brief), its summary in the state (state.Store) once its sheets are in."""

    briefs: dict[str, Brief]
    report: Report
    laying: dict[Future[tuple[str, Digest]], str]  # sheets being laid out -> their estate
    frozen: set[str]  # held back and not published anew (with those B001 added)
    unpublished: tuple[Brief, ...]  # of those, the ones with nothing online
    waiting: dict[str, EstateSummary] = field(default_factory=dict)  # rendered, sheets to come
    made: set[str] = field(default_factory=set)  # the SHA-256 of the files rendered anew
    dropped: set[str] = field(default_factory=set)  # and of those their previous records named


def render(
    inputs: Inputs,
    plan: Plan,
    previous: Previous,
    store: state.Store,
    pool: Executor,
    writer: Writer,
    cache: Cache | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Built:
    """Render (or restore) the estates the plan names; carry the others and keep online
    the held-back ones the last build published. Their sheets start laying out.

    A summary is read, used and let go one estate at a time: the build keeps its brief,
    and the state keeps it (see finish)."""
    report = Report(writer.out, held=inputs.held)
    rendering = completed(pool, render_one, [(i, inputs.prints[i]) for i in plan.render])
    built = Built({}, report, {}, set(inputs.frozen), ())
    lost = []  # carried, but its record is gone or damaged: rendered, never left out
    for estate_id in plan.carry:
        summary = _summary(store, estate_id)
        if summary is None:
            lost.append((estate_id, inputs.prints[estate_id]))
            continue
        writer.keep_estate(estate_id, summary.files)
        built.briefs[estate_id] = summary.brief()
        report.carried.append(estate_id)
    if isinstance(writer, Patch):  # the carried estates' folders stay as they are, unread
        writer.previous = published(writer.out, writer.owners)
    rendering = itertools.chain(rendering, completed(pool, render_one, lost))
    total = len(plan.render) + len(lost)
    for count, finished in enumerate(rendering, start=1):
        done = finished.result()
        if done.summary is None:
            inputs.held.setdefault(done.estate_id, []).extend(done.problems)
            built.frozen.add(done.estate_id)
            continue
        writer.adopt_estate(done.estate_id, done.summary.files)
        report.rendered.append(done.estate_id)
        if done.restored:
            report.restored.append(done.estate_id)
        for sheet in done.layouts:
            laying = pool.submit(lay_out, sheet.path, sheet.html, sheet.digest)
            built.laying[laying] = done.estate_id
        if done.layouts:  # its brief for the site's pages now, again when its sheets are in
            built.waiting[done.estate_id] = done.summary
            built.briefs[done.estate_id] = done.summary.brief()
        else:
            finish(done.summary, done.restored, inputs, plan, previous, store, cache, built)
        done.summary = None  # its future holds it to the end: the brief is what stays
        if progress:
            progress("estates", count, total)
    for estate_id in sorted(built.frozen):
        summary = _summary(store, estate_id) if estate_id in previous.made else None
        if summary is not None and all((writer.out / r).is_file() for r in summary.files):
            writer.keep_estate(estate_id, summary.files)
            built.briefs[estate_id] = summary.brief()
    codes = inputs.codes
    built.unpublished = tuple(
        _unlisted(inputs.root, inputs.config, i, codes[i]).brief()
        for i in sorted(built.frozen - built.briefs.keys())
    )
    built.briefs = dict(sorted(built.briefs.items()))
    report.rendered.sort()
    report.restored.sort()
    report.carried.sort()
    return built


def finish(
    summary: EstateSummary,
    restored: bool,
    inputs: Inputs,
    plan: Plan,
    previous: Previous,
    store: state.Store,
    cache: Cache | None,
    built: Built,
) -> None:
    """A rendered estate whose files are all in (its sheets too): its summary kept in the
    state (no record describes the output until the build's own, see pipeline) and the
    cache, the SHA-256 of its files and of those its previous record named noted for the
    cache, and its brief taken."""
    estate_id = summary.id
    summary.manifest = blocks(summary.files)
    if plan.in_place and cache and estate_id in previous.made:  # read before it is replaced
        built.dropped |= _old_files(store, estate_id)
    store.keep_estate(estate_id, {"summary": summary})
    if cache and not restored:
        cache.keep_estate(inputs.prints[estate_id], state.dumps(summary))
    if plan.in_place:
        built.made |= {sha for _size, sha in summary.files.values()}
    built.briefs[estate_id] = summary.brief()


def published(out: Path, skip: Container[str] = ()) -> dict[str, Digest]:
    """Every file of the output by its manifest (which the state's site record vouches for),
    but those in the top folders ``skip`` names (estates kept whole, see write.Patch).

    Read a megabyte at a time: at 10,000 estates the manifest is 120 MB, and whole
    in json.loads it would be a dict a file of 930,000.
    """
    files: dict[str, Digest] = {}
    sha = hashlib.sha256()
    with (out / paths.MANIFEST).open("rb") as manifest_file:
        for piece in _whole_entries(manifest_file, sha):
            for path, length, digest in manifest_entries(piece):
                if folder_of(path, NESTED) not in skip:
                    files[path] = (length, digest)
        size = manifest_file.tell()
    files[paths.MANIFEST] = (size, sha.hexdigest())
    return files


def _whole_entries(manifest_file: BinaryIO, sha: Any) -> Iterator[bytes]:
    """The manifest's text a megabyte at a time, each piece cut after its last whole entry
    (the rest waits for the next), hashed as it is read."""
    rest = b""
    while chunk := manifest_file.read(1 << 20):
        sha.update(chunk)
        buffer = rest + chunk
        cut = buffer.rfind(b'"},"') + 3  # after the comma that ends an entry
        piece, rest = (buffer[:cut], buffer[cut:]) if cut > 2 else (b"", buffer)
        yield piece
    yield rest


def _old_files(store: state.Store, estate_id: str) -> set[str]:
    """The SHA-256 of the files an estate's record (of the previous build) names."""
    read = store.summary_fields(estate_id, ("files",))
    return {sha for _size, sha in read[0].values()} if read else set()


def _summary(store: state.Store, estate_id: str) -> EstateSummary | None:
    record = store.estate(estate_id)
    summary = record.get("summary") if record else None
    return summary if isinstance(summary, EstateSummary) else None


# -- held back: one estate never blocks the others ---------------------------------------------


def _held(
    root: Path, config: SiteConfig, as_of: dt.date, jobs: int, cache: Cache | None
) -> dict[str, list[Diagnostic]]:
    """The errors ``check`` finds, by the content folder's entry they are in: each such
    estate is held back (an entry that is no estate is not built anyway).

    The check runs in a process of its own (parallel.Ahead), and only its errors come back:
    the index and findings of every estate it reads (80 MiB at 10,000 estates) would stay
    in this process's heap for the rest of the build, as freed but not returned memory.
    """
    content = PurePosixPath((root / config.content_dir).relative_to(root).as_posix())
    held: dict[str, list[Diagnostic]] = {}
    for found in Ahead(_errors, root, as_of, cores(jobs), cache).result():
        path = PurePosixPath(found.location.file)
        if path.is_relative_to(content) and path != content:
            held.setdefault(path.relative_to(content).parts[0], []).append(found)
    return held


def _errors(root: Path, as_of: dt.date, jobs: int, cache: Cache | None) -> list[Diagnostic]:
    """The errors a check of every estate finds."""
    from .checking import check

    return [d for d in check(root, as_of, (), jobs, cache).diagnostics if d.fails()]


def rewritten(
    root: Path, out: Path, config: SiteConfig, estates: list[str]
) -> dict[str, list[Diagnostic]]:
    """R007 for each release the output folder published that its snapshot no longer is: a
    fingerprint other than the one the site shows, or no snapshot at all. Git is the first
    witness (R003, R006); the published site is the last, where git cannot see (a history
    rewritten, a content folder moved with an edit)."""
    found: dict[str, list[Diagnostic]] = {}
    if not (out / paths.MANIFEST).is_file():
        return found  # no site built here yet
    content = root / config.content_dir
    for estate_id in estates:
        folder, published = content / estate_id, out / paths.releases(estate_id)
        if not published.is_dir() or published.is_symlink():
            continue
        for shown in sorted(p for p in published.iterdir() if p.is_dir() and not p.is_symlink()):
            old = _sha256_at_end(out / paths.release_data(paths.release(estate_id, shown.name)))
            if old is None:
                continue
            snapshot = folder / snapshot_name(shown.name)
            new = _sha256_at_end(snapshot)
            if new == old:
                continue
            display = f"{config.content_dir}/{folder.name}/{snapshot_name(shown.name)}"
            message = (
                _(
                    "期次 {id} 已经发布在 {out} 的网站上（指纹 {old}），现在的快照指纹是 {new}：已发布的期次被改写了，这个小区暂停更新。请用 git 恢复原来的快照",
                    id=shown.name, out=out, old=old[:12], new=new[:12],
                )
                if new is not None
                else _(
                    "期次 {id} 已经发布在 {out} 的网站上（指纹 {old}），现在却没有这份快照：已发布的期次不能删除，这个小区暂停更新。请用 git 恢复它",
                    id=shown.name, out=out, old=old[:12],
                )
            )  # fmt: skip
            found.setdefault(folder.name, []).append(
                Diagnostic("R007", Location(display, 1, 1), message)
            )
    return found


_AT_END = re.compile(rb'"sha256": ?"([0-9a-f]{64})"\s*}\s*\Z')


def _sha256_at_end(path: Path) -> str | None:
    """The sha256 a snapshot, or a release's data.json, ends with; None when there is none."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - 120))
            tail = file.read()
    except OSError:
        return None
    match = _AT_END.search(tail)
    return match.group(1).decode() if match else None


def _in_releases(found: list[Diagnostic]) -> bool:
    """Some error is in a snapshot: the estate cannot be built from its releases either."""
    return any(PurePosixPath(d.location.file).parent.name == "releases" for d in found)


def _flagged(brief: Brief, codes: tuple[str, ...] | None) -> Brief:
    """The brief as the overview shows it: a held-back estate marked with its codes."""
    row = brief.overview
    if not codes or row is None:
        return brief
    return dataclasses.replace(brief, overview=dataclasses.replace(row, held=codes))


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


# -- publish: the pages over all estates ---------------------------------------------------------


def publish(
    inputs: Inputs,
    plan: Plan,
    built: Built,
    previous: Previous,
    store: state.Store,
    cache: Cache | None,
    pool: Executor,
    writer: Writer,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, tuple[Any, Digest]]:
    """The site's pages, the street overviews and print files (PDFs only when what they
    are made of changed), and the manifest; the sheets laid out meanwhile are adopted.
    Returns the site's PDFs by path: what each is made of, and its digest."""
    codes = inputs.codes
    shown = [_flagged(s, codes.get(i)) for i, s in built.briefs.items()]
    carried: dict[str, tuple[Any, Digest]] = {}
    making: dict[Future[bytes], tuple[str, Any]] = {}
    with_pdf = inputs.paper is not None

    def carry(made_here: list[SitePdf]) -> None:
        """Keep each PDF the previous build made from equal inputs; make the others."""
        for relative, made_of, make in made_here:
            made = previous.carried.get(relative) if previous.site == inputs.site else None
            key = site_key(inputs.site, relative, made_of)
            if (
                made is not None
                and made[0] == state.encode(made_of)
                and writer.out.joinpath(relative).is_file()
            ):
                writer.keep(relative, made[1])
                carried[relative] = made
            elif cache and (kept := cache.sheet(key)) and (kept_pdf := cache.kept(kept[1])):
                writer.link(relative, kept_pdf, kept)
                carried[relative] = (state.encode(made_of), kept)
            else:
                making[pool.submit(make)] = (relative, made_of)

    def tables(estate_id: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """An estate's CSV lines and tables, for data/: one estate at a time."""
        waiting = built.waiting.get(estate_id)
        read = [waiting.lines, waiting.tables] if waiting else None
        read = read or store.summary_fields(estate_id, ("lines", "tables"))
        if read is None:  # read a moment ago: the state was removed while the build ran
            raise GeneratorError(_("生成过程中 {folder} 被删除了：请重新生成", folder=store.folder))
        return read[0], read[1]

    everyone = [*shown, *built.unpublished]
    if with_pdf:  # while the sheets are laid out
        carry(street_overviews(inputs.root, inputs.config, everyone, inputs.as_of))
    render_site_pages(
        inputs.root, inputs.config, shown, writer.write, inputs.as_of, with_pdf, built.unpublished
    )
    _city_data(city_data(inputs.config, shown, tables), inputs, previous, writer, cache, carried)
    to_lay = collections.Counter(built.laying.values())
    for count, laid in enumerate(as_completed(built.laying), start=1):
        relative, digest = laid.result()
        estate_id = built.laying[laid]
        writer.adopt_estate(estate_id, {relative: digest})
        built.waiting[estate_id].files[relative] = digest
        to_lay[estate_id] -= 1
        if not to_lay[estate_id]:
            done = built.waiting.pop(estate_id)
            finish(done, False, inputs, plan, previous, store, cache, built)
        if progress:
            progress("sheets", count, len(built.laying))
    if with_pdf:
        carry(print_files(list(built.briefs.values()), writer.locate))
    for made_here in as_completed(making):  # written as they come: a print file is megabytes
        relative, made_of = making.pop(made_here)
        writer.write(relative, made_here.result())
        carried[relative] = (state.encode(made_of), writer.digests[relative])
        if cache:
            cache.keep_file(writer.locate(relative), writer.digests[relative][1])
            cache.keep_sheet(site_key(inputs.site, relative, made_of), writer.digests[relative])
    listed = [block for brief in built.briefs.values() for block in brief.packed_manifest]
    listed += [pack_block(manifest_block({p: d})) for p, d in writer.digests.items()]
    writer.stream(paths.MANIFEST, functools.partial(write_manifest, listed))
    return carried


def _city_data(
    data: CityData,
    inputs: Inputs,
    previous: Previous,
    writer: Writer,
    cache: Cache | None,
    carried: dict[str, tuple[Any, Digest]],
) -> None:
    """data/ as the previous build published it when made of the same, else made again."""
    before = {p: made for p, made in previous.carried.items() if p.startswith(citydata.FOLDER)}
    if (
        before
        and previous.site == inputs.site
        and all(
            m == data.made_of and writer.out.joinpath(p).is_file() for p, (m, _d) in before.items()
        )
    ):
        for relative, (made_of, digest) in before.items():
            writer.keep(relative, digest)
            carried[relative] = (made_of, digest)
        return
    with tempfile.TemporaryDirectory(dir=writer.out.parent) as scratch:  # beside the output
        for relative, path in data.make(Path(scratch)).items():
            with path.open("rb") as made:
                digest = (path.stat().st_size, hashlib.file_digest(made, "sha256").hexdigest())
            writer.link(relative, path, digest)
            carried[relative] = (data.made_of, writer.digests[relative])
            if cache:
                cache.keep_file(writer.locate(relative), digest[1])


def site_key(site: str, relative: str, made_of: Any) -> str:
    """A street overview's or print file's key in the cache: what it is made of."""
    return "site|" + hashlib.sha256(state.dumps((site, relative, made_of))).hexdigest()


# -- record: what the next build starts from -----------------------------------------------------


def remembered(store: state.Store) -> Previous:
    """The state of the build the output folder holds (empty when it holds another)."""
    site = store.site()
    if site is None:
        return Previous()
    made = {
        estate_id: Made(fp, since, until)
        for estate_id, (fp, since, until) in site.get("made", {}).items()
    }
    return Previous(
        site=site.get("site", ""),
        as_of=site.get("as_of"),
        made=made,
        held=site.get("held", {}),
        sheets=site.get("sheets", {}),
        carried=site.get("carried", {}),
        stats=site.get("stats", {}),
    )


def record(
    inputs: Inputs,
    plan: Plan,
    built: Built,
    carried: dict[str, tuple[Any, Digest]],
    previous: Previous,
    writer: Writer,
    store: state.Store,
    cache: Cache | None,
) -> Report:
    """Keep what the next build starts from: the records of estates no longer published
    dropped (each rendered one is kept as it is finished), then the site's record (which
    names this output by its manifest); in the cache, drop what is no longer published."""
    briefs, report = built.briefs, built.report
    gone = [i for i in previous.made if i not in briefs]
    if plan.in_place and cache:  # what the cache may drop, read before the records go
        for estate_id in gone:
            built.dropped |= _old_files(store, estate_id)
    for estate_id in set(store.estates()) - briefs.keys():
        store.drop_estate(estate_id)
    made = {
        i: (inputs.prints[i] if i not in built.frozen else "held", s.since, s.until)
        for i, s in briefs.items()
    }
    sheets = {
        path: (sheet_key(inputs.engine, digest), brief.sheet_files[path])
        for brief in briefs.values()
        for path, digest in brief.sheets.items()
        if path in brief.sheet_files
    }
    store.keep_site(
        {
            "site": inputs.site,
            "as_of": inputs.as_of,
            "made": made,
            "held": inputs.codes,
            "sheets": sheets,
            "carried": carried,
            "stats": {**previous.stats, **inputs.stats} if plan.in_place else inputs.stats,
        }
    )
    if cache is not None:
        _remember(
            cache, inputs, plan, built, sheets, carried, previous, writer, [*report.rendered, *gone]
        )
    report.files = writer.files
    return report


def _remember(
    cache: Cache,
    inputs: Inputs,
    plan: Plan,
    built: Built,
    sheets: dict[str, tuple[str, Digest]],
    carried: dict[str, tuple[Any, Digest]],
    previous: Previous,
    writer: Writer,
    replaced: list[str],
) -> None:
    """Drop from the cache what this build no longer publishes (each estate it made went
    in as it was finished, its sheets as they were laid out): after a whole build by
    listing the cache, else from what changed (the estates ``replaced``: rendered or gone)."""
    pdfs = {site_key(inputs.site, r, state.decode(m)): d for r, (m, d) in carried.items()}
    keys = {key for key, _digest in sheets.values()} | pdfs.keys()
    if not plan.in_place:
        for key, digest in pdfs.items():
            cache.keep_sheet(key, digest)
        files = itertools.chain(
            (sha for brief in built.briefs.values() for sha in brief.shas()),
            (sha for _size, sha in writer.digests.values()),
        )
        estates = {inputs.prints[i] for i in built.briefs if i in inputs.prints}
        cache.keep_only(Shas(files), estates, keys)
        return
    old_pdfs = {
        site_key(previous.site, r, state.decode(m)): d for r, (m, d) in previous.carried.items()
    }
    dropped = built.dropped | {sha for key, (_size, sha) in old_pdfs.items() if key not in pdfs}
    new = built.made | {sha for _size, sha in pdfs.values()}
    old_keys = {key for key, _digest in previous.sheets.values()} | old_pdfs.keys()
    old_prints = {previous.made[i].fingerprint for i in replaced if i in previous.made}
    cache.drop(
        dropped - new, old_prints - {inputs.prints.get(i) for i in built.briefs}, old_keys - keys
    )


def output_of(out: Path, plan: Plan) -> Writer:
    """The output's writer: changed in place (Patch) when the plan says so, else made anew."""
    return Patch(out, NESTED) if plan.in_place and out.is_dir() else Writer(out, NESTED)


def state_of(root: Path, out: Path) -> state.Store:
    """The state of a build into ``out``: beside the site's cache, never in the output."""
    return state.Store(root / CACHE_FOLDER, out)


def workers_for(
    inputs: Inputs,
    plan: Plan,
    writer: Writer,
    previous: Previous,
    cache: Cache | None,
    jobs: int,
    remote: Callable[[Job], contextlib.AbstractContextManager[Executor]] | None,
) -> contextlib.AbstractContextManager[Executor]:
    """Where this build's work runs, each worker told the job once: processes here (every
    core with sheets, else no more than there are estates), or ``remote`` (a Dask cluster)."""
    job = Job(
        inputs.root, inputs.config, writer.out, writer.staging, inputs.paper, inputs.as_of,
        inputs.engine, previous.sheets, cache, inputs.releases_only,
    )  # fmt: skip
    if remote is not None:
        return remote(job)
    count = cores(jobs)
    if inputs.paper is None:
        count = min(count, len(plan.render)) or 1
    return workers(count, _init, (job,))


def held_findings(held: dict[str, list[Diagnostic]]) -> list[Diagnostic]:
    """Every error that holds an estate back, in file order."""
    return sorted((d for found in held.values() for d in found), key=Diagnostic.sort_key)
