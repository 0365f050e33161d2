"""Hostile content cannot break, leak or stall the site: each case on a copy of the demo.

Control characters and the rest of the text rule, links, resource bounds, tags and
numbers, a full or read-only disk, killed builds, and one estate never blocking the others.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.releases import document_hash

from .conftest import REPO

A, B, C = "jia-he-jin-yuan", "jing-yang-hua-yuan", "yun-lian-xin-cun"
SECRET = "db_password: hunter2-机密\n"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo site: site.yaml and content/."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


def lines(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if f" {code} " in line]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def freeze_bad_name(root: Path, estate: str, release: str, name: str) -> Path:
    """A snapshot as a release made before the text rule would have written it."""
    path = root / "content" / estate / "releases" / f"{release}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["estate"]["name"] = name
    document["sha256"] = document_hash(document)
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


# -- the text rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code", "column", "what"),
    [
        ('"云莲\\0新村"', "T001", 7, "U+0000（空字符）"),
        ('"云莲\\a新村"', "T001", 7, "U+0007（响铃符）"),
        ('"云莲\\e新村"', "T001", 7, "U+001B（转义符）"),
        ('"云莲\\b新村"', "T001", 7, "U+0008（退格符）"),
        ('"云莲\\uFFFF新村"', "T001", 7, "U+FFFF"),
        ('"云莲\\x85新村"', "T001", 7, "U+0085（下一行符）"),
        ("云莲\u202e新村", "T002", 9, "U+202E（从右到左强制）"),
        ("云莲\u2067新村", "T002", 9, "U+2067（从右到左隔离）"),
        ("云莲\u200b新村", "T002", 9, "U+200B（零宽空格）"),
        ("云莲\u200d新村", "T002", 9, "U+200D（零宽连字）"),
        ("云莲\ue000新村", "T003", 9, "U+E000"),
        ("云莲\U000f0001新村", "T003", 9, "U+F0001"),
    ],
)
def test_a_character_the_text_rule_refuses_is_found_where_it_is(
    demo: Path, written: str, code: str, column: int, what: str
) -> None:
    replace(demo / "content" / C / "estate.yaml", "name: 云莲新村", f"name: {written}")
    status, output = run(demo, "check")
    assert status == 1, output
    found = lines(output, code)
    assert len(found) == 1, output
    assert found[0].startswith(
        f"content/{C}/estate.yaml:5:{column}: {code} 错误: name（小区名称）："
    )
    assert what in found[0]
    assert "\u202e" not in output and "\x1b" not in output and "\x00" not in output


def test_markup_keeps_no_character_a_value_may_not_hold() -> None:
    """chars.without_refused (for markup that did not come through a checked value) takes out
    exactly what kind refuses in multi-line text: at and beside every edge of every range."""
    from generator import chars

    edges = {p for a, b, _c in chars._REFUSED for p in (a - 1, a, b, b + 1) if 0 <= p <= 0x10FFFF}
    for point in sorted(edges | {0x09, 0x0A, 0x20, 0x4E00, 0x1F600}):
        char = chr(point)
        refused = chars.kind(char, one_line=False) is not None
        assert chars.without_refused(f"a{char}b") == ("ab" if refused else f"a{char}b"), hex(point)
    assert chars.kind("\u202e", one_line=False) == "T002" and chars.kind("\ue000", False) == "T003"


def test_a_control_character_is_refused_by_release_and_nothing_is_written(demo: Path) -> None:
    replace(demo / "content" / C / "estate.yaml", "name: 云莲新村", 'name: "云莲\\0新村"')
    before = sorted((demo / "content" / C / "releases").iterdir())
    status, output = run(
        demo, "release", C, "--id", "2026-q4", "--date", "2026-11-28",
        "--posting-from", "2026-11-28", "--posting-to", "2026-12-12",
    )  # fmt: skip
    assert status == 1, output
    assert lines(output, "T001")[0].startswith(f"content/{C}/estate.yaml:5:7: T001 错误:")
    assert sorted((demo / "content" / C / "releases").iterdir()) == before


def test_raw_control_characters_in_a_file_are_placed_to_the_column(demo: Path) -> None:
    replace(demo / "content" / C / "fees.yaml", "物业服务费", "物业\x07服务费")
    status, output = run(demo, "check")
    assert status == 1, output
    line = next(
        i for i, t in enumerate((demo / "content" / C / "fees.yaml").open(), 1) if "\x07" in t
    )
    assert [f.split(" 错误")[0] for f in lines(output, "T001")] == [
        f"content/{C}/fees.yaml:{line}:{_column(demo / 'content' / C / 'fees.yaml', chr(7))}: T001"
    ]


def _column(path: Path, char: str) -> int:
    text = path.read_text(encoding="utf-8")
    at = text.index(char)
    return at - text.rfind("\n", 0, at)


def test_multi_line_text_is_tidied_and_names_stay_one_line(demo: Path) -> None:
    from generator.pipeline import load_site

    estate = demo / "content" / C / "estate.yaml"
    replace(estate, "name: 云莲新村", 'name: "\\uFEFF云莲\\u2028新村"')
    site = load_site(demo)
    loaded = next(e for e in site.estates if e.id == C)
    assert loaded.data is not None
    assert loaded.data.estate.name == "云莲 新村"  # BOM dropped, line separator a space
    replace(estate, 'name: "\\uFEFF云莲\\u2028新村"', 'name: "云莲\\n新村"')
    status, output = run(demo, "check")
    assert status == 1
    assert "只能写一行" in lines(output, "T001")[0]


def test_notice_bodies_drop_invisible_characters_and_refuse_overrides(demo: Path) -> None:
    from generator.pipeline import load_site

    notice = sorted((demo / "content" / C / "notices").glob("*.md"))[0]
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text + "\n零\u200b宽\u2028下一行\r\n", encoding="utf-8")
    loaded = next(e for e in load_site(demo).estates if e.id == C)
    assert loaded.data is not None
    body = loaded.data.notices[notice.stem].body
    assert body.endswith("\n零宽\n下一行\n")
    notice.write_text(text + "\n金额 \u202e0001 元\n", encoding="utf-8")
    status, output = run(demo, "check")
    assert status == 1
    line = text.count("\n") + 2
    assert lines(output, "T002")[0].startswith(
        f"content/{C}/notices/{notice.name}:{line}:4: T002 错误: 这个位置是改变文字方向的控制字符 U+202E"
    )


def test_a_character_written_as_a_reference_in_a_body_is_held_to_the_same_rule(
    demo: Path,
) -> None:
    notice = sorted((demo / "content" / C / "notices").glob("*.md"))[0]
    text = notice.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    notice.write_text(
        text + "\n收费 &#x202E;00.5&#x202c; 元，电话 &#8238;12 &#xE000; &#xFFFE; &amp; &copy;\n",
        encoding="utf-8",
    )
    status, output = run(demo, "check")
    assert status == 1
    at = f"content/{C}/notices/{notice.name}:{line}"
    assert [x.split(" 错误: ")[0] for x in output.splitlines() if f"{at}:" in x] == [
        f"{at}:4: T002",
        f"{at}:16: T002",
        f"{at}:30: T002",
        f"{at}:40: T003",
        f"{at}:49: T001",
    ]  # &amp; and &copy; are no flaw
    assert "“&#x202E;”写的是一个字符：这个位置是改变文字方向的控制字符 U+202E" in output
    # a notice released before the rule read references: the page leaves the characters out
    from generator.render.text import notice_html

    page = notice_html("收费 &#x202E;00.5&#x202c; 元 &#xE000;&#xFFFE; &copy; \u202e")
    assert page == "<p>收费 00.5 元  © </p>"


def test_an_already_frozen_bad_release_holds_back_its_estate_only(demo: Path) -> None:
    """A NUL frozen before the rule: reported, the estate keeps what was online, the rest builds."""
    out = demo / "build"
    status, output = run(demo, "build", "--no-pdf")
    assert status == 0, output
    old_page = (out / C / "index.html").read_bytes()
    snapshot = freeze_bad_name(demo, C, "2026-q3", "云莲\u0000新村")
    replace(demo / "content" / A / "fees.yaml", "物业服务费", "物业服务费用")  # A's draft only
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    found = lines(output, "T001")
    assert found and found[0].startswith(f"content/{C}/releases/2026-q3.json:")
    line = next(i for i, t in enumerate(snapshot.open(encoding="utf-8"), 1) if "\\u0000" in t)
    assert found[0].split(": T001")[0].endswith(f":{line}:" + found[0].split(":")[2])
    assert "Traceback" not in output and f"：{C}" in output
    assert (out / C / "index.html").read_bytes() == old_page  # kept online as it was
    street = (out / "street.html").read_text(encoding="utf-8")
    # frozen here after the site showed it: the site, too, says the release changed (R007)
    assert "数据有误，本期未更新（R007、T001）" in street
    assert (out / A / "index.html").is_file() and (out / B / "index.html").is_file()
    assert "\x00" not in "".join(p.read_text("utf-8") for p in out.rglob("*.html"))


def test_a_frozen_bad_release_on_a_cold_build_publishes_every_other_estate(demo: Path) -> None:
    freeze_bad_name(demo, C, "2026-q3", "云莲\ufffe新村")
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    out = demo / "build"
    assert not (out / C).exists()  # never published: nothing to keep online
    assert (out / A / "index.html").is_file() and (out / B / "index.html").is_file()
    street = (out / "street.html").read_text(encoding="utf-8")
    assert "数据有误，本期未更新（T001）" in street and f'href="{C}/index.html"' not in street
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not any(path.startswith(f"{C}/") for path in manifest)


def test_a_folder_nested_thousands_deep_is_reported_and_the_others_are_built(demo: Path) -> None:
    """A firm's folder nested far past any path the generator reads (built with chdir, so
    its path outruns what the system takes whole) is one L006 at the level where the walk
    stops, not a crash of the city's check or build."""
    with nested(demo / "content" / C, 2500):
        status, output = run(demo, "check", "--as-of", "2026-08-20")
        deep = lines(output, "L006")
        assert status == 1 and len(deep) == 1, output
        assert deep[0].startswith(f"content/{C}/" + "d/" * 15 + "d:1:1: L006 ")
        assert "第 16 层" in deep[0]
        again = run(demo, "check", "--as-of", "2026-08-20")
        assert again[0] == 1 and lines(again[1], "L006") == deep  # kept by its signature
        status, output = run(demo, "build", "--no-pdf")
        assert status == 4, output
        assert (demo / "build" / A / "index.html").is_file()
        manifest = json.loads((demo / "build" / "manifest.json").read_text(encoding="utf-8"))
        assert not any("d/d/" in path for path in manifest)


