"""docs/tutorial.zh.md, run as written: every command and every file, in order, in a fresh folder."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main

from .conftest import GIT_ENV, REPO

TUTORIAL = REPO / "docs" / "tutorial.zh.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)


def steps() -> list[tuple[str, str, str]]:
    """(kind, file or "", text) of every block the tutorial asks the reader to run or write."""
    out = []
    for lang, info, body in BLOCK.findall(TUTORIAL.read_text(encoding="utf-8")):
        target = re.search(r"file=(\S+)", info)
        if target:
            out.append(("file", target.group(1), body))
        elif lang == "sh":
            out += [("run", "", line) for line in body.splitlines() if line.strip()]
    return out


def test_the_tutorial_has_commands_and_files() -> None:
    kinds = [kind for kind, _, _ in steps()]
    assert kinds.count("file") >= 6 and kinds.count("run") >= 15


def _serve(here: Path) -> None:
    """sunshine serve as the reader runs it: it answers with a draft page; Ctrl+C stops it."""
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0"],
        cwd=here,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        line = ""
        while "http://" not in line:
            line = server.stderr.readline()
            assert line, "serve stopped before it served"
        address = re.search(r"http://\S+/", line)
        assert address is not None
        page = urllib.request.urlopen(address.group(0) + "yang-guang-yuan/", timeout=10).read()
        assert "草稿预览".encode() in page and "阳光苑".encode() in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_tutorial_runs_from_an_empty_folder_to_a_site_and_a_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path
    monkeypatch.chdir(here)
    runner = CliRunner()
    for kind, target, text in steps():
        if kind == "file":
            (here / target).parent.mkdir(parents=True, exist_ok=True)
            (here / target).write_text(text, encoding="utf-8")
            continue
        words = shlex.split(text)
        if words[0] == "cd":
            here = here / words[1]
            monkeypatch.chdir(here)
        elif words[:2] == ["sunshine", "serve"]:
            _serve(here)
        elif words[0] == "sunshine":
            result = runner.invoke(main, words[1:])
            assert result.exit_code == 0, f"{text}\n{result.output}"
        else:  # git and rm, as the reader's shell runs them
            env = {**os.environ, **GIT_ENV}
            done = subprocess.run(words, cwd=here, capture_output=True, text=True, env=env)
            assert done.returncode == 0, f"{text}\n{done.stderr}"
    sheet = here / "build/yang-guang-yuan/releases/2026-q1/sheet.pdf"
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert "阳光苑物业服务信息公示" in text and "第 1 期（2026 年第一季度）" in text
    assert "2026-q1" not in text  # the sheet names the release in words, its id stays in the URL
    assert (here / "build/yang-guang-yuan/index.html").is_file()
    assert (here / "build/print/上海市徐汇区田林街道.pdf").is_file()
    assert (here / "build/print/A3/上海市徐汇区田林街道.pdf").is_file()
    log = subprocess.run(["git", "log", "--oneline"], cwd=here, capture_output=True, text=True)
    assert "发布阳光苑 2026-q1 期公示" in log.stdout
