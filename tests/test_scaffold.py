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
    with pytest.raises(UsageError, match="已经存在：换一个小区编号"):
        new_estate(site.root, "x")
    with pytest.raises(UsageError, match="小区编号“Bad_ID”不能用：只用小写字母 a-z"):
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


def test_init_makes_a_site_that_checks_clean_in_an_empty_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(tmp_path), "init", "新站点"])
    assert result.exit_code == 0, result.output
    site = tmp_path / "新站点"
    assert {p.name for p in site.iterdir()} == {"site.yaml", "content", ".gitignore", "schemas"}
    assert "build/" in (site / ".gitignore").read_text(encoding="utf-8")
    assert "# 站点设置 site.yaml" in (site / "site.yaml").read_text(encoding="utf-8")
    checked = runner.invoke(main, ["-C", str(site), "check", "--strict"])
    assert checked.exit_code == 0, checked.output
    assert "没有发现问题" in checked.output
    again = runner.invoke(main, ["-C", str(site), "init"])
    assert again.exit_code == 2
    assert "里已经有 site.yaml：这里已经是一个站点，不会改动它" in again.output


def test_init_with_a_first_estate_checks_without_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    args = ["-C", str(tmp_path), "init", "--title", "阳光物业", "--estate", "yang-guang-yuan"]
    result = runner.invoke(main, [*args, "--name", "阳光苑"])
    assert result.exit_code == 0, result.output
    assert "已创建 content/yang-guang-yuan/" in result.output
    checked = runner.invoke(main, ["-C", str(tmp_path), "check"])
    assert checked.exit_code == 0, checked.output
    assert 'title: "阳光物业"' in (tmp_path / "site.yaml").read_text(encoding="utf-8")