@contextmanager
def nested(folder: Path, depth: int) -> Iterator[None]:
    """Folders d/d/d/… ``depth`` deep in ``folder``, a file at the bottom; removed after
    (shutil.rmtree would recurse as deep)."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        Path("x.txt").write_text("x", encoding="utf-8")
        os.chdir(here)
        yield
    finally:
        os.chdir(folder)
        made = 0
        while os.path.isdir("d"):
            os.chdir("d")
            made += 1
        Path("x.txt").unlink(missing_ok=True)
        for _ in range(made):
            os.chdir("..")
            os.rmdir("d")
        os.chdir(here)


def test_a_held_back_estate_keeps_its_release_online_and_the_others_update(demo: Path) -> None:
    """Two estates, one broken: the other's pages update, the broken one shows its last
    release and is flagged, and the build exits 4; --strict builds nothing."""
    shutil.rmtree(demo / "content" / B)
    site = demo / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "show_working_copy: true\n", "utf-8")
    out = demo / "build"
    assert run(demo, "build", "--no-pdf")[0] == 0
    replace(demo / "content" / A / "estate.yaml", "name: 嘉禾锦园", "name: 嘉禾锦园新名")
    replace(demo / "content" / C / "estate.yaml", "name: 云莲新村", "name: 云莲新村新名")
    replace(
        demo / "content" / C / "fees.yaml",
        "amount: ",
        "amount: abc",
    )
    before = (out / "index.html").read_bytes()
    status, output = run(demo, "build", "--no-pdf", "--strict")
    assert status == 1, output
    assert (out / "index.html").read_bytes() == before  # all or nothing
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    assert lines(output, "S004")[0].startswith(f"content/{C}/fees.yaml:")
    assert "嘉禾锦园新名" in (out / A / "index.html").read_text(encoding="utf-8")
    page = (out / C / "index.html").read_text(encoding="utf-8")
    assert "云莲新村新名" not in page and "云莲新村" in page and "2026-q3" in page
    street = (out / "street.html").read_text(encoding="utf-8")
    assert street.count("数据有误，本期未更新") == 1 and "（S004）" in street
    status, output = run(demo, "build", "--no-pdf")  # nothing changed: still held, still 4
    assert status == 4, output
    replace(demo / "content" / C / "fees.yaml", "amount: abc", "amount: ")
    status, output = run(demo, "build", "--no-pdf")
    assert status == 0, output
    assert "数据有误，本期未更新" not in (out / "street.html").read_text(encoding="utf-8")
    assert "云莲新村新名" in (out / C / "index.html").read_text(encoding="utf-8")


def test_an_estate_never_released_and_broken_is_not_published_but_flagged(demo: Path) -> None:
    estate = demo / "content" / "xin-xiao-qu"
    shutil.copytree(demo / "content" / C, estate, ignore=shutil.ignore_patterns("releases"))
    replace(estate / "estate.yaml", f"id: {C}", "id: xin-xiao-qu")
    replace(estate / "estate.yaml", "name: 云莲新村", 'name: "新\\0小区"')
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    street = (demo / "build" / "street.html").read_text(encoding="utf-8")
    assert "xin-xiao-qu" in street and "数据有误，本期未更新（T001）" in street
    assert not (demo / "build" / "xin-xiao-qu").exists()


# -- links ---------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files outside the site that a link would leak."""
    folder = tmp_path / "outside"
    (folder / "accounts" / "maintenance-fund").mkdir(parents=True)
    (folder / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (folder / "notice.md").write_text("---\ntitle: 机密\n---\n机密正文\n", encoding="utf-8")
    (folder / "accounts" / "maintenance-fund" / "2030-h1.yaml").write_text(SECRET, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (f"{C}/fees.yaml", "secret.yaml"),
        (f"{C}/notices/2026-01-01-leak.md", "notice.md"),
        (f"{C}/accounts", "accounts"),
        (f"{C}/votes.yaml", "/dev/zero"),
        ("leak", "."),
    ],
)
def test_a_link_in_the_content_is_named_and_nothing_is_read_through_it(
    demo: Path, outside: Path, link: str, target: str
) -> None:
    path = demo / "content" / link
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target if target.startswith("/") else outside / target)
    status, output = run(demo, "check")
    assert status == 1, output
    assert f"content/{link}:1:1: L008 错误: 这是一个符号链接" in output
    assert "db_password" not in output and "机密" not in output
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    published = "".join(p.read_text("utf-8") for p in (demo / "build").rglob("*.html"))
    assert "hunter2" not in published and "机密" not in published


