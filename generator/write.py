"""The only module that touches the output folder: atomic, no double writes, no escapes.

A build writes into a fresh staging folder beside the output folder; only when
every file is written does the staging folder take the output folder's place
(an atomic exchange where the system offers one). A build that fails midway
leaves the previous output exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from .errors import GeneratorError


class OutputError(GeneratorError):
    """A write the build must never make: twice to one path, or outside the output."""


class Writer:
    """Write a build's files into a staging folder, then swap it into place."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.written: dict[str, Path] = {}
        self.digests: dict[str, tuple[int, str]] = {}

    def write(self, relative: str, content: bytes | str) -> None:
        """Write one output file at a relative POSIX path."""
        target = self._target(relative)
        if relative in self.written:
            raise OutputError(f"{relative} would be written twice")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
        self.written[relative] = target
        self.digests[relative] = (len(data), hashlib.sha256(data).hexdigest())

    def _target(self, relative: str) -> Path:
        path = PurePosixPath(relative)
        if (
            path.is_absolute()
            or ".." in path.parts
            or not path.parts
            or relative != path.as_posix()
        ):
            raise OutputError(f"{relative!r} is not a clean relative path inside the output")
        return self.staging.joinpath(*path.parts)

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


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
