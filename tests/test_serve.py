"""The preview against a real server: the working copy as a draft, an edit on screen within 2 s."""

from __future__ import annotations

import functools
import socket
import threading
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from generator import pipeline, serve
from generator.cache import Cache
from generator.cli import main
from generator.incremental import state_of

from .conftest import Site


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float) -> float:
    """Seconds until the page at url holds text; fails past the limit."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def test_serve_previews_the_working_copy_as_a_draft_and_shows_an_edit_within_2_s(
    site: Site, capsys: object
) -> None:
    site.publish()  # residents see the release; the preview shows the working copy
    server = serve.bind("127.0.0.1", 0)
    build = functools.partial(serve.build_preview, with_pdf=False, working_copy=True)
    said: list[str] = []
    thread = threading.Thread(target=serve.serve, args=(site.root, build, server, said.append))
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/x/index.html"
        _wait_for(url, "测试小区", 30)
        page = _get(url)
        assert "草稿预览：本页显示正在编辑、尚未发布的内容，居民看不到" in page
        estate = site.estate / "estate.yaml"
        text = estate.read_text(encoding="utf-8")
        estate.write_text(text.replace('name: "测试小区"', 'name: "改名小区"'), encoding="utf-8")
        seconds = _wait_for(url, "改名小区", 2.0)
        print(f"serve showed the edit {seconds:.2f} s after it was saved")
        index = _get(f"http://127.0.0.1:{server.server_address[1]}/")
        assert "草稿预览" in index  # every page, the index too
    finally:
        server.shutdown()
        thread.join(10)
    assert any(line.startswith("已重新生成（第 2 次）") for line in said), said


def test_a_failed_first_build_shows_what_stops_it_and_recovers(site: Site) -> None:
    votes = site.estate / "votes.yaml"
    good = votes.read_text(encoding="utf-8")
    votes.write_text("votes:\n\t- id: x\n", encoding="utf-8")
    server = serve.bind("127.0.0.1", 0)
    build = functools.partial(serve.build_preview, with_pdf=False, working_copy=True)
    thread = threading.Thread(target=serve.serve, args=(site.root, build, server, lambda _: None))
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/x/index.html"
        _wait_for(url, "第 2 行的缩进里有 Tab 键", 30)
        votes.write_text(good, encoding="utf-8")
        _wait_for(url, "测试小区", 10)
    finally:
        server.shutdown()
        thread.join(10)


def test_a_save_made_while_the_first_build_runs_is_built_after_it(site: Site) -> None:
    estate = site.estate / "estate.yaml"
    text = estate.read_text(encoding="utf-8")
    builds: list[Path] = []

    def build(root: Path, out: Path) -> Path:
        serve.build_preview(root, out, with_pdf=False, working_copy=True)
        builds.append(out)
        if len(builds) == 1:  # saved once the first build has read the content
            estate.write_text(
                text.replace('name: "测试小区"', 'name: "改名小区"'), encoding="utf-8"
            )
        return out

    server = serve.bind("127.0.0.1", 0)
    thread = threading.Thread(target=serve.serve, args=(site.root, build, server, lambda _: None))
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/x/index.html"
        _wait_for(url, "改名小区", 30)
    finally:
        server.shutdown()
        thread.join(10)


def test_a_busy_port_is_refused_in_one_line_naming_the_next_free_one(site: Site) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["-C", str(site.root), "serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    free = serve.next_free_port("127.0.0.1", port + 1)
    assert line == (
        f"错误：端口 {port} 已被占用（也许另一个 sunshine serve 还开着）；换一个端口：sunshine serve --port {free}"
    )


def test_serve_builds_through_a_cache_of_its_own_and_leaves_the_build_alone(
    site: Site, tmp_path: Path
) -> None:
    pipeline.build(site.root, with_pdf=False)
    built = site.root / "build"

    def the_build() -> dict[Path, bytes]:
        """The real build's output, cache and state: all but the preview's own."""
        kept = [*built.rglob("*"), *(site.root / ".sunshine-cache").rglob("*")]
        ours = {site.root / ".sunshine-cache" / "preview"}
        ours |= {state_of(site.root, o).folder for o in (out, again)}
        return {
            p: p.read_bytes()
            for p in kept
            if p.is_file() and not any(p.is_relative_to(o) for o in ours)
        }

    out = tmp_path / "preview"
    again = tmp_path / "preview-again"  # the next serve, in a folder of its own
    before = the_build()
    serve.build_preview(site.root, out, with_pdf=False, working_copy=True)
    assert "草稿预览" in (out / "x" / "index.html").read_text(encoding="utf-8")
    assert the_build() == before
    cache = Cache(site.root / ".sunshine-cache" / "preview")
    report = pipeline.build(site.root, again, None, None, 0, None, False, cache, preview=True)
    assert report.rendered == report.restored == ["x"]
    assert (again / "x" / "index.html").read_bytes() == (out / "x" / "index.html").read_bytes()
    assert the_build() == before