@pytest.mark.parametrize("which", ["theme", "profiles", "content"])
def test_a_linked_theme_profiles_or_content_folder_stops_the_site(
    demo: Path, outside: Path, which: str
) -> None:
    site = demo / "site.yaml"
    if which == "theme":
        (demo / "themes").mkdir()
        (demo / "themes" / "mine").symlink_to(outside)
        replace(site, "theme: default", "theme: mine")
        named = "themes/mine"
    elif which == "profiles":
        (demo / "profiles").mkdir()
        (demo / "profiles" / "city.yaml").symlink_to(outside / "secret.yaml")
        named = "profiles/city.yaml"
    else:
        shutil.move(demo / "content", outside / "content")
        (demo / "content").symlink_to(outside / "content")
        named = "content"
    for command in (["check"], ["build", "--no-pdf"]):
        status, output = run(demo, *command)
        assert status == 1, output
        assert f"{named}:1:1: L008 错误:" in output
        assert "hunter2" not in output
    assert not (demo / "build").exists()


def test_digests_list_a_link_without_reading_it(tmp_path: Path) -> None:
    from generator.fingerprint import digest_tree, files_of

    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "link").symlink_to("/dev/zero")  # reading it would never end
    (folder / "dir").symlink_to("/")
    names = sorted(name for name, _, _ in files_of(folder))
    assert names == ["f/dir", "f/link"]
    assert len(digest_tree([folder])) == 64


