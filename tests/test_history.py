"""Git as a second witness: a snapshot edited after the commit that added it is reported."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from generator.errors import Diagnostic
from generator.pipeline import check, release
from generator.releases import document_hash

from .conftest import Site, run_git

R1 = (dt.date(2025, 7, 10), "2025-h1", (dt.date(2025, 7, 10), dt.date(2025, 7, 24)))


git = run_git


def rewrite(snapshot: Path) -> None:
    """Change a published amount and recompute the hash, so only history can tell."""
    document = json.loads(snapshot.read_text(encoding="utf-8"))
    document["data"]["accounts"]["maintenance_fund"]["2025-h1"]["income"][0]["summary"] = "改写"
    document["sha256"] = document_hash(document)
    snapshot.write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )


def committed_site(site: Site) -> Path:
    release(site.root, "x", *R1)
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "release 2025-h1")
    return site.estate / "releases" / "2025-h1.json"


def history(root: Path) -> list[Diagnostic]:
    """What check says, less the rule-profile findings (tested in test_profiles)."""
    return [d for d in check(root) if not d.code.startswith("P")]


def codes(root: Path) -> list[tuple[str, str]]:
    return [(d.code, d.location.file) for d in history(root)]


def test_untouched_history_is_clean(site: Site) -> None:
    committed_site(site)
    assert codes(site.root) == []


def test_a_snapshot_edited_and_committed_after_its_commit_is_reported(site: Site) -> None:
    snapshot = committed_site(site)
    added = git(site.root, "rev-parse", "HEAD")
    rewrite(snapshot)
    git(site.root, "commit", "-q", "-am", "tidy")
    edited = git(site.root, "rev-parse", "HEAD")
    found = [d for d in history(site.root) if d.code == "R003"]
    assert [(d.location.file, d.location.line) for d in found] == [
        ("content/x/releases/2025-h1.json", 1)
    ]
    assert f"在提交 {added[:10]} 加入之后，又在提交 {edited[:10]} 中被改动" in found[0].message


def test_an_uncommitted_edit_is_reported(site: Site) -> None:
    rewrite(committed_site(site))
    assert ("R003", "content/x/releases/2025-h1.json") in codes(site.root)


@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_a_snapshot_git_is_told_not_to_look_at_is_reported(site: Site, flag: str) -> None:
    snapshot = committed_site(site)
    git(site.root, "update-index", flag, str(snapshot.relative_to(site.root)))
    rewrite(snapshot)
    assert git(site.root, "status", "--porcelain", "--untracked-files=no") == ""  # git says nothing
    found = [d for d in history(site.root) if d.code == "R003"]
    assert [d.location.file for d in found] == ["content/x/releases/2025-h1.json"]
    assert "skip-worktree 或 assume-unchanged" in found[0].message


def test_a_snapshot_edited_while_merging_is_reported_and_a_plain_merge_is_not(
    site: Site,
) -> None:
    snapshot = committed_site(site)
    main = git(site.root, "rev-parse", "--abbrev-ref", "HEAD")
    git(site.root, "checkout", "-q", "-b", "side")
    (site.root / "side.txt").write_text("旁支\n", encoding="utf-8")
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "side")
    git(site.root, "checkout", "-q", main)
    (site.root / "main.txt").write_text("主干\n", encoding="utf-8")
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "main")
    git(site.root, "merge", "-q", "--no-edit", "side")
    assert codes(site.root) == []  # a merge that changes no snapshot itself
    git(site.root, "reset", "-q", "--hard", "HEAD~1")
    git(site.root, "merge", "-q", "--no-commit", "--no-ff", "side")
    rewrite(snapshot)  # an edit made while merging, in neither parent
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "merge side")
    found = [d for d in history(site.root) if d.code == "R003"]
    assert [d.location.file for d in found] == ["content/x/releases/2025-h1.json"]


def test_shallow_clone_and_no_git_say_the_check_was_skipped(
    site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    plain = Site(tmp_path_factory.mktemp("plain"), git=False)
    assert [(d.code, d.severity) for d in history(plain.root)] == [("R004", "note")]
    assert "不是 git 仓库" in history(plain.root)[0].message
    committed_site(site)
    clone = tmp_path_factory.mktemp("clones") / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site.root}", str(clone)], check=True
    )
    found = history(clone)
    assert [(d.code, d.severity) for d in found] == [("R004", "note")]
    assert "浅克隆" in found[0].message


def test_a_cache_committed_into_git_is_not_read(site: Site) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    committed_site(site)

    def check_said() -> str:
        result = CliRunner().invoke(main, ["-C", str(site.root), "check"])
        return result.output

    check_said()
    assert "沿用上次的结果" in check_said()  # the machine's own cache is read
    git(site.root, "add", "-f", ".sunshine-cache")
    git(site.root, "commit", "-q", "-m", "cache")
    said = check_said()
    assert ".sunshine-cache 里有文件被提交进了 git，这次不使用缓存" in said
    assert "沿用上次的结果" not in said


def test_a_release_committed_after_a_later_one_is_backdated(site: Site) -> None:
    snapshot = committed_site(site)  # 2025-h1, released 2025-07-10
    release(site.root, "x", dt.date(2025, 8, 1), "2025-h1b", (dt.date(2025, 8, 1), dt.date(2025, 8, 15)))  # fmt: skip
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "release 2025-h1b")
    assert codes(site.root) == []  # released in turn
    # made up afterwards: a copy of the first, dated between the two, its hash made anew
    document = json.loads(snapshot.read_text(encoding="utf-8"))
    document["release"].update({"id": "2025-h1a", "date": "2025-07-20"})
    document["release"]["posting"] = {"from": "2025-07-20", "to": "2025-08-03"}
    document["sha256"] = document_hash(document)
    made_up = snapshot.with_name("2025-h1a.json")
    made_up.write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    git(site.root, "add", ".")
    git(site.root, "commit", "-q", "-m", "release 2025-h1a")
    found = [d for d in history(site.root) if d.code == "R006"]
    assert [d.location.file for d in found] == ["content/x/releases/2025-h1a.json"]
    assert (
        "期次 2025-h1a 的发布日 2025-07-20 早于期次 2025-h1b（2025-08-01），却在它之后才提交进 git"
        in found[0].message
    )
