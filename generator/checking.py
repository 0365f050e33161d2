"""``check``, estate by estate: each estate's findings kept by what they were made from.

An estate's findings are a function of its folder, the site's settings and
rule profiles, the generator and the language of the messages, and of the
day only through its rule profile's deadlines (profiles.valid_between),
and the dates in its data (its comparable figures' lateness counts its
releases alone). So a check keeps them in the cache, by the estate's
fingerprint, with the span of days they hold for; the next check reads and validates only the
estates whose fingerprint changed or whose span the day has left, in
worker processes that hold one estate at a time, and prints exactly what a
check of every estate would.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, fonts, i18n, peers, tree
from .cache import Cache, Indexed
from .config import SiteConfig, load_config
from .content import ACCOUNT_DIRS, SECTION_FILES, glyph_findings
from .errors import Diagnostic, Location, UsageError
from .fingerprint import (
    Walk,
    code_digest,
    data_turns,
    digest_files,
    digest_tree,
    files_of,
    signature,
)
from .history import Added, backdated, witness
from .i18n import _
from .parallel import workers
from .peers import Figures, Flag
from .profiles import ProfileError
from .site import (
    LoadedEstate,
    Site,
    estate_folders,
    estate_profile,
    history_findings,
    profile_check,
    read_estate,
)


@dataclass
class Checked:
    """What a check found, and how much of it was read anew."""

    diagnostics: list[Diagnostic]
    checked: list[str] = field(default_factory=list)  # estates read and validated this time
    kept: list[str] = field(default_factory=list)  # estates whose findings came from the cache
    flags: list[Flag] = field(default_factory=list)  # outliers among every estate (peers.flags)


@dataclass(frozen=True)
class Findings:
    """One estate's findings: those of any day, and those of the days ``since`` to ``until``."""

    always: list[Diagnostic]
    dated: list[Diagnostic]
    since: dt.date
    until: dt.date
    figures: Figures | None = None  # its comparable figures, for the flags across estates

    def holds(self, day: dt.date) -> bool:
        return self.since <= day < self.until

    def as_json(self) -> dict[str, Any]:
        return {
            "always": [_plain(d) for d in self.always],
            "dated": [_plain(d) for d in self.dated],
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "figures": self.figures.as_json() if self.figures else None,
        }

    @classmethod
    def from_json(cls, kept: dict[str, Any], with_figures: bool = True) -> Findings:
        """The findings as_json kept; without their figures unless asked (the flags across
        estates alone read them: 0.025 s of a check that finds nothing changed at 1,000)."""
        figures = kept.get("figures") if with_figures else None
        return cls(
            [_diagnostic(d) for d in kept["always"]],
            [_diagnostic(d) for d in kept["dated"]],
            dt.date.fromisoformat(kept["since"]),
            dt.date.fromisoformat(kept["until"]),
            Figures.from_json(figures) if figures else None,
        )


def _plain(d: Diagnostic) -> list[Any]:
    where = d.location
    return [d.code, where.file, where.line, where.column, d.message, d.summary_zh]


def _diagnostic(kept: list[Any]) -> Diagnostic:
    code, file, line, column, message, summary = kept
    return Diagnostic(code, Location(file, line, column), message, summary)