def test_digests_read_a_file_whole_in_chunks_and_a_fifo_put_in_its_place_empty(
    tmp_path: Path,
) -> None:
    import hashlib
    import os

    from generator.fingerprint import digest_files, files_of

    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "big.pdf").write_bytes(os.urandom(300_000))  # several chunks
    (folder / "a.yaml").write_text("名称: 小区\n", encoding="utf-8")
    found = sorted(files_of(folder))
    expected = hashlib.sha256()
    for name, path, _stat in found:
        expected.update(name.encode() + hashlib.sha256(Path(path).read_bytes()).digest())
    assert digest_files(found) == expected.hexdigest()
    # a file swapped for a fifo after the walk listed it: read empty, never waited on
    (folder / "a.yaml").unlink()
    os.mkfifo(folder / "a.yaml")
    swapped = hashlib.sha256()
    for name, path, _stat in found:
        content = b"" if name == "f/a.yaml" else Path(path).read_bytes()
        swapped.update(name.encode() + hashlib.sha256(content).digest())
    assert digest_files(found) == swapped.hexdigest()


# -- resource bounds -----------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(demo: Path) -> None:
    votes = demo / "content" / C / "votes.yaml"
    entry = "  - {id: v%d, date: 2025-01-01, matter: 维修, scope: estate}\n"
    with votes.open("w", encoding="utf-8") as file:
        file.write("votes:\n")
        file.writelines(entry % i for i in range(100_000))
    assert votes.stat().st_size > 5 * 1024 * 1024
    started = time.perf_counter()
    status, output = run(demo, "check", C, "--no-cache")
    assert time.perf_counter() - started < 5
    assert status == 1
    size = f"{votes.stat().st_size / 1048576:.1f}"
    assert lines(output, "L009") == [
        f"content/{C}/votes.yaml:1:1: L009 错误: 文件有 {size} MB，超过每个文件 5 MB 的上限，没有读取：请把内容拆开，或检查是不是放错了文件（上限在 site.yaml 的 limits 里设置）"
    ]


