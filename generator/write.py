"""The only module that touches the output folder: staged, no double writes, no escapes.

A build writes into a fresh staging folder beside the output folder, and
nothing in the output changes until every file is written; a build that
fails midway leaves the previous output exactly as it was.

A whole build (Writer) then takes the output folder's place in one atomic
exchange. A build of a few changed estates (Patch) stages only those: each
estate's folders are exchanged whole, each site-wide file is replaced on its
own, and every other file keeps its inode, bytes and mtime.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from . import paths
from .errors import GeneratorError, UsageError
from .i18n import N_, _


class OutputError(GeneratorError):
    """A write the build must never make: twice to one path, or outside the output."""


class Writer:
    """Write a build's files into a staging folder, then swap it into place.

    An estate's files are its own top folders' (folder_of): the writer keeps
    which estate owns each folder, not each file (930,000 at 10,000 estates),
    and refuses any other write into them. The site's own files it keeps one
    by one, with their digests.
    """

    def __init__(self, out: Path, nested: tuple[str, ...] = ()):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        sweep(self.out)
        prefix = f".{self.out.name}.new-{os.getpid()}-"  # whose it is: see sweep
        self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.out.parent))
        self.nested = nested  # first path parts that hold folders of their own (en/)
        self.digests: dict[str, tuple[int, str]] = {}  # the site's own files
        self.owners: dict[str, str] = {}  # an estate's top folder -> the estate
        self.site_folders: set[str] = set()  # the top folders of the site's own files
        self.estate_files = 0

    @property
    def files(self) -> int:
        """How many files this build publishes."""
        return len(self.digests) + self.estate_files

    def write(self, relative: str, content: bytes | str) -> None:
        """Write one output file at a relative POSIX path."""
        target = self._claim(relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        put(target, data)
        self.digests[relative] = (len(data), hashlib.sha256(data).hexdigest())

    def adopt_estate(self, estate_id: str, files: dict[str, tuple[int, str]]) -> None:
        """Take files of an estate's that a worker wrote into the staging folder."""
        self._own(estate_id, files)

    def keep_estate(self, estate_id: str, files: dict[str, tuple[int, str]]) -> None:
        """Publish the previous build's files of an estate unchanged: the same files,
        hard-linked."""
        self._own(estate_id, files)
        for relative in files:
            link(self.out / relative, self.staging / relative)

    def keep(self, relative: str, digest: tuple[int, str]) -> None:
        """Publish the previous build's file unchanged: the same file, hard-linked."""
        self.link(relative, self.out / relative, digest)

    def link(self, relative: str, source: Path, digest: tuple[int, str]) -> None:
        """Publish a file made before (the previous build's, or the cache's): hard-linked."""
        link(source, self._claim(relative))
        self.digests[relative] = digest

    def stream(self, relative: str, fill: Callable[[Callable[[bytes], object]], object]) -> None:
        """Write one output file that ``fill`` writes a part at a time through the function it
        is given, never whole in memory (manifest.json is 120 MB at 10,000 estates), hashed
        as it is written."""
        part = self.staging.with_name(f"{self.staging.name}.part")  # swept as the staging is
        try:
            with part.open("wb") as target:
                hashing = _Hashing(target)
                fill(hashing.write)
            self.link(relative, part, (hashing.size, hashing.sha.hexdigest()))
        finally:
            part.unlink(missing_ok=True)

    def locate(self, relative: str) -> Path:
        """Where a file of this build is now: staged, or kept in the output."""
        staged = self._target(relative)
        return staged if staged.exists() else self.out / relative

    def _claim(self, relative: str) -> Path:
        self._free(relative)
        self.site_folders.add(folder_of(relative, self.nested))
        return self.staging / relative

    def _free(self, relative: str) -> None:
        """Refuse an unclean path, one this build wrote already, or one in an estate's folder."""
        check(relative)
        if relative in self.digests or folder_of(relative, self.nested) in self.owners:
            raise _twice(relative)

    def _own(self, estate_id: str, files: dict[str, tuple[int, str]]) -> None:
        """Count an estate's files as its own, refusing an unclean path, or one in a folder
        of the site's or of another estate's (no Path: one a file of 85,000 costs a second)."""
        for relative in files:
            check(relative)
            folder = folder_of(relative, self.nested)
            if (
                self.owners.setdefault(folder, estate_id) != estate_id
                or folder in self.site_folders
            ):
                raise _twice(relative)
        self.estate_files += len(files)

    def _target(self, relative: str) -> Path:
        check(relative)
        return self.staging / relative

    def commit(self) -> None:
        """Put the staged build in place of the output folder."""
        if self.out.exists() and _exchange(self.staging, self.out):
            shutil.rmtree(self.staging)  # now holds the previous build
            return
        old = self.out.with_name(f".{self.out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.out.exists():
            os.rename(self.out, old)
        os.rename(self.staging, self.out)
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Drop the staged build; the output folder stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _twice(relative: str) -> OutputError:
    return OutputError(_("{path} 会被写两次：生成程序出错了，请报告这个问题", path=relative))


class _Hashing:
    """A binary file that counts and hashes what is written to it."""

    def __init__(self, target: IO[bytes]):
        self.target, self.size, self.sha = target, 0, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.target.write(data)


def sweep(out: Path) -> None:
    """Remove what builds into ``out`` that were killed left behind: their staging folders
    (named by the process that made them, which is gone) and the folder a commit set aside."""
    for staged in out.parent.glob(f".{glob.escape(out.name)}.new-*"):
        owner = staged.name.removeprefix(f".{out.name}.new-").split("-")[0]
        if not (owner.isdigit() and _alive(int(owner))):
            shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(out.with_name(f".{out.name}.old"), ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process makes one build at a time: an earlier one of its own failed
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# errno -> what it means for the output folder, and what to do
_UNWRITABLE = {
    errno.ENOSPC: N_("磁盘已满"),
    errno.EDQUOT: N_("磁盘配额已用完"),
    errno.EROFS: N_("所在的文件系统是只读的"),
    errno.EACCES: N_("没有写入权限"),
    errno.EPERM: N_("没有写入权限"),
}


DISK_ERRORS = frozenset(_UNWRITABLE)


def replaceable(out: Path, root: Path, content: Path) -> None:
    """Refuse an output folder a build would destroy what is not its own in: the site's
    folder or one holding it (site.yaml, the content, its git history), one in the
    content, or a folder of other files (no manifest.json: no build made it). A build
    replaces its output folder whole."""
    here, site, estates = (p.resolve() for p in (out, root, content))
    if site.is_relative_to(here) or here.is_relative_to(estates):
        raise UsageError(
            _(
                "不能生成到 {out}：它是站点目录、包含站点目录或在内容目录里，生成会把它整个换掉。请换一个目录，例如 build/",
                out=out,
            )
        )
    try:
        other = out.is_dir() and any(out.iterdir()) and not (out / paths.MANIFEST).is_file()
    except OSError:
        other = False  # unreadable: writing it reports that
    if other:
        raise UsageError(
            _(
                "不能生成到 {out}：里面已有不是 sunshine 生成的文件（没有 manifest.json），生成会把它整个换掉。请换一个空目录或新目录",
                out=out,
            )
        )


def unwritable(exc: OSError, out: Path) -> OSError | OutputError:
    """A write the disk refused, as one line naming the folder and what to do; any other
    OSError as it is."""
    reason = _UNWRITABLE.get(exc.errno or 0)
    if reason is None:
        return exc
    folder = Path(exc.filename).parent if exc.filename else out.parent
    return OutputError(
        _(
            "无法写入 {folder}：{reason}。请腾出空间或改好权限后重新生成，或用 --out 换一个目录；原来的 {out} 没有改动",
            folder=folder,
            reason=_(reason),
            out=out,
        )
    )


def no_link(folder: Path) -> None:
    """Refuse to write into a folder that is a symbolic link (the site's cache)."""
    if folder.is_symlink():
        raise OutputError(
            _("{folder} 是符号链接，不往里写：请删掉这个链接（缓存会重新生成）", folder=folder)
        )


def link(source: Path | str, target: Path | str) -> None:
    """Hard-link ``source`` at ``target``, making target's folder only when it is missing
    (a mkdir of a folder that exists costs as much as the link); a copy, whole or none,
    where the file system gives no hard link. FileNotFoundError when source is missing."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link(source, target)
    except FileExistsError:
        raise
    except OSError:  # another file system, or no hard links allowed there
        partial = f"{target}.part"
        shutil.copyfile(source, partial)
        os.replace(partial, target)


def put(target: Path, data: bytes) -> None:
    """Write ``data`` at ``target``, making its folder only when it is missing (see link)."""
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def clean(relative: str) -> bool:
    """A relative path as PurePosixPath would write it, without '..', not empty
    ("/a" and "a//b" have an empty part)."""
    return not {"", ".", ".."} & set(relative.split("/"))


def check(relative: str) -> None:
    """Refuse a path that is not clean, relative and inside the output."""
    if not clean(relative):
        raise OutputError(_("“{path}”不是输出目录里的干净相对路径，拒绝写入", path=relative))


def folder_of(relative: str, nested: tuple[str, ...]) -> str:
    """The top folder a path is in: its first part, or its first two under a nested one (en/)."""
    parts = relative.split("/", 2)
    return "/".join(parts[:2] if parts[0] in nested else parts[:1])


class Patch(Writer):
    """Change an existing output in place: only what differs from ``previous`` is staged.

    ``previous`` maps the files of the output to their (size, sha256), but
    for the folders of estates kept whole (keep_estate), which it need not
    know. An estate's adopted files fill its folders, which are exchanged
    whole; a file there whose bytes are as before is linked back to the
    previous file first, so it stays the same file. The site's files are
    replaced one by one, and only if they differ. Files of the previous
    build that this one does not publish are removed.
    """

    def __init__(self, out: Path, nested: tuple[str, ...]):
        super().__init__(out, nested)
        self.previous: dict[str, tuple[int, str]] = {}  # set before the first file is staged
        self.folders: set[str] = set()
        self.changed: list[str] = []

    def adopt_estate(self, estate_id: str, files: dict[str, tuple[int, str]]) -> None:
        super().adopt_estate(estate_id, files)
        for relative, digest in files.items():
            self.folders.add(folder_of(relative, self.nested))
            if self._unchanged(relative, digest):
                staged = self._target(relative)
                staged.unlink()
                os.link(self.out / relative, staged)

    def keep_estate(self, estate_id: str, files: dict[str, tuple[int, str]]) -> None:
        self._own(estate_id, files)  # left where they are

    def write(self, relative: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = (len(data), hashlib.sha256(data).hexdigest())
        if self._unchanged(relative, digest):
            self.keep(relative, digest)
            return
        super().write(relative, data)
        self.changed.append(relative)

    def link(self, relative: str, source: Path, digest: tuple[int, str]) -> None:
        if self._unchanged(relative, digest):
            self.keep(relative, digest)
            return
        super().link(relative, source, digest)
        self.changed.append(relative)

    def _unchanged(self, relative: str, digest: tuple[int, str]) -> bool:
        """The output has this file with these bytes already."""
        return self.previous.get(relative) == digest and (self.out / relative).is_file()

    def keep(self, relative: str, digest: tuple[int, str]) -> None:
        self._claim(relative)  # left where it is
        self.digests[relative] = digest

    def commit(self) -> None:
        """Swap in the staged folders, replace the staged files, remove what is gone."""
        gone = self.staging / ".gone"
        gone.mkdir()
        for number, folder in enumerate(sorted(self.folders)):
            staged, target = self.staging / folder, self.out / folder
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(staged, target)
            elif not _exchange(staged, target):
                os.rename(target, gone / str(number))
                os.rename(staged, target)
        for relative in self.changed:
            target = self.out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / relative, target)
        for relative in sorted(self.previous.keys() - self.digests.keys()):
            if folder_of(relative, self.nested) in self.owners:
                continue  # an estate's: its folders were exchanged whole, or kept
            (self.out / relative).unlink(missing_ok=True)
            parent = (self.out / relative).parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        shutil.rmtree(self.staging)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache  # find_library runs ldconfig
def _renameat2() -> Any:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    return getattr(libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
