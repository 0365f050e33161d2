"""The build cache: what builds made, found by what it was made from.

A build's state (state.py) says what the output folder holds; it lives in
``.sunshine-cache/state/``, beside the cache, never in the output. The cache,
`.sunshine-cache/` at the site's root by default, keeps the same work by
content, so that a build with no output to start from (a deleted build/, a
fresh checkout on a CI runner that restores the folder) need not read and
render every estate again:

- files/  each file the estates' workers wrote, named by its SHA-256, as
  a hard link to the published file where the file system allows (no
  second copy on disk), else a copy (write.link);
- estates/  each estate's summary (build.EstateSummary, with its files'
  digests and the days its pages hold for), as tagged JSON (state.dumps),
  named by the estate's fingerprint;
- sheets/  each noticeboard sheet's (size, SHA-256), named by its key
  (the digest of its HTML and of the PDF engine), and so each street
  overview's and print file's, named by the digest of what it is made of;
- checks/  each estate's findings as ``check`` made them (JSON, see
  checking.Findings) with the estate's fingerprint, a line added to
  kept.jsonl as each is checked (a check stopped midway resumes from
  them), and per estate the signature of its files' names, sizes and
  times, the digest of their contents and the findings that a check read
  (index.jsonl, a line an estate, written when the check ends), so the
  next check reads only the estates whose files changed, and one file for
  all the others.

An estate whose fingerprint is here is put together from files/ instead
of rendered. The cache trusts its files as a build trusts its own output:
both are the build's, and manifest.json names every file's SHA-256.

The cache holds what the last build published: when a build ends, what it
no longer publishes is dropped (Cache.drop, Cache.keep_only). A sheet is
kept the moment it is laid out (incremental.lay_out), so a build that
stops short leaves the sheets it made for the next one; the next whole
build drops those it does not publish. A file an
unchanged estate shares with a changed one may go with it; that estate is
then rendered, not restored, by a build that finds no output.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import hashlib
import json
import os
from collections.abc import Container, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .tree import write_whole
from .write import link, no_link

CACHE_FOLDER = ".sunshine-cache"
INDEX = "index.jsonl"
JOURNAL = "kept.jsonl"  # each estate's findings as it is checked: [fingerprint, findings]
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC

Digest = tuple[int, str]  # (size, sha256)


class Indexed(NamedTuple):
    """An estate folder as the last check read it (see Cache.check_index)."""

    signature: str
    digest: str
    fingerprint: str
    findings: dict[str, Any] | None


class Cache:
    """The cache folder of one site."""

    def __init__(self, folder: Path):
        no_link(folder)  # a link in the site's folder would take the cache's writes elsewhere
        self.folder = folder
        self.files = folder / "files"
        self.estates = folder / "estates"
        self.sheets = folder / "sheets"
        self.checks = folder / "checks"
        self._lines: dict[str, tuple[Indexed, bytes]] = {}  # the check index's, as read
        self._journal: dict[str, dict[str, Any]] | None = None  # findings kept, as read
        self._appending = False  # the checks folder made for the journal

    def _file(self, sha: str) -> str:
        return f"{self.files}/{sha[:2]}/{sha}"

    def _sheet(self, key: str) -> Path:
        return self.sheets / _name(key)

    # -- files ---------------------------------------------------------------------------------

    def keep_file(self, path: Path, sha: str) -> None:
        """Keep the file at ``path``, whose SHA-256 is ``sha``, unless a file of that digest is kept."""
        with contextlib.suppress(FileExistsError):  # kept before, or by another worker
            link(path, self._file(sha))

    def kept(self, sha: str) -> Path | None:
        """The kept file of this SHA-256, if kept."""
        path = Path(self._file(sha))
        return path if path.is_file() else None

    def place(self, files: dict[str, Digest], staging: Path) -> bool:
        """Put the kept files at their paths under ``staging``, all or none; False when one is gone."""
        placed: list[str] = []
        for relative, (_, sha) in files.items():
            kept, target = self._file(sha), f"{staging}/{relative}"
            try:
                link(kept, target)
            except FileNotFoundError:  # gone from the cache
                for done in placed:
                    os.unlink(done)
                return False
            placed.append(target)
        return True

    # -- estates and sheets ----------------------------------------------------------------------

    def estate(self, fingerprint: str) -> bytes | None:
        """The summary (state.dumps) of the estate built from inputs of this fingerprint, if kept."""
        try:
            return (self.estates / fingerprint).read_bytes()
        except FileNotFoundError:
            return None

    def keep_estate(self, fingerprint: str, packed: bytes) -> None:
        write_whole(self.estates / fingerprint, packed)

    def imported(self, estate_id: str, export: str) -> bytes | None:
        """What a workbook's export last brought into the estate (workbook.importer), if kept."""
        try:
            return (self.folder / "imports" / estate_id / export).read_bytes()
        except FileNotFoundError:
            return None

    def keep_imported(self, estate_id: str, export: str, packed: bytes) -> None:
        write_whole(self.folder / "imports" / estate_id / export, packed)

    def sheet(self, key: str) -> Digest | None:
        """The (size, sha256) of the sheet laid out from this key, if kept."""
        try:
            size, sha = self._sheet(key).read_text(encoding="ascii").split()
        except (FileNotFoundError, ValueError):
            return None
        return int(size), sha

    def keep_sheet(self, key: str, digest: Digest) -> None:
        write_whole(self._sheet(key), f"{digest[0]} {digest[1]}".encode("ascii"))

    # -- what check found ---------------------------------------------------------------------------

    def findings(self, fingerprint: str) -> dict[str, Any] | None:
        """An estate's findings as check kept them (checking.Findings.as_json), if kept."""
        if self._journal is None:
            self._journal = _journal(self.checks / JOURNAL)
        return self._journal.get(fingerprint)

    def holds_findings(self) -> bool:
        """Whether any estate's findings are kept (in the index, or as a check kept them)."""
        return bool(_entries(self.checks))

    def keep_findings(self, fingerprint: str, findings: dict[str, Any]) -> None:
        """Keep an estate's findings as it is checked: a line added to the journal, a file
        opened to append and closed (one file written whole an estate cost 1.2 ms)."""
        if not self._appending:
            self.checks.mkdir(parents=True, exist_ok=True)
            self._appending = True
        line = memoryview(_json([fingerprint, findings]) + b"\n")
        handle = os.open(self.checks / JOURNAL, _APPEND, 0o644)
        try:
            while line:
                line = line[os.write(handle, line) :]
        finally:
            os.close(handle)

    def keep_only_findings(self) -> None:
        """Forget every finding the index does not hold (after a check of every estate, whose
        index holds the findings of each)."""
        for entry in _entries(self.checks):
            if entry.name != INDEX:
                os.unlink(entry.path)
        self._journal = None

    def forget_checks(self) -> None:
        """Forget every finding and the index (check --full)."""
        for entry in _entries(self.checks):
            os.unlink(entry.path)
        self._journal, self._lines = None, {}

    def check_index(self) -> dict[str, Indexed]:
        """Per estate folder, as the last check left it: the signature of its files
        (fingerprint.signature), the digest of their contents, and the fingerprint and
        findings (checking.Findings.as_json) of that check. One file: a check that finds
        nothing changed reads it alone, not a file per estate. A line an estate (a JSON
        list: the folder, then those four), so that a check after one edit writes one
        line anew and the others as they were read."""
        try:
            lines = (self.checks / INDEX).read_bytes().splitlines()
        except FileNotFoundError:
            return {}
        self._lines = {}
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:  # a line cut short: that estate's folder is digested again
                continue
            if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[0], str):
                self._lines[entry[0]] = (Indexed(*entry[1:]), line)
        return {folder: indexed for folder, (indexed, _line) in self._lines.items()}

    def keep_check_index(self, index: dict[str, Indexed]) -> None:
        """Each estate's line anew where it is not the one read; not written at all when every
        line is as read (a check that found nothing changed: 1 MB at 1,000 estates)."""
        lines, as_read = [], 0
        for folder, entry in index.items():
            read = self._lines.get(folder)
            if read is not None and read[0] == entry:
                lines.append(read[1])
                as_read += 1
            else:
                lines.append(_json([folder, *entry]))
        if as_read == len(index) == len(self._lines):
            return
        write_whole(self.checks / INDEX, b"".join(line + b"\n" for line in lines))

    # -- what the last build no longer publishes ---------------------------------------------------

    def drop(self, files: Iterable[str], estates: Iterable[str], sheets: Iterable[str]) -> None:
        """Forget these files, estates and sheets (a build's own changes: no listing)."""
        for sha in set(files):
            Path(self._file(sha)).unlink(missing_ok=True)
        for fingerprint in set(estates):
            (self.estates / fingerprint).unlink(missing_ok=True)
        for key in set(sheets):
            self._sheet(key).unlink(missing_ok=True)

    def keep_only(self, files: Container[str], estates: set[str], sheets: set[str]) -> None:
        """Forget every file, estate and sheet not named (after a whole build)."""
        kept_sheets = {_name(key) for key in sheets}
        for folder, keep in ((self.estates, estates), (self.sheets, kept_sheets)):
            for entry in _entries(folder):
                if entry.name not in keep:
                    os.unlink(entry.path)
        for bucket in _entries(self.files):
            for entry in _entries(Path(bucket.path)):
                if entry.name not in files:
                    os.unlink(entry.path)