def test_entries_and_nesting_are_bounded_and_the_bounds_are_site_settings(demo: Path) -> None:
    site = demo / "site.yaml"
    site.write_text(site.read_text("utf-8") + "limits:\n  entries: 250\n", "utf-8")
    votes = demo / "content" / C / "votes.yaml"
    votes.write_text("votes:\n" + "".join(f"  - v{i}\n" for i in range(300)), "utf-8")
    fees = demo / "content" / C / "fees.yaml"
    fees.write_text("fees: " + "[" * 40 + "]" * 40 + "\n", "utf-8")
    status, output = run(demo, "check", C)
    assert status == 1
    assert [line.split(": L009")[0] for line in lines(output, "L009")] == [
        f"content/{C}/fees.yaml:1:38",
        f"content/{C}/votes.yaml:251:5",
    ]


# -- tags and numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tagged", ["!evil {a: 1}", '!!python/object/apply:os.system ["id"]', "!!binary aGk=", "!x 3"]
)
def test_tags_are_refused_with_l004_alone(demo: Path, tagged: str) -> None:
    replace(demo / "content" / C / "estate.yaml", "name: 云莲新村", f"name: {tagged}")
    status, output = run(demo, "check", C)
    assert status == 1
    found = [line.split(" 错误")[0] for line in output.splitlines() if " 错误: " in line]
    assert found == [f"content/{C}/estate.yaml:5:7: L004"]


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("7.32231e3", "7322.31"),
        ("7.32231e+3", "7322.31"),
        ("1_200.5", "1200.5"),
        ("0120.5", "120.5"),
        ("+5", "5"),
        ("\u0661\u0662", "12"),
    ],
)
def test_a_number_not_written_plainly_is_refused_with_its_plain_form(
    demo: Path, written: str, plain: str
) -> None:
    fees = demo / "content" / C / "fees.yaml"
    text = fees.read_text(encoding="utf-8")
    at = text.index("amount: ") + len("amount: ")
    end = text.index("\n", at)
    fees.write_text(text[:at] + written + text[end:], encoding="utf-8")
    status, output = run(demo, "check", C)
    assert status == 1
    found = lines(output, "S004")
    assert len(found) == 1 and f"请写成 {plain}" in found[0], output


