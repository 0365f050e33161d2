"""Builds that wait only on what changed: per-estate fingerprints, hard links, worker processes.

An estate is the unit of work. Its fingerprint covers its own files, the
theme, site.yaml, the paper size, the as-of day and the generator's
version. An estate whose fingerprint is unchanged is neither read nor
rendered: its outputs are hard-linked from the previous build into the new
one, so their bytes and mtimes stay. The pages over all estates (index,
feeds, street overview, combined sheets, sitemap, manifest) are made from
the estates' summaries, kept in the build state, on every build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import __version__, fonts
from .build import EstateSummary, render_estate, render_site_pages
from .config import SiteConfig, require_config
from .errors import ContentError, Diagnostic, Location, Severity
from .i18n import DEFAULT, LANGUAGES
from .model.base import ID_PATTERN
from .pipeline import Site, has_releases, published_estate
from .render.html import DEFAULT_THEME
from .render.opendata import manifest
from .write import Patch, Writer

STATE_VERSION = 3


@dataclass
class State:
    """What the previous build made: a fingerprint and a summary per estate."""

    version: int = STATE_VERSION
    site: str = ""
    estates: dict[str, tuple[str, EstateSummary]] = field(default_factory=dict)
    carried: dict[str, tuple[object, tuple[int, str]]] = field(
        default_factory=dict
    )  # costly site-wide files
    stats: dict[str, tuple[int, int, str]] = field(
        default_factory=dict
    )  # content file: size, mtime, sha256
    site_files: dict[str, tuple[int, str]] = field(default_factory=dict)  # not an estate's

    def files(self) -> dict[str, tuple[int, str]]:
        """Every published file of the build: path -> (size, sha256)."""
        found = dict(self.site_files)
        for _, summary in self.estates.values():
            found.update(summary.files)
        return found


@dataclass
class Report:
    """What a build did, for the command line and the benchmark."""

    rendered: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    files: int = 0
    up_to_date: bool = False


def _digest_tree(paths: list[Path]) -> str:
    """SHA-256 over the names (relative to each given path) and contents of files."""
    sha = hashlib.sha256()
    for path in paths:
        for file in sorted(
            p for p in (path.rglob("*") if path.is_dir() else [path]) if p.is_file()
        ):
            sha.update(file.relative_to(path.parent).as_posix().encode())
            sha.update(hashlib.sha256(file.read_bytes()).digest())
    return sha.hexdigest()


def _content_digest(
    folder: Path, known: dict[str, tuple[int, int, str]], seen: dict[str, tuple[int, int, str]]
) -> str:
    """Like _digest_tree, but a file whose size and mtime are as last time is not read again."""
    sha = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat, key = file.stat(), str(file)
        cached = known.get(key)
        if cached is not None and cached[:2] == (stat.st_size, stat.st_mtime_ns):
            digest = cached[2]
        else:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        seen[key] = (stat.st_size, stat.st_mtime_ns, digest)
        sha.update(file.relative_to(folder.parent).as_posix().encode())
        sha.update(digest.encode())
    return sha.hexdigest()


def _inputs(folder: Path, config: SiteConfig) -> Path:
    """The folder an estate's outputs are made from (see pipeline.published_estate)."""
    if not config.show_working_copy and has_releases(folder):
        return folder / "releases"
    return folder


def site_fingerprint(root: Path, config: SiteConfig, paper: str, as_of: dt.date) -> str:
    """Everything every estate's outputs depend on besides the estate itself."""
    themes = [DEFAULT_THEME, root / "themes" / config.theme, root / "profiles"]
    generator = Path(__file__).resolve().parent
    parts = [
        __version__,
        paper,
        as_of.isoformat(),
        _digest_tree([root / "site.yaml", *[t for t in themes if t.exists()]]),
    ]
    parts.append(_digest_tree([generator]))  # a changed generator renders anew
    parts.append(fonts.installed_digest())  # other fonts, other sheets (or a missing glyph)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


STATE_FILE = ".sunshine-state"  # in the output folder: the state belongs to the build it describes


def load_state(path: Path) -> State:
    try:
        state = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return State()
    return state if isinstance(state, State) and state.version == STATE_VERSION else State()


# -- the worker: one estate, in its own process ------------------------------------------------

_WORKER: dict[str, object] = {}


def _init(root: Path, staging: Path, paper: str | None, as_of: dt.date) -> None:
    _WORKER.update(
        root=root, staging=staging, paper=paper, as_of=as_of, config=require_config(root)
    )


def _build_one(estate_id: str) -> tuple[str, EstateSummary | None, list[Diagnostic]]:
    root, staging = _WORKER["root"], _WORKER["staging"]
    config = _WORKER["config"]
    assert isinstance(root, Path) and isinstance(staging, Path) and isinstance(config, SiteConfig)
    folder = root / config.content_dir / estate_id
    problems: list[Diagnostic] = []
    loaded = published_estate(
        folder, folder.relative_to(root).as_posix(), problems, config.show_working_copy
    )
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors or loaded.data is None and not loaded.releases:
        return estate_id, None, errors or problems
    files: dict[str, tuple[int, str]] = {}

    def write(relative: str, content: bytes) -> None:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        files[relative] = (len(content), hashlib.sha256(content).hexdigest())

    site = Site(root, config, [loaded])
    paper, as_of = _WORKER["paper"], _WORKER["as_of"]
    assert isinstance(paper, str | None) and isinstance(as_of, dt.date)
    summary = render_estate(site, loaded, write, paper, as_of)
    summary.files = files
    return estate_id, summary, []


