"""An estate's history: its releases side by side, and git as a second witness to them."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .audit import Audit, Locator, Side, Thresholds, audit
from .content import ACCOUNT_DIRS, MARKDOWN_FILES, SECTION_FILES, EstateSource
from .diff import Change
from .errors import Diagnostic, Location
from .i18n import _
from .load import SNAPSHOT_BOUNDS, Located, load_file
from .model import Snapshot
from .model.notices import Correction

WORKING_COPY = "current"
SECTIONS = frozenset(key for key, _model in SECTION_FILES.values())


def snapshot_locator(path: Path, display: str) -> Locator:
    """Locate a data path inside a snapshot; the JSON is read for lines only when asked."""

    @cache
    def located() -> Located:
        return load_file(path, display, SNAPSHOT_BOUNDS)[0]

    def locate(at: tuple[str | int, ...]) -> Location:
        found = located()
        if at and at[0] == "__release__":  # profiles.RELEASE: the release's own metadata
            return found.where(("release", *at[1:]))
        return found.where(("data", *at))

    return locate


def working_locator(source: EstateSource) -> Locator:
    """Locate a data path in the estate's YAML files."""

    def locate(at: tuple[str | int, ...]) -> Location:
        if not at:  # the estate as a whole
            return source.at(("estate",))
        head = str(at[0])
        if head == "accounts" and len(at) >= 3:
            return source.at(("accounts", str(at[1]), str(at[2])), at[3:])
        if head == "accounts" and len(at) == 2:  # a statement to add: its folder
            folder = next((d for d, (name, _m) in ACCOUNT_DIRS.items() if name == at[1]), "")
            return Location(f"{source.display}/accounts/{folder}/", 1, 1)
        if head in MARKDOWN_FILES and len(at) >= 2:
            return source.at((head, str(at[1])), at[2:])
        if head in SECTIONS:
            return source.at((head,), at[1:])
        return Location(source.display, 1, 1)

    return locate


def snapshot_side(snapshot: Snapshot, source: EstateSource, exact: bool = True) -> Side:
    """A release as one side of a diff; ``exact=False`` locates findings by file only.

    The outputs never print where a finding is, and finding the line means
    reading the snapshot again with marks, the slowest step of a build.
    """
    path = source.folder / "releases" / f"{snapshot.release.id}.json"
    display = f"{source.display}/releases/{path.name}"
    if exact:
        return Side(snapshot.data, snapshot.release, snapshot_locator(path, display))
    return Side(snapshot.data, snapshot.release, lambda at: Location(display, 1, 1))


@dataclass(frozen=True)
class Step:
    """What changed from one release to the next, what the audit found, and what corrections put right."""

    old_id: str | None  # None: the step into the estate's first release
    new_id: str
    changes: list[Change]
    findings: list[Diagnostic]
    corrected: list[tuple[Change, Correction]] = field(default_factory=list)


def side_id(side: Side) -> str:
    return side.release.id if side.release else WORKING_COPY


def compare(old: Side | None, new: Side, limits: Thresholds | None = None) -> Step:
    """Diff two sides and audit the difference, put right by the newer side's corrections."""
    run = Audit(old, new, limits or Thresholds())
    findings = audit(run)
    return Step(side_id(old) if old else None, side_id(new), run.changes, findings, run.corrected)


def steps(
    sides: list[Side], limits: Thresholds | None = None, first: bool = False
) -> Iterator[Step]:
    """Consecutive pairs of an estate's sides, oldest first; ``first`` adds the step into the first."""
    if first and sides:
        yield compare(None, sides[0], limits)
    for old, new in zip(sides, sides[1:], strict=False):
        yield compare(old, new, limits)


def git_witness(root: Path, content: Path, estate: str = "*") -> list[Diagnostic]:
    """R003 for each snapshot changed after the commit that added it; R004 when git cannot tell.

    ``estate`` narrows the look to one estate's snapshots.
    """
    return witness(root, content, estate)[0]


Added = dict[
    str, list[list[str]]
]  # estate -> its snapshots' release ids, by the commit adding them


def witness(root: Path, content: Path, estate: str = "*") -> tuple[list[Diagnostic], Added]:
    """git_witness, and the order in which git saw each estate's snapshots added: release
    ids grouped by the commit that added them, oldest first (a release added after a later
    one was is backdated: checking.backdated)."""
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        message = _(
            "这里不是 git 仓库：没有核对期次快照在提交后是否被改动（用 git 保存内容即可启用这项核对）"
        )
        return [
            Diagnostic("R004", Location(content.relative_to(root).as_posix(), 1, 1), message)
        ], {}
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        message = _(
            "这是浅克隆：没有核对期次快照在提交后是否被改动（运行 git fetch --unshallow 后即可核对）"
        )
        return [
            Diagnostic("R004", Location(content.relative_to(root).as_posix(), 1, 1), message)
        ], {}
    top = Path(_git(root, "rev-parse", "--show-toplevel") or root)
    pattern = f"{content.resolve().relative_to(top.resolve()).as_posix()}/{estate}/releases/*.json"
    # -c: a merge lists what it changed itself, in none of its parents (an edit made while
    # merging); a merge that takes one side's file as it is lists nothing
    log = (
        _git(top, "log", "-c", "--format=commit %H", "--name-status", "--no-renames", "--", pattern)
        or ""
    )
    touched, order = _touched(log)
    found = [
        *_edited_after_commit(root, top, touched),
        *_edited_uncommitted(root, top, pattern),
        *_unwatched(root, top, pattern),
    ]
    return found, _added(touched, order)


