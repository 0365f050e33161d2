"""An estate's history: its releases side by side, and git as a second witness to them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .audit import Audit, Locator, Side, Thresholds, audit
from .content import EstateSource
from .diff import Change
from .errors import Diagnostic, Location
from .load import Located, load_file
from .model import Snapshot

WORKING_COPY = "current"


def snapshot_locator(path: Path, display: str) -> Locator:
    """Locate a data path inside a snapshot; the JSON is read for lines only when asked."""

    @cache
    def located() -> Located:
        return load_file(path, display)[0]

    def locate(at: tuple[str | int, ...]) -> Location:
        found = located()
        if at and at[0] == "__release__":  # profiles.RELEASE: the release's own metadata
            return found.where(("release", *at[1:]))
        return found.where(("data", *at))

    return locate


def working_locator(source: EstateSource) -> Locator:
    """Locate a data path in the estate's YAML files."""

    def locate(at: tuple[str | int, ...]) -> Location:
        head = str(at[0])
        if head == "accounts" and len(at) >= 3:
            return source.at(("accounts", str(at[1]), str(at[2])), at[3:])
        if head == "notices" and len(at) >= 2:
            return source.at(("notices", str(at[1])), at[2:])
        if head in ("estate", "fees", "contracts", "services", "votes"):
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
    """What changed from one release to the next, and what the audit found."""

    old_id: str
    new_id: str
    changes: list[Change]
    findings: list[Diagnostic]


def compare(old: Side, new: Side, limits: Thresholds | None = None) -> Step:
    """Diff two sides and audit the difference."""
    run = Audit(old, new, limits or Thresholds())
    return Step(
        old.release.id if old.release else WORKING_COPY,
        new.release.id if new.release else WORKING_COPY,
        run.changes,
        audit(run),
    )


def steps(sides: list[Side], limits: Thresholds | None = None) -> Iterator[Step]:
    """Consecutive pairs of an estate's sides, oldest first."""
    for old, new in zip(sides, sides[1:], strict=False):
        yield compare(old, new, limits)


def git_witness(root: Path, content: Path) -> list[Diagnostic]:
    """R003 for each snapshot changed after the commit that added it; R004 when git cannot tell."""
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return [
            Diagnostic(
                "R004",
                Location(content.relative_to(root).as_posix(), 1, 1),
                "not a git repository: the check that snapshots were not edited after their commit was skipped",
            )
        ]
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        return [
            Diagnostic(
                "R004",
                Location(content.relative_to(root).as_posix(), 1, 1),
                "shallow clone: the check that snapshots were not edited after their commit was skipped (git fetch --unshallow enables it)",
            )
        ]
    top = Path(_git(root, "rev-parse", "--show-toplevel") or root)
    pattern = f"{content.resolve().relative_to(top.resolve()).as_posix()}/*/releases/*.json"
    log = (
        _git(top, "log", "--format=commit %H", "--name-status", "--no-renames", "--", pattern) or ""
    )
    return [*_edited_after_commit(root, top, log), *_edited_uncommitted(root, top, pattern)]


def _edited_after_commit(root: Path, top: Path, log: str) -> Iterator[Diagnostic]:
    commit = ""
    touched: dict[str, list[tuple[str, str]]] = {}  # path -> [(status, commit)], newest first
    for line in log.splitlines():
        if line.startswith("commit "):
            commit = line.split()[1]
        elif line.strip():
            status, _, path = line.partition("\t")
            touched.setdefault(path, []).append((status[:1], commit))
    for path, history in sorted(touched.items()):
        adds = [i for i, (s, _) in enumerate(history) if s == "A"]
        if not adds or adds[-1] == 0:
            continue
        first = adds[-1]  # the oldest add: every commit listed before it came later
        shown = (top / path).resolve()
        shown_text = (
            shown.relative_to(root.resolve()).as_posix()
            if shown.is_relative_to(root.resolve())
            else path
        )
        message = f"snapshot changed in commit {history[0][1][:10]} after commit {history[first][1][:10]} added it: a published release is never edited"
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
            path = (top / name).resolve()
            shown = (
                path.relative_to(root.resolve()).as_posix()
                if path.is_relative_to(root.resolve())
                else name
            )
            yield Diagnostic(
                "R003",
                Location(shown, 1, 1),
                "snapshot differs from its committed version: a published release is never edited",
            )


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
