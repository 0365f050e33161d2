"""Release snapshots: the canonical format, its content hash, and reading them back.

A snapshot is ``releases/<id>.json``, written by the machine and never edited
by hand. It is JSON with sorted keys, so the same data always gives the same
bytes, and it parses far faster than YAML. Its ``sha256`` is the hash of the
compact canonical JSON of ``{"format", "release", "data"}``; the first 12 hex
characters are the release's fingerprint, printed on paper and web alike.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from .errors import Diagnostic, Location
from .i18n import _
from .load import SNAPSHOT_BOUNDS, Bounds, dotted, read_text
from .model import SNAPSHOT_FORMAT, Accounts, EstateData, Snapshot
from .model.notices import Release

FINGERPRINT_LENGTH = 12


def _payload(release: Release, data: EstateData) -> dict[str, Any]:
    return {
        "format": SNAPSHOT_FORMAT,
        "release": release.model_dump(mode="json", by_alias=True),
        "data": data.model_dump(mode="json", by_alias=True),
    }


def content_hash(release: Release, data: EstateData) -> str:
    """Return the SHA-256 of the release's canonical JSON."""
    return document_hash(_payload(release, data))


def document_hash(document: dict[str, Any]) -> str:
    """SHA-256 of a snapshot document as stored, without its own ``sha256``.

    Hashing the stored JSON, not a re-serialised model, keeps old snapshots
    valid when later versions add optional fields to the model.
    """
    payload = {k: v for k, v in document.items() if k != "sha256"}
    compact = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def stored_hash(document: dict[str, Any], said: str) -> str:
    """document_hash, found five times faster when a snapshot holds what it says it does:
    3 ms of the 90 ms a check spends on an estate of the benchmark's city.

    orjson writes what release writes (strings, integers, true, false, null) to the same
    compact sorted bytes as json.dumps. These are hashed first; when they do not come to
    ``said`` (a snapshot changed, or a number orjson writes otherwise), json's own bytes
    decide. The one answer json would not give: a float (1e-05, which orjson writes
    0.00001) in a snapshot written by hand with orjson's hash. Whoever could write that
    could as well have written json's hash, so nothing is let through that was not.
    """
    payload = {k: v for k, v in document.items() if k != "sha256"}
    try:
        quick = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
    except (orjson.JSONEncodeError, RecursionError):  # a lone surrogate, a huge integer
        quick = None
    return said if quick == said else document_hash(document)


def fingerprint(sha256: str) -> str:
    """Return the short fingerprint shown on sheets and pages."""
    return sha256[:FINGERPRINT_LENGTH]