Touched = dict[str, list[tuple[str, str]]]  # path -> [(status letter, commit)], newest first


def _touched(log: str) -> tuple[Touched, list[str]]:
    """The log read once: what each path went through, and the commits, newest first."""
    commit, order = "", []
    touched: Touched = {}
    for line in log.splitlines():
        if line.startswith("commit "):
            commit = line.split()[1]
            order.append(commit)
        elif line.strip():
            status, _tab, path = line.partition("\t")
            touched.setdefault(path, []).append((status[:1], commit))
    return touched, order


def backdated(releases: list[Snapshot], added: list[list[str]], display: str) -> list[Diagnostic]:
    """R006 for each release git saw added after a release of a later date was: a release is
    published in its turn, and one dated before the ones already committed is made up after
    the fact (``added``: witness's order of the estate's snapshots; ``display``: its folder)."""
    dated = {s.release.id: s.release.date for s in releases}
    found = []
    latest: tuple[dt.date, str] | None = None  # the latest release of the commits before
    for group in added:
        for release in group:
            day = dated.get(release)
            if day is not None and latest is not None and day < latest[0]:
                message = _(
                    "期次 {id} 的发布日 {day} 早于期次 {later}（{later_day}），却在它之后才提交进 git：已发布的期次按时间先后发布，不能事后补发更早的一期。请删掉这份快照；要公示的内容放进下一期",
                    id=release, day=day, later=latest[1], later_day=latest[0],
                )  # fmt: skip
                found.append(
                    Diagnostic(
                        "R006", Location(f"{display}/releases/{release}.json", 1, 1), message
                    )
                )
        days = [(dated[r], r) for r in group if r in dated]
        latest = max([latest, *days] if latest else days, default=latest)
    return found


def _added(touched: Touched, order: list[str]) -> Added:
    """Per estate, its snapshots' ids grouped by the commit that first added them, oldest first."""
    first: dict[tuple[str, str], str] = {}  # (estate, release id) -> the oldest commit adding it
    for path, history in touched.items():
        parts = path.split("/")
        adds = [commit for status, commit in history if status == "A"]
        if adds and len(parts) >= 3 and parts[-1].endswith(".json"):
            first[(parts[-3], parts[-1].removesuffix(".json"))] = adds[-1]  # the oldest
    position = {c: i for i, c in enumerate(reversed(order))}
    groups: dict[str, dict[int, list[str]]] = {}
    for (estate, release), commit in first.items():
        groups.setdefault(estate, {}).setdefault(position[commit], []).append(release)
    return {e: [sorted(g[i]) for i in sorted(g)] for e, g in sorted(groups.items())}


def _unwatched(root: Path, top: Path, pattern: str) -> Iterator[Diagnostic]:
    """R003 for each snapshot git is told not to look at (skip-worktree, assume-unchanged):
    an edit to it would show in no status."""
    listed = _git(top, "ls-files", "-v", "--", pattern, strip=False) or ""
    for line in listed.splitlines():
        tag, name = line[:1], line[2:]
        if tag == "S" or tag.islower():
            yield Diagnostic(
                "R003",
                Location(_shown(root, top, name), 1, 1),
                _(
                    "期次快照被设成 git 不核对它的改动（skip-worktree 或 assume-unchanged）：已发布的期次不能修改。请运行 git update-index --no-skip-worktree --no-assume-unchanged {path}",
                    path=name,
                ),
            )


def _shown(root: Path, top: Path, name: str) -> str:
    """A path git names from the top of the repository, as the site's folder sees it."""
    path = (top / name).resolve()
    return (
        path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else name
    )


def _edited_after_commit(root: Path, top: Path, touched: Touched) -> Iterator[Diagnostic]:
    for path, history in sorted(touched.items()):
        adds = [i for i, (s, _commit) in enumerate(history) if s == "A"]
        if not adds or adds[-1] == 0:
            continue
        first = adds[-1]  # the oldest add: every commit listed before it came later
        shown_text = _shown(root, top, path)
        message = _(
            "期次快照在提交 {added} 加入之后，又在提交 {changed} 中被改动：已发布的期次不能修改。请用 git 恢复原来的文件",
            added=history[first][1][:10],
            changed=history[0][1][:10],
        )
        yield Diagnostic("R003", Location(shown_text, 1, 1), message)


def _edited_uncommitted(root: Path, top: Path, pattern: str) -> Iterator[Diagnostic]:
    status = (
        _git(
            top,
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--no-renames",
            "--",
            pattern,
            strip=False,
        )
        or ""
    )
    for line in status.splitlines():
        code, name = line[:2], line[3:]  # "XY path": index and work-tree status
        if "M" in code or "D" in code:
            yield Diagnostic(
                "R003",
                Location(_shown(root, top, name), 1, 1),
                _(
                    "期次快照与已提交的版本不同：已发布的期次不能修改。请用 git checkout -- {path} 恢复",
                    path=name,
                ),
            )


def tracked(root: Path, name: str) -> bool:
    """Whether git holds any file at or below ``name`` (relative to ``root``)."""
    return bool(_git(root, "ls-files", "--", name))


def _git(cwd: Path, *args: str, strip: bool = True) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() if strip else result.stdout
