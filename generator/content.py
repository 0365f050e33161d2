"""The content tree: which files an estate has, and how each becomes a model.

An estate is a folder ``content/<estate-id>/``::

    estate.yaml                         the estate and its parties
    fees.yaml                           the price board
    contracts.yaml                      service contracts and amendments
    services.yaml                       the four guarantees (四保)
    votes.yaml                          owners' votes
    corrections.yaml                    corrections (更正) of published data
    accounts/maintenance-fund/<p>.yaml  one statement per period <p>
    accounts/public-revenue/<p>.yaml
    accounts/property-fees/<p>.yaml
    notices/<id>.md                     Markdown with YAML front matter
    releases/<id>.json                  machine-written release snapshots
    attachments/...                     scans and other files, not parsed
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, Location
from .load import DataPath, Located, dotted, load_file, load_text, read_text
from .model import Accounts, EstateData
from .model.accounts import FeeStatement, FundStatement, RevenueStatement, Votes
from .model.base import ID_PATTERN
from .model.contracts import Contracts, Services
from .model.estate import Estate
from .model.fees import Fees
from .model.notices import Corrections, Notice, NoticeMeta

# file name -> (field of EstateData, model); the one table the loader, the
# schemas and the scaffold follow.
SECTION_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "estate.yaml": ("estate", Estate),
    "fees.yaml": ("fees", Fees),
    "contracts.yaml": ("contracts", Contracts),
    "services.yaml": ("services", Services),
    "votes.yaml": ("votes", Votes),
    "corrections.yaml": ("corrections", Corrections),
}
ACCOUNT_DIRS: dict[str, tuple[str, type[BaseModel]]] = {
    "maintenance-fund": ("maintenance_fund", FundStatement),
    "public-revenue": ("public_revenue", RevenueStatement),
    "property-fees": ("property_fees", FeeStatement),
}
NOTICES_DIR = "notices"
RELEASES_DIR = "releases"
ATTACHMENTS_DIR = "attachments"


@dataclass
class EstateSource:
    """Where an estate's data came from, to turn a data path into file:line:col."""

    folder: Path
    display: str
    files: dict[tuple[str, ...], Located] = field(default_factory=dict)

    def at(self, part: tuple[str, ...], path: DataPath = (), key: bool = False) -> Location:
        """Location of ``path`` inside the file holding ``part`` (e.g. ("fees",))."""
        located = self.files.get(part)
        if located is None:
            return Location(f"{self.display}/{_part_file(part)}", 1, 1)
        return located.where(path, key=key)


def _part_file(part: tuple[str, ...]) -> str:
    if part[0] == "accounts":
        folder = next(d for d, (name, _model) in ACCOUNT_DIRS.items() if name == part[1])
        return f"accounts/{folder}/{part[2]}.yaml"
    if part[0] == "notices":
        return f"{NOTICES_DIR}/{part[1]}.md"
    return next(f for f, (name, _model) in SECTION_FILES.items() if name == part[0])


def parse(
    model: type[BaseModel], located: Located, extra: dict[str, Any] | None = None
) -> tuple[Any, list[Diagnostic]]:
    """Validate located data against a model; map every error to a diagnostic."""
    data = located.data if extra is None else {**(located.data or {}), **extra}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnostic(err, located, model) for err in exc.errors(include_url=False)]


def _diagnostic(err: Any, located: Located, model: type[BaseModel]) -> Diagnostic:
    path: DataPath = tuple(err["loc"])
    kind: str = err["type"]
    if kind == "missing":
        return Diagnostic(
            "S001",
            located.where(path[:-1]),
            f"{dotted(path)}: required field '{path[-1]}' is missing",
        )
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(path[-1]), fields_at(model, path[:-1]), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        message = f"{dotted(path)}: unknown field '{path[-1]}'{hint}"
        return Diagnostic("S002", located.where(path, key=True), message)
    if kind.startswith("sunshine_"):
        return Diagnostic(
            kind.removeprefix("sunshine_"), located.where(path), f"{dotted(path)}: {err['msg']}"
        )
    code = "S005" if kind.startswith("date") else "S004" if kind.startswith("decimal") else "S003"
    got = repr(err.get("input"))
    got = got if len(got) <= 60 else got[:57] + "..."
    return Diagnostic(code, located.where(path), f"{dotted(path)}: {err['msg']}, got {got}")


