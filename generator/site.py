"""The loaded site: its estates, each with its working copy and releases, audited as of a day.

What every command reads before it does its own work: ``check`` validates
and audits it, ``build`` renders it, ``release`` freezes one estate of it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import tree
from .audit import Side
from .config import SiteConfig, load_config
from .content import EstateSource, load_estate
from .errors import Diagnostic, Location
from .history import WORKING_COPY, Step, snapshot_side, steps, working_locator
from .i18n import _
from .load import link_message, read_text
from .model import EstateData, Snapshot
from .model.base import ID_PATTERN, id_example
from .paths import SITE_FOLDERS
from .profiles import (
    ProfileError,
    Published,
    RuleProfile,
    evaluate,
    load_profile,
    valid_between,
)
from .releases import load_releases
from .validate import validate


@dataclass
class LoadedEstate:
    id: str
    data: EstateData | None
    source: EstateSource
    releases: list[Snapshot]
    rule_profile: str | None = None  # the working copy's setting, where its data was not loaded


@dataclass
class Site:
    root: Path
    config: SiteConfig | None
    estates: list[LoadedEstate] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_site(root: Path) -> Site:
    """Load site.yaml and every estate with its releases; gather every problem."""
    config, problems = load_config(root)
    site = Site(root, config, diagnostics=problems)
    if config is None:
        return site
    for folder, problem, estate in estate_folders(root, config):
        if problem is not None:
            site.diagnostics.append(problem)
        if estate:  # an estate with a bad id is still checked
            display = folder.relative_to(root).as_posix()
            site.estates.append(read_estate(folder, display, site.diagnostics, config))
    return site


def is_estate(folder: Path) -> bool:
    """A folder of the content folder, not a link to one: an estate to read."""
    return folder.is_dir() and not folder.is_symlink()


def estate_folders(
    root: Path, config: SiteConfig
) -> Iterator[tuple[Path, Diagnostic | None, bool]]:
    """Each entry of the content folder that should be an estate, with what is wrong with it,
    and whether it is an estate to read (is_estate). The entries' kinds from one scandir, not
    a stat of each (a content folder of 10,000 estates)."""
    with os.scandir(root / config.content_dir) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    for entry in entries:
        folder, name = Path(entry.path), entry.name
        display = f"{config.content_dir}/{name}"  # a plain relative folder (model.base._folder)
        real = entry.is_dir(follow_symlinks=False)
        if entry.is_symlink() or not (real or entry.is_file(follow_symlinks=False)):
            yield folder, Diagnostic("L008", Location(display, 1, 1), link_message(True)), False
            continue
        if name.startswith((".", "_")) or (not real and name.endswith(".md")):
            continue
        if not real:
            message = _(
                "这个文件没有读取：内容目录里只放小区目录（每个小区一个），说明文字可以写成 .md 文件"
            )
            yield folder, Diagnostic("L006", Location(display, 1, 1), message), False
        elif not ID_PATTERN.match(folder.name):
            message = _(
                "小区目录名“{name}”不能作编号：只用小写字母 a-z、数字 0-9 和 -，例如 {example}",
                name=folder.name,
                example=id_example(folder.name),
            )
            yield folder, Diagnostic("I001", Location(display, 1, 1), message), True
        elif folder.name in SITE_FOLDERS:
            taken = ", ".join(f"{name}/" for name in sorted(SITE_FOLDERS))
            message = _(
                "小区编号“{name}”与网站自己的目录重名（{taken}）：请换一个小区编号",
                name=folder.name,
                taken=taken,
            )
            yield folder, Diagnostic("I002", Location(display, 1, 1), message), True
        else:
            yield folder, None, True


def read_estate(
    folder: Path, display: str, problems: list[Diagnostic], config: SiteConfig
) -> LoadedEstate:
    loaded = load_estate(folder, display, config.limits.bounds())
    problems += loaded.problems
    if loaded.data is not None:
        problems += validate(loaded.data, loaded.source, loaded.complete)
    releases, found = load_releases(folder, display, config.limits.snapshot_bounds())
    problems += found
    data = loaded.data if loaded.complete else None
    return LoadedEstate(folder.name, data, loaded.source, releases)


def published_estate(
    folder: Path, display: str, problems: list[Diagnostic], config: SiteConfig
) -> LoadedEstate:
    """What a build of the estate shows: its snapshots, and its YAML only where it is shown.

    An estate with a release, on a site that does not show working copies,
    is built from its snapshots alone: JSON, checked when it was released,
    read many times faster than the YAML. Its working copy may be half
    edited; ``check`` reports that, and the site does not show it.
    """
    if not config.show_working_copy and has_releases(folder):
        releases, found = load_releases(folder, display, config.limits.snapshot_bounds())
        if releases or found:
            problems += found
            source = EstateSource(folder, display)
            named = _rule_profile(folder, display, config)
            return LoadedEstate(folder.name, None, source, releases, named)
    return read_estate(folder, display, problems, config)


def _rule_profile(folder: Path, display: str, config: SiteConfig) -> str | None:
    """The rule profile estate.yaml names: a setting, not part of what a release discloses.

    Read without marks or checks, within the bounds and through no link; a
    broken file names none, and ``check`` reports it.
    """
    text, _problems = read_text(
        folder / "estate.yaml", f"{display}/estate.yaml", config.limits.bounds()
    )
    try:
        raw = yaml.load(text or "", Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    named = raw.get("rule_profile") if isinstance(raw, dict) else None
    return named if isinstance(named, str) else None


def has_releases(folder: Path) -> bool:
    if (folder / "releases").is_symlink():
        return False
    try:
        with os.scandir(folder / "releases") as entries:
            return any(
                e.name.endswith(".json") and e.is_file(follow_symlinks=False) for e in entries
            )
    except (FileNotFoundError, NotADirectoryError):
        return False


def audit_estate(
    site: Site,
    estate: LoadedEstate,
    day: dt.date,
    posting: tuple[dt.date, dt.date] | None = None,
    named: str = WORKING_COPY,
) -> list[Diagnostic]:
    """An estate's history audited step by step, its working copy last as the release of ``day``
    (``named``: the id it is about to be released as)."""
    found = history_findings(estate, day)
    found += profile_check(site, estate, day, True, True, posting, named)[0]
    return found


def history_findings(estate: LoadedEstate, day: dt.date) -> list[Diagnostic]:
    """What the audit finds between each release and the next, the working copy last as of ``day``."""
    sides = estate_sides(estate, with_working_copy=True, as_of=day)
    first = not estate.releases and estate.data is not None  # the first release is being made
    found = [f for step in steps(sides, first=first) for f in step.findings]
    return found + list(_attachments_replaced(estate))


def _attachments_replaced(estate: LoadedEstate) -> Iterator[Diagnostic]:
    """H008: an attachment file the latest release published, replaced or removed since."""
    if not estate.releases:
        return
    published = estate.releases[-1].release
    for name, sha in published.attachments.items():
        now = tree.sha256(estate.source.folder / name, len(Path(name).parts))  # through no link
        if now != sha:
            message = _(
                "附件 {name} 已在 {day} 发布的期次 {release} 中公示（内容哈希 {sha}…），现在{what}。已公示的附件不能替换；新的文件请用新的文件名，并在补充协议中说明",
                name=name,
                day=published.date,
                release=published.id,
                sha=sha[:12],
                what=_("被删除了") if now is None else _("内容变了"),
            )
            yield Diagnostic("H008", Location(f"{estate.source.display}/{name}", 1, 1), message)


def estate_profile(site: Site, estate: LoadedEstate) -> RuleProfile:
    """The rule profile an estate falls under: its own, else the site's."""
    assert site.config is not None
    # a setting, not disclosure: the working copy's, else the latest release's, else the site's
    if estate.data is not None:
        name = estate.data.estate.rule_profile
    else:
        name = estate.rule_profile or (
            estate.releases[-1].data.estate.rule_profile if estate.releases else None
        )
    name = name or site.config.rule_profile
    return load_profile(name, site.root)


