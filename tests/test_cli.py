from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

from .conftest import REPO, Site


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_on_the_demo_content_is_clean() -> None:
    code, output = run("-C", str(REPO), "check", "--strict", "--as-of", "2026-08-20")
    assert code == 0, output
    assert "没有发现问题" in output


def test_check_exit_1_with_every_diagnostic(site: Site) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    site.write("votes.yaml", text.replace("approving: {area: 7100.00", "approving: {area: 9100.00"))
    code, output = run("-C", str(site.root), "check")
    assert code == 1, output
    assert [line for line in output.splitlines() if " 错误: " in line][0] == (
        "content/x/votes.yaml:32:23: V001 错误: 表决“vote-2025-roof”：同意的面积 9100.00 多于参与的 8200.00：请核对表决统计"
    )
    assert output.splitlines()[-1].startswith("1 个错误，")


def test_warnings_pass_unless_strict(site: Site) -> None:
    site.write(
        "notices/2025-05-25-fee-adjustment.md",
        "---\ntitle: 通知\ndate: 2025-05-25\ncategory: 日常通知\n---\n\n",
    )
    code, output = run("-C", str(site.root), "check", "--as-of", "2025-08-01")
    assert code == 0, output
    assert "N002 警告:" in output
    code, output = run("-C", str(site.root), "check", "--as-of", "2025-08-01", "--strict")
    assert code == 1, output
    assert "N002 错误:" in output


def test_check_json_format(site: Site) -> None:
    site.write(
        "estate.yaml",
        (site.estate / "estate.yaml")
        .read_text(encoding="utf-8")
        .replace("households: 320 ", "households: -1 "),
    )
    result = CliRunner().invoke(main, ["-C", str(site.root), "check", "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == 1
    (first,) = [d for d in payload["diagnostics"] if d["severity"] == "error"]
    assert first | {"message": ""} == {
        "file": "content/x/estate.yaml",
        "line": 14,
        "column": 13,
        "code": "S003",
        "severity": "error",
        "message": "",
    }


def test_usage_errors_exit_2(tmp_path: object, site: Site) -> None:
    code, output = run("-C", str(site.root / "content"), "check")
    assert (
        code == 2
        and "里没有 site.yaml：请在站点目录（放 site.yaml 的目录）里运行，或用 -C 目录 指定；还没有站点时，先运行 sunshine init"
        in output
    )
    code, _ = run("-C", str(site.root), "check", "--no-such-option")
    assert code == 2
    code, output = run("-C", str(site.root), "new", "x")
    assert code == 2 and "已经存在：换一个小区编号，或直接修改其中的文件" in output
    code, output = run("-C", str(site.root / "missing"), "check")
    assert code == 2


def test_site_config_errors_are_content_errors(site: Site) -> None:
    (site.root / "site.yaml").write_text(
        "title: x\nbase_url: javascript:alert(1)\n", encoding="utf-8"
    )
    code, output = run("-C", str(site.root), "check")
    assert code == 1
    assert output.startswith(
        "site.yaml:2:11: K001 错误: base_url（站点网址）：“javascript:alert(1)”不是可用的链接："
    )


def test_new_then_release_through_the_cli(site: Site) -> None:
    code, output = run("-C", str(site.root), "new", "yang-guang-yuan", "--name", "阳光苑")
    assert code == 0, output
    args = ["--date", "2025-07-10", "--posting-from", "2025-07-10", "--posting-to", "2025-07-24"]
    code, output = run("-C", str(site.root), "release", "yang-guang-yuan", "--id", "2025-h1", *args)
    assert code == 0, output
    assert (site.root / "content/yang-guang-yuan/releases/2025-h1.json").is_file()
    code, output = run("-C", str(site.root), "release", "yang-guang-yuan", "--id", "2025-h1", *args)
    assert code == 2 and "期次“2025-h1”已经存在：已发布的期次不能替换" in output


def test_python_dash_m_generator_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0
    assert "check" in result.stdout and "release" in result.stdout


def test_the_command_leaves_as_it_would_without_its_teardown(tmp_path: Path) -> None:
    """run() skips the interpreter's teardown: every exit code, every line of output and
    every atexit handler are as a plain exit leaves them."""
    said = tmp_path / "said"
    code = (
        "import atexit, pathlib, sys;"
        f"atexit.register(lambda: pathlib.Path({str(said)!r}).write_text('bye'));"
        "from generator.cli import run; sys.argv = ['sunshine', *sys.argv[1:]]; run()"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True
    )
    assert shown.returncode == 0 and shown.stdout.startswith("sunshine ")
    assert said.read_text() == "bye"
    said.unlink()
    usage = [sys.executable, "-c", code, "-C", str(tmp_path), "check"]
    refused = subprocess.run(usage, capture_output=True, text=True)
    assert refused.returncode == 2 and "没有 site.yaml" in refused.stderr
    assert said.read_text() == "bye"
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    (site / "content" / "yun-lian-xin-cun" / "votes.yaml").write_text(
        "votes: [\n", encoding="utf-8"
    )
    usage = [sys.executable, "-c", code, "-C", str(site), "check", "--as-of", "2026-08-20"]
    failed = subprocess.run(usage, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "content/yun-lian-xin-cun/votes.yaml:" in failed.stdout
    assert failed.stdout.endswith("\n") and "个错误" in failed.stderr


def test_library_never_imports_click() -> None:
    code = "import sys, generator.pipeline, generator.scaffold, generator.releases; print('click' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "False"


def test_an_estate_may_not_take_the_name_of_a_site_folder(site: Site) -> None:
    # content/en/ would be published where the English pages are, and build/en/ is both
    shutil.copytree(site.estate, site.root / "content" / "en")
    code, output = run("-C", str(site.root), "check")
    assert code == 1, output
    assert (
        "content/en:1:1: I002 错误: 小区编号“en”与网站自己的目录重名（assets/, compare/, data/, en/, overview/, print/, streets/）：请换一个小区编号"
        in output
    )
    code, output = run("-C", str(site.root), "build", "--no-pdf")
    assert code == 4 and "I002" in output  # not an estate: the others are built
    assert '<html lang="en"' in (site.root / "build" / "en" / "index.html").read_text("utf-8")