def fields_at(model: type[BaseModel], path: DataPath) -> list[str]:
    """The YAML keys allowed in the mapping at ``path`` of ``model``."""
    current: Any = model
    for part in path:
        current = _bare(current)
        if isinstance(part, int):
            current = _bare(get_args(current)[0]) if get_origin(current) is list else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            fields = {f.alias or n: f.annotation for n, f in current.model_fields.items()}
            current = fields.get(part)
        else:
            return []
    current = _bare(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _bare(annotation: Any) -> Any:
    """Strip Optional and Annotated from a type annotation."""
    while get_origin(annotation) in (Annotated, Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return annotation


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split '---' front matter from a Markdown body; None when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    return None


def load_notice(
    path: Path, display: str, notice_id: str
) -> tuple[Located, Notice | None, list[Diagnostic]]:
    """Load notices/<id>.md: front matter -> NoticeMeta, the rest is the body."""
    text, problems = read_text(path, display)
    if text is None:
        return Located(display, None), None, problems
    parts = split_front_matter(text)
    if parts is None:
        message = "a notice starts with front matter between '---' lines (title, date, category)"
        return Located(display, None), None, [Diagnostic("L005", Location(display, 1, 1), message)]
    located, problems = load_text(parts[0], display, line_offset=1)
    if problems:
        return located, None, problems
    meta, problems = parse(NoticeMeta, located)
    if meta is None:
        return located, None, [_as_notice_error(d) for d in problems]
    notice = Notice.model_validate({**located.data, "id": notice_id, "body": parts[1]})
    return located, notice, []


def _as_notice_error(d: Diagnostic) -> Diagnostic:
    return (
        Diagnostic("N001", d.location, f"{d.message} ({d.code})") if d.code.startswith("S") else d
    )


@dataclass
class LoadedParts:
    """An estate as loaded: the data of every file that passed, and whether all did."""

    data: EstateData | None
    source: EstateSource
    problems: list[Diagnostic]
    complete: bool


def load_estate(folder: Path, display: str) -> LoadedParts:
    """Load one estate folder, keeping every file that passes its schema."""
    source = EstateSource(folder, display)
    problems: list[Diagnostic] = []
    parts: dict[str, Any] = {}
    failed = 0
    if not (folder / "estate.yaml").exists():
        message = "estate.yaml is missing: every estate folder needs one"
        problems.append(Diagnostic("S001", Location(f"{display}/estate.yaml", 1, 1), message))
    for name, (key, model) in SECTION_FILES.items():
        if (folder / name).exists():
            value, found = _load_part(folder / name, f"{display}/{name}", model, source, (key,))
            problems += found
            failed += value is None
            if value is not None:
                parts[key] = value
    accounts: dict[str, dict[str, Any]] = {name: {} for name, _ in ACCOUNT_DIRS.values()}
    for folder_name, (key, model) in ACCOUNT_DIRS.items():
        for path in sorted((folder / "accounts" / folder_name).glob("*.yaml")):
            shown = f"{display}/accounts/{folder_name}/{path.name}"
            if not _file_id_ok(path, shown, problems):
                failed += 1
                continue
            value, found = _load_part(path, shown, model, source, ("accounts", key, path.stem))
            problems += found
            failed += value is None
            if value is not None:
                accounts[key][path.stem] = value
    notices: dict[str, Notice] = {}
    for path in sorted((folder / NOTICES_DIR).glob("*.md")):
        shown = f"{display}/{NOTICES_DIR}/{path.name}"
        if not _file_id_ok(path, shown, problems):
            failed += 1
            continue
        located, notice, found = load_notice(path, shown, path.stem)
        source.files[("notices", path.stem)] = located
        problems += found
        failed += notice is None
        if notice is not None:
            notices[notice.id] = notice
    problems += _stray_files(folder, display)
    if "estate" not in parts:
        return LoadedParts(None, source, problems, False)
    data = EstateData(**parts, accounts=Accounts(**accounts), notices=notices)
    return LoadedParts(data, source, problems, failed == 0)


def _load_part(
    path: Path, display: str, model: type[BaseModel], source: EstateSource, part: tuple[str, ...]
) -> tuple[Any, list[Diagnostic]]:
    located, problems = load_file(path, display)
    source.files[part] = located
    if located.data is None and problems:  # unreadable or not YAML: nothing to validate
        return None, problems
    value, found = parse(model, located)
    return (None if problems else value), problems + found


def _file_id_ok(path: Path, shown: str, problems: list[Diagnostic]) -> bool:
    """A statement's or notice's file name is its id: it must be URL-safe."""
    if ID_PATTERN.match(path.stem):
        return True
    message = f"file name '{path.stem}' is not a URL-safe id: use a-z, 0-9 and '-' (e.g. 2025-q1)"
    problems.append(Diagnostic("I001", Location(shown, 1, 1), message))
    return False


def _stray_files(folder: Path, display: str) -> list[Diagnostic]:
    """Files the loader would silently ignore are reported, so no data is lost."""
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (
            any(p.startswith(".") for p in rel.parts)
            or path.is_dir()
            or rel.parts[0] == ATTACHMENTS_DIR
        ):
            continue
        expected = (
            (len(rel.parts) == 1 and rel.name in SECTION_FILES)
            or (
                len(rel.parts) == 3
                and rel.parts[0] == "accounts"
                and rel.parts[1] in ACCOUNT_DIRS
                and rel.suffix == ".yaml"
            )
            or (len(rel.parts) == 2 and rel.parts[0] == NOTICES_DIR and rel.suffix == ".md")
            or (len(rel.parts) == 2 and rel.parts[0] == RELEASES_DIR and rel.suffix == ".json")
        )
        if not expected:
            problems.append(
                Diagnostic(
                    "L006",
                    Location(f"{display}/{rel.as_posix()}", 1, 1),
                    "this file is not read: see docs/content.zh.md (docs/content.en.md) for where each kind of file goes (scans go under attachments/)",
                )
            )
    return problems