class Shas(Container[str]):
    """A set of SHA-256 digests (hex) as sorted 64-bit prefixes: 8 bytes a digest, where a
    set of 930,000 (a city's files) would hold 130 MB. A digest that shares its first 64
    bits with one named is taken for it: the cache then keeps a file it could drop."""

    def __init__(self, shas: Iterable[str]):
        # sorted a first byte at a time: a set or list of 930,000 ints at once is 60 MB
        by_first: list[array.array[int]] = [array.array("Q") for _ in range(256)]
        for sha in shas:
            prefix = int(sha[:16], 16)
            by_first[prefix >> 56].append(prefix)
        self.prefixes = array.array("Q")
        for some in by_first:
            self.prefixes.extend(sorted(set(some)))

    def __contains__(self, sha: object) -> bool:
        if not isinstance(sha, str) or len(sha) < 16:
            return False
        try:
            prefix = int(sha[:16], 16)
        except ValueError:
            return False
        at = bisect.bisect_left(self.prefixes, prefix)
        return at < len(self.prefixes) and self.prefixes[at] == prefix


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _journal(path: Path) -> dict[str, dict[str, Any]]:
    """The findings a journal holds by fingerprint; a line cut short (a check stopped as it
    wrote) is skipped, and its estate checked again."""
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return {}
    kept = {}
    for line in lines:
        try:
            fingerprint, findings = json.loads(line)
        except (ValueError, TypeError):
            continue
        if isinstance(fingerprint, str) and isinstance(findings, dict):
            kept[fingerprint] = findings
    return kept


def _name(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except FileNotFoundError:
        return []