def profile_findings(
    site: Site,
    estate: LoadedEstate,
    as_of: dt.date,
    exact: bool = True,
    with_working_copy: bool = False,
    posting: tuple[dt.date, dt.date] | None = None,
) -> list[Diagnostic]:
    """What the estate's rule profile requires and its published releases do not meet, as of a day.

    ``with_working_copy`` adds the working copy as the release of ``as_of``
    (posted over ``posting``, when known); ``exact=False`` places findings in
    their file only (see history.snapshot_side).
    """
    return profile_check(site, estate, as_of, exact, with_working_copy, posting)[0]


def profile_check(
    site: Site,
    estate: LoadedEstate,
    as_of: dt.date,
    exact: bool = True,
    with_working_copy: bool = False,
    posting: tuple[dt.date, dt.date] | None = None,
    named: str = WORKING_COPY,
) -> tuple[list[Diagnostic], tuple[dt.date, dt.date]]:
    """profile_findings, and the span of days over which they hold (profiles.valid_between);
    ``named``: the working copy's release id, when it is about to be released."""
    try:
        profile = estate_profile(site, estate)
    except ProfileError as exc:
        where = estate.source.at(("estate",), ("rule_profile",))
        return [Diagnostic("K001", where, str(exc))], (dt.date.min, dt.date.max)
    published = [
        Published(
            s.data,
            s.release.id,
            s.release.date,
            (s.release.posting.start, s.release.posting.end),
            snapshot_side(s, estate.source, exact).locate,
        )
        for s in estate.releases
    ]
    if with_working_copy and estate.data is not None:
        locate = working_locator(estate.source)
        published.append(Published(estate.data, named, as_of, posting, locate))
    found = evaluate(profile, published, as_of, estate.source.at(("estate",)))
    return found, valid_between(profile, published, as_of)