def snapshot_text(release: Release, data: EstateData) -> str:
    """Return the snapshot file's text: canonical, one value per line for readable git diffs."""
    document = {**_payload(release, data), "sha256": content_hash(release, data)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _read(
    path: Path, display: str, bounds: Bounds
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    text, problems = read_text(path, display, bounds)
    if text is None:
        return None, problems
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        message = _(
            "期次快照不是有效的 JSON：这个文件由 sunshine release 写入，不能手改；请用 git 恢复它（git checkout -- 文件名）"
        )
        return None, [Diagnostic("L007", Location(display, exc.lineno, exc.colno), message)]
    except (RecursionError, ValueError):  # nested past Python's limit, or a number of 4,300 digits
        message = _("期次快照嵌套过深或数字过长，不是 sunshine release 写入的文件；请用 git 恢复它")
        return None, [Diagnostic("L007", Location(display, 1, 1), message)]
    if not isinstance(document, dict):
        message = _("期次快照的内容不对：它应是 sunshine release 写入的 JSON 对象；请用 git 恢复它")
        return None, [Diagnostic("R002", Location(display, 1, 1), message)]
    return document, []


def _shared(
    document: dict[str, Any], earlier: tuple[dict[str, Any], Snapshot] | None
) -> dict[str, Any]:
    """The document with the parts equal to the earlier snapshot's taken from it: whole
    sections (fees, contracts …) the same to the last type, and statements and notices.

    Consecutive releases mostly repeat the periods before them. An equal part
    is not validated again, and being the same object, it is rendered once
    for every page and file that shows it.
    """
    if earlier is None:
        return document
    before, snapshot = earlier
    data, old = document.get("data"), before.get("data")
    if not isinstance(data, dict) or not isinstance(old, dict):
        return document
    data = dict(data)
    whole = set()
    for name, info in EstateData.model_fields.items():
        key = info.alias or name
        if key in data and key in old and _identical(data[key], old[key]):
            data[key] = getattr(snapshot.data, name)
            whole.add(key)
    parts = [] if "notices" in whole else [(data, old, "notices", snapshot.data.notices)]
    accounts, old_accounts = data.get("accounts"), old.get("accounts")
    if "accounts" not in whole and isinstance(accounts, dict) and isinstance(old_accounts, dict):
        data["accounts"] = accounts = dict(accounts)
        for kind in Accounts.model_fields:
            models = getattr(snapshot.data.accounts, kind)
            parts.append((accounts, old_accounts, kind, models))
    for holder, old_holder, key, models in parts:
        items, old_items = holder.get(key), old_holder.get(key)
        if isinstance(items, dict) and isinstance(old_items, dict):
            holder[key] = {
                k: models[k] if k in models and old_items.get(k) == v else v
                for k, v in items.items()
            }
    return {**document, "data": data}


def _identical(value: Any, other: Any) -> bool:
    """Whether two parsed JSON values are the same to the last type: ``==`` alone takes
    ``1``, ``1.0`` and ``true`` for one another, which validate and hash differently.

    marshal writes every value with its type, and its bytes read back to one value only;
    its version 2, before references, writes a value the same however often it is referred
    to (a string the earlier snapshot's model holds too).
    """
    if value is other:
        return True
    try:
        return value == other and marshal.dumps(value, 2) == marshal.dumps(other, 2)
    except (ValueError, RecursionError):  # nested past marshal's limit: not shared
        return False


def _validate(
    document: dict[str, Any], shared: dict[str, Any], path: Path, display: str
) -> tuple[Snapshot | None, list[Diagnostic]]:
    try:
        snapshot = Snapshot.model_validate(shared)
    except ValidationError as exc:
        return None, [_invalid(e, path, display) for e in exc.errors(include_url=False)]
    problems = []
    if snapshot.release.id != path.stem:
        problems.append(
            Diagnostic(
                "I004",
                Location(display, 1, 1),
                _(
                    "快照里的期次编号是“{id}”，文件名是“{stem}”：两者要一致；快照不能改名，请用 git 恢复原来的文件名",
                    id=snapshot.release.id,
                    stem=path.stem,
                ),
            )
        )
    actual = stored_hash(document, snapshot.sha256)
    if actual != snapshot.sha256:  # not what was published: not a witness of history either
        message = _(
            "快照写入后被改过：按内容算出的指纹是 {actual}…，文件里记的是 {said}…；已发布的快照不能改，请用 git 恢复它，要更正请在 corrections.yaml 登记更正",
            actual=actual[:12],
            said=snapshot.sha256[:12],
        )
        return None, [*problems, Diagnostic("R001", Location(display, 1, 1), message)]
    return snapshot, problems


def _invalid(error: Any, path: Path, display: str) -> Diagnostic:
    """What is wrong with a snapshot; a character the text rule refuses, where it is."""
    where = dotted(tuple(error["loc"]))
    if error["type"].startswith("sunshine_T"):  # frozen before the rule: it cannot be changed
        message = _(
            "{path}：这一期快照是在文字规则之前定稿的，{reason}。快照不能修改：这个小区在网站上保留上次生成的内容，暂停更新，直到按 docs/content.zh.md“文字规则”一节处理",
            path=where,
            reason=error["msg"],
        )
        place = _place(path, error["input"], error["ctx"]["char"], display)
        return Diagnostic(error["type"].removeprefix("sunshine_"), place, message)
    message = _(
        "{path}：期次快照里这一项不对（{reason}）：快照由 sunshine release 写入，不能手改；请用 git 恢复它",
        path=where,
        reason=error["msg"],
    )
    return Diagnostic("R002", Location(display, 1, 1), message)


def _place(path: Path, value: Any, char: str, display: str) -> Location:
    """Where a snapshot holds ``char`` in ``value``, as written by snapshot_text."""
    text, _problems = read_text(path, display, SNAPSHOT_BOUNDS)
    if text is None:
        return Location(display, 1, 1)
    at = text.find(json.dumps(value, ensure_ascii=False)) if isinstance(value, str) else -1
    at = text.find(json.dumps(char, ensure_ascii=False)[1:-1], max(at, 0))
    if at < 0:
        return Location(display, 1, 1)
    return Location(display, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))


def load_releases(
    folder: Path, display: str, bounds: Bounds = SNAPSHOT_BOUNDS
) -> tuple[list[Snapshot], list[Diagnostic]]:
    """Read every snapshot of an estate, oldest release first; none through a link (the
    estate's check reports the link)."""
    snapshots, problems = [], []
    earlier: tuple[dict[str, Any], Snapshot] | None = None
    for path in _snapshot_files(folder / "releases"):  # by id: consecutive, mostly
        display_path = f"{display}/releases/{path.name}"
        document, found = _read(path, display_path, bounds)
        if document is not None:
            snapshot, found = _validate(document, _shared(document, earlier), path, display_path)
            if snapshot is not None:
                snapshots.append(snapshot)
                earlier = (document, snapshot)
        problems += found
    snapshots.sort(key=lambda s: (s.release.date, s.release.id))
    return snapshots, problems + list(_broken_links(snapshots, display))


def _broken_links(snapshots: list[Snapshot], display: str) -> Iterator[Diagnostic]:
    """R005: a release names as its previous one a release that is not the one before it here."""
    before: Snapshot | None = None
    for snapshot in snapshots:
        named = snapshot.release.previous
        if named is not None and (
            before is None or (named.id, named.sha256) != (before.release.id, before.sha256)
        ):
            there = (
                _(
                    "这里它前面是期次 {id}（指纹 {fingerprint}）",
                    id=before.release.id,
                    fingerprint=fingerprint(before.sha256),
                )
                if before is not None
                else _("这里它前面没有期次")
            )
            message = _(
                "期次 {id} 记载它的上一期是 {previous}（指纹 {fingerprint}），但{there}：有一期快照被删除、替换或改动过。请用 git 恢复被删改的快照",
                id=snapshot.release.id, previous=named.id, fingerprint=fingerprint(named.sha256), there=there,
            )  # fmt: skip
            where = Location(f"{display}/releases/{snapshot.release.id}.json", 1, 1)
            yield Diagnostic("R005", where, message)
        before = snapshot


def _snapshot_files(folder: Path) -> list[Path]:
    """The regular *.json files of a releases folder that is not itself a link."""
    if folder.is_symlink():
        return []
    try:
        with os.scandir(folder) as entries:
            found = [
                Path(e.path)
                for e in entries
                if e.name.endswith(".json") and e.is_file(follow_symlinks=False)
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found)


def snapshot_name(release_id: str) -> str:
    """Where a release's snapshot is in its estate's folder."""
    return f"releases/{release_id}.json"


def write_snapshot(folder: Path, release: Release, data: EstateData) -> Path:
    """Write a new snapshot; refuse to replace one that exists."""
    path = folder / snapshot_name(release.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as out:
        out.write(snapshot_text(release, data))
    return path
