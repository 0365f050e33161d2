"""The site's own folders as plain files and folders: a link is found, never followed.

A firm's folder is untrusted: a symbolic link in it could make the
generator publish a file from elsewhere on the machine (a password file, a
neighbour's data), and a named pipe could make it wait for ever. So every
folder of the content, of the site's theme and of its rule profiles is
listed without following links (``walk``), every link and every file that
is not a regular file is reported by its own path, and every file is read
without following a link anywhere on its way (``read_bytes``): each folder
is opened with O_NOFOLLOW from the one above it, so that no link swapped in
between the listing and the reading is followed either.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # no wait on a pipe


class NotPlain(OSError):
    """A path that goes through a link, or names something other than a file."""

    def __init__(self, path: str, link: bool):
        super().__init__(errno.ELOOP if link else errno.EINVAL, path)
        self.path = path
        self.link = link


class TooLarge(OSError):
    """A file larger than the limit it was read with."""

    def __init__(self, path: str, size: int):
        super().__init__(errno.EFBIG, path)
        self.size = size


@dataclass
class Listing:
    """A folder's files, folders, links and other things (pipes, devices), by relative path."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    too_deep: list[str] = field(default_factory=list)  # folders DEPTH down, not entered

    def under(self, folder: str, suffix: str) -> list[str]:
        """The files directly in ``folder`` whose name ends with ``suffix``, sorted."""
        prefix = f"{folder}/"
        return sorted(
            p
            for p in self.files
            if p.startswith(prefix) and "/" not in p[len(prefix) :] and p.endswith(suffix)
        )


def walk(folder: Path) -> Listing:
    """List a folder and everything below it; a linked folder is listed as a link, not entered.
    A folder DEPTH levels down is listed as too deep, not entered."""
    listing = Listing()
    if folder.is_symlink():
        listing.links.append("")
        return listing
    for relative, entry, deep in below(str(folder)):
        if entry.is_symlink():
            listing.links.append(relative)
        elif entry.is_dir(follow_symlinks=False):
            listing.folders.add(relative)
            if deep:
                listing.too_deep.append(relative)
        elif entry.is_file(follow_symlinks=False):
            listing.files[relative] = entry.stat(follow_symlinks=False)
        else:
            listing.others.append(relative)
    return listing


# folders below the one walked that are entered: nothing the generator reads lies deeper, and
# a firm's folder nested thousands deep is reported, not walked to the end
DEPTH = 16


def below(folder: str) -> Iterator[tuple[str, os.DirEntry[str], bool]]:
    """Each entry below ``folder``: its path from there, the entry, and whether it is a folder
    too deep to enter (DEPTH levels down). A folder comes before what is in it, each folder's
    entries by name; a link to a folder is not entered. A list, not recursion: any depth."""
    todo = [_entries(folder)]
    prefixes = [""]
    while todo:
        entry = next(todo[-1], None)
        if entry is None:
            todo.pop()
            prefixes.pop()
            continue
        relative = prefixes[-1] + entry.name
        deep = False
        if entry.is_dir(follow_symlinks=False):
            deep = len(todo) >= DEPTH
            if not deep:
                todo.append(_entries(entry.path))
                prefixes.append(f"{relative}/")
        yield relative, entry, deep


def _entries(folder: str) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except (FileNotFoundError, NotADirectoryError):
        return iter(())


def write_whole(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a process may stop at any moment): into a new file
    beside it, then renamed over it. For the generator's own files (cache, state, compiled
    catalogs); the output folder is write.py's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def links_on_the_way(path: Path, depth: int) -> str | None:
    """The first link among the last ``depth`` parts of ``path``, as a path; None if none."""
    parts = path.parts
    for cut in range(max(len(parts) - depth, 1), len(parts)):
        here = Path(*parts[: cut + 1])
        if here.is_symlink():
            return str(here)
    return None


def read_bytes(path: Path, depth: int, limit: int | None = None) -> bytes:
    """Read a regular file, following no link in the last ``depth`` parts of its path.

    NotPlain names the link or the thing that is not a file; TooLarge, a file over
    ``limit`` bytes (read no further than that); FileNotFoundError, a missing one.
    """
    handle, size = _opened(path, depth)
    try:
        if limit is not None and size > limit:
            raise TooLarge(str(path), size)
        data = _read_all(handle, size, limit)
    finally:
        os.close(handle)
    if limit is not None and len(data) > limit:  # grew since fstat
        raise TooLarge(str(path), len(data))
    for read in _RECORDS:
        read[str(path)] = hashlib.sha256(data).hexdigest()
    return data