def check(
    root: Path,
    as_of: dt.date,
    only: Iterable[str] = (),
    jobs: int = 1,
    cache: Cache | None = None,
    progress: Callable[[int, int], None] | None = None,
    with_flags: bool = False,
    walk: Walk | None = None,
) -> Checked:
    """Check the site (or the estates ``only`` names) as of a day; every problem, in file order.

    With a cache, an estate whose findings it holds for this day is not read. ``with_flags``:
    the outliers among every estate too (check's JSON; a build finds its own when it renders).
    ``walk``: the estate folders' signatures, begun before this was imported.
    """
    config, found = load_config(root)
    if config is None:
        return Checked(sorted(found, key=Diagnostic.sort_key))
    ids, problems = _estates(root, config, set(only))
    found += problems
    content = root / config.content_dir
    added: Added = {}  # the order git saw each estate's snapshots added: an input of its findings
    for estate_id in sorted(only) or ["*"]:
        witnessed, order = witness(root, content, estate_id)
        found += witnessed
        added.update(order)
    known = cache.check_index() if cache else {}
    if walk is not None:  # while the walk ends in its process, the validators an estate needs
        _validators_built()
    walked = walk.of(content) if walk is not None else {}
    common = _common(root, config)
    seen: dict[str, tuple[str, str]] = {}  # signature, digest
    prints: dict[str, str] = {}
    checked = Checked([])
    results: dict[str, Findings] = {}
    plain: dict[str, dict[str, Any]] = {}  # as the index keeps them

    def print_of(estate_id: str, contents: tuple[str, str]) -> str:
        """The estate's fingerprint, from its folder's signature and digest."""
        seen[estate_id] = contents
        order = json.dumps(added.get(estate_id, []))
        prints[estate_id] = hashlib.sha256(
            f"{common}|{estate_id}|{contents[1]}|{order}".encode()
        ).hexdigest()
        return prints[estate_id]

    def settled(estate_id: str) -> bool:
        """The estate's fingerprint made; True when the findings kept for it hold today."""
        contents = _contents(content / estate_id, known.get(estate_id), walked.get(estate_id))
        kept = _kept(cache, known.get(estate_id), print_of(estate_id, contents)) if cache else None
        findings = Findings.from_json(kept, with_flags) if kept is not None else None
        if kept is None or findings is None or not findings.holds(as_of):
            return False
        results[estate_id], plain[estate_id] = findings, kept
        checked.kept.append(estate_id)
        return True

    # an estate as the walk found it needs no digest; the others' contents are read and
    # digested as the workers already check the first of them (10,000 estates: 46 s). With
    # nothing kept that a digest could find (no cache, a first check, --full), none is read
    # here: the workers digest what they read (no cache: nothing keeps a digest at all).
    unread = {i for i in ids if known.get(i) is None or walked.get(i) != known[i].signature}
    fresh = not known and (cache is None or not cache.holds_findings())
    todo = [i for i in ids if i not in unread and not settled(i)]
    count = min(jobs, len(todo) + len(unread)) or 1
    job = _Job(
        root,
        config,
        as_of,
        i18n.current(),
        {i: added[i] for i in todo + sorted(unread) if i in added},
    )
    with workers(count, _init, (job,)) as pool:
        futures = [pool.submit(_check_one, estate_id) for estate_id in todo]
        for estate_id in sorted(unread):
            if fresh or not settled(estate_id):
                todo.append(estate_id)
                futures.append(pool.submit(_check_one, estate_id, fresh and cache is not None))
        for done, future in enumerate(as_completed(futures), start=1):
            estate_id, findings, contents = future.result()
            results[estate_id], plain[estate_id] = findings, findings.as_json()
            if contents is not None:
                print_of(estate_id, contents)
            if cache:  # kept at once too: a check stopped midway need not start again
                cache.keep_findings(prints[estate_id], plain[estate_id])
            if progress:
                progress(done, len(todo))
    checked.kept.sort()
    checked.checked = sorted(todo)
    if cache:
        index = {i: Indexed(*seen[i], prints[i], plain[i]) for i in ids}
        cache.keep_check_index(known | index if only else index)
        if not only:
            cache.keep_only_findings()
    for findings in results.values():
        found += findings.always + findings.dated
    checked.diagnostics = sorted(found, key=Diagnostic.sort_key)
    if with_flags and not only:  # among every estate: a few named ones are no street's peers
        every = [f.figures for f in results.values() if f.figures is not None]
        checked.flags = peers.flags(peers.group(every, config.compare))
    return checked


def _contents(folder: Path, known: Indexed | None, walked: str | None) -> tuple[str, str]:
    """The folder's signature and the digest of its contents, read again only when the
    signature is not the one ``known``; ``walked``: its signature, taken a moment ago."""
    if known is not None and walked == known.signature:
        return walked, known.digest
    found = list(files_of(folder))
    mark = signature(found)
    if known is not None and known.signature == mark:
        return mark, known.digest
    return mark, digest_files(sorted(found))


def _kept(cache: Cache, known: Indexed | None, fingerprint: str) -> dict[str, Any] | None:
    """The findings a check kept for this fingerprint (Findings.as_json): from the index,
    else from the file each estate's findings are kept in as it is checked (a check
    stopped midway)."""
    if known is not None and known.fingerprint == fingerprint and known.findings is not None:
        return known.findings
    return cache.findings(fingerprint)