# -- the output folder ---------------------------------------------------------------------


def _mount(folder: Path, *options: str) -> Iterator[Path]:
    folder.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("needs root to mount a small file system")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from _mount(tmp_path / "disk", "size=600k")


def test_a_full_disk_is_one_line_and_the_old_output_stays(demo: Path, small_disk: Path) -> None:
    out = small_disk / "site"
    out.mkdir()
    (out / "index.html").write_text("旧的网站", encoding="utf-8")
    (out / "manifest.json").write_text("{}", encoding="utf-8")  # an output a build made
    status, output = run(demo, "build", "--no-pdf", "--no-cache", "--out", str(out))
    assert status == 1, output
    assert output.count("\n") == 1 and "Traceback" not in output
    assert output.startswith(f"Error: 无法写入 {small_disk}") or f"无法写入 {small_disk}" in output
    assert "磁盘已满" in output
    assert [p.name for p in small_disk.iterdir()] == ["site"]
    assert (out / "index.html").read_text(encoding="utf-8") == "旧的网站"


def test_a_read_only_output_is_one_line_and_the_old_output_stays(
    demo: Path, tmp_path: Path
) -> None:
    for disk in _mount(tmp_path / "ro", "size=1m"):
        (disk / "site").mkdir()
        (disk / "site" / "index.html").write_text("旧的网站", encoding="utf-8")
        (disk / "site" / "manifest.json").write_text("{}", encoding="utf-8")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        status, output = run(demo, "build", "--no-pdf", "--out", str(disk / "site"))
        assert status == 1, output
        assert "只读" in output and str(disk) in output and output.count("\n") == 1
        assert (disk / "site" / "index.html").read_text(encoding="utf-8") == "旧的网站"


def test_killed_builds_leave_the_old_output_whole_and_the_next_one_sweeps(demo: Path) -> None:
    """SIGKILL at moments across a build; the old output stays whole each time, and the
    next complete build leaves no staging folder behind."""
    out = demo / "build"
    assert run(demo, "build", "--no-pdf")[0] == 0
    manifest = (out / "manifest.json").read_bytes()
    pages = {p: p.read_bytes() for p in out.rglob("*.html")}
    replace(demo / "content" / A / "fees.yaml", "物业服务费", "物业服务费用")
    for delay in (0.3, 0.9, 1.6, 2.4):
        command = [
            sys.executable,
            "-m",
            "generator",
            "-C",
            str(demo),
            "build",
            "--no-pdf",
            "--no-cache",
        ]
        process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        os.killpg(process.pid, 9)
        process.wait()
        if (out / "manifest.json").read_bytes() == manifest:  # killed before the swap
            assert {p: p.read_bytes() for p in out.rglob("*.html")} == pages
    status, output = run(demo, "build", "--no-pdf")
    assert status == 0, output
    assert sorted(p.name for p in demo.iterdir()) == [
        ".sunshine-cache",
        "build",
        "content",
        "site.yaml",
    ]
    listed = set(json.loads((out / "manifest.json").read_text("utf-8"))["files"])
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json"}  # the build's state is kept outside
    assert "物业服务费用" not in (out / A / "fees.html").read_text("utf-8")  # a draft edit only


