"""The pipeline files: their shell lines, run in a fresh clone of the demo site, publish the demo's site."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.ci import PIPELINES, PUBLIC, pipeline_text, write_pipelines
from generator.cli import main
from generator.errors import UsageError

from .conftest import GIT_ENV, REPO, run_git

# Lines that install what this machine has already (scripts/setup.sh): the system packages,
# and sunshine itself, whose place the test's own environment takes (.venv, linked below).
INSTALLS = (
    "sudo apt-get ",
    "apt-get ",
    "python -m venv .venv",
    '.venv/bin/pip install -q -e "$SUNSHINE_SOURCE"',
)


def shell_lines(host: str) -> list[str]:
    """Every shell line of the pipeline's build job, in order."""
    document = yaml.safe_load(pipeline_text(host))
    if host == "github":
        steps = document["jobs"]["build"]["steps"]
        return [
            line
            for step in steps
            if "run" in step
            for line in step["run"].splitlines()
            if line.strip()
        ]
    job = document["pages"]
    return [*job["before_script"], *job["script"]]


def variables(host: str) -> dict[str, str]:
    document = yaml.safe_load(pipeline_text(host))
    return {k: str(v) for k, v in document["env" if host == "github" else "variables"].items()}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site in a git repository of its own: site.yaml, content/, schemas/, themes/."""
    root = tmp_path_factory.mktemp("origin")
    for name in ("site.yaml", "content", "schemas", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", ".")
    run_git(root, "commit", "-q", "-m", "demo site")
    return root


def run_pipeline(
    host: str, origin: Path, work: Path, cache: Path | None = None
) -> tuple[Path, str]:
    """Clone the site afresh, restore the cache as CI would, run the build job's shell lines."""
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, env=GIT_ENV)
    (clone / ".venv").symlink_to(REPO / ".venv")
    if cache is not None:
        shutil.copytree(cache, clone / ".sunshine-cache")
    lines = shell_lines(host)
    assert [line for line in lines if line.startswith(INSTALLS)] == [
        line for line in lines if "apt-get" in line or "venv" in line and "sunshine " not in line
    ]
    script = "\n".join(line for line in lines if not line.startswith(INSTALLS))
    env = {**os.environ, **variables(host)}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return clone, result.stdout + result.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".sunshine-")
    }


def test_each_pipeline_builds_in_a_fresh_clone_the_site_the_demo_builds(
    origin: Path, tmp_path: Path, demo_build: Path, demo_cache: Path
) -> None:
    expected = files(demo_build)
    for host in PIPELINES:  # each run restores the cache a run before it left, as CI does
        clone, output = run_pipeline(host, origin, tmp_path / host, demo_cache)
        assert "0 个错误" in output or "没有发现问题" in output, output
        assert "从缓存取 3 个" in output, output  # every estate from the restored cache
        assert [p.name for p in (clone / PUBLIC).rglob(".sunshine-*")] == []
        assert files(clone / PUBLIC) == expected
        kept = {p.name for p in (clone / ".sunshine-cache").iterdir()}
        assert {"estates", "files", "sheets"} <= kept  # what the next run restores


def test_pipelines_restore_the_cache_and_publish(tmp_path: Path) -> None:
    github = yaml.safe_load(pipeline_text("github"))
    steps = {step.get("uses", "").split("@")[0]: step for step in github["jobs"]["build"]["steps"]}
    assert steps["actions/cache"]["with"]["path"] == ".sunshine-cache"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == PUBLIC
    assert (
        steps["actions/checkout"]["with"]["fetch-depth"] == 0
    )  # check asks git about the snapshots
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    gitlab = yaml.safe_load(pipeline_text("gitlab"))
    assert gitlab["pages"]["cache"]["paths"] == [".sunshine-cache/"]
    assert gitlab["pages"]["artifacts"]["paths"] == [PUBLIC]
    assert gitlab["variables"]["GIT_DEPTH"] == 0


def test_sunshine_ci_writes_the_files_where_each_host_reads_them(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(
        "title: t\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    (tmp_path / "content").mkdir()
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "ci", "--github", "--gitlab"])
    assert result.exit_code == 0, result.output
    for host, (_template, target) in PIPELINES.items():
        assert (tmp_path / target).read_text(encoding="utf-8") == pipeline_text(host)
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "ci", "--github"])
    assert result.exit_code == 2 and "已存在：要用新的替换它，请加 --force" in result.output
    with pytest.raises(UsageError):
        write_pipelines(tmp_path, ["gitlab"])
    assert write_pipelines(tmp_path, ["gitlab"], replace=True) == [tmp_path / ".gitlab-ci.yml"]
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "ci"])
    assert result.exit_code == 2 and "请选择 --github 或 --gitlab" in result.output


def test_init_writes_the_pipeline_file_asked_for(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["-C", str(tmp_path), "init", "站点", "--ci", "gitlab"])
    assert result.exit_code == 0, result.output
    pipeline = tmp_path / "站点" / ".gitlab-ci.yml"
    assert pipeline.is_file() and "sunshine check" in pipeline.read_text(encoding="utf-8")
    assert not (tmp_path / "站点" / ".github").exists()
