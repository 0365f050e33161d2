"""What outputs are made from: files by their content (read again only when changed), and the
days on which outputs made as of a day read differently."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import TYPE_CHECKING

from .parallel import Ahead, Begun
from .tree import below, sha256_of

if TYPE_CHECKING:
    from pydantic import BaseModel

Stats = dict[str, tuple[int, int, str]]  # path -> (size, mtime_ns, sha256)


def digest_tree(paths: list[Path]) -> str:
    """SHA-256 over the names (relative to each given path's parent) and contents of files;
    a link is digested by its name and target, never read through (see files_of)."""
    return digest_files([found for path in paths for found in sorted(files_of(path))])


def digest_files(
    found: list[tuple[str, str, os.stat_result]], read: dict[str, str] | None = None
) -> str:
    """SHA-256 over the names and contents of files as listed by files_of, in the order given;
    a file in ``read`` (tree.recorded) by the digest of what was read of it, not read again."""
    sha = hashlib.sha256()
    read = read or {}
    for name, file, stat in found:
        sha.update(name.encode())
        digest = read.get(file) if S_ISREG(stat.st_mode) else None
        sha.update(bytes.fromhex(digest or _file_digest(file, stat)))
    return sha.hexdigest()


GENERATOR = Path(__file__).resolve().parent


def _code_digest() -> str:
    """The generator's own files (code, catalogs, templates, profiles) by content; the bytecode
    Python writes beside them as it first imports a module is not code that changed."""
    found = sorted(files_of(GENERATOR))
    return digest_files([f for f in found if "__pycache__" not in f[0].split("/")])


# a check begins it before it imports the models: 92 files read, about 0.04 s
code_digest = Begun(_code_digest, lambda: str(GENERATOR))


def _file_digest(path: str, stat: os.stat_result) -> str:
    """A file's SHA-256; a link's, of its target's name: no content is read through it."""
    if S_ISLNK(stat.st_mode):
        return hashlib.sha256(b"link:" + os.fsencode(os.readlink(path))).hexdigest()
    if S_ISDIR(stat.st_mode):  # a folder too deep to enter (tree.DEPTH): by its name alone
        return hashlib.sha256(b"folder").hexdigest()
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a fifo put there since: read empty
    try:
        return sha256_of(handle)
    finally:
        os.close(handle)


def content_digest(found: list[tuple[str, str, os.stat_result]], known: Stats, seen: Stats) -> str:
    """Like digest_tree over ``found`` (see files_of), but a file whose size and change time
    (stamp_of) are as last time is not read again."""
    sha = hashlib.sha256()
    for name, path, stat in sorted(found):
        cached = known.get(path)
        stamp = stamp_of(stat)
        if cached is not None and cached[:2] == (stat.st_size, stamp):
            digest = cached[2]
        else:
            digest = _file_digest(path, stat)
        seen[path] = (stat.st_size, stamp, digest)
        sha.update(name.encode())
        sha.update(digest.encode())
    return sha.hexdigest()


def signature(found: list[tuple[str, str, os.stat_result]]) -> str:
    """The names, sizes, times (stamp_of) and kinds of files, without reading them: while a
    folder's signature is as it was, so are its contents (the index git keeps works so)."""
    listed = sorted(
        f"{name}\0{stat.st_size}\0{stamp_of(stat)}\0{stat.st_mode}" for name, _path, stat in found
    )
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()


def signatures(content: Path) -> dict[str, str]:
    """The signature of each folder in ``content`` by its name (links are no folders)."""
    found = {}
    with os.scandir(content) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found[entry.name] = signature(list(_tree(entry.path, entry.name)))
    return found


class Walk:
    """signatures() of the content folder site.yaml names, worked out in another process
    (parallel.Ahead) while this one imports the models, which takes about as long. Read
    before the settings are validated, so check takes it only for the folder they name."""

    def __init__(self, root: Path):
        from .load import load_file  # light: yaml and the loader, no models

        located, _problems = load_file(root / "site.yaml", "site.yaml")
        named = located.data.get("content_dir") if isinstance(located.data, dict) else None
        self.content = root / (named if isinstance(named, str) else "content")
        self.ahead: Ahead[dict[str, str]] | None = None
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            real = self.content.is_dir() and not self.content.is_symlink()
            if real and self.content.resolve().is_relative_to(root.resolve()):
                self.ahead = Ahead(signatures, self.content)  # never /, ../.. or a link out

    def of(self, content: Path) -> dict[str, str]:
        """The signatures, if they are of ``content``; none otherwise."""
        if content != self.content or self.ahead is None:
            self.close()
            return {}
        try:
            return self.ahead.result()
        except OSError:  # the folder went away meanwhile: check walks it again itself
            return {}

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.close()


def stamp_of(stat: os.stat_result) -> int:
    """When a file last changed: its ctime too, which no one can set back, as a file's
    modification time can be (``touch -d``) to hide an edit of the same size."""
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


def files_of(path: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """(name from the path's parent, path, stat) of the file at ``path``, or of every file
    in that folder; a link, to a file or a folder, is listed as itself (its own stat) and
    not followed. One lstat, then os.scandir: many times faster than Path.rglob."""
    try:
        stat = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if S_ISREG(stat.st_mode) or S_ISLNK(stat.st_mode):
        yield path.name, str(path), stat
    elif S_ISDIR(stat.st_mode):
        yield from _tree(str(path), path.name)


def _tree(folder: str, name: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """files_of below a folder (tree.below): any depth is walked; a folder tree.DEPTH levels
    down is listed as itself and not entered, as tree.walk does."""
    for relative, entry, deep in below(folder):
        if deep or entry.is_file(follow_symlinks=False) or entry.is_symlink():
            yield f"{name}/{relative}", entry.path, entry.stat(follow_symlinks=False)


# -- days: outputs made as of a day hold until the day crosses one of these ----------------------


def days_in(value: object) -> set[dt.date]:
    """Every date a model holds, at any depth (walked with a list, not a set made a node)."""
    from pydantic import BaseModel  # here: the walks above run before the models are imported

    found: set[dt.date] = set()
    todo = [value]
    pop, extend = todo.pop, todo.extend
    while todo:
        item = pop()
        kind = type(item)
        if kind in _LEAVES:  # most of a model: nothing below, and no date
            continue
        if isinstance(item, dt.date):
            found.add(item)
        elif isinstance(item, BaseModel):
            held = item.__dict__  # a model's fields, as getattr reads them
            extend([held[name] for name in _fields(type(item))])
        elif isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, list | tuple):
            extend(item)
    return found


_LEAVES = frozenset({str, int, float, bool, Decimal, type(None)})


@cache
def _fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def span(turns: Iterable[dt.date], day: dt.date) -> tuple[dt.date, dt.date]:
    """The days, first included and last not, around ``day`` that cross none of ``turns``
    (a turn is the first day something reads differently)."""
    found = set(turns)
    since = max((d for d in found if d <= day), default=dt.date.min)
    until = min((d for d in found if d > day), default=dt.date.max)
    return since, until


def data_turns(value: object) -> set[dt.date]:
    """The days on which a comparison of the day with a date in the data may turn: each date
    and the day after it."""
    found = days_in(value)
    return found | {d + dt.timedelta(days=1) for d in found if d < dt.date.max}