def test_a_number_of_thousands_of_digits_is_an_error_not_a_crash(demo: Path) -> None:
    replace(demo / "content" / C / "estate.yaml", "name: 云莲新村", f"name: {'9' * 5000}")
    snapshot = demo / "content" / A / "releases" / "2026-h1.json"
    snapshot.write_text('{"n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    status, output = run(demo, "check")
    assert status == 1 and "Traceback" not in output
    assert lines(output, "L007")[0].startswith(f"content/{A}/releases/2026-h1.json:1:1: L007")


def test_the_json_output_shows_content_control_characters_as_code_points(demo: Path) -> None:
    estate = demo / "content" / C / "estate.yaml"
    estate.write_text(estate.read_text("utf-8") + "ab\u202ecd: 1\n", "utf-8")  # an unknown key
    status, output = run(demo, "check", "--format", "json")
    assert status == 1
    assert "\u202e" not in output
    assert "ab<U+202E>cd" in output


def test_a_linked_cache_folder_is_not_written_through(demo: Path, outside: Path) -> None:
    (demo / ".sunshine-cache").symlink_to(outside)
    status, output = run(demo, "check")
    assert status == 1 and ".sunshine-cache 是符号链接，不往里写" in output
    assert sorted(p.name for p in outside.iterdir()) == ["accounts", "notice.md", "secret.yaml"]


def test_a_notice_that_would_stall_markdown_is_refused_and_shown_plain(demo: Path) -> None:
    """Nested brackets make Markdown's time grow faster than the text: bounded, and shown as text."""
    from generator.render.text import notice_html

    notice = demo / "content" / C / "notices" / "2026-06-10-pipe-acceptance.md"
    text = notice.read_text(encoding="utf-8")
    hostile = "[" * 2000 + "x" + "]" * 2000
    notice.write_text(text + "\n" + hostile + "\n", encoding="utf-8")
    code, output = run(demo, "check", "--as-of", "2026-08-20", "--no-cache")
    (found,) = lines(output, "L009")
    assert found.startswith(f"content/{C}/notices/2026-06-10-pipe-acceptance.md:")
    assert "方括号" in found and code == 1
    shown = notice_html("前言\n\n" + hostile + "<script>x</script>")
    assert shown.startswith("<p>前言</p><p>[[[") and "&lt;script&gt;" in shown
    assert "<a " not in notice_html("[a](https://example.org) " + "[" * 300)


@pytest.mark.parametrize("nested", ["* " * 50000 + "x", "> " * 5000 + "x", "1. " * 3000 + "x"])
def test_lists_or_quotes_nested_past_the_bound_are_refused_and_shown_plain(
    demo: Path, nested: str
) -> None:
    """Markdown nests lists and quotes by calls in calls: deep enough, the build overflowed."""
    from generator.render.text import notice_html

    notice = demo / "content" / C / "notices" / "2026-06-10-pipe-acceptance.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text + "\n" + nested + "\n", encoding="utf-8")
    code, output = run(demo, "check", "--as-of", "2026-08-20", "--no-cache")
    (found,) = lines(output, "L009")
    assert "列表、引用套得太深" in found and code == 1
    assert notice_html(nested).startswith("<p>")  # as text, at once
    assert "<ul>" in notice_html("- 一\n  - 二\n    - 三\n")  # a list as a notice has one


@pytest.mark.parametrize(
    ("arguments", "env", "said"),
    [
        (["check", "--as-of", "9999-12-31"], {}, "日期 9999-12-31 不在 1900 年到 2199 年之间"),
        (["check", "--as-of", "0001-01-01"], {}, "日期 0001-01-01 不在 1900 年到 2199 年之间"),
        (["check", "--as-of", "2026年10月12日"], {}, "不是写成 YYYY-MM-DD 的日期"),
        (["check"], {"SOURCE_DATE_EPOCH": "9" * 20}, "SOURCE_DATE_EPOCH"),
        (["check"], {"SOURCE_DATE_EPOCH": "abc"}, "不是 1900 年到 2199 年之间某一刻的秒数"),
    ],
)
def test_a_day_no_disclosure_can_name_is_a_usage_error_in_chinese(
    demo: Path, arguments: list[str], env: dict[str, str], said: str
) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["-C", str(demo), *arguments], env=env)
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_a_date_no_disclosure_can_name_is_refused_where_it_is_written(demo: Path) -> None:
    fund = sorted((demo / "content" / C / "accounts" / "maintenance-fund").glob("*.yaml"))[-1]
    text = fund.read_text(encoding="utf-8")
    end = text.split("to: ", 1)[1][:10]
    fund.write_text(text.replace(f"to: {end}", "to: 9999-12-31", 1), encoding="utf-8")
    status, output = run(demo, "check")
    assert status == 1
    assert (
        "S005 错误: period.to" in output and "日期 9999-12-31 不在 1900 年到 2199 年之间" in output
    )


