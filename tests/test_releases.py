from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.errors import ContentError, UsageError
from generator.pipeline import load_site, release
from generator.releases import content_hash, fingerprint

from .conftest import Site

POSTING = (dt.date(2025, 7, 10), dt.date(2025, 7, 24))


def test_release_writes_a_canonical_snapshot_that_loads_back(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == sorted(document)
    assert document["format"] == "sunshine.release/1"
    assert document["release"]["posting"] == {"from": "2025-07-10", "to": "2025-07-24"}
    assert [s["role"] for s in document["release"]["signers"]] == ["物业服务企业", "业主委员会"]
    loaded = load_site(site.root)
    assert loaded.diagnostics == []
    (snapshot,) = loaded.estates[0].releases
    assert snapshot.sha256 == content_hash(snapshot.release, snapshot.data)
    assert len(fingerprint(snapshot.sha256)) == 12
    # the snapshot holds the working copy as it was, down to the notice bodies
    assert snapshot.data == loaded.estates[0].data


def test_snapshot_bytes_are_deterministic(
    site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING).read_bytes()
    other = Site(tmp_path_factory.mktemp("other"))
    second = release(other.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING).read_bytes()
    assert first == second


def test_release_refuses_an_existing_id(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    before = path.read_bytes()
    with pytest.raises(UsageError, match="已经存在：已发布的期次不能替换"):
        release(site.root, "x", dt.date(2025, 8, 1), "2025-h1", POSTING)
    assert path.read_bytes() == before


def test_release_refuses_content_with_errors(site: Site) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    site.write("votes.yaml", text.replace("approving: {area: 7100.00", "approving: {area: 9100.00"))
    with pytest.raises(ContentError) as caught:
        release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    assert [d.code for d in caught.value.diagnostics] == ["V001"]
    assert not (site.estate / "releases").exists()


def test_release_of_unknown_estate_is_a_usage_error(site: Site) -> None:
    with pytest.raises(UsageError, match="内容目录里没有小区“nope”"):
        release(site.root, "nope", dt.date(2025, 7, 10), "2025-h1", POSTING)


def test_edited_snapshot_fails_its_hash(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"4900.00"', '"4990.00"'), encoding="utf-8"
    )
    assert site.found() == [("releases/2025-h1.json", 1, 1, "R001")]


def test_snapshot_renamed_or_broken(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    text = path.read_text(encoding="utf-8")
    path.rename(path.with_name("2025-h2.json"))
    (path.parent / "bad.json").write_text(text[:-20], encoding="utf-8")
    (path.parent / "wrong.json").write_text(
        json.dumps({"format": "sunshine.release/1"}), encoding="utf-8"
    )
    found = site.found()
    assert ("releases/2025-h2.json", 1, 1, "I004") in found
    assert [f for f in found if f[0] == "releases/bad.json"][0][3] == "L007"
    assert {f[3] for f in found if f[0] == "releases/wrong.json"} == {"R002"}


def test_release_refuses_bad_ids_and_periods(site: Site) -> None:
    with pytest.raises(UsageError, match="期次编号“Bad_ID”不能用"):
        release(site.root, "x", dt.date(2025, 7, 10), "Bad_ID", POSTING)
    with pytest.raises(UsageError, match="早于第一天"):
        release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", (POSTING[1], POSTING[0]))
