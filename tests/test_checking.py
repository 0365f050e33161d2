"""check, estate by estate: only what changed is read again, and it prints what a full check prints."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import checking, fingerprint
from generator.cache import Cache
from generator.cli import main

from .conftest import REPO, run_git


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo site in a git repository of its own."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", ".")
    run_git(root, "commit", "-q", "-m", "demo")
    return root


def check(root: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, the findings (stdout) and what check says of its work (stderr)."""
    result = CliRunner().invoke(main, ["-C", str(root), "check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_only_the_edited_estate_is_read_again_and_the_output_is_a_full_checks(demo: Path) -> None:
    first = check(demo, "--as-of", "2026-08-20")
    assert first[0] == 0, first
    again = check(demo, "--as-of", "2026-08-20")
    assert again[:2] == first[:2]
    assert "重新核对了 0 个有改动的小区；其余 3 个没有改动" in again[2]
    votes = demo / "content" / "yun-lian-xin-cun" / "votes.yaml"
    votes.write_text(
        votes.read_text(encoding="utf-8").replace(
            "approving: {area: 14718.90, headcount: 268}",
            "approving: {area: 24718.90, headcount: 268}",
        ),
        encoding="utf-8",
    )
    edited = check(demo, "--as-of", "2026-08-20")
    assert "重新核对了 1 个有改动的小区；其余 2 个没有改动" in edited[2]
    full = check(demo, "--as-of", "2026-08-20", "--no-cache")
    assert edited[0] == full[0] == 1
    assert edited[1] == full[1]
    assert "content/yun-lian-xin-cun/votes.yaml:" in edited[1] and " V001 " in edited[1]
    forced = check(demo, "--as-of", "2026-08-20", "--full")
    assert forced[1] == full[1]
    assert "沿用上次的结果" not in forced[2]  # every estate read again


def test_a_day_that_crosses_a_deadline_reads_the_estates_again(demo: Path) -> None:
    check(demo, "--as-of", "2026-10-10")
    quiet = check(demo, "--as-of", "2026-10-20")  # no deadline between the two days
    assert "其余 3 个没有改动" in quiet[2]
    late = check(demo, "--as-of", "2026-10-31")  # Q3 public revenue was due by 2026-10-30
    assert "其余" not in late[2] or "其余 3 个" not in late[2]
    full = check(demo, "--as-of", "2026-10-31", "--no-cache")
    assert late[1] == full[1]
    assert "P002 警告:" in late[1] and "截至 2026-09-30 的一期应于 2026-10-30 前公布" in late[1]


def test_a_statement_waiting_in_the_working_copy_does_not_read_the_estates_again_each_day(
    demo: Path,
) -> None:
    """Lateness is counted when a statement is released, so a quiet night re-reads nothing."""
    revenue = demo / "content" / "yun-lian-xin-cun" / "accounts" / "public-revenue"
    closing = next(
        line.split(":")[1].strip()
        for line in (revenue / "2026-q2.yaml").read_text(encoding="utf-8").splitlines()
        if line.startswith("closing:")
    )
    (revenue / "2026-q3.yaml").write_text(  # the next quarter's, after its deadline, unreleased
        "period: {from: 2026-07-01, to: 2026-09-30}\n"
        f"opening: {closing}\nincome: []\nexpenditure: []\nclosing: {closing}\n",
        encoding="utf-8",
    )
    check(demo, "--as-of", "2026-11-17")
    quiet = check(demo, "--as-of", "2026-11-18")
    assert "重新核对了 0 个有改动的小区；其余 3 个没有改动" in quiet[2]
    assert quiet[1] == check(demo, "--as-of", "2026-11-18", "--no-cache")[1]


def test_named_estates_alone(demo: Path) -> None:
    code, out, err = check(demo, "jing-yang-hua-yuan", "--as-of", "2026-08-20", "--no-cache")
    assert code == 0, out + err
    code, out, err = check(demo, "nope", "--no-cache")
    assert code == 2 and "内容目录中没有这些小区：nope" in err


def test_workers_find_what_one_process_finds(demo: Path) -> None:
    notice = demo / "content" / "jia-he-jin-yuan" / "notices" / "2026-07-15-parking-fee.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("date: ", "date: 2026-13-", 1))
    one = check(demo, "--as-of", "2026-08-20", "--no-cache", "--jobs", "1")
    two = check(demo, "--as-of", "2026-08-20", "--no-cache", "--jobs", "2")
    assert one[0] == two[0] == 1 and one[1] == two[1]


def test_the_cache_speaks_the_language_it_was_asked_in(demo: Path) -> None:
    check(demo, "--as-of", "2026-10-31")
    english = CliRunner().invoke(
        main, ["-C", str(demo), "--lang", "en", "check", "--as-of", "2026-10-31"]
    )
    assert "P002 warning:" in english.stdout and "the period ending 2026-09-30" in english.stdout


def test_an_edit_of_the_same_size_with_its_time_set_back_is_still_seen(demo: Path) -> None:
    """A file's change time cannot be set back as its modification time can (touch -d)."""
    import os

    assert check(demo, "--as-of", "2026-08-20")[0] == 0
    fees = demo / "content" / "jia-he-jin-yuan" / "fees.yaml"
    before = fees.stat()
    text = fees.read_text(encoding="utf-8")
    assert "amount: 2.10" in text
    fees.write_text(text.replace("amount: 2.10", "amount: 2.20", 1), encoding="utf-8")
    os.utime(fees, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert fees.stat().st_size == before.st_size and fees.stat().st_mtime_ns == before.st_mtime_ns
    code, out, err = check(demo, "--as-of", "2026-08-20")
    assert "重新核对了 1 个有改动的小区" in err
    assert code == 1 and " H008 错误: " in out


def test_bytecode_written_beside_the_generator_is_not_a_changed_generator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = tmp_path / "generator"
    (code / "render").mkdir(parents=True)
    (code / "cli.py").write_text("print('sunshine')\n", encoding="utf-8")
    (code / "render" / "html.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "GENERATOR", code)
    before = fingerprint.code_digest()
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (code / "render" / "__pycache__").mkdir()
    (code / "render" / "__pycache__" / "html.cpython-311.pyc").write_bytes(b"\x01")
    assert fingerprint.code_digest() == before
    (code / "render" / "html.py").write_text("X = 2\n", encoding="utf-8")
    assert fingerprint.code_digest() != before


def test_an_estate_whose_files_are_touched_but_not_changed_keeps_its_findings(demo: Path) -> None:
    first = check(demo, "--as-of", "2026-08-20")
    fees = demo / "content" / "jing-yang-hua-yuan" / "fees.yaml"
    fees.write_bytes(fees.read_bytes())  # a new time, the same bytes
    again = check(demo, "--as-of", "2026-08-20")
    assert again[:2] == first[:2]
    assert "重新核对了 0 个有改动的小区" in again[2]


def test_a_check_that_finds_nothing_changed_reads_the_index_alone(demo: Path) -> None:
    """The findings of every estate are in one index: the journal of findings kept as each
    estate is checked, so that a check stopped midway need not start again, is dropped
    when the index is written."""
    first = check(demo, "--as-of", "2026-08-20")
    checks = demo / ".sunshine-cache" / "checks"
    assert [p.name for p in checks.iterdir()] == ["index.jsonl"]
    index = (checks / "index.jsonl").stat()
    again = check(demo, "--as-of", "2026-08-20")
    assert again[:2] == first[:2]
    assert "重新核对了 0 个有改动的小区；其余 3 个没有改动" in again[2]
    assert (checks / "index.jsonl").stat().st_ino == index.st_ino  # not written again


class _Stopped(Exception):
    pass


def test_a_check_stopped_midway_resumes_from_the_findings_kept_so_far(demo: Path) -> None:
    first = check(demo, "--as-of", "2026-08-20")
    shutil.rmtree(demo / ".sunshine-cache")

    def stop_after_two(done: int, _total: int) -> None:
        if done == 2:
            raise _Stopped

    cache = Cache(demo / ".sunshine-cache")
    with pytest.raises(_Stopped):
        checking.check(demo, dt.date(2026, 8, 20), cache=cache, progress=stop_after_two)
    checks = demo / ".sunshine-cache" / "checks"
    assert [p.name for p in checks.iterdir()] == ["kept.jsonl"]  # no index: stopped before it
    journal = checks / "kept.jsonl"
    lines = journal.read_bytes().splitlines()
    assert len(lines) == 2
    journal.write_bytes(lines[0] + b"\n" + lines[1][:30])  # the second cut short as written
    again = check(demo, "--as-of", "2026-08-20")
    assert again[:2] == first[:2]
    assert "重新核对了 2 个有改动的小区；其余 1 个没有改动" in again[2]
    assert [p.name for p in checks.iterdir()] == ["index.jsonl"]


def test_a_check_after_one_edit_writes_that_estates_line_of_the_index_alone(demo: Path) -> None:
    """The index is a line an estate: the others are written back as they were read, and
    a line cut short loses that estate's line alone (it is checked again)."""
    first = check(demo, "--as-of", "2026-08-20")
    index = demo / ".sunshine-cache" / "checks" / "index.jsonl"
    before = index.read_bytes().splitlines()
    assert [json.loads(line)[0] for line in before] == sorted(
        p.name for p in (demo / "content").iterdir() if p.is_dir()
    )
    votes = demo / "content" / "jing-yang-hua-yuan" / "votes.yaml"
    votes.write_text(votes.read_text(encoding="utf-8") + "# 核对\n", encoding="utf-8")
    again = check(demo, "--as-of", "2026-08-20")
    assert again[:2] == first[:2] and "重新核对了 1 个有改动的小区" in again[2]
    after = index.read_bytes().splitlines()
    changed = [json.loads(b)[0] for a, b in zip(before, after, strict=True) if a != b]
    assert changed == ["jing-yang-hua-yuan"]
    index.write_bytes(b"\n".join([*after[:-1], after[-1][:40]]) + b"\n")  # the last line cut
    cut = check(demo, "--as-of", "2026-08-20")
    assert cut[:2] == first[:2] and "重新核对了 1 个有改动的小区；其余 2 个没有改动" in cut[2]
    assert index.read_bytes().splitlines() == after


def test_the_walk_begun_ahead_signs_each_estate_as_check_would(demo: Path) -> None:
    """check begins walking the estate folders in another process before it imports the
    models; what that walk hands back is each folder's signature as check makes it itself,
    and only for the folder the validated settings name."""
    content = demo / "content"
    walk = fingerprint.Walk(demo)
    ids = sorted(p.name for p in content.iterdir() if p.is_dir())
    mine = {i: fingerprint.signature(list(fingerprint.files_of(content / i))) for i in ids}
    assert walk.of(content) == mine and len(mine) == 3
    elsewhere = fingerprint.Walk(demo)
    assert elsewhere.of(demo / "data") == {}  # settings that name another folder: not taken
    (demo / "site.yaml").write_text("content_dir: [1, 2\n", encoding="utf-8")
    assert fingerprint.Walk(demo).of(content) == mine  # settings check refuses: the usual folder
    (demo / "linked").symlink_to(demo / "content")
    for hostile in ("/", "../..", "linked", '"a\\0b"'):
        (demo / "site.yaml").write_text(f"content_dir: {hostile}\n", encoding="utf-8")
        refused = fingerprint.Walk(demo)  # nothing outside the site, nothing through a link
        assert refused.ahead is None and refused.of(refused.content) == {}


def test_a_check_of_a_content_folder_of_another_name_walks_that_folder(demo: Path) -> None:
    first = check(demo, "--as-of", "2026-08-20")
    (demo / "content").rename(demo / "data")
    site = demo / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("content_dir: content", "content_dir: data"), encoding="utf-8")
    moved = check(demo, "--as-of", "2026-08-20")
    assert moved[0] == first[0]
    assert moved[1] == first[1].replace("content/", "data/")
    votes = demo / "data" / "yun-lian-xin-cun" / "votes.yaml"
    votes.write_text(votes.read_text(encoding="utf-8") + "# 改\n", encoding="utf-8")
    assert (
        "重新核对了 1 个有改动的小区；其余 2 个没有改动" in check(demo, "--as-of", "2026-08-20")[2]
    )


def test_a_first_check_keeps_each_estates_digest_from_the_bytes_its_worker_read(
    demo: Path,
) -> None:
    """With nothing kept that a digest could find (a first check, --full), the main process
    reads no estate's files: the workers digest what they read. That digest is the one
    the main process would make, so a later check finds every estate as it was, even when
    every file was written again with the same bytes."""
    content = demo / "content"
    for args in ((), ("--full",)):
        first = check(demo, "--as-of", "2026-08-20", *args)
        assert "沿用上次的结果" not in first[2]
        index = demo / ".sunshine-cache" / "checks" / "index.jsonl"
        for line in index.read_bytes().splitlines():
            estate, mark, digest, *_rest = json.loads(line)
            found = sorted(fingerprint.files_of(content / estate))
            assert (mark, digest) == (fingerprint.signature(found), fingerprint.digest_files(found))
        for path in content.rglob("*"):
            if path.is_file():
                path.write_bytes(path.read_bytes())  # a new time for every file, the same bytes
        again = check(demo, "--as-of", "2026-08-20")
        assert again[:2] == first[:2]
        assert "重新核对了 0 个有改动的小区；其余 3 个没有改动" in again[2]