def estate_sides(
    estate: LoadedEstate,
    with_working_copy: bool = False,
    exact: bool = True,
    as_of: dt.date = dt.date.max,
) -> list[Side]:
    """The estate at each release, oldest first, and optionally its working copy last.

    The working copy is the release it would be on ``as_of``.
    """
    sides = [snapshot_side(s, estate.source, exact) for s in estate.releases]
    if with_working_copy and estate.data is not None:
        sides.append(Side(estate.data, None, working_locator(estate.source), as_of))
    return sides


def estate_steps(estate: LoadedEstate, with_working_copy: bool = False) -> list[Step]:
    """Diff and audit each consecutive pair of the estate's releases (the working copy last)."""
    return list(steps(estate_sides(estate, with_working_copy)))


def attachment_digests(folder: Path, data: EstateData) -> dict[str, str]:
    """The SHA-256 of each contract's attachment file, by its path in the estate's folder."""
    digests: dict[str, str] = {}
    for contract in data.contracts.contracts if data.contracts else []:
        name = contract.attachment
        digest = tree.sha256(folder / name, len(Path(name).parts)) if name else None
        if name and digest is not None:
            digests[name] = digest
    return dict(sorted(digests.items()))


def no_estate(root: Path, estate_id: str) -> str:
    """No such estate: the ones there are, and the nearest."""
    config, _problems = load_config(root)
    folder = root / (config.content_dir if config else "content")
    known = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    close = difflib.get_close_matches(estate_id, known, n=1)
    hint = _("，是不是“{close}”？", close=close[0]) if close else ""
    return _(
        "内容目录里没有小区“{estate}”{hint}现有的小区：{known}",
        estate=estate_id,
        hint=hint or _("。"),
        known=_("、").join(known) or _("（还没有，用 sunshine new 新建）"),
    )