def _estates(root: Path, config: SiteConfig, only: set[str]) -> tuple[list[str], list[Diagnostic]]:
    """The estates to check, and what is wrong with the content folder's entries."""
    ids, problems = [], []
    for folder, problem, estate in estate_folders(root, config):
        if only and folder.name not in only:
            continue
        if problem is not None:
            problems.append(problem)
        if estate:  # an estate with a bad id is still checked
            ids.append(folder.name)
    missing = sorted(only - set(ids))
    if missing:
        raise UsageError(_("内容目录中没有这些小区：{estates}", estates="、".join(missing)))
    return ids, problems


def _common(root: Path, config: SiteConfig) -> str:
    """What every estate's findings are made from besides the estate itself."""
    parts = [
        __version__,
        i18n.current(),
        digest_tree([p for p in (root / "site.yaml", root / "profiles") if p.exists()]),
        code_digest(),
        fonts.installed_digest(),  # the glyph check's findings are the fonts'
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# -- the worker: one estate at a time ----------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    root: Path
    config: SiteConfig
    as_of: dt.date
    language: str
    added: Added = field(default_factory=dict)  # history.witness's, of the estates to check


_JOB: list[_Job] = []


def _init(job: _Job) -> None:
    _JOB[:] = [job]
    i18n.use(job.language)


def _validators_built() -> None:
    """Every file's model made ready to validate (built on first use, see model.base: 50 ms),
    here while this process would wait; workers forked later start with them built."""
    for _key, model in (*SECTION_FILES.values(), *ACCOUNT_DIRS.values()):
        model.model_rebuild()


def _check_one(
    estate_id: str, digest: bool = False
) -> tuple[str, Findings, tuple[str, str] | None]:
    """Read, validate and audit one estate; its findings, and the days they hold for.
    ``digest``: its folder's signature and digest too, the digest of the bytes it read.

    What the files say holds for any day; the audit and the rule profile
    compare the working copy's dates with the day it would be released, so
    their findings hold until the day crosses one of those dates or a
    deadline.

    Python's cycle collector is paused meanwhile: an estate's hundred thousand
    objects live until it is checked, and the collector would walk them again
    and again for garbage it frees by reference counts anyway. Collections
    resume between estates. The folders on the way to its files are entered once each
    (tree.folders_held).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        with tree.folders_held():
            if not digest:
                return (*_check_estate(estate_id), None)
            folder = _JOB[0].root / _JOB[0].config.content_dir / estate_id
            found = sorted(files_of(folder))  # listed first: a later change shows in the next
            with tree.recorded() as read:
                checked = _check_estate(estate_id)
            return (*checked, (signature(found), digest_files(found, read)))
    finally:
        if collecting:
            gc.enable()


def _check_estate(estate_id: str) -> tuple[str, Findings]:
    """_check_one, with the cycle collector paused."""
    job = _JOB[0]
    folder = job.root / job.config.content_dir / estate_id
    always: list[Diagnostic] = []
    display = folder.relative_to(job.root).as_posix()
    estate = read_estate(folder, display, always, job.config)
    always += backdated(estate.releases, job.added.get(estate_id, []), display)
    dated = history_findings(estate, job.as_of)
    always += glyph_findings(estate.source)
    site = Site(job.root, job.config, [estate])
    found, (since, until) = profile_check(site, estate, job.as_of, with_working_copy=True)
    releases = estate.releases
    shown = estate.data if estate.data is not None else (releases[-1].data if releases else None)
    turns = data_turns(shown) if shown is not None else set()  # the figures' fee in force too
    since = max([since, *(d for d in turns if d <= job.as_of)])
    until = min([until, *(d for d in turns if d > job.as_of)])
    return estate_id, Findings(
        always, dated + found, since, until, _figures(site, estate, job.as_of)
    )


def _figures(site: Site, estate: LoadedEstate, day: dt.date) -> Figures | None:
    """The estate's figures from its working copy as of ``day``, its lateness from its
    releases alone; they turn only on its data's dates, as its findings do.

    A statement no release holds yet counts for lateness when it is released: counted as
    if released today, its lateness would grow a day a day, and every estate with next
    period's statements in its working copy would be checked again every night.
    """
    released = [(s.release.date, s.data) for s in estate.releases]
    data = estate.data if estate.data is not None else (released[-1][1] if released else None)
    if data is None:
        return None
    try:
        profile = estate_profile(site, estate)
    except ProfileError:
        return None  # check reports it (K001)
    return peers.estate_figures(estate.id, data, released, profile, day)
