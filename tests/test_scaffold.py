from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.scaffold import new_estate

from .conftest import Site


def test_new_estate_passes_check_strictly(site: Site) -> None:
    assert site.check() == []


def test_new_estate_fills_id_and_name(site: Site) -> None:
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    assert "\nid: x " in text
    assert 'name: "测试小区"' in text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/estate.schema.json\n")
    assert (site.root / "schemas" / "estate.schema.json").is_file()


def test_new_estate_refuses_existing_and_unsafe_ids(site: Site) -> None:
    with pytest.raises(UsageError, match="exists already"):
        new_estate(site.root, "x")
    with pytest.raises(UsageError, match="not a URL-safe id"):
        new_estate(site.root, "Bad_ID")
    assert not (site.root / "content" / "Bad_ID").exists()


def test_template_reads_as_a_guide(site: Site) -> None:
    """Every template file explains itself in Chinese comments."""
    for path in sorted(site.estate.rglob("*.yaml")):
        comments = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()[1:]
            if line.lstrip().startswith("#")
        ]
        assert comments, f"{path} has no guiding comments"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(comments)), path


def test_schemas_dir_is_written_once(tmp_path: Path) -> None:
    s = Site(tmp_path)
    marker = s.root / "schemas" / "estate.schema.json"
    marker.write_text("{}", encoding="utf-8")
    new_estate(s.root, "y")
    assert marker.read_text(encoding="utf-8") == "{}"


def test_any_name_is_safe_in_the_template(tmp_path: Path) -> None:
    s = Site(tmp_path)
    new_estate(s.root, "y", 'A: "B" #C')
    assert s.check() == []
    from generator.pipeline import load_site

    estate = next(e for e in load_site(s.root).estates if e.id == "y")
    assert estate.data is not None
    assert estate.data.estate.name == 'A: "B" #C'


def test_the_first_release_of_a_new_estate_passes_check_strictly(site: Site) -> None:
    """The template's working copy, audited as a first release on 2025-08-01: its rule profile is met."""
    from click.testing import CliRunner

    from generator.cli import main

    args = ["-C", str(site.root), "check", "--strict", "--as-of", "2025-08-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output
    assert "按 2025-08-01 发布的下一期审核" in result.output
