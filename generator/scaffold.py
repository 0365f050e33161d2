"""New sites and estates from annotated templates, and the JSON Schemas editors validate with."""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .config import SITE_FILE, SiteConfig, require_config
from .content import ACCOUNT_DIRS, SECTION_FILES
from .errors import UsageError
from .i18n import _
from .model import Snapshot
from .model.base import ID_PATTERN
from .model.governance import DocumentMeta
from .model.notices import NoticeMeta
from .paths import SITE_FOLDERS

SCHEMA_DIR = "schemas"
_PLACEHOLDER_ID = "__ESTATE_ID__"
_PLACEHOLDER_NAME = "__ESTATE_NAME__"
_SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_models() -> dict[str, type[BaseModel]]:
    """Schema file stem -> the model it describes."""
    models: dict[str, type[BaseModel]] = {Path(f).stem: m for f, (_key, m) in SECTION_FILES.items()}
    models.update({d: m for d, (_key, m) in ACCOUNT_DIRS.items()})
    models.update(
        {"notice": NoticeMeta, "document": DocumentMeta, "release": Snapshot, "site": SiteConfig}
    )
    return models


def schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text, generated from the models."""
    out = {}
    for stem, model in schema_models().items():
        schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        schema.update(model.model_json_schema(by_alias=True))
        out[f"{stem}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return out


def write_schemas(site: Path) -> list[Path]:
    """Write every schema into the site's schemas/ folder."""
    folder = site / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def schema_for(relative: Path) -> str | None:
    """The schema file stem for a content file path inside an estate folder."""
    parts = relative.parts
    if len(parts) == 1 and parts[0] in SECTION_FILES:
        return Path(parts[0]).stem
    if len(parts) == 3 and parts[0] == "accounts" and parts[1] in ACCOUNT_DIRS:
        return parts[1]
    return None


def schema_line(site: Path, file: Path, stem: str) -> str:
    """The first line of a content file, pointing editors at its schema."""
    target = os.path.relpath(site / SCHEMA_DIR / f"{stem}.schema.json", file.parent)
    return _SCHEMA_LINE + Path(target).as_posix()


SITE_TITLE, SITE_URL = "阳光物业公示", "https://sunshine.example.org/"
# template file -> where init puts it in the new site
SITE_FILES = {
    "site.yaml": SITE_FILE,
    "gitignore": ".gitignore",
    "content-README.md": "content/README.md",
}


def init_site(root: Path, title: str | None = None, url: str | None = None) -> list[Path]:
    """Make a new site in ``root`` (made if missing) that checks clean; return what was made.

    A folder that holds a site.yaml is refused; any other file already there
    is left as it is (a .gitignore of the clerk's own is kept).
    """
    if (root / SITE_FILE).exists():
        raise UsageError(_("{root} 里已经有 site.yaml：这里已经是一个站点，不会改动它", root=root))
    if root.exists() and not root.is_dir():
        raise UsageError(_("{root} 是一个文件，不是目录", root=root))
    title, url = title or SITE_TITLE, url or SITE_URL
    try:
        SiteConfig.model_validate({"title": title, "base_url": url})
    except ValidationError:
        raise UsageError(
            _(
                "--url {url}：网址要以 https:// 或 http:// 开头，例如 https://wuye.example.org/",
                url=url,
            )
        ) from None
    values = {"__SITE_TITLE__": _quoted(title), "__SITE_URL__": _quoted(url)}
    template = resources.files("generator") / "scaffold" / "site"
    made = []
    for name, target in SITE_FILES.items():
        path = root / target
        if path.exists():
            continue
        text = (template / name).read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        made.append(path)
    write_schemas(root)
    return [*made, root / SCHEMA_DIR]


def _quoted(text: str) -> str:
    """Text for the inside of a double-quoted YAML string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def new_estate(site: Path, estate_id: str, name: str | None = None) -> Path:
    """Copy the annotated template into content/<estate_id>/; refuse an existing id."""
    config = require_config(site)
    if not ID_PATTERN.match(estate_id):
        raise UsageError(
            _(
                "小区编号“{id}”不能用：只用小写字母 a-z、数字 0-9 和 -，以字母或数字开头和结尾，例如 yang-guang-yuan",
                id=estate_id,
            )
        )
    if estate_id in SITE_FOLDERS:
        raise UsageError(
            _(
                "小区编号“{id}”与网站自己的目录重名（{taken}）：请换一个小区编号",
                id=estate_id,
                taken=", ".join(f"{name}/" for name in sorted(SITE_FOLDERS)),
            )
        )
    folder = site / config.content_dir / estate_id
    if folder.exists():
        raise UsageError(
            _("{folder} 已经存在：换一个小区编号，或直接修改其中的文件", folder=folder)
        )
    template = resources.files("generator") / "scaffold" / "estate"
    with resources.as_file(template) as source:
        shutil.copytree(source, folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            _fill(site, folder, path, estate_id, name or "新小区")
    if not (site / SCHEMA_DIR).is_dir():
        write_schemas(site)
    return folder


def _fill(site: Path, folder: Path, path: Path, estate_id: str, name: str) -> None:
    text = path.read_text(encoding="utf-8").replace(_PLACEHOLDER_ID, estate_id)
    # the template quotes names: any text is safe
    text = text.replace(_PLACEHOLDER_NAME, _quoted(name) if path.suffix == ".yaml" else name)
    stem = schema_for(path.relative_to(folder))
    if stem is not None:
        lines = text.split("\n")
        if lines[0].startswith(_SCHEMA_LINE):
            lines = lines[1:]
        text = "\n".join([schema_line(site, path, stem), *lines])
    path.write_text(text, encoding="utf-8")