# -- the orchestrator -------------------------------------------------------------------------


def estate_ids(root: Path, config: SiteConfig) -> tuple[list[str], list[Diagnostic]]:
    content = root / config.content_dir
    ids, problems = [], []
    for folder in sorted(content.iterdir()):
        if folder.name.startswith((".", "_")) or folder.is_file() and folder.suffix == ".md":
            continue
        if not folder.is_dir() or not ID_PATTERN.match(folder.name):
            problems.append(
                Diagnostic(
                    "L006" if not folder.is_dir() else "I001",
                    Location(folder.relative_to(root).as_posix(), 1, 1),
                    "not an estate folder with a URL-safe id",
                )
            )
            continue
        ids.append(folder.name)
    return ids, problems


def build(
    root: Path,
    out: Path,
    paper: str | None,
    as_of: dt.date,
    jobs: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    with_pdf: bool = True,
) -> Report:
    """Build the site into ``out``, rendering only estates whose inputs changed."""
    config = require_config(root)
    sheet_paper = (paper or config.paper.value) if with_pdf else None
    paper = sheet_paper or "none"
    ids, problems = estate_ids(root, config)
    if problems:
        raise ContentError(problems)
    previous = load_state(out / STATE_FILE)
    stats: dict[str, tuple[int, int, str]] = {}
    site_fp = site_fingerprint(root, config, paper, as_of)
    prints = {
        i: hashlib.sha256(
            (
                site_fp
                + _content_digest(
                    _inputs(root / config.content_dir / i, config), previous.stats, stats
                )
            ).encode()
        ).hexdigest()
        for i in ids
    }
    unchanged = {i for i in ids if i in previous.estates and previous.estates[i][0] == prints[i]}
    if out.exists() and previous.site == site_fp and unchanged == set(ids) == set(previous.estates):
        return Report(carried=sorted(ids), up_to_date=True)
    report = Report()
    in_place = out.is_dir() and previous.site == site_fp and bool(previous.estates)
    writer = (
        Patch(out, previous.files(), tuple(lang for lang in LANGUAGES if lang != DEFAULT))
        if in_place
        else Writer(out)
    )  # a new site fingerprint renders every estate: the whole output is new
    with writer:
        summaries: dict[str, EstateSummary] = {}
        for estate_id in sorted(unchanged):
            summary = previous.estates[estate_id][1]
            for relative, digest in summary.files.items():
                writer.keep(relative, digest)
            summaries[estate_id] = summary
            report.carried.append(estate_id)
        todo = [i for i in ids if i not in unchanged]
        errors: list[Diagnostic] = []
        for done, (estate_id, made, found) in enumerate(
            _run(root, writer.staging, sheet_paper, as_of, todo, jobs), start=1
        ):
            if made is None:
                errors += found
            else:
                summaries[estate_id] = made
                report.rendered.append(estate_id)
                for relative, digest in made.files.items():
                    writer.adopt(relative, digest)
            if progress:
                progress("estates", done, len(todo))
        if errors:
            raise ContentError(sorted(errors, key=Diagnostic.sort_key))
        carried: dict[str, tuple[object, tuple[int, str]]] = {}

        def carry(relative: str, inputs: object, make: Callable[[], bytes]) -> None:
            before = previous.carried.get(relative)
            if before is not None and before[0] == inputs and previous.site == site_fp:
                writer.keep(relative, before[1])
            else:
                writer.write(relative, make())
            carried[relative] = (inputs, writer.digests[relative])

        render_site_pages(
            root,
            config,
            list(summaries.values()),
            writer.write,
            writer.read,
            as_of,
            carry,
            with_pdf,
        )
        writer.write("manifest.json", manifest(writer.digests))
        report.files = len(writer.digests)
        state = State(
            site=site_fp,
            estates={i: (prints[i], summaries[i]) for i in summaries},
            carried=carried,
            stats=stats,
            site_files={
                p: d for p, d in writer.digests.items() if p not in _estate_files(summaries)
            },
        )
        saved = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        (out / STATE_FILE).unlink(missing_ok=True)  # no state may describe a half-changed output
    state_file = out / f"{STATE_FILE}.new"
    state_file.write_bytes(saved)
    os.replace(state_file, out / STATE_FILE)
    return report


def _estate_files(summaries: dict[str, EstateSummary]) -> set[str]:
    return {p for s in summaries.values() for p in s.files}


def _run(
    root: Path, staging: Path, paper: str | None, as_of: dt.date, todo: list[str], jobs: int
) -> Iterator[tuple[str, EstateSummary | None, list[Diagnostic]]]:
    workers = min(jobs or os.cpu_count() or 1, max(1, len(todo)))
    if workers <= 1 or sys.platform == "win32":
        _init(root, staging, paper, as_of)
        yield from map(_build_one, todo)
        return
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context("fork"),
        initializer=_init,
        initargs=(root, staging, paper, as_of),
    ) as pool:
        yield from pool.map(_build_one, todo, chunksize=max(1, len(todo) // (workers * 8)))