def test_a_notice_link_to_another_site_without_a_scheme_is_dropped() -> None:
    from generator.render.text import notice_html

    page = notice_html(
        "[通知](//evil.example/p) [附件](/\\evil.example/x) ![图](//evil.example/i.png) "
        "[政府网](https://www.gov.cn) [收费](fees.html)"
    )
    assert "evil.example" not in page
    assert 'href="https://www.gov.cn"' in page and 'href="fees.html"' in page


def test_a_published_release_rewritten_where_git_cannot_see_holds_its_estate(
    demo: Path,
) -> None:
    """No git here (R004): the published site is the witness that a release changed."""
    import json

    from generator.releases import document_hash

    out = demo / "build"
    status, output = run(demo, "build", "--no-pdf")
    assert status == 0, output
    snapshot = sorted((demo / "content" / A / "releases").glob("*.json"))[-1]
    old_page = (out / A / "releases" / snapshot.stem / "index.html").read_bytes()
    document = json.loads(snapshot.read_text(encoding="utf-8"))
    document["data"]["estate"]["name"] += "（改）"
    document["sha256"] = document_hash(document)  # a consistent snapshot: only the site knows
    snapshot.write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", "utf-8"
    )
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4, output
    (found,) = lines(output, "R007")
    assert found.startswith(
        f"content/{A}/releases/{snapshot.name}:1:1: R007 错误: 期次 {snapshot.stem} 已经发布在"
    )
    assert "已发布的期次被改写了" in found
    assert (out / A / "releases" / snapshot.stem / "index.html").read_bytes() == old_page
    snapshot.unlink()
    status, output = run(demo, "build", "--no-pdf")
    assert status == 4 and "现在却没有这份快照" in output, output


def test_folders_held_open_are_never_a_way_through_a_link(tmp_path: Path, outside: Path) -> None:
    """A check enters the folders on the way to an estate's files once each and opens its
    files from there (tree.folders_held). A folder swapped for a link after it was entered
    is not followed, and a folder entered where a link may lie above is not taken for one
    entered where none may."""
    from generator import tree

    estate = tmp_path / "content" / "e"
    (estate / "accounts").mkdir(parents=True)
    (estate / "accounts" / "a.yaml").write_bytes(b"a: 1\n")
    (estate / "accounts" / "b.yaml").write_bytes(b"b: 2\n")
    (outside / "b.yaml").write_text(SECRET, encoding="utf-8")
    with tree.folders_held():
        assert tree.read_bytes(estate / "accounts" / "a.yaml", 3) == b"a: 1\n"
        (estate / "accounts").rename(estate / "entered")
        (estate / "accounts").symlink_to(outside)
        assert tree.read_bytes(estate / "accounts" / "b.yaml", 3) == b"b: 2\n"  # as entered
    with pytest.raises(tree.NotPlain), tree.folders_held():
        tree.read_bytes(estate / "accounts" / "b.yaml", 3)
    linked = tmp_path / "linked"
    linked.symlink_to(estate)
    with tree.folders_held():
        assert tree.read_bytes(linked / "entered" / "a.yaml", 1) == b"a: 1\n"  # may lie above
        with pytest.raises(tree.NotPlain):
            tree.read_bytes(linked / "entered" / "b.yaml", 3)  # may not: not taken as entered
        with pytest.raises(tree.TooLarge):
            tree.read_bytes(estate / "entered" / "a.yaml", 2, limit=4)
        assert tree.read_bytes(estate / "entered" / "a.yaml", 2, limit=5) == b"a: 1\n"
