"""The commands' stages in order: check, diff, release and build, each over the loaded site (site.py)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from pathlib import Path

from .cache import Cache
from .checking import check as check_estates
from .clock import today
from .config import load_config, require_config
from .content import glyph_findings
from .errors import ContentError, Diagnostic, Severity, UsageError
from .history import WORKING_COPY, Step, compare, git_witness
from .i18n import _
from .incremental import (
    Job,
    Report,
    held_findings,
    output_of,
    plan,
    prepare,
    publish,
    record,
    remembered,
    render,
    state_of,
    workers_for,
)
from .model import EstateData
from .model.base import ID_PATTERN
from .model.estate import CommitteeKind
from .model.notices import Release, SignerRole
from .releases import snapshot_name, write_snapshot
from .site import (
    LoadedEstate,
    Site,
    attachment_digests,
    audit_estate,
    estate_profile,
    estate_sides,
    estate_steps,
    is_estate,
    load_site,
    no_estate,
    read_estate,
)
from .write import replaceable, unwritable

# what the commands use of the loaded site, here beside the stages that use it
__all__ = [
    "LoadedEstate",
    "Report",
    "Site",
    "build",
    "check",
    "diff_data",
    "estate_profile",
    "estate_sides",
    "estate_steps",
    "load_site",
    "release",
    "signers",
]


def check(root: Path, as_of: dt.date | None = None) -> list[Diagnostic]:
    """Validate the whole site, its history and its rule profiles; every problem, in file order.

    Each estate's working copy is audited as the release it would be if
    released that day: what ``release`` would refuse, ``check`` reports first.
    (checking.check does the same estate by estate, in workers, with a cache.)
    """
    return check_estates(root, as_of or today()).diagnostics


def diff_data(
    root: Path, estate_id: str, old_id: str, new_id: str
) -> tuple[Step, EstateData, EstateData]:
    """Compare two releases of an estate (``current`` names the working copy)."""
    site = load_site(root)
    estate = next((e for e in site.estates if e.id == estate_id), None)
    if estate is None:
        raise UsageError(no_estate(root, estate_id))
    sides = {(s.release.id if s.release else WORKING_COPY): s for s in estate_sides(estate, True)}
    for wanted in (old_id, new_id):
        if wanted not in sides:
            raise UsageError(
                _(
                    "小区“{estate}”没有期次“{wanted}”；可用的有：{known}（current 表示正在编辑的工作副本）",
                    estate=estate_id,
                    wanted=wanted,
                    known=_("、").join(sides),
                )
            )
    return compare(sides[old_id], sides[new_id]), sides[old_id].data, sides[new_id].data


def release(
    root: Path,
    estate_id: str,
    release_date: dt.date,
    release_id: str,
    posting: tuple[dt.date, dt.date],
    warned: list[Diagnostic] | None = None,
    dry_run: bool = False,
) -> Path:
    """Freeze an estate's working copy as a new release; refuse errors, findings and existing ids.
    ``dry_run``: everything but the writing; the path the snapshot would have.

    The working copy is audited as this release: against every release
    before it and against its rule profile on ``release_date``. Any error
    refuses the release, and nothing is written; the warnings and notes
    found go into ``warned``. The snapshot names the release before it and
    the digest of each attachment, so that neither can change unseen.
    """
    config, own = load_config(root)  # only this estate is read: a city has thousands
    folder = root / (config.content_dir if config else "content") / estate_id
    if config is not None and (not ID_PATTERN.match(estate_id) or not is_estate(folder)):
        raise UsageError(no_estate(root, estate_id))
    if not ID_PATTERN.match(release_id):
        raise UsageError(
            _(
                "期次编号“{id}”不能用：只用小写字母 a-z、数字 0-9 和 -，例如 2025-q3",
                id=release_id,
            )
        )
    if posting[1] < posting[0]:
        raise UsageError(
            _(
                "公示期的最后一天 {end} 早于第一天 {start}：请检查 --posting-from 和 --posting-to",
                end=posting[1],
                start=posting[0],
            )
        )
    if config is None:
        raise ContentError(sorted(own, key=Diagnostic.sort_key))
    site = Site(root, config)
    estate = read_estate(folder, folder.relative_to(root).as_posix(), own, config)
    if any(r.release.id == release_id for r in estate.releases):
        raise UsageError(
            _(
                "小区“{estate}”的期次“{id}”已经存在：已发布的期次不能替换，新的一期请用新的编号",
                estate=estate_id,
                id=release_id,
            )
        )
    _in_order(estate, release_date, posting)
    found = own + git_witness(root, root / config.content_dir, estate_id)
    if estate.data is not None:
        found += audit_estate(site, estate, release_date, posting, release_id)
        found += glyph_findings(estate.source)
    refused = [d for d in found if d.severity is Severity.ERROR]
    if refused or estate.data is None:
        raise ContentError(sorted(refused or found, key=Diagnostic.sort_key))
    if warned is not None:
        warned += sorted(found, key=Diagnostic.sort_key)
    latest = estate.releases[-1] if estate.releases else None
    meta = Release.model_validate(
        {
            "id": release_id,
            "date": release_date,
            "posting": {"from": posting[0], "to": posting[1]},
            "signers": signers(estate.data),
            "previous": {"id": latest.release.id, "sha256": latest.sha256} if latest else None,
            "attachments": attachment_digests(estate.source.folder, estate.data),
        }
    )
    if dry_run:
        return estate.source.folder / snapshot_name(release_id)
    return write_snapshot(estate.source.folder, meta, estate.data)


def _in_order(estate: LoadedEstate, day: dt.date, posting: tuple[dt.date, dt.date]) -> None:
    """A release comes after the one before it, and is posted from the day it is published."""
    latest = estate.releases[-1].release if estate.releases else None
    if latest is not None and day < latest.date:
        raise UsageError(
            _(
                "发布日期 {day} 早于上一期 {id} 的发布日期 {latest}：新的一期不能排在已发布的期次之前",
                day=day,
                id=latest.id,
                latest=latest.date,
            )
        )
    if posting[0] < day:
        raise UsageError(
            _(
                "公示期从 {start} 开始，早于发布日期 {day}：公示期从发布那天起算，请检查 --posting-from",
                start=posting[0],
                day=day,
            )
        )


def signers(data: EstateData) -> list[dict[str, str]]:
    """Who signs a release: the firm, and the committee where there is one."""
    out = [{"role": SignerRole.FIRM, "name": data.estate.firm.name}]
    committee = data.estate.committee
    if committee is not None:
        role = (
            SignerRole.OWNERS_COMMITTEE
            if committee.kind is CommitteeKind.OWNERS
            else SignerRole.MANAGEMENT_COMMITTEE
        )
        out.append({"role": role, "name": committee.name})
    return out


def build(
    root: Path,
    out: Path | None = None,
    paper: str | None = None,
    as_of: dt.date | None = None,
    jobs: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    with_pdf: bool = True,
    cache: Cache | None = None,
    preview: bool = False,
    strict: bool = False,
    cluster: str | None = None,
) -> Report:
    """Check the site, then render into ``out`` (build/ by default) what changed since the
    build it holds; ``cli build``, ``serve`` and the benchmark all build through here.

    An estate with errors is held back (its last published pages stay online,
    the street overview marks it); under ``strict`` nothing is built. A preview
    shows every working copy, each page marked as a draft (serve.py). Work runs
    in worker processes here, or on the Dask cluster at ``cluster``. The output
    changes all at once when the build ends, or not at all (write.py); a full
    disk or an unwritable output is an OutputError in one line.
    """
    target = out if out is not None else root / "build"
    replaceable(target, root, root / require_config(root).content_dir)  # before anything runs
    try:
        return _build(
            root, target, paper, as_of or today(), jobs, progress, with_pdf, cache, preview,
            strict, cluster,
        )  # fmt: skip
    except OSError as exc:
        raise unwritable(exc, target) from None


def on_cluster(address: str | None) -> Callable[[Job], AbstractContextManager[Executor]] | None:
    """The Dask cluster at ``address`` as the build's workers, or None to work here."""
    if not address:
        return None
    try:
        from . import cluster
    except ImportError:  # distributed is an extra: a site built on one machine needs none of it
        raise UsageError(
            _("在集群上生成需要 Dask：pip install 'sunshine[cluster]'（见 docs/cluster.md）")
        ) from None
    return functools.partial(cluster.on_cluster, address)


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
    cluster: str | None,
) -> Report:
    store = state_of(root, out)
    previous = remembered(store)  # the build the output holds, as its state says
    inputs = prepare(
        root, as_of, paper, jobs, with_pdf, cache, preview, strict, previous.stats, out
    )
    todo = plan(inputs, previous, out.exists())
    if todo.up_to_date:
        return Report(out, carried=todo.carry, up_to_date=True, held=inputs.held)
    writer = output_of(out, todo)
    store.forget()  # from here until recorded, no state describes the output
    remote = on_cluster(cluster or inputs.config.cluster)
    with writer, workers_for(inputs, todo, writer, previous, cache, jobs, remote) as pool:
        built = render(inputs, todo, previous, store, pool, writer, cache, progress)
        if strict and built.frozen - inputs.frozen:  # an estate that failed to render
            raise ContentError(held_findings(inputs.held))
        carried = publish(inputs, todo, built, previous, store, cache, pool, writer, progress)
    return record(inputs, todo, built, carried, previous, writer, store, cache)