def _read_all(handle: int, size: int, limit: int | None) -> bytes:
    """What is left to read from a file descriptor, no more than ``limit`` + 1 bytes; by the
    descriptor alone (a file object asks the terminal and the position first: two calls of
    the system a file, 60 an estate)."""
    most = None if limit is None else limit + 1
    chunks: list[bytes] = []
    got = 0
    while most is None or got < most:
        want = size + 1 if not chunks else 1 << 16  # a file that grew: read on
        chunk = os.read(handle, want if most is None else min(want, most - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_RECORDS: list[dict[str, str]] = []  # recorded()'s, innermost last


@contextmanager
def recorded() -> Iterator[dict[str, str]]:
    """The SHA-256 of each file read_bytes reads meanwhile, by its path: the digest of what
    was read is the very digest of what a check found, not of the file a moment later, and
    the file need not be read a second time to be digested (fingerprint.digest_files)."""
    read: dict[str, str] = {}
    _RECORDS.append(read)
    try:
        yield read
    finally:
        _RECORDS.remove(read)


def sha256(path: Path, depth: int) -> str | None:
    """The SHA-256 of a regular file, read in chunks through no link; None when there is
    no such plain file (missing, a link, a pipe …)."""
    try:
        handle, _size = _opened(path, depth)
        try:
            return sha256_of(handle)
        finally:
            os.close(handle)
    except (NotPlain, FileNotFoundError, NotADirectoryError):
        return None


def sha256_of(handle: int) -> str:
    """The SHA-256 of what is left to read from a file descriptor, in chunks (a hostile file
    may be any size) no larger than most of the files read: hashlib.file_digest clears a
    256 KiB buffer for each file, 0.4 s of the 30,000 files a check of a city digests."""
    sha = hashlib.sha256()
    while chunk := os.read(handle, 1 << 16):
        sha.update(chunk)
    return sha.hexdigest()


def _opened(path: Path, depth: int) -> tuple[int, int]:
    """The file at ``path`` open (a descriptor), and its size; each of the last ``depth`` parts of its path
    opened in the one before, so that none is followed if it is a link. The steps by
    their names, as strings: a Path is made only to name one that is not plain."""
    parts = path.parts
    top = len(parts) - min(depth, len(parts) - 1)
    if _HELD:
        return _open(_held(_HELD[-1], parts, top), path)
    folder = os.open(os.path.join(*parts[:top]), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for index in range(top, len(parts) - 1):
            folder = _enter(folder, parts[: index + 1])
        return _open(folder, path)
    finally:
        os.close(folder)


_HELD: list[dict[tuple[int, tuple[str, ...]], int]] = []  # folders_held()'s, innermost last


@contextmanager
def folders_held() -> Iterator[None]:
    """The folders opened on the way to the files read meanwhile are kept open, and the next
    file in one is opened from there: a check of an estate opens its 30 files in a handful
    of folders, each entered once (each open costs as much as reading a file here). A folder
    swapped for a link after it was entered is not followed: the folder read from is the
    one that was entered, not through a link."""
    held: dict[tuple[int, tuple[str, ...]], int] = {}
    _HELD.append(held)
    try:
        yield
    finally:
        _HELD.remove(held)
        for folder in held.values():
            os.close(folder)


def _held(held: dict[tuple[int, tuple[str, ...]], int], parts: tuple[str, ...], top: int) -> int:
    """The folder holding the file ``parts`` names, entered as _opened enters it (none of the
    parts from ``top`` on through a link), from the deepest folder on its way already held.
    By ``top`` too: a folder entered where a link may lie above is not one where none may."""
    end = len(parts) - 1
    cut = end
    while cut > top and (top, parts[:cut]) not in held:
        cut -= 1
    if (top, parts[:cut]) not in held:
        opened = os.open(os.path.join(*parts[:top]), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        held[(top, parts[:top])] = opened
    folder = held[(top, parts[:cut])]
    for index in range(cut, end):
        folder = _enter(folder, parts[: index + 1], close=False)
        held[(top, parts[: index + 1])] = folder
    return folder


def _enter(folder: int, parts: tuple[str, ...], close: bool = True) -> int:
    """The folder ``parts[-1]`` opened in ``folder`` (closed unless held), not through a link."""
    try:
        inner = os.open(parts[-1], _FOLDER, dir_fd=folder)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            shown = os.path.join(*parts)
            raise NotPlain(shown, os.path.islink(shown)) from None
        raise
    if close:
        os.close(folder)
    return inner


def _open(folder: int, path: Path) -> tuple[int, int]:
    try:
        handle = os.open(path.name, _FILE, dir_fd=folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotPlain(str(path), True) from None
        raise
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode):
        os.close(handle)
        raise NotPlain(str(path), False)
    return handle, status.st_size
